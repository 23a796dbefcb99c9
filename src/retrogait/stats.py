"""Small, tested statistics used by :mod:`retrogait.compare` and the plots.

Every function takes plain arrays (NaNs already removed by the caller unless said
otherwise), never changes them, and returns plain numbers or named tuples.  The formulas
are written out here rather than taken from a statistics package so that each one can be
checked against its textbook form:

* Welch's t test and its CI: Welch (1947) *Biometrika* 34:28, Satterthwaite (1946)
  degrees of freedom.
* Hedges' g with the exact small-sample correction J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)):
  Hedges (1981) *J Educ Stat* 6:107; Hedges & Olkin (1985).
* Paired effect size d_z = mean(d) / SD(d), multiplied by J(n − 1) ("g_z"): Lakens (2013)
  *Front Psychol* 4:863.
* Difference of two proportions, hybrid score interval: Newcombe (1998) *Stat Med*
  17:873, method 10; Cohen's h = 2·asin√p1 − 2·asin√p2: Cohen (1988).
* Holm (1979) *Scand J Stat* 6:65 step-down correction; Benjamini & Hochberg (1995).
* Limits of agreement with their confidence intervals: Bland & Altman (1986) *Lancet*
  i:307 and (1999) *Stat Methods Med Res* 8:135.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import special
from scipy import stats as sps

from retrogait.errors import InputError

__all__ = [
    "TestResult",
    "Agreement",
    "hedges_correction",
    "hedges_g",
    "paired_gz",
    "welch_test",
    "paired_t_test",
    "mann_whitney_test",
    "wilcoxon_test",
    "bootstrap_mean_difference",
    "bootstrap_paired_mean",
    "bootstrap_t_mean_difference",
    "bootstrap_t_mean",
    "cluster_bootstrap_difference",
    "newcombe_difference",
    "cohens_h",
    "fisher_test",
    "adjust_pvalues",
    "agreement",
    "sample_skewness",
]


class TestResult(NamedTuple):
    """Outcome of a two-group comparison of means (or a paired mean difference).

    ``difference`` is always group minus reference (or the mean of the paired differences);
    ``ci_low``/``ci_high`` bound it at the requested confidence level.
    """

    difference: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p: float


class Agreement(NamedTuple):
    """Bland-Altman agreement of a measurement against a reference (same unit)."""

    n: int
    bias: float
    sd: float
    loa_low: float
    loa_high: float
    bias_ci_low: float
    bias_ci_high: float
    loa_low_ci: tuple[float, float]
    loa_high_ci: tuple[float, float]


def _as_1d(x: object, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise InputError(f"{name}: expected a 1-D array of numbers, found shape {arr.shape}")
    return arr


def sample_skewness(x: object) -> float:
    """Adjusted Fisher-Pearson skewness G1 (NaN for fewer than 3 values or zero spread)."""
    arr = _as_1d(x, "x")
    if arr.size < 3 or np.ptp(arr) == 0:
        return math.nan
    return float(sps.skew(arr, bias=False))


def hedges_correction(df: float) -> float:
    """Exact small-sample correction factor J(df) of Hedges (1981).

    J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)); about 1 − 3 / (4·df − 1).  NaN for df ≤ 1.
    """
    if not df > 1:
        return math.nan
    return float(math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2))


def hedges_g(a: object, b: object) -> float:
    """Hedges' g of ``a`` minus ``b``: Cohen's d with the pooled SD, times J(na + nb − 2).

    Returns NaN when either group has fewer than 2 values or the pooled SD is 0.
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    na, nb = x.size, y.size
    if na < 2 or nb < 2:
        return math.nan
    df = na + nb - 2
    pooled = math.sqrt(((na - 1) * x.var(ddof=1) + (nb - 1) * y.var(ddof=1)) / df)
    if pooled == 0:
        return math.nan
    return float((x.mean() - y.mean()) / pooled * hedges_correction(df))


def paired_gz(d: object) -> float:
    """Paired effect size g_z = mean(d) / SD(d) · J(n − 1) (Lakens 2013); NaN if SD(d) = 0."""
    arr = _as_1d(d, "d")
    if arr.size < 2:
        return math.nan
    sd = arr.std(ddof=1)
    if sd == 0:
        return math.nan
    return float(arr.mean() / sd * hedges_correction(arr.size - 1))


def _t_result(diff: float, se: float, df: float, confidence: float) -> TestResult:
    if se == 0:
        # No spread at all: the difference is exact.
        p = 1.0 if diff == 0 else 0.0
        stat = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        return TestResult(diff, diff, diff, stat, df, p)
    t = diff / se
    q = float(sps.t.ppf(0.5 + confidence / 2, df))
    p = float(2 * sps.t.sf(abs(t), df))
    return TestResult(diff, diff - q * se, diff + q * se, float(t), float(df), min(p, 1.0))


def welch_test(a: object, b: object, *, confidence: float = 0.95) -> TestResult:
    """Welch's t test of mean(a) − mean(b) with its t-based confidence interval.

    se = √(s_a²/n_a + s_b²/n_b); df by Welch–Satterthwaite.  Needs ≥ 2 values per group.
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    na, nb = x.size, y.size
    if na < 2 or nb < 2:
        nan = math.nan
        return TestResult(float(x.mean() - y.mean()) if na and nb else nan, nan, nan, nan, nan, nan)
    va, vb = x.var(ddof=1) / na, y.var(ddof=1) / nb
    se = math.sqrt(va + vb)
    diff = float(x.mean() - y.mean())
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if se > 0 else float(na + nb - 2)
    return _t_result(diff, se, df, confidence)


def paired_t_test(d: object, *, confidence: float = 0.95) -> TestResult:
    """One-sample t test of the paired differences ``d`` against 0, with its t-based CI."""
    arr = _as_1d(d, "d")
    n = arr.size
    if n < 2:
        nan = math.nan
        return TestResult(float(arr.mean()) if n else nan, nan, nan, nan, nan, nan)
    se = float(arr.std(ddof=1) / math.sqrt(n))
    return _t_result(float(arr.mean()), se, float(n - 1), confidence)


def mann_whitney_test(a: object, b: object) -> tuple[float, float]:
    """Two-sided Mann–Whitney U test; returns (U of ``a``, p).  p = 1 for identical samples."""
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    if x.size == 0 or y.size == 0:
        return math.nan, math.nan
    if np.ptp(np.concatenate([x, y])) == 0:
        return float(x.size * y.size / 2), 1.0
    res = sps.mannwhitneyu(x, y, alternative="two-sided")
    return float(res.statistic), float(res.pvalue)


def wilcoxon_test(d: object) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank test of ``d`` against 0 (zero differences dropped).

    Returns (W, p); p = 1 when every difference is 0.
    """
    arr = _as_1d(d, "d")
    nonzero = arr[arr != 0]
    if nonzero.size == 0:
        return 0.0, 1.0
    res = sps.wilcoxon(nonzero, alternative="two-sided")
    return float(res.statistic), float(res.pvalue)


def _percentile_ci(boot: np.ndarray, confidence: float) -> tuple[float, float]:
    lo, hi = np.percentile(boot, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(lo), float(hi)


def bootstrap_mean_difference(
    a: object, b: object, *, n_boot: int = 2000, seed: int | None = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap CI of mean(a) − mean(b), resampling each group on its own (Efron 1979)."""
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    if x.size < 2 or y.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    mx = x[rng.integers(0, x.size, size=(n_boot, x.size))].mean(axis=1)
    my = y[rng.integers(0, y.size, size=(n_boot, y.size))].mean(axis=1)
    return _percentile_ci(mx - my, confidence)


def bootstrap_paired_mean(
    d: object, *, n_boot: int = 2000, seed: int | None = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of the paired differences ``d``."""
    arr = _as_1d(d, "d")
    if arr.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    return _percentile_ci(arr[rng.integers(0, arr.size, size=(n_boot, arr.size))].mean(axis=1), confidence)


def bootstrap_t_mean_difference(
    a: object, b: object, *, n_boot: int = 2000, seed: int | None = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Studentized (bootstrap-t) CI of mean(a) − mean(b), each group resampled on its own.

    t* = (Δ* − Δ) / se*, with the Welch standard error se computed in every resample; the
    interval is (Δ − t*_{1−α/2}·se, Δ − t*_{α/2}·se) (Efron & Tibshirani 1993, ch. 12;
    Hall 1988 *Ann Stat* 16:927: second-order accurate, unlike the percentile interval).
    Resamples without spread are left out.  NaN when a group has fewer than 2 values or no
    spread at all.
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    if x.size < 2 or y.size < 2:
        return math.nan, math.nan
    se = math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
    diff = float(x.mean() - y.mean())
    if se == 0:
        return diff, diff
    rng = np.random.default_rng(seed)
    xs = x[rng.integers(0, x.size, size=(n_boot, x.size))]
    ys = y[rng.integers(0, y.size, size=(n_boot, y.size))]
    se_star = np.sqrt(xs.var(axis=1, ddof=1) / x.size + ys.var(axis=1, ddof=1) / y.size)
    ok = se_star > 0
    t_star = (xs.mean(axis=1)[ok] - ys.mean(axis=1)[ok] - diff) / se_star[ok]
    q_lo, q_hi = _percentile_ci(t_star, confidence)
    return diff - q_hi * se, diff - q_lo * se


def bootstrap_t_mean(d: object, *, n_boot: int = 2000, seed: int | None = 0,
                     confidence: float = 0.95) -> tuple[float, float]:
    """Studentized (bootstrap-t) CI of the mean of ``d`` (e.g. paired differences); see
    :func:`bootstrap_t_mean_difference`."""
    arr = _as_1d(d, "d")
    if arr.size < 2:
        return math.nan, math.nan
    se = float(arr.std(ddof=1) / math.sqrt(arr.size))
    mean = float(arr.mean())
    if se == 0:
        return mean, mean
    rng = np.random.default_rng(seed)
    ds = arr[rng.integers(0, arr.size, size=(n_boot, arr.size))]
    se_star = ds.std(axis=1, ddof=1) / math.sqrt(arr.size)
    ok = se_star > 0
    t_star = (ds.mean(axis=1)[ok] - mean) / se_star[ok]
    q_lo, q_hi = _percentile_ci(t_star, confidence)
    return mean - q_hi * se, mean - q_lo * se


def cluster_bootstrap_difference(
    a: object,
    clusters_a: object,
    b: object,
    clusters_b: object,
    *,
    n_boot: int = 2000,
    seed: int | None = 0,
    confidence: float = 0.95,
) -> TestResult:
    """Cluster (block) bootstrap of the stride-pooled mean difference mean(a) − mean(b).

    Whole clusters (recordings or subjects) are resampled with replacement within each
    group, keeping the strides of a cluster together, so the correlation of strides within
    a cluster is carried into the interval (Davison & Hinkley 1997, sec. 3.8; Field & Welsh
    2007 *JRSS B* 69:369).  Departure from the plain percentile bootstrap: each group's
    resampled means are spread by √(k/(k−1)) around its point estimate (k = clusters in the
    group), so that their variance matches the unbiased variance of a mean of k clusters;
    with few clusters the plain version is too narrow.  The p-value inverts the percentile interval:
    p = 2 · min(P*(Δ ≤ 0), P*(Δ ≥ 0)) with the +1 correction of Davison & Hinkley.
    ``statistic`` is the point difference divided by the bootstrap SD; ``df`` is NaN.
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    ca, cb = np.asarray(clusters_a), np.asarray(clusters_b)
    if ca.shape != x.shape or cb.shape != y.shape:
        raise InputError("cluster_bootstrap_difference: each value needs exactly one cluster label")
    diff = float(x.mean() - y.mean())
    rng = np.random.default_rng(seed)

    def boot_means(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
        _, inverse = np.unique(labels, return_inverse=True)
        sums = np.bincount(inverse, weights=values)
        counts = np.bincount(inverse).astype(float)
        k = sums.size
        idx = rng.integers(0, k, size=(n_boot, k))
        means = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
        point = sums.sum() / counts.sum()
        # small-sample inflation: the bootstrap variance of a mean of k clusters is (k-1)/k of
        # the unbiased one, so deviations are scaled by sqrt(k/(k-1)).
        return point + (means - point) * math.sqrt(k / (k - 1)) if k > 1 else means

    boot = boot_means(x, ca) - boot_means(y, cb)
    lo, hi = _percentile_ci(boot, confidence)
    below = (np.count_nonzero(boot <= 0) + 1) / (n_boot + 1)
    above = (np.count_nonzero(boot >= 0) + 1) / (n_boot + 1)
    sd = float(boot.std(ddof=1))
    stat = diff / sd if sd > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    return TestResult(diff, lo, hi, float(stat), math.nan, float(min(1.0, 2 * min(below, above))))


def _wilson(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe_difference(
    k1: int, n1: int, k2: int, n2: int, *, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference of proportions p1 − p2 with Newcombe's hybrid score CI (method 10).

    Returns (difference, low, high) as fractions (multiply by 100 for %).
    """
    if n1 < 1 or n2 < 1:
        return math.nan, math.nan, math.nan
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = _wilson(k1, n1, z)
    l2, u2 = _wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h = 2·asin(√p1) − 2·asin(√p2) for two proportions in [0, 1]."""
    return float(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2)))


def fisher_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Two-sided Fisher exact test of a 2×2 table; returns (odds ratio, p)."""
    res = sps.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided")
    return float(res.statistic), float(res.pvalue)


def adjust_pvalues(p: object, *, method: str | None = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons; NaNs are kept and not counted.

    Parameters
    ----------
    p : array-like of float
        Raw p-values.
    method : {"holm", "bonferroni", "fdr_bh", None}
        Holm (1979) step-down (controls the family-wise error rate), Bonferroni, or
        Benjamini–Hochberg (1995) false discovery rate; ``None`` returns ``p`` unchanged.

    Raises
    ------
    InputError
        If ``method`` is not one of the above.
    """
    arr = _as_1d(p, "p").copy()
    if method is None:
        return arr
    if method not in ("holm", "bonferroni", "fdr_bh"):
        raise InputError(f"correction: expected 'holm', 'bonferroni', 'fdr_bh' or None, found {method!r}")
    ok = np.isfinite(arr)
    vals = arr[ok]
    m = vals.size
    if m == 0:
        return arr
    order = np.argsort(vals, kind="stable")
    sorted_p = vals[order]
    if method == "bonferroni":
        adj_sorted = np.minimum(1.0, sorted_p * m)
    elif method == "holm":
        adj_sorted = np.minimum(1.0, np.maximum.accumulate(sorted_p * (m - np.arange(m))))
    else:
        raw = sorted_p * m / np.arange(1, m + 1)
        adj_sorted = np.minimum(1.0, np.minimum.accumulate(raw[::-1])[::-1])
    adj = np.empty(m)
    adj[order] = adj_sorted
    arr[ok] = adj
    return arr


def agreement(measured: object, reference: object, *, confidence: float = 0.95) -> Agreement:
    """Bland–Altman agreement: bias and 95 % limits of agreement of measured − reference.

    Pairs with a NaN on either side are dropped.  Limits = bias ± 1.96·SD.  CI of the bias
    uses t(n−1)·SD/√n; CI of each limit uses SE ≈ √(3·SD²/n) (Bland & Altman 1999, sec. 2.3).

    Raises
    ------
    InputError
        If the two arrays differ in length.
    """
    m, r = _as_1d(measured, "measured"), _as_1d(reference, "reference")
    if m.size != r.size:
        raise InputError(f"agreement: measured has {m.size} values but reference has {r.size}; expected pairs")
    ok = np.isfinite(m) & np.isfinite(r)
    d = m[ok] - r[ok]
    n = int(d.size)
    nan = math.nan
    if n < 2:
        return Agreement(n, float(d.mean()) if n else nan, nan, nan, nan, nan, nan, (nan, nan), (nan, nan))
    bias = float(d.mean())
    sd = float(d.std(ddof=1))
    z = float(sps.norm.ppf(0.975))
    q = float(sps.t.ppf(0.5 + confidence / 2, n - 1))
    se_bias = sd / math.sqrt(n)
    se_loa = math.sqrt(3 * sd * sd / n)
    lo, hi = bias - z * sd, bias + z * sd
    return Agreement(
        n, bias, sd, lo, hi, bias - q * se_bias, bias + q * se_bias,
        (lo - q * se_loa, lo + q * se_loa), (hi - q * se_loa, hi + q * se_loa),
    )
