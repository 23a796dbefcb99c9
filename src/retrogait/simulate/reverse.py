"""Time reversal of recordings and events: forward gait played backwards."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording
from retrogait.simulate._core import _check_number


def time_reverse(rec: Recording) -> Recording:
    """Play a recording backwards: a physically consistent backward-moving signal.

    Under ``t -> -t`` positions and orientations are replayed in reverse, accelerations
    (second derivatives) keep their sign and angular rates change sign.  So the samples
    are reversed and the gyroscope negated; the accelerometer is only reversed.  Sample
    ``i`` becomes sample ``n - 1 - i``; applying the function twice returns the input.

    Parameters
    ----------
    rec : Recording

    Returns
    -------
    Recording
        A new recording; ``meta["time_reversed"]`` toggles.
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
        Time that maps onto 0 (>= every event time).
    sampling_rate_hz : float
        Used for the ``sample`` column (nearest sample of the new time).

    Returns
    -------
    pandas.DataFrame
        A new events table, sorted by time.

    Raises
    ------
    InputError
        If ``duration_s`` is smaller than an event time or the rate is not positive.
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
