"""Node2VecEmbedder, DeepWalkEmbedder and EdgeFeatures: graphs to node vectors.

Random walks (numba, :mod:`skembed._graph._walk_kernels`) are fed as an
integer corpus to the shared skip-gram-with-negative-sampling engine
(:func:`train_sgns`).
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    clone,
)
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._compat import HasMethods, Interval, StrOptions, _fit_context
from .._engine._base import _BaseSGNS
from .._dataframes import as_pandas
from .._engine._driver import train_sgns
from .._engine._vocab import keep_probabilities
from .._fitted import INT, check_width, instance_of
from .._progress import CallbackSupportMixin, Progress
from .._scaleout import LazyTransformMixin, reject_lazy
from .._validation import numba_threads
from . import _walk_kernels
from ._base import COLUMN_CONSTRAINTS, _GraphEmbedderMixin
from ._checks import graph_arrays

__all__ = ["DeepWalkEmbedder", "EdgeFeatures", "Node2VecEmbedder"]

#: tokens per block of walks handed to the engine (about 4 MiB of int32);
#: depends on nothing but walk_length, so results never depend on the
#: thread count
WALK_BLOCK_TOKENS = 2**20
#: walk corpora up to this many bytes are generated once and kept; larger
#: ones are re-generated block by block on every pass (walks are a pure
#: function of the seed and the walk index, so every pass sees the same walks)
KEEP_WALK_BYTES = 16 * 2**20
#: with in-task progress (verbose=2 or callbacks), a block of walks is
#: generated in this many parts, reported between them
WALK_PARTS = 10


#: the input vectors start at this many times word2vec.c's uniform
#: ``[-0.5, 0.5) / n_components``: 2 is gensim 4's ``[-1, 1) /
#: n_components``, so pecanpy's. The output vectors start at zero, so the
#: first updates of both scale with this start. gensim's start, chosen as
#: the reference's, not fitted: with the output vectors updated per pair
#: (below; macro-F1, 3 seeds paired, benchmarks/drivers/n2v_parity.py)
#: 1 -> 2 gave Cora 0.8032 -> 0.8059, Wiki 0.5140 -> 0.5213 (every seed
#: up) but SBM-10k 0.6890 -> 0.6846 and LFR-10k 0.8942 -> 0.8928 (every
#: seed down); pecanpy 0.8055 / 0.5201 / 0.6801 / 0.8947. Larger starts
#: help the small graphs more and hurt the 10k ones more (8x, accumulated
#: updates: Cora 0.808, Wiki 0.522, SBM seed 0 -0.015). Fit CPU unchanged.
#: (benchmarks/results/graph.md, 2026-12-03.)
WALK_INIT_SCALE = 2.0

#: the output vectors of the centre and of its shared negatives are updated
#: after every pair of a window, in gensim's order, rather than once per
#: window from the summed gradients (``train_sgns(output_per_pair=True)``):
#: the same arithmetic, and each context node scores against the vectors
#: the pairs before it moved. With word2vec.c's start (scale 1), 3 seeds
#: paired, every seed up on every graph: Cora 0.7995 -> 0.8032, Wiki 0.5050
#: -> 0.5140, SBM-10k 0.6875 -> 0.6890, LFR-10k 0.8927 -> 0.8942.
WALK_OUTPUT_PER_PAIR = True

#: fewer trained occurrences per node than this (walk tokens kept by
#: subsampling, times epochs) warn that the vectors may stay untrained. On
#: the karate club (34 nodes, d=16, window 10) walk_length=20, n_walks=10,
#: sample=1e-3 and one epoch keep about 44 per node: mean pairwise cosine
#: 0.97, 3-fold faction accuracy 0.62 (chance 0.5); walk_length=80 (175 per
#: node) 0.81 / 0.97; 5 epochs (220) 0.89 / 0.94; sample=0 (200) 0.55 /
#: 0.94. On les misérables (77 nodes) the same settings keep 70 per node,
#: mean cosine 0.99; 280 per node gives 0.55.
MIN_TOKENS_PER_NODE = 100


def _check_corpus_size(counts, params, name):
    """Warn when the walks are too few to train the vectors."""
    active = int(np.count_nonzero(counts))
    if not active:
        return
    kept = float((counts * keep_probabilities(counts, params["sample"])).sum())
    per_node = kept * params["n_epochs"] / active
    if per_node >= MIN_TOKENS_PER_NODE:
        return
    share = kept / max(float(counts.sum()), 1.0)
    warnings.warn(
        f"{name}: the walk corpus is small for these settings: about "
        f"{per_node:.0f} trained occurrences per node (walk_length="
        f"{params['walk_length']} x n_walks={params['n_walks']} x n_epochs="
        f"{params['n_epochs']}, of which sample={params['sample']:g} keeps "
        f"{share:.0%}), below {MIN_TOKENS_PER_NODE}; the vectors may stay "
        "nearly untrained (all alike). Raise n_epochs, n_walks or walk_length, "
        "or lower sample (0 disables the subsampling of frequent nodes).",
        UserWarning,
        stacklevel=2,
    )


class _WalkCorpus:
    """Re-iterable CSR blocks of random walks, generated on demand."""

    def __init__(
        self, A, walk_length, n_walks, p, q, seed, perm_seed, n_jobs,
        sampler="rejection", alias_memory_limit=None,
    ):
        self.indptr, self.indices = graph_arrays(A)
        self.n_nodes = A.shape[0]
        data = A.data
        self.weighted = bool(data.size) and data.min() != data.max()
        if self.weighted:
            self.aprob, self.aalias = _walk_kernels.node_alias_tables(self.indptr, data)
        else:
            self.aprob = np.ones(1, dtype=np.float32)
            self.aalias = np.zeros(1, dtype=np.int32)
        active = np.flatnonzero(np.diff(self.indptr) > 0).astype(np.int32)
        rng = np.random.default_rng(perm_seed)
        # walk k starts at starts[k]: n_walks rounds over the nodes with an
        # out-edge, each round in a fresh random order
        self.starts = np.concatenate(
            [rng.permutation(active) for _ in range(n_walks)]
        ) if active.size else np.zeros(0, dtype=np.int32)
        self.walk_length = int(walk_length)
        self.p = float(p)
        self.q = float(q)
        self.seed = np.uint64(seed)
        self.n_jobs = n_jobs
        self._kept = None
        self.seconds = 0.0
        self.tables = None
        if sampler == "alias" and not (self.p == 1.0 and self.q == 1.0):
            need = int(_walk_kernels.alias_table_bytes(self.indptr, self.indices))
            if alias_memory_limit is not None and need > alias_memory_limit:
                raise ValueError(
                    f"sampler='alias' needs {need / 2**20:,.1f} MiB of "
                    "second-order alias tables for this graph (8 bytes per "
                    "in-degree x out-degree), above alias_memory_limit="
                    f"{alias_memory_limit / 2**20:,.1f} MiB. Use "
                    "sampler='rejection' (same distribution, O(|E|) memory) or "
                    "raise alias_memory_limit."
                )
            t0 = time.perf_counter()
            with numba_threads(n_jobs):
                self.tables = _walk_kernels.second_order_alias_tables(
                    self.indptr, self.indices, data, self.weighted, self.p, self.q
                )
            self.seconds += time.perf_counter() - t0

    def _walks(self, b, e):
        """Walks ``b`` to ``e`` (a pure function of the seed and the walk
        index): ``(walks, lengths)``."""
        if self.tables is None:
            return _walk_kernels.random_walks(
                self.indptr, self.indices, self.aprob, self.aalias,
                self.weighted, self.starts[b:e], self.walk_length, self.p,
                self.q, self.seed, b,
            )
        offsets, sprob, salias = self.tables
        return _walk_kernels.random_walks_alias(
            self.indptr, self.indices, self.aprob, self.aalias, self.weighted,
            offsets, sprob, salias, self.starts[b:e], self.walk_length,
            self.seed, b,
        )

    def _generate(self, progress=None):
        block_walks = max(1, WALK_BLOCK_TOKENS // self.walk_length)
        n_walks = self.starts.shape[0]
        # with in-task progress, a block is generated in parts (the same
        # walks, reported between the parts); the blocks stay the same
        parts = WALK_PARTS if progress is not None and progress.detailed else 1
        for b in range(0, n_walks, block_walks):
            t0 = time.perf_counter()
            e = min(b + block_walks, n_walks)
            if parts == 1:
                walks, lengths = self._walks(b, e)
            else:
                step = -(-(e - b) // parts)
                pieces = []
                for s in range(b, e, step):
                    pieces.append(self._walks(s, min(s + step, e)))
                    progress.advance(min(s + step, e))
                walks = np.concatenate([w for w, _ in pieces])
                lengths = np.concatenate([n for _, n in pieces])
            if lengths.min() == self.walk_length:  # no truncation: a view
                indptr = np.arange(
                    0, walks.size + 1, self.walk_length, dtype=np.int64
                )
                block = (indptr, walks.reshape(-1))
            else:
                block = _walk_kernels.walks_to_csr(walks, lengths)
            self.seconds += time.perf_counter() - t0
            yield block

    def __iter__(self):
        if self._kept is not None:
            return iter(self._kept)
        return self._generate()

    def count(self, progress=None):
        """First pass: node frequencies (and keep small corpora in memory);
        reported to ``progress`` as the task "walks"."""
        counts = np.zeros(self.n_nodes, dtype=np.int64)
        keep = self.starts.shape[0] * self.walk_length * 4 <= KEEP_WALK_BYTES
        kept = []
        if progress is not None:
            progress.start("walks", self.starts.shape[0], unit="walks")
        with numba_threads(self.n_jobs):
            for indptr, ids in self._generate(progress):
                counts += np.bincount(ids, minlength=self.n_nodes)
                if keep:
                    kept.append((indptr, ids))
        if progress is not None:
            progress.finish()
        if keep:
            self._kept = kept
        return counts


def _node2vec_learn(A, params, random_state, n_jobs, verbose, name):
    """Walks + SGNS on a validated CSR graph -> (embedding, info).

    A module-level function of plain arguments, so that ``joblib.Memory``
    can cache it.
    """
    rng = check_random_state(random_state)
    walk_seed = rng.randint(1, np.iinfo(np.int64).max, dtype=np.int64)
    perm_seed = int(rng.randint(0, np.iinfo(np.int32).max))
    corpus = _WalkCorpus(
        A, params["walk_length"], params["n_walks"], params.get("p", 1.0),
        params.get("q", 1.0), walk_seed, perm_seed, n_jobs,
        params.get("sampler", "rejection"), params.get("alias_memory_limit"),
    )
    progress = Progress(name, verbose)
    counts = corpus.count(progress)
    _check_corpus_size(counts, params, name)
    walk_seconds = corpus.seconds
    progress.log(
        f"walks: {corpus.starts.shape[0]:,} walks, "
        f"{int(counts.sum()):,} nodes visited in {walk_seconds:.2f} s"
    )
    res = train_sgns(
        corpus, counts, n_components=params["n_components"], sg=True,
        context="window", window=params["window"], shrink_window=True,
        negative=params["negative"], hs=params.get("hs", False),
        shared_negatives=params.get("shared_negatives", True),
        ns_exponent=params["ns_exponent"],
        sample=params["sample"], n_epochs=params["n_epochs"],
        learning_rate=params["learning_rate"], random_state=rng, n_jobs=n_jobs,
        verbose=verbose, name=name, progress=progress,
        init_scale=WALK_INIT_SCALE, output_per_pair=WALK_OUTPUT_PER_PAIR,
    )
    emb = res.w_in
    isolated = np.flatnonzero(counts == 0)
    emb[isolated] = 0.0
    info = {
        "loss_curve": res.loss_curve,
        "isolated": isolated,
        "walks": corpus.seconds,
        "training": res.seconds,
    }
    return emb, info


_WALK_CONSTRAINTS = {
    **{
        k: v
        for k, v in _BaseSGNS._parameter_constraints.items()
        if k != "min_count"
    },
    # 0 (no negative sampling) is allowed with hs=True
    "negative": [Interval(Integral, 0, None, closed="left")],
    "hs": ["boolean"],
    "shared_negatives": ["boolean", Interval(Integral, 2, None, closed="left")],
    "walk_length": [Interval(Integral, 2, None, closed="left")],
    "n_walks": [Interval(Integral, 1, None, closed="left")],
    "graph": "no_validation",
    "directed": ["boolean", None],
    "weighted": ["boolean", None],
    **COLUMN_CONSTRAINTS,
    "handle_unknown": [StrOptions({"error", "zeros", "neighbors"})],
    "memory": [None, "boolean", str, HasMethods(["cache"])],
}


class _BaseWalkEmbedder(
    _GraphEmbedderMixin, ClassNamePrefixFeaturesOutMixin, _BaseSGNS
):
    _learn_params = (
        "walk_length", "n_walks", "n_components", "window", "negative", "hs",
        "shared_negatives", "ns_exponent", "sample", "n_epochs", "learning_rate",
    )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn node vectors from random walks on the graph.

        Parameters
        ----------
        X : graph or array-like of node ids
            With ``graph=None``: the graph (networkx graph, square
            scipy/NumPy adjacency matrix, or edge list of ``(src, dst[,
            weight])`` rows). With ``graph=`` set: a column of node ids
            (only checked; the embedding is learnt on the whole graph).
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        return self._fit(X, _node2vec_learn)

    transform = _GraphEmbedderMixin.transform
    fit_transform = _GraphEmbedderMixin.fit_transform


class Node2VecEmbedder(_BaseWalkEmbedder):
    """node2vec: node vectors from biased random walks and skip-gram.

    Simulates ``n_walks`` second-order random walks of ``walk_length``
    nodes from every node (Grover & Leskovec, 2016) and trains skip-gram
    with negative sampling on them, treating walks as sentences. ``p`` and
    ``q`` bias the walks towards breadth-first (``q > 1``) or depth-first
    (``q < 1``) exploration; ``p = q = 1`` gives DeepWalk's uniform walks
    (see :class:`DeepWalkEmbedder`).

    Read more in the :ref:`User Guide <node2vec>`.

    Parameters
    ----------
    n_components : int, default=128
        Vector dimension (pecanpy ``--dimensions``, gensim ``vector_size``).
    walk_length : int, default=80
        Number of nodes in each walk, the start node included (pecanpy's
        ``--walk-length`` counts steps, i.e. one node fewer).
    n_walks : int, default=10
        Walks started from every node (``--num-walks``).
    p : float, default=1.0
        Return parameter: the unnormalised probability of stepping back to
        the previous node is ``w / p``.
    q : float, default=1.0
        In-out parameter: nodes not adjacent to the previous node get
        ``w / q``; neighbours of the previous node get ``w``.
    window : int, default=10
        Skip-gram window (each side, randomly shrunk per centre token as in
        word2vec).
    negative : int, default=5
        Negative samples per positive pair; 0 (with ``hs=True``) trains
        hierarchical softmax alone.
    hs : bool, default=False
        Also train hierarchical softmax over a Huffman tree of the node
        visit counts (gensim / word2vec.c ``hs=1``; DeepWalk's original
        objective). With ``negative > 0`` both objectives train every pair,
        as gensim does with ``hs=1, negative=5`` (OpenNE's DeepWalk). Costs
        about ``log2(n_nodes)`` extra dot products per pair.
    shared_negatives : bool or int, default=True
        ``True``: the ``negative`` samples are drawn once per centre node and
        shared by the pairs of its window, our speed trick (the output
        vectors are still updated after every pair, in gensim's order).
        ``False``: fresh negatives for every pair, as gensim (and so
        pecanpy) draw them, for about 25 % more fit CPU. An int ``k >= 2``:
        a fresh draw every ``k`` pairs of a window, in between. With the
        defaults (3 seeds, ``benchmarks/results/graph.md``) ``True`` scores
        0.806 (Cora) and 0.521 (Wiki) macro-F1, level with pecanpy's 0.806
        / 0.520; ``False`` 0.809 / 0.519 and ``4`` 0.809 / 0.522, within
        the seed spread, for 19-35 % and 2-8 % more fit CPU (unlocked).
    ns_exponent : float, default=0.75
        Exponent of the negative-sampling distribution (visit counts).
    sample : float, default=1e-3
        Sub-sampling threshold of frequent nodes (gensim's default, used by
        pecanpy and the reference implementation); 0 disables it.
    n_epochs : int, default=1
        Passes of SGNS over the walks (gensim ``epochs``; node2vec uses 1).
    learning_rate : float, default=0.025
        Initial learning rate, decayed linearly to 1e-4 (gensim ``alpha``).
    graph : graph, default=None
        If set, the graph is a hyper-parameter and ``X`` in ``fit`` and
        ``transform`` is a column of node ids, so the estimator can sit in a
        :class:`~sklearn.pipeline.Pipeline` before a classifier (walks and
        vectors are learnt on the whole graph, transductively). If None,
        ``fit(X)`` takes the graph itself.
    directed : bool, default=None
        Treat the graph as directed (walks follow out-edges). None: networkx's
        ``is_directed()``, asymmetry of a matrix, undirected for edge lists.
    weighted : bool, default=None
        Use edge weights (first-order transition probabilities proportional
        to them). None: weighted when the input has weights; False: all 1.
    source_col, target_col, weight_col : hashable, default=None
        Column names of an edge-list DataFrame (source, target, optional
        weight; other columns are ignored). None reads the columns by
        position: source, target, then weight if there is a third. Other
        graph inputs ignore them.
    handle_unknown : {"error", "zeros", "neighbors"}, default="error"
        Ids not in the fitted graph in ``transform``: raise a ``ValueError``
        listing some of them, return zero vectors, or return the weighted
        mean vector of their fitted neighbours in the graph passed as
        ``transform(X, graph=...)`` (zeros when there is none).
    sampler : {"rejection", "alias"}, default="rejection"
        How second-order steps are drawn. "rejection": exact rejection
        sampling in ``O(|E|)`` memory (the default; fine for any graph).
        "alias": precomputed alias tables per edge (pecanpy's PreComp, the
        reference implementation), O(1) per step but 8 bytes per
        (in-degree x out-degree) of every node -- Σ deg² for undirected
        graphs, which explodes on hubs. Same distribution, other random
        draws. Ignored when ``p == q == 1``.
    alias_memory_limit : int or None, default=2**30
        Bytes the alias tables may take; ``sampler="alias"`` raises a
        ``ValueError`` giving the estimate when they would need more. None
        removes the limit.
    memory : None, bool, str or joblib.Memory, default=None
        Caching of the learnt embedding, keyed by the graph's content, the
        parameters above and an integer ``random_state`` (never used for
        other random states, so a cache never returns a stale or wrongly
        random result). None: with ``graph=`` set, an in-process cache of
        the last few embeddings, so that ``GridSearchCV`` does not re-walk
        and re-train on every fold when only downstream parameters change;
        no caching otherwise. True: the in-process cache in every mode.
        False: no caching. A path or a ``joblib.Memory``: disk caching, as
        ``Pipeline(memory=...)``. Cached vectors are copied, so changing a
        fitted ``embedding_`` never alters the cache.
    random_state : int, RandomState instance or None, default=None
        Seeds the walks, their order and the SGNS initialisation.
    n_jobs : int, default=None
        Threads for walks and training. Walks are identical for any value
        (each walk has its own counter-based random stream); the SGNS
        training is bit-reproducible only with ``None``/1 (several threads
        update vectors without locks, as gensim does).
    verbose : int, default=0
        Print the walk statistics and one line per epoch.

    Attributes
    ----------
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
        One vector per node, in ``nodes_`` order. Isolated nodes (no edge)
        get a zero vector.
    nodes_ : ndarray of shape (n_nodes,)
        Node ids (int64 for integer ids, else object), in row order.
    isolated_nodes_ : ndarray
        Ids of the nodes without any edge (a warning reports their number).
    loss_curve_ : list of float
        Mean SGNS loss per epoch.
    timings_ : dict
        Seconds spent in the walks (``"walks"``, both passes) and in SGNS
        training (``"training"``).
    n_features_in_ : int
        Number of nodes, only when fitted on an adjacency matrix.

    See Also
    --------
    DeepWalkEmbedder : The same with uniform walks (``p = q = 1``).
    LINEEmbedder : First- and second-order proximity by edge sampling.
    EdgeFeatures : Edge vectors (Hadamard, average, L1, L2) for link
        prediction.

    Notes
    -----
    Walks are simulated in numba on the CSR adjacency. The second-order
    bias uses rejection sampling: exact node2vec transition probabilities in
    ``O(|E|)`` memory, never the Σ deg² alias tables of the reference
    implementation, SNAP or pecanpy's PreComp mode. A node without
    out-edges ends a walk early (directed graphs); walks are never padded.
    Self-loops are kept, duplicate edges summed (see :func:`check_graph`
    in ``skembed._graph._checks``).

    References
    ----------
    A. Grover and J. Leskovec, "node2vec: Scalable Feature Learning for
    Networks", KDD 2016.

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import Node2VecEmbedder
    >>> G = nx.karate_club_graph()
    >>> emb = Node2VecEmbedder(n_components=16, walk_length=20, n_walks=5,
    ...                        p=0.5, q=2.0, random_state=0)
    >>> emb.fit_transform(G).shape
    (34, 16)
    >>> emb.transform([0, 33]).shape
    (2, 16)
    """

    _parameter_constraints: dict = {
        **_WALK_CONSTRAINTS,
        "p": [Interval(Real, 0, None, closed="neither")],
        "q": [Interval(Real, 0, None, closed="neither")],
        "sampler": [StrOptions({"rejection", "alias"})],
        "alias_memory_limit": [Interval(Integral, 0, None, closed="left"), None],
    }
    _learn_params = _BaseWalkEmbedder._learn_params + (
        "p", "q", "sampler", "alias_memory_limit",
    )

    def __init__(
        self,
        *,
        n_components=128,
        walk_length=80,
        n_walks=10,
        p=1.0,
        q=1.0,
        window=10,
        negative=5,
        hs=False,
        shared_negatives=True,
        ns_exponent=0.75,
        sample=1e-3,
        n_epochs=1,
        learning_rate=0.025,
        graph=None,
        directed=None,
        weighted=None,
        source_col=None,
        target_col=None,
        weight_col=None,
        handle_unknown="error",
        sampler="rejection",
        alias_memory_limit=2**30,
        memory=None,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.walk_length = walk_length
        self.n_walks = n_walks
        self.p = p
        self.q = q
        self.window = window
        self.negative = negative
        self.hs = hs
        self.shared_negatives = shared_negatives
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.n_epochs = n_epochs
        self.learning_rate = learning_rate
        self.graph = graph
        self.directed = directed
        self.weighted = weighted
        self.source_col = source_col
        self.target_col = target_col
        self.weight_col = weight_col
        self.handle_unknown = handle_unknown
        self.sampler = sampler
        self.alias_memory_limit = alias_memory_limit
        self.memory = memory
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose


class DeepWalkEmbedder(_BaseWalkEmbedder):
    """DeepWalk: node vectors from uniform random walks and skip-gram.

    :class:`Node2VecEmbedder` with ``p = q = 1`` (same walks for the same
    seed, first-order fast path without the rejection test), under the name
    of Perozzi et al. (2014), and with the hierarchical softmax of the
    original paper trained on top of negative sampling by default
    (``hs=True``, as OpenNE's DeepWalk). Walks follow edge weights when the
    graph is weighted.

    Read more in the :ref:`User Guide <node2vec>`.

    Parameters
    ----------
    n_components : int, default=128
    walk_length : int, default=80
        Nodes per walk, the start included.
    n_walks : int, default=10
    window : int, default=10
    negative : int, default=5
    hs : bool, default=True
        Hierarchical softmax on top of negative sampling (DeepWalk's own
        objective; OpenNE's DeepWalk calls gensim with ``hs=1,
        negative=5``). On Wiki (3 seeds) it lifts macro-F1 from 0.52 to
        0.58, above OpenNE's published 0.560, for about 2.7x the CPU time
        of ``hs=False`` (see the user guide). ``hs=False`` gives exactly
        :class:`Node2VecEmbedder`'s vectors with ``p = q = 1``.
    shared_negatives : bool or int, default=True
        See :class:`Node2VecEmbedder`; only used with ``negative > 0``.
    ns_exponent : float, default=0.75
    sample : float, default=1e-3
    n_epochs : int, default=1
    learning_rate : float, default=0.025
    graph : graph, default=None
    directed : bool, default=None
    weighted : bool, default=None
    source_col, target_col, weight_col : hashable, default=None
    handle_unknown : {"error", "zeros", "neighbors"}, default="error"
    memory : None, bool, str or joblib.Memory, default=None
    random_state : int, RandomState instance or None, default=None
    n_jobs : int, default=None
    verbose : int, default=0
        See :class:`Node2VecEmbedder` for all of these.

    Attributes
    ----------
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
    nodes_ : ndarray of shape (n_nodes,)
    isolated_nodes_ : ndarray
    loss_curve_ : list of float
    timings_ : dict
    n_features_in_ : int
        Only when fitted on an adjacency matrix.

    See Also
    --------
    Node2VecEmbedder : Biased (second-order) walks.

    References
    ----------
    B. Perozzi, R. Al-Rfou and S. Skiena, "DeepWalk: Online Learning of
    Social Representations", KDD 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from skembed import DeepWalkEmbedder
    >>> edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
    >>> emb = DeepWalkEmbedder(n_components=8, walk_length=10, random_state=0)
    >>> emb.fit(edges).nodes_.tolist()
    ['a', 'b', 'c', 'd']
    >>> emb.transform(["d", "a"]).shape
    (2, 8)
    """

    _parameter_constraints: dict = dict(_WALK_CONSTRAINTS)

    def __init__(
        self,
        *,
        n_components=128,
        walk_length=80,
        n_walks=10,
        window=10,
        negative=5,
        hs=True,
        shared_negatives=True,
        ns_exponent=0.75,
        sample=1e-3,
        n_epochs=1,
        learning_rate=0.025,
        graph=None,
        directed=None,
        weighted=None,
        source_col=None,
        target_col=None,
        weight_col=None,
        handle_unknown="error",
        memory=None,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.walk_length = walk_length
        self.n_walks = n_walks
        self.window = window
        self.negative = negative
        self.hs = hs
        self.shared_negatives = shared_negatives
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.n_epochs = n_epochs
        self.learning_rate = learning_rate
        self.graph = graph
        self.directed = directed
        self.weighted = weighted
        self.source_col = source_col
        self.target_col = target_col
        self.weight_col = weight_col
        self.handle_unknown = handle_unknown
        self.memory = memory
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose


# ---------------------------------------------------------------------------
# Edge features for link prediction
# ---------------------------------------------------------------------------

_OPERATORS = ("hadamard", "average", "l1", "l2")


def _check_pairs(X):
    if isinstance(X, (str, bytes)):
        raise ValueError(
            "X: expected node-id pairs of shape (n_pairs, 2); got a single string."
        )
    reject_lazy(X)
    X = as_pandas(X)
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 2:
            raise ValueError(
                "X: expected node-id pairs of shape (n_pairs, 2); got a DataFrame "
                f"with {X.shape[1]} columns."
            )
        return X.iloc[:, 0].to_numpy(), X.iloc[:, 1].to_numpy()
    if isinstance(X, np.ndarray):
        arr = X
    else:
        try:
            rows = list(X)
        except TypeError as exc:
            raise ValueError(
                "X: expected node-id pairs of shape (n_pairs, 2); got "
                f"{type(X).__name__}."
            ) from exc
        arr = np.empty((len(rows), 2), dtype=object)
        for i, r in enumerate(rows):
            if isinstance(r, (str, bytes)) or not hasattr(r, "__iter__"):
                raise ValueError(
                    "X: expected node-id pairs of shape (n_pairs, 2); row "
                    f"{i} is a single {type(r).__name__} ({r!r}), not a pair."
                )
            r = tuple(r)
            if len(r) != 2:
                raise ValueError(
                    "X: expected node-id pairs of shape (n_pairs, 2); row "
                    f"{i} has {len(r)} element(s): {r!r}."
                )
            arr[i, 0], arr[i, 1] = r
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(
            f"X: expected node-id pairs of shape (n_pairs, 2); got shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise ValueError("X: got no node-id pair (0 rows).")
    return arr[:, 0], arr[:, 1]


class EdgeFeatures(
    ClassNamePrefixFeaturesOutMixin, CallbackSupportMixin, LazyTransformMixin, TransformerMixin, BaseEstimator
):
    """Edge vectors from node vectors, for link prediction.

    Combines the vectors ``u`` and ``v`` of the two nodes of each pair with
    one of the binary operators of the node2vec paper (Table 1): Hadamard
    ``u * v``, average ``(u + v) / 2``, weighted-L1 ``|u - v|`` or
    weighted-L2 ``(u - v) ** 2``.

    Read more in the :ref:`User Guide <node2vec>`.

    Parameters
    ----------
    embedder : estimator, default=None
        A graph embedder (:class:`Node2VecEmbedder`, :class:`DeepWalkEmbedder`,
        :class:`LINEEmbedder`). With ``prefit=False`` it must have ``graph=``
        set: ``fit`` fits a clone of it (so ``embedder__p`` can be tuned in a
        grid search). With ``prefit=True`` it is used as fitted.
    operator : {"hadamard", "average", "l1", "l2"}, default="hadamard"
    prefit : bool, default=False
        Whether ``embedder`` is already fitted.

    Attributes
    ----------
    embedder_ : estimator
        The fitted embedder used by ``transform``.

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import EdgeFeatures, Node2VecEmbedder
    >>> G = nx.karate_club_graph()
    >>> edges = EdgeFeatures(Node2VecEmbedder(n_components=8, walk_length=10,
    ...                                       graph=G, random_state=0))
    >>> edges.fit_transform([(0, 1), (0, 33), (5, 6)]).shape
    (3, 8)
    """

    _parameter_constraints: dict = {
        "embedder": [HasMethods(["fit", "transform"]), None],
        "operator": [StrOptions(set(_OPERATORS))],
        "prefit": ["boolean"],
    }

    #: fitted state, saved by save_model (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "embedder_": instance_of(_GraphEmbedderMixin, "a graph embedder"),
        "_n_features_out": INT,
    }

    def _check_fitted_state(self):
        inner = getattr(self.embedder_, "embedding_", None)
        width = None
        if isinstance(inner, np.ndarray) and inner.ndim == 2:
            width = inner.shape[1]  # element-wise operators
        check_width(vars(self), width)

    def __init__(self, embedder=None, *, operator="hadamard", prefit=False):
        self.embedder = embedder
        self.operator = operator
        self.prefit = prefit

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit (or take) the embedder; ``X`` holds node-id pairs.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2)
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        u, v = _check_pairs(X)
        if self.embedder is None:
            raise ValueError(
                "embedder: EdgeFeatures needs a graph embedder, e.g. "
                "EdgeFeatures(Node2VecEmbedder(graph=G)); got None."
            )
        if self.prefit:
            check_is_fitted(self.embedder)
            self.embedder_ = self.embedder
        else:
            if getattr(self.embedder, "graph", None) is None:
                raise ValueError(
                    "embedder: with prefit=False the embedder must have graph= "
                    "set (X only holds node pairs); pass a fitted embedder with "
                    "prefit=True otherwise."
                )
            ids = np.concatenate(
                [np.asarray(u, dtype=object), np.asarray(v, dtype=object)]
            )
            self.embedder_ = clone(self.embedder).fit(ids)
        self._n_features_out = self.embedder_.embedding_.shape[1]
        return self

    def transform(self, X):
        """Edge vectors of the node-id pairs in ``X``.

        Parameters
        ----------
        X : array-like of shape (n_pairs, 2)

        Returns
        -------
        ndarray of float32, shape (n_pairs, n_components)
        """
        check_is_fitted(self, "embedder_")
        u, v = _check_pairs(X)
        a = self.embedder_.transform(u)
        b = self.embedder_.transform(v)
        if self.operator == "hadamard":
            return a * b
        if self.operator == "average":
            return (a + b) * np.float32(0.5)
        if self.operator == "l1":
            return np.abs(a - b)
        return (a - b) ** 2

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []
        return tags
