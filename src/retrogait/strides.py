"""Strides from contact events: temporal parameters, and bilateral ones when both feet exist.

A stride runs from one initial contact (ic) of a foot to its next ic.  Its final contact
(fc) is the first fc in between; stance = fc - ic, swing = next ic - fc.  Phases that
cannot be measured stay NaN.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from retrogait import schema

#: Shortest and longest plausible stride in seconds.  Sprinting reaches ~0.45 s strides
#: (cadence ~270 spm, Weyand et al. 2000, J Appl Physiol 89:1991) and very slow walking
#: ~2.5 s (Beauchet et al. 2009, J NeuroEng Rehabil 6:32 at 39 % of preferred speed);
#: outside (0.25 s, 3.0 s) two ic belong to different bouts or one ic was missed.
MIN_STRIDE_TIME_S = 0.25
MAX_STRIDE_TIME_S = 3.0

#: Stance share below which a stride has a flight phase: each foot is on the ground for
#: less than half the stride, so there is time with both feet off (running); walking
#: always has double support (stance > 50 %).
RUN_STANCE_PCT = 50.0
#: Without stance times, cadence separates walking from running: the walk-run transition
#: lies near 2 m/s at 140-150 steps/min (Hreljac 1993, Med Sci Sports Exerc 25:1158).
RUN_CADENCE_SPM = 150.0
WALK_CADENCE_SPM = 130.0


def strides_from_events(
    events: pd.DataFrame,
    sampling_rate_hz: float,
    *,
    min_stride_time_s: float = MIN_STRIDE_TIME_S,
    max_stride_time_s: float = MAX_STRIDE_TIME_S,
    single_foot: bool = False,
) -> pd.DataFrame:
    """Build the strides table (temporal parameters) from an events table.

    Events of a known side form strides ic -> next ic of the same sensor and side, and
    so do the events of a sensor on one foot or shank (``single_foot=True``) even when
    its side is unknown.  Otherwise events without a side (phones, wrists) alternate
    feet, so a stride spans two steps: ic[i] -> ic[i + 2].

    Parameters
    ----------
    events : pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``).
    sampling_rate_hz : float
        Sampling rate of the recording the events come from, in Hz.
    min_stride_time_s : float
        Shortest ic-to-ic interval that forms a stride, in s.
    max_stride_time_s : float
        Longest ic-to-ic interval that forms a stride, in s.
    single_foot : bool
        True when every event comes from one foot (foot or shank sensor).

    Returns
    -------
    pandas.DataFrame
        Strides table (``schema.STRIDES_COLUMNS``): temporal columns filled, spatial and
        contact columns NaN / ``"unknown"``, ``bout_id`` -1 until bouts are built, ``gait``
        from stance share or cadence (:func:`classify_gait`).

    Examples
    --------
    >>> ev = pd.DataFrame({"sample": [0, 60, 100, 160], "time_s": [0.0, 0.6, 1.0, 1.6],
    ...                    "event": ["ic", "fc", "ic", "fc"], "side": "left", "sensor": "foot"})
    >>> st = strides_from_events(ev, 100.0)
    >>> st[["stride_time_s", "stance_time_s", "swing_time_s", "cadence_spm"]].round(3).values.tolist()
    [[1.0, 0.6, 0.4, 120.0]]
    """
    schema.validate_events(events)
    rows: list[dict] = []
    for (sensor, side), group in events.groupby(["sensor", events["side"].fillna("none")], sort=True):
        ic = group[group["event"] == "ic"].sort_values("time_s")
        fc_times = np.sort(group.loc[group["event"] == "fc", "time_s"].to_numpy(dtype=float))
        ic_times = ic["time_s"].to_numpy(dtype=float)
        ic_samples = ic["sample"].to_numpy(dtype=np.int64)
        lag = 2 if side == "none" and not single_foot else 1
        for i in range(len(ic_times) - lag):
            start_s, end_s = ic_times[i], ic_times[i + lag]
            stride_time = end_s - start_s
            if not (min_stride_time_s <= stride_time <= max_stride_time_s):
                continue
            fc_s = np.nan
            if lag == 1:
                inside = fc_times[(fc_times > start_s) & (fc_times < end_s)]
                if inside.size:
                    fc_s = float(inside[0])
            rows.append({
                "sensor": sensor,
                "side": None if side == "none" else side,
                "start_sample": int(ic_samples[i]),
                "end_sample": int(ic_samples[i + lag]),
                "start_s": float(start_s),
                "end_s": float(end_s),
                "fc_s": fc_s,
                "stride_time_s": float(stride_time),
                "stance_time_s": fc_s - start_s,
                "swing_time_s": end_s - fc_s,
            })
    if not rows:
        return schema.empty_strides()
    strides = pd.DataFrame(rows).sort_values(["start_s", "sensor"], kind="stable")
    strides["stride_id"] = np.arange(len(strides), dtype=np.int64)
    strides["bout_id"] = np.int64(-1)
    strides["stance_pct"] = 100.0 * strides["stance_time_s"] / strides["stride_time_s"]
    strides["cadence_spm"] = 120.0 / strides["stride_time_s"]
    strides["gait"] = classify_gait(strides["stance_pct"].to_numpy(), strides["cadence_spm"].to_numpy())
    return schema.conform(strides, schema.STRIDES_COLUMNS)


def classify_gait(stance_pct: np.ndarray, cadence_spm: np.ndarray) -> np.ndarray:
    """Label strides ``walk`` or ``run`` from stance share, else from cadence.

    A stance share below 50 % means a flight phase (running).  Without stance, cadence
    >= 150 steps/min is ``run``, <= 130 is ``walk``, in between ``unknown``: the forward
    walk-run transition lies near 2 m/s at 140-150 steps/min (Hreljac 1993), so cadences
    around it are left undecided.

    Parameters
    ----------
    stance_pct : numpy.ndarray
        Stance share of each stride in %, NaN where unknown.
    cadence_spm : numpy.ndarray
        Cadence of each stride in steps/min.

    Returns
    -------
    numpy.ndarray of str
        ``"walk"``, ``"run"`` or ``"unknown"`` per stride.

    Notes
    -----
    Speed is deliberately not a criterion.  The preferred walk-run transition speed
    (about 2 m/s forward, Hreljac 1993; 1.63 m/s backward, Hreljac et al. 2005) is a
    preference, not a boundary: a stride with double support (stance above 50 %) is a
    walk at any speed.  On the UCI course (``benchmarks/accuracy_bouts.py``, last table)
    the subject's short "jog" between walking and running, at about 2 m/s and 125-135
    steps/min, has a stance share of about 52 % (at the boundary within the uncertainty
    of the contact instant) and walking strike angles, so it comes out ``walk``; the
    walk->run bout edge falls within 1 s of the dataset's own jog->run change.  Labelling those strides ``run`` by speed would move that edge only where
    their speed happens to exceed 2 m/s.

    References
    ----------
    Alexander RM (1989). Optimization and gaits in the locomotion of vertebrates.
    Physiol Rev 69:1199-1227.

    Hreljac A (1993). Preferred and energetically optimal gait transition speeds in human
    locomotion. Med Sci Sports Exerc 25:1158-1162 (walk-run transition; the 150 and 130
    steps/min cut-offs).

    Hreljac A, Imamura R, Escamilla RF, Casebolt J, Sison M (2005). Preferred and
    energetically optimal transition speeds during backward human locomotion. J Sports
    Sci Med 4:446-454.

    Examples
    --------
    >>> classify_gait(np.array([62.0, 35.0, np.nan]), np.array([110.0, 170.0, 165.0])).tolist()
    ['walk', 'run', 'run']
    """
    stance = np.asarray(stance_pct, dtype=float)
    cadence = np.asarray(cadence_spm, dtype=float)
    by_cadence = np.where(cadence >= RUN_CADENCE_SPM, "run", np.where(cadence <= WALK_CADENCE_SPM, "walk", "unknown"))
    by_stance = np.where(stance < RUN_STANCE_PCT, "run", "walk")
    return np.where(np.isfinite(stance), by_stance, by_cadence).astype(object)


def _intervals_total(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Total length of the union of ``intervals`` clipped to [lo, hi]."""
    clipped = sorted((max(a, lo), min(b, hi)) for a, b in intervals if b > lo and a < hi)
    total = 0.0
    reach = lo
    for a, b in clipped:
        # count only the part of [a, b] not already covered
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def _contact_intervals(events: pd.DataFrame) -> list[tuple[float, float]]:
    """(ic, fc) pairs of one foot: each ic with the first fc after it and before the next ic."""
    ev = events.sort_values("time_s")
    times = ev["time_s"].to_numpy(dtype=float)
    kinds = ev["event"].to_numpy()
    out = []
    for i in np.flatnonzero(kinds == "ic"):
        for j in range(i + 1, len(kinds)):
            if kinds[j] == "ic":
                break
            if kinds[j] == "fc":
                out.append((times[i], times[j]))
                break
    return out


def add_bilateral(
    strides: pd.DataFrame, events: pd.DataFrame, *, placements: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Add step time, double support and flight time when both feet are present.

    For a stride of one side, the contralateral foot is the opposite side of the same
    placement (the other foot sensor, or the other side's events of one trunk sensor).

    - ``step_time_s``: from the last contralateral ic before the stride's ic to that ic.
    - ``double_support_s`` / ``double_support_pct``: time within the stride when both
      feet are in contact (ic..fc intervals overlap).
    - ``flight_time_s``: time within the stride when neither foot is in contact.

    Strides whose contralateral contacts do not cover the stride keep NaN.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table.
    events : pandas.DataFrame
        Events table of the same trial.
    placements : mapping, optional
        Placement of each sensor name; only sensors of the same placement pair up.
        Without it every sensor may pair with every other.

    Returns
    -------
    pandas.DataFrame
        A new strides table (``schema.STRIDES_COLUMNS``) with ``step_time_s`` (s),
        ``double_support_s`` (s), ``double_support_pct`` (% of stride) and
        ``flight_time_s`` (s) filled; NaN where unknown.  The input is not changed.

    Examples
    --------
    Walking at 1 s strides, 60 % stance, the right foot half a stride behind the left:

    >>> rows = []
    >>> for k in range(4):
    ...     rows += [(k, "ic", "left", "L"), (k + 0.6, "fc", "left", "L"),
    ...              (k + 0.5, "ic", "right", "R"), (k + 1.1, "fc", "right", "R")]
    >>> ev = pd.DataFrame(rows, columns=["time_s", "event", "side", "sensor"]).sort_values("time_s")
    >>> ev = schema.conform(ev.assign(sample=(ev["time_s"] * 100).round().astype("int64")), schema.EVENTS_COLUMNS)
    >>> st = add_bilateral(strides_from_events(ev, 100.0), ev, placements={"L": "foot", "R": "foot"})
    >>> row = st[(st["side"] == "left") & (st["start_s"] == 1.0)].iloc[0]
    >>> round(float(row["step_time_s"]), 3), round(float(row["double_support_pct"]), 1), float(row["flight_time_s"])
    (0.5, 20.0, 0.0)
    """
    out = strides.copy()
    for name in ("step_time_s", "double_support_s", "double_support_pct", "flight_time_s"):
        out[name] = np.nan
    if out.empty:
        return out
    sensors_side = events.dropna(subset=["side"]).groupby("sensor")["side"].unique()
    placement_of = {s: (placements or {}).get(s, "any") for s in sensors_side.index}
    for idx, stride in out.iterrows():
        side = stride["side"]
        if side not in schema.SIDES:
            continue
        other = "right" if side == "left" else "left"
        own_place = (placements or {}).get(stride["sensor"], "any")
        contra_sensors = [s for s, sides in sensors_side.items() if other in sides and placement_of[s] == own_place]
        if not contra_sensors:
            continue
        contra = events[events["sensor"].isin(contra_sensors) & (events["side"] == other)]
        contra_ic = contra.loc[contra["event"] == "ic", "time_s"].to_numpy(dtype=float)
        start, end, fc = stride["start_s"], stride["end_s"], stride["fc_s"]
        before = contra_ic[contra_ic < start]
        if before.size and start - before[-1] < stride["stride_time_s"]:
            out.at[idx, "step_time_s"] = start - before[-1]
        intervals = _contact_intervals(contra)
        covered = [iv for iv in intervals if iv[1] > start and iv[0] < end]
        # The contralateral foot must have contacts on both sides of the stride's window
        # for the phases to be known.
        if not np.isfinite(fc) or not intervals or intervals[0][0] > start or intervals[-1][1] < end:
            continue
        both = _intervals_total([(max(a, start), min(b, fc)) for a, b in covered if min(b, fc) > max(a, start)], start, end)
        either = _intervals_total(covered + [(start, fc)], start, end)
        out.at[idx, "double_support_s"] = both
        out.at[idx, "double_support_pct"] = 100.0 * both / stride["stride_time_s"]
        out.at[idx, "flight_time_s"] = (end - start) - either
    return out
