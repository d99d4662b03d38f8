"""``__version__``, importable without the package face (``save_model``
writes it into every file)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skembed")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
