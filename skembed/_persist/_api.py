"""Pickle-free saving and loading of fitted skembed estimators.

:func:`save_model` writes one zip file holding ``model.json`` (a JSON
document: the estimator's class, its ``get_params()`` and its fitted
attributes) and one ``.npy`` member per NumPy array. :func:`load_model`
reads it back without ``pickle``, ``eval`` or importing any name read from
the file: every class it can build is on an allowlist (:mod:`._allowlist`), and
every array is read with ``allow_pickle=False`` after its header has been
checked for a plain (non-object) dtype. The format is described precisely
in ``docs/user_guide/persistence.rst``.

The package: :mod:`._api` (this module: the file, its members and
versions), :mod:`._writer` (values -> JSON nodes and arrays),
:mod:`._reader` (back, refusing anything else) and :mod:`._allowlist`
(the classes and dtypes a file may hold). What each estimator saves is
declared by its class (``_fitted_state``, :mod:`skembed._fitted`); this
package knows no estimator's attribute names.

Adding an estimator: see :mod:`._allowlist`.
"""

import json
import os
import re
import warnings
import zipfile
import zlib

import numpy as np
import sklearn

from .._version import __version__
from ._allowlist import (
    ESTIMATORS,
    OBJECTS,
    ROOT_OBJECTS,
    TRUST_HINT,
    not_allowed,
    supported,
)
from ._reader import Reader, check_member
from ._writer import Writer

__all__ = ["load_model", "save_model"]

FORMAT = "skembed.model"
FORMAT_VERSION = 1
_JSON_MEMBER = "model.json"


def save_model(estimator, path, *, compress=False):
    """Save a (fitted) skembed estimator to a file, without pickle.

    The file is a zip archive of ``model.json`` (class, parameters, fitted
    attributes) and one ``.npy`` file per NumPy array; it holds data only,
    so :func:`load_model` never runs code from it. The format is described
    in the :ref:`persistence` section of the user guide.

    Parameters
    ----------
    estimator : estimator or KeyedVectors
        A skembed estimator (fitted or not) or a :class:`KeyedVectors`.
        Parameters and fitted attributes must be data: a callable
        ``tokenizer=``, a custom object or an estimator from another library
        raises ``TypeError`` (save those with skops or joblib).
    path : str, path-like or binary file object
        Where to write (the name is used as given; ``.skembed`` is a good
        suffix).
    compress : bool, default=False
        Deflate the members of the zip archive (smaller, slower).

    Raises
    ------
    TypeError
        If the estimator is not supported or holds a value that is not data;
        the message names the parameter or attribute.

    See Also
    --------
    load_model : Load the file back.

    Examples
    --------
    >>> import io
    >>> from skembed import Word2VecVectorizer, load_model, save_model
    >>> docs = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> vec = Word2VecVectorizer(n_components=4, min_count=1, random_state=0)
    >>> vec = vec.fit(docs)
    >>> f = io.BytesIO()
    >>> save_model(vec, f)
    >>> _ = f.seek(0)
    >>> back = load_model(f)
    >>> (back.transform(docs) == vec.transform(docs)).all()
    np.True_
    """
    name = type(estimator).__name__
    writer = Writer(name)
    allowed = ESTIMATORS.get(name) is type(estimator) or (
        name in ROOT_OBJECTS and OBJECTS.get(name) is type(estimator)
    )
    if not allowed:
        raise TypeError(
            f"save_model supports the skembed estimators {supported()}; got "
            f"{type(estimator).__module__}.{type(estimator).__qualname__}. "
            + TRUST_HINT
        )
    root = writer.encode(estimator, name)
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skembed_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "arrays": sorted(writer.arrays),
        "root": root,
    }
    text = json.dumps(doc, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    own = isinstance(path, (str, os.PathLike))
    f = open(path, "wb") if own else path
    try:
        with zipfile.ZipFile(f, "w", compression=method, allowZip64=True) as zf:
            zf.writestr(_JSON_MEMBER, text.encode("ascii"))
            for key, arr in writer.arrays.items():
                with zf.open(f"{key}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, arr, allow_pickle=False)
    finally:
        if own:
            f.close()


def _check_version(doc, name):
    saved = doc.get("skembed_version")
    current = __version__
    if type(saved) is not str:
        raise ValueError(f"{name}: model.json lacks the skembed version.")

    def minor(v):
        return tuple(re.findall(r"\d+", v)[:2])

    if minor(saved) != minor(current):
        warnings.warn(
            f"{name} was saved with skembed {saved} and is loaded with skembed "
            f"{current}. Models are only guaranteed to load and to transform "
            "identically within the same minor version; check the results, or "
            "refit with this version.",
            UserWarning,
            stacklevel=3,
        )


def load_model(path):
    """Load an estimator saved by :func:`save_model`. Never runs code.

    Only the format's own value types and the skembed classes on its
    allowlist are built; arrays are read with ``allow_pickle=False`` after
    checking they have a plain dtype. The fitted estimator transforms
    exactly as the one that was saved.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :func:`save_model`.

    Returns
    -------
    estimator : estimator or KeyedVectors
        The estimator (or :class:`KeyedVectors`) that was saved.

    Raises
    ------
    ValueError
        If the file is not a skembed model file, is damaged or truncated,
        has an unknown format version, names a class that is not on the
        allowlist, or holds an object array.

    Warns
    -----
    UserWarning
        If the file was saved by another minor version of skembed.

    See Also
    --------
    save_model : Write the file.
    """
    name = (
        os.fspath(path)
        if isinstance(path, (str, os.PathLike))
        else getattr(path, "name", "<file>")
    )
    try:
        zf = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(
            f"{name}: not a skembed model file (expected a zip archive written "
            f"by skembed.save_model; {exc})."
        ) from None
    with zf:
        try:
            check_member(zf.getinfo(_JSON_MEMBER), name)
            raw = zf.read(_JSON_MEMBER)
        except KeyError:
            raise ValueError(
                f"{name}: not a skembed model file (no {_JSON_MEMBER} in the archive)."
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise ValueError(
                f"{name}: damaged or truncated model file ({exc})."
            ) from None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ValueError(
                f"{name}: {_JSON_MEMBER} is not valid JSON ({exc})."
            ) from None
        if type(doc) is not dict or doc.get("format") != FORMAT:
            raise ValueError(
                f"{name}: not a skembed model file (format {doc.get('format')!r} "
                f"in {_JSON_MEMBER}, expected {FORMAT!r})."
                if type(doc) is dict
                else f"{name}: not a skembed model file."
            )
        version = doc.get("format_version")
        if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
            raise ValueError(
                f"{name}: format_version {version!r} is not supported by this "
                f"skembed ({__version__} reads format version {FORMAT_VERSION}"
                "); upgrade skembed to load it."
            )
        _check_version(doc, name)
        listed = doc.get("arrays")
        if type(listed) is not list or not all(type(a) is str for a in listed):
            raise ValueError(f"{name}: model.json lacks the list of arrays.")
        reader = Reader(zf, name, set(listed))
        root = doc.get("root")
        if type(root) is not dict:
            raise ValueError(f"{name}: malformed model.json (no root object).")
        roots = [("estimator", c) for c in ESTIMATORS]
        roots += [("object", c) for c in ROOT_OBJECTS]
        if (root.get("type"), root.get("class")) not in roots:
            raise ValueError(f"{name}: {not_allowed(root.get('class'))}")
        try:
            return reader.decode(root, root["class"])
        except RecursionError:
            raise ValueError(f"{name}: model.json is nested too deeply.") from None
        except (TypeError, AttributeError, KeyError, IndexError) as exc:
            # decoding runs only this module's builders: any other error
            # means values of the wrong kind in a tampered model.json
            raise ValueError(
                f"{name}: malformed model.json ({type(exc).__name__}: {exc})."
            ) from None
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ValueError(
                f"{name}: damaged or truncated model file ({exc})."
            ) from None
