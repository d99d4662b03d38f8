"""LINEEmbedder: first- and second-order proximity by edge sampling."""

import time
from numbers import Integral

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin
from sklearn.utils import check_random_state

from .._compat import HasMethods, Interval, Options, StrOptions, _fit_context
from .._engine import _random
from .._engine._base import _BaseSGNS
from .._engine._driver import init_vectors
from .._progress import Progress
from .._validation import effective_threads, numba_threads
from . import _line_kernels
from ._base import COLUMN_CONSTRAINTS, _GraphEmbedderMixin
from ._checks import graph_arrays

__all__ = ["LINEEmbedder"]


def _line_learn(A, params, random_state, n_jobs, verbose, name):
    """Edge-sampling SGD on a validated CSR graph -> (embedding, info).

    LINE's driver. It does not go through the SGNS driver
    (:func:`skembed._engine._driver.train_sgns`), whose unit of work is a
    corpus of sentences (windows, subsampling, passes over a CSR corpus):
    LINE draws edges from an alias table over the edges and trains each
    order's vectors on ``n_samples`` of them, a different loop that its own
    kernels (:mod:`._line_kernels`) run. It shares the rest of the engine:
    the vector initialisation (:func:`~skembed._engine._driver.init_vectors`),
    the counter-based RNG and alias tables (:mod:`skembed._engine._random`),
    the thread context and the progress reporter.
    """
    progress = Progress(name, verbose)
    rng = check_random_state(random_state)
    n = A.shape[0]
    nnz = A.nnz
    src = np.repeat(np.arange(n, dtype=np.int32), np.diff(A.indptr))
    _, dst = graph_arrays(A)  # int32 column indices, no copy when they are
    eprob, ealias = _random.alias_table(A.data / A.data.sum())
    # negatives replace the context node: in-strength ** 0.75 (the weighted
    # degree of an undirected graph)
    strength = np.asarray(A.sum(axis=0)).ravel()
    noise = strength ** params["ns_exponent"]
    noise[strength == 0] = 0.0
    nprob, nalias = _random.alias_table(noise / noise.sum())
    n_samples = params["n_samples"]
    if n_samples is None:
        n_samples = max(100 * nnz, 10_000)
    n_samples = int(n_samples)
    order = params["order"]
    d = params["n_components"]
    dims = {1: [(1, d)], 2: [(2, d)], "both": [(1, d // 2), (2, d - d // 2)]}[order]
    threads = effective_threads(n_jobs)
    kernel = (
        _line_kernels.line_epoch_parallel
        if threads > 1
        else _line_kernels.line_epoch_serial
    )
    n_chunks = -(-n_samples // _line_kernels.CHUNK)
    parts = []
    loss_curve = []
    t0 = time.perf_counter()
    # with in-task progress, the kernel runs the chunks in parts (the same
    # work: chunk c's seed and samples depend on c only), reported between
    step = max(-(-n_chunks // 20), 1) if progress.detailed else n_chunks
    for which, dim in dims:
        if dim == 0:
            continue
        vec = init_vectors(rng, n, dim)
        ctx = vec if which == 1 else np.zeros((n, dim), dtype=np.float32)
        seed = np.uint64(rng.randint(1, np.iinfo(np.int64).max, dtype=np.int64))
        losses = np.zeros(n_chunks, dtype=np.float64)
        t1 = time.perf_counter()
        progress.start(f"order {which}", n_chunks, unit="samples")
        with numba_threads(n_jobs):
            for c0 in range(0, n_chunks, step):
                c1 = min(c0 + step, n_chunks)
                kernel(
                    src, dst, eprob, ealias, nprob, nalias, vec, ctx,
                    int(params["negative"]), n_samples,
                    float(params["learning_rate"]), seed, losses, c0, c1,
                )
                progress.advance(
                    c1, processed=min(c1 * _line_kernels.CHUNK, n_samples)
                )
        progress.finish()
        mean_loss = float(losses.sum() / max(n_samples, 1))
        loss_curve.append(mean_loss)
        progress.log(
            f"order {which}: {n_samples:,} edge samples, "
            f"dim {dim}, loss={mean_loss:.4f}, "
            f"{time.perf_counter() - t1:.2f} s, threads={threads}"
        )
        if order == "both":
            norms = np.linalg.norm(vec, axis=1, keepdims=True)
            vec = vec / np.where(norms > 0, norms, 1.0)
        parts.append(vec)
    emb = np.ascontiguousarray(np.hstack(parts), dtype=np.float32)
    degree = np.diff(A.indptr) + np.bincount(A.indices, minlength=n)
    isolated = np.flatnonzero(degree == 0)
    emb[isolated] = 0.0
    info = {
        "loss_curve": loss_curve,
        "isolated": isolated,
        "training": time.perf_counter() - t0,
    }
    return emb, info


class LINEEmbedder(_GraphEmbedderMixin, ClassNamePrefixFeaturesOutMixin, _BaseSGNS):
    """LINE: node vectors from first- and second-order proximity.

    Large-scale Information Network Embedding (Tang et al., 2015) fits node
    vectors by stochastic gradient descent over *sampled edges* instead of
    random walks: edges are drawn proportionally to their weight (alias
    table), each with ``negative`` noise nodes drawn proportionally to
    ``degree ** 0.75``.

    * ``order=1`` (first-order proximity): linked nodes get similar vectors,
      ``sigma(u . v)`` for an edge; direction is ignored.
    * ``order=2`` (second-order proximity): nodes with similar neighbourhoods
      get similar vectors, ``sigma(u . c_v)`` with separate context vectors.
    * ``order="both"``: the two trained separately, each on half of
      ``n_components``, rows L2-normalised, then concatenated (the paper's
      LINE(1st+2nd)).

    Read more in the :ref:`User Guide <node2vec>`.

    Parameters
    ----------
    n_components : int, default=128
        Output width. For ``order="both"`` the first-order part gets
        ``n_components // 2`` dimensions and the second-order part the rest
        (so with ``n_components=1`` only the second-order part exists).
    order : {1, 2, "both"}, default="both"
    n_samples : int, default=None
        Edge samples per order (the paper's ``T``). None: ``100 * n_edges``
        (each direction of an undirected edge counted), at least 10,000.
    negative : int, default=5
        Noise nodes per sampled edge.
    ns_exponent : float, default=0.75
        Exponent of the noise distribution over node degrees.
    learning_rate : float, default=0.025
        Initial rate, decayed linearly with the samples (the paper's
        ``rho``).
    graph : graph, default=None
        As in :class:`Node2VecEmbedder`: if set, ``X`` is a column of node
        ids in ``fit`` and ``transform``.
    directed : bool, default=None
    weighted : bool, default=None
    source_col, target_col, weight_col : hashable, default=None
    handle_unknown : {"error", "zeros", "neighbors"}, default="error"
    memory : None, bool, str or joblib.Memory, default=None
        See :class:`Node2VecEmbedder`.
    random_state : int, RandomState instance or None, default=None
    n_jobs : int, default=None
        Threads; ``None``/1 is bit-reproducible, more run lock-free
        (Hogwild) updates.
    verbose : int, default=0

    Attributes
    ----------
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
        Isolated nodes get a zero vector.
    nodes_ : ndarray of shape (n_nodes,)
    isolated_nodes_ : ndarray
    loss_curve_ : list of float
        Mean loss per sample, one value per trained order.
    timings_ : dict
    n_features_in_ : int
        Only when fitted on an adjacency matrix.

    See Also
    --------
    Node2VecEmbedder : Random-walk embeddings.

    References
    ----------
    J. Tang, M. Qu, M. Wang, M. Zhang, J. Yan and Q. Mei, "LINE: Large-scale
    Information Network Embedding", WWW 2015.

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import LINEEmbedder
    >>> G = nx.karate_club_graph()
    >>> line = LINEEmbedder(n_components=16, order="both", random_state=0)
    >>> line.fit_transform(G).shape
    (34, 16)
    >>> float(abs(1 - (line.embedding_[0, :8] ** 2).sum())) < 1e-5
    True
    """

    _parameter_constraints: dict = {
        **{
            k: _BaseSGNS._parameter_constraints[k]
            for k in (
                "n_components", "negative", "ns_exponent", "learning_rate",
                "random_state", "n_jobs", "verbose",
            )
        },
        "order": [StrOptions({"both"}), Options(Integral, {1, 2})],
        "n_samples": [Interval(Integral, 1, None, closed="left"), None],
        "graph": "no_validation",
        "directed": ["boolean", None],
        "weighted": ["boolean", None],
        **COLUMN_CONSTRAINTS,
        "handle_unknown": [StrOptions({"error", "zeros", "neighbors"})],
        "memory": [None, "boolean", str, HasMethods(["cache"])],
    }
    _learn_params = (
        "n_components", "order", "n_samples", "negative", "ns_exponent",
        "learning_rate",
    )

    def __init__(
        self,
        *,
        n_components=128,
        order="both",
        n_samples=None,
        negative=5,
        ns_exponent=0.75,
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
        self.order = order
        self.n_samples = n_samples
        self.negative = negative
        self.ns_exponent = ns_exponent
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn node vectors by edge sampling.

        Parameters
        ----------
        X : graph or array-like of node ids
            With ``graph=None``: the graph (networkx graph, square adjacency
            matrix or edge list). With ``graph=`` set: a column of node ids.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        return self._fit(X, _line_learn)

    transform = _GraphEmbedderMixin.transform
    fit_transform = _GraphEmbedderMixin.fit_transform
