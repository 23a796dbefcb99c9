"""Locomotion bouts: periods of movement in a recording, and bouts of consecutive strides.

Two steps, before and after contact detection:

1. :func:`detect_activity` finds stretches where the sensor moves (moving standard
   deviation of the acceleration norm above a threshold).  Event detectors use it so
   that no contact is invented while the wearer stands still.
2. :func:`build_bouts` groups the strides into bouts: strides that follow each other
   without a pause and share gait (walk / run) and direction (forward / backward).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording

#: Moving-SD threshold of the acceleration norm that separates movement from rest, in
#: m/s^2.  At rest the norm varies only by sensor noise (~0.01-0.05 m/s^2 for MEMS
#: accelerometers); even slow walking moves the trunk by > 0.5 m/s^2 SD and the foot by
#: several m/s^2 (Moe-Nilssen 1998, Clin Biomech 13:320, trunk RMS 0.9-2.3 m/s^2).
ACTIVITY_SD_MS2 = 0.25
#: Window of the moving SD: about one stride, so a stance phase does not count as rest.
ACTIVITY_WINDOW_S = 1.0
#: Pauses shorter than this are bridged; activity shorter than this is dropped.
ACTIVITY_MIN_GAP_S = 1.0
ACTIVITY_MIN_DURATION_S = 1.0

#: Bouts with fewer strides than this are kept and reported as short bouts.
MIN_BOUT_STRIDES = 3


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (exclusive) index of each run of True in ``mask``."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def moving_sd(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving standard deviation of ``values`` over ``window`` samples.

    Computed from cumulative sums (O(n)); edges use the available samples.

    Parameters
    ----------
    values : numpy.ndarray
        One-dimensional signal (any unit).
    window : int
        Window length in samples (clipped to 1 … len(values)).

    Returns
    -------
    numpy.ndarray
        Population SD (ddof = 0) of each window, same length and unit as ``values``.

    Examples
    --------
    >>> moving_sd(np.array([0.0, 0.0, 2.0, 0.0, 0.0]), 3).round(3).tolist()
    [0.0, 0.943, 0.943, 0.943, 0.0]
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    window = max(1, min(int(window), n))
    csum = np.concatenate([[0.0], np.cumsum(x)])
    csum2 = np.concatenate([[0.0], np.cumsum(x * x)])
    half = window // 2
    lo = np.clip(np.arange(n) - half, 0, n)
    hi = np.clip(np.arange(n) - half + window, 0, n)
    count = hi - lo
    mean = (csum[hi] - csum[lo]) / count
    var = (csum2[hi] - csum2[lo]) / count - mean**2
    return np.sqrt(np.clip(var, 0.0, None))


def detect_activity(
    rec: Recording,
    *,
    threshold_ms2: float = ACTIVITY_SD_MS2,
    window_s: float = ACTIVITY_WINDOW_S,
    min_gap_s: float = ACTIVITY_MIN_GAP_S,
    min_duration_s: float = ACTIVITY_MIN_DURATION_S,
) -> pd.DataFrame:
    """Find the stretches of a recording where the sensor moves.

    Parameters
    ----------
    rec : Recording
        Any placement.
    threshold_ms2 : float
        Moving SD of the acceleration norm above which the sensor moves, in m/s^2.  The
        default (``ACTIVITY_SD_MS2``) lies between sensor noise at rest (about
        0.01-0.05 m/s^2) and the trunk acceleration of slow walking (RMS 0.9-2.3 m/s^2,
        Moe-Nilssen 1998).
    window_s : float
        Length of the moving window in s.
    min_gap_s : float
        Rest shorter than this is bridged, in s.
    min_duration_s : float
        Movement shorter than this is dropped, in s.

    Returns
    -------
    pandas.DataFrame
        One row per active period: ``start_sample``, ``end_sample`` (exclusive) as
        sample indices, ``start_s``, ``end_s`` in s.

    Raises
    ------
    InputError
        If a parameter is not positive.

    References
    ----------
    Moe-Nilssen R (1998). A new method for evaluating motor control in gait under
    real-life environmental conditions. Part 1: The instrument. Clin Biomech
    13(4-5):320-327 (``ACTIVITY_SD_MS2``: trunk acceleration RMS of walking).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> z = 9.81 + np.where((t > 3) & (t < 7), 3 * np.sin(2 * np.pi * 2 * t), 0.0)
    >>> rec = Recording(pd.DataFrame({"acc_x": 0 * t, "acc_y": 0 * t, "acc_z": z}), fs)
    >>> act = detect_activity(rec)   # movement from 3 s to 7 s, widened by half a window
    >>> len(act), bool(2.4 <= act.start_s[0] <= 3.0), bool(7.0 <= act.end_s[0] <= 7.6)
    (1, True, True)
    """
    for name, value in (("threshold_ms2", threshold_ms2), ("window_s", window_s),
                        ("min_gap_s", min_gap_s), ("min_duration_s", min_duration_s)):
        if not value > 0:
            raise InputError(f"{name}: expected a positive number, found {value!r}")
    fs = rec.sampling_rate_hz
    columns = ["start_sample", "end_sample", "start_s", "end_s"]
    if rec.n_samples == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if "sample" in c else "float64") for c in columns})
    norm = np.linalg.norm(rec.acc(), axis=1)
    sd = moving_sd(norm, round(window_s * fs))
    active = sd > threshold_ms2
    runs = _runs(active)
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < min_gap_s * fs:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    kept = [(a, b) for a, b in merged if (b - a) >= min_duration_s * fs]
    starts = np.array([a for a, _ in kept], dtype=np.int64)
    ends = np.array([b for _, b in kept], dtype=np.int64)
    return pd.DataFrame({"start_sample": starts, "end_sample": ends, "start_s": starts / fs, "end_s": ends / fs})


def _majority(labels: pd.Series) -> str:
    known = labels[labels != "unknown"]
    if known.empty:
        return "unknown"
    return str(known.value_counts().idxmax())


def _change_points(labels: np.ndarray, min_run: int) -> list[int]:
    """Indices where a new label starts and then holds for at least ``min_run`` items.

    ``"unknown"`` never starts or breaks a run: it continues whatever came before.
    """
    points: list[int] = []
    known = [i for i, lab in enumerate(labels) if lab != "unknown"]
    if not known:
        return points
    current = labels[known[0]]
    k = 0
    while k < len(known):
        i = known[k]
        if labels[i] == current:
            k += 1
            continue
        j = k
        while j < len(known) and labels[known[j]] == labels[i]:
            j += 1
        if j - k >= min_run:
            points.append(i)
            current = labels[i]
        k = j
    return points


def build_bouts(strides: pd.DataFrame, *, min_bout_strides: int = MIN_BOUT_STRIDES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Group strides into bouts and label each bout's gait and direction.

    Strides (of all sensors of a trial) whose time spans overlap or touch belong to one
    stretch of locomotion.  A stretch is split where the gait or the direction of the
    strides changes and the new label holds for at least ``min_bout_strides`` strides of
    a sensor (each family of labels on its own; ``unknown`` continues the current
    label); shorter runs of another label stay in the surrounding bout, whose label is
    the majority of its strides.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table.
    min_bout_strides : int
        Bouts with fewer strides (per sensor) are kept and counted as short bouts.

    Returns
    -------
    strides : pandas.DataFrame
        New strides table with ``bout_id`` set.
    bouts : pandas.DataFrame
        Bouts table (``schema.BOUTS_COLUMNS``) plus ``short`` (bool).

    Raises
    ------
    InputError
        If ``strides`` breaks the strides contract.

    Examples
    --------
    Six forward strides, then six backward ones without a pause:

    >>> labels = ["forward"] * 6 + ["backward"] * 6
    >>> st = schema.conform(pd.DataFrame({"start_s": np.arange(12.0), "end_s": np.arange(12.0) + 1,
    ...     "stride_time_s": 1.0, "cadence_spm": 120.0, "gait": "walk", "direction": labels,
    ...     "sensor": "foot_left", "side": "left"}), schema.STRIDES_COLUMNS)
    >>> _, bouts = build_bouts(st)
    >>> bouts[["start_s", "end_s", "n_strides", "direction"]].values.tolist()
    [[0.0, 6.0, 6, 'forward'], [6.0, 12.0, 6, 'backward']]
    """
    schema.validate_strides(strides)
    if strides.empty:
        return strides.copy(), schema.empty_bouts().assign(short=pd.Series(dtype=bool))
    st = strides.sort_values(["start_s", "sensor"], kind="stable").copy()
    # 1) stretches of continuous locomotion: touching or overlapping strides
    starts = st["start_s"].to_numpy()
    ends = st["end_s"].to_numpy()
    stretch = np.zeros(len(st), dtype=np.int64)
    reach = ends[0]
    for i in range(1, len(st)):
        if starts[i] > reach + 1e-9:
            stretch[i] = stretch[i - 1] + 1
        else:
            stretch[i] = stretch[i - 1]
        reach = max(reach, ends[i])
    st["_stretch"] = stretch
    # 2) within a stretch, split where the gait or the direction changes for long enough;
    # each family of labels is looked at on its own so that alternating labels of one
    # family (e.g. side steps with and without flight) do not hide a change of the other.
    n_sensors = max(1, st["sensor"].nunique())
    min_run = max(1, min_bout_strides) * n_sensors
    gait = st["gait"].astype(str).to_numpy()
    direction = st["direction"].astype(str).to_numpy()
    bout = np.zeros(len(st), dtype=np.int64)
    next_id = 0
    for _, idx in st.groupby("_stretch", sort=True).indices.items():
        idx = np.sort(idx)
        cuts = sorted({0, len(idx)} | set(_change_points(gait[idx], min_run))
                      | set(_change_points(direction[idx], min_run)))
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            bout[idx[a:b]] = next_id
            next_id += 1
    st["bout_id"] = bout
    st = st.drop(columns="_stretch").sort_index()
    rows = []
    for bout_id, group in st.groupby("bout_id", sort=True):
        per_sensor = group.groupby("sensor").size().max()
        rows.append({
            "bout_id": int(bout_id),
            "start_s": float(group["start_s"].min()),
            "end_s": float(group["end_s"].max()),
            "n_strides": int(len(group)),
            "gait": _majority(group["gait"]),
            "direction": _majority(group["direction"]),
            "duration_s": float(group["end_s"].max() - group["start_s"].min()),
            "cadence_spm": float(group["cadence_spm"].mean()),
            "stride_time_s": float(group["stride_time_s"].mean()),
            "stride_length_m": float(group["stride_length_m"].mean()) if group["stride_length_m"].notna().any() else np.nan,
            "speed_mps": float(group["speed_mps"].mean()) if group["speed_mps"].notna().any() else np.nan,
            "short": bool(per_sensor < min_bout_strides),
        })
    bouts = schema.conform(pd.DataFrame(rows), schema.BOUTS_COLUMNS)
    return st.reset_index(drop=True), bouts
