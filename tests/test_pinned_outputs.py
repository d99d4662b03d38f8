"""Outputs of every public estimator in its main modes, pinned.

Pinned before the package layout of issue #13 moved the code, so that any
change of results by a refactoring fails here. Two kinds of pins, so that a
change of OUR code fails on every machine but a change of LAPACK / BLAS
rounding (another OpenBLAS or MKL build) does not:

* outputs computed without BLAS (the numba kernels, sparse products, sums):
  a SHA-256 digest of their bytes, bit-exact (``DIGESTS``);
* outputs that go through BLAS or LAPACK (SIF's eigen-decomposition, the
  entity network's matrix products, cosine similarities, the transformer
  encoder): compared with the committed ``fixtures/pinned_outputs.npz``
  at ``rtol=RTOL`` (``CLOSE`` lists them). A code change that changes results
  moves them far more than that; another BLAS moves them by a few ulps.

Keys, ids and selected sentences are compared exactly in both cases.

After a deliberate change of results, regenerate with
``python -m tests.test_pinned_outputs`` (from the repository root), check
the diff of the digests, and say why in the commit message.
"""

import atexit
import fnmatch
import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests._cases import CASES, OTHER_CASES, SUMMARY_DOCS

FIXTURE = Path(__file__).parent / "fixtures" / "pinned_outputs.npz"

#: relative tolerance of the BLAS / LAPACK-dependent outputs
RTOL = 1e-4

#: outputs (``case/output``, fnmatch patterns) that depend on BLAS / LAPACK
CLOSE = (
    "w2v-sif-cbow/*",
    "w2v-pretrained/*",
    "w2v-fine-tuned/*",
    "entity-*/*",
    "item2vec*/*most_similar*",
    "item2vec*/*recommend*",
    "contextual-*/*",
    "summarize-*/*",
    "summarizer-*/*",
    "keyedvectors/*",
    "prone-*/*",
    "netmf-*/*",
    "propagation-*/*",
)


def _contextual(pooling):
    def build():
        pytest.importorskip("torch")
        pytest.importorskip("transformers")
        import tempfile

        import torch
        from transformers import AutoTokenizer, BertConfig, BertModel

        from skembed import ContextualVectorizer

        docs = [d.lower() for d in SUMMARY_DOCS[:2]] + ["a cat", "the dog ran"]
        path = tempfile.mkdtemp(prefix="skembed-pinned-bert-")
        atexit.register(shutil.rmtree, path, True)
        words = sorted({w.strip(".") for d in docs for w in d.split()})
        with open(os.path.join(path, "vocab.txt"), "w", encoding="utf8") as fh:
            fh.write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]))
        with open(os.path.join(path, "tokenizer_config.json"), "w") as fh:
            json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True}, fh)
        tok = AutoTokenizer.from_pretrained(path)
        config = BertConfig(
            vocab_size=5 + len(words), hidden_size=8, num_hidden_layers=1,
            num_attention_heads=2, intermediate_size=16, max_position_embeddings=32,
        )  # fmt: skip
        model = BertModel(config)
        rng = np.random.RandomState(0)  # weights from NumPy: not torch's RNG
        with torch.no_grad():
            for p in model.parameters():
                w = rng.normal(0, 0.3, p.shape).astype(np.float32)
                p.copy_(torch.from_numpy(w))
        model.save_pretrained(path)
        tok.save_pretrained(path)
        est = ContextualVectorizer(model=path, pooling=pooling, max_length=12)
        est.fit(docs)
        return est, [("transform", docs[::-1])], (docs,)

    return build


def _keyedvectors():
    from skembed import KeyedVectors

    rng = np.random.RandomState(0)
    kv = KeyedVectors([f"k{i}" for i in range(20)], rng.normal(size=(20, 5)))
    return kv, [("most_similar", "k3"), ("most_similar_cosmul", "k4")], None


def _summarize():
    from skembed import split_sentences, summarize

    text = SUMMARY_DOCS[0] + " " + SUMMARY_DOCS[1]
    return (
        None,
        [
            ("summarize", summarize(text, 2)),
            ("summarize-indices", summarize(text, 2, output="indices")),
            ("split_sentences", split_sentences(text)),
        ],
        None,
    )


ALL_CASES = {
    **CASES,
    **OTHER_CASES,
    "contextual-mean": _contextual("mean"),
    "contextual-cls": _contextual("cls"),
    "keyedvectors": _keyedvectors,
    "summarize-function": _summarize,
}


def _arrays(out):
    """An output as a list of NumPy arrays (numbers, or str for keys)."""
    if isinstance(out, (pd.DataFrame, pd.Series)):
        out = out.to_numpy()
    if isinstance(out, np.ndarray):
        if out.dtype == object:
            return [np.array([str(v) for v in out.ravel()])]
        return [out]
    if isinstance(out, tuple):
        return [a for part in out for a in _arrays(part)]
    if isinstance(out, list) and out and all(isinstance(t, tuple) for t in out):
        keys = np.array([str(t[0]) for t in out])
        return [keys, np.array([t[1] for t in out], dtype=np.float64)]
    if isinstance(out, list):
        if all(isinstance(v, (int, np.integer)) for v in out):
            return [np.array(out, dtype=np.int64)]
        return [np.array([str(v) for v in out])]
    return [np.asarray(out)]


def outputs(name):
    """``{"case/output/j": array}`` for one case."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est, calls, fit_args = ALL_CASES[name]()
        raw = []
        for i, (method, arg) in enumerate(calls):
            if est is None:  # a function's outputs, computed by the builder
                raw.append((f"{i}.{method}", arg))
            else:
                raw.append((f"{i}.{method}", getattr(est, method)(arg)))
        if fit_args is not None:
            raw.append(("fit_transform", est.fit_transform(*fit_args)))
    return {
        f"{name}/{key}/{j}": arr
        for key, out in raw
        for j, arr in enumerate(_arrays(out))
    }


def _digest(arr):
    h = hashlib.sha256(f"{arr.dtype.str}{arr.shape}".encode())
    h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()[:16]


def _close(key):
    return any(fnmatch.fnmatch(key, p) for p in CLOSE)


@pytest.fixture(scope="module")
def pinned():
    return load_pinned()


def load_pinned():
    with np.load(FIXTURE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def check_pinned(got, pinned, digests=None):
    """Each output of ``got`` equals its pinned value (bits, or RTOL).

    Bits are compared with ``DIGESTS``, or with ``digests`` where given (the
    pins of an earlier release, for files saved then)."""
    digests = {**DIGESTS, **(digests or {})}
    for key, arr in got.items():
        ref = pinned[key]
        assert arr.shape == ref.shape and arr.dtype == ref.dtype, key
        if arr.dtype.kind != "f":
            np.testing.assert_array_equal(arr, ref, err_msg=key)
        elif _close(key):
            finite = np.abs(ref[np.isfinite(ref)])
            scale = max(1.0, float(finite.max(initial=0.0)))
            np.testing.assert_allclose(
                arr, ref, rtol=RTOL, atol=RTOL * scale, err_msg=key
            )
        else:
            assert _digest(arr) == digests[key], f"{key}: bits changed"


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_outputs_are_pinned(name, pinned):
    got = outputs(name)
    want = {k for k in pinned if k.startswith(name + "/")}
    assert sorted(got) == sorted(want), "outputs added or lost"
    check_pinned(got, pinned)


def _regenerate():
    arrays, digests = {}, {}
    for name in sorted(ALL_CASES):
        for key, arr in outputs(name).items():
            arrays[key] = arr
            if arr.dtype.kind == "f" and not _close(key):
                digests[key] = _digest(arr)
    FIXTURE.parent.mkdir(exist_ok=True)
    np.savez_compressed(FIXTURE, **arrays)
    print("DIGESTS = {")
    for key, d in digests.items():
        print(f"    {key!r}: {d!r},")
    print("}")


#: bit-exact digests of the BLAS-free float outputs (generated by _regenerate)
DIGESTS = {
    'd2v-dbow/0.transform/0': '2b6e093483d03e35',
    'd2v-dbow/fit_transform/0': '16b06e79799e7546',
    'd2v-words-l2/0.transform/0': 'e6ab2cad0dc3d45f',
    'd2v-words-l2/fit_transform/0': '3638527434b23d2f',
    'deepwalk-digraph/0.transform/0': '5c2a9b21eb6dcfd8',
    'deepwalk-digraph/fit_transform/0': '782ccc255766c84f',
    'edges-clone/0.transform/0': 'e2cbe220d4f02541',
    'edges-clone/fit_transform/0': '281b73deb4ca9621',
    'edges-prefit/0.transform/0': 'e2cbe220d4f02541',
    'edges-prefit/fit_transform/0': '281b73deb4ca9621',
    'fasttext-mean/0.transform/0': '68dd415a7ca854a3',
    'fasttext-mean/fit_transform/0': 'f75b6268c60303c3',
    'fasttext-tfidf/0.transform/0': 'ba3b52a0db0fbef0',
    'fasttext-tfidf/fit_transform/0': '8463778a0910cd20',
    'item2vec/0.transform/0': 'fe83e3d8222dce21',
    'item2vec/fit_transform/0': '92a6a890cfd5e8ac',
    'item2vec-sampled/0.transform/0': 'df4582f7d2e648b5',
    'item2vec-sampled/fit_transform/0': 'a800055b065599dc',
    'item2vec-sequence/0.transform/0': '5878146106327b5e',
    'item2vec-sequence/fit_transform/0': '1faeea0bc2c5d839',
    'item2vec-shuffle/0.transform/0': 'e183584fd558e8f6',
    'item2vec-shuffle/fit_transform/0': '7e6cff44cd2c64eb',
    'line-dense/0.transform/0': 'bc8f210135d2564f',
    'line-dense/1.transform/0': '865ea908ee5466d2',
    'line-dense/2.transform/0': '283f029f6bf2bbfe',
    'line-dense/fit_transform/0': '3256357e7bf01763',
    'line-edges/0.transform/0': '1659e4f42f6cb33c',
    'line-edges/fit_transform/0': '4101f78de5c53638',
    'line-graph-frame/0.transform/0': 'ab7ec129ab42a3ab',
    'line-graph-frame/fit_transform/0': '7b54d1b8f593f47a',
    'line-sparse/0.transform/0': 'bc8f210135d2564f',
    'line-sparse/1.transform/0': '865ea908ee5466d2',
    'line-sparse/2.transform/0': '283f029f6bf2bbfe',
    'line-sparse/fit_transform/0': '3256357e7bf01763',
    'node2vec-edges/0.transform/0': '5ef42027ef70a49d',
    'node2vec-edges/fit_transform/0': '3e4910acd447547f',
    'node2vec-graph/0.transform/0': '1e9beb110ddbd76f',
    'node2vec-graph/fit_transform/0': '4314402980488750',
    'w2v-cjk/0.transform/0': '9ed69929a5871fc3',
    'w2v-cjk/fit_transform/0': 'c8fa80833d59a81e',
    'w2v-max-stopwords/0.transform/0': '1008e1d35360b9b6',
    'w2v-max-stopwords/fit_transform/0': 'c887832c5081443d',
    'w2v-mean/0.transform/0': '9ed69929a5871fc3',
    'w2v-mean/fit_transform/0': 'c8fa80833d59a81e',
    'w2v-skipgram-more/0.transform/0': '5fc06991ac658452',
    'w2v-skipgram-more/fit_transform/0': '43b3b7cbc89b96fc',
    'w2v-tfidf-l2/0.transform/0': '6c7ffbd8949bee83',
    'w2v-tfidf-l2/fit_transform/0': 'dbbd287d2df83462',
}

if __name__ == "__main__":
    _regenerate()
