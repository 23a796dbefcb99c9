"""Contact events (initial and final contact) for every sensor placement.

:func:`detect_events` picks the detector that fits the recording's placement:

========================  ==========================================================
placement                 detector
========================  ==========================================================
foot                      :func:`retrogait.events.foot.detect_foot_events`
shank                     :func:`retrogait.events.shank.detect_shank_events`
lower_back                :func:`retrogait.events.trunk.detect_trunk_events`
thigh, wrist, phone,      :func:`retrogait.events.steps.detect_steps` (steps only,
unknown                   no side, no final contact)
========================  ==========================================================
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
    method : str
        ``"auto"`` (the detector's default) or a method name of that detector.
    **options
        Passed to the detector.

    Returns
    -------
    pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``), sorted by time.
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
