"""Small fitted estimators of every family, shared by the persistence tests,
the pinned-output test and the saved-file fixtures.

``CASES``: estimators that ``save_model`` supports, one builder per main
mode. ``OTHER_CASES``: the public estimators outside the file format
(summarizer, contextual). A builder returns ``(fitted estimator, calls,
fit_args)``: ``calls`` are ``(method, argument)`` pairs to compare, and
``fit_args`` refit the estimator with ``fit_transform(*fit_args)``.
"""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skembed import (
    DeepWalkEmbedder,
    Doc2VecVectorizer,
    EdgeFeatures,
    EntityEmbeddingEncoder,
    ExtractiveSummarizer,
    FastTextVectorizer,
    Item2VecTransformer,
    KeyedVectors,
    LINEEmbedder,
    NetMFEmbedder,
    Node2VecEmbedder,
    ProNEEmbedder,
    SpectralPropagation,
    Word2VecVectorizer,
)

nx = pytest.importorskip("networkx")

DOCS = [
    "the cat sat on the mat",
    "dogs chase cats",
    "a cat and a dog",
    "the dog sat on a log",
    "cats and dogs",
] * 8
BASKETS = [["a", "b", "c"], ["c", "d"], [1, "d", "e"], ["b", "e", 1]] * 10
RING = [(f"n{i}", f"n{(i * 7 + 3) % 30}") for i in range(30)] + [
    (f"n{i}", f"n{i + 1}") for i in range(29)
]


def _table(seed=0, n=150):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "a": rng.choice(list("abcde"), n),
            "b": rng.choice([1, 2, 3, 4], n).astype(object),
            "num": rng.normal(size=n),
        }
    )
    X.loc[::17, "a"] = None
    return X, rng


def _targets(kind):
    X, rng = _table()
    if kind == "continuous":
        y = (X["a"] == "a").to_numpy() + rng.normal(0, 0.1, len(X))
    elif kind == "binary":
        y = np.where(X["a"] == "b", "yes", "no")
    else:
        y = rng.choice([3, 5, 7], len(X))
    return X, y


def _karate():
    return nx.karate_club_graph()


# name -> builder returning (fitted estimator, [(method, args), ...], fit args)
def _w2v(pooling, **kw):
    def build():
        est = Word2VecVectorizer(
            n_components=6,
            min_count=1,
            n_epochs=1,
            random_state=0,
            pooling=pooling,
            **kw,
        ).fit(DOCS)
        return est, [("transform", DOCS[:7])], (DOCS,)

    return build


def _w2v_pretrained(fine_tune):
    def build():
        kv = KeyedVectors(
            ["cat", "dog", "mat", "sat", "the"],
            np.arange(15, dtype=np.float32).reshape(5, 3) / 7,
            counts=[5, 4, 3, 2, 1],
        )
        est = Word2VecVectorizer(
            vectors=kv, fine_tune=fine_tune, min_count=1, pooling="sif", random_state=0
        ).fit(DOCS)
        return est, [("transform", DOCS[:7])], (DOCS,)

    return build


def _fasttext(pooling):
    def build():
        est = FastTextVectorizer(
            n_components=6, min_count=2, n_epochs=1, bucket=5000, random_state=0,
            pooling=pooling,
        ).fit(DOCS)
        new = DOCS[:5] + ["the cats sate on mats", "zzzz"]
        return est, [("transform", new)], (DOCS,)

    return build


def _d2v(**kw):
    def build():
        est = Doc2VecVectorizer(
            n_components=6, min_count=1, n_epochs=2, random_state=0, **kw
        ).fit(DOCS)
        return est, [("transform", DOCS[:7] + ["unknown words"])], (DOCS,)

    return build


def _entity(kind, cv, **kw):
    def build():
        X, y = _targets(kind)
        est = EntityEmbeddingEncoder(
            n_epochs=2, random_state=0, cv=cv, include_prediction=True, **kw
        )
        est.fit_transform(X, y)
        X_new = X.iloc[:20].copy()
        X_new.loc[X_new.index[0], "a"] = "unseen"
        return est, [("transform", X_new), ("predict_net", X_new)], (X, y)

    return build


def _item2vec(**params):
    """``item2vec``: the all-pairs set context, the default until #16 (the
    model saved in ``fixtures/saved/item2vec.skembed``); ``item2vec-sampled``:
    today's default sampled set context."""

    def build():
        est = Item2VecTransformer(
            n_components=6, n_epochs=2, random_state=0, **params
        ).fit(BASKETS)
        return est, [
            ("transform", BASKETS[:5] + [["zzz"]]),
            ("most_similar", "a"),
            ("recommend", ["a", "b"]),
        ], (BASKETS,)

    return build


def _node2vec_edges():
    est = Node2VecEmbedder(
        n_components=6, walk_length=6, n_walks=2, p=0.5, q=2.0, random_state=0
    ).fit(RING)
    return est, [("transform", ["n0", "n5", "n29"])], (RING,)


def _node2vec_graph_param():
    est = Node2VecEmbedder(
        n_components=6,
        walk_length=6,
        n_walks=2,
        graph=_karate(),
        handle_unknown="zeros",
        random_state=0,
    ).fit([0, 1, 2])
    return est, [("transform", [0, 33, 99])], ([0, 1, 2],)


def _deepwalk():
    G = nx.DiGraph()
    G.add_edge((1, "a"), 2.5, weight=2.0)
    G.add_edge(2.5, "x", weight=0.5)
    G.add_edge("x", (1, "a"), weight=1.0)
    est = DeepWalkEmbedder(
        n_components=6, walk_length=6, n_walks=2, random_state=np.random.RandomState(3)
    ).fit(G)
    return est, [("transform", ["x", (1, "a")])], (G,)


def _line(adjacency):
    def build():
        A = nx.to_numpy_array(_karate())
        X = sp.csr_matrix(A) if adjacency == "sparse" else A
        if adjacency == "edges":
            X = pd.DataFrame(RING, columns=["src", "dst"])
        est = LINEEmbedder(n_components=6, n_samples=3000, random_state=0).fit(X)
        if adjacency == "edges":
            return est, [("transform", ["n1", "n2"])], (X,)
        new = np.zeros((2, 34))
        new[0, [0, 1]] = 1.0
        calls = [("transform", A[:5]), ("transform", new), ("transform", [0, 3])]
        return est, calls, (X,)

    return build


def _line_graph_param():
    edges = pd.DataFrame(RING, columns=["u", "v"]).assign(w=np.arange(59) % 3 + 1.0)
    est = LINEEmbedder(n_components=6, n_samples=3000, graph=edges, random_state=0).fit(
        ["n0", "n1"]
    )
    return est, [("transform", ["n0", "n3"])], (["n0", "n1"],)


def _edges(prefit):
    def build():
        # hs=False: the vectors of the model saved in fixtures/saved before
        # DeepWalk's default became hs=True (propagation-deepwalk pins hs=True)
        emb = DeepWalkEmbedder(
            n_components=6, walk_length=6, n_walks=2, graph=_karate(),
            random_state=0, hs=False,
        )
        if prefit:
            emb.fit([0])
        est = EdgeFeatures(emb, operator="l2", prefit=prefit).fit([(0, 1), (2, 3)])
        return est, [("transform", [(0, 1), (5, 6), (33, 2)])], ([(0, 1), (2, 3)],)

    return build


def _prone():
    G = _karate()
    est = ProNEEmbedder(n_components=6, random_state=0).fit(G)
    return est, [("transform", [0, 33, 5])], (G,)


def _prone_graph_param():
    edges = pd.DataFrame(RING, columns=["u", "v"]).assign(w=np.arange(59) % 3 + 1.0)
    est = ProNEEmbedder(
        n_components=6, graph=edges, handle_unknown="zeros", random_state=0
    ).fit(["n0", "n1"])
    return est, [("transform", ["n0", "n3", "zz"])], (["n0", "n1"],)


def _netmf():
    G = _karate()
    est = NetMFEmbedder(n_components=6, random_state=0).fit(G)
    return est, [("transform", [0, 33, 5])], (G,)


def _propagation():
    G = _karate()
    est = SpectralPropagation(
        DeepWalkEmbedder(n_components=6, walk_length=6, n_walks=2, random_state=0)
    ).fit(G)
    return est, [("transform", [0, 33])], (G,)


CASES = {
    "w2v-mean": _w2v("mean"),
    "w2v-tfidf-l2": _w2v("tfidf", norm="l2"),
    "w2v-sif-cbow": _w2v("sif", algorithm="cbow"),
    "w2v-max-stopwords": _w2v("max", stop_words=["the"], token_pattern=r"\w+"),
    "w2v-cjk": _w2v("mean", tokenizer="cjk"),
    "w2v-pretrained": _w2v_pretrained(False),
    "w2v-fine-tuned": _w2v_pretrained(1),
    "entity-continuous": _entity("continuous", None, numeric_features=["num"]),
    "entity-continuous-cv": _entity("continuous", 3, handle_unknown="return_nan"),
    "entity-binary": _entity("binary", None, handle_missing="return_nan"),
    "entity-binary-cv": _entity("binary", 3, numeric_features=["num"]),
    "entity-multiclass": _entity(
        "multiclass",
        None,
        hidden_layer_sizes=(8,),
        categorical_features=["a", "b"],
        dtype=np.float64,
    ),
    "entity-multiclass-cv": _entity(
        "multiclass", 2, min_frequency=5, n_components={"a": 2, "b": 3}
    ),
    "item2vec": _item2vec(n_context=None),
    "item2vec-sampled": _item2vec(),
    "node2vec-edges": _node2vec_edges,
    "node2vec-graph": _node2vec_graph_param,
    "deepwalk-digraph": _deepwalk,
    "line-dense": _line("dense"),
    "line-sparse": _line("sparse"),
    "line-edges": _line("edges"),
    "line-graph-frame": _line_graph_param,
    "edges-prefit": _edges(True),
    "edges-clone": _edges(False),
    "prone-karate": _prone,
    "prone-graph-frame": _prone_graph_param,
    "propagation-deepwalk": _propagation,
    "netmf-karate": _netmf,
}


def _item2vec_context(context):
    def build():
        est = Item2VecTransformer(
            n_components=6, n_epochs=2, context=context, window=2, random_state=0
        ).fit(BASKETS)
        return est, [("transform", BASKETS[:5]), ("most_similar", "b")], (BASKETS,)

    return build


CASES["item2vec-sequence"] = _item2vec_context("sequence")
CASES["item2vec-shuffle"] = _item2vec_context("shuffle")
CASES["fasttext-mean"] = _fasttext("mean")
CASES["fasttext-tfidf"] = _fasttext("tfidf")
CASES["w2v-skipgram-more"] = _w2v("mean", window=3, negative=3, sample=0.0)
CASES["d2v-dbow"] = _d2v()
CASES["d2v-words-l2"] = _d2v(train_words=True, norm="l2", infer_epochs=3)

SUMMARY_DOCS = [
    "The cat sat on the mat. The dog sat on the log. Cats and dogs are pets. "
    "A mat is on the floor. The log is in the garden.",
    "Dogs chase cats. Cats chase mice. Mice eat cheese. The cheese is on the "
    "mat. Nobody chases the cheese.",
] * 3


def _summarizer(vectorizer):
    def build():
        est = ExtractiveSummarizer(
            vectorizer=vectorizer, n_sentences=2, random_state=0
        ).fit(SUMMARY_DOCS)
        calls = [("transform", SUMMARY_DOCS[:2])]
        return est, calls, (SUMMARY_DOCS,)

    return build


OTHER_CASES = {
    "summarizer-tfidf": _summarizer("tfidf"),
    "summarizer-word2vec": _summarizer("word2vec"),
}
