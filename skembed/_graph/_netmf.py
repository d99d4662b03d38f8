"""NetMFEmbedder: DeepWalk's implicit matrix, factorised exactly, for small
graphs.

The dense window-``T`` matrix and its randomized SVD are the spectral
engine's (:func:`skembed._engine._spectral.netmf_embedding`); the graph
plumbing (input forms, ``graph=``, ``transform`` by id, unseen nodes,
caching) is the shared ``_GraphEmbedderMixin`` of the graph embedders.
"""

from numbers import Integral, Real

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.utils import check_random_state

from .._compat import Interval, StrOptions
from .._engine import _spectral
from .._progress import Progress
from .._validation import numba_threads
from ._prone import _INPUT_CONSTRAINTS, _isolated, _SpectralEmbedder

__all__ = ["NetMFEmbedder"]

#: above this many nodes the dense ``n x n`` matrix is refused
MAX_NODES = 10_000


def _netmf_learn(A, params, random_state, n_jobs, verbose, name):
    """NetMF on a validated CSR graph -> (embedding, info) (module level,
    so that ``joblib.Memory`` can cache it)."""
    rng = check_random_state(random_state)
    seed = int(rng.randint(0, np.iinfo(np.int32).max))
    # one BLAS thread: the dense products give the same bits for any n_jobs
    with threadpool_limits(1), numba_threads(n_jobs):
        emb, info = _spectral.netmf_embedding(
            A, params["n_components"], window=params["window"],
            negative=params["negative"], n_iter=params["n_iter"], seed=seed,
            threads=n_jobs, progress=Progress(name, verbose),
            scale=params["output_scale"],
        )
    isolated = _isolated(A)
    emb[isolated] = 0.0
    info["isolated"] = isolated
    return emb, info


class NetMFEmbedder(_SpectralEmbedder):
    """NetMF: node vectors from the matrix DeepWalk factorises, computed
    exactly (small graphs only).

    DeepWalk / node2vec (``p = q = 1``) with window ``T`` and ``b`` negative
    samples implicitly factorise (Qiu et al., 2018)::

        log max(M, 1),  M = vol(G) / (b T) (sum_{r=1..T} P^r) D^-1

    with ``P = D^-1 A`` the random-walk matrix, ``D`` the degrees and
    ``vol(G)`` their sum. NetMF forms this matrix densely (``window``
    sparse-dense products), factorises it by a randomized truncated SVD
    and returns ``U sqrt(S)``: no walks, no SGD, deterministic for a fixed
    ``random_state``. The dense matrix costs ``O(n^2)`` memory, so graphs
    above 10,000 nodes are refused; use :class:`ProNEEmbedder` there.

    Read more in the :ref:`User Guide <netmf>`.

    Parameters
    ----------
    n_components : int, default=128
        Vector dimension.
    window : int, default=10
        ``T``: the skip-gram window (walk steps) the matrix sums over.
    negative : float, default=1.0
        ``b``: negative samples per pair (the matrix is divided by it
        before the log). The paper's experiments use 1.
    n_iter : int, default=5
        Power iterations of the randomized SVD.
    output_scale : {"rows", "global"}, default="rows"
        "rows": every row has norm ``sqrt(n_components)``; "global": one
        factor for the whole matrix (see :class:`ProNEEmbedder`).
    graph : graph, default=None
        If set, the graph is a hyper-parameter and ``X`` in ``fit`` and
        ``transform`` is a column of node ids (see
        :class:`Node2VecEmbedder`).
    directed : bool, default=None
        NetMF's matrix is defined for undirected graphs: a directed graph
        is embedded as its symmetrised ``A + A^T``. None: networkx's
        ``is_directed()``, asymmetry of a matrix, undirected for edge lists.
    weighted : bool, default=None
        Use edge weights (``P``, ``D`` and ``vol`` are weighted). None:
        weighted when the input has weights; False: all 1.
    source_col, target_col, weight_col : hashable, default=None
        Column names of an edge-list DataFrame (see :class:`ProNEEmbedder`).
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
        value (the dense products run on one BLAS thread).
    verbose : int, default=0
        Print the time of each step.

    Attributes
    ----------
    embedding_ : ndarray of float32, shape (n_nodes, n_components)
        One vector per node, in ``nodes_`` order (zeros for isolated
        nodes).
    nodes_ : ndarray of shape (n_nodes,)
        Node ids, in row order.
    isolated_nodes_ : ndarray
        Ids of nodes without any edge.
    loss_curve_ : list
        Empty (no iterative training); kept for a common face.
    timings_ : dict
        Seconds in ``"training"`` (matrix plus factorisation).
    n_features_in_ : int
        Number of nodes, only when fitted on an adjacency matrix.

    See Also
    --------
    ProNEEmbedder : A sparse one-step matrix plus spectral propagation, for
        graphs of any size.
    DeepWalkEmbedder : The walks and skip-gram NetMF's matrix stands for.

    Notes
    -----
    Cost: ``window`` sparse products with an ``(n, n)`` block
    (``O(|E| n T)``), then ``2 (n_iter + 1)`` dense ``(n, n) x
    (n, n_components + 10)`` products; memory about ``12 n^2`` bytes
    (three float32 ``(n, n)`` blocks, 1.2 GB at the 10,000-node limit).

    References
    ----------
    J. Qiu, Y. Dong, H. Ma, J. Li, K. Wang and J. Tang, "Network Embedding
    as Matrix Factorization: Unifying DeepWalk, LINE, PTE, and node2vec",
    WSDM 2018.

    Examples
    --------
    >>> import networkx as nx
    >>> from skembed import NetMFEmbedder
    >>> emb = NetMFEmbedder(n_components=4, window=5, random_state=0)
    >>> X = emb.fit_transform(nx.karate_club_graph())
    >>> X.shape, emb.get_feature_names_out()[:2].tolist()
    ((34, 4), ['netmfembedder0', 'netmfembedder1'])
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "negative": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "output_scale": [StrOptions({"rows", "global"})],
        **_INPUT_CONSTRAINTS,
    }
    _learn_params = (
        "n_components", "window", "negative", "n_iter", "output_scale",
    )

    def __init__(
        self,
        *,
        n_components=128,
        window=10,
        negative=1.0,
        n_iter=5,
        output_scale="rows",
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
        self.window = window
        self.negative = negative
        self.n_iter = n_iter
        self.output_scale = output_scale
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

    def _learn_with_cache(self, A, learn):
        if A.shape[0] > MAX_NODES:
            where = "graph" if self.graph is not None else "X"
            raise ValueError(
                f"{where}: NetMFEmbedder forms a dense n x n matrix and "
                f"accepts graphs of at most {MAX_NODES:,} nodes (about "
                f"{12 * MAX_NODES ** 2 / 1e9:.1f} GB); got {A.shape[0]:,} "
                "nodes. Use ProNEEmbedder for larger graphs."
            )
        return super()._learn_with_cache(A, learn)

    _learn = staticmethod(_netmf_learn)
    fit = _SpectralEmbedder.fit  # bound here so that the API page lists it
