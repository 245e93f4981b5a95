"""Ridge regression on sparse features, solved the same way on every machine.

Why not scikit-learn's `Ridge(solver="sparse_cg")`: its conjugate gradient takes inner products with
BLAS, whose kernels (chosen per CPU, or by `OPENBLAS_CORETYPE`) round differently, so the fitted
weights, and the saved model's bytes, differed between two processes on the same machine with and
without `OPENBLAS_CORETYPE=Haswell` (measured: coef.npy changed, everything else equal). The model is a
DVC output whose hash is committed, so it must not. Here the matrix products are scipy's sparse loops
(a fixed order, no BLAS) and every inner product is `math.fsum` (exactly rounded, so independent of any
order): the iterates, the stopping step and the weights are the same bits everywhere.

The problem solved is scikit-learn's with an intercept and optional sample weights s: minimise
sum_i s_i (y_i - x_i w - b)^2 + alpha ||w||^2, by conjugate gradient on the centred normal equations
(X_c^T S X_c + alpha I) w = X_c^T S y_c, X_c = X - 1 m^T with m the s-weighted column means, applied
implicitly (X stays sparse). Unit weights give exactly the unweighted iterates (every product by 1.0 is exact).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return math.fsum((a * b).tolist())


def ridge_fit(
    x: sp.spmatrix, y: np.ndarray, alpha: float, tol: float = 1e-8, max_iter: int = 2000, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """(weights, intercept) of ridge regression on sparse `x` (n_samples x n_features) and targets `y`,
    each row's squared error counted `sample_weight` times (None: once)."""
    x = sp.csr_matrix(x, dtype=np.float64)
    xt = x.T.tocsr()
    y = np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if sw.shape != (n,) or (sw < 0).any() or not sw.sum() > 0:
        raise ValueError(f"sample_weight must be {n} non-negative numbers, not all zero")
    total = math.fsum(sw.tolist())
    mean_x = (xt @ sw) / total  # weighted column means (a sparse matrix-vector product: fixed order)
    y_mean = math.fsum((sw * y).tolist()) / total
    yc = y - y_mean

    def xc(w: np.ndarray) -> np.ndarray:  # X_c w
        return x @ w - _dot(mean_x, w)

    def xct(r: np.ndarray) -> np.ndarray:  # X_c^T r
        return xt @ r - mean_x * math.fsum(r.tolist())

    def normal(w: np.ndarray) -> np.ndarray:
        return xct(sw * xc(w)) + alpha * w

    b = xct(sw * yc)
    w = np.zeros(x.shape[1])
    r = b.copy()
    p = r.copy()
    rr = _dot(r, r)
    stop = tol * tol * _dot(b, b)
    for _ in range(max_iter):
        if rr <= stop:
            break
        q = normal(p)
        step = rr / _dot(p, q)
        w = w + step * p
        r = r - step * q
        rr_new = _dot(r, r)
        p = r + (rr_new / rr) * p
        rr = rr_new
    return w, y_mean - _dot(mean_x, w)
