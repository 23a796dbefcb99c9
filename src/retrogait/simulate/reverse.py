"""Time reversal of recordings and events: forward gait played backwards."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording
from retrogait.simulate._core import SimulatedTrial, _check_number


def time_reverse(rec: Recording) -> Recording:
    """Play a recording backwards: a physically consistent backward-moving signal.

    Under ``t -> -t`` positions and orientations are replayed in reverse, accelerations
    (second derivatives) keep their sign and angular rates change sign.  So the samples
    are reversed and the gyroscope negated; the accelerometer is only reversed.  Sample
    ``i`` becomes sample ``n - 1 - i``; applying the function twice returns the input.

    Parameters
    ----------
    rec : Recording
        Any recording (accelerometer in m/s^2, optional gyroscope in deg/s); it is not
        changed.

    Returns
    -------
    Recording
        A new recording with the same rate, placement and side: the samples in reverse
        order, ``gyr_x, gyr_y, gyr_z`` negated (deg/s), ``acc_x, acc_y, acc_z`` unchanged
        in value (m/s^2); ``meta["time_reversed"]`` toggles.

    Raises
    ------
    TypeError
        If ``rec`` is not a Recording.

    See Also
    --------
    time_reverse_events : the matching events.
    time_reverse_trial : a whole simulated trial with its truth.

    Examples
    --------
    A foot turning toes-up at 10 deg/s, played backwards, turns toes-down: the angular
    rate changes sign, the accelerometer is only replayed in reverse order.

    >>> import numpy as np, pandas as pd
    >>> from retrogait.recording import Recording
    >>> df = pd.DataFrame({"acc_x": [0.0, 1.0, 2.0], "acc_y": 0.0, "acc_z": 9.81,
    ...                    "gyr_x": 0.0, "gyr_y": [-10.0, -10.0, -20.0], "gyr_z": 0.0})
    >>> rec = Recording(data=df, sampling_rate_hz=100.0, placement="foot", side="left")
    >>> back = time_reverse(rec)
    >>> back.data["acc_x"].tolist(), back.data["gyr_y"].tolist(), back.meta["time_reversed"]
    ([2.0, 1.0, 0.0], [20.0, 10.0, 10.0], True)

    Reversing twice gives the original samples back:

    >>> twice = time_reverse(back)
    >>> twice.data.equals(rec.data), twice.meta["time_reversed"]
    (True, False)
    >>> time_reverse(df)
    Traceback (most recent call last):
    ...
    TypeError: rec: expected a Recording, found DataFrame
    """
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a Recording, found {type(rec).__name__}")
    data = rec.data.iloc[::-1].reset_index(drop=True)
    for column in schema.GYR_COLUMNS:
        if column in data.columns:
            data[column] = -data[column]
    meta = dict(rec.meta)
    meta["time_reversed"] = not bool(meta.get("time_reversed", False))
    return rec.replace(data=data, meta=meta)


def time_reverse_events(events: pd.DataFrame, duration_s: float, *, sampling_rate_hz: float) -> pd.DataFrame:
    """Map events to a time-reversed recording: ``t -> duration_s - t``, ic <-> fc.

    A foot's first contact becomes its last and vice versa, so an initial contact becomes
    a final contact.  To match :func:`time_reverse` sample for sample use
    ``duration_s = (rec.n_samples - 1) / rec.sampling_rate_hz`` (the time of the last sample).

    Parameters
    ----------
    events : pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``).
    duration_s : float
        Time that maps onto 0, s (>= every event time).
    sampling_rate_hz : float
        Sampling rate in Hz (> 0), used for the ``sample`` column (nearest sample of the
        new time).

    Returns
    -------
    pandas.DataFrame
        A new events table (columns ``schema.EVENTS_COLUMNS``), sorted by time:
        ``time_s`` (s) replaced by ``duration_s - time_s``, ``sample`` by the nearest
        sample of the new time, ``ic`` and ``fc`` swapped; ``side`` and ``sensor`` kept.

    Raises
    ------
    InputError
        If ``events`` breaks the events table contract, ``duration_s`` is negative or
        smaller than an event time, or the rate is not positive.

    Examples
    --------
    A heel strike at 1.0 s and the toe-off at 1.6 s of a 5 s recording: played backwards
    the toe-off (now at 3.4 s) is where the foot lands and the heel strike (now at 4.0 s)
    where it leaves the ground.

    >>> import pandas as pd
    >>> events = pd.DataFrame({"sample": [100, 160], "time_s": [1.0, 1.6], "event": ["ic", "fc"],
    ...                        "side": "left", "sensor": "foot_left"})
    >>> back = time_reverse_events(events, 5.0, sampling_rate_hz=100.0)
    >>> back["event"].tolist(), back["time_s"].round(6).tolist(), back["sample"].tolist()
    (['ic', 'fc'], [3.4, 4.0], [340, 400])

    Reversing twice gives the original events back:

    >>> again = time_reverse_events(back, 5.0, sampling_rate_hz=100.0)
    >>> again["event"].tolist(), again["time_s"].round(6).tolist()
    (['ic', 'fc'], [1.0, 1.6])
    >>> time_reverse_events(events, 1.5, sampling_rate_hz=100.0)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: duration_s: expected >= the last event time 1.6 s, found 1.5
    """
    schema.validate_events(events)
    rate = _check_number("sampling_rate_hz", sampling_rate_hz, 0.0, math.inf, low_open=True)
    duration = _check_number("duration_s", duration_s, 0.0, math.inf)
    times = events["time_s"].to_numpy(dtype=float)
    if len(times) and times.max() > duration + 1e-9:
        raise InputError(f"duration_s: expected >= the last event time {times.max():.6g} s, found {duration!r}")
    out = events.copy()
    out["time_s"] = duration - times
    out["sample"] = np.round(out["time_s"].to_numpy() * rate).astype("int64")
    out["event"] = events["event"].map({"ic": "fc", "fc": "ic"}).astype(object)
    out = out.iloc[::-1].sort_values("time_s", kind="stable")
    return schema.conform(out, schema.EVENTS_COLUMNS)


_FLIP_DIRECTION = {"forward": "backward", "backward": "forward", "sideways": "sideways", "unknown": "unknown"}


def _contact_type(strike_angle_deg: float) -> str:
    """Altman & Davis 2012 classes of the strike angle: heel-first > 8 deg, toe-first < -1.6 deg."""
    if not math.isfinite(strike_angle_deg):
        return "unknown"
    if strike_angle_deg > 8.0:
        return "heel_first"
    return "toe_first" if strike_angle_deg < -1.6 else "flat"


def time_reverse_trial(sim: SimulatedTrial) -> SimulatedTrial:
    """A simulated trial played backwards, with its truth: backward gait made from forward.

    The recording is reversed with :func:`time_reverse`; time ``t`` maps to
    ``T - t`` with ``T`` the time of the last sample.  Every final contact becomes an
    initial contact and vice versa, so each stance of the original becomes a stance of
    the reversed trial and a new stride runs from the old final contact of one stance
    to the old final contact of the stance before it.  The new strike angle is the old
    pitch at final contact (``fc_angle_deg``) and the contact type follows from it
    (Altman & Davis 2012 classes); walking direction flips (sideways stays sideways).
    The stride whose swing was the first step of a bout (not in the original truth) has
    NaN length and speed.

    Parameters
    ----------
    sim : SimulatedTrial
        From :func:`simulate_gait`, :func:`simulate_session` or :func:`simulate_trial`.

    Returns
    -------
    SimulatedTrial
        New ``recording`` (:func:`time_reverse`, ``meta["direction"]`` and
        ``meta["contact_type"]`` updated), ``events`` (``schema.EVENTS_COLUMNS``),
        ``strides`` (strides table, ``schema.STRIDES_COLUMNS``; times in s, lengths in m,
        angles in deg) and ``segments`` (in reverse order, renumbered from 0).

    Raises
    ------
    TypeError
        If ``sim`` is not a SimulatedTrial.

    Examples
    --------
    A forward heel-first walk played backwards is a backward toe-first walk: the old
    toe-off pitch (about -58 deg, toes down) becomes the strike angle.

    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> back = time_reverse_trial(sim)
    >>> sim.strides["direction"].unique().tolist(), back.strides["direction"].unique().tolist()
    (['forward'], ['backward'])
    >>> sim.strides["contact_type"].unique().tolist(), back.strides["contact_type"].unique().tolist()
    (['heel_first'], ['toe_first'])
    >>> bool(back.strides["strike_angle_deg"].iloc[0] == sim.strides["fc_angle_deg"].iloc[-1])
    True

    The strides come in reverse order, each covering the swing of the stride before it
    in the original; the one made from the first step of the bout has no length:

    >>> back_lengths = back.strides["stride_length_m"].tolist()
    >>> back_lengths[:3] == sim.strides["stride_length_m"].tolist()[2::-1], back_lengths[3]
    (True, nan)
    >>> back.recording.meta["direction"], back.recording.meta["time_reversed"]
    ('backward', True)
    """
    if not isinstance(sim, SimulatedTrial):
        raise TypeError(f"sim: expected a SimulatedTrial, found {type(sim).__name__}")
    rec = sim.recording
    rate = rec.sampling_rate_hz
    last_s = (rec.n_samples - 1) / rate
    events = time_reverse_events(sim.events, last_s, sampling_rate_hz=rate)
    rows = []
    for side, old in sim.strides.groupby("side", sort=False):
        old = old.sort_values("start_s")
        side_events = sim.events[sim.events["side"] == side]
        fc_times = side_events.loc[side_events["event"] == "fc", "time_s"].to_numpy()
        previous = old.shift(1)
        for (_, row), (_, prev) in zip(old.iterrows(), previous.iterrows(), strict=True):
            before = fc_times[fc_times < row["start_s"]]
            if not len(before):
                continue
            fc_prev = float(before[-1])
            stride_time = row["fc_s"] - fc_prev
            length = float(prev["stride_length_m"]) if pd.notna(prev["start_s"]) else math.nan
            strike = float(row["fc_angle_deg"]) if "fc_angle_deg" in row else math.nan
            rows.append({
                "sensor": row["sensor"], "side": side, "bout_id": row["bout_id"],
                "start_s": last_s - row["fc_s"], "end_s": last_s - fc_prev, "fc_s": last_s - row["start_s"],
                "stride_time_s": stride_time, "stance_time_s": row["stance_time_s"],
                "swing_time_s": stride_time - row["stance_time_s"],
                "stance_pct": 100 * row["stance_time_s"] / stride_time, "cadence_spm": 120 / stride_time,
                "stride_length_m": length, "speed_mps": length / stride_time,
                "direction": _FLIP_DIRECTION[row["direction"]], "gait": row["gait"],
                "contact_type": _contact_type(strike), "strike_angle_deg": strike,
                "fc_angle_deg": float(row["strike_angle_deg"]), "contact_confidence": 1.0,
                "segment_id": row.get("segment_id", 0),
            })
    strides = pd.DataFrame(rows)
    if len(strides):
        strides = strides.sort_values(["start_s", "side"], kind="stable").reset_index(drop=True)
        strides["stride_id"] = np.arange(len(strides))
        strides["start_sample"] = np.round(strides["start_s"] * rate).astype("int64")
        strides["end_sample"] = np.round(strides["end_s"] * rate).astype("int64")
    strides = schema.conform(strides, schema.STRIDES_COLUMNS)
    segments = sim.segments.copy()
    if len(segments) and "segment_id" in strides.columns:
        strides["segment_id"] = (len(segments) - 1 - strides["segment_id"]).astype("int64")
    if len(segments):
        segments["start_s"], segments["end_s"] = last_s - sim.segments["end_s"], last_s - sim.segments["start_s"]
        segments[["start_s", "end_s"]] = segments[["start_s", "end_s"]].clip(0.0, last_s)
        segments["direction"] = segments["direction"].map(_FLIP_DIRECTION).astype(object)
        if "segment_id" in strides.columns and len(strides):
            for index, group in strides.groupby("segment_id"):
                segments.loc[segments["segment_id"] == index, "contact_type"] = group["contact_type"].mode().iloc[0]
        segments = segments.iloc[::-1].reset_index(drop=True)
        segments["segment_id"] = np.arange(len(segments))
    reversed_rec = time_reverse(rec)
    meta = dict(reversed_rec.meta)
    meta["direction"] = _FLIP_DIRECTION.get(str(meta.get("direction", "unknown")), "unknown")
    if len(strides):
        meta["contact_type"] = strides["contact_type"].mode().iloc[0]
    return SimulatedTrial(recording=reversed_rec.replace(meta=meta), events=events, strides=strides,
                          segments=segments)
