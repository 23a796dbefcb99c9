"""Contact events (initial and final contact) for every sensor placement.

:func:`detect_events` picks the detector that fits the recording's placement:

=================================  ==========================================================
placement                          detector
=================================  ==========================================================
foot                               :func:`retrogait.events.foot.detect_foot_events`
shank                              :func:`retrogait.events.shank.detect_shank_events`
lower_back                         :func:`retrogait.events.trunk.detect_trunk_events`
thigh, wrist, phone, unknown       :func:`retrogait.events.steps.detect_steps` (steps only,
                                   no side, no final contact)
=================================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from retrogait import schema
from retrogait.recording import Recording


def detect_events(rec: Recording, *, activity: pd.DataFrame | None = None, method: str = "auto",
                  **options: Any) -> pd.DataFrame:
    """Detect the contact events of one recording with the detector of its placement.

    Parameters
    ----------
    rec : Recording
        The sensor's samples; ``rec.placement`` selects the detector.
    activity : pandas.DataFrame, optional
        Active periods from :func:`retrogait.bouts.detect_activity`; no events are
        reported outside them.
    method : str, keyword-only
        ``"auto"`` (the detector's default) or a method name of that detector (e.g.
        ``"rampp2015"`` for the foot; see each detector's documentation).
    **options
        Passed to the detector (thresholds in the units its documentation states, e.g.
        deg/s for angular rate, s for durations).

    Returns
    -------
    pandas.DataFrame
        Events table, ``schema.EVENTS_COLUMNS`` (``sample``, ``time_s`` in s, ``event``
        ``"ic"``/``"fc"``, ``side``, ``sensor``), sorted by time and validated with
        :func:`retrogait.schema.validate_events`.

    Raises
    ------
    InputError
        If ``method`` is not a method of the placement's detector, an option value is
        invalid, or the recording lacks the channels the detector needs (the message
        names them).
    TypeError
        If an option is not a parameter of the detector.

    Warns
    -----
    RetrogaitWarning
        As the detector (e.g. a foot sensor without gyroscope, too few events).

    References
    ----------
    The algorithms and their papers are listed in each detector's module:
    :mod:`retrogait.events.foot` (Rampp et al. 2015; Hanlon & Anderson 2009; Falbriard et
    al. 2018), :mod:`retrogait.events.shank`, :mod:`retrogait.events.trunk` and
    :mod:`retrogait.events.steps`.

    Examples
    --------
    >>> import retrogait as rg
    >>> from retrogait.events import detect_events
    >>> trial = rg.simulate.simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> ev = detect_events(trial.recording)
    >>> len(ev) > 10
    True
    >>> set(ev["event"]) == {"ic", "fc"}
    True
    >>> bool(ev["time_s"].is_monotonic_increasing)
    True
    """
    detector: Callable[..., pd.DataFrame]
    if rec.placement == "foot":
        from retrogait.events.foot import detect_foot_events as detector
    elif rec.placement == "shank":
        from retrogait.events.shank import detect_shank_events as detector
    elif rec.placement == "lower_back":
        from retrogait.events.trunk import detect_trunk_events as detector
    else:
        from retrogait.events.steps import detect_steps as detector
    kwargs = dict(options)
    if method != "auto":
        kwargs["method"] = method
    events = detector(rec, activity=activity, **kwargs)
    events = schema.conform(events, schema.EVENTS_COLUMNS).sort_values("time_s", kind="stable")
    return schema.validate_events(events.reset_index(drop=True))
