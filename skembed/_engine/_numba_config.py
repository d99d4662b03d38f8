"""Decide, once and before any kernel is compiled, where numba may cache.

``@njit(cache=True)`` writes the compiled machine code beside the source file
(``__pycache__``). From a read-only install (a system site-packages, a docker
layer, a zip) numba falls back to a user-wide cache directory, and raises
``RuntimeError: cannot cache function ...`` at decoration time when that is
not writable either. We never want importing skembed to crash, so:

1. ``NUMBA_CACHE_DIR`` set by the user wins (numba honours it itself);
2. otherwise, if the package folder is writable, numba caches in-tree;
3. otherwise we point numba at ``$XDG_CACHE_HOME/skembed/numba`` (or
   ``~/.cache/skembed/numba``), then at a folder under the system temp dir;
4. if no folder is writable at all, kernels are compiled without a cache
   (slower first call, same results).
"""

import os
import tempfile

from numba.core import config

__all__ = ["CACHE"]


def _writable(path):
    try:
        os.makedirs(path, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".skembed-probe-")
        probe.close()
        return True
    except OSError:
        return False


def _configure_cache(package_dir=None, writable=_writable):
    if os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False
    if config.CACHE_DIR:  # NUMBA_CACHE_DIR given by the user
        return writable(config.CACHE_DIR)
    here = package_dir or os.path.dirname(os.path.abspath(__file__))
    if writable(os.path.join(here, "__pycache__")):
        return True
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    for candidate in (
        os.path.join(xdg, "skembed", "numba"),
        os.path.join(tempfile.gettempdir(), f"skembed-numba-{os.getuid()}"),
    ):
        if writable(candidate):
            # numba reads config.CACHE_DIR when a cached function is first
            # decorated, so setting it here (before _kernels is imported) works.
            config.CACHE_DIR = candidate
            os.environ.setdefault("NUMBA_CACHE_DIR", candidate)
            return True
    return False


CACHE = _configure_cache()
