"""Stride length, speed and signed direction of travel (pipeline stage after the strides).

:func:`add_spatial` fills the spatial columns of a strides table, by placement:

=================  ========================================================================
placement          method and columns filled
=================  ========================================================================
foot + gyroscope   strapdown integration with zero-velocity updates per stride
                   (:mod:`retrogait.spatial.zupt`, ``method="rampp2015"`` with the
                   mixed step / linear dedrifting): stride length, speed, **direction** (forward / backward /
                   sideways relative to the foot's own toe axis, inferred from the data),
                   foot clearance, turning angle, lateral displacement.
lower_back         inverted pendulum (:mod:`retrogait.spatial.pendulum`, Zijlstra & Hof
                   2003) from ``leg_length_m`` or ``body_height_m``: stride length and
                   speed; NaN and a warning without them.  Direction is left as it is.
treadmill          with ``treadmill_speed_mps``: stride length = belt speed x stride time
                   and speed = belt speed, for every placement (a foot trajectory still
                   gives the direction, clearance and turning).
other placements   NaN / ``unknown``.
=================  ========================================================================

:func:`foot_trajectories_by_sensor` integrates the foot trajectories once so that
:func:`add_spatial` and :func:`retrogait.contact.add_contact` can share them
(``trajectories=``), as :func:`retrogait.analyze` does.

The inferred foot axes of each sensor are reported in ``strides.attrs["foot_axes"]``
(sensor name -> dict with ``vertical``, ``medio_lateral``, ``toe`` in the sensor frame,
``toe_agreement``, ``source``, ``toe_method``, ``toe_confidence`` (sign-test confidence of
the toe direction), ``toe_margin_m`` and ``toe_decided``).  When the toe direction is
neither given (``Recording.meta["toe_axis"]`` or ``Params.toe_axis``) nor decided from the
data with ``retrogait.orientation.TOE_MIN_CONFIDENCE``, that sensor's forward / backward
strides are ``unknown`` and a :class:`~retrogait.errors.RetrogaitWarning` asks for
``toe_axis``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.orientation import TOE_MIN_CONFIDENCE, TOE_MIN_MARGIN_M
from retrogait.recording import Recording, recordings_list
from retrogait.spatial.pendulum import leg_length_from_height, pendulum_stride_lengths
from retrogait.spatial.zupt import FootTrajectory, foot_trajectories

__all__ = ["add_spatial", "foot_trajectories_by_sensor", "stage_trajectory", "SPATIAL_COLUMNS",
           "warn_undecided_toe"]

#: Columns this stage writes (besides ``direction``).
SPATIAL_COLUMNS = ("stride_length_m", "speed_mps", "foot_clearance_m", "turning_angle_deg",
                   "lateral_displacement_m")


def _param(params: Any, name: str) -> float | None:
    value = getattr(params, name, None) if params is not None else None
    if value is None:
        return None
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError(f"params.{name}: expected a positive number, found {value!r}")
    return float(value)


def warn_undecided_toe(name: str, axes: Any, stage: str, *, stacklevel: int = 3) -> None:
    """Warn that the toe direction of foot sensor ``name`` could not be decided.

    Shared by :func:`add_spatial` and :func:`retrogait.contact.add_contact`, so that both
    stages ask for ``toe_axis`` in the same words.

    Parameters
    ----------
    name : str
        Sensor name (``Recording.name``).
    axes : FootAxes
        The inferred foot axes (``FootTrajectory.axes``); its ``toe_confidence`` (0..1)
        and ``n_strides`` go into the message.
    stage : str
        Name of the calling stage, the message's prefix (e.g. ``"add_spatial"``).
    stacklevel : int
        Passed to ``warnings.warn``; the default 3 points at the caller of the stage.

    Warns
    -----
    RetrogaitWarning
        Always.

    Examples
    --------
    Four simulated strides are too few to decide which way the toes point from the data
    (sign-test confidence 0.94 < ``retrogait.orientation.TOE_MIN_CONFIDENCE`` = 0.95):

    >>> import warnings
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> axes = foot_trajectories(sim.recording, sim.strides, sim.events).axes
    >>> axes.toe_decided
    False
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_undecided_toe("foot_left", axes, "add_spatial")
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    add_spatial: foot sensor 'foot_left': which way the toes point ... over 4 strides, needs 0.95)...
    """
    failed = []
    if not axes.toe_confidence >= TOE_MIN_CONFIDENCE:
        failed.append(f"the strides' votes are not clear enough (sign-test confidence {axes.toe_confidence:.3f} "
                      f"over {axes.n_strides} strides, needs {TOE_MIN_CONFIDENCE})")
    margin_m = getattr(axes, "toe_margin_m", float("nan"))
    if getattr(axes, "toe_method", None) == "swing_centre" and not margin_m >= TOE_MIN_MARGIN_M:
        failed.append(f"the swing centre lies too close to the middle of the foot (median margin "
                      f"{100 * margin_m:.1f} cm, needs {100 * TOE_MIN_MARGIN_M:g} cm)")
    reason = " and ".join(failed) or f"sign-test confidence {axes.toe_confidence:.3f} over {axes.n_strides} strides"
    warnings.warn(
        f"{stage}: foot sensor {name!r}: which way the toes point could not be decided from the data: "
        f"{reason}; forward/backward and the contact type are left 'unknown'. Give the sensor axis that "
        "points to the toes: rg.analyze(..., toe_axis='+x'), rg.read(..., meta={'toe_axis': '+x'}) or "
        "--toe-axis=+x on the command line",
        RetrogaitWarning, stacklevel=stacklevel)


def _events_of(events: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
    if events is None or len(events) == 0:
        return None
    if "sensor" in events.columns:
        own = events[events["sensor"] == name]
        if len(own) or events["sensor"].nunique() > 1:
            return own
    return events


def _toe_axis_param(params: Any) -> object:
    return getattr(params, "toe_axis", None) if params is not None else None


def _integrate(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None, *, toe_axis: object,
               params: Any) -> FootTrajectory:
    """``foot_trajectories`` with the options of ``params`` (the ZUPT anchor window)."""
    anchor_still_s = getattr(params, "stance_anchor_still_s", None) if params is not None else None
    return foot_trajectories(rec, strides, events, toe_axis=toe_axis, anchor_still_s=anchor_still_s)


def _sensor_rows(strides: pd.DataFrame, name: str) -> np.ndarray:
    return np.flatnonzero((strides["sensor"] == name).to_numpy())


def foot_trajectories_by_sensor(strides: pd.DataFrame,
                                rec: Recording | Sequence[Recording] | Mapping[str, Recording],
                                events: pd.DataFrame | None = None, *,
                                params: Any = None) -> dict[str, FootTrajectory]:
    """Foot trajectory of the strides of every foot sensor with gyroscope.

    The strapdown integration is the costly part of both :func:`add_spatial` and
    :func:`retrogait.contact.add_contact`; computing it once and passing the result to
    both (``trajectories=``) halves the work of a foot recording.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table (``schema.STRIDES_COLUMNS``; at least ``sensor``,
        ``start_sample``, ``end_sample`` in samples and ``fc_s`` in s), any number of
        sensors.
    rec : Recording, list or dict of Recording
        The recording(s) the strides come from; foot recordings with gyroscope are used.
    events : pandas.DataFrame, optional
        Events table (``schema.EVENTS_COLUMNS``); the final contacts bound each stance.
    params : retrogait.pipeline.Params, optional
        Only ``toe_axis`` is used (for recordings whose meta has none).

    Returns
    -------
    dict of str to FootTrajectory
        By sensor name; sensors with no strides, no gyroscope or another placement are
        left out.

    Raises
    ------
    TypeError
        If ``rec`` holds no Recordings.
    InputError
        If a stride lies outside its recording (see
        :func:`retrogait.spatial.zupt.foot_trajectories`).

    Examples
    --------
    A simulated trial with two foot sensors and a lower-back sensor: only the feet get a
    trajectory, and the toe axis of ``Params`` tells forward from backward (four strides
    are too few to decide it from the data):

    >>> import pandas as pd
    >>> from retrogait.pipeline import Params
    >>> from retrogait.simulate import simulate_trial
    >>> trial = simulate_trial(sensors=("foot_left", "foot_right", "lower_back"), n_strides=4,
    ...                        sampling_rate_hz=100.0, seed=1)
    >>> recs = {name: t.recording for name, t in trial.items()}
    >>> strides = pd.concat([t.strides for t in trial.values()], ignore_index=True)
    >>> events = pd.concat([t.events for t in trial.values()], ignore_index=True)
    >>> params = Params(toe_axis="+x", body_height_m=1.75)
    >>> traj = foot_trajectories_by_sensor(strides, recs, events, params=params)
    >>> sorted(traj), traj["foot_left"].direction.tolist()
    (['foot_left', 'foot_right'], ['forward', 'forward', 'forward', 'forward'])

    Passed on to :func:`add_spatial` (and :func:`retrogait.contact.add_contact`), they are
    not integrated again:

    >>> sp = add_spatial(strides, recs, events, params=params, trajectories=traj)
    >>> sp.loc[sp["sensor"] == "foot_left", "stride_length_m"].round(2).tolist()
    [1.35, 1.34, 1.36, 1.33]
    """
    out: dict[str, FootTrajectory] = {}
    for r in recordings_list(rec, what="add_spatial"):
        rows = _sensor_rows(strides, r.name)
        if rows.size and r.placement == "foot" and r.has_gyro:
            out[r.name] = _integrate(r, strides.iloc[rows], _events_of(events, r.name),
                                     toe_axis=_toe_axis_param(params), params=params)
    return out


def stage_trajectory(trajectories: Mapping[str, FootTrajectory] | None, rec: Recording,
                     strides: pd.DataFrame, events: pd.DataFrame | None, *, toe_axis: object, params: Any,
                     stage: str) -> tuple[FootTrajectory, bool]:
    """The foot trajectory a stage works on: the shared one if given, else integrated here.

    Used by :func:`add_spatial` and :func:`retrogait.contact.add_contact`, so that both
    accept trajectories computed once by :func:`foot_trajectories_by_sensor` and integrate
    with the same options (``params.stance_anchor_still_s``) when none was given.

    Parameters
    ----------
    trajectories : dict of str to FootTrajectory or None
        Trajectories by sensor name, or None when none were given.
    rec : Recording
        The foot sensor (its ``name`` is the key into ``trajectories``).
    strides : pandas.DataFrame
        That sensor's strides (``schema.STRIDES_COLUMNS``) in the table being processed.
    events : pandas.DataFrame or None
        That sensor's events (``schema.EVENTS_COLUMNS``), for the integration.
    toe_axis : str or None
        Sensor axis pointing to the toes, for the integration (None: inferred).
    params : Params or None
        Analysis parameters (`retrogait.pipeline.Params`).
    stage : str
        Name of the calling stage, the prefix of the error message.

    Returns
    -------
    trajectory : FootTrajectory
        ``trajectories[rec.name]``, or the trajectory integrated here.
    shared : bool
        True when it came from ``trajectories`` (its toe direction was already judged).

    Raises
    ------
    InputError
        If the trajectory of ``name`` has another number of strides than ``n_strides``
        (it was computed on other strides).

    Examples
    --------
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> traj = foot_trajectories_by_sensor(sim.strides, sim.recording, sim.events)
    >>> found, shared = stage_trajectory(traj, sim.recording, sim.strides, sim.events, toe_axis=None,
    ...                                  params=None, stage="add_spatial")
    >>> found is traj["foot_left"], shared
    (True, True)
    >>> found, shared = stage_trajectory(None, sim.recording, sim.strides, sim.events, toe_axis=None,
    ...                                  params=None, stage="add_spatial")
    >>> len(found.stride_length_m), shared
    (4, False)
    >>> stage_trajectory(traj, sim.recording, sim.strides.iloc[:3], sim.events, toe_axis=None,
    ...                  params=None, stage="add_spatial")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: add_spatial: trajectories['foot_left'] has 4 strides, the strides table 3 ...
    """
    traj = trajectories.get(rec.name) if trajectories is not None else None
    if traj is None:
        return _integrate(rec, strides, events, toe_axis=toe_axis, params=params), False
    if len(traj.anchors) != len(strides):
        raise InputError(f"{stage}: trajectories[{rec.name!r}] has {len(traj.anchors)} strides, the strides table "
                         f"{len(strides)} for that sensor; compute them with foot_trajectories_by_sensor on the "
                         "same strides")
    return traj, True


def add_spatial(strides: pd.DataFrame, rec: Recording | Sequence[Recording] | Mapping[str, Recording],
                events: pd.DataFrame | None = None, *, params: Any = None,
                trajectories: Mapping[str, FootTrajectory] | None = None) -> pd.DataFrame:
    """Fill stride length, speed, direction and the foot-trajectory columns.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table (``schema.STRIDES_COLUMNS``); only rows whose ``sensor`` is the name
        of a given recording are changed.
    rec : Recording, list or dict of Recording
        The recording(s) the strides come from.
    events : pandas.DataFrame, optional
        Events table (final contacts bound each stance of a foot sensor; initial contacts
        split lower-back strides into steps).
    params : retrogait.pipeline.Params, optional
        Uses ``leg_length_m``, ``body_height_m``, ``treadmill_speed_mps`` and ``toe_axis``
        (each optional; ``toe_axis`` applies to recordings whose meta has none).
    trajectories : dict of str to FootTrajectory, optional
        Foot trajectories already computed for these strides
        (:func:`foot_trajectories_by_sensor`); computed here when not given.

    Returns
    -------
    pandas.DataFrame
        A new strides table (``schema.STRIDES_COLUMNS``; the input is not changed):
        ``stride_length_m`` (m), ``speed_mps`` (m/s, stride length /
        stride time), ``direction``, and the optional ``foot_clearance_m`` (m, highest sensor
        position above the line joining its two stance positions), ``turning_angle_deg``
        (change of the foot heading, + = to the left) and ``lateral_displacement_m`` (m,
        displacement across the initial toe heading, + = to the left).  NaN / ``unknown``
        where the sensor cannot tell.

    Raises
    ------
    TypeError
        If ``strides`` is not a DataFrame or ``rec`` holds no Recordings.
    InputError
        If a stride column is missing, a parameter is not positive, a stride lies
        outside its recording, or a given trajectory has another number of strides.

    Warns
    -----
    RetrogaitWarning
        A lower-back sensor without ``leg_length_m`` / ``body_height_m``; a foot sensor
        without gyroscope (no strapdown integration); a foot sensor whose toe direction
        could not be decided (its forward / backward strides are then ``unknown``).

    See Also
    --------
    foot_trajectories_by_sensor : compute the foot trajectories once for this stage and
        :func:`retrogait.contact.add_contact`.

    References
    ----------
    Rampp A, Barth J, Schuelein S, Gassmann K-G, Klucken J, Eskofier BM (2015). Inertial
    sensor-based stride parameter calculation from gait sequences in geriatric patients.
    IEEE Trans Biomed Eng 62(4):1089-1097 (foot: strapdown integration with zero-velocity
    updates; departures are noted in :mod:`retrogait.spatial.zupt`).

    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
    accelerations during human walking. Gait Posture 18(2):1-10 (lower back: inverted
    pendulum, :mod:`retrogait.spatial.pendulum`).

    Examples
    --------
    A simulated forward walk with a foot IMU (8 strides of about 1.35 m at 100 Hz):

    >>> import retrogait as rg
    >>> from retrogait.events import detect_events
    >>> from retrogait.strides import strides_from_events
    >>> trial = rg.simulate.simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> rec = trial.recording
    >>> ev = detect_events(rec)
    >>> st = strides_from_events(ev, rec.sampling_rate_hz, single_foot=True)
    >>> sp = add_spatial(st, rec, ev)
    >>> set(sp["direction"]) == {"forward"}
    True
    >>> bool(sp["stride_length_m"].between(1.0, 1.7).all())
    True
    >>> bool((sp["speed_mps"] > 0).all()), len(sp) == len(st)
    (True, True)
    """
    if not isinstance(strides, pd.DataFrame):
        raise TypeError(f"add_spatial: strides must be a DataFrame, found {type(strides).__name__}")
    needed = ("sensor", "start_sample", "end_sample", "stride_time_s", "fc_s")
    missing = [c for c in needed if c not in strides.columns]
    if missing:
        raise InputError(f"add_spatial: strides table is missing column(s) {missing}")
    recs = recordings_list(rec, what="add_spatial")
    out = strides.copy()
    out.attrs = dict(strides.attrs)
    for name in SPATIAL_COLUMNS:
        if name not in out.columns:
            out[name] = np.nan
        out[name] = out[name].astype("float64")
    if "direction" not in out.columns:
        out["direction"] = "unknown"
    out["direction"] = out["direction"].astype(object)
    leg = _param(params, "leg_length_m")
    height = _param(params, "body_height_m")
    belt = _param(params, "treadmill_speed_mps")
    toe_axis = _toe_axis_param(params)
    foot_axes: dict[str, Any] = dict(out.attrs.get("foot_axes", {}))
    for r in recs:
        rows = _sensor_rows(out, r.name)
        if rows.size == 0:
            continue
        sub = out.iloc[rows]
        ev = _events_of(events, r.name)
        stride_time = sub["stride_time_s"].to_numpy(dtype=float)
        length = np.full(rows.size, np.nan)
        if r.placement == "foot" and r.has_gyro:
            traj, _ = stage_trajectory(trajectories, r, sub, ev, toe_axis=toe_axis, params=params,
                                       stage="add_spatial")
            if traj.axes is not None and not traj.axes.toe_decided:
                warn_undecided_toe(r.name, traj.axes, "add_spatial")
            length = traj.stride_length_m
            clipped = int(np.count_nonzero(traj.clipped_samples))
            if clipped:
                # measured on uci running at +-16 g: the correction for the clipped samples
                # recovers a fraction of a percent; such strides still read 7-30 % short
                warnings.warn(
                    f"add_spatial: foot sensor {r.name!r}: {clipped} of {rows.size} strides contain samples "
                    "at the accelerometer's range (saturated at landing); their stride length and speed "
                    "may be too short. A sensor with a larger range (e.g. +-32 g or more for running) avoids it",
                    RetrogaitWarning, stacklevel=2)
            out.iloc[rows, out.columns.get_loc("direction")] = traj.direction
            out.iloc[rows, out.columns.get_loc("foot_clearance_m")] = traj.foot_clearance_m
            out.iloc[rows, out.columns.get_loc("turning_angle_deg")] = traj.turning_angle_deg
            out.iloc[rows, out.columns.get_loc("lateral_displacement_m")] = traj.lateral_displacement_m
            if traj.axes is not None:
                foot_axes[r.name] = traj.axes.as_dict()
        elif r.placement == "foot":
            if belt is None:
                warnings.warn(
                    f"add_spatial: foot sensor {r.name!r} has no gyroscope; stride length and direction "
                    "need strapdown integration and stay NaN / unknown", RetrogaitWarning, stacklevel=2)
        elif r.placement == "lower_back" and belt is None:
            pendulum = leg if leg is not None else (leg_length_from_height(height) if height is not None else None)
            if pendulum is None:
                warnings.warn(
                    f"add_spatial: lower-back sensor {r.name!r}: stride length needs leg_length_m or "
                    "body_height_m (inverted pendulum, Zijlstra & Hof 2003); left NaN",
                    RetrogaitWarning, stacklevel=2)
            else:
                length = pendulum_stride_lengths(r, sub, ev, leg_length_m=pendulum)
        if belt is not None:
            length = belt * stride_time
        out.iloc[rows, out.columns.get_loc("stride_length_m")] = length
        with np.errstate(invalid="ignore", divide="ignore"):
            out.iloc[rows, out.columns.get_loc("speed_mps")] = length / stride_time
    if foot_axes:
        out.attrs["foot_axes"] = foot_axes
    if set(schema.STRIDES_COLUMNS) <= set(out.columns):
        out = schema.conform(out, schema.STRIDES_COLUMNS)
        out.attrs = {**strides.attrs, **({"foot_axes": foot_axes} if foot_axes else {})}
    return out
