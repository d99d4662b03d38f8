"""ContextualVectorizer's model loading: the optional torch / transformers
backend (imported lazily, with an error naming the extra), model folders
(local or in the Hugging Face cache), their fingerprint, devices, length
limits, sentence-transformers heads, and the process-wide model cache."""

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from importlib.metadata import PackageNotFoundError, version

_EXTRA = 'pip install "skembed[transformers]"'

#: models (with their tokenizers) kept loaded in the process
_MODEL_CACHE_SIZE = 2
_MODELS = OrderedDict()
_MODELS_LOCK = threading.Lock()

#: model types whose position ids start after the padding index, so that
#: ``max_position_embeddings - 2`` positions are usable
_OFFSET_POSITION_MODELS = {
    "roberta",
    "xlm-roberta",
    "camembert",
    "longformer",
    "bart",
    "mbart",
    "data2vec-text",
    "xmod",
    "roberta-prelayernorm",
}


def _import_backend():
    """Return ``(torch, transformers)`` or raise an ImportError naming the extra."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ImportError(
            "ContextualVectorizer needs torch and transformers, which are not "
            f"installed: {_EXTRA} (or pip install torch transformers). "
            f"The import failed with: {exc}"
        ) from exc
    return torch, transformers


def _backend_versions():
    """Installed torch and transformers releases (part of the cache key)."""
    found = {}
    for name in ("torch", "transformers"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - imported, not installed
            found[name] = None
    return found


def clear_model_cache():
    """Forget every model loaded by :class:`ContextualVectorizer`."""
    with _MODELS_LOCK:
        _MODELS.clear()


# --------------------------------------------------------------- model files
def _resolve_model_dir(model):
    """The local directory of ``model``: a path, or a name in the HF cache.

    Never downloads: a name is looked up in the local Hugging Face cache
    only (``HF_HOME`` / ``HF_HUB_CACHE``).
    """
    path = os.path.expanduser(os.fspath(model))
    if os.path.isdir(path):
        if not os.path.isfile(os.path.join(path, "config.json")):
            raise FileNotFoundError(
                f"model={model!r} is a directory without a config.json: expected "
                "a model directory written by save_pretrained() or downloaded "
                "with `hf download` / `huggingface-cli download` (config.json, "
                "the weights, and the tokenizer files)."
            )
        return os.path.abspath(path)
    if os.path.exists(path):
        raise FileNotFoundError(
            f"model={model!r} is a file; expected a model directory (the folder "
            "that holds config.json, the weights and the tokenizer files)."
        )
    found = None
    if path.count("/") <= 1 and not path.startswith((".", "/", "~")):
        try:
            from huggingface_hub import try_to_load_from_cache

            found = try_to_load_from_cache(path, "config.json")
        except Exception:  # noqa: BLE001 - a bad repo id is "not found" too
            found = None
    if isinstance(found, str) and os.path.isfile(found):
        return os.path.dirname(found)
    try:
        from huggingface_hub import constants

        cache = constants.HF_HUB_CACHE
    except ImportError:  # pragma: no cover - comes with transformers
        cache = "HF_HUB_CACHE"
    raise FileNotFoundError(
        f"model={model!r} is not a local directory, and no model of that name "
        f"is in the local Hugging Face cache ({cache}). skembed never "
        "downloads models: on a machine with network access run "
        f"`hf download {path}` (or `huggingface-cli download {path}`, or "
        "AutoModel/AutoTokenizer.from_pretrained(name).save_pretrained(dir)), "
        "then pass model='/path/to/that/directory' (or copy the cache)."
    )


def _file_entries(model_dir):
    entries = []
    for name in sorted(os.listdir(model_dir)):
        full = os.path.join(model_dir, name)
        if os.path.isfile(full):
            st = os.stat(full)
            # realpath: files of the HF cache are links to blobs named by hash
            entries.append((name, os.path.realpath(full), st.st_size, st.st_mtime_ns))
    return entries


def _fingerprint(model_dir):
    """``(identity, content)`` hashes of a model directory.

    ``identity`` changes when any file of the directory is rewritten (path,
    size, modification time, link target: no read of the weights); it keys
    the model cache and the stored vectors. ``content`` (config.json bytes
    and file sizes) is what a copy on another machine keeps.
    """
    entries = _file_entries(model_dir)
    with open(os.path.join(model_dir, "config.json"), "rb") as fh:
        config = hashlib.sha256(fh.read()).hexdigest()
    identity = hashlib.sha256(repr((model_dir, entries, config)).encode()).hexdigest()
    content = hashlib.sha256(
        repr((config, [(name, size) for name, _, size, _ in entries])).encode()
    ).hexdigest()
    return identity, content


@contextlib.contextmanager
def _quiet_transformers(transformers, quiet):
    """Hide the progress bars transformers prints while loading weights."""
    logging = transformers.utils.logging
    was_enabled = quiet and logging.is_progress_bar_enabled()
    if was_enabled:
        logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            logging.enable_progress_bar()


def _load_from_dir(model_dir, device, quiet=True):
    """Load ``(model, tokenizer)`` from a local directory, in eval mode."""
    torch, transformers = _import_backend()
    with _quiet_transformers(transformers, quiet):
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                model_dir, local_files_only=True
            )
            model = transformers.AutoModel.from_pretrained(
                model_dir, local_files_only=True
            )
        except (OSError, ValueError) as exc:
            raise OSError(
                f"Could not load a model and tokenizer from {model_dir!r} with "
                "transformers' AutoModel/AutoTokenizer: "
                f"{exc}"
            ) from exc
    model.eval()
    if str(device) == "cpu" and model.dtype in (torch.float16, torch.bfloat16):
        model.float()  # half precision is slow and inexact on CPUs
    model.to(device)
    return model, tokenizer


def _cached_model(model_dir, identity, device, quiet=True):
    key = (model_dir, identity, str(device))
    with _MODELS_LOCK:
        if key in _MODELS:
            _MODELS.move_to_end(key)
            return _MODELS[key]
    loaded = _load_from_dir(model_dir, device, quiet=quiet)
    with _MODELS_LOCK:
        _MODELS[key] = loaded
        _MODELS.move_to_end(key)
        while len(_MODELS) > _MODEL_CACHE_SIZE:
            _MODELS.popitem(last=False)
    return loaded


def _resolve_device(device, torch):
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} but CUDA is not available to torch "
                f"{torch.__version__} (a CPU-only build, or no GPU visible). "
                "Use device='cpu', or device='auto' to use a GPU only when "
                "there is one."
            )
        return device
    if device == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ValueError("device='mps' but the MPS backend is not available.")
        return device
    if device != "cpu":
        raise ValueError(
            f"device must be 'cpu', 'cuda', 'cuda:N', 'mps' or 'auto'; got {device!r}."
        )
    return device


def _model_limit(model, tokenizer):
    """Longest input (in tokens, special tokens included) the model takes."""
    config = model.config
    limits = []
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        if getattr(config, "model_type", None) in _OFFSET_POSITION_MODELS:
            positions -= 2
        limits.append(positions)
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 1_000_000:
        limits.append(tok_max)
    return min(limits) if limits else 512


def _sentence_transformers_length(model_dir):
    """``max_seq_length`` of a sentence-transformers folder, or None.

    Sentence-embedding models are trained and used with inputs shorter than
    their position limit (all-MiniLM-L6-v2: 256 of 512 tokens); their
    ``sentence_bert_config.json`` says how long.
    """
    try:
        with open(os.path.join(model_dir, "sentence_bert_config.json")) as fh:
            value = json.load(fh).get("max_seq_length")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, int) and value > 0 else None


#: sentence-transformers' pooling flags (1_Pooling/config.json) -> ours
_ST_POOLING = {"pooling_mode_cls_token": "cls", "pooling_mode_mean_tokens": "mean"}


def _sentence_transformers_head(model_dir):
    """``(pooling, norm, problem)`` a sentence-transformers folder states:
    the modules after the encoder in ``modules.json`` (a ``Pooling``
    module's ``config.json``, a ``Normalize`` module); ``("mean", None,
    None)`` for other folders.

    A pooling this vectorizer does not compute (max, weighted mean, last
    token, several at once) gives ``pooling=None`` and ``problem``, the
    message ``fit`` raises for ``pooling="auto"``: it never silently
    differs from what the model was trained with.
    """
    try:
        with open(os.path.join(model_dir, "modules.json")) as fh:
            modules = json.load(fh)
        kinds = {str(m["type"]).rsplit(".", 1)[-1]: m for m in modules}
    except (OSError, ValueError, TypeError, KeyError):
        return "mean", None, None
    norm = "l2" if "Normalize" in kinds else None
    if "Pooling" not in kinds:
        return "mean", norm, None
    path = os.path.join(model_dir, str(kinds["Pooling"].get("path", "")), "config.json")
    try:
        with open(path) as fh:
            config = json.load(fh)
    except (OSError, ValueError):
        return "mean", norm, None
    modes = sorted(k for k, v in config.items() if k.startswith("pooling_mode") and v)
    if len(modes) == 1 and modes[0] in _ST_POOLING:
        return _ST_POOLING[modes[0]], norm, None
    return (
        None,
        norm,
        (
            f"pooling='auto': the sentence-transformers model in {model_dir!r} pools "
            f"with {modes or 'no mode'} ({path}); ContextualVectorizer computes "
            "'mean' or 'cls' only. Pass pooling='mean' or 'cls' explicitly (the "
            "vectors will differ from the model's own)."
        ),
    )
