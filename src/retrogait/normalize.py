"""Stride-normalised signals and gait-phase intervals (the computation behind the plots).

* :func:`normalize_strides` resamples each stride's signal (initial contact to the next
  initial contact of the same foot) onto 0–100 % of the stride by linear interpolation,
  the usual time normalisation of gait curves (e.g. Winter 1991, *The Biomechanics and
  Motor Control of Human Gait*).
* :func:`curves_by` gives the mean ± SD curve per group (e.g. forward vs backward).
* :func:`phase_intervals` and :func:`flight_intervals` give the stance / swing periods of
  each foot and the flight periods (no foot on the ground: every foot in swing).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError, RetrogaitWarning
from retrogait.recording import Recording

__all__ = ["normalize_strides", "curves_by", "curves_from_results", "phase_intervals", "flight_intervals",
           "signal_of"]

_UNNAMED_SENSORS = ("unknown", "", "None", "nan")


def signal_of(recording: Recording, signal: str) -> np.ndarray:
    """One signal of ``recording`` as a float array: a data column, ``acc_norm`` or ``gyr_norm``.

    Raises
    ------
    InputError
        If ``signal`` is neither a column nor a norm the recording can give.
    """
    if signal == "acc_norm":
        return np.linalg.norm(recording.acc(), axis=1)
    if signal == "gyr_norm":
        return np.linalg.norm(recording.gyr(), axis=1)
    if signal not in recording.data.columns:
        raise InputError(
            f"signal: {signal!r} is not a column of recording {recording.name!r}; "
            f"columns: {list(map(str, recording.data.columns))} (or 'acc_norm', 'gyr_norm')"
        )
    return recording.data[signal].to_numpy(dtype=float)


def _strides_of(recording: Recording, strides: pd.DataFrame) -> pd.DataFrame:
    if "sensor" not in strides.columns:
        return strides
    sensors = strides["sensor"].astype(str)
    mine = strides[sensors == recording.name]
    if len(mine):
        return mine
    if sensors.isin(_UNNAMED_SENSORS).all():
        return strides
    raise InputError(
        f"strides: no stride of sensor {recording.name!r}; the table has sensors {sorted(sensors.unique())}"
    )


def normalize_strides(
    recording: Recording, strides: pd.DataFrame, *, signal: str = "acc_norm", n_points: int = 101
) -> pd.DataFrame:
    """Resample each stride of ``recording`` onto ``n_points`` points from 0 to 100 % of the stride.

    Parameters
    ----------
    recording : Recording
        The sensor the strides were found in.
    strides : DataFrame
        Strides table (``start_sample``, ``end_sample``; rows of other sensors are left
        out by the ``sensor`` column).
    signal : str
        A column of ``recording.data`` (``acc_z``, ``gyr_y``, ...) or ``acc_norm`` /
        ``gyr_norm``; the unit is the signal's (m/s² or deg/s).
    n_points : int
        Points per stride (101 gives 1 % steps).

    Returns
    -------
    DataFrame
        Index ``stride_id`` (or the row position), columns the percent of the stride
        (floats 0 … 100), values the interpolated signal.

    Raises
    ------
    InputError
        If a column is missing, ``n_points`` < 2, or no stride belongs to this sensor.

    Warns
    -----
    RetrogaitWarning
        For strides that do not lie inside the recording (they are left out).
    """
    if n_points < 2:
        raise InputError(f"n_points: expected at least 2, found {n_points!r}")
    for column in ("start_sample", "end_sample"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    mine = _strides_of(recording, strides)
    values = signal_of(recording, signal)
    start = mine["start_sample"].to_numpy(dtype=float)
    end = mine["end_sample"].to_numpy(dtype=float)
    inside = (start >= 0) & (end <= recording.n_samples - 1) & (end > start)
    if not inside.all():
        warnings.warn(
            f"normalize_strides: {int((~inside).sum())} stride(s) outside recording {recording.name!r} "
            f"(0 to {recording.n_samples - 1} samples) left out",
            RetrogaitWarning,
            stacklevel=2,
        )
    frac = np.linspace(0.0, 1.0, n_points)
    positions = start[inside, None] + frac[None, :] * (end[inside] - start[inside])[:, None]
    curves = np.interp(positions.ravel(), np.arange(values.size), values).reshape(positions.shape)
    index = mine["stride_id"].to_numpy()[inside] if "stride_id" in mine.columns else np.flatnonzero(inside)
    return pd.DataFrame(curves, index=pd.Index(index, name="stride_id"), columns=100.0 * frac)


def curves_by(normalized: pd.DataFrame, strides: pd.DataFrame, *, by: str = "direction") -> pd.DataFrame:
    """Mean and SD of stride-normalised curves per level of ``by``.

    Parameters
    ----------
    normalized : DataFrame
        Output of :func:`normalize_strides` (index ``stride_id``).
    strides : DataFrame
        Strides table with ``stride_id`` and ``by``.
    by : str
        Grouping column.

    Returns
    -------
    DataFrame
        Tidy: ``group, pct, mean, sd, n`` (SD with ddof = 1; NaN for a single stride).

    Raises
    ------
    InputError
        If ``by`` or ``stride_id`` is not a column of ``strides``.
    """
    for column in (by, "stride_id"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    labels = strides.drop_duplicates("stride_id").set_index("stride_id")[by].astype(str)
    groups = labels.reindex(normalized.index)
    rows = []
    for group in sorted(groups.dropna().unique()):
        block = normalized[(groups == group).to_numpy()].to_numpy(dtype=float)
        sd = block.std(axis=0, ddof=1) if len(block) > 1 else np.full(block.shape[1], np.nan)
        rows.append(pd.DataFrame({"group": group, "pct": normalized.columns.to_numpy(dtype=float),
                                  "mean": block.mean(axis=0), "sd": sd, "n": len(block)}))
    if not rows:
        return pd.DataFrame({"group": pd.Series(dtype=object), "pct": pd.Series(dtype=float),
                             "mean": pd.Series(dtype=float), "sd": pd.Series(dtype=float),
                             "n": pd.Series(dtype="int64")})
    return pd.concat(rows, ignore_index=True)


def curves_from_results(
    results: Any, *, by: str = "condition", signal: str = "acc_norm", n_points: int = 101
) -> pd.DataFrame:
    """Mean ± SD stride curves per group from analysis results (first sensor with strides of each).

    Parameters
    ----------
    results : AnalysisResult, or a list / dict of them
        Objects with ``.strides``, ``.recordings`` and ``.meta``.
    by : str
        Group of a stride: its ``by`` column when the strides table has one (e.g.
        ``"direction"``), else the result's ``meta[by]``, else the dict key.
    signal, n_points
        As in :func:`normalize_strides`.

    Returns
    -------
    DataFrame
        As :func:`curves_by` (``group, pct, mean, sd, n``); empty when no result has
        strides.
    """
    if isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, Sequence) and not isinstance(results, str):
        items = [(f"result{i}", v) for i, v in enumerate(results)]
    else:
        items = [("result0", results)]
    parts_norm, parts_strides = [], []
    for key, item in items:
        strides = getattr(item, "strides", None)
        if not isinstance(strides, pd.DataFrame) or not len(strides):
            continue
        meta = getattr(item, "meta", None) or {}
        for rec in (getattr(item, "recordings", None) or {}).values():
            mine = strides[strides["sensor"].astype(str) == rec.name] if "sensor" in strides.columns else strides
            if not len(mine):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RetrogaitWarning)
                norm = normalize_strides(rec, mine, signal=signal, n_points=n_points)
            ids = pd.Index([f"{key}:{i}" for i in norm.index], name="stride_id")
            parts_norm.append(norm.set_axis(ids, axis=0))
            labelled = mine.assign(stride_id=[f"{key}:{i}" for i in mine["stride_id"]])
            if by not in labelled.columns:
                labelled = labelled.assign(**{by: str(meta.get(by, key))})
            parts_strides.append(labelled[["stride_id", by]])
            break
    if not parts_norm:
        return curves_by(pd.DataFrame(), pd.DataFrame({"stride_id": [], by: []}), by=by)
    return curves_by(pd.concat(parts_norm), pd.concat(parts_strides, ignore_index=True), by=by)


def _foot_key(strides: pd.DataFrame) -> pd.Series:
    side = strides["side"].astype(object) if "side" in strides.columns else pd.Series(None, index=strides.index)
    sensor = strides["sensor"].astype(str) if "sensor" in strides.columns else pd.Series("", index=strides.index)
    return pd.Series(
        [str(s) if s in ("left", "right") else str(n) for s, n in zip(side, sensor, strict=True)],
        index=strides.index,
    )


def phase_intervals(strides: pd.DataFrame) -> pd.DataFrame:
    """Stance and swing intervals of every stride with a final contact.

    Stance runs from ``start_s`` (initial contact) to ``fc_s`` (final contact), swing from
    ``fc_s`` to ``end_s``.  Strides without ``fc_s`` give no interval.

    Returns
    -------
    DataFrame
        ``foot`` (side, or the sensor when there is no side), ``phase`` (stance/swing),
        ``start_s``, ``end_s``, ``stride_id``.
    """
    for column in ("start_s", "end_s", "fc_s"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    ok = strides[np.isfinite(strides["fc_s"].to_numpy(dtype=float))]
    foot = _foot_key(ok)
    ids = ok["stride_id"].to_numpy() if "stride_id" in ok.columns else np.arange(len(ok))
    stance = pd.DataFrame({"foot": foot.to_numpy(), "phase": "stance", "start_s": ok["start_s"].to_numpy(float),
                           "end_s": ok["fc_s"].to_numpy(float), "stride_id": ids})
    swing = pd.DataFrame({"foot": foot.to_numpy(), "phase": "swing", "start_s": ok["fc_s"].to_numpy(float),
                          "end_s": ok["end_s"].to_numpy(float), "stride_id": ids})
    out = pd.concat([stance, swing], ignore_index=True)
    return out.sort_values(["foot", "start_s", "phase"], kind="stable").reset_index(drop=True)


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def flight_intervals(strides: pd.DataFrame) -> pd.DataFrame:
    """Flight periods: times when every foot is in swing (needs strides of ≥ 2 feet).

    Returns
    -------
    DataFrame
        ``start_s, end_s, duration_s``; empty when fewer than two feet are present.
    """
    phases = phase_intervals(strides)
    swing = phases[phases["phase"] == "swing"]
    feet = sorted(swing["foot"].unique())
    empty = pd.DataFrame({"start_s": pd.Series(dtype=float), "end_s": pd.Series(dtype=float),
                          "duration_s": pd.Series(dtype=float)})
    if len(feet) < 2:
        return empty
    common: list[tuple[float, float]] | None = None
    for foot in feet:
        block = swing[swing["foot"] == foot].sort_values("start_s")
        intervals = list(zip(block["start_s"].to_numpy(float), block["end_s"].to_numpy(float), strict=True))
        common = intervals if common is None else _intersect(common, intervals)
    if not common:
        return empty
    arr = np.asarray(common, dtype=float)
    return pd.DataFrame({"start_s": arr[:, 0], "end_s": arr[:, 1], "duration_s": arr[:, 1] - arr[:, 0]})
