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

    A named tuple returned by `welch_test`, `paired_t_test` and
    `cluster_bootstrap_difference`: read the fields by name or unpack them in order.
    ``difference`` is always group minus reference (or the mean of the paired differences);
    ``ci_low``/``ci_high`` bound it at the requested confidence level.

    Attributes
    ----------
    difference : float
        Point estimate mean(a) − mean(b), or mean(d) for paired differences, in the unit of
        the compared values (e.g. s, m, m/s, steps/min).  NaN when a group is empty.
    ci_low : float
        Lower confidence limit of ``difference`` (same unit); NaN when a group has fewer
        than 2 values.
    ci_high : float
        Upper confidence limit of ``difference`` (same unit); NaN as ``ci_low``.
    statistic : float
        Dimensionless test statistic: Student's t for the t tests, the difference divided
        by its bootstrap SD for `cluster_bootstrap_difference`; ±inf when the values have
        no spread at all but differ.
    df : float
        Degrees of freedom of the t distribution (Welch–Satterthwaite for two groups,
        n − 1 for paired differences); NaN for the bootstrap.
    p : float
        Two-sided p-value in [0, 1].

    Examples
    --------
    >>> from retrogait.stats import welch_test
    >>> res = welch_test([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])  # identical groups
    >>> res.difference, res.statistic, res.p
    (0.0, 0.0, 1.0)
    >>> difference, ci_low, ci_high, statistic, df, p = res
    >>> ci_low < difference < ci_high
    True
    """

    difference: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p: float


class Agreement(NamedTuple):
    """Bland–Altman agreement of a measurement against a reference (same unit).

    A named tuple returned by `agreement`.  Every value except ``n`` is in the unit of
    the compared measurements (e.g. s for stride time, m for stride length).

    Attributes
    ----------
    n : int
        Number of complete pairs used (pairs with a NaN on either side are dropped).
    bias : float
        Mean difference measured − reference; NaN when ``n`` is 0.
    sd : float
        Sample standard deviation (ddof = 1) of the differences; NaN when ``n`` < 2.
    loa_low : float
        Lower 95 % limit of agreement, bias − 1.96·sd.
    loa_high : float
        Upper 95 % limit of agreement, bias + 1.96·sd.
    bias_ci_low : float
        Lower confidence limit of the bias, bias − t(n − 1)·sd/√n.
    bias_ci_high : float
        Upper confidence limit of the bias, bias + t(n − 1)·sd/√n.
    loa_low_ci : tuple of (float, float)
        Confidence interval (low, high) of the lower limit of agreement.
    loa_high_ci : tuple of (float, float)
        Confidence interval (low, high) of the upper limit of agreement.

    Examples
    --------
    >>> from retrogait.stats import agreement
    >>> res = agreement([1.2, 1.3, 1.4], [1.0, 1.1, 1.2])  # a constant offset of 0.2 s
    >>> res.n, round(res.bias, 3), round(res.sd, 3)
    (3, 0.2, 0.0)
    >>> round(res.loa_low, 3), round(res.loa_high, 3)  # no spread: both limits at the bias
    (0.2, 0.2)
    """

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
    """Adjusted Fisher–Pearson skewness G1 (NaN for fewer than 3 values or zero spread).

    G1 = √(n(n − 1)) / (n − 2) · g1, with g1 = m3 / m2^(3/2) and m_k the k-th central
    moment; this is ``scipy.stats.skew(x, bias=False)``.  `retrogait.compare.compare` uses it
    to decide whether a sample is clearly skewed.

    Parameters
    ----------
    x : array-like of float
        1-D sample in any unit (the skewness is dimensionless); NaNs already removed.

    Returns
    -------
    float
        G1: 0 for a symmetric sample, positive when the right tail is longer; NaN for
        fewer than 3 values or when all values are equal.

    Raises
    ------
    InputError
        If ``x`` is not 1-D.

    References
    ----------
    Joanes, D. N. & Gill, C. A. (1998). Comparing measures of sample skewness and kurtosis.
    *The Statistician* 47:183–189 (G1).

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from retrogait.stats import sample_skewness
    >>> sample_skewness([1.0, 2.0, 3.0])  # symmetric
    0.0

    One long right tail, checked against the formula written out:

    >>> x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    >>> n, dev = x.size, x - x.mean()
    >>> g1 = np.mean(dev**3) / np.mean(dev**2) ** 1.5
    >>> round(sample_skewness(x), 4), round(float(math.sqrt(n * (n - 1)) / (n - 2) * g1), 4)
    (1.6971, 1.6971)
    >>> math.isnan(sample_skewness([2.0, 2.0, 2.0]))  # no spread
    True
    """
    arr = _as_1d(x, "x")
    if arr.size < 3 or np.ptp(arr) == 0:
        return math.nan
    return float(sps.skew(arr, bias=False))


def hedges_correction(df: float) -> float:
    """Exact small-sample correction factor J(df) of Hedges (1981).

    J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)); about 1 − 3 / (4·df − 1).  NaN for df ≤ 1.
    Multiplying Cohen's d by J(df) removes its upward bias in small samples (Hedges' g).

    Parameters
    ----------
    df : float
        Degrees of freedom of the SD used to standardise (dimensionless): na + nb − 2 for
        two independent groups, n − 1 for paired differences.  Need not be an integer.

    Returns
    -------
    float
        J(df) in (0, 1), rising towards 1 as ``df`` grows; NaN for ``df`` ≤ 1 (or NaN).

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *J Educ Stat* 6:107–128.

    Hedges, L. V. & Olkin, I. (1985). *Statistical Methods for Meta-Analysis*. Academic Press.

    Examples
    --------
    >>> import math
    >>> from retrogait.stats import hedges_correction

    With df = 2, Γ(1) = 1 and Γ(1/2) = √π, so J = 1/√π:

    >>> round(hedges_correction(2), 4), round(1 / math.sqrt(math.pi), 4)
    (0.5642, 0.5642)

    The approximation 1 − 3/(4·df − 1) is already close at df = 10:

    >>> round(hedges_correction(10), 4), round(1 - 3 / (4 * 10 - 1), 4)
    (0.9227, 0.9231)
    >>> round(hedges_correction(1000), 4)
    0.9992
    >>> math.isnan(hedges_correction(1))
    True
    """
    if not df > 1:
        return math.nan
    return float(math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2))


def hedges_g(a: object, b: object) -> float:
    """Hedges' g of ``a`` minus ``b``: Cohen's d with the pooled SD, times J(na + nb − 2).

    g = (mean(a) − mean(b)) / s_pooled · J(df), s_pooled² = ((na − 1)·s_a² + (nb − 1)·s_b²)
    / df, df = na + nb − 2, and J is `hedges_correction`.

    Parameters
    ----------
    a : array-like of float
        1-D values of the group of interest, in any unit (e.g. s, m, m/s); no NaNs.
    b : array-like of float
        1-D values of the reference group, in the same unit as ``a``; no NaNs.

    Returns
    -------
    float
        Dimensionless effect size, positive when mean(a) > mean(b); NaN when either group
        has fewer than 2 values or the pooled SD is 0.

    Raises
    ------
    InputError
        If ``a`` or ``b`` is not 1-D.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *J Educ Stat* 6:107–128.

    Hedges, L. V. & Olkin, I. (1985). *Statistical Methods for Meta-Analysis*. Academic Press.

    Examples
    --------
    Means 2 and 4, both SDs 1 (so d = −2), df = 4 where J(4) = √(2/π):

    >>> import math
    >>> from retrogait.stats import hedges_g
    >>> round(hedges_g([1.0, 2.0, 3.0], [3.0, 4.0, 5.0]), 4)
    -1.5958
    >>> round(-2 * math.sqrt(2 / math.pi), 4)
    -1.5958
    >>> math.isnan(hedges_g([1.0], [3.0, 4.0, 5.0]))  # one value: no SD
    True
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
    """Paired effect size g_z = mean(d) / SD(d) · J(n − 1) (Lakens 2013); NaN if SD(d) = 0.

    Parameters
    ----------
    d : array-like of float
        1-D paired differences (condition minus reference, one per subject or pair), in
        any unit; no NaNs.

    Returns
    -------
    float
        Dimensionless effect size d_z corrected by `hedges_correction` (df = n − 1);
        positive when the differences are positive on average; NaN for fewer than 2
        values or when all differences are equal.

    Raises
    ------
    InputError
        If ``d`` is not 1-D.

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science: a practical primer for t-tests and ANOVAs. *Front Psychol* 4:863.

    Examples
    --------
    Mean 2 and SD 1 give d_z = 2; with n = 3, J(2) = 1/√π:

    >>> import math
    >>> from retrogait.stats import paired_gz
    >>> round(paired_gz([1.0, 2.0, 3.0]), 4), round(2 / math.sqrt(math.pi), 4)
    (1.1284, 1.1284)
    >>> math.isnan(paired_gz([0.5, 0.5, 0.5]))  # no spread
    True
    """
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
    The variances need not be equal; the result equals
    ``scipy.stats.ttest_ind(a, b, equal_var=False)`` and its ``confidence_interval()``.

    Parameters
    ----------
    a : array-like of float
        1-D values of the group of interest, in any unit (e.g. s, m, m/s); no NaNs.
    b : array-like of float
        1-D values of the reference group, in the same unit as ``a``; no NaNs.
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    TestResult
        ``difference`` = mean(a) − mean(b) and its CI in the unit of the inputs, Welch's t,
        its df and the two-sided p.  With fewer than 2 values in a group only
        ``difference`` is set (NaN if a group is empty) and the other fields are NaN; with
        no spread at all the CI collapses to the difference and p is 0 or 1.

    Raises
    ------
    InputError
        If ``a`` or ``b`` is not 1-D.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34:28–35.

    Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance
    components. *Biometrics Bulletin* 2:110–114.

    Examples
    --------
    Stride times (s) of two groups, checked against scipy:

    >>> import numpy as np
    >>> from scipy import stats as sps
    >>> from retrogait.stats import welch_test
    >>> a = [1.51, 1.49, 1.62, 1.58, 1.60, 1.55, 1.53]
    >>> b = [1.41, 1.45, 1.39, 1.50, 1.44]
    >>> res = welch_test(a, b)
    >>> ref = sps.ttest_ind(a, b, equal_var=False)
    >>> ci = ref.confidence_interval(0.95)
    >>> bool(np.allclose([res.statistic, res.df, res.p, res.ci_low, res.ci_high],
    ...                  [ref.statistic, ref.df, ref.pvalue, ci.low, ci.high]))
    True
    >>> round(res.difference, 3), round(res.ci_low, 3), round(res.ci_high, 3)
    (0.116, 0.058, 0.175)
    >>> res = welch_test([1.5], [1.4, 1.45])  # one value: a difference but no test
    >>> round(res.difference, 3), bool(np.isnan(res.p))
    (0.075, True)
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
    """One-sample t test of the paired differences ``d`` against 0, with its t-based CI.

    se = SD(d)/√n, df = n − 1; the result equals ``scipy.stats.ttest_1samp(d, 0)`` and its
    ``confidence_interval()``.

    Parameters
    ----------
    d : array-like of float
        1-D paired differences (condition minus reference, one per subject or pair), in any
        unit (e.g. s, m/s); no NaNs.
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    TestResult
        ``difference`` = mean(d) and its CI in the unit of ``d``, t, df = n − 1 and the
        two-sided p.  With a single value only ``difference`` is set; with no values all
        fields are NaN; with no spread the CI collapses to the mean and p is 0 or 1.

    Raises
    ------
    InputError
        If ``d`` is not 1-D.

    Examples
    --------
    Backward minus forward stride time (s) of six subjects, checked against scipy:

    >>> import numpy as np
    >>> from scipy import stats as sps
    >>> from retrogait.stats import paired_t_test
    >>> d = [0.3, -0.1, 0.4, 0.2, 0.5, 0.1]
    >>> res = paired_t_test(d)
    >>> ref = sps.ttest_1samp(d, 0.0)
    >>> ci = ref.confidence_interval(0.95)
    >>> bool(np.allclose([res.statistic, res.p, res.ci_low, res.ci_high],
    ...                  [ref.statistic, ref.pvalue, ci.low, ci.high]))
    True
    >>> round(res.difference, 4), res.df
    (0.2333, 5.0)
    """
    arr = _as_1d(d, "d")
    n = arr.size
    if n < 2:
        nan = math.nan
        return TestResult(float(arr.mean()) if n else nan, nan, nan, nan, nan, nan)
    se = float(arr.std(ddof=1) / math.sqrt(n))
    return _t_result(float(arr.mean()), se, float(n - 1), confidence)


def mann_whitney_test(a: object, b: object) -> tuple[float, float]:
    """Two-sided Mann–Whitney U test; returns (U of ``a``, p).  p = 1 for identical samples.

    Computed by ``scipy.stats.mannwhitneyu(a, b, alternative="two-sided")`` (exact p for
    small samples without ties, normal approximation otherwise), except when every value
    of both groups is the same, where U = na·nb/2 and p = 1.

    Parameters
    ----------
    a : array-like of float
        1-D values of the group of interest, in any unit; no NaNs.
    b : array-like of float
        1-D values of the reference group, in the same unit as ``a``; no NaNs.

    Returns
    -------
    tuple of (float, float)
        ``(U, p)``: U counts the pairs (a_i, b_j) with a_i > b_j (ties count 1/2), between
        0 and na·nb; p is two-sided.  ``(nan, nan)`` when a group is empty.

    Raises
    ------
    InputError
        If ``a`` or ``b`` is not 1-D.

    References
    ----------
    Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables
    is stochastically larger than the other. *Ann Math Stat* 18:50–60.

    Examples
    --------
    Every value of ``a`` above every value of ``b``: U = 3·3 = 9, and only 2 of the
    C(6, 3) = 20 rank splits are as extreme, so the exact p = 2/20:

    >>> from retrogait.stats import mann_whitney_test
    >>> mann_whitney_test([5.0, 6.0, 7.0], [1.0, 2.0, 3.0])
    (9.0, 0.1)
    >>> mann_whitney_test([2.0, 2.0], [2.0, 2.0, 2.0])  # identical samples
    (3.0, 1.0)
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    if x.size == 0 or y.size == 0:
        return math.nan, math.nan
    if np.ptp(np.concatenate([x, y])) == 0:
        return float(x.size * y.size / 2), 1.0
    res = sps.mannwhitneyu(x, y, alternative="two-sided")
    return float(res.statistic), float(res.pvalue)


def wilcoxon_test(d: object) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank test of ``d`` against 0 (zero differences dropped).

    Returns (W, p); p = 1 when every difference is 0.  The non-zero differences are passed
    to ``scipy.stats.wilcoxon(..., alternative="two-sided")``.

    Parameters
    ----------
    d : array-like of float
        1-D paired differences (condition minus reference), in any unit; no NaNs.

    Returns
    -------
    tuple of (float, float)
        ``(W, p)``: W = min(W+, W−), the smaller of the rank sums of the positive and of
        the negative differences; p is two-sided.  ``(0.0, 1.0)`` when every difference
        is 0 (or ``d`` is empty).

    Raises
    ------
    InputError
        If ``d`` is not 1-D.

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin*
    1:80–83.

    Examples
    --------
    Five positive differences: W− = 0, and the exact two-sided p = 2 / 2^5:

    >>> from retrogait.stats import wilcoxon_test
    >>> wilcoxon_test([1.0, 2.0, 3.0, 4.0, 5.0])
    (0.0, 0.0625)
    >>> wilcoxon_test([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])  # the zero is dropped
    (0.0, 0.0625)
    >>> wilcoxon_test([0.0, 0.0, 0.0])
    (0.0, 1.0)
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
    """Percentile bootstrap CI of mean(a) − mean(b), resampling each group on its own (Efron 1979).

    Each group is resampled with replacement ``n_boot`` times; the interval is the
    (1 − confidence)/2 and (1 + confidence)/2 percentiles of the resampled differences.

    Parameters
    ----------
    a : array-like of float
        1-D values of the group of interest, in any unit (e.g. s, m, m/s); no NaNs.
    b : array-like of float
        1-D values of the reference group, in the same unit as ``a``; no NaNs.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.
        ``None`` draws fresh entropy (not reproducible).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    tuple of (float, float)
        ``(low, high)`` confidence limits of mean(a) − mean(b), in the unit of the inputs;
        ``(nan, nan)`` when a group has fewer than 2 values.

    Raises
    ------
    InputError
        If ``a`` or ``b`` is not 1-D.

    References
    ----------
    Efron, B. (1979). Bootstrap methods: another look at the jackknife. *Ann Stat* 7:1–26.

    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> a = rng.normal(1.20, 0.10, 20)  # e.g. stride times (s), true difference 0.2 s
    >>> b = rng.normal(1.00, 0.10, 20)
    >>> from retrogait.stats import bootstrap_mean_difference
    >>> low, high = bootstrap_mean_difference(a, b, seed=0)
    >>> bool(low < a.mean() - b.mean() < high), bool(low > 0)
    (True, True)
    >>> (low, high) == bootstrap_mean_difference(a, b, seed=0)  # seeded: reproducible
    True
    >>> bootstrap_mean_difference([1.0], b)
    (nan, nan)
    """
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
    """Percentile bootstrap CI of the mean of the paired differences ``d``.

    ``d`` is resampled with replacement ``n_boot`` times; the interval is the
    (1 − confidence)/2 and (1 + confidence)/2 percentiles of the resampled means.

    Parameters
    ----------
    d : array-like of float
        1-D values, typically paired differences (condition minus reference), in any
        unit; no NaNs.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.
        ``None`` draws fresh entropy (not reproducible).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    tuple of (float, float)
        ``(low, high)`` confidence limits of mean(d), in the unit of ``d``; ``(nan, nan)``
        for fewer than 2 values.

    Raises
    ------
    InputError
        If ``d`` is not 1-D.

    References
    ----------
    Efron, B. (1979). Bootstrap methods: another look at the jackknife. *Ann Stat* 7:1–26.

    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.random.default_rng(1).normal(0.2, 0.1, 15)  # paired differences, true mean 0.2
    >>> from retrogait.stats import bootstrap_paired_mean
    >>> low, high = bootstrap_paired_mean(d, seed=0)
    >>> bool(low < d.mean() < high), bool(low > 0)
    (True, True)
    >>> (low, high) == bootstrap_paired_mean(d, seed=0)  # seeded: reproducible
    True
    """
    arr = _as_1d(d, "d")
    if arr.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    return _percentile_ci(arr[rng.integers(0, arr.size, size=(n_boot, arr.size))].mean(axis=1), confidence)


def bootstrap_t_mean_difference(
    a: object, b: object, *, n_boot: int = 2000, seed: int | None = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Studentized (bootstrap-t) CI of mean(a) − mean(b), each group resampled on its own.

    ``t* = (Δ* − Δ) / se*``, with the Welch standard error se computed in every resample;
    the interval is ``(Δ − t*[1 − α/2]·se, Δ − t*[α/2]·se)`` where ``t*[q]`` is the q
    quantile of t* and α = 1 − confidence (Efron & Tibshirani 1993, ch. 12; Hall 1988:
    second-order accurate, unlike the percentile interval).  Resamples without spread are
    left out.  NaN when a group has fewer than 2 values.

    Parameters
    ----------
    a : array-like of float
        1-D values of the group of interest, in any unit (e.g. s, m, m/s); no NaNs.
    b : array-like of float
        1-D values of the reference group, in the same unit as ``a``; no NaNs.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.
        ``None`` draws fresh entropy (not reproducible).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    tuple of (float, float)
        ``(low, high)`` confidence limits of mean(a) − mean(b), in the unit of the inputs;
        ``(nan, nan)`` when a group has fewer than 2 values; ``(Δ, Δ)`` when neither group
        has any spread.  The interval need not be symmetric about Δ.

    Raises
    ------
    InputError
        If ``a`` or ``b`` is not 1-D.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Hall, P. (1988). Theoretical comparison of bootstrap confidence intervals. *Ann Stat*
    16:927–953.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> a = rng.normal(1.20, 0.10, 20)  # e.g. stride times (s), true difference 0.2 s
    >>> b = rng.normal(1.00, 0.10, 20)
    >>> from retrogait.stats import bootstrap_t_mean_difference
    >>> low, high = bootstrap_t_mean_difference(a, b, seed=0)
    >>> bool(low < a.mean() - b.mean() < high), bool(low > 0)
    (True, True)
    >>> (low, high) == bootstrap_t_mean_difference(a, b, seed=0)  # seeded: reproducible
    True
    >>> bootstrap_t_mean_difference([3.0, 3.0], [1.0, 1.0])  # no spread: exact difference
    (2.0, 2.0)
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
    """Studentized (bootstrap-t) CI of the mean of ``d`` (e.g. paired differences).

    The one-sample form of `bootstrap_t_mean_difference`: ``t* = (mean* − mean) / se*``
    with se = SD/√n in every resample, interval ``(mean − t*[1 − α/2]·se, mean −
    t*[α/2]·se)``.  Resamples without spread are left out.

    Parameters
    ----------
    d : array-like of float
        1-D values, typically paired differences (condition minus reference), in any
        unit; no NaNs.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.
        ``None`` draws fresh entropy (not reproducible).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    tuple of (float, float)
        ``(low, high)`` confidence limits of mean(d), in the unit of ``d``; ``(nan, nan)``
        for fewer than 2 values; ``(mean, mean)`` when all values are equal.

    Raises
    ------
    InputError
        If ``d`` is not 1-D.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Hall, P. (1988). Theoretical comparison of bootstrap confidence intervals. *Ann Stat*
    16:927–953.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.random.default_rng(1).normal(0.2, 0.1, 15)  # paired differences, true mean 0.2
    >>> from retrogait.stats import bootstrap_t_mean
    >>> low, high = bootstrap_t_mean(d, seed=0)
    >>> bool(low < d.mean() < high), bool(low > 0)
    (True, True)
    >>> (low, high) == bootstrap_t_mean(d, seed=0)  # seeded: reproducible
    True
    >>> bootstrap_t_mean([0.5, 0.5, 0.5])  # no spread: the mean is exact
    (0.5, 0.5)
    """
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
    ``p = 2 · min(P*(Δ ≤ 0), P*(Δ ≥ 0))`` with the +1 correction of Davison & Hinkley.
    ``statistic`` is the point difference divided by the bootstrap SD; ``df`` is NaN.

    Parameters
    ----------
    a : array-like of float
        1-D stride values of the group of interest, in any unit (e.g. s, m, m/s); no NaNs.
    clusters_a : array-like
        Cluster label (recording or subject id, str or int) of each value of ``a``; same
        length as ``a``.
    b : array-like of float
        1-D stride values of the reference group, in the same unit as ``a``; no NaNs.
    clusters_b : array-like
        Cluster label of each value of ``b``; same length as ``b``.  Labels are only
        compared within a group.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same result.
        ``None`` draws fresh entropy (not reproducible).
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    TestResult
        ``difference`` = mean(a) − mean(b) over all strides (in the unit of the inputs) and
        its percentile CI; ``statistic`` = difference / bootstrap SD (dimensionless);
        ``df`` = NaN; two-sided ``p``, never below 2 / (n_boot + 1).

    Raises
    ------
    InputError
        If ``clusters_a`` or ``clusters_b`` does not have one label per value, or if ``a``
        or ``b`` is not 1-D.

    References
    ----------
    Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
    Cambridge University Press (sec. 3.8).

    Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data. *J R Stat Soc B*
    69:369–390.

    Examples
    --------
    Stride times (s) from three recordings per condition:

    >>> import numpy as np
    >>> from retrogait.stats import cluster_bootstrap_difference
    >>> a = [1.20, 1.22, 1.21, 1.30, 1.31, 1.29, 1.30, 1.25, 1.24]
    >>> rec_a = ["a1"] * 3 + ["a2"] * 4 + ["a3"] * 2
    >>> b = [1.00, 1.02, 1.10, 1.08, 1.09, 1.05, 1.06, 1.04]
    >>> rec_b = ["b1"] * 2 + ["b2"] * 3 + ["b3"] * 3
    >>> res = cluster_bootstrap_difference(a, rec_a, b, rec_b, seed=0)
    >>> round(res.difference, 4), round(float(np.mean(a) - np.mean(b)), 4)  # stride-pooled
    (0.2028, 0.2028)
    >>> bool(res.ci_low < res.difference < res.ci_high), bool(np.isnan(res.df))
    (True, True)

    No resample crossed 0, so p is the smallest possible, 2 / (2000 + 1):

    >>> res.p == 2 / 2001
    True
    >>> cluster_bootstrap_difference(a, rec_a[:-1], b, rec_b)
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: cluster_bootstrap_difference: each value needs exactly one cluster label
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


def _check_counts(**counts: int) -> None:
    """Raise InputError unless each event count lies in 0..n of its group (k1/n1, k2/n2)."""
    for group in ("1", "2"):
        k, n = counts[f"k{group}"], counts[f"n{group}"]
        if not (0 <= k <= max(n, 0)):
            raise InputError(f"k{group}: expected an event count between 0 and n{group}={n}, found {k}")


def _wilson(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe_difference(
    k1: int, n1: int, k2: int, n2: int, *, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference of proportions p1 − p2 with Newcombe's hybrid score CI (method 10).

    Returns (difference, low, high) as fractions (multiply by 100 for %).  With (l_i, u_i)
    the Wilson score interval of p_i, low = d − √((p1 − l1)² + (u2 − p2)²) and high =
    d + √((u1 − p1)² + (p2 − l2)²); the limits stay within [−1, 1] and, unlike the Wald
    interval, are informative for 0 or all events.

    Parameters
    ----------
    k1 : int
        Number of events (e.g. recordings with a detected gait) in group 1, 0 ≤ k1 ≤ n1.
    n1 : int
        Number of trials in group 1.
    k2 : int
        Number of events in the reference group 2, 0 ≤ k2 ≤ n2.
    n2 : int
        Number of trials in group 2.
    confidence : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    tuple of (float, float, float)
        ``(difference, low, high)``: p1 − p2 and its confidence limits, as fractions in
        [−1, 1]; all NaN when ``n1`` or ``n2`` is below 1.

    Raises
    ------
    InputError
        If an event count is negative or larger than its group (``k1 > n1``, ``k2 > n2``).

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Stat Med* 17:873–890 (method 10).

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *J Am Stat Assoc* 22:209–212.

    Examples
    --------
    Examples (a) and (b) of Newcombe (1998), Table II, method 10:

    >>> import numpy as np
    >>> from retrogait.stats import newcombe_difference
    >>> np.round(newcombe_difference(56, 70, 48, 80), 4).tolist()
    [0.2, 0.0524, 0.3339]
    >>> np.round(newcombe_difference(9, 10, 3, 10), 4).tolist()
    [0.6, 0.1705, 0.809]
    >>> newcombe_difference(0, 0, 3, 10)
    (nan, nan, nan)
    >>> newcombe_difference(12, 10, 3, 10)
    Traceback (most recent call last):
    retrogait.errors.InputError: k1: expected an event count between 0 and n1=10, found 12
    """
    _check_counts(k1=k1, n1=n1, k2=k2, n2=n2)
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
    """Cohen's h = 2·asin(√p1) − 2·asin(√p2) for two proportions in [0, 1].

    The arcsine transform makes equal differences of h about equally detectable
    whatever the baseline; Cohen's rough benchmarks are 0.2 small, 0.5 medium, 0.8 large.

    Parameters
    ----------
    p1 : float
        Proportion of the group of interest, a fraction in [0, 1] (not %).
    p2 : float
        Proportion of the reference group, a fraction in [0, 1].

    Returns
    -------
    float
        Dimensionless effect size in [−π, π], positive when p1 > p2.

    Raises
    ------
    InputError
        If ``p1`` or ``p2`` is not a fraction in [0, 1] (e.g. a percentage was passed).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    Erlbaum.

    Examples
    --------
    asin(√0.5) = π/4 and asin(0) = 0, so 0.5 against 0 gives π/2; 1 against 0 gives π:

    >>> import math
    >>> from retrogait.stats import cohens_h
    >>> round(cohens_h(0.5, 0.0), 6), round(math.pi / 2, 6)
    (1.570796, 1.570796)
    >>> round(cohens_h(1.0, 0.0), 6), round(math.pi, 6)
    (3.141593, 3.141593)
    >>> round(cohens_h(0.2, 0.5), 4), round(cohens_h(0.5, 0.2), 4)  # antisymmetric
    (-0.6435, 0.6435)
    >>> cohens_h(40.0, 20.0)
    Traceback (most recent call last):
    retrogait.errors.InputError: p1: expected a proportion between 0 and 1, found 40.0
    """
    for name, value in (("p1", p1), ("p2", p2)):
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{name}: expected a proportion between 0 and 1, found {value!r}")
    return float(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2)))


def fisher_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Two-sided Fisher exact test of a 2×2 table; returns (odds ratio, p).

    The table is [[k1, n1 − k1], [k2, n2 − k2]], tested by ``scipy.stats.fisher_exact``.

    Parameters
    ----------
    k1 : int
        Number of events in group 1, 0 ≤ k1 ≤ n1.
    n1 : int
        Number of trials in group 1.
    k2 : int
        Number of events in the reference group 2, 0 ≤ k2 ≤ n2.
    n2 : int
        Number of trials in group 2.

    Returns
    -------
    tuple of (float, float)
        ``(odds_ratio, p)``: the sample odds ratio k1·(n2 − k2) / ((n1 − k1)·k2) (inf or
        NaN when a cell is 0, as in scipy) and the two-sided exact p.

    Raises
    ------
    InputError
        If an event count is negative or larger than its group (``k1 > n1``, ``k2 > n2``).

    References
    ----------
    Fisher, R. A. (1935). *The Design of Experiments*. Oliver & Boyd (the tea-tasting
    experiment).

    Examples
    --------
    Fisher's lady tasting tea: 3 of the 4 milk-first cups and 1 of the 4 tea-first cups
    called milk-first.  The odds ratio is 3·3 / (1·1) = 9; the tables at least as extreme
    have probability (16 + 1) / 70 on each side, so p = 34/70:

    >>> from retrogait.stats import fisher_test
    >>> odds, p = fisher_test(3, 4, 1, 4)
    >>> odds, round(p, 4), round(34 / 70, 4)
    (9.0, 0.4857, 0.4857)
    >>> fisher_test(3, 4, 5, 4)
    Traceback (most recent call last):
    retrogait.errors.InputError: k2: expected an event count between 0 and n2=4, found 5
    """
    _check_counts(k1=k1, n1=n1, k2=k2, n2=n2)
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

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (a new float array, in the order of ``p``), each capped at 1;
        NaN wherever ``p`` is NaN.  With m finite p-values sorted ascending, Holm gives
        max over j ≤ i of (m − j + 1)·p(j), Bonferroni m·p, and Benjamini–Hochberg min
        over j ≥ i of m·p(j)/j.

    Raises
    ------
    InputError
        If ``method`` is not one of the above, or ``p`` is not 1-D.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand J Stat*
    6:65–70.

    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical
    and powerful approach to multiple testing. *J R Stat Soc B* 57:289–300.

    Examples
    --------
    Four p-values, m = 4.  Holm multiplies the sorted values 0.005, 0.01, 0.03, 0.04 by
    4, 3, 2, 1 (0.02, 0.03, 0.06, 0.04) and then keeps the running maximum, so 0.04
    becomes 0.06:

    >>> import numpy as np
    >>> from retrogait.stats import adjust_pvalues
    >>> p = [0.01, 0.04, 0.03, 0.005]
    >>> np.round(adjust_pvalues(p), 4).tolist()
    [0.03, 0.06, 0.06, 0.02]

    Benjamini–Hochberg: m·p(i)/i = 0.02, 0.02, 0.04, 0.04 in sorted order:

    >>> np.round(adjust_pvalues(p, method="fdr_bh"), 4).tolist()
    [0.02, 0.04, 0.04, 0.02]

    A NaN is kept and not counted (m = 2 here):

    >>> np.round(adjust_pvalues([0.01, np.nan, 0.04], method="bonferroni"), 4).tolist()
    [0.02, nan, 0.08]
    >>> adjust_pvalues([0.01], method="sidak")
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: correction: expected 'holm', 'bonferroni', 'fdr_bh' or None, found 'sidak'
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

    Parameters
    ----------
    measured : array-like of float
        1-D values of the method under test (e.g. IMU stride time in s), NaN allowed.
    reference : array-like of float
        1-D reference values of the same quantities, same length and unit as
        ``measured`` (e.g. force-plate stride time in s), NaN allowed.
    confidence : float, default 0.95
        Confidence level of the CIs of the bias and of the limits, in (0, 1).  The limits
        themselves are always the 95 % limits (bias ± 1.96·SD).

    Returns
    -------
    Agreement
        ``n``, ``bias``, ``sd``, the limits and their CIs, in the unit of the inputs.  With
        fewer than 2 complete pairs only ``n`` and ``bias`` (NaN if ``n`` is 0) are set.

    Raises
    ------
    InputError
        If the two arrays differ in length, or either is not 1-D.

    References
    ----------
    Bland, J. M. & Altman, D. G. (1986). Statistical methods for assessing agreement
    between two methods of clinical measurement. *Lancet* 327:307–310.

    Bland, J. M. & Altman, D. G. (1999). Measuring agreement in method comparison studies.
    *Stat Methods Med Res* 8:135–160 (sec. 2.3, CIs of the limits).

    Examples
    --------
    Differences 0.1, 0.3, 0.2, 0.0, 0.4 s: bias 0.2 s, SD √(0.1/4) s; the sixth pair has
    no reference and is dropped:

    >>> import math
    >>> import numpy as np
    >>> from retrogait.stats import agreement
    >>> reference = np.array([1.10, 1.05, 1.20, 1.15, 1.08, np.nan])
    >>> measured = reference + np.array([0.1, 0.3, 0.2, 0.0, 0.4, 0.1])
    >>> res = agreement(measured, reference)
    >>> res.n, round(res.bias, 4), round(res.sd, 4), round(math.sqrt(0.1 / 4), 4)
    (5, 0.2, 0.1581, 0.1581)
    >>> round(res.loa_low, 4), round(res.loa_high, 4)  # 0.2 ∓ 1.96 · 0.1581
    (-0.1099, 0.5099)
    >>> bool(res.loa_high_ci[0] < res.loa_high < res.loa_high_ci[1])
    True
    >>> agreement([1.0, 1.1, 1.2], [1.0, 1.1])
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: agreement: measured has 3 values but reference has 2; expected pairs
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
