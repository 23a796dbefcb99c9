"""Strike angle and contact type (toe_first / flat / heel_first) per stride.

Method (foot sensor with gyroscope, ``method="foot_pitch"``)
------------------------------------------------------------
The strike angle is the foot pitch at initial contact relative to the flat foot in the
following stance: the orientation at the stance's zero-velocity anchor is known from
gravity (tilt), and the gyroscope is integrated *backwards* from there to the initial
contact (a fraction of a second, so drift is negligible).  The pitch is the elevation of
the foot's toe axis, inferred from the data (:mod:`retrogait.orientation`); positive =
toes up = heel first.  This is the foot-strike angle of Altman & Davis (2012) measured
with an IMU as in Falbriard et al. (2017, 2020).

The sign of the angle depends on which way the toes point.  When that is neither given
(``Recording.meta["toe_axis"]`` or ``Params.toe_axis``) nor decided from the data
(:func:`retrogait.orientation.infer_foot_axes`, sign-test confidence at least
``TOE_MIN_CONFIDENCE``), the angle is NaN and the contact type ``unknown`` (with a
:class:`~retrogait.errors.RetrogaitWarning`), rather than a guess that would swap
heel_first and toe_first.

Classes (Altman & Davis 2012, foot-strike angle mapped from the strike index [from
memory]): ``heel_first`` (rearfoot) > 8.0 deg, ``flat`` (midfoot) -1.6 ... 8.0 deg,
``toe_first`` (forefoot) < -1.6 deg.  The bands come from running; retrogait uses them for
walking too (heel strike in walking is about +20 deg, so forward walking is far from the
edges).

``contact_confidence`` is the probability that the true angle lies in the reported band,
assuming the measured angle has a Gaussian error of SD ``STRIKE_ANGLE_SD_DEG`` = 5.3 deg
(the SD of the IMU foot-strike-angle error against motion capture, Falbriard et al.
2017).  An angle 9 deg inside a band gets about 0.95; an angle on a band edge 0.5.

Without a gyroscope, or for sensors that do not sit on the foot (lower back, wrist,
phone, thigh, shank), the contact type is ``unknown`` and the angle NaN: retrogait has no
validated accelerometer-only model of the foot's pitch (the specific force around contact
mixes gravity with the large deceleration of the foot, which biases the apparent pitch
towards the opposite class).  Two accelerometers on one foot (heel and forefoot) give the
pattern directly: :func:`contact_from_heel_toe` (Giandolini et al. 2014).

``peak_acc_ic_ms2`` is the largest acceleration norm (gravity included, m/s^2) from 50 ms
before to 100 ms after each initial contact, for every placement.

References
----------
Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
barefoot and shod runners. Gait Posture 35:298-300.

Falbriard M, et al. (2017). Contact time and foot strike angles estimation using foot
worn inertial sensors in running. ISBS Proceedings 35:504.

Falbriard M, et al. (2020). Drift-free foot orientation estimation in running using
wearable IMU. Front Bioeng Biotechnol 8:65.

Giandolini M, et al. (2014). A simple field method to identify foot strike pattern during
running. J Biomech 47(7):1588-1593.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from retrogait import schema
from retrogait.errors import InputError
from retrogait.orientation import gravity_alignment_rows, integrate_gyroscope_rows, quat_rotate
from retrogait.recording import Recording, recordings_list
from retrogait.spatial import stage_trajectory, warn_undecided_toe
from retrogait.spatial.zupt import (
    GRAVITY_HALF_WINDOW_S,
    FootTrajectory,
    _blocks,
    _gravity_at,
    foot_trajectories,
    shoe_statistic,
)

__all__ = [
    "HEEL_FIRST_ABOVE_DEG",
    "TOE_FIRST_BELOW_DEG",
    "STRIKE_ANGLE_SD_DEG",
    "GIANDOLINI_FFS_BELOW_MS",
    "GIANDOLINI_RFS_ABOVE_MS",
    "classify_strike_angle",
    "band_confidence",
    "strike_angles",
    "peak_acceleration",
    "contact_type_from_thm",
    "contact_from_heel_toe",
    "add_contact",
]

#: Altman & Davis (2012) foot-strike-angle bands, degrees (+ = toes up).
HEEL_FIRST_ABOVE_DEG = 8.0
TOE_FIRST_BELOW_DEG = -1.6
#: SD of the IMU strike-angle error vs motion capture (Falbriard et al. 2017), degrees.
STRIKE_ANGLE_SD_DEG = 5.3
#: Giandolini et al. (2014) bands of the heel-to-metatarsal peak delay, ms.
GIANDOLINI_FFS_BELOW_MS = -5.49
GIANDOLINI_RFS_ABOVE_MS = 15.2
#: Timing uncertainty assumed for the two-sensor confidence (ms): about one sample of a
#: 200 Hz sensor pair plus peak-picking jitter (retrogait's choice, not from the paper).
THM_SD_MS = 5.0
#: Window around each initial contact for the impact peak (s).
PEAK_BEFORE_S = 0.05
PEAK_AFTER_S = 0.10


def classify_strike_angle(angle_deg: np.ndarray) -> np.ndarray:
    """``heel_first`` / ``flat`` / ``toe_first`` from the strike angle (Altman & Davis 2012).

    ``heel_first`` above ``HEEL_FIRST_ABOVE_DEG`` (8.0 deg), ``toe_first`` below
    ``TOE_FIRST_BELOW_DEG`` (-1.6 deg), ``flat`` in between, both edges included.
    NaN gives ``unknown``.

    Parameters
    ----------
    angle_deg : array_like of float
        Foot-strike angle (deg, + = toes up at initial contact), any shape; NaN allowed.

    Returns
    -------
    numpy.ndarray of str (object dtype)
        Same shape as ``angle_deg``: ``"heel_first"``, ``"flat"``, ``"toe_first"`` or
        ``"unknown"`` (the values of the ``contact_type`` column of the strides table).

    References
    ----------
    Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
    barefoot and shod runners. Gait Posture 35:298-300.

    Examples
    --------
    >>> classify_strike_angle(np.array([20.0, 3.0, -10.0, np.nan])).tolist()
    ['heel_first', 'flat', 'toe_first', 'unknown']

    The band edges belong to ``flat``:

    >>> classify_strike_angle(np.array([8.01, 8.0, -1.6, -1.61])).tolist()
    ['heel_first', 'flat', 'flat', 'toe_first']
    """
    angle = np.asarray(angle_deg, dtype=float)
    out = np.full(angle.shape, "unknown", dtype=object)
    out[angle > HEEL_FIRST_ABOVE_DEG] = "heel_first"
    out[(angle >= TOE_FIRST_BELOW_DEG) & (angle <= HEEL_FIRST_ABOVE_DEG)] = "flat"
    out[angle < TOE_FIRST_BELOW_DEG] = "toe_first"
    return out


def band_confidence(value: np.ndarray, low_edge: float, high_edge: float, sd: float) -> np.ndarray:
    """Probability that a Gaussian-blurred ``value`` (SD ``sd``) lies in its own band.

    The bands are ``(-inf, low_edge)``, ``[low_edge, high_edge]``, ``(high_edge, inf)``.
    The true value is taken as Gaussian around the measured ``value`` with SD ``sd``;
    the result is the probability mass of the band ``value`` falls in.  A value just
    outside the middle band gets 0.5; one ``1.7 sd`` beyond an edge about 0.95.
    NaN where ``value`` is NaN.

    Parameters
    ----------
    value : array_like of float
        Measured values, any shape, in the unit of the edges (deg for strike angles,
        ms for heel-to-metatarsal delays); NaN allowed.
    low_edge, high_edge : float
        Edges of the middle band (same unit, ``low_edge <= high_edge``).
    sd : float
        Standard deviation of the measurement error (same unit, > 0), e.g.
        ``STRIKE_ANGLE_SD_DEG`` = 5.3 deg (Falbriard et al. 2017).

    Returns
    -------
    numpy.ndarray of float
        Same shape as ``value``: probability in [0, 1] (the ``contact_confidence``
        column of the strides table), NaN where ``value`` is NaN.

    References
    ----------
    Falbriard M, et al. (2017). Contact time and foot strike angles estimation using foot
    worn inertial sensors in running. ISBS Proceedings 35:504 (error SD 5.3 deg).

    Examples
    --------
    The Altman & Davis strike-angle bands (-1.6 and 8.0 deg) with the 5.3 deg SD: 17 deg
    (9 deg above the heel-first edge), just above the edge, mid-band flat, just below
    the toe-first edge, NaN:

    >>> conf = band_confidence(np.array([17.0, 8.0001, 3.2, -1.6001, np.nan]), -1.6, 8.0, 5.3)
    >>> np.round(conf, 3).tolist()
    [0.955, 0.5, 0.635, 0.5, nan]
    """
    x = np.asarray(value, dtype=float)
    lo = norm.cdf((low_edge - x) / sd)
    hi = norm.cdf((high_edge - x) / sd)
    conf = np.where(x < low_edge, lo, np.where(x > high_edge, 1.0 - hi, hi - lo))
    return np.where(np.isfinite(x), conf, np.nan)


def strike_angles(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None = None,
                  *, toe_axis: object = None, trajectory: FootTrajectory | None = None) -> np.ndarray:
    """Foot pitch at each stride's initial contact relative to flat stance, degrees.

    See the module notes (``method="foot_pitch"``).  Positive = toes up (heel first).
    NaN for every stride when the toe direction is neither given (``rec.meta["toe_axis"]``
    or ``toe_axis``) nor decided from the data (``FootAxes.toe_decided``): the sign of the
    angle is then unknown.

    Parameters
    ----------
    rec : Recording
        Foot sensor with gyroscope.
    strides : pandas.DataFrame
        Strides of this sensor (``start_sample``, ``end_sample``, ``fc_s``, ``side``).
    events : pandas.DataFrame, optional
        Events of this sensor.
    toe_axis : str or array, optional
        Toe direction used when ``rec.meta`` has no ``"toe_axis"``.
    trajectory : FootTrajectory, optional
        :func:`retrogait.spatial.zupt.foot_trajectories` of these strides if already
        computed (its anchors and foot axes are used); computed here when not given.

    Returns
    -------
    numpy.ndarray of float
        One strike angle per row of ``strides`` (deg, + = toes up = heel first), the
        ``strike_angle_deg`` column of the strides table (``schema.STRIDES_COLUMNS``).
        NaN for a stride without a stance anchor after its initial contact, and for
        every stride when the toe direction is undecided.

    Raises
    ------
    InputError
        If the recording has no gyroscope.

    References
    ----------
    Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
    barefoot and shod runners. Gait Posture 35:298-300.

    Falbriard M, et al. (2020). Drift-free foot orientation estimation in running using
    wearable IMU. Front Bioeng Biotechnol 8:65.

    Examples
    --------
    A simulated forward walk lands on the heel at about +20 deg; on the simulator's own
    strides and events the measured angle matches its truth (the toe direction is
    inferred from the data):

    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=5, sampling_rate_hz=100.0, seed=1)
    >>> angle = strike_angles(trial.recording, trial.strides, trial.events)
    >>> bool(np.allclose(angle, trial.strides["strike_angle_deg"], atol=2.0))
    True
    >>> classify_strike_angle(angle).tolist()
    ['heel_first', 'heel_first', 'heel_first', 'heel_first', 'heel_first']

    Backward walking lands on the toes (about -25 deg); here the toe direction is given
    (the sensor's x axis points to the toes):

    >>> trial = simulate_gait(placement="foot", direction="backward", n_strides=5,
    ...                       sampling_rate_hz=100.0, seed=1)
    >>> angle = strike_angles(trial.recording, trial.strides, trial.events, toe_axis="x")
    >>> bool(np.allclose(angle, trial.strides["strike_angle_deg"], atol=2.0))
    True
    >>> set(classify_strike_angle(angle))
    {'toe_first'}
    """
    traj = trajectory if trajectory is not None else foot_trajectories(rec, strides, events, toe_axis=toe_axis)
    out = np.full(len(strides), np.nan)
    if traj.axes is None or not traj.axes.toe_decided:
        return out
    fs = rec.sampling_rate_hz
    starts = strides["start_sample"].to_numpy(dtype=np.int64)
    anchors = traj.anchors[:, 0]
    rows = np.flatnonzero((anchors >= 0) & (anchors > starts))
    if rows.size == 0:
        return out
    if traj.gravity_ms2.shape == (len(strides), 3):
        gravity = traj.gravity_ms2[rows]
    else:
        acc = rec.acc()
        statistic = shoe_statistic(acc, rec.gyr())
        gravity = _gravity_at(acc, statistic, anchors[rows], max(int(round(GRAVITY_HALF_WINDOW_S * fs)), 1))
    gyr_dps = rec.gyr()
    toe = traj.axes.toe
    # integrate backwards in time (reversed samples, negated rates) from the anchor to the
    # initial contact, the strides of a block side by side
    for block in _blocks(anchors[rows] - starts[rows] + 1, rec.n_samples):
        ic, anchor = starts[rows[block]], anchors[rows[block]]
        steps = np.arange(int((anchor - ic).max()) + 1)
        backward = -np.deg2rad(gyr_dps[np.maximum(anchor[:, None] - steps, ic[:, None])])
        q0 = gravity_alignment_rows(gravity[block])
        q = integrate_gyroscope_rows(q0, backward, fs)
        q_ic = q[np.arange(len(ic)), anchor - ic]
        toe_anchor = quat_rotate(q[:, 0], np.broadcast_to(toe, (len(ic), 3)))
        toe_ic = quat_rotate(q_ic, np.broadcast_to(toe, (len(ic), 3)))
        elevation_anchor = np.degrees(np.arcsin(np.clip(toe_anchor[:, 2], -1.0, 1.0)))
        elevation_ic = np.degrees(np.arcsin(np.clip(toe_ic[:, 2], -1.0, 1.0)))
        out[rows[block]] = elevation_ic - elevation_anchor
    return out


def peak_acceleration(rec: Recording, ic_samples: np.ndarray) -> np.ndarray:
    """Largest acceleration norm (m/s^2, gravity included) from 50 ms before to 100 ms
    after each initial contact sample; NaN outside the recording.

    The window is ``PEAK_BEFORE_S`` = 0.05 s before to ``PEAK_AFTER_S`` = 0.10 s after the
    contact, rounded to whole samples and cut at the ends of the recording.

    Parameters
    ----------
    rec : Recording
        Any sensor (the accelerometer is used; m/s^2).
    ic_samples : array_like of int
        Sample index of each initial contact (samples, 0 = first sample of ``rec``).

    Returns
    -------
    numpy.ndarray of float
        One peak per contact (m/s^2), the ``peak_acc_ic_ms2`` column of the strides
        table (``schema.STRIDES_COLUMNS``); NaN when the window lies outside the
        recording.

    Examples
    --------
    Standing still (9.81 m/s^2) with one 30 m/s^2 impact at sample 100 (100 Hz): it is
    found from contacts up to 5 samples after it and 10 samples before it, not from
    one 20 samples after it; a contact past the end gives NaN:

    >>> import pandas as pd
    >>> acc = np.zeros((300, 3)); acc[:, 2] = 9.81; acc[100, 2] = 30.0
    >>> rec = Recording(data=pd.DataFrame(acc, columns=["acc_x", "acc_y", "acc_z"]),
    ...                 sampling_rate_hz=100.0, placement="foot")
    >>> np.round(peak_acceleration(rec, np.array([90, 105, 120, 400])), 2).tolist()
    [30.0, 30.0, 9.81, nan]
    """
    fs = rec.sampling_rate_hz
    acc_norm = np.linalg.norm(rec.acc(), axis=1)
    out = np.full(len(ic_samples), np.nan)
    before, after = int(round(PEAK_BEFORE_S * fs)), int(round(PEAK_AFTER_S * fs))
    for i, ic in enumerate(np.asarray(ic_samples, dtype=np.int64)):
        lo, hi = max(int(ic) - before, 0), min(int(ic) + after + 1, rec.n_samples)
        if hi > lo:
            out[i] = float(acc_norm[lo:hi].max())
    return out


def contact_type_from_thm(thm_ms: np.ndarray) -> np.ndarray:
    """Contact type from the heel-to-metatarsal peak delay (Giandolini et al. 2014).

    ``thm_ms`` = time of the metatarsal acceleration peak minus time of the heel peak
    (positive when the heel lands first).  ``toe_first`` < -5.49 ms <= ``flat`` <= 15.2 ms
    < ``heel_first`` (``GIANDOLINI_FFS_BELOW_MS``, ``GIANDOLINI_RFS_ABOVE_MS``).

    Parameters
    ----------
    thm_ms : array_like of float
        Heel-to-metatarsal delay (ms), any shape; NaN allowed.

    Returns
    -------
    numpy.ndarray of str (object dtype)
        Same shape as ``thm_ms``: ``"heel_first"``, ``"flat"``, ``"toe_first"``, or
        ``"unknown"`` where ``thm_ms`` is NaN.

    References
    ----------
    Giandolini M, et al. (2014). A simple field method to identify foot strike pattern
    during running. J Biomech 47(7):1588-1593.

    Examples
    --------
    The band edges belong to ``flat``:

    >>> contact_type_from_thm(np.array([20.0, 15.2, 0.0, -5.49, -10.0, np.nan])).tolist()
    ['heel_first', 'flat', 'flat', 'flat', 'toe_first', 'unknown']
    """
    thm = np.asarray(thm_ms, dtype=float)
    out = np.full(thm.shape, "unknown", dtype=object)
    out[thm > GIANDOLINI_RFS_ABOVE_MS] = "heel_first"
    out[(thm >= GIANDOLINI_FFS_BELOW_MS) & (thm <= GIANDOLINI_RFS_ABOVE_MS)] = "flat"
    out[thm < GIANDOLINI_FFS_BELOW_MS] = "toe_first"
    return out


def contact_from_heel_toe(heel: Recording, toe: Recording, heel_events: pd.DataFrame,
                          *, window_s: float = 0.05) -> pd.DataFrame:
    """Contact type of every contact from a heel and a forefoot sensor on one foot.

    For each initial contact of ``heel_events``, the acceleration-norm peak of each
    sensor within ``window_s`` of the contact is found (both recordings share one time
    base, sample 0 at the same instant); ``thm_ms`` = metatarsal peak time minus heel
    peak time (Giandolini et al. 2014, who used the 5th metatarsal head).

    Parameters
    ----------
    heel, toe : Recording
        Accelerometers at the heel and at the forefoot of the same foot.
    heel_events : pandas.DataFrame
        Events table (the ``ic`` rows are used), e.g. of either sensor.
    window_s : float
        Half-width of the search window around each contact (s, > 0).

    Returns
    -------
    pandas.DataFrame
        One row per initial contact of ``heel_events``: ``time_s`` (s), ``thm_ms`` (ms,
        NaN when a peak is missing), ``contact_type`` (``heel_first`` / ``flat`` /
        ``toe_first`` / ``unknown``) and ``contact_confidence`` (probability of the band
        under a Gaussian timing error of SD ``THM_SD_MS`` = 5 ms, retrogait's choice:
        about one sample at 200 Hz plus peak-picking jitter, not from the paper).

    Raises
    ------
    TypeError
        If ``heel`` or ``toe`` is not a Recording.
    InputError
        If ``window_s`` is not positive or ``heel_events`` lacks the ``time_s`` or
        ``event`` column.

    References
    ----------
    Giandolini M, et al. (2014). A simple field method to identify foot strike pattern
    during running. J Biomech 47(7):1588-1593.

    Examples
    --------
    Two synthetic sensors at 200 Hz: the heel impact at 1.000 s, the forefoot impact
    30 ms later (heel first), then the forefoot 10 ms before the heel (toe first):

    >>> import pandas as pd
    >>> def sensor(peaks_s):
    ...     acc = np.zeros((600, 3)); acc[:, 2] = 9.81
    ...     for t in peaks_s:
    ...         acc[round(t * 200), 2] = 40.0
    ...     return Recording(data=pd.DataFrame(acc, columns=["acc_x", "acc_y", "acc_z"]),
    ...                      sampling_rate_hz=200.0, placement="foot")
    >>> heel, toe = sensor([1.0, 2.0]), sensor([1.03, 1.99])
    >>> events = pd.DataFrame({"time_s": [1.0, 2.0], "event": ["ic", "ic"]})
    >>> out = contact_from_heel_toe(heel, toe, events)
    >>> out["thm_ms"].round(1).tolist(), out["contact_type"].tolist()
    ([30.0, -10.0], ['heel_first', 'toe_first'])
    >>> out["contact_confidence"].round(3).tolist()
    [0.998, 0.816]
    >>> contact_from_heel_toe(heel, toe, events, window_s=0)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: contact_from_heel_toe: window_s must be a positive number, found 0
    """
    for name, r in (("heel", heel), ("toe", toe)):
        if not isinstance(r, Recording):
            raise TypeError(f"contact_from_heel_toe: {name} must be a Recording, found {type(r).__name__}")
    if not (isinstance(window_s, int | float) and math.isfinite(window_s) and window_s > 0):
        raise InputError(f"contact_from_heel_toe: window_s must be a positive number, found {window_s!r}")
    missing = [c for c in ("time_s", "event") if c not in heel_events.columns]
    if missing:
        raise InputError(f"contact_from_heel_toe: heel_events is missing column(s) {missing}")
    ic_times = np.sort(heel_events.loc[heel_events["event"] == "ic", "time_s"].to_numpy(dtype=float))

    def peak_time(r: Recording, t: float) -> float:
        fs = r.sampling_rate_hz
        lo, hi = max(int(math.floor((t - window_s) * fs)), 0), min(int(math.ceil((t + window_s) * fs)) + 1, r.n_samples)
        if hi <= lo:
            return math.nan
        acc_norm = np.linalg.norm(r.acc()[lo:hi], axis=1)
        return (lo + int(np.argmax(acc_norm))) / fs

    thm = np.array([1000.0 * (peak_time(toe, t) - peak_time(heel, t)) for t in ic_times])
    return pd.DataFrame({
        "time_s": ic_times,
        "thm_ms": thm,
        "contact_type": contact_type_from_thm(thm),
        "contact_confidence": band_confidence(thm, GIANDOLINI_FFS_BELOW_MS, GIANDOLINI_RFS_ABOVE_MS, THM_SD_MS),
    })


def add_contact(strides: pd.DataFrame, rec: Recording | Sequence[Recording] | Mapping[str, Recording],
                events: pd.DataFrame | None = None, *, params: Any = None,
                trajectories: Mapping[str, FootTrajectory] | None = None) -> pd.DataFrame:
    """Fill ``strike_angle_deg``, ``contact_type``, ``contact_confidence``, ``peak_acc_ic_ms2``.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table; only rows whose ``sensor`` is the name of a given recording change.
    rec : Recording, list or dict of Recording
        The recording(s) the strides come from.
    events : pandas.DataFrame, optional
        Events table (final contacts bound the stances of foot sensors).
    params : retrogait.pipeline.Params, optional
        Uses ``toe_axis`` (for recordings whose meta has none).
    trajectories : dict of str to FootTrajectory, optional
        Foot trajectories already computed for these strides
        (:func:`retrogait.spatial.foot_trajectories_by_sensor`, as :func:`analyze` does
        for :func:`retrogait.spatial.add_spatial` too); computed here when not given.
        With shared trajectories the warning about an undecided toe direction is left to
        ``add_spatial``, so that one analysis gives it once.

    Returns
    -------
    pandas.DataFrame
        A new strides table (columns ``schema.STRIDES_COLUMNS``; the input is not
        changed).  Foot sensors with gyroscope get ``strike_angle_deg`` (deg, + = toes
        up), the Altman & Davis (2012) class and its confidence (module notes); other
        sensors ``unknown`` / NaN.  ``peak_acc_ic_ms2`` (m/s², gravity included) for every
        sensor.  A foot sensor
        whose toe direction could not be decided gets ``unknown`` / NaN too.

    Raises
    ------
    TypeError
        If ``strides`` is not a DataFrame or ``rec`` holds no Recordings.
    InputError
        If a required stride column is missing or a given trajectory has another number
        of strides.

    Warns
    -----
    RetrogaitWarning
        A foot sensor whose toe direction could not be decided (pass ``toe_axis``).

    References
    ----------
    Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
    barefoot and shod runners. Gait Posture 35:298-300 (strike-angle classes).

    Falbriard M, et al. (2017). Contact time and foot strike angles estimation using foot
    worn inertial sensors in running. ISBS Proceedings 35:504 (IMU strike angle and its
    error SD, used for ``contact_confidence``).

    Falbriard M, et al. (2020). Drift-free foot orientation estimation in running using
    wearable IMU. Front Bioeng Biotechnol 8:65.

    Examples
    --------
    A simulated forward walk with a foot IMU: forward walking lands on the heel (strike
    angle about +20 deg, toes up):

    >>> import retrogait as rg
    >>> from retrogait.events import detect_events
    >>> from retrogait.strides import strides_from_events
    >>> trial = rg.simulate.simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> rec = trial.recording
    >>> ev = detect_events(rec)
    >>> st = strides_from_events(ev, rec.sampling_rate_hz, single_foot=True)
    >>> ct = add_contact(st, rec, ev)
    >>> set(ct["contact_type"]) == {"heel_first"}
    True
    >>> bool(ct["strike_angle_deg"].between(8.0, 40.0).all())
    True
    >>> bool(ct["contact_confidence"].between(0.5, 1.0).all())
    True
    """
    if not isinstance(strides, pd.DataFrame):
        raise TypeError(f"add_contact: strides must be a DataFrame, found {type(strides).__name__}")
    missing = [c for c in ("sensor", "start_sample", "end_sample", "fc_s") if c not in strides.columns]
    if missing:
        raise InputError(f"add_contact: strides table is missing column(s) {missing}")
    out = strides.copy()
    out.attrs = dict(strides.attrs)
    for name in ("strike_angle_deg", "contact_confidence", "peak_acc_ic_ms2"):
        if name not in out.columns:
            out[name] = np.nan
        out[name] = out[name].astype("float64")
    if "contact_type" not in out.columns:
        out["contact_type"] = "unknown"
    out["contact_type"] = out["contact_type"].astype(object)
    for r in recordings_list(rec, what="add_contact"):
        rows = np.flatnonzero((out["sensor"] == r.name).to_numpy())
        if rows.size == 0:
            continue
        sub = out.iloc[rows]
        ev = events
        if events is not None and "sensor" in events.columns and (events["sensor"] == r.name).any():
            ev = events[events["sensor"] == r.name]
        starts = sub["start_sample"].to_numpy(dtype=np.int64)
        out.iloc[rows, out.columns.get_loc("peak_acc_ic_ms2")] = peak_acceleration(r, starts)
        if r.placement == "foot" and r.has_gyro:
            given = r.meta.get("toe_axis")
            toe_axis = given if given is not None else getattr(params, "toe_axis", None)
            # a shared trajectory's axes were judged (and warned about) by add_spatial
            traj, shared = stage_trajectory(trajectories, r, sub, ev, toe_axis=toe_axis, params=params,
                                            stage="add_contact")
            angle = strike_angles(r, sub, ev, toe_axis=toe_axis, trajectory=traj)
            if not shared and given is None and toe_axis is None and sub.shape[0] and np.isnan(angle).all():
                if traj.axes is not None and not traj.axes.toe_decided:
                    warn_undecided_toe(r.name, traj.axes, "add_contact")
            out.iloc[rows, out.columns.get_loc("strike_angle_deg")] = angle
            out.iloc[rows, out.columns.get_loc("contact_type")] = classify_strike_angle(angle)
            out.iloc[rows, out.columns.get_loc("contact_confidence")] = band_confidence(
                angle, TOE_FIRST_BELOW_DEG, HEEL_FIRST_ABOVE_DEG, STRIKE_ANGLE_SD_DEG)
        else:
            out.iloc[rows, out.columns.get_loc("strike_angle_deg")] = np.nan
            out.iloc[rows, out.columns.get_loc("contact_type")] = "unknown"
            out.iloc[rows, out.columns.get_loc("contact_confidence")] = np.nan
    if set(schema.STRIDES_COLUMNS) <= set(out.columns):
        attrs = dict(out.attrs)
        out = schema.conform(out, schema.STRIDES_COLUMNS)
        out.attrs = attrs
    return out
