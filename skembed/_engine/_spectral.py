"""The spectral engine: sparse factorisation and spectral propagation.

Arrays in, arrays out, no validation (the estimators validate). Serves
:class:`~skembed.ProNEEmbedder` and :class:`~skembed.SpectralPropagation`.

Sparse matrix factorisation (ProNE, Zhang et al., IJCAI 2019)
------------------------------------------------------------
With the weighted adjacency ``A`` (row ``i`` = the out-edges of ``i``), the
random-walk matrix ``P = D^-1 A`` (``D``: out-strengths) and the
negative-sampling distribution ``q_j ∝ (sum_i P_ij) ** ns_exponent`` (the
column sums of ``P``: how much walk mass flows into ``j``), the matrix
factorised holds, on the edges of ``A`` only::

    F_ij = log P_ij - log(lambda q_j)

the log-ratio of a one-step skip-gram model with ``lambda`` negatives per
pair (the shifted PMI of Levy and Goldberg, 2014; ProNE's reference code
uses ``lambda = 1``). Its rank-``d`` randomized truncated SVD gives
``U sqrt(S)``.

Spectral propagation
--------------------
On the graph with self-loops ``A + I``, ``L = I - D^-1 (A + I)`` has its
eigenvalues in ``[0, 2)``. ProNE's Gaussian band filter
``g(l) = exp(-theta ((l - mu)**2 / 2 - 1))`` is applied through its
Chebyshev expansion in ``x = (L - mu I)**2 / 2 - I`` (spectrum in
``[-1, 1]`` for ``mu`` in ``[0, 2]``)::

    exp(-theta x) = I0(theta) + 2 sum_{k>=1} (-1)^k Ik(theta) Tk(x)

(modified Bessel functions ``Ik``), truncated after ``order`` terms. The
propagated block is ``(A + I) (R - g(L) R)`` (the reference implementation's
operator), and the output is again ``U sqrt(S)`` of its thin SVD. No
eigen-decomposition is ever formed: ``2 (order - 1) + 1`` sparse-dense
products.

Output scale
------------
``scale="rows"``: rows are L2-normalised and multiplied by
``sqrt(n_components)``: each coordinate then has a mean square of one, the
scale at which scikit-learn's default-regularised linear models work (unit
rows are over-regularised by ``LogisticRegression(C=1)``).
``scale="global"``: one factor for the whole matrix, to the same mean
square of one; rows keep their relative norms (``U sqrt(S)`` as it comes).

Memory is ``O(|E| + n d)``: the factorised matrix and its transpose share
``A``'s pattern, and the dense blocks are ``(n, d + 10)`` float32.
"""

import time

import numpy as np
import scipy.sparse as sp
from scipy import linalg
from scipy.special import ive

from . import _spectral_kernels

__all__ = [
    "log_ratio_matrix",
    "netmf_embedding",
    "netmf_matrix",
    "prone_embedding",
    "randomized_svd",
    "spectral_propagation",
]


class _Sparse:
    """A fixed CSR matrix with float32 data and the engine's products."""

    def __init__(self, A, threads=1):
        A = sp.csr_matrix(A)
        self.indptr = A.indptr
        self.indices = A.indices
        self.data = A.data.astype(np.float32, copy=False)
        self.shape = A.shape
        self.parallel = threads > 1

    def axpby(self, X, alpha=0.0, beta=1.0, out=None):
        """``alpha * X + beta * (A @ X)`` (float32)."""
        X = np.ascontiguousarray(X, dtype=np.float32)
        if out is None:
            out = np.empty((self.shape[0], X.shape[1]), dtype=np.float32)
        kernel = (_spectral_kernels.spmm_parallel if self.parallel
                  else _spectral_kernels.spmm_serial)
        kernel(self.indptr, self.indices, self.data, X, np.float32(alpha),
               np.float32(beta), out)
        return out

    def __matmul__(self, X):
        return self.axpby(X)

    def chebyshev_step(self, X, alpha, T1, T0, conv, coef):
        kernel = (_spectral_kernels.chebyshev_step_parallel if self.parallel
                  else _spectral_kernels.chebyshev_step_serial)
        kernel(self.indptr, self.indices, self.data, X, np.float32(alpha),
               T1, T0, conv, np.float32(coef))


class _Dense:
    """A dense float32 matrix with the product of :class:`_Sparse` (BLAS)."""

    def __init__(self, M):
        self.M = M
        self.shape = M.shape

    def __matmul__(self, X):
        return self.M @ np.ascontiguousarray(X, dtype=np.float32)


def _sign_fix(U, Vt=None):
    """Deterministic signs: the largest |entry| of each column of U > 0."""
    if U.shape[1] == 0:
        return
    idx = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[idx, np.arange(U.shape[1])])
    signs[signs == 0] = 1
    U *= signs.astype(U.dtype)
    if Vt is not None:
        Vt *= signs[:, None].astype(Vt.dtype)


def _orthonormalize(Y):
    """Orthonormal basis of the columns of a tall float32 block (CholeskyQR2).

    Two rounds of ``Y R^-1`` with ``R = chol(Y^T Y)``: a Gram matrix and one
    ``(n, k) x (k, k)`` product each, about 20x cheaper than Householder QR
    on ``(1e5, 138)`` blocks and orthonormal to float32 precision after the
    second round. A numerically rank-deficient block falls back to
    Householder QR.
    """
    for _ in range(2):
        G = (Y.T @ Y).astype(np.float64)
        trace = float(np.trace(G))
        try:
            if not (np.isfinite(trace) and trace > 0):
                raise np.linalg.LinAlgError("zero or non-finite block")
            jitter = 1e-7 * trace / G.shape[0]
            R = np.linalg.cholesky(G + jitter * np.eye(G.shape[0])).T
        except np.linalg.LinAlgError:
            Q, _ = np.linalg.qr(Y)
            return Q
        Rinv = linalg.solve_triangular(R, np.eye(R.shape[0]), lower=False)
        Y = Y @ Rinv.astype(np.float32)
    return Y


def randomized_svd(M, n_components, *, n_oversamples=10, n_iter=5, seed=0,
                   threads=1, step=None):
    """Randomized truncated SVD of a sparse matrix (Halko et al. 2011), or
    of a dense float32 ndarray (products by BLAS).

    Normalised power iterations; deterministic for a fixed ``seed`` (numpy
    ``Generator``, signs fixed). Returns ``U (float32), s, Vt``. ``step``,
    if given, is called with the number of power iterations done after each.
    """
    n_rows, n_cols = M.shape
    k = min(n_components, n_rows, n_cols)
    r = min(k + n_oversamples, n_rows, n_cols)
    rng = np.random.default_rng(seed)
    if isinstance(M, np.ndarray):
        fwd, bwd = _Dense(M), _Dense(M.T)
    else:
        fwd = _Sparse(M, threads)
        bwd = _Sparse(sp.csr_matrix(M).T.tocsr(), threads)
    Q = fwd @ rng.standard_normal((n_cols, r), dtype=np.float32)
    for i in range(n_iter):
        Q = fwd @ _orthonormalize(bwd @ _orthonormalize(Q))
        if step is not None:
            step(i + 1)
    Q = _orthonormalize(Q)
    B = (bwd @ Q).T.astype(np.float64)  # (r, n_cols) = Q^T M
    Ub, s, Vt = np.linalg.svd(B, full_matrices=False)
    U = Q @ Ub[:, :k].astype(np.float32)
    s, Vt = s[:k], Vt[:k]
    _sign_fix(U, Vt)
    return U, s, Vt


def log_ratio_matrix(A, ns_exponent=0.75, negative=1.0):
    """ProNE's matrix ``log P_ij - log(negative q_j)`` on the edges of CSR
    ``A`` (``negative``: the paper's negative-sampling ratio lambda)."""
    strength = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, strength, out=np.zeros_like(strength),
                    where=strength > 0)
    p = A.data * np.repeat(inv, np.diff(A.indptr))  # P_ij on the edges
    inflow = np.bincount(A.indices, weights=p, minlength=A.shape[1])
    neg = inflow ** ns_exponent
    neg /= neg.sum()
    # every column that holds an edge has inflow > 0, so both logs are finite
    data = np.log(p) - np.log(neg[A.indices])
    if negative != 1.0:
        data -= np.log(negative)
    return sp.csr_matrix(
        (data.astype(np.float32), A.indices, A.indptr), shape=A.shape
    )


def _embed_block(Y, n_components, scale="rows"):
    """``U sqrt(S)`` of the thin SVD of a dense ``(n, k)`` block, scaled by
    :func:`_scale` (rows of norm ``sqrt(n_components)`` by default).

    Through the ``k x k`` Gram matrix: ``U sqrt(S) = Y V S^-1/2``.
    """
    G = (Y.T @ Y).astype(np.float64)
    w, V = np.linalg.eigh(G)
    order = np.argsort(w)[::-1][:n_components]
    w, V = w[order], V[:, order]
    s = np.sqrt(np.clip(w, 0, None))
    keep = s > (s[0] * 1e-6 if s.size else 0)
    out = np.zeros((Y.shape[0], n_components), dtype=np.float32)
    if keep.any():
        out[:, : keep.sum()] = Y @ (V[:, keep] / np.sqrt(s[keep])).astype(
            np.float32
        )
    _sign_fix(out)
    return _scale(out, n_components, scale)


def _scale(X, n_components, scale):
    """In place: rows of norm ``sqrt(n_components)`` (``"rows"``) or one
    factor giving the non-zero rows a mean squared norm of ``n_components``
    (``"global"``: rows keep their relative norms)."""
    if scale == "rows":
        return _scale_rows(X, n_components)
    if scale != "global":
        raise ValueError(f"scale must be 'rows' or 'global'; got {scale!r}.")
    sq = np.einsum("ij,ij->i", X, X, dtype=np.float64)
    nonzero = int(np.count_nonzero(sq))
    if nonzero:
        X *= np.float32(np.sqrt(n_components * nonzero / sq.sum()))
    return X


def _scale_rows(X, n_components):
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    scale = np.divide(
        np.float32(np.sqrt(n_components)), norms, out=np.zeros_like(norms),
        where=norms > 0,
    )
    X *= scale
    return X


def _symmetric(A):
    """``A`` if symmetric, else ``A + A^T`` (weights summed)."""
    AT = A.T.tocsr()
    if A.nnz == AT.nnz and (abs(A - AT) > 0).nnz == 0:
        return A
    return (A + AT).tocsr()


def chebyshev_filter(A, R, *, order, mu, theta, threads=1,
                     overwrite=False, step=None):
    """``(A + I) (R - g(L) R)`` for a symmetric ``A`` (see the module doc).

    Four ``(n, d)`` float32 blocks besides ``R`` (three with
    ``overwrite=True``, which reuses ``R``'s memory). ``step``, if given, is
    called with the number of Chebyshev terms done after each.
    """
    n = A.shape[0]
    A1 = (A + sp.eye(n, format="csr", dtype=A.dtype)).tocsr()
    deg = np.asarray(A1.sum(axis=1)).ravel()
    P = _Sparse(sp.diags(1.0 / deg) @ A1, threads)
    R = np.ascontiguousarray(R, dtype=np.float32)
    a = 1.0 - mu  # M = L - mu I = (1 - mu) I - P
    c = ive(np.arange(order), theta) * np.exp(theta)  # Ik(theta)
    # out = R - sum_k s_k c_k T_k R with s_0 = 1, s_k = 2 (-1)^k
    tmp = P.axpby(R, a, -1.0)  # M R
    T1 = P.axpby(tmp, a, -1.0)  # M^2 R
    T1 *= np.float32(0.5)
    T1 -= R  # T1 = (M^2 / 2 - I) R
    conv = np.multiply(R, np.float32(1.0 - c[0]))
    conv += np.float32(2 * c[1]) * T1
    T0 = R if overwrite else R.copy()
    for i in range(2, order):
        P.axpby(T1, a, -1.0, out=tmp)  # M T1
        # T2 = M^2 T1 - 2 T1 - T0 into T0's memory; conv -= s_i c_i T2
        P.chebyshev_step(tmp, a, T1, T0, conv,
                         -2 * c[i] if i % 2 == 0 else 2 * c[i])
        T0, T1 = T1, T0
        if step is not None:
            step(i)
    del T0, T1, R
    return _Sparse(A1, threads).axpby(conv, out=tmp)


def spectral_propagation(A, X, *, order, mu, theta,
                         n_components=None, threads=1, progress=None,
                         scale="rows"):
    """Propagate node vectors ``X`` (rows = nodes of ``A``) spectrally.

    ``order <= 1`` returns ``X`` rescaled only. Directed graphs are
    propagated on ``A + A^T``. Returns float32 ``(n, n_components)``,
    scaled as ``scale`` says (see the module doc).
    ``progress`` (a :class:`skembed._progress.Progress`) sees the task
    "propagation", one unit per Chebyshev term.
    """
    d = X.shape[1] if n_components is None else n_components
    X = np.array(X, dtype=np.float32)
    if order <= 1:
        return (_scale(X, d, scale) if d == X.shape[1]
                else _embed_block(X, d, scale))
    if progress is not None:
        progress.start("propagation", order - 1, unit="steps")
    Y = chebyshev_filter(_symmetric(A), X, order=order, mu=mu, theta=theta,
                         threads=threads, overwrite=True,
                         step=None if progress is None else progress.advance)
    if progress is not None:
        progress.finish()
    return _embed_block(Y, d, scale)


def prone_embedding(A, n_components, *, order, mu, theta,
                    ns_exponent=0.75, negative=1.0, n_iter=5, seed=0,
                    threads=1, progress=None, scale="rows"):
    """ProNE on a CSR adjacency: factorisation, then propagation.

    ``scale`` applies to the output (see the module doc); the factorisation
    hands the propagation rows of norm ``sqrt(n_components)`` either way.

    Returns ``(embedding float32 (n, n_components), info)`` with the
    seconds of each step in ``info``. ``progress`` (a
    :class:`skembed._progress.Progress`) sees the tasks "factorisation" (one
    unit per power iteration) and "propagation", and a line for each.
    """
    t0 = time.perf_counter()
    F = log_ratio_matrix(A, ns_exponent, negative)
    if progress is not None:
        progress.start("factorisation", n_iter, unit="steps")
    U, s, _ = randomized_svd(
        F, n_components, n_iter=n_iter, seed=seed, threads=threads,
        step=None if progress is None else progress.advance,
    )
    if progress is not None:
        progress.finish()
    del F
    R = U * np.sqrt(s).astype(np.float32)
    R = _scale(R, n_components, "rows" if order > 1 else scale)
    if R.shape[1] < n_components:  # fewer nodes than dimensions
        R = np.hstack([R, np.zeros((R.shape[0], n_components - R.shape[1]),
                                   np.float32)])
    t1 = time.perf_counter()
    if progress is not None:
        progress.log(f"factorisation: rank-{n_components} SVD of {A.nnz:,} "
               f"entries in {t1 - t0:.2f} s")
    if order > 1:
        R = spectral_propagation(A, R, order=order, mu=mu, theta=theta,
                                 n_components=n_components, threads=threads,
                                 progress=progress, scale=scale)
    t2 = time.perf_counter()
    if progress is not None and order > 1:
        progress.log(f"propagation: order {order}, mu={mu:g}, theta={theta:g} in "
               f"{t2 - t1:.2f} s")
    return R, {"factorization": t1 - t0, "propagation": t2 - t1}


def netmf_matrix(A, window=10, negative=1.0, threads=1, step=None):
    """NetMF's matrix for a symmetric CSR ``A``, dense float32 ``(n, n)``::

        log max(M, 1),  M = vol(A) / (negative T) (sum_{r=1..T} P^r) D^-1

    with ``P = D^-1 A`` and ``T = window`` (Qiu et al., WSDM 2018: the
    matrix DeepWalk with ``negative`` negatives and window ``T``
    factorises implicitly). ``T`` sparse-dense products of ``(n, n)``
    blocks; three such blocks in memory. ``step``, if given, is called
    with the number of powers done after each.
    """
    strength = np.asarray(A.sum(axis=1), dtype=np.float64).ravel()
    inv = np.divide(1.0, strength, out=np.zeros_like(strength),
                    where=strength > 0)
    P = (sp.diags(inv) @ A).tocsr()
    X = P.toarray().astype(np.float32)
    total = X.copy()
    P = _Sparse(P, threads)
    Y = np.empty_like(X)
    if step is not None:
        step(1)
    for r in range(2, window + 1):
        P.axpby(X, out=Y)  # P^r
        total += Y
        X, Y = Y, X
        if step is not None:
            step(r)
    del X, Y
    # columns scaled by vol / (negative T d_j); isolated columns are 0
    total *= (inv * (strength.sum() / (negative * window))).astype(np.float32)
    np.maximum(total, np.float32(1.0), out=total)
    np.log(total, out=total)
    return total


def netmf_embedding(A, n_components, *, window=10, negative=1.0, n_iter=5,
                    seed=0, threads=1, progress=None, scale="rows"):
    """NetMF on a CSR adjacency (symmetrised if directed): the dense matrix
    of :func:`netmf_matrix`, its rank-``n_components`` randomized SVD,
    ``U sqrt(S)`` scaled as ``scale`` says (see the module doc).

    Returns ``(embedding float32 (n, n_components), info)``; ``progress``
    sees the tasks "matrix" (one unit per power of ``P``) and
    "factorisation" (one per power iteration).
    """
    t0 = time.perf_counter()
    A = _symmetric(sp.csr_matrix(A))
    if progress is not None:
        progress.start("matrix", window, unit="steps")
    M = netmf_matrix(A, window, negative, threads,
                     step=None if progress is None else progress.advance)
    if progress is not None:
        progress.finish()
        progress.start("factorisation", n_iter, unit="steps")
    U, s, _ = randomized_svd(
        M, n_components, n_iter=n_iter, seed=seed, threads=threads,
        step=None if progress is None else progress.advance,
    )
    del M
    if progress is not None:
        progress.finish()
    R = _scale(U * np.sqrt(s).astype(np.float32), n_components, scale)
    if R.shape[1] < n_components:  # fewer nodes than dimensions
        R = np.hstack([R, np.zeros((R.shape[0], n_components - R.shape[1]),
                                   np.float32)])
    seconds = time.perf_counter() - t0
    if progress is not None:
        progress.log(f"NetMF: window {window}, rank-{n_components} SVD of a "
                     f"{A.shape[0]:,} x {A.shape[0]:,} matrix in {seconds:.2f} s")
    return R, {"training": seconds}
