"""Summary of one analysed trial: counts, mean / SD / CV, symmetry and label shares.

Definitions (see the documentation page *Units and data contracts*):

- CV = 100 * SD / mean (%), SD with ddof = 1.
- Symmetry index (Robinson et al. 1987, J Manipulative Physiol Ther 10:172):
  SI = 100 * (mean_right - mean_left) / (0.5 * (mean_right + mean_left)), 0 = symmetric.
- ``<label>_pct`` columns give the share of strides with each contact type, direction
  and gait, in % of all strides (``unknown`` included, so each family sums to 100).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema

#: Parameters whose left/right symmetry index is reported.
SYMMETRY_PARAMETERS = ("stride_time_s", "stance_time_s", "swing_time_s", "step_time_s", "stride_length_m")


def _stats(values: pd.Series) -> tuple[float, float, float]:
    x = values.to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1)) if x.size > 1 else np.nan
    cv = 100.0 * sd / mean if mean != 0 and np.isfinite(sd) else np.nan
    return mean, sd, cv


def summarize(
    strides: pd.DataFrame,
    bouts: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    duration_s: float = np.nan,
    meta: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Summarise a trial in one row.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table of the trial.
    bouts : pandas.DataFrame
        Bouts table of the trial.
    events : pandas.DataFrame, optional
        Events table; gives ``n_steps`` (initial contacts of all sensors of one
        placement counted once: the largest count over placements/sensors with sides
        combined).
    duration_s : float
        Duration of the recording in s (default NaN: unknown).
    meta : mapping, optional
        Scalar meta fields (subject, condition, source_file, ...) copied as columns.

    Returns
    -------
    pandas.DataFrame
        One row: ``n_strides, n_bouts, n_short_bouts, duration_s`` (s), ``n_steps`` (the
        always-present ``schema.SUMMARY_COLUMNS`` among them); for each
        parameter in ``schema.SUMMARY_PARAMETERS`` present in ``strides``:
        ``<p>_mean, <p>_sd`` (in the unit of ``<p>``), ``<p>_cv_pct`` (%); ``<p>_si_pct``
        (%) for the symmetry parameters;
        label shares ``<label>_pct`` (``contact_unknown_pct``, ``direction_unknown_pct``,
        ``gait_unknown_pct`` for the unknowns); ``contact_type_majority``,
        ``direction_majority``, ``gait_majority``; meta.

    Examples
    --------
    >>> st = schema.conform(pd.DataFrame({"stride_id": [0, 1], "start_s": [0.0, 1.0], "end_s": [1.0, 2.1],
    ...     "stride_time_s": [1.0, 1.1], "side": ["left", "right"], "sensor": ["a", "b"]}), schema.STRIDES_COLUMNS)
    >>> row = summarize(st, schema.empty_bouts())
    >>> round(float(row.loc[0, "stride_time_s_mean"]), 3), round(float(row.loc[0, "stride_time_s_si_pct"]), 2)
    (1.05, 9.52)
    """
    row: dict[str, Any] = {
        "n_strides": len(strides),
        "n_bouts": len(bouts),
        "n_short_bouts": int(bouts["short"].sum()) if "short" in bouts.columns else 0,
        "duration_s": float(duration_s),
    }
    ic = events[events["event"] == "ic"] if events is not None else None
    row["n_steps"] = _count_steps(ic) if ic is not None and not ic.empty else 0
    for name in schema.SUMMARY_PARAMETERS:
        if name not in strides.columns:
            continue
        mean, sd, cv = _stats(strides[name])
        row[f"{name}_mean"], row[f"{name}_sd"], row[f"{name}_cv_pct"] = mean, sd, cv
    for name in SYMMETRY_PARAMETERS:
        if name not in strides.columns:
            continue
        left, _, _ = _stats(strides.loc[strides["side"] == "left", name])
        right, _, _ = _stats(strides.loc[strides["side"] == "right", name])
        denom = 0.5 * (left + right)
        row[f"{name}_si_pct"] = 100.0 * (right - left) / denom if np.isfinite(denom) and denom != 0 else np.nan
    n = len(strides)
    for column, labels, unknown_name in (("contact_type", schema.CONTACT_TYPES, "contact_unknown_pct"),
                                         ("direction", schema.DIRECTIONS, "direction_unknown_pct"),
                                         ("gait", schema.GAITS, "gait_unknown_pct")):
        counts = strides[column].value_counts() if n else pd.Series(dtype=int)
        for lab in labels:
            name = unknown_name if lab == "unknown" else f"{lab}_pct"
            row[name] = 100.0 * counts.get(lab, 0) / n if n else np.nan
        known = strides[column][strides[column] != "unknown"]
        row[f"{column}_majority"] = str(known.value_counts().idxmax()) if not known.empty else "unknown"
    for key, value in (meta or {}).items():
        if np.isscalar(value) or value is None:
            row.setdefault(str(key), value)
    out = pd.DataFrame([row])
    out["n_strides"] = out["n_strides"].astype("int64")
    out["n_bouts"] = out["n_bouts"].astype("int64")
    return out


def _count_steps(ic: pd.DataFrame) -> int:
    """Steps of a trial: the ic of both sides of one placement, counted once.

    With two foot sensors the left and right ic add up; a trunk sensor alone gives both
    sides itself.  When several sensor groups see the same steps, the largest count is
    used.
    """
    per_sensor = ic.groupby(["sensor", ic["side"].fillna("none")]).size()
    sided = per_sensor[per_sensor.index.get_level_values(1) != "none"]
    unsided = per_sensor[per_sensor.index.get_level_values(1) == "none"]
    by_side = sided.groupby(level=1).max() if not sided.empty else pd.Series(dtype=int)
    candidates = [int(by_side.sum())] if not by_side.empty else []
    candidates += [int(v) for v in unsided.to_numpy()]
    return max(candidates) if candidates else 0
