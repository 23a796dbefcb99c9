"""Foot trajectories by strapdown integration with zero-velocity updates (foot IMU).

Method (``method="rampp2015"``)
-------------------------------
Every stride is integrated on its own, from a zero-velocity instant in the stance of its
initial contact to the zero-velocity instant of the next stance of the same foot:

1. Zero-velocity instants: the SHOE statistic of Skog et al. (2010) -- the windowed,
   noise-weighted energy of the angular rate and of the deviation of the specific force
   from gravity -- is computed for every sample; the **anchor** of a stance is the sample
   where it is smallest (so running, whose stance has only a short still moment, works too).
2. Initial orientation: tilt from the mean accelerometer vector around the anchor (gravity
   at flat stance); heading arbitrary.  No rest period at the start of the recording is
   needed (treadmill recordings have none).
3. Orientation by integrating the gyroscope (quaternions); acceleration rotated into the
   world frame, gravity removed.
4. Velocity by integration, then dedrifting so that the velocity is zero at both anchors
   (the zero-velocity update of Foxlin 2005 reduced to its two end points).  Rampp et al.
   (2015) assume the velocity error grows linearly in time (``dedrift="linear"``).
   retrogait's default (``dedrift="impact"``) removes it as a step at the landing impact.
5. Position by integrating the dedrifted velocity.
6. Foot axes (:func:`retrogait.orientation.infer_foot_axes`): vertical from gravity at the
   anchors, medio-lateral from the swing rotation, and which way the toes point from the
   foot's rotation centres (:func:`rotation_centre_offset`): the rocker pivot after the
   initial contact, the one before the final contact and the centre of the swing, each
   located in the sensor frame from ``v = omega x (S - P)``; the swing centre lies over the
   rear of the foot, nearer the heel pivot (``method="swing_centre"``, any walking
   direction and sensor position).

Departures from the papers: no Kalman filter (Foxlin 2005, Skog 2010); the SHOE threshold
is only used to pick the samples averaged for gravity, the anchor itself is the minimum of
the statistic in each stance; and the step-shaped dedrifting.  Why the step: comparing the
integrated foot velocity with motion capture (gaitmap example) showed the velocity error
of a stride appearing almost entirely at the landing impact (a few samples whose transient
exceeds the accelerometer's bandwidth or its range), not as a linear drift; spreading it
linearly over the stride then misplaces the foot by several centimetres (measured: mean
absolute stride length error 4.1 cm linear vs 1.6 cm step, see benchmarks/accuracy_spatial.py).

On a treadmill the foot moves with the belt during stance; dedrifting to zero at both
anchors then yields the trajectory relative to the belt, whose stride length equals belt
speed x stride time, so the same integration applies.

References
----------
Foxlin E (2005). Pedestrian tracking with shoe-mounted inertial sensors. IEEE Computer
Graphics and Applications 25(6):38-46.
Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an algorithm
evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.
Rampp A, Barth J, Schuelein S, Gassmann K-G, Klucken J, Eskofier BM (2015). Inertial
sensor-based stride parameter calculation from gait sequences in geriatric patients. IEEE
Trans Biomed Eng 62(4):1089-1097.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.integrate import cumulative_trapezoid
from scipy.ndimage import uniform_filter1d

from retrogait.errors import InputError
from retrogait.orientation import (
    FootAxes,
    gravity_alignment,
    infer_foot_axes,
    integrate_gyroscope,
    quat_rotate,
    quat_to_matrix,
)
from retrogait.recording import Recording
from retrogait.schema import STANDARD_GRAVITY_MS2

__all__ = [
    "SHOE_SIGMA_ACC_MS2",
    "SHOE_SIGMA_GYR_DPS",
    "SHOE_THRESHOLD",
    "DIRECTION_SECTOR_DEG",
    "MIN_DIRECTION_LENGTH_M",
    "FootTrajectory",
    "shoe_statistic",
    "zero_velocity_mask",
    "stride_anchors",
    "foot_trajectories",
    "classify_direction",
    "impact_index",
    "rotation_centre_offset",
    "ROTATION_CENTRE_MIN_RATE_DPS",
]

#: SHOE detector noise levels and threshold (Skog et al. 2010 and the OpenShoe defaults
#: [from memory]: sigma_a = 0.01 m/s^2, sigma_w = 0.1 deg/s, gamma = 0.3e5, window 3).
#: With them a sample counts as still when, on average over the window,
#: ||a - g||^2 / sigma_a^2 + ||w||^2 / sigma_w^2 < gamma, e.g. ||w|| < 17 deg/s alone.
SHOE_SIGMA_ACC_MS2 = 0.01
SHOE_SIGMA_GYR_DPS = 0.1
SHOE_THRESHOLD = 0.3e5
SHOE_WINDOW_SAMPLES = 3

#: Window searched for the landing impact around the next initial contact (s): event
#: detectors place ic within about 0.1 s of the true contact.
IMPACT_BEFORE_S = 0.10
IMPACT_AFTER_S = 0.15

#: Half-width of the window averaged for gravity around an anchor (s).
GRAVITY_HALF_WINDOW_S = 0.03

#: Direction sectors: displacement within +-45 deg of the toe axis is forward, within
#: +-45 deg of the heel axis backward, otherwise sideways (four equal quadrants).
DIRECTION_SECTOR_DEG = 45.0
#: Horizontal displacement below which the direction of a stride is ``unknown`` (m):
#: stepping in place / shuffling; the shortest reported walking strides are ~0.2 m.
MIN_DIRECTION_LENGTH_M = 0.10


#: Samples used to locate a rotation centre turn at least this fast (deg/s).  The offset of
#: the centre is |v| / |omega|: a velocity error of 1-2 cm/s (strapdown integration a few
#: tenths of a second from a zero-velocity update) then moves it by at most 2-4 cm, and
#: gyroscope bias (~1 deg/s) stays negligible.
ROTATION_CENTRE_MIN_RATE_DPS = 30.0
#: Fraction of the stride at which the final contact is assumed when the strides table has
#: no ``fc_s`` (walking stance is about 60 % of the stride).
DEFAULT_STANCE_FRACTION = 0.6


@dataclass(frozen=True)
class FootTrajectory:
    """Trajectory results of a set of strides of one foot sensor.

    Attributes
    ----------
    stride_length_m, foot_clearance_m, turning_angle_deg, lateral_displacement_m,
    progression_angle_deg : numpy.ndarray
        One value per stride (NaN where not computed).  ``progression_angle_deg`` is the
        angle of the horizontal displacement from the foot's toe axis at the first anchor,
        counter-clockwise seen from above (0 = forward, +-180 = backward, +90 = to the left).
    direction : numpy.ndarray of str
        ``forward``, ``backward``, ``sideways`` or ``unknown``.
    anchors : numpy.ndarray of shape (n_strides, 2)
        Sample indices of the two zero-velocity anchors (-1 where missing).
    axes : FootAxes or None
        The inferred foot axes (None if they could not be inferred).
    rotation_centres : numpy.ndarray of shape (n_strides, 3, 3)
        Offsets ``sensor - centre`` (sensor frame, m) of the rotation centres after the
        initial contact, before the final contact and in swing (see
        :func:`rotation_centre_offset`; NaN where not found).
    positions : list of numpy.ndarray
        Per stride, the world-frame positions (n, 3) from the first to the second anchor,
        heading such that world +x is the toe direction at the first anchor.
    """

    stride_length_m: np.ndarray
    foot_clearance_m: np.ndarray
    turning_angle_deg: np.ndarray
    lateral_displacement_m: np.ndarray
    progression_angle_deg: np.ndarray
    direction: np.ndarray
    anchors: np.ndarray
    axes: FootAxes | None
    rotation_centres: np.ndarray = field(default_factory=lambda: np.empty((0, 3, 3)), repr=False)
    positions: list[np.ndarray] = field(default_factory=list, repr=False)


def shoe_statistic(acc_ms2: np.ndarray, gyr_dps: np.ndarray, *, gravity_ms2: float = STANDARD_GRAVITY_MS2,
                   window_samples: int = SHOE_WINDOW_SAMPLES) -> np.ndarray:
    """SHOE zero-velocity statistic of Skog et al. (2010) for every sample.

    ``T_k = mean over the window of ||a - g * mean_a/||mean_a|| ||^2 / sigma_a^2 + ||w||^2 / sigma_w^2``
    with the window centred on sample ``k``.

    Parameters
    ----------
    acc_ms2 : array of shape (n, 3)
        Specific force in m/s^2.
    gyr_dps : array of shape (n, 3)
        Angular rate in deg/s.
    gravity_ms2 : float
        Local gravity magnitude in m/s^2.
    window_samples : int
        Window length in samples (>= 1).

    Returns
    -------
    numpy.ndarray of shape (n,)
        Dimensionless; small where the sensor is still.  Compare with ``SHOE_THRESHOLD``.
    """
    acc = np.asarray(acc_ms2, dtype=float)
    gyr = np.asarray(gyr_dps, dtype=float)
    if acc.shape != gyr.shape or acc.ndim != 2 or acc.shape[1] != 3:
        raise InputError(f"shoe_statistic: expected two (n, 3) arrays, found {acc.shape} and {gyr.shape}")
    w = max(int(window_samples), 1)
    mean_acc = uniform_filter1d(acc, size=w, axis=0, mode="nearest")
    norm = np.linalg.norm(mean_acc, axis=1, keepdims=True)
    norm[norm == 0] = 1.0
    dev = acc - gravity_ms2 * mean_acc / norm
    energy = np.sum(dev**2, axis=1) / SHOE_SIGMA_ACC_MS2**2 + np.sum(gyr**2, axis=1) / SHOE_SIGMA_GYR_DPS**2
    return uniform_filter1d(energy, size=w, mode="nearest")


def zero_velocity_mask(rec: Recording, *, threshold: float = SHOE_THRESHOLD,
                       min_duration_s: float = 0.0) -> np.ndarray:
    """Samples where a foot sensor is still (SHOE detector, Skog et al. 2010).

    A stand-in stance detector for when no event detector gave stance intervals.

    Parameters
    ----------
    rec : Recording
        Foot recording with gyroscope.
    threshold : float
        SHOE threshold (dimensionless).
    min_duration_s : float
        Still periods shorter than this are dropped.

    Returns
    -------
    numpy.ndarray of bool, shape (n_samples,)

    Raises
    ------
    InputError
        If the recording has no gyroscope.
    """
    stat = shoe_statistic(rec.acc(), rec.gyr())
    mask = stat < threshold
    if min_duration_s > 0 and mask.any():
        min_len = int(round(min_duration_s * rec.sampling_rate_hz))
        edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        for a, b in zip(starts, ends, strict=True):
            if b - a < min_len:
                mask[a:b] = False
    return mask


def _fc_samples_after(events: pd.DataFrame | None, side: object, fs: float) -> np.ndarray:
    if events is None or events.empty:
        return np.array([], dtype=np.int64)
    ev = events[events["event"] == "fc"]
    if side is not None and not (isinstance(side, float) and math.isnan(side)) and "side" in ev:
        same = ev[ev["side"] == side]
        if len(same):
            ev = same
    return np.sort(ev["sample"].to_numpy(dtype=np.int64))


def stride_anchors(strides: pd.DataFrame, statistic: np.ndarray, sampling_rate_hz: float,
                   events: pd.DataFrame | None = None) -> np.ndarray:
    """Zero-velocity anchors (stance of the stride's ic and of the next ic) of each stride.

    The stance of an initial contact runs to the stride's final contact (``fc_s``), or,
    without one, over the first 60 % of the stride (walking stance is ~60 %).  The next
    stance runs from ``end_sample`` to the next final contact in ``events``, or over as many
    samples as the stride's own stance.  Each anchor is the minimum of ``statistic`` there.

    Returns
    -------
    numpy.ndarray of int64, shape (n_strides, 2)
        Anchor samples; -1 where a stance lies outside the recording.
    """
    fs = float(sampling_rate_hz)
    n = len(statistic)
    out = np.full((len(strides), 2), -1, dtype=np.int64)
    for i, row in enumerate(strides.itertuples(index=False)):
        start, end = int(row.start_sample), int(row.end_sample)
        fc_s = float(row.fc_s)
        if math.isfinite(fc_s):
            fc = int(round(fc_s * fs))
            if not start < fc < end:
                fc = start + int(round(0.6 * (end - start)))
        else:
            fc = start + int(round(0.6 * (end - start)))
        fc_after = _fc_samples_after(events, getattr(row, "side", None), fs)
        later = fc_after[(fc_after > end) & (fc_after < end + (end - start))]
        next_fc = int(later[0]) if later.size else end + (fc - start)
        for j, (a, b) in enumerate(((start, fc), (end, next_fc))):
            a, b = max(a, 0), min(b, n - 1)
            if b > a:
                out[i, j] = a + int(np.argmin(statistic[a:b + 1]))
    return out


def _gravity_at(acc: np.ndarray, statistic: np.ndarray, anchor: int, half: int) -> np.ndarray:
    a, b = max(anchor - half, 0), min(anchor + half + 1, len(acc))
    window = np.arange(a, b)
    still = window[statistic[window] < SHOE_THRESHOLD]
    if still.size < 3:
        still = np.arange(max(anchor - 1, 0), min(anchor + 2, len(acc)))
    return acc[still].mean(axis=0)


def classify_direction(progression_angle_deg: np.ndarray, stride_length_m: np.ndarray) -> np.ndarray:
    """Label strides from the angle of their displacement to the toe axis.

    ``|angle| <= 45`` forward, ``|angle| >= 135`` backward, otherwise sideways; ``unknown``
    where the angle or length is NaN or the stride is shorter than
    ``MIN_DIRECTION_LENGTH_M``.
    """
    angle = np.abs(np.asarray(progression_angle_deg, dtype=float))
    length = np.asarray(stride_length_m, dtype=float)
    out = np.full(angle.shape, "sideways", dtype=object)
    out[angle <= DIRECTION_SECTOR_DEG] = "forward"
    out[angle >= 180.0 - DIRECTION_SECTOR_DEG] = "backward"
    bad = ~np.isfinite(angle) | ~np.isfinite(length) | (length < MIN_DIRECTION_LENGTH_M)
    out[bad] = "unknown"
    return out


def _elevation_deg(quats: np.ndarray, axis: np.ndarray) -> np.ndarray:
    world = quat_rotate(quats, np.broadcast_to(axis, (len(quats), 3)))
    return np.degrees(np.arcsin(np.clip(world[:, 2], -1.0, 1.0)))


def impact_index(acc_norm: np.ndarray, ic_sample: int, a0: int, a1: int, sampling_rate_hz: float) -> int:
    """Index (relative to ``a0``) of the landing impact: the largest acceleration norm from
    ``IMPACT_BEFORE_S`` before to ``IMPACT_AFTER_S`` after the initial contact, within (a0, a1]."""
    lo = max(ic_sample - int(round(IMPACT_BEFORE_S * sampling_rate_hz)), a0 + 1)
    hi = min(ic_sample + int(round(IMPACT_AFTER_S * sampling_rate_hz)), a1)
    if hi < lo:
        return a1 - a0
    return lo + int(np.argmax(acc_norm[lo:hi + 1])) - a0


def _drift_weights(dedrift: str, t: np.ndarray, impact: int) -> np.ndarray:
    if dedrift == "linear":
        return t / t[-1]
    weights = np.zeros(len(t))
    weights[impact:] = 1.0
    return weights


def rotation_centre_offset(gyr_rad_s: np.ndarray, vel_sensor_mps: np.ndarray, *,
                           min_rate_dps: float = ROTATION_CENTRE_MIN_RATE_DPS) -> np.ndarray:
    """Where a rigid body turns: least-squares offset of the sensor from a fixed centre.

    While the foot turns about a point that does not move (a rocker pivot on the ground,
    or approximately the centre of the leg's swing), the sensor's velocity is
    ``v = omega x (S - P)``.  With ``r = S - P`` constant in the sensor frame, every sample
    gives three linear equations ``[omega]x r = v`` (sensor frame); their least-squares
    solution (minimum norm: the component along the mean rotation axis is not observable)
    is returned.  Samples turning slower than ``min_rate_dps`` are not used.

    Parameters
    ----------
    gyr_rad_s : array of shape (n, 3)
        Angular rate in the sensor frame, rad/s.
    vel_sensor_mps : array of shape (n, 3)
        Sensor velocity (relative to the ground) expressed in the sensor frame, m/s.
    min_rate_dps : float
        Smallest angular rate of a sample that is used, deg/s.

    Returns
    -------
    numpy.ndarray of shape (3,)
        ``S - P`` in the sensor frame, metres; NaN with fewer than 3 usable samples.

    Examples
    --------
    >>> w = np.array([[0.0, 2.0, 0.0], [0.0, 3.0, 0.5], [0.5, 1.0, 0.0]])
    >>> r = np.array([0.1, 0.0, 0.05])
    >>> np.round(rotation_centre_offset(w, np.cross(w, r)), 6).tolist()
    [0.1, 0.0, 0.05]
    """
    w = np.asarray(gyr_rad_s, dtype=float)
    v = np.asarray(vel_sensor_mps, dtype=float)
    use = np.all(np.isfinite(w), axis=1) & np.all(np.isfinite(v), axis=1)
    use &= np.linalg.norm(w, axis=1) >= np.deg2rad(min_rate_dps)
    if use.sum() < 3:
        return np.full(3, np.nan)
    w, v = w[use], v[use]
    zero = np.zeros(len(w))
    skew = np.stack([np.stack([zero, -w[:, 2], w[:, 1]], axis=-1),
                     np.stack([w[:, 2], zero, -w[:, 0]], axis=-1),
                     np.stack([-w[:, 1], w[:, 0], zero], axis=-1)], axis=1)
    offset, *_ = np.linalg.lstsq(skew.reshape(-1, 3), v.reshape(-1), rcond=None)
    return offset


def _stride_fc(start: int, end: int, fc_s: float, fs: float) -> int:
    if math.isfinite(fc_s):
        fc = int(round(fc_s * fs))
        if start < fc < end:
            return fc
    return start + int(round(DEFAULT_STANCE_FRACTION * (end - start)))


def foot_trajectories(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None = None,
                      *, axes: FootAxes | None = None, dedrift: str = "impact", toe_axis: object = None,
                      toe_method: str = "auto") -> FootTrajectory:
    """Integrate the trajectory of every stride of one foot sensor (``method="rampp2015"``).

    Parameters
    ----------
    rec : Recording
        Foot sensor with gyroscope, any mounting (axes are inferred).
    strides : pandas.DataFrame
        Strides of this sensor (``start_sample``, ``end_sample``, ``fc_s``, ``side``).
    events : pandas.DataFrame, optional
        Events of this sensor; the final contacts bound the next stance of each stride.
    axes : FootAxes, optional
        Known foot axes; inferred from the strides when not given (a toe axis in
        ``rec.meta["toe_axis"]``, e.g. ``"+x"``, or else ``toe_axis``, fixes the toe
        direction).
    dedrift : {"impact", "linear"}
        How the velocity left at the second anchor is removed.  ``"linear"``: spread
        linearly over the stride (Rampp et al. 2015).  ``"impact"`` (default): removed as a
        step at the landing impact (largest acceleration norm near the next initial
        contact), i.e. the velocity error is assumed to arise at the impact, whose
        transient exceeds the accelerometer's bandwidth or range (retrogait's departure from
        Rampp 2015; see the module notes).
    toe_axis : str or array, optional
        Toe direction used when ``rec.meta`` has no ``"toe_axis"`` (see
        :func:`retrogait.orientation.parse_axis`).
    toe_method : {"auto", "swing_centre", "pitch"}
        Rule for the toe direction when it is not given
        (:func:`retrogait.orientation.infer_foot_axes`; ``"auto"`` = ``"swing_centre"``).

    Returns
    -------
    FootTrajectory
        Stride length (horizontal distance between the anchors), clearance (highest sensor
        position above the line joining the two stance positions), turning angle (change of
        the toe heading, counter-clockwise positive), lateral displacement (component of the
        displacement across the initial toe heading, positive to the left), progression angle
        and direction, for every stride.  When the toe direction is neither given nor
        decided (``axes.toe_decided`` False: the strides' votes are too few or disagree),
        strides that would be ``forward`` or ``backward`` are ``unknown`` (``sideways`` does
        not depend on which way the toes point).

    Raises
    ------
    InputError
        If the recording has no gyroscope or a stride lies outside the recording.
    """
    if dedrift not in ("impact", "linear"):
        raise InputError(f"foot_trajectories: dedrift must be 'impact' or 'linear', found {dedrift!r}")
    if not rec.has_gyro:
        raise InputError(f"foot_trajectories: recording {rec.name!r} has no gyroscope; "
                         "strapdown integration needs gyr_x, gyr_y, gyr_z")
    fs = rec.sampling_rate_hz
    acc = rec.acc()
    gyr_dps = rec.gyr()
    gyr = np.deg2rad(gyr_dps)
    n_strides = len(strides)
    if n_strides and (strides["start_sample"].min() < 0 or strides["end_sample"].max() >= rec.n_samples):
        raise InputError(
            f"foot_trajectories: strides reach outside recording {rec.name!r} "
            f"(samples 0..{rec.n_samples - 1}); found start {strides['start_sample'].min()}, "
            f"end {strides['end_sample'].max()}"
        )
    statistic = shoe_statistic(acc, gyr_dps)
    anchors = stride_anchors(strides, statistic, fs, events)
    half = max(int(round(GRAVITY_HALF_WINDOW_S * fs)), 1)
    nan = np.full(n_strides, np.nan)
    valid = (anchors[:, 0] >= 0) & (anchors[:, 1] > anchors[:, 0])
    gravity = np.full((n_strides, 3), np.nan)
    for j in np.flatnonzero(valid):
        gravity[j] = _gravity_at(acc, statistic, int(anchors[j, 0]), half)
    if not valid.any():
        return FootTrajectory(nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(),
                              np.full(n_strides, "unknown", dtype=object), anchors, axes,
                              np.full((n_strides, 3, 3), np.nan), [])
    g_norms = np.linalg.norm([_gravity_at(acc, statistic, int(a), half) for a in anchors[valid].ravel()], axis=1)
    g_local = float(np.median(g_norms))

    # orientation and dedrifted velocity of every stride, tilt from gravity at the first
    # anchor (heading arbitrary)
    acc_norm = np.linalg.norm(acc, axis=1)
    strides_end = strides["end_sample"].to_numpy(dtype=np.int64)
    quats: dict[int, np.ndarray] = {}
    velocities: dict[int, np.ndarray] = {}
    centres = np.full((n_strides, 3, 3), np.nan)
    displacement = np.full((n_strides, 3), np.nan)
    strides_start = strides["start_sample"].to_numpy(dtype=np.int64)
    strides_fc_s = strides["fc_s"].to_numpy(dtype=float)
    for k in np.flatnonzero(valid):
        a0, a1 = int(anchors[k, 0]), int(anchors[k, 1])
        q = integrate_gyroscope(gravity_alignment(gravity[k]), gyr[a0:a1 + 1], fs)
        acc_world = quat_rotate(q, acc[a0:a1 + 1])
        acc_world[:, 2] -= g_local
        t = np.arange(a1 - a0 + 1) / fs
        vel = cumulative_trapezoid(acc_world, dx=1.0 / fs, axis=0, initial=0.0)
        impact = impact_index(acc_norm, int(strides_end[k]), a0, a1, fs)
        vel -= np.outer(_drift_weights(dedrift, t, impact), vel[-1])
        quats[int(k)], velocities[int(k)] = q, vel
        travel = np.trapezoid(vel, dx=1.0 / fs, axis=0) * np.array([1.0, 1.0, 0.0])
        displacement[k] = quat_to_matrix(q[0]).T @ travel
        # rotation centres: after the next initial contact (from the impact on, velocity
        # integrated back from the zero-velocity anchor), before the final contact (from
        # the first anchor on) and in swing, each in the sensor frame
        vel_sensor = np.einsum("nji,nj->ni", quat_to_matrix(q), vel)
        fc = min(max(_stride_fc(int(strides_start[k]), int(strides_end[k]), float(strides_fc_s[k]), fs), a0), a1)
        ic = min(max(int(strides_end[k]), fc), a1)
        ic_from = max(ic, a0 + impact + 1)
        for part, (lo, hi) in enumerate(((ic_from, a1), (a0, fc), (fc, ic))):
            if hi > lo:
                centres[k, part] = rotation_centre_offset(gyr[lo:hi + 1], vel_sensor[lo - a0:hi - a0 + 1])

    if axes is None:
        moving = np.concatenate([np.arange(anchors[m, 0], anchors[m, 1] + 1) for m in quats])
        moving = moving[statistic[moving] >= SHOE_THRESHOLD]
        swing_gyr = gyr[moving] if moving.size >= 3 else gyr[np.concatenate(
            [np.arange(anchors[m, 0], anchors[m, 1] + 1) for m in quats])]

        def pitch_of(axis: np.ndarray) -> np.ndarray:
            length = max(len(q) for q in quats.values())
            table = np.full((len(quats), length), np.nan)
            for row, q in enumerate(quats.values()):
                elevation = _elevation_deg(q, axis)
                table[row, : len(q)] = elevation - elevation[0]
            return table

        given = rec.meta.get("toe_axis")
        axes = infer_foot_axes(gravity[valid], swing_gyr, pitch_of, rotation_centres=centres[valid],
                               displacement=displacement[valid],
                               toe_axis=given if given is not None else toe_axis,
                               method="swing_centre" if toe_method == "auto" else toe_method)

    lengths, clearance, turning, lateral, angle = nan.copy(), nan.copy(), nan.copy(), nan.copy(), nan.copy()
    positions: list[np.ndarray] = []
    for i in range(n_strides):
        if i not in quats:
            positions.append(np.empty((0, 3)))
            continue
        a0, a1 = int(anchors[i, 0]), int(anchors[i, 1])
        q = quats[i]
        t = np.arange(a1 - a0 + 1) / fs
        pos = cumulative_trapezoid(velocities[i], dx=1.0 / fs, axis=0, initial=0.0)
        toe_world = quat_rotate(q[[0, -1]], np.broadcast_to(axes.toe, (2, 3)))
        heading0 = math.atan2(toe_world[0, 1], toe_world[0, 0])
        heading1 = math.atan2(toe_world[1, 1], toe_world[1, 0])
        # rotate so that world +x is the toe heading at the first anchor
        c, s = math.cos(-heading0), math.sin(-heading0)
        pos = pos @ np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]).T
        dx, dy = float(pos[-1, 0]), float(pos[-1, 1])
        lengths[i] = math.hypot(dx, dy)
        angle[i] = math.degrees(math.atan2(dy, dx))
        lateral[i] = dy
        turning[i] = math.degrees(math.atan2(math.sin(heading1 - heading0), math.cos(heading1 - heading0)))
        baseline = pos[0, 2] + (pos[-1, 2] - pos[0, 2]) * t / t[-1]
        clearance[i] = float(np.max(pos[:, 2] - baseline))
        positions.append(pos)
    direction = classify_direction(angle, lengths)
    if not axes.toe_decided:
        # which way the toes point is unknown: forward and backward cannot be told apart
        direction[np.isin(direction, ("forward", "backward"))] = "unknown"
    return FootTrajectory(
        stride_length_m=lengths,
        foot_clearance_m=clearance,
        turning_angle_deg=turning,
        lateral_displacement_m=lateral,
        progression_angle_deg=angle,
        direction=direction,
        anchors=anchors,
        axes=axes,
        rotation_centres=centres,
        positions=positions,
    )
