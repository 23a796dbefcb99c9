"""Compare conditions: differences, confidence intervals, effect sizes and tests.

:func:`compare` takes analysis results or stacked strides / summary tables and returns a
tidy table with one row per parameter and contrast.  :func:`agreement` gives the
Bland–Altman statistics of a measurement against a reference.

How the unit of analysis is chosen (strides are not independent)
------------------------------------------------------------------
Strides of one person are serially correlated, so treating every stride of several
recordings as an independent observation makes p-values and intervals far too narrow.
``compare`` therefore decides what one observation is:

``paired_by`` given (e.g. ``"subject"``)
    Strides (or summary rows) are averaged per pairing unit and group first; units seen
    in only one group are dropped with a warning; the analysis runs on the paired
    differences (group − reference).

``level="auto"`` (the default)
    * a stacked summary table: each summary row (one recording) is one observation;
    * a strides table with several clusters (recordings, or subjects when a ``subject``
      column varies; see ``cluster``) in every group: as ``level="recording"``;
    * otherwise (e.g. forward vs backward bouts of one recording): as ``level="stride"``.

``level="recording"``
    Strides are averaged per cluster first; each cluster mean is one observation (the
    summary-statistics approach; its t interval kept 95 % coverage with 4 and 8 clusters
    per group in simulation, see the report of issue 6).

``level="stride"``
    * one cluster in a group: strides are the units, and the ``note`` column says that p
      and CI treat them as independent and are therefore optimistic;
    * several clusters in every group: CI and p come from a cluster bootstrap that
      resamples whole clusters (:func:`retrogait.stats.cluster_bootstrap_difference`,
      test = ``cluster_bootstrap``), estimating the difference of the stride-pooled
      means.  Its percentile interval is somewhat narrow with few clusters (simulated
      coverage 0.88 with 4, 0.93 with 8 and 20 clusters per group), which is why
      ``"auto"`` prefers cluster means.

``level="summary"``
    Each summary row (one recording) is one observation.

How the test and the CI are chosen (``test="auto"``)
----------------------------------------------------
* Independent units: Welch's t test with its t-based CI, unless some group has 8 to 29
  units *and* is clearly skewed: sample skewness |G1| > 1 (Bulmer 1979's "highly
  skewed") and |G1| > 2·SES, SES = √(6n(n−1) / ((n−2)(n+1)(n+3))) its standard error, so
  that the noise of G1 in small normal samples does not trigger the switch.  Then the
  Mann–Whitney U test, and a studentized (bootstrap-t) CI of the mean difference: in
  simulations of small log-normal vs normal samples it covered 0.91–0.93 where the
  Welch interval covered 0.86–0.89 and the percentile bootstrap 0.83–0.88.  Below 8
  units neither the skewness nor a bootstrap is reliable and the t route is kept; from
  30 units the t interval is robust by the central limit theorem.  ``test="parametric"``
  or ``"rank"`` forces a route.
* Paired: paired t test and t-based CI of the mean difference, or by the same rule
  applied to the differences, the Wilcoxon signed-rank test with a bootstrap-t CI.
* Shares of a contact type at stride level (``toe_first_pct`` etc., 0/100 per stride):
  difference of proportions with Newcombe's (1998) hybrid score CI, Fisher's exact test,
  and Cohen's h as effect size (instead of the t route, which misbehaves near 0 % / 100 %).
* Effect size: Hedges' g (pooled SD, exact J correction) for independent units, g_z =
  d_z · J(n − 1) for paired units (Lakens 2013), Cohen's h for shares; the bootstrap route
  over clusters reports the stride-level Hedges' g as a description only.
* p-values are adjusted across the parameters of each contrast (Holm by default).

Too few units in a group (fewer than ``min_n``, default 3) gives a
:class:`~retrogait.errors.RetrogaitWarning` and NaN statistics for that row.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait import stats as st
from retrogait._collect import SHARE_PARAMETERS, collect, infer_gait, infer_placements, summary_column
from retrogait.errors import InputError, RetrogaitWarning

__all__ = ["compare", "agreement", "check_claims", "collect", "infer_gait", "infer_placements",
           "COMPARISON_COLUMNS", "SHARE_PARAMETERS", "NOT_RATIO_SCALE"]

#: Parameters without a true zero (angles, signed displacements) or already in % (the
#: shares): a difference in % of their mean means nothing, so ``difference_pct`` is NaN.
NOT_RATIO_SCALE = ("strike_angle_deg", "turning_angle_deg", "lateral_displacement_m") + SHARE_PARAMETERS

#: Columns of the table returned by :func:`compare`, in order.
COMPARISON_COLUMNS: dict[str, str] = {
    "parameter": "object",
    "by": "object",
    "group": "object",
    "reference": "object",
    "unit": "object",
    "n_group": "int64",
    "n_reference": "int64",
    "n_strides_group": "int64",
    "n_strides_reference": "int64",
    "mean_group": "float64",
    "sd_group": "float64",
    "median_group": "float64",
    "mean_reference": "float64",
    "sd_reference": "float64",
    "median_reference": "float64",
    "difference": "float64",
    "difference_pct": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "ci_method": "object",
    "effect_size": "float64",
    "effect_size_type": "object",
    "test": "object",
    "statistic": "float64",
    "p": "float64",
    "p_adj": "float64",
    "gait": "object",
    "placements": "object",
    "note": "object",
}

_CLUSTER_CANDIDATES = ("subject", "file", "source_file", "recording")
_MISSING_LEVELS = ("unknown", "", "nan", "None")
_SKEW_LIMIT = 1.0
_LARGE_N = 30
_MIN_N_RANK = 8


# ----------------------------------------------------------------------------- input


def _parameter_columns(table: pd.DataFrame, kind: str, parameters: Sequence[str] | None) -> dict[str, str]:
    wanted = list(parameters) if parameters is not None else list(schema.SUMMARY_PARAMETERS) + list(SHARE_PARAMETERS)
    found: dict[str, str] = {}
    for p in wanted:
        col = p if kind == "strides" else summary_column(table, p)
        if col is not None and col in table.columns and pd.api.types.is_numeric_dtype(table[col]):
            if parameters is None and not np.isfinite(table[col].to_numpy(dtype=float)).any():
                continue
            found[p] = col
        elif parameters is not None:
            raise InputError(
                f"parameters: column {p!r} not found (or not numeric) in the {kind} table; "
                f"numeric columns: {[c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]}"
            )
    return found


# ---------------------------------------------------------------------------- groups


def _levels(table: pd.DataFrame, by: str) -> list[str]:
    values = table[by].dropna().astype(str)
    return sorted(v for v in values.unique() if v not in _MISSING_LEVELS)


def _default_reference(levels: list[str], by: str) -> str:
    for preferred in ("forward", "walk", "heel_first"):
        if preferred in levels:
            return preferred
    return levels[0]


def _pick_cluster(table: pd.DataFrame, by: str, cluster: str | None) -> str | None:
    if cluster is None:
        return None
    if cluster != "auto":
        if cluster not in table.columns:
            raise InputError(f"cluster: column {cluster!r} not found; columns: {list(table.columns)}")
        return cluster
    for name in _CLUSTER_CANDIDATES:
        if name in table.columns and name != by:
            per_group = table.groupby(table[by].astype(str))[name].nunique()
            if (per_group > 1).any():
                return name
    return None


# ---------------------------------------------------------------------------- rows


def _describe(x: np.ndarray) -> tuple[int, float, float, float]:
    n = int(x.size)
    if n == 0:
        return 0, math.nan, math.nan, math.nan
    sd = float(x.std(ddof=1)) if n > 1 else math.nan
    return n, float(x.mean()), sd, float(np.median(x))


def _use_rank(samples: Sequence[np.ndarray], test: str) -> bool:
    if test == "rank":
        return True
    if test == "parametric":
        return False
    for x in samples:
        n = x.size
        if _MIN_N_RANK <= n < _LARGE_N:
            g1 = st.sample_skewness(x)
            ses = math.sqrt(6.0 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
            if np.isfinite(g1) and abs(g1) > max(_SKEW_LIMIT, 2.0 * ses):
                return True
    return False


def _empty_row(parameter: str, by: str, group: str, reference: str) -> dict[str, Any]:
    row: dict[str, Any] = {k: (math.nan if v == "float64" else "") for k, v in COMPARISON_COLUMNS.items()}
    row.update(parameter=parameter, by=by, group=group, reference=reference)
    for k in ("n_group", "n_reference", "n_strides_group", "n_strides_reference"):
        row[k] = 0
    return row


def _pct(diff: float, ref_mean: float) -> float:
    return 100.0 * diff / ref_mean if np.isfinite(ref_mean) and ref_mean != 0 else math.nan


def _canonical_boot(
    x: np.ndarray, y: np.ndarray, flip: bool, n_boot: int, seed: int | None, confidence: float
) -> tuple[float, float]:
    # resample in the sorted order of the level names, so swapping group and reference
    # gives exactly the negated interval with the same seed
    if not flip:
        return st.bootstrap_t_mean_difference(x, y, n_boot=n_boot, seed=seed, confidence=confidence)
    lo, hi = st.bootstrap_t_mean_difference(y, x, n_boot=n_boot, seed=seed, confidence=confidence)
    return -hi, -lo


def _independent_row(
    row: dict[str, Any], x: np.ndarray, y: np.ndarray, *, share: bool, test: str, n_boot: int, seed: int | None,
    confidence: float,
) -> None:
    if share and test != "parametric":
        k1, n1 = int(np.count_nonzero(x > 50)), x.size
        k2, n2 = int(np.count_nonzero(y > 50)), y.size
        d, lo, hi = st.newcombe_difference(k1, n1, k2, n2, confidence=confidence)
        _, p = st.fisher_test(k1, n1, k2, n2)
        row.update(
            difference=100 * d, ci_low=100 * lo, ci_high=100 * hi, ci_method="newcombe_score",
            effect_size=st.cohens_h(k1 / n1, k2 / n2), effect_size_type="cohens_h", test="fisher_exact",
            statistic=math.nan, p=p,
        )
        return
    row.update(effect_size=st.hedges_g(x, y), effect_size_type="hedges_g")
    if _use_rank([x, y], test):
        u, p = st.mann_whitney_test(x, y)
        flip = str(row["group"]) > str(row["reference"])
        lo, hi = _canonical_boot(x, y, flip, n_boot, seed, confidence)
        row.update(difference=float(x.mean() - y.mean()), ci_low=lo, ci_high=hi, ci_method="bootstrap_t",
                   test="mann_whitney", statistic=u, p=p)
    else:
        res = st.welch_test(x, y, confidence=confidence)
        row.update(difference=res.difference, ci_low=res.ci_low, ci_high=res.ci_high, ci_method="welch_t",
                   test="welch_t", statistic=res.statistic, p=res.p)


def compare(
    data: Any,
    *,
    by: str = "condition",
    reference: str | None = None,
    paired_by: str | None = None,
    parameters: Sequence[str] | None = None,
    level: str = "auto",
    cluster: str | None = "auto",
    test: str = "auto",
    n_boot: int = 2000,
    seed: int | None = 0,
    confidence: float = 0.95,
    correction: str | None = "holm",
    min_n: int = 3,
) -> pd.DataFrame:
    """Compare gait parameters between the levels of a grouping variable.

    Parameters
    ----------
    data : AnalysisResult, DataFrame, or list / dict of them
        Results of :func:`retrogait.analyze`, a strides table (e.g. one recording, or
        batch output stacked with meta columns), or a stacked summary table; see
        :func:`collect`.
    by : str
        Column whose levels are compared, e.g. ``"condition"``, ``"direction"``,
        ``"gait"``.  Missing values and ``"unknown"`` are left out.
    reference : str, optional
        Level every other level is compared against (difference = group − reference).
        Default: ``"forward"``, ``"walk"`` or ``"heel_first"`` (the first of these that is
        a level), else the first level in sorted order.
    paired_by : str, optional
        Column naming the pairing unit (``"subject"``).  Values are averaged per unit and
        level first; the analysis is paired (see the module notes).
    parameters : list of str, optional
        Parameters to compare (stride columns; for a summary table the parameter's
        ``<name>_mean`` column or the column itself).  Default: every parameter of
        ``schema.SUMMARY_PARAMETERS`` and the contact-type shares present with data.
    level : {"auto", "stride", "recording", "summary"}
        Unit of analysis (module notes): ``"auto"`` takes summary rows for a summary
        table, cluster means when every group has several clusters, else strides.
    cluster : str or None
        Column naming clusters of strides (``"auto"``: the first of subject, file,
        source_file, recording that varies within a group; ``None``: no clustering).
    test : {"auto", "parametric", "rank"}
        Test route; ``"auto"`` applies the documented rule.
    n_boot : int
        Bootstrap resamples (bootstrap-t and cluster-bootstrap intervals).
    seed : int or None
        Seed of the bootstrap; the same seed gives the same table.
    confidence : float
        Confidence level of the intervals (0 < confidence < 1).
    correction : {"holm", "bonferroni", "fdr_bh", None}
        Adjustment of p across the parameters of each contrast.
    min_n : int
        Fewest units per group for statistics (≥ 2).

    Returns
    -------
    DataFrame
        One row per contrast and parameter, columns :data:`COMPARISON_COLUMNS`:
        ``difference`` = mean(group) − mean(reference) in the parameter's unit (for shares:
        percentage points), ``difference_pct`` = 100 · difference / mean(reference),
        ``ci_low``/``ci_high`` the interval of the difference, ``unit`` what one
        observation is, ``note`` caveats.

    Raises
    ------
    TypeError
        If ``data`` has the wrong type.
    InputError
        If ``by``/``paired_by``/``cluster``/a parameter is not a column, ``reference`` is
        not a level, fewer than two levels are present, or an option is out of range.

    Warns
    -----
    RetrogaitWarning
        When a group has fewer than ``min_n`` units (that row's statistics are NaN) or
        pairing units are missing from a group.  With the default ``parameters``, a
        parameter that a group has no value of at all (e.g. bilateral values from one
        foot) is only named in ``note``.

    Notes
    -----
    The columns ``gait`` (gait of ≥ 80 % of the strides compared: walk, run, mixed or
    unknown) and ``placements`` (sensor placements, ``;``-separated) are the same in every
    row; :func:`retrogait.claims.check_claims` reads them.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika* 34:28–35.

    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions. *Stat Med* 17:873–890.

    Lakens, D. (2013). Calculating and reporting effect sizes. *Front Psychol* 4:863.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand J Stat*
    6:65–70.

    Bulmer, M. G. (1979). *Principles of Statistics*. Dover (skewness rule of ``test="auto"``).

    Examples
    --------
    Forward vs backward strides of one recording (the strides are the units, so the
    ``note`` warns that p and CI are optimistic):

    >>> import pandas as pd
    >>> from retrogait import schema
    >>> strides = schema.conform(pd.DataFrame({
    ...     "direction": ["forward"] * 4 + ["backward"] * 4,
    ...     "cadence_spm": [110.0, 112.0, 111.0, 113.0, 118.0, 120.0, 119.0, 121.0],
    ...     "stride_length_m": [1.30, 1.32, 1.28, 1.31, 0.90, 0.92, 0.88, 0.91],
    ... }), schema.STRIDES_COLUMNS)
    >>> cmp = compare(strides, by="direction", parameters=["cadence_spm", "stride_length_m"])
    >>> cmp[["parameter", "group", "reference", "difference", "unit"]].round(2)
             parameter     group reference  difference    unit
    0      cadence_spm  backward   forward         8.0  stride
    1  stride_length_m  backward   forward        -0.4  stride
    >>> cmp.loc[0, "note"]
    'strides of one recording treated as independent; p and CI are optimistic'

    Paired by subject on a stacked summary table (one row per recording):

    >>> summary = pd.DataFrame({
    ...     "subject": ["s1", "s2", "s3", "s4"] * 2,
    ...     "condition": ["forward"] * 4 + ["backward"] * 4,
    ...     "cadence_spm_mean": [110.0, 104.0, 116.0, 108.0, 117.0, 112.0, 121.0, 115.0],
    ... })
    >>> paired = compare(summary, by="condition", paired_by="subject", parameters=["cadence_spm"])
    >>> paired[["parameter", "group", "n_group", "difference", "test"]].round(2)
         parameter     group  n_group  difference      test
    0  cadence_spm  backward        4        6.75  paired_t
    """
    if level not in ("auto", "stride", "recording", "summary"):
        raise InputError(f"level: expected 'auto', 'stride', 'recording' or 'summary', found {level!r}")
    if test not in ("auto", "parametric", "rank"):
        raise InputError(f"test: expected 'auto', 'parametric' or 'rank', found {test!r}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence: expected a number between 0 and 1, found {confidence!r}")
    if int(n_boot) < 100:
        raise InputError(f"n_boot: expected at least 100 resamples, found {n_boot!r}")
    if int(min_n) < 2:
        raise InputError(f"min_n: expected at least 2, found {min_n!r}")
    if correction not in ("holm", "bonferroni", "fdr_bh", None):
        raise InputError(f"correction: expected 'holm', 'bonferroni', 'fdr_bh' or None, found {correction!r}")
    table, kind = collect(data, by=by, level=level)
    auto = level == "auto"
    if auto:
        level = "stride" if kind == "strides" else "summary"
    if kind == "summary" and level in ("stride", "recording"):
        raise InputError(f"level={level!r} needs a strides table, found a summary table")
    if by not in table.columns:
        raise InputError(f"by: column {by!r} not found; columns: {list(table.columns)}")
    if paired_by is not None and paired_by not in table.columns:
        raise InputError(f"paired_by: column {paired_by!r} not found; columns: {list(table.columns)}")
    levels = _levels(table, by)
    if len(levels) < 2:
        raise InputError(f"by={by!r}: need at least two levels to compare, found {levels}")
    if reference is None:
        reference = _default_reference(levels, by)
    elif str(reference) not in levels:
        raise InputError(f"reference: {reference!r} is not a level of {by!r}; levels: {levels}")
    reference = str(reference)
    columns = _parameter_columns(table, kind, parameters)
    labels = table[by].astype(str)
    clus = None
    if paired_by is None and level in ("stride", "recording"):
        clus = _pick_cluster(table, by, cluster)
        if auto and clus is not None:
            in_levels = labels.isin(levels)
            per_group = table.loc[in_levels, clus].groupby(labels[in_levels]).nunique()
            if len(per_group) == len(levels) and per_group.min() >= 2:
                level = "recording"
        if level == "recording" and clus is None:
            clus = "recording" if "recording" in table.columns else None
            if clus is None:
                raise InputError("level='recording': no recording/file/subject column to average strides by")

    rows: list[dict[str, Any]] = []
    for group in [lv for lv in levels if lv != reference]:
        contrast: list[dict[str, Any]] = []
        for parameter, column in columns.items():
            row = _empty_row(parameter, by, group, reference)
            values = table[column].to_numpy(dtype=float)
            finite = np.isfinite(values)
            in_g = (labels == group).to_numpy() & finite
            in_r = (labels == reference).to_numpy() & finite
            if kind == "strides":
                row["n_strides_group"], row["n_strides_reference"] = int(in_g.sum()), int(in_r.sum())
            share = parameter in SHARE_PARAMETERS and kind == "strides"
            notes: list[str] = []
            if paired_by is not None:
                _paired(row, table, values, in_g, in_r, paired_by, group, reference, test=test, n_boot=n_boot,
                        seed=seed, confidence=confidence, min_n=min_n, notes=notes)
            else:
                if level == "recording" and clus is not None:
                    cg = table[clus].to_numpy()[in_g]
                    cr = table[clus].to_numpy()[in_r]
                    x = pd.Series(values[in_g]).groupby(cg).mean().to_numpy()
                    y = pd.Series(values[in_r]).groupby(cr).mean().to_numpy()
                    unit = f"{clus} mean"
                    share = False
                    if set(pd.unique(cg)) == set(pd.unique(cr)):
                        notes.append(f"every {clus} has both levels: paired_by={clus!r} would use the pairing")
                else:
                    x, y = values[in_g], values[in_r]
                    unit = "stride" if kind == "strides" else "summary row"
                n_x, mean_x, sd_x, med_x = _describe(x)
                n_y, mean_y, sd_y, med_y = _describe(y)
                row.update(unit=unit, n_group=n_x, n_reference=n_y, mean_group=mean_x, sd_group=sd_x,
                           median_group=med_x, mean_reference=mean_y, sd_reference=sd_y, median_reference=med_y)
                if min(n_x, n_y) < min_n:
                    _warn_few(parameter, group, reference, n_x, n_y, min_n, unit, notes,
                              quiet_if_absent=parameters is None)
                    row["difference"] = mean_x - mean_y
                elif level == "stride" and clus is not None:
                    cg = table[clus].to_numpy()[in_g]
                    cr = table[clus].to_numpy()[in_r]
                    k_g, k_r = len(pd.unique(cg)), len(pd.unique(cr))
                    if min(k_g, k_r) >= 2:
                        if group < reference:
                            res = st.cluster_bootstrap_difference(x, cg, y, cr, n_boot=n_boot, seed=seed,
                                                                  confidence=confidence)
                        else:  # resample in sorted level order (see _canonical_boot), then negate
                            rev = st.cluster_bootstrap_difference(y, cr, x, cg, n_boot=n_boot, seed=seed,
                                                                  confidence=confidence)
                            res = rev._replace(difference=-rev.difference, ci_low=-rev.ci_high,
                                               ci_high=-rev.ci_low, statistic=-rev.statistic)
                        row.update(difference=res.difference, ci_low=res.ci_low, ci_high=res.ci_high,
                                   ci_method="cluster_bootstrap", test="cluster_bootstrap",
                                   statistic=res.statistic, p=res.p, effect_size=st.hedges_g(x, y),
                                   effect_size_type="hedges_g (strides, descriptive)")
                        notes.append(f"resampled whole {clus} clusters ({k_g} vs {k_r})")
                    else:
                        _independent_row(row, x, y, share=share, test=test, n_boot=n_boot, seed=seed,
                                         confidence=confidence)
                        notes.append(
                            f"strides treated as independent: only {min(k_g, k_r)} {clus} in a group; "
                            "p and CI are optimistic"
                        )
                else:
                    _independent_row(row, x, y, share=share, test=test, n_boot=n_boot, seed=seed,
                                     confidence=confidence)
                    if unit == "stride":
                        notes.append("strides of one recording treated as independent; p and CI are optimistic")
            row["difference_pct"] = (math.nan if parameter in NOT_RATIO_SCALE
                                     else _pct(row["difference"], row["mean_reference"]))
            row["note"] = "; ".join(notes)
            contrast.append(row)
        if contrast:
            adj = st.adjust_pvalues([r["p"] for r in contrast], method=correction)
            for r, a in zip(contrast, adj, strict=True):
                r["p_adj"] = float(a)
        rows.extend(contrast)
    # what the claims check needs to know about the data compared, kept as columns so that
    # it survives a round trip through CSV
    gait = infer_gait(table, by, levels)
    placements = ";".join(sorted(infer_placements(data, table)))
    for r in rows:
        r["gait"], r["placements"] = gait, placements
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    return schema.conform(frame, COMPARISON_COLUMNS)


def _warn_few(parameter: str, group: str, reference: str, n_x: int, n_y: int, min_n: int, unit: str,
              notes: list[str], *, quiet_if_absent: bool = False) -> None:
    if quiet_if_absent and min(n_x, n_y) == 0:
        # a parameter that one group cannot give at all (e.g. bilateral values from one foot):
        # said in the note; a warning for every such default parameter would be noise
        notes.append(f"no {parameter} values in {group if n_x == 0 else reference!r}")
        return
    msg = (f"{parameter}: too few {unit}s to compare {group!r} (n={n_x}) with {reference!r} (n={n_y}); "
           f"need at least {min_n} per group; statistics are NaN")
    warnings.warn(msg, RetrogaitWarning, stacklevel=3)
    notes.append(f"too few {unit}s (n={n_x} vs {n_y}, need {min_n})")


def _paired(
    row: dict[str, Any], table: pd.DataFrame, values: np.ndarray, in_g: np.ndarray, in_r: np.ndarray,
    paired_by: str, group: str, reference: str, *, test: str, n_boot: int, seed: int | None, confidence: float,
    min_n: int, notes: list[str],
) -> None:
    units = table[paired_by].astype(str).to_numpy()
    mg = pd.Series(values[in_g]).groupby(units[in_g]).mean()
    mr = pd.Series(values[in_r]).groupby(units[in_r]).mean()
    common = mg.index.intersection(mr.index)
    dropped = sorted(set(mg.index).symmetric_difference(mr.index))
    if dropped:
        msg = (f"{row['parameter']}: {paired_by} {dropped} not present in both {group!r} and {reference!r}; "
               "left out of the paired comparison")
        warnings.warn(msg, RetrogaitWarning, stacklevel=3)
        notes.append(f"unpaired {paired_by} left out: {dropped}")
    x = mg.loc[common].to_numpy(dtype=float)
    y = mr.loc[common].to_numpy(dtype=float)
    d = x - y
    n = int(d.size)
    _, mean_x, sd_x, med_x = _describe(x)
    _, mean_y, sd_y, med_y = _describe(y)
    row.update(unit=f"{paired_by} (paired)", n_group=n, n_reference=n, mean_group=mean_x, sd_group=sd_x,
               median_group=med_x, mean_reference=mean_y, sd_reference=sd_y, median_reference=med_y,
               difference=float(d.mean()) if n else math.nan)
    if n < min_n:
        _warn_few(str(row["parameter"]), group, reference, n, n, min_n, f"{paired_by} pair", notes)
        return
    row.update(effect_size=st.paired_gz(d), effect_size_type="g_z (paired)")
    if _use_rank([d], test):
        w, p = st.wilcoxon_test(d)
        lo, hi = st.bootstrap_t_mean(d, n_boot=n_boot, seed=seed, confidence=confidence)
        row.update(ci_low=lo, ci_high=hi, ci_method="bootstrap_t", test="wilcoxon", statistic=w, p=p)
    else:
        res = st.paired_t_test(d, confidence=confidence)
        row.update(ci_low=res.ci_low, ci_high=res.ci_high, ci_method="paired_t", test="paired_t",
                   statistic=res.statistic, p=res.p)


def agreement(measured: Any, reference: Any, *, confidence: float = 0.95) -> pd.Series:
    """Bland–Altman agreement of ``measured`` against ``reference`` as a Series.

    Pairs with a NaN on either side are dropped; the limits of agreement are
    bias ± 1.96·SD of the differences (measured − reference).  See
    :func:`retrogait.stats.agreement`.

    Parameters
    ----------
    measured, reference : array-like of float
        Paired values of one quantity in the same unit (e.g. stride length in m from the
        sensor and from a walkway), equal length.
    confidence : float
        Confidence level of the intervals of the bias and of the limits (0 < confidence < 1).

    Returns
    -------
    Series
        Index ``n`` (pairs used), ``bias``, ``sd``, ``loa_low``, ``loa_high``,
        ``bias_ci_low``, ``bias_ci_high``, ``loa_low_ci_low``, ``loa_low_ci_high``,
        ``loa_high_ci_low``, ``loa_high_ci_high``, all but ``n`` in the unit of the inputs
        (NaN with fewer than two pairs).

    Raises
    ------
    InputError
        If ``measured`` and ``reference`` differ in length.

    References
    ----------
    Bland, J. M. & Altman, D. G. (1986). Statistical methods for assessing agreement
    between two methods of clinical measurement. *Lancet* 327:307–310.

    Bland, J. M. & Altman, D. G. (1999). Measuring agreement in method comparison studies.
    *Stat Methods Med Res* 8:135–160 (sec. 2.3, CIs of the limits).

    Examples
    --------
    >>> stats = agreement([1.02, 0.98, 1.10, 1.05], [1.00, 1.00, 1.05, 1.00])
    >>> stats[["n", "bias", "loa_low", "loa_high"]].round(3)
    n           4.000
    bias        0.025
    loa_low    -0.040
    loa_high    0.090
    dtype: float64
    """
    a = st.agreement(measured, reference, confidence=confidence)
    return pd.Series({
        "n": a.n, "bias": a.bias, "sd": a.sd, "loa_low": a.loa_low, "loa_high": a.loa_high,
        "bias_ci_low": a.bias_ci_low, "bias_ci_high": a.bias_ci_high,
        "loa_low_ci_low": a.loa_low_ci[0], "loa_low_ci_high": a.loa_low_ci[1],
        "loa_high_ci_low": a.loa_high_ci[0], "loa_high_ci_high": a.loa_high_ci[1],
    })


def check_claims(comparison_or_data: Any, **options: Any) -> pd.DataFrame:
    """Check the claims made for backward gait; see :func:`retrogait.claims.check_claims`.

    Parameters
    ----------
    comparison_or_data : DataFrame, AnalysisResult, or list / dict of them
        A comparison table with a backward-vs-forward contrast, or anything
        :func:`compare` accepts (results, strides or summary tables) to compute one.
    **options
        Keyword options of :func:`retrogait.claims.check_claims` (``by``, ``backward``,
        ``forward``, ``gait``, ``placement``) and of :func:`compare`.

    Returns
    -------
    DataFrame
        One row per claim, columns :data:`retrogait.claims.CLAIMS_COLUMNS`;
        ``difference`` and its CI are backward − forward in the parameter's unit.

    Raises
    ------
    InputError
        If ``gait`` is not allowed, or the data / comparison have no backward-vs-forward
        contrast.

    References
    ----------
    The claims and their sources are listed in :data:`retrogait.claims.CLAIMS` (e.g.
    Laufer 2005, *J Gerontol A* 60:627; Cavagna et al. 2012, *J Exp Biol* 215:75).

    Examples
    --------
    >>> import pandas as pd
    >>> from retrogait import schema
    >>> strides = schema.conform(pd.DataFrame({
    ...     "direction": ["forward"] * 4 + ["backward"] * 4,
    ...     "cadence_spm": [110.0, 112.0, 111.0, 113.0, 118.0, 120.0, 119.0, 121.0],
    ...     "stride_length_m": [1.30, 1.32, 1.28, 1.31, 0.90, 0.92, 0.88, 0.91],
    ... }), schema.STRIDES_COLUMNS)
    >>> check_claims(strides, gait="walk")[["claim", "verdict"]].head(2)
                 claim    verdict
    0  shorter strides  supported
    1   higher cadence  supported
    """
    from retrogait.claims import check_claims as _check_claims

    return _check_claims(comparison_or_data, **options)
