"""Files written by ``save_model`` before the package layout of issue #13
(``fixtures/saved/``, one per family) still load, and transform exactly as
the estimators they were saved from did (the values pinned in
``fixtures/pinned_outputs.npz``, see ``test_pinned_outputs.py``).

The files were written once, by ``python -m tests.persist.test_saved_files``; do
not regenerate them to make this test pass: a file that no longer loads is
a broken promise to users who saved models.

The entity model changed on purpose in issue #14 (level effects before the
embeddings), so the pinned outputs moved; entity files saved before keep
working as the model they were saved from, checked against that model's
outputs (``entity_outputs_before_14.npz``, the pins of that time).

Item2Vec's ``recommend(recency="auto")`` of issue #16 follows the fitted
``recency_``; a model saved before it has none and keeps the 0.8 weighting
it was saved with, so its scores are checked against the pins of that time
(``item2vec_outputs_before_16.npz``), where today's fit of the (shuffled)
fixture baskets finds no time order and weighs the query alike.

The walk embedders train in gensim's order from gensim's start since issue
#15, so their pinned outputs moved; a saved walk model transforms with the
vectors it was saved with, checked against the pins of that time
(``walk_outputs_before_15.npz``).
"""

import numpy as np

import warnings
from pathlib import Path

import pytest

from skembed import load_model, save_model
from tests._cases import CASES
from tests.test_pinned_outputs import _arrays, _digest, check_pinned, load_pinned

SAVED = Path(__file__).resolve().parents[1] / "fixtures" / "saved"
BEFORE_14 = SAVED / "entity_outputs_before_14.npz"
BEFORE_16 = SAVED / "item2vec_outputs_before_16.npz"
BEFORE_15 = SAVED / "walk_outputs_before_15.npz"

#: one small model per family and per kind of nested object
FILES = (
    "w2v-tfidf-l2",  # text: vocabulary, KeyedVectors, idf
    "w2v-fine-tuned",  # text: pretrained KeyedVectors, SIF state
    "entity-binary-cv",  # tables: EmbeddingNet, categories, numeric columns
    "entity-multiclass",  # tables: hidden layer, classes_, float64
    "item2vec",  # items
    "node2vec-graph",  # graphs: networkx graph parameter
    "deepwalk-digraph",  # graphs: RandomState parameter, tuple node ids
    "line-graph-frame",  # graphs: DataFrame parameter
    "edges-prefit",  # graphs: a nested fitted embedder
)


@pytest.mark.parametrize("name", FILES)
def test_files_saved_before_the_layout_still_load(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _, calls, _ = CASES[name]()
        est = load_model(SAVED / f"{name}.skembed")
    got = {
        f"{name}/{i}.{method}/{j}": arr
        for i, (method, arg) in enumerate(calls)
        for j, arr in enumerate(_arrays(getattr(est, method)(arg)))
    }
    assert got
    pinned = load_pinned()
    before = {}
    before_file = {
        "entity-": BEFORE_14,
        "item2vec": BEFORE_16,
        "node2vec-": BEFORE_15,
        "deepwalk-": BEFORE_15,
        "edges-": BEFORE_15,
    }
    for prefix, path in before_file.items():
        if name.startswith(prefix):
            with np.load(path, allow_pickle=False) as f:
                before = {k: f[k] for k in f.files}
    pinned = {**pinned, **before}
    check_pinned(got, pinned, digests={k: _digest(v) for k, v in before.items()})


def _write():
    SAVED.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            est, _, _ = CASES[name]()
        save_model(est, SAVED / f"{name}.skembed", compress=True)


if __name__ == "__main__":
    _write()
