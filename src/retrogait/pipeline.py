"""``analyze()``: the one place that chains the stages, and its parameters ``Params``.

file -> Recording -> activity -> events -> strides (temporal, spatial, contact,
bilateral) -> bouts -> summary.  ``batch``, the command line, the notebooks and the
report all call :func:`analyze`; none of them re-implements a stage.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from retrogait import bouts as bouts_mod
from retrogait import contact, posture, schema, spatial
from retrogait import strides as strides_mod
from retrogait import summary as summary_mod
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.events import detect_events
from retrogait.recording import Recording


@dataclass(frozen=True)
class Params:
    """Options of :func:`analyze` (frozen: make a new one with :meth:`replace`).

    Parameters
    ----------
    event_method : str
        ``"auto"`` or a method name of the placement's event detector.
    activity_threshold_ms2 : float
        Moving SD of the acceleration norm above which the sensor moves (m/s^2).
    min_stride_time_s : float
        Shortest plausible stride duration in s; shorter ic-to-ic intervals do not form a
        stride.
    max_stride_time_s : float
        Longest plausible stride duration in s; longer ic-to-ic intervals do not form a
        stride.
    min_bout_strides : int
        Bouts with fewer strides per sensor are reported as short.
    leg_length_m : float, optional
        Leg length (greater trochanter height) in m, the pendulum length for lower-back
        stride length (Zijlstra & Hof 2003); wins over ``body_height_m``.
    body_height_m : float, optional
        Body height in m; leg length = 0.53 x height (Winter 2009) when ``leg_length_m``
        is None.
    treadmill_speed_mps : float, optional
        Belt speed of a treadmill recording (m/s).
    toe_axis : str, optional
        Sensor axis that points to the toes of foot sensors (e.g. ``"+x"``), used when a
        recording's ``meta`` has no ``"toe_axis"``; otherwise inferred from the data.
    left_axis : str, optional
        Sensor axis that points to the wearer's left for lower-back sensors (e.g.
        ``"-y"``), used when a recording's ``meta`` has no ``"left_axis"``.  Without it
        left and right contacts still alternate but may be swapped as a whole.
    stance_anchor_still_s : float, optional
        Foot sensors: anchor each stride's zero-velocity update on the sample stillest
        over this many seconds instead of over 3 samples (see
        `retrogait.spatial.zupt.ANCHOR_STILL_WINDOW_S`, 0.02 s).  For running recorded at
        high rates, where the shoe rings after landing: on the UCI runs (800 Hz) the run
        distance error went from -12.9 % to -10.1 % with 0.02 s, while walking stride
        length vs floor footprints (gdin, 200 Hz) went from 1.91 % to 1.97 % MAPE.  None
        (default) keeps the 3-sample anchor.

    Raises
    ------
    InputError
        If a threshold, duration, length or speed is not a positive finite number,
        ``min_stride_time_s`` is not below ``max_stride_time_s``, or ``min_bout_strides``
        is not an integer >= 1 (the message names the field).

    See Also
    --------
    analyze : the analysis these parameters control.

    References
    ----------
    Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
    accelerations during human walking. Gait Posture 18(2):1-10 (``leg_length_m``,
    ``body_height_m``: inverted-pendulum stride length).

    Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley
    (leg length 0.53 x body height).

    Examples
    --------
    >>> from retrogait.pipeline import Params
    >>> p = Params(leg_length_m=0.9)
    >>> p.leg_length_m, p.event_method
    (0.9, 'auto')
    >>> p.replace(toe_axis="+x").toe_axis
    '+x'
    >>> p.to_dict()["leg_length_m"]
    0.9
    >>> Params(min_stride_time_s=2.0, max_stride_time_s=1.0)
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: Params: min_stride_time_s (2.0) must be below max_stride_time_s (1.0)
    """

    event_method: str = "auto"
    activity_threshold_ms2: float = bouts_mod.ACTIVITY_SD_MS2
    min_stride_time_s: float = strides_mod.MIN_STRIDE_TIME_S
    max_stride_time_s: float = strides_mod.MAX_STRIDE_TIME_S
    min_bout_strides: int = bouts_mod.MIN_BOUT_STRIDES
    leg_length_m: float | None = None
    body_height_m: float | None = None
    treadmill_speed_mps: float | None = None
    toe_axis: str | None = None
    left_axis: str | None = None
    stance_anchor_still_s: float | None = None

    def __post_init__(self) -> None:
        for name in ("activity_threshold_ms2", "min_stride_time_s", "max_stride_time_s",
                     "leg_length_m", "body_height_m", "treadmill_speed_mps", "stance_anchor_still_s"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int | float) and np.isfinite(value) and value > 0):
                raise InputError(f"Params.{name}: expected a positive number, found {value!r}")
        if self.min_stride_time_s >= self.max_stride_time_s:
            raise InputError(
                f"Params: min_stride_time_s ({self.min_stride_time_s}) must be below "
                f"max_stride_time_s ({self.max_stride_time_s})"
            )
        if not isinstance(self.min_bout_strides, int) or self.min_bout_strides < 1:
            raise InputError(f"Params.min_bout_strides: expected an integer >= 1, found {self.min_bout_strides!r}")

    def replace(self, **changes: Any) -> Params:
        """Return new Params with some fields changed (unknown names raise TypeError)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a plain dict (for provenance)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class AnalysisResult:
    """What :func:`analyze` returns for one trial (one or several sensors).

    Attributes
    ----------
    events : pandas.DataFrame
        Events table with the columns of ``schema.EVENTS_COLUMNS`` (unit in each
        column-name suffix).
    strides : pandas.DataFrame
        Strides table with the columns of ``schema.STRIDES_COLUMNS`` (unit in each
        column-name suffix).
    bouts : pandas.DataFrame
        Bouts table with the columns of ``schema.BOUTS_COLUMNS`` (unit in each
        column-name suffix).
    summary : pandas.DataFrame
        One-row summary table with the columns of ``schema.SUMMARY_COLUMNS`` (unit in
        each column-name suffix).
    recordings : dict of str to Recording
        The analysed recordings by sensor name.
    params : Params
        The parameters used.
    meta : dict
        Meta shared by the recordings (subject, condition, source files, ...).

    Notes
    -----
    The tables follow the contracts of :mod:`retrogait.schema`: ``events`` is an events
    table (``schema.EVENTS_COLUMNS``, times in s), ``strides`` a strides table
    (``schema.STRIDES_COLUMNS``, durations in s, lengths in m, speeds in m/s, angles in
    deg), ``bouts`` a bouts table (``schema.BOUTS_COLUMNS``) and ``summary`` a one-row
    summary table (``schema.SUMMARY_COLUMNS``).  Frozen: the fields cannot be reassigned.

    Examples
    --------
    >>> import retrogait as rg
    >>> trial = rg.simulate.simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> res = rg.analyze(trial.recording)
    >>> isinstance(res, rg.pipeline.AnalysisResult)
    True
    >>> set(res.events["event"]) == {"ic", "fc"}, len(res.strides) >= 6
    (True, True)
    >>> res.summary["direction_majority"].iloc[0]
    'forward'
    >>> list(res.recordings) == [trial.recording.name]
    True
    """

    events: pd.DataFrame
    strides: pd.DataFrame
    bouts: pd.DataFrame
    summary: pd.DataFrame
    recordings: Mapping[str, Recording]
    params: Params
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        row = self.summary.iloc[0] if len(self.summary) else {}
        return (
            f"AnalysisResult({len(self.recordings)} sensor(s), {len(self.events)} events, "
            f"{len(self.strides)} strides in {len(self.bouts)} bouts, "
            f"direction={row.get('direction_majority', 'unknown')!r}, gait={row.get('gait_majority', 'unknown')!r})"
        )


def _as_recordings(recordings: Recording | Sequence[Recording] | Mapping[str, Recording]) -> dict[str, Recording]:
    if isinstance(recordings, Recording):
        items: list[tuple[str | None, Any]] = [(None, recordings)]
    elif isinstance(recordings, Mapping):
        items = [(str(k), v) for k, v in recordings.items()]
    elif isinstance(recordings, Sequence) and not isinstance(recordings, str | bytes):
        items = [(None, r) for r in recordings]
    else:
        raise TypeError(
            f"analyze: expected a Recording, a list or a dict of Recordings, found {type(recordings).__name__}"
        )
    if not items:
        raise InputError("analyze: expected at least one Recording, found none")
    out: dict[str, Recording] = {}
    for key, rec in items:
        if not isinstance(rec, Recording):
            raise TypeError(f"analyze: expected Recording objects, found {type(rec).__name__}")
        name = key if key is not None and "sensor" not in rec.meta else rec.name
        if name in out:
            raise InputError(
                f"analyze: two recordings are both named {name!r}; give each a distinct meta['sensor'] "
                "or pass a dict {name: Recording}"
            )
        if name != rec.name:
            rec = rec.replace(meta={**rec.meta, "sensor": name})
        out[name] = rec
    return out


def _shared_meta(recs: Mapping[str, Recording]) -> dict[str, Any]:
    metas = [dict(r.meta) for r in recs.values()]
    shared = {k: v for k, v in metas[0].items() if all(m.get(k) == v for m in metas[1:]) and k != "sensor"}
    sources = [str(m["source_file"]) for m in metas if m.get("source_file")]
    if sources:
        shared["source_file"] = ";".join(dict.fromkeys(sources))
    return shared


def analyze(
    recordings: Recording | Sequence[Recording] | Mapping[str, Recording],
    *,
    params: Params | None = None,
    **param_changes: Any,
) -> AnalysisResult:
    """Analyse one trial: contact events, strides, bouts and a summary.

    Parameters
    ----------
    recordings : Recording, list of Recording or dict of str to Recording
        The sensors of one trial (e.g. both feet; a lower-back sensor).  Dict keys
        name the sensors; otherwise ``meta['sensor']`` or placement and side do.
    params : Params, optional
        Analysis parameters; defaults to ``Params()``.
    **param_changes
        Individual parameters changed from ``params`` (e.g. ``leg_length_m=0.9``).

    Returns
    -------
    AnalysisResult
        ``events``, ``strides``, ``bouts``, ``summary``: tables with the columns of
        ``schema.EVENTS_COLUMNS`` / ``STRIDES_COLUMNS`` / ``BOUTS_COLUMNS`` /
        ``SUMMARY_COLUMNS`` (unit in each column-name suffix); also the analysed
        ``recordings``, the ``params`` used and the shared ``meta``.

    Raises
    ------
    TypeError
        If ``recordings`` is not a Recording / list / dict of Recordings, or a parameter
        name is unknown.
    InputError
        If two recordings share a name or a parameter value is invalid.

    Examples
    --------
    >>> import retrogait as rg
    >>> trial = rg.simulate.simulate_gait(placement="foot", n_strides=12, sampling_rate_hz=100.0, seed=1)
    >>> res = rg.analyze(trial.recording)
    >>> len(res.strides) >= 10
    True
    """
    params = (params or Params()).replace(**param_changes) if param_changes else (params or Params())
    recs = _as_recordings(recordings)
    all_events, all_strides = [], []
    for name, rec in recs.items():
        activity = bouts_mod.detect_activity(rec, threshold_ms2=params.activity_threshold_ms2)
        if params.left_axis and rec.placement == "lower_back" and "left_axis" not in rec.meta:
            rec = rec.replace(meta={**rec.meta, "left_axis": params.left_axis})
            recs[name] = rec
        events = detect_events(rec, activity=activity, method=params.event_method)
        events = events.assign(sensor=name)
        strides = strides_mod.strides_from_events(
            events, rec.sampling_rate_hz,
            min_stride_time_s=params.min_stride_time_s, max_stride_time_s=params.max_stride_time_s,
            single_foot=rec.placement in ("foot", "shank"),
        )
        # one strapdown integration of a foot serves both the spatial and the contact stage
        trajectories = spatial.foot_trajectories_by_sensor(strides, rec, events, params=params)
        strides = spatial.add_spatial(strides, rec, events, params=params, trajectories=trajectories)
        strides = contact.add_contact(strides, rec, events, params=params, trajectories=trajectories)
        strides = posture.add_posture(strides, rec, activity=activity)
        all_events.append(events)
        all_strides.append(strides)
    events = schema.conform(pd.concat(all_events, ignore_index=True), schema.EVENTS_COLUMNS)
    events = events.sort_values(["time_s", "sensor"], kind="stable").reset_index(drop=True)
    strides = pd.concat([s for s in all_strides if len(s)], ignore_index=True) if any(len(s) for s in all_strides) \
        else schema.empty_strides()
    strides = strides_mod.add_bilateral(strides, events, placements={n: r.placement for n, r in recs.items()})
    strides, bouts = bouts_mod.build_bouts(schema.conform(strides, schema.STRIDES_COLUMNS),
                                           min_bout_strides=params.min_bout_strides)
    strides["stride_id"] = np.arange(len(strides), dtype=np.int64)
    duration_s = max(r.duration_s for r in recs.values())
    meta = _shared_meta(recs)
    if strides.empty:
        warnings.warn(
            f"analyze: no strides found in {', '.join(recs)} ({duration_s:.1f} s); "
            "the result tables are empty", RetrogaitWarning, stacklevel=2,
        )
    summary = summary_mod.summarize(strides, bouts, events=events, duration_s=duration_s, meta=meta)
    return AnalysisResult(
        events=schema.validate_events(events),
        strides=schema.validate_strides(schema.conform(strides, schema.STRIDES_COLUMNS)),
        bouts=schema.validate_bouts(bouts),
        summary=schema.validate_summary(summary),
        recordings=recs,
        params=params,
        meta=meta,
    )
