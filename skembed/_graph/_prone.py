"""ProNEEmbedder and SpectralPropagation: spectral node embeddings.

Both hand a validated CSR graph to the spectral engine
(:mod:`skembed._engine._spectral`); the graph plumbing (input forms,
``graph=``, ``transform`` by id, unseen nodes, caching) is the shared
``_GraphEmbedderMixin`` of the walk embedders.
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    clone,
)
from sklearn.utils import check_random_state

from .._compat import (
    N_JOBS_CONSTRAINT,
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
)
from .._engine import _spectral
from .._fitted import FLOATS, INT, array, instance_of
from .._progress import CallbackSupportMixin, Progress
from .._scaleout import LazyTransformMixin
from .._validation import effective_threads, numba_threads
from ._base import COLUMN_CONSTRAINTS, _GraphEmbedderMixin

__all__ = ["ProNEEmbedder", "SpectralPropagation"]


def _isolated(A):
    degree = np.diff(A.indptr) + np.bincount(A.indices, minlength=A.shape[0])
    return np.flatnonzero(degree == 0)


def _prone_learn(A, params, random_state, n_jobs, verbose, name):
    """ProNE on a validated CSR graph -> (embedding, info).

    A module-level function of plain arguments, so that ``joblib.Memory``
    can cache it.
    """
    rng = check_random_state(random_state)
    seed = int(rng.randint(0, np.iinfo(np.int32).max))
    order = params["order"] if params["propagate"] else 0
    # BLAS work is small next to the sparse products; one BLAS thread keeps
    # the result independent of n_jobs
    with threadpool_limits(1), numba_threads(n_jobs):
        emb, info = _spectral.prone_embedding(
            A, params["n_components"], order=order, mu=params["mu"],
            theta=params["theta"], ns_exponent=params["ns_exponent"],
            negative=params["negative"], n_iter=params["n_iter"], seed=seed,
            threads=n_jobs,
            progress=Progress(name, verbose), scale=params["output_scale"],
        )
    isolated = _isolated(A)
    emb[isolated] = 0.0
    info["isolated"] = isolated
    info["training"] = info["factorization"] + info["propagation"]
    return emb, info


_SPECTRAL_CONSTRAINTS = {
    "order": [Interval(Integral, 0, None, closed="left")],
    "mu": [Interval(Real, 0, 2, closed="both")],
    "theta": [Interval(Real, 0, None, closed="left")],
    "output_scale": [StrOptions({"rows", "global"})],
}


#: the graph input and run parameters of ProNEEmbedder and NetMFEmbedder
_INPUT_CONSTRAINTS = {
    "graph": "no_validation",
    "directed": ["boolean", None],
    "weighted": ["boolean", None],
    **COLUMN_CONSTRAINTS,
    "handle_unknown": [StrOptions({"error", "zeros", "neighbors"})],
    "memory": [None, "boolean", str, HasMethods(["cache"])],
    "random_state": ["random_state"],
    "n_jobs": N_JOBS_CONSTRAINT,
    "verbose": ["verbose"],
}


class _SpectralEmbedder(_GraphEmbedderMixin, ClassNamePrefixFeaturesOutMixin,
                        CallbackSupportMixin, LazyTransformMixin, TransformerMixin,
                        BaseEstimator):
    """What ProNEEmbedder, NetMFEmbedder and SpectralPropagation share besides
    the graph plumbing: their fitted vectors, the public methods (bound in a
    class body, see ``_graph/_base.py``), ``fit`` through the subclass's
    module-level ``_learn`` function (SpectralPropagation has its own) and
    the tags."""

    _fitted_state: dict = {
        "embedding_": array(np.float32, 2),
        "loss_curve_": FLOATS,
        "_n_features_out": INT,
    }

    transform = _GraphEmbedderMixin.transform
    fit_transform = _GraphEmbedderMixin.fit_transform

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn node vectors from the graph.

        Parameters
        ----------
        X : graph or array-like of node ids
            With ``graph=None``: the graph (networkx graph, square
            scipy/NumPy adjacency matrix, or edge list). With ``graph=`` set:
            a column of node ids.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        return self._fit(X, self._learn)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


class ProNEEmbedder(_SpectralEmbedder):
    """ProNE: node vectors by sparse matrix factorisation and spectral
    propagation.

    A spectral alternative to :class:`Node2VecEmbedder` at a small fraction
    of its cost (Zhang et al., 2019). Two steps, both deterministic linear
    algebra on the sparse graph, no random walks and no SGD:

    1. **Sparse matrix factorisation.** The matrix
       ``log P_ij - log(negative q_j)`` on the edges, with ``P = D^-1 A``
       the random-walk matrix and ``q_j ∝ (sum_i P_ij) ** ns_exponent``
       skip-gram's negative-sampling distribution, is factorised by a
       randomized truncated SVD (``U sqrt(S)``).
    2. **Spectral propagation.** The vectors are filtered with a Gaussian
       band filter of the normalised graph Laplacian centred at ``mu`` with
       width ``1/theta``, expanded in ``order`` Chebyshev polynomials (sparse
       products only, no eigen-decomposition), and orthogonalised again.

    Read more in the :ref:`User Guide <prone>`.

    Parameters
    ----------
    n_components : int, default=128
        Vector dimension.
    order : int, default=10
        Terms of the Chebyshev expansion (ProNE's ``step``). 0 or 1: no
        propagation.
    mu : float, default=0.0
        Centre of the band filter on the Laplacian spectrum ``[0, 2]``.
        The paper and its reference code use 0.2 (0.1 as the script's
        default); 0.0 scored higher macro-F1 on all four labelled
        benchmark graphs (Cora +0.003, Wiki +0.016, an SBM +0.014, LFR
        +0.002; mean of 3 seeds, ``benchmarks/results/graph.md``), as it did
        for :class:`SpectralPropagation` of node2vec.
    theta : float, default=0.5
        Sharpness of the band filter (its width is about ``1/theta``).
    output_scale : {"rows", "global"}, default="rows"
        "rows": every row has norm ``sqrt(n_components)``. "global": one
        factor for the whole matrix (the same mean square of one per
        coordinate), so rows keep their relative norms, which follow the
        degrees. "global" scored higher macro-F1 on the LFR graphs (10k:
        +0.010, 50k: +0.014; also sparse or Cora-sized ones) and a 1 M-edge
        degree-corrected SBM, level on a 10k SBM, lower on the two real
        graphs, Cora (-0.003) and Wiki (-0.020); size and density did not
        predict which wins, so compare both on your graph (user guide).
    propagate : bool, default=True
        False returns the factorisation alone (the paper's "ProNE-SMF").
    ns_exponent : float, default=0.75
        Exponent of the negative-sampling distribution.
    negative : float, default=5
        Negative samples per positive pair (the paper's ratio lambda): the
        factorised matrix is skip-gram's shifted log-ratio
        ``log P_ij - log(negative q_j)``. 5 is :class:`Node2VecEmbedder`'s
        default; the paper's reference code uses 1 (no shift), which scored
        lower macro-F1 on LFR-50k (-0.005), LFR-10k (-0.004) and Cora
        (-0.002), level on an SBM and higher on Wiki (+0.004, within one
        sd) (3 seeds, ``benchmarks/results/graph.md``).
    n_iter : int, default=5
        Power iterations of the randomized SVD.
    graph : graph, default=None
        If set, the graph is a hyper-parameter and ``X`` in ``fit`` and
        ``transform`` is a column of node ids (see
        :class:`Node2VecEmbedder`).
    directed : bool, default=None
        Treat the graph as directed. The factorisation then uses out-edges
        (row ``i`` of ``P``: where a walk from ``i`` steps next; ``q``: the
        in-flow of walk mass) and gives each node its *source* vector; a
        node without out-edges gets its vector from the propagation alone.
        Propagation always runs on the symmetrised graph ``A + A^T`` (the
        Chebyshev expansion needs a real spectrum). None: networkx's
        ``is_directed()``, asymmetry of a matrix, undirected for edge lists.
    weighted : bool, default=None
        Use edge weights (``P`` and the propagation are weighted). None:
        weighted when the input has weights; False: all 1.
    source_col, target_col, weight_col : hashable, default=None
        Column names of an edge-list DataFrame (source, target, optional
        weight; other columns are ignored). None reads the columns by
        position: source, target, then weight if there is a third. Other
        graph inputs ignore them (see :class:`Node2VecEmbedder`).
    handle_unknown : {"error", "zeros", "neighbors"}, default="error"
        Ids not in the fitted graph in ``transform``: raise, zeros, or the
        weighted mean vector of their fitted neighbours in the graph given
        as ``transform(X, graph=...)``.
    memory : None, bool, str or joblib.Memory, default=None
        Caching of the learnt embedding, as in :class:`Node2VecEmbedder`.
    random_state : int, RandomState instance or None, default=None
        Seeds the randomized SVD's test matrix.
    n_jobs : int, default=None
        Threads of the sparse products. The result is identical for any
        value.
    verbose : int, default=0
        Print the time of each step.

    Attributes
    ----------
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
        One vector per node, in ``nodes_`` order, rows of norm
        ``sqrt(n_components)`` with ``output_scale="rows"`` (zeros for
        isolated nodes).
    nodes_ : ndarray of shape (n_nodes,)
        Node ids, in row order.
    isolated_nodes_ : ndarray
        Ids of nodes without any edge.
    loss_curve_ : list
        Empty (no iterative training); kept for a common face.
    timings_ : dict
        Seconds in ``"training"`` (factorisation plus propagation).
    n_features_in_ : int
        Number of nodes, only when fitted on an adjacency matrix.

    See Also
    --------
    SpectralPropagation : The propagation step on any embedder's vectors.
    Node2VecEmbedder : Random walks and skip-gram.

    Notes
    -----
    Cost: about ``2 (n_iter + 1) + 2 order`` sparse-dense products, so
    ``O(|E| d (n_iter + order))`` time and ``O(|E| + n d)`` memory.
    Rows are scaled to norm ``sqrt(n_components)`` (the reference
    implementation returns unit rows): coordinates then have a mean square
    of one, the scale at which scikit-learn's default-regularised linear
    models work. The result is bit-identical for a fixed integer
    ``random_state``, whatever ``n_jobs``.

    References
    ----------
    J. Zhang, Y. Dong, Y. Wang, J. Tang and M. Ding, "ProNE: Fast and
    Scalable Network Representation Learning", IJCAI 2019.

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import ProNEEmbedder
    >>> G = nx.karate_club_graph()
    >>> emb = ProNEEmbedder(n_components=8, random_state=0)
    >>> emb.fit_transform(G).shape
    (34, 8)
    >>> emb.transform([0, 33]).shape
    (2, 8)
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        **_SPECTRAL_CONSTRAINTS,
        "propagate": ["boolean"],
        "ns_exponent": [Interval(Real, None, None, closed="neither")],
        "negative": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        **_INPUT_CONSTRAINTS,
    }
    _learn_params = (
        "n_components", "order", "mu", "theta", "output_scale", "propagate",
        "ns_exponent", "negative", "n_iter",
    )
    #: the module-level learn function ``fit`` calls
    _learn = staticmethod(_prone_learn)
    fit = _SpectralEmbedder.fit  # bound here so that the API page lists it

    def __init__(
        self,
        *,
        n_components=128,
        order=10,
        mu=0.0,
        theta=0.5,
        output_scale="rows",
        propagate=True,
        ns_exponent=0.75,
        negative=5,
        n_iter=5,
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
        self.mu = mu
        self.theta = theta
        self.output_scale = output_scale
        self.propagate = propagate
        self.ns_exponent = ns_exponent
        self.negative = negative
        self.n_iter = n_iter
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


class SpectralPropagation(_SpectralEmbedder):
    """Spectral propagation of any graph embedder's node vectors.

    Fits ``embedder`` (a clone) on the graph, then filters its vectors with
    ProNE's band filter of the graph Laplacian (``order`` Chebyshev terms,
    centre ``mu``, sharpness ``theta``) and orthogonalises them again. The
    propagation mixes each vector with its graph neighbourhood's at the
    scales the filter keeps; on community-structured graphs it usually lifts
    a walk embedding's node-classification F1 (see the user guide), at the
    cost of a few sparse products.

    Read more in the :ref:`User Guide <prone>`.

    Parameters
    ----------
    embedder : estimator, default=None
        A graph embedder (:class:`Node2VecEmbedder`, :class:`DeepWalkEmbedder`,
        :class:`LINEEmbedder`, ...). A clone is fitted on the graph given to
        ``fit`` (its own ``graph``, ``directed`` and ``weighted`` are
        replaced by this estimator's). None: the factorisation step of
        :class:`ProNEEmbedder` (the result is ProNE's).
    order : int, default=10
        Terms of the Chebyshev expansion; 0 or 1: no propagation (only the
        rescaling below).
    mu : float, default=0.0
    theta : float, default=0.5
        Centre and sharpness of the band filter (see :class:`ProNEEmbedder`;
        mu=0.0 lifted node2vec's macro-F1 on Cora and Wiki by 0.004-0.010
        over the paper's 0.2).
    output_scale : {"rows", "global"}, default="rows"
        Rows of norm ``sqrt(n_components)``, or one factor for the whole
        matrix (see :class:`ProNEEmbedder`).
    n_components : int, default=None
        Output dimension; None keeps the embedder's.
    graph : graph, default=None
        If set, ``X`` in ``fit`` / ``transform`` is a column of node ids.
    directed : bool, default=None
        Passed to the embedder; the propagation itself always runs on the
        symmetrised graph.
    weighted : bool, default=None
    source_col, target_col, weight_col : hashable, default=None
    handle_unknown : {"error", "zeros", "neighbors"}, default="error"
        As in :class:`Node2VecEmbedder`.
    random_state : int, RandomState instance or None, default=None
        If not None, replaces the embedder's ``random_state``; None keeps
        the embedder's own.
    n_jobs : int, default=None
        Threads of the sparse products (the embedder has its own).
    verbose : int, default=0

    Attributes
    ----------
    embedder_ : estimator
        The fitted clone of ``embedder`` (on the validated adjacency: its
        ``nodes_`` are row numbers).
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
        Propagated vectors, rows of norm ``sqrt(n_components)`` with
        ``output_scale="rows"``.
    nodes_ : ndarray of shape (n_nodes,)
    isolated_nodes_ : ndarray
    loss_curve_ : list
        The embedder's.
    timings_ : dict
    n_features_in_ : int
        Only when fitted on an adjacency matrix.

    See Also
    --------
    ProNEEmbedder : Factorisation plus propagation.

    References
    ----------
    J. Zhang et al., "ProNE: Fast and Scalable Network Representation
    Learning", IJCAI 2019 (section 4.3: propagation of DeepWalk, node2vec,
    LINE and GraRep vectors).

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import DeepWalkEmbedder, SpectralPropagation
    >>> G = nx.karate_club_graph()
    >>> prop = SpectralPropagation(DeepWalkEmbedder(n_components=8,
    ...                            walk_length=10, random_state=0))
    >>> prop.fit_transform(G).shape
    (34, 8)
    """

    _parameter_constraints: dict = {
        "embedder": [HasMethods(["fit", "transform"]), None],
        **_SPECTRAL_CONSTRAINTS,
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "graph": "no_validation",
        "directed": ["boolean", None],
        "weighted": ["boolean", None],
        **COLUMN_CONSTRAINTS,
        "handle_unknown": [StrOptions({"error", "zeros", "neighbors"})],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "verbose": ["verbose"],
    }
    _fitted_state: dict = {
        "embedder_": instance_of(_GraphEmbedderMixin, "a graph embedder"),
    }

    def __init__(
        self,
        embedder=None,
        *,
        order=10,
        mu=0.0,
        theta=0.5,
        output_scale="rows",
        n_components=None,
        graph=None,
        directed=None,
        weighted=None,
        source_col=None,
        target_col=None,
        weight_col=None,
        handle_unknown="error",
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.embedder = embedder
        self.order = order
        self.mu = mu
        self.theta = theta
        self.output_scale = output_scale
        self.n_components = n_components
        self.graph = graph
        self.directed = directed
        self.weighted = weighted
        self.source_col = source_col
        self.target_col = target_col
        self.weight_col = weight_col
        self.handle_unknown = handle_unknown
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _learn_with_cache(self, A, learn=None):
        """Fit the embedder on the validated graph, then propagate (no
        cache of its own: the embedder caches what it learns)."""
        name = type(self).__name__
        inner = (
            ProNEEmbedder(propagate=False) if self.embedder is None
            else clone(self.embedder)
        )
        names = inner.get_params(deep=False)
        # the graph is already validated: the embedder sees the adjacency
        inner.set_params(**{k: None for k in ("graph", "directed", "weighted")
                            if k in names})
        if self.random_state is not None and "random_state" in names:
            inner.set_params(random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*isolated node")
            X = np.asarray(inner.fit_transform(A), dtype=np.float32)
        self.embedder_ = inner
        t0 = time.perf_counter()
        threads = effective_threads(self.n_jobs)
        progress = Progress(name, self.verbose)
        with threadpool_limits(1), numba_threads(self.n_jobs):
            emb = _spectral.spectral_propagation(
                A, X, order=self.order, mu=self.mu, theta=self.theta,
                n_components=self.n_components, threads=threads,
                progress=progress, scale=self.output_scale,
            )
        seconds = time.perf_counter() - t0
        progress.log(
            f"propagation: order {self.order} in {seconds:.2f} s"
        )
        isolated = _isolated(A)
        emb[isolated] = 0.0
        info = {
            "isolated": isolated,
            "loss_curve": list(getattr(inner, "loss_curve_", [])),
            "training": seconds,
        }
        return emb, info

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the embedder on the graph and propagate its vectors.

        Parameters
        ----------
        X : graph or array-like of node ids
            With ``graph=None``: the graph. With ``graph=`` set: a column of
            node ids.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        return self._fit(X, None)
