"""ContextualVectorizer: raw text to pooled transformer-encoder vectors.

``torch`` and ``transformers`` are imported inside ``fit`` / ``transform``
only (never at ``import skembed``): they are the optional extra
``pip install "skembed[transformers]"``.

Three pieces of state live outside the estimator, so that it pickles small
and clones cheaply:

* the loaded model and tokenizer, in a module-level cache keyed by the
  model directory, the fingerprint of its files and the device
  (:mod:`._model_loading`: ``_MODEL_CACHE_SIZE`` entries, least recently
  used dropped first);
  clones and unpickled copies in the same process share one loaded model;
* computed document vectors, in the directory of ``memory=``
  (:mod:`._vector_cache`: one small file per distinct document and
  settings), so that ``GridSearchCV`` and refits do not run the model twice
  on the same text;
* nothing else: the estimator itself stores the model path, the fingerprint
  and a few scalars.
"""

import contextlib
import hashlib
import json
import os
import time
import warnings
from numbers import Integral

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from .._compat import N_JOBS_CONSTRAINT, HasMethods, Interval, StrOptions, _fit_context
from .._fitted import BOOL, INT, STR, optional
from .._progress import CallbackSupportMixin, Progress
from .._scaleout import LazyTransformMixin
from ._analyzer import check_documents
from ._model_loading import (
    _backend_versions,
    _cached_model,
    _fingerprint,
    _import_backend,
    _model_limit,
    _resolve_device,
    _resolve_model_dir,
    _sentence_transformers_head,
    _sentence_transformers_length,
    clear_model_cache,
)
from ._vector_cache import _STORE_FORMAT, _store_root, _VectorStore
from ._base import l2_normalize_rows

__all__ = ["ContextualVectorizer", "clear_model_cache"]

#: documents tokenised, encoded and stored per block of ``transform``
_BLOCK_DOCS = 2048

# ------------------------------------------------------------------- input
def _check_texts(X, *, param="X"):
    """Validate a column of raw texts; return a list of str."""
    docs = check_documents(X, param=param)
    texts = []
    for position, doc in enumerate(docs):
        if isinstance(doc, str):
            try:
                doc.encode("utf-8")
            except UnicodeEncodeError as exc:  # the tokenizers cannot take it
                raise ValueError(
                    f"{param}[{position}] is not valid Unicode text: it holds a "
                    f"lone surrogate {doc[exc.start]!r} at index {exc.start} "
                    "(often text decoded with errors='surrogateescape'); decode "
                    "it with errors='replace' or remove those characters."
                ) from None
            texts.append(doc)
        elif isinstance(doc, bytes):
            try:
                texts.append(doc.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{param}[{position}] is bytes that are not valid UTF-8 "
                    f"({exc}); decode the documents to str first."
                ) from exc
        else:
            what = type(doc).__name__
            if doc is None:
                what = "None (a missing value)"
            elif isinstance(doc, float) and doc != doc:
                what = "NaN (a missing value)"
            elif isinstance(doc, (list, tuple, np.ndarray)):
                what = f"a {what} (token list)"
            raise ValueError(
                f"{param}[{position}] is {what}; ContextualVectorizer expects raw "
                "text (str) that its model's tokenizer splits itself. Fill "
                "missing values first, e.g. X.fillna(''); join token lists with "
                "' '."
            )
    if not texts:
        raise ValueError(f"{param} is empty: at least one document is needed.")
    return texts


# ---------------------------------------------------------------- encoding
def _forward(model, inputs):
    """Token states ``(batch, length, hidden)`` of one padded batch."""
    output = model(**inputs)
    states = getattr(output, "last_hidden_state", None)
    if states is None:
        states = output[0]
    return states


def _windows(tokenizer, texts, max_length, stride):
    """Token windows of ``texts``: ``(list of dicts of id lists, doc of each)``.

    A window holds at most ``max_length`` tokens, special tokens included;
    consecutive windows of a document share ``stride`` tokens. The
    tokenizer's own overflow logic is used, so the special tokens of any
    model are placed as the model expects.
    """
    enc = tokenizer(
        texts,
        truncation=True,
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        padding=False,
        return_attention_mask=False,
    )
    mapping = enc.get("overflow_to_sample_mapping")
    if mapping is None:
        raise TypeError(
            f"The tokenizer {type(tokenizer).__name__} does not report which "
            "document each window comes from (overflow_to_sample_mapping); "
            "ContextualVectorizer needs a fast (tokenizers-backed) tokenizer."
        )
    keys = [k for k in ("input_ids", "token_type_ids") if k in enc]
    return enc, keys, list(mapping)


def _pad(enc, keys, rows, pad_id, torch, device):
    length = max(len(enc["input_ids"][r]) for r in rows)
    n = len(rows)
    mask = np.zeros((n, length), dtype=np.int64)
    arrays = {k: np.zeros((n, length), dtype=np.int64) for k in keys}
    arrays["input_ids"][:] = pad_id
    for i, r in enumerate(rows):
        ids = enc["input_ids"][r]
        mask[i, : len(ids)] = 1
        for k in keys:
            arrays[k][i, : len(ids)] = enc[k][r]
    inputs = {k: torch.from_numpy(v).to(device) for k, v in arrays.items()}
    inputs["attention_mask"] = torch.from_numpy(mask).to(device)
    return inputs


class ContextualVectorizer(
    ClassNamePrefixFeaturesOutMixin, CallbackSupportMixin, LazyTransformMixin, TransformerMixin, BaseEstimator
):
    """Convert raw text to document vectors of a pretrained transformer encoder.

    Runs a BERT-style encoder (anything ``transformers.AutoModel`` loads:
    BERT, RoBERTa, DistilBERT, XLM-R, MiniLM, E5, BGE, ...) over each
    document and pools its token states into one dense row, in eval mode
    under ``torch.inference_mode``: the output is deterministic and does not
    depend on the other documents of the batch. Works in a
    :class:`~sklearn.pipeline.Pipeline` and
    :class:`~sklearn.model_selection.GridSearchCV`, pickles without the
    weights, and caches computed vectors on disk with ``memory=``.

    Needs the optional extra: ``pip install "skembed[transformers]"``
    (``torch`` and ``transformers``, imported on first ``fit`` only).

    Read more in the :ref:`User Guide <contextual>`.

    Parameters
    ----------
    model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
        A local model directory (written by ``save_pretrained``, or by
        ``hf download``: ``config.json``, the weights and the tokenizer
        files), or the name of a model already in the local Hugging Face
        cache. Nothing is ever downloaded: a name that is not in the cache
        raises ``FileNotFoundError`` saying how to get it.
    pooling : {"auto", "mean", "cls"}, default="auto"
        ``"mean"``: mean of the token states over the attention mask
        (special tokens included, padding excluded), the pooling of most
        sentence-embedding models. ``"cls"``: the state of the first token
        (``[CLS]`` / ``<s>``). ``"auto"``: what a sentence-transformers
        folder states in its ``modules.json`` / ``1_Pooling/config.json``
        (e.g. ``"mean"`` for all-MiniLM-L6-v2, ``"cls"`` for BGE models),
        else ``"mean"``; a pooling this class does not compute (max, last
        token, ...) raises ``ValueError`` in ``fit``.
    max_length : int or None, default=None
        Tokens per model input, special tokens included. ``None``: the
        ``max_seq_length`` of a sentence-transformers folder
        (``sentence_bert_config.json``), else the model's limit (its
        tokenizer's ``model_max_length``, capped by its position
        embeddings). Longer than the model's limit raises ``ValueError``.
    long_documents : {"truncate", "chunk"}, default="truncate"
        What happens to a document longer than ``max_length`` tokens.
        ``"truncate"``: only its first ``max_length`` tokens are encoded;
        each ``transform`` that truncates warns once with the number of
        documents truncated. ``"chunk"``: the document is cut into
        windows of ``max_length`` tokens sharing ``stride`` tokens, each
        window is encoded and pooled, and the document vector is the mean
        of its window vectors weighted by their token counts (for
        ``pooling="mean"``: the mean over every token state of every
        window; tokens shared by two windows and each window's special
        tokens count once per window).
    stride : int, default=0
        With ``long_documents="chunk"``: tokens shared by consecutive
        windows (the ``stride`` of Hugging Face tokenizers); must be smaller
        than ``max_length`` minus the model's special tokens.
    batch_size : int, default=32
        Windows per forward pass. Documents are sorted by length before
        batching, so that little padding is computed.
    device : str, default="cpu"
        ``"cpu"``, ``"cuda"`` / ``"cuda:N"``, ``"mps"``, or ``"auto"`` (CUDA
        when available, else CPU). Asking for CUDA without it raises
        ``ValueError``.
    norm : {"auto", "l2"} or None, default="auto"
        Normalise each output row to unit L2 norm (as
        :class:`~skembed.Word2VecVectorizer`'s ``norm``; cosine-similarity
        models want it). ``"auto"``: ``"l2"`` when a sentence-transformers
        folder lists a ``Normalize`` module, else None -- so that, by
        default, the vectors are the ones ``SentenceTransformer.encode``
        gives.
    memory : str, joblib.Memory or None, default=None
        Cache of computed document vectors, like the ``memory`` of
        :class:`~sklearn.pipeline.Pipeline`: a folder, or a
        :class:`joblib.Memory` with a location. Each distinct document is
        stored once per model and settings (both poolings and the token
        count), keyed by a hash of the model's identity (directory, file
        sizes, modification times and link targets, and config.json),
        ``max_length``, ``long_documents``, ``stride``, the device, the
        installed torch and transformers releases and the text, so a
        ``GridSearchCV`` over ``pooling``, ``norm`` or the downstream model
        runs the encoder once per distinct document, refit included.
        ``memory.clear()`` removes the vectors.
    n_jobs : int or None, default=None
        CPU threads of torch during ``transform`` (``torch.set_num_threads``,
        restored afterwards). ``None`` leaves torch's setting (by default one
        thread per physical core). torch's thread count is process-wide:
        transforms running at once in threads of one process share it.
    verbose : int, default=0
        ``1``: a line when the model is loaded and, during ``transform``, a
        progress line about every 10 seconds and a summary (documents,
        windows, cached, documents per second). ``2``: a line per batch.

    Attributes
    ----------
    model_path_ : str
        The resolved local model directory.
    embedding_dim_ : int
        Width of the output (the model's hidden size).
    max_length_ : int
        Tokens per model input actually used.
    device_ : str
        The device used.
    model_fingerprint_ : str
        Hash of the model files' identity (see ``memory``).
    model_pooling_ : str or None
        The pooling ``pooling="auto"`` uses: the model folder's, or
        ``"mean"``; None when the folder's pooling is one this class does
        not compute (then only an explicit ``pooling`` works).
    model_norm_ : str or None
        The normalisation ``norm="auto"`` uses: the model folder's, or None.

    See Also
    --------
    Word2VecVectorizer : Word vectors trained on your corpus, pooled.
    sklearn.feature_extraction.text.TfidfVectorizer : The sparse baseline.

    Notes
    -----
    Pickling: the weights are not pickled. A fitted vectorizer pickles to a
    few hundred bytes (the path, the fingerprint, the settings) and reloads
    the model from ``model_path_`` on its first ``transform`` after
    unpickling, so the model directory must exist at the same path where
    it is unpickled. A warning is raised when its ``config.json`` or file
    sizes differ from those seen in ``fit``.

    Loaded models are shared: clones (``GridSearchCV``), refits and
    unpickled copies in one process use one loaded model per
    ``(directory, file identity, device)``; the two most recently used
    models stay loaded (``skembed._text._contextual.clear_model_cache()`` frees
    them).

    Input: a 1-D iterable of ``str`` (list, array, ``pandas.Series``, a
    one-column DataFrame); UTF-8 bytes are decoded. ``None`` / NaN raise a
    ``ValueError`` naming the position, as in
    :class:`~skembed.Word2VecVectorizer`. An empty string is encoded as
    the model sees it (only its special tokens), which is not a zero
    vector. Identical documents are encoded once per ``transform``.

    ``fit`` learns nothing from ``X`` (it validates it, loads the model and
    records its settings): the vectors of a document do not depend on the
    other documents. ``max_length``, ``long_documents`` and ``stride`` are
    fixed by ``fit``; ``pooling`` and ``norm`` are read by ``transform``.

    Examples
    --------
    A tiny randomly initialised BERT written to a temporary folder stands in
    for a downloaded model (any ``save_pretrained`` folder works the same):

    >>> import json, os, tempfile
    >>> import torch
    >>> from transformers import BertConfig, BertModel
    >>> docs = ["the cat sat on the mat", "a dog sat on a log", "cats and dogs"]
    >>> path = tempfile.mkdtemp()
    >>> words = sorted({w for doc in docs for w in doc.split()})
    >>> special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    >>> with open(os.path.join(path, "vocab.txt"), "w") as f:
    ...     _ = f.write("\\n".join(special + words))
    >>> with open(os.path.join(path, "tokenizer_config.json"), "w") as f:
    ...     json.dump({"tokenizer_class": "BertTokenizer"}, f)
    >>> _ = torch.manual_seed(0)
    >>> config = BertConfig(vocab_size=5 + len(words), hidden_size=16,
    ...                     num_hidden_layers=1, num_attention_heads=2,
    ...                     intermediate_size=32, max_position_embeddings=32)
    >>> BertModel(config).save_pretrained(path)
    >>> from skembed import ContextualVectorizer
    >>> vec = ContextualVectorizer(model=path, pooling="mean")
    >>> X = vec.fit_transform(docs)
    >>> X.shape, X.dtype
    ((3, 16), dtype('float32'))
    >>> vec.get_feature_names_out()[:2]
    array(['contextualvectorizer0', 'contextualvectorizer1'], dtype=object)
    >>> import numpy as np
    >>> np.allclose(vec.transform(docs[:1]), X[:1], atol=1e-6)  # alone or batched
    True

    With a real model downloaded beforehand (``hf download
    sentence-transformers/all-MiniLM-L6-v2 --local-dir minilm``):

    >>> vec = ContextualVectorizer(model="minilm", norm="l2")  # doctest: +SKIP
    >>> vec.fit_transform(["A sentence.", "Another one."]).shape  # doctest: +SKIP
    (2, 384)
    """

    _parameter_constraints: dict = {
        "model": [str, os.PathLike],
        "pooling": [StrOptions({"auto", "mean", "cls"})],
        "max_length": [Interval(Integral, 2, None, closed="left"), None],
        "long_documents": [StrOptions({"truncate", "chunk"})],
        "stride": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str],
        "norm": [StrOptions({"auto", "l2"}), None],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": N_JOBS_CONSTRAINT,
        "verbose": ["verbose"],
    }

    #: fitted state (see :mod:`skembed._fitted`): scalars only; the model
    #: lives in its folder and the process-wide cache of ``_model_loading``
    _fitted_state: dict = {
        "model_path_": STR,
        "model_fingerprint_": STR,
        "device_": STR,
        "model_pooling_": optional(STR),
        "model_norm_": optional(BOOL),
        "max_length_": INT,
        "embedding_dim_": INT,
    }

    def __init__(
        self,
        *,
        model="sentence-transformers/all-MiniLM-L6-v2",
        pooling="auto",
        max_length=None,
        long_documents="truncate",
        stride=0,
        batch_size=32,
        device="cpu",
        norm="auto",
        memory=None,
        n_jobs=None,
        verbose=0,
    ):
        self.model = model
        self.pooling = pooling
        self.max_length = max_length
        self.long_documents = long_documents
        self.stride = stride
        self.batch_size = batch_size
        self.device = device
        self.norm = norm
        self.memory = memory
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ------------------------------------------------------------- helpers
    def _log(self, message):
        Progress(type(self).__name__, self.verbose).log(message)

    def _current_identity(self):
        """Identity of the model files now (the fit-time one if they are gone).

        Stored vectors are keyed by it, so a model rewritten after ``fit``
        never gets the vectors of the old one.
        """
        if not os.path.isfile(os.path.join(self.model_path_, "config.json")):
            return self.model_fingerprint_  # only stored vectors can be served
        identity, content = _fingerprint(self.model_path_)
        if content != self._model_content:
            warnings.warn(
                f"The files of {self.model_path_!r} differ from those seen in fit "
                "(config.json or file sizes changed): the vectors may differ from "
                "those of the fitted vectorizer. Fit it again to silence this.",
                UserWarning,
                stacklevel=4,
            )
        return identity

    def _model_and_tokenizer(self, identity):
        """The loaded model (shared through the module cache)."""
        if not os.path.isfile(os.path.join(self.model_path_, "config.json")):
            raise FileNotFoundError(
                f"The model directory {self.model_path_!r} used in fit is gone. "
                "The weights are not pickled with the vectorizer: put the model "
                "back at that path, or fit again with model= its new location."
            )
        return _cached_model(
            self.model_path_, identity, self.device_, quiet=self.verbose < 2
        )

    @contextlib.contextmanager
    def _threads(self, torch):
        if self.n_jobs is None:
            yield
            return
        previous = torch.get_num_threads()
        torch.set_num_threads(max(1, effective_n_jobs(self.n_jobs)))
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    # ------------------------------------------------------------------ fit
    def _fit(self, texts):
        torch, _ = _import_backend()
        device = _resolve_device(self.device, torch)
        model_dir = _resolve_model_dir(self.model)
        identity, content = _fingerprint(model_dir)
        start = time.perf_counter()
        model, tokenizer = _cached_model(
            model_dir, identity, device, quiet=self.verbose < 2
        )
        limit = _model_limit(model, tokenizer)
        default = min(limit, _sentence_transformers_length(model_dir) or limit)
        model_pooling, model_norm, problem = _sentence_transformers_head(model_dir)
        if problem and self.pooling == "auto":
            raise ValueError(problem)
        n_special = tokenizer.num_special_tokens_to_add(pair=False)
        max_length = default if self.max_length is None else int(self.max_length)
        if max_length > limit:
            raise ValueError(
                f"max_length={self.max_length} is longer than the model takes "
                f"({limit} tokens for {model_dir!r}); use max_length<={limit}, "
                "or None for the model's limit, and long_documents='chunk' for "
                "longer documents."
            )
        if max_length <= n_special:
            raise ValueError(
                f"max_length={max_length} leaves no room for text: the model adds "
                f"{n_special} special tokens to each input."
            )
        if self.long_documents == "chunk" and self.stride >= max_length - n_special:
            raise ValueError(
                f"stride={self.stride} must be smaller than the text tokens of a "
                f"window, max_length - {n_special} special tokens = "
                f"{max_length - n_special}."
            )
        hidden = getattr(model.config, "hidden_size", None)
        if not isinstance(hidden, int):
            hidden = int(model.get_input_embeddings().weight.shape[1])
        self.model_path_ = model_dir
        self.model_fingerprint_ = identity
        self._model_content = content
        self.device_ = device
        self.model_pooling_ = model_pooling
        self.model_norm_ = model_norm
        self.max_length_ = max_length
        self.embedding_dim_ = hidden
        self._n_features_out = hidden
        self._n_special = n_special
        # the window settings are fixed in fit (validated against the model);
        # pooling and norm are read in transform
        self._long_documents = self.long_documents
        self._stride = int(self.stride) if self.long_documents == "chunk" else 0
        self._log(
            f"model {model_dir} ({type(model).__name__}, hidden size {hidden}, "
            f"max_length {max_length}) on {device} in "
            f"{time.perf_counter() - start:.1f} s"
        )
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Load the model and tokenizer and record their settings.

        Parameters
        ----------
        X : iterable of str
            Documents (validated only: nothing is learnt from them).
        y : None
            Ignored.

        Returns
        -------
        self : ContextualVectorizer
            The fitted vectorizer.
        """
        _check_texts(X)
        return self._fit(None)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then return the document vectors of ``X`` (read once).

        Parameters
        ----------
        X : iterable of str
        y : None
            Ignored.

        Returns
        -------
        ndarray of float32, shape (n_documents, hidden_size)
        """
        texts = _check_texts(X)
        self._fit(texts)
        return self._transform(texts)

    # ------------------------------------------------------------ transform
    def transform(self, X):
        """Encode each document and pool its token states.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        ndarray of float32, shape (n_documents, hidden_size)
        """
        check_is_fitted(self, "model_path_")
        return self._transform(_check_texts(X))

    def _settings_key(self, identity):
        settings = {
            "format": _STORE_FORMAT,
            "model": identity,
            "max_length": self.max_length_,
            "long_documents": self._long_documents,
            "stride": self._stride,
            # vectors differ (in the last bits) across devices and releases
            "device": self.device_,
            "backend": _backend_versions(),
        }
        return hashlib.sha256(
            json.dumps(settings, sort_keys=True).encode()
        ).hexdigest(), settings

    def _transform(self, texts):
        index = {}
        inverse = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            inverse[i] = index.setdefault(text, len(index))
        unique = list(index)
        dim = self.embedding_dim_
        width = 2 * dim + 1  # stored: cls, mean, number of windows
        pooling = self.model_pooling_ if self.pooling == "auto" else self.pooling
        offset = 0 if pooling == "cls" else dim
        # only the requested pooling is held in memory (the store has both)
        vectors = np.zeros((len(unique), dim), dtype=np.float32)
        n_windows = np.zeros(len(unique), dtype=np.int64)

        identity = self._current_identity()
        settings_hash, settings = self._settings_key(identity)
        store = None
        root = _store_root(self.memory)
        keys = None
        todo = list(range(len(unique)))
        if root is not None:
            folder = os.path.join(root, settings_hash[:32])
            store = _VectorStore(folder, width)
            if not os.path.isfile(os.path.join(folder, "settings.json")):
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, "settings.json"), "w") as fh:
                    json.dump(
                        {**settings, "model_path": self.model_path_}, fh, indent=1
                    )
            prefix = settings_hash.encode()
            keys = [
                hashlib.sha256(prefix + t.encode("utf-8", "surrogatepass")).hexdigest()
                for t in unique
            ]
            todo = []
            for u, key in enumerate(keys):
                vec = store.get(key)
                if vec is None:
                    todo.append(u)
                else:
                    vectors[u] = vec[offset : offset + dim]
                    n_windows[u] = int(vec[2 * dim])
        n_cached = len(unique) - len(todo)
        if todo:
            todo.sort(key=unique.__getitem__)  # blocks independent of input order
            self._encode(
                unique,
                todo,
                (vectors, n_windows, offset),
                store,
                keys,
                n_cached,
                identity,
            )
        elif self.verbose:
            self._log(f"{len(unique):,} distinct documents, all from the cache")

        # without duplicates, ``inverse`` is the identity (first-seen order)
        out = vectors if len(unique) == len(texts) else vectors[inverse]
        if self._long_documents == "truncate":
            n_truncated = int(np.count_nonzero(n_windows[inverse] > 1))
            if n_truncated:
                warnings.warn(
                    f"{n_truncated} of {len(texts)} documents are longer than "
                    f"max_length={self.max_length_} tokens and were truncated to "
                    "their first max_length tokens. Use long_documents='chunk' to "
                    "encode all of their text.",
                    UserWarning,
                    stacklevel=3,
                )
        if (self.model_norm_ if self.norm == "auto" else self.norm) == "l2":
            l2_normalize_rows(out)
        return out

    def _encode(self, unique, todo, result, store, keys, n_cached, identity):
        """Encode ``unique[todo]``; fill ``result`` and the store.

        ``result`` is ``(vectors, n_windows, offset)``: the rows of the
        requested pooling (columns ``offset:offset + dim`` of the pooled
        ``[cls, mean]``) and the windows per document.
        """
        vectors_out, n_windows_out, offset = result
        torch, _ = _import_backend()
        model, tokenizer = self._model_and_tokenizer(identity)
        dim = self.embedding_dim_
        chunk = self._long_documents == "chunk"
        stride = self._stride
        pad_id = tokenizer.pad_token_id
        if pad_id is None:
            pad_id = 0
        device = self.device_
        n_batches_done = 0
        n_windows_done = 0
        start = last = time.perf_counter()
        n_done = 0
        # its own lines (above); the task goes to the callbacks of a fit
        progress = Progress(type(self).__name__, self.verbose)
        progress.start("encode", len(todo), unit="documents", lines=False)

        with self._threads(torch), torch.inference_mode():
            for block_start in range(0, len(todo), _BLOCK_DOCS):
                block = todo[block_start : block_start + _BLOCK_DOCS]
                enc, in_keys, mapping = _windows(
                    tokenizer, [unique[u] for u in block], self.max_length_, stride
                )
                if not chunk:  # keep the first window of each document
                    first = {}
                    for w, d in enumerate(mapping):
                        first.setdefault(d, w)
                    rows = [first[d] for d in range(len(block))]
                else:
                    rows = list(range(len(mapping)))
                n_win = np.bincount(
                    np.asarray(mapping, dtype=np.int64), minlength=len(block)
                )
                lengths = np.array(
                    [len(enc["input_ids"][r]) for r in rows], dtype=np.int64
                )
                # longest first, so each batch pads to about its own length
                # (ties by text, so the batches do not depend on input order)
                order = sorted(
                    range(len(rows)),
                    key=lambda i: (
                        -lengths[i],
                        unique[block[mapping[rows[i]]]],
                        rows[i],
                    ),
                )
                sums = np.zeros((len(block), 2 * dim), dtype=np.float64)
                weights = np.zeros(len(block), dtype=np.float64)
                for b in range(0, len(order), self.batch_size):
                    batch = [rows[i] for i in order[b : b + self.batch_size]]
                    inputs = _pad(enc, in_keys, batch, pad_id, torch, device)
                    states = _forward(model, inputs)
                    mask = inputs["attention_mask"].to(states.dtype).unsqueeze(-1)
                    counts = mask.sum(dim=1)
                    mean = (states * mask).sum(dim=1) / counts
                    cls = states[:, 0]
                    window_vecs = torch.cat([cls, mean], dim=1).float().cpu().numpy()
                    counts = counts[:, 0].float().cpu().numpy().astype(np.float64)
                    docs = np.asarray([mapping[r] for r in batch], dtype=np.int64)
                    np.add.at(
                        sums, docs, window_vecs.astype(np.float64) * counts[:, None]
                    )
                    np.add.at(weights, docs, counts)
                    n_batches_done += 1
                    n_windows_done += len(batch)
                    progress.advance(
                        n_done + len(block) * (b + len(batch)) / len(order)
                    )
                    now = time.perf_counter()
                    if self.verbose >= 2 or (self.verbose and now - last > 10):
                        last = now
                        self._log(
                            f"batch {n_batches_done}: {n_windows_done:,} windows, "
                            f"{n_done:,}/{len(todo):,} documents done, "
                            f"{n_windows_done / max(now - start, 1e-9):.1f} windows/s"
                        )
                pooled = (sums / weights[:, None]).astype(np.float32)
                vectors_out[block] = pooled[:, offset : offset + dim]
                n_windows_out[block] = n_win
                if store is not None:
                    row = np.empty(2 * dim + 1, dtype=np.float32)
                    for j, u in enumerate(block):
                        row[: 2 * dim] = pooled[j]
                        row[2 * dim] = n_win[j]
                        store.put(keys[u], row)
                n_done += len(block)
        progress.finish()
        if self.verbose:
            seconds = time.perf_counter() - start
            self._log(
                f"encoded {len(todo):,} documents ({n_windows_done:,} windows, "
                f"{n_batches_done} batches) in {seconds:.1f} s, "
                f"{len(todo) / max(seconds, 1e-9):.1f} documents/s; "
                f"{n_cached:,} from the cache"
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags
