"""Foot trajectories by strapdown integration with zero-velocity updates (foot IMU).

Method (``method="rampp2015"``)
-------------------------------
Every stride is integrated on its own, from a zero-velocity instant in the stance of its
initial contact to the zero-velocity instant of the next stance of the same foot:

1. Zero-velocity instants: the SHOE statistic of Skog et al. (2010) -- the windowed,
   noise-weighted energy of the angular rate and of the deviation of the specific force
   from gravity -- is computed for every sample; the **anchor** of a stance is the sample
   where it is smallest (so running, whose stance has only a short still moment, works too),
   searched from the landing impact on (the end of the swing, where the foot's rotation
   reverses, can otherwise win in fast walking: measured on gdin exp 34, a stride of 1.47 m
   integrated from there came out 8.1 m).
2. Initial orientation: tilt from the mean accelerometer vector around the anchor (gravity
   at flat stance); heading arbitrary.  No rest period at the start of the recording is
   needed (treadmill recordings have none).
3. Orientation by integrating the gyroscope (quaternions); acceleration rotated into the
   world frame, gravity removed.
4. Velocity by integration, then dedrifting so that the velocity is zero at both anchors
   (the zero-velocity update of Foxlin 2005 reduced to its two end points).  Rampp et al.
   (2015) assume the velocity error grows linearly in time (``dedrift="linear"``);
   ``dedrift="impact"`` removes it as a step at the landing impact.  retrogait's default
   (``dedrift="mixed"``) removes a share of it as the step and the rest linearly, the share
   (0..1, one per recording) chosen by least squares so that every still sample of every
   stride (SHOE statistic below threshold), not only the two anchors, is left at zero
   velocity -- the condition a zero-velocity Kalman filter imposes (Foxlin 2005, Skog 2010).
   Strides in which the accelerometer saturates (:func:`saturated_samples`: a plateau at
   the extreme value of an axis, found in the data, not assumed) are corrected first: the
   specific force the clipped samples miss points along the clipped axes, beyond the
   range, and is at most what the transient's rise and fall, extended over the clipped
   run, allow (a peaked, concave transient lies below them).  That largest missing force,
   scaled by one factor per stride (0..1, least squares) so that it cancels as much of the
   velocity left at the next zero-velocity instant as it can, is added back over the
   clipped samples -- integrated like the signal, in the world frame -- and only what is
   left is dedrifted as above (``saturation="spread"``).
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
the statistic in each stance; and the mixed dedrifting.  Why: where the velocity error of a
stride arises depends on the sensor.  With motion capture (gaitmap example, consumer IMU,
impacts of 4-16 g at 204.8 Hz) it appears almost entirely at the landing impact, and the
step is right (mean absolute stride length error 1.6-1.7 cm step vs 4.0-4.2 cm linear);
on the gdin recordings (MicroStrain 3DM-GX5-25, impacts of 3-5 g, gyroscope clipping near
500 deg/s in fast strides) it grows through the stride, and the step is wrong (MAPE 5.5 %
step vs 1.6 % linear against floor footprints).  The still samples tell them apart: the
share chosen is 0.8-0.9 on gaitmap and 0.0-0.2 on gdin (benchmarks/accuracy_spatial.py;
mixed: gaitmap 1.5-1.7 cm, gdin 1.9 %).
The saturation correction is the project's own reasoning (the literature in the research
notes gives no correction for a clipped accelerometer): the zero velocity of the next
stance (Skog 2010) tells how much velocity the stride lost, the clipped samples when, and
the sign of the plateau which way.  Measured on uci subject II (VN-200, +-16 g, 800 Hz,
5-7 strides clipped at landing per running segment; ``benchmarks/accuracy_spatial.py``):
every running segment gets longer, but by 0.2-0.7 % only (7.0-29.3 % short instead of
7.2-29.7 %, mean 12.9 instead of 13.3 %): most of their shortfall has another cause (in
several sprint strides the velocity left at the next stance is 4-8 m/s, far more than the
clipped samples can have missed).  Without the bound (only the sign of the missing force
constrained) the runs gained 1.3 % on average, but a sideways stride with two clipped
samples took 1 m of made-up travel and became "forward".  gaitmap and gdin have no
plateau (gaitmap reaches 16 g only in single samples at 204.8 Hz) and are unchanged.
Limit of the detector: a smooth peak repeated at the same height in several strides (as
in synthetic signals) looks like a plateau; real impacts vary from stride to stride.
The rotation centres keep the velocity anchored at the nearer zero-velocity instant (the
step), which the toe rule was built on.

Implementation: the strides are integrated side by side, in blocks of strides padded to
the longest of the block (``BLOCK_SAMPLES``), with the arithmetic of integrating each
alone; an hour of 100 Hz data takes about half a second and a few tens of MB
(``python benchmarks/speed.py``).  ``dedrift="mixed"`` integrates twice (a first pass
finds the impact share), which doubles that time.

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
from typing import Any

import numpy as np
import pandas as pd
from scipy.integrate import cumulative_trapezoid
from scipy.ndimage import uniform_filter1d

from retrogait.errors import InputError
from retrogait.orientation import (
    FootAxes,
    gravity_alignment_rows,
    infer_foot_axes,
    integrate_gyroscope_rows,
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
    "SATURATION_MIN_LEVEL_MS2",
    "SATURATION_TOLERANCE",
    "SATURATION_MIN_RUN_SAMPLES",
    "saturated_samples",
]

#: SHOE detector noise levels and threshold (Skog et al. 2010 and the OpenShoe defaults
#: [from memory]: sigma_a = 0.01 m/s^2, sigma_w = 0.1 deg/s, gamma = 0.3e5, window 3).
#: With them a sample counts as still when, on average over the window,
#: ||a - g||^2 / sigma_a^2 + ||w||^2 / sigma_w^2 < gamma, e.g. ||w|| < 17 deg/s alone.
SHOE_SIGMA_ACC_MS2 = 0.01
SHOE_SIGMA_GYR_DPS = 0.1
SHOE_THRESHOLD = 0.3e5
SHOE_WINDOW_SAMPLES = 3
#: Shortest time (s) over which the foot must be still for a sample to be chosen as a
#: stride's zero-velocity anchor (the SHOE statistic used for the anchor is averaged over
#: at least this long, never fewer than ``SHOE_WINDOW_SAMPLES`` samples).  Physics, not a
#: fit: after a running landing the shoe and sensor ring for tens of ms (seen at 40-60 Hz
#: on the uci VN-200 at 800 Hz); within a 3-sample window (3.75 ms at 800 Hz) the specific
#: force crosses 1 g in the middle of that ringing while pointing up to ~50 deg away from
#: gravity, so the statistic picked such a crossing as "stillest", the gravity alignment
#: at the anchor was tilted and gravity leaked into the velocity (sprint strides 1 m
#: short, velocity left at the next stance 4-7 m/s).  A window of one period of 50 Hz
#: ringing (20 ms) sees the oscillation; at 100-200 Hz it is 2-4 samples, i.e. Skog et
#: al.'s (2010) short window is kept at walking-study rates.
#: Opt-in (``foot_trajectories(anchor_still_s=ANCHOR_STILL_WINDOW_S)``, or
#: ``Params(stance_anchor_still_s=0.02)`` for the pipeline), not the default:
#: on uci running it shortens the course shortfall (run -12.9 -> -10.1 %, mean of 7
#: trials) but moves anchors by a sample in walking stances that are never still at
#: 200 Hz (gdin stride MAPE 1.91 -> 1.97 %) and adds up to 0.5 cm to simulated clipped
#: running strides.
ANCHOR_STILL_WINDOW_S = 0.02

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
#: Most padded samples (strides x samples of the longest of them) integrated side by side
#: in one block: bounds the memory of the block's temporaries (a few hundred bytes per
#: padded sample, so about 10 MB) whatever the length of the recording.  Shorter
#: recordings use blocks of an eighth of their samples (at least ``MIN_BLOCK_SAMPLES``), so
#: that the temporaries stay small next to the recording itself.
BLOCK_SAMPLES = 1 << 15
MIN_BLOCK_SAMPLES = 1 << 11
#: Saturation (clipping) of the accelerometer, see :func:`saturated_samples`.  A plateau is
#: only looked for above 12 g: gait IMUs have ranges of +-16 g or more (uci VN-200 and
#: gaitmap's sensor: 16 g), and 12 g lies between that and the next smaller standard range
#: (8 g), above the 4-10 g of walking impacts at the foot (module notes) -- so the 1 g of
#: a foot at rest, whose quantised samples repeat, is never taken for a range.
SATURATION_MIN_LEVEL_MS2 = 12.0 * STANDARD_GRAVITY_MS2
#: Relative tolerance around the extreme value: the output of a calibrated (compensated)
#: sensor at a clipped axis moves with the cross-axis correction applied to the other axes;
#: measured on the uci VN-200 (plateaus of 153.0-153.5, 155.3-156.3 and 155.3-157.5 m/s^2),
#: within 1.5 %.  The project's choice, not from a paper.
SATURATION_TOLERANCE = 0.02
#: A plateau is a run of at least this many consecutive samples at the extreme value, and
#: at least ``SATURATION_MIN_RUNS`` such runs per axis and sign (a range is reached again
#: and again; a lone peak is a peak).
SATURATION_MIN_RUN_SAMPLES = 2
SATURATION_MIN_RUNS = 2
#: Fraction of the stride at which the final contact is assumed when the strides table has
#: no ``fc_s`` (walking stance is about 60 % of the stride).
DEFAULT_STANCE_FRACTION = 0.6


@dataclass(frozen=True)
class FootTrajectory:
    """Trajectory results of a set of strides of one foot sensor.

    Attributes
    ----------
    stride_length_m : numpy.ndarray
        Horizontal distance between the two anchors of each stride, m (NaN where not
        computed, as for the other per-stride arrays).
    foot_clearance_m : numpy.ndarray
        Highest sensor position above the line joining the two stance positions, m.
    turning_angle_deg : numpy.ndarray
        Change of the toe heading over the stride, deg, counter-clockwise (to the left)
        positive.
    lateral_displacement_m : numpy.ndarray
        Component of the displacement across the initial toe heading, m, positive to the
        left.
    progression_angle_deg : numpy.ndarray
        Angle of the horizontal displacement from the foot's toe axis at the first anchor,
        deg, counter-clockwise seen from above (0 = forward, +-180 = backward, +90 = to
        the left).
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
    gravity_ms2 : numpy.ndarray of shape (n_strides, 3)
        Mean specific force around the first anchor (sensor frame, m/s^2; NaN where the
        anchor is missing): the tilt every orientation starts from.
    impact_share : float
        Share (0..1) of each stride's velocity error removed as a step at the landing
        impact, the rest linearly in time (see ``dedrift``); NaN when nothing was integrated.
    clipped_samples : numpy.ndarray of int64, shape (n_strides,)
        Samples in (first anchor, second anchor] where the accelerometer saturates
        (:func:`saturated_samples`); a stride with any has its velocity error removed over
        them (``saturation="spread"``); 0 where the stride was not integrated.

    Examples
    --------
    Returned by :func:`foot_trajectories`; here for a simulated forward walk.  Each
    stride's path starts at its first anchor (the origin) with world +x along the toes,
    and the stride length is the horizontal distance to its end:

    >>> import math
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=6, sampling_rate_hz=100.0, seed=1)
    >>> traj = foot_trajectories(sim.recording, sim.strides, sim.events)
    >>> traj.anchors.shape, len(traj.positions), traj.positions[0][0].tolist()
    ((6, 2), 6, [0.0, 0.0, 0.0])
    >>> end = traj.positions[0][-1]
    >>> bool(math.isclose(math.hypot(end[0], end[1]), traj.stride_length_m[0]))
    True
    >>> bool(np.all(np.abs(traj.progression_angle_deg) < 5.0)), traj.direction.tolist()[0]
    (True, 'forward')
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
    gravity_ms2: np.ndarray = field(default_factory=lambda: np.empty((0, 3)), repr=False)
    impact_share: float = math.nan
    clipped_samples: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64), repr=False)


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

    Raises
    ------
    InputError
        If ``acc_ms2`` and ``gyr_dps`` are not two (n, 3) arrays of the same shape.

    References
    ----------
    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Examples
    --------
    A foot at rest (gravity along z, sensor noise only) scores far below the threshold;
    a rate of turn alone crosses it between 17 and 18 deg/s (``17^2 / 0.1^2 = 28900``,
    ``18^2 / 0.1^2 = 32400``, threshold 30000):

    >>> rng = np.random.default_rng(0)
    >>> rest = np.tile([0.0, 0.0, 9.80665], (50, 1))
    >>> still = shoe_statistic(rest + rng.normal(0, 0.005, (50, 3)), rng.normal(0, 0.05, (50, 3)))
    >>> bool(still.max() < SHOE_THRESHOLD)
    True
    >>> [round(float(shoe_statistic(rest, np.tile([0.0, w, 0.0], (50, 1)))[0])) for w in (17.0, 18.0)]
    [28900, 32400]
    >>> shoe_statistic(rest, np.zeros((49, 3)))
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: shoe_statistic: expected two (n, 3) arrays, found (50, 3) and (49, 3)
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
        Foot recording with gyroscope (acc m/s^2, gyr deg/s).
    threshold : float
        SHOE threshold (dimensionless, default ``SHOE_THRESHOLD``); a sample is still
        when :func:`shoe_statistic` is below it.
    min_duration_s : float
        Still periods shorter than this (s) are dropped; default 0 keeps all.

    Returns
    -------
    numpy.ndarray of bool, shape (n_samples,)
        True where the foot is still.

    Raises
    ------
    InputError
        If the recording has no gyroscope.

    References
    ----------
    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Examples
    --------
    A simulated walk: the foot is still in the middle of every stance (halfway from the
    initial to the final contact of the truth) and moving in the middle of every swing.

    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> still = zero_velocity_mask(sim.recording)
    >>> ic = sim.strides["start_sample"].to_numpy()
    >>> fc = np.round(sim.strides["fc_s"].to_numpy() * 100.0).astype(int)
    >>> nxt = sim.strides["end_sample"].to_numpy()
    >>> still[(ic + fc) // 2].tolist(), still[(fc + nxt) // 2].tolist()
    ([True, True, True, True], [False, False, False, False])
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


def _stride_fcs(start: np.ndarray, end: np.ndarray, fc_s: np.ndarray, fs: float) -> np.ndarray:
    """Final-contact sample of each stride: ``fc_s`` when it lies inside the stride, else
    the default stance fraction of the stride (vectorised)."""
    default = start + np.round(DEFAULT_STANCE_FRACTION * (end - start)).astype(np.int64)
    with np.errstate(invalid="ignore"):
        fc = np.round(np.asarray(fc_s, dtype=float) * fs)
    inside = np.isfinite(fc) & (fc > start) & (fc < end)
    return np.where(inside, np.where(inside, fc, 0.0).astype(np.int64), default)


def _fc_samples_by_side(events: pd.DataFrame | None, sides: np.ndarray) -> dict[object, np.ndarray]:
    """Sorted final-contact samples for each side in ``sides`` (key None: all sides).

    A side with no final contact of its own uses those of every side, as does a stride
    without a side.
    """
    if events is None or events.empty:
        return {None: np.array([], dtype=np.int64)}
    fc = events[events["event"] == "fc"]
    every = np.sort(fc["sample"].to_numpy(dtype=np.int64))
    out: dict[object, np.ndarray] = {None: every}
    if "side" not in fc.columns:
        return out
    fc_sides = fc["side"].to_numpy(dtype=object)
    fc_samples = fc["sample"].to_numpy(dtype=np.int64)
    for side in pd.unique(sides):
        if side is None or pd.isna(side):
            continue
        same = np.sort(fc_samples[fc_sides == side])
        out[side] = same if same.size else every
    return out


def _next_stance_ends(start: np.ndarray, end: np.ndarray, fc: np.ndarray, sides: np.ndarray,
                      events: pd.DataFrame | None) -> np.ndarray:
    """End of the stance after each stride: the first final contact of the same side after
    ``end`` and within one stride duration, else ``end`` plus the stride's own stance."""
    out = end + (fc - start)
    by_side = _fc_samples_by_side(events, sides)
    no_side = np.array([side is None or pd.isna(side) for side in sides], dtype=bool)
    for side, samples in by_side.items():
        rows = np.flatnonzero(no_side if side is None else ~no_side & (sides == side))
        if rows.size == 0 or samples.size == 0:
            continue
        # first final contact strictly after the stride's end (binary search, not a scan)
        pos = np.searchsorted(samples, end[rows], side="right")
        found = pos < samples.size
        nxt = samples[np.minimum(pos, samples.size - 1)]
        found &= nxt < end[rows] + (end[rows] - start[rows])
        out[rows[found]] = nxt[found]
    return out


def stride_anchors(strides: pd.DataFrame, statistic: np.ndarray, sampling_rate_hz: float,
                   events: pd.DataFrame | None = None, *, acc_norm: np.ndarray | None = None) -> np.ndarray:
    """Zero-velocity anchors (stance of the stride's ic and of the next ic) of each stride.

    The stance of an initial contact runs to the stride's final contact (``fc_s``), or,
    without one, over the first 60 % of the stride (walking stance is ~60 %).  The next
    stance runs from ``end_sample`` to the next final contact in ``events``, or over as many
    samples as the stride's own stance.  Each anchor is the minimum of ``statistic`` there.
    With ``acc_norm`` (norm of the specific force, m/s^2) a stance is searched only from its
    landing impact on (the largest ``acc_norm`` from ``IMPACT_BEFORE_S`` before to
    ``IMPACT_AFTER_S`` after the initial contact): the foot cannot be still before it lands,
    and in fast walking the swing's end, where the foot's rotation reverses, can look
    stiller to the statistic than the short stance that follows.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides of one foot sensor (strides table, ``schema.STRIDES_COLUMNS``; uses
        ``start_sample``, ``end_sample`` (samples), ``fc_s`` (s, may be NaN) and ``side``
        when present).
    statistic : array of shape (n_samples,)
        Stillness per sample, smaller = stiller, e.g. :func:`shoe_statistic`.
    sampling_rate_hz : float
        Sampling rate in Hz (> 0).
    events : pandas.DataFrame, optional
        Events of this sensor (events table, ``schema.EVENTS_COLUMNS``); its ``fc`` rows
        end the next stance of each stride.
    acc_norm : array of shape (n_samples,), optional
        Norm of the specific force, m/s^2; when given, each stance is searched from its
        landing impact on.

    Returns
    -------
    numpy.ndarray of int64, shape (n_strides, 2)
        Anchor samples; -1 where a stance lies outside the recording.

    References
    ----------
    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Examples
    --------
    In a simulated walk the first anchor of every stride lies in the stance of its
    initial contact and the second one in the next stance, which is the first anchor of
    the next stride:

    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> rec, st = sim.recording, sim.strides
    >>> stat = shoe_statistic(rec.acc(), rec.gyr())
    >>> anchors = stride_anchors(st, stat, rec.sampling_rate_hz, sim.events)
    >>> fc = np.round(st["fc_s"].to_numpy() * rec.sampling_rate_hz)
    >>> bool(np.all((anchors[:, 0] >= st["start_sample"]) & (anchors[:, 0] <= fc)))
    True
    >>> anchors[1:, 0].tolist() == anchors[:-1, 1].tolist()
    True
    """
    fs = float(sampling_rate_hz)
    n = len(statistic)
    start = strides["start_sample"].to_numpy(dtype=np.int64)
    end = strides["end_sample"].to_numpy(dtype=np.int64)
    fc = _stride_fcs(start, end, strides["fc_s"].to_numpy(dtype=float), fs)
    sides = strides["side"].to_numpy(dtype=object) if "side" in strides.columns \
        else np.full(len(strides), None, dtype=object)
    next_fc = _next_stance_ends(start, end, fc, sides, events)
    out = np.full((len(strides), 2), -1, dtype=np.int64)
    for j, (lo, hi) in enumerate(((start, fc), (end, next_fc))):
        if acc_norm is not None:
            lo = np.array([_landing(acc_norm, int(a), int(b), fs) for a, b in zip(lo, hi, strict=True)],
                          dtype=np.int64)
        lo, hi = np.maximum(lo, 0), np.minimum(hi, n - 1)
        for i in np.flatnonzero(hi > lo):
            out[i, j] = lo[i] + int(np.argmin(statistic[lo[i]:hi[i] + 1]))
    return out


def _anchor_statistic(acc: np.ndarray, gyr_dps: np.ndarray, statistic: np.ndarray, fs: float,
                      window_s: float | None) -> np.ndarray:
    """Stillness score whose minimum in a stance is the zero-velocity anchor (smaller = stiller).

    Among the samples still over ``window_s`` (s; SHOE statistic over that window below
    ``SHOE_THRESHOLD``) the score is ``statistic`` (the 3-sample SHOE statistic), so the stillest of them wins; every other sample scores above all of
    those, by its statistic over the longer window, so a stance that is never still for
    that long (a sprint's) is anchored where the foot is stillest over it rather than at a
    momentary 1 g crossing in the landing's ringing (see ``ANCHOR_STILL_WINDOW_S``).  With
    ``window_s`` None or a window of no more than ``SHOE_WINDOW_SAMPLES`` samples the score
    is ``statistic``.
    """
    if window_s is None:
        return statistic
    window = max(SHOE_WINDOW_SAMPLES, int(round(window_s * fs)))
    if window <= SHOE_WINDOW_SAMPLES:
        return statistic
    long_statistic = shoe_statistic(acc, gyr_dps, window_samples=window)
    return np.where(long_statistic < SHOE_THRESHOLD, statistic,
                    np.maximum(statistic, SHOE_THRESHOLD) + long_statistic)


def _landing(acc_norm: np.ndarray, ic: int, stance_end: int, fs: float) -> int:
    """Sample of the landing impact of the initial contact ``ic``: the largest ``acc_norm``
    from ``IMPACT_BEFORE_S`` before to ``IMPACT_AFTER_S`` after it (not past ``stance_end``)."""
    lo = max(ic - int(round(IMPACT_BEFORE_S * fs)), 0)
    hi = min(ic + int(round(IMPACT_AFTER_S * fs)), stance_end - 1, len(acc_norm) - 1)
    if hi < lo:
        return ic
    return lo + int(np.argmax(acc_norm[lo:hi + 1]))


def _gravity_at(acc: np.ndarray, statistic: np.ndarray, anchors: np.ndarray, half: int) -> np.ndarray:
    """Mean specific force around each anchor (m/s^2, shape (m, 3)).

    The still samples (SHOE statistic below threshold) within ``half`` samples of the
    anchor are averaged, or the anchor and its two neighbours when fewer than 3 are still.
    """
    anchors = np.asarray(anchors, dtype=np.int64).reshape(-1)
    n = len(acc)
    offsets = np.arange(-half, half + 1)
    index = anchors[:, None] + offsets
    inside = (index >= 0) & (index < n)
    index = np.clip(index, 0, n - 1)
    use = inside & (statistic[index] < SHOE_THRESHOLD)
    few = use.sum(axis=1) < 3
    use[few] = inside[few] & (np.abs(offsets) <= 1)
    total = np.where(use[..., None], acc[index], 0.0).sum(axis=1)
    return total / use.sum(axis=1)[:, None]


def classify_direction(progression_angle_deg: np.ndarray, stride_length_m: np.ndarray) -> np.ndarray:
    """Label strides from the angle of their displacement to the toe axis.

    ``|angle| <= 45`` forward, ``|angle| >= 135`` backward, otherwise sideways; ``unknown``
    where the angle or length is NaN or the stride is shorter than
    ``MIN_DIRECTION_LENGTH_M``.

    Parameters
    ----------
    progression_angle_deg : array
        Angle of each stride's horizontal displacement from the toe axis, deg,
        counter-clockwise seen from above (0 = along the toes, +-180 = along the heel).
    stride_length_m : array
        Horizontal length of each stride, m (same shape).

    Returns
    -------
    numpy.ndarray of str (object dtype)
        ``forward``, ``backward``, ``sideways`` or ``unknown`` per stride.

    Examples
    --------
    Displacements along the toes, along the heel, to the left, and too short:

    >>> displacement = np.array([[1.3, 0.1], [-0.8, -0.05], [0.05, 0.5], [0.03, 0.0]])  # m, toe = +x
    >>> angle = np.degrees(np.arctan2(displacement[:, 1], displacement[:, 0]))
    >>> classify_direction(angle, np.hypot(displacement[:, 0], displacement[:, 1])).tolist()
    ['forward', 'backward', 'sideways', 'unknown']
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
    ``IMPACT_BEFORE_S`` before to ``IMPACT_AFTER_S`` after the initial contact, within (a0, a1].

    Parameters
    ----------
    acc_norm : array of shape (n_samples,)
        Norm of the specific force, m/s^2.
    ic_sample : int
        Initial contact that ends the stride, sample.
    a0, a1 : int
        First and second zero-velocity anchors of the stride, samples (``a0 < a1``).
    sampling_rate_hz : float
        Sampling rate in Hz (> 0).

    Returns
    -------
    int
        Samples from ``a0`` to the impact; ``a1 - a0`` when the search window lies
        outside (a0, a1].

    Examples
    --------
    An impact of 30 m/s^2 two samples after the initial contact at sample 50, in a
    stride integrated from sample 10 to 90 (100 Hz):

    >>> acc_norm = np.full(100, 9.81)
    >>> acc_norm[52] = 30.0
    >>> impact_index(acc_norm, 50, 10, 90, 100.0)
    42
    >>> impact_index(acc_norm, 50, 10, 30, 100.0)  # window after a1: the end
    20
    """
    lo = max(ic_sample - int(round(IMPACT_BEFORE_S * sampling_rate_hz)), a0 + 1)
    hi = min(ic_sample + int(round(IMPACT_AFTER_S * sampling_rate_hz)), a1)
    if hi < lo:
        return a1 - a0
    return lo + int(np.argmax(acc_norm[lo:hi + 1])) - a0


def saturated_samples(acc_ms2: np.ndarray, *, min_level_ms2: float = SATURATION_MIN_LEVEL_MS2,
                      tolerance: float = SATURATION_TOLERANCE,
                      min_run_samples: int = SATURATION_MIN_RUN_SAMPLES) -> np.ndarray:
    """Samples where an accelerometer axis sits at the sensor's range (clipping).

    The range is not given but found as a plateau: per axis and sign, the extreme value of
    the recording, if it is at least ``min_level_ms2``, is a range when the signal stays
    within ``tolerance`` (relative) of it for at least ``min_run_samples`` consecutive
    samples on at least ``SATURATION_MIN_RUNS`` separate occasions.  Then every sample within
    the tolerance of it is saturated (a single sample at the range is clipped too).

    Parameters
    ----------
    acc_ms2 : array of shape (n, 3)
        Specific force, m/s^2.
    min_level_ms2 : float
        Smallest extreme value looked at as a range, m/s^2 (default 12 g, see
        ``SATURATION_MIN_LEVEL_MS2``).
    tolerance : float
        Relative distance from the extreme value that still counts as at the range.
    min_run_samples : int
        Consecutive samples that make a plateau.

    Returns
    -------
    numpy.ndarray of bool, shape (n, 3)
        True where the axis is saturated.

    Raises
    ------
    InputError
        If ``acc_ms2`` is not an (n, 3) array.

    Examples
    --------
    Impacts of 200 m/s^2 clipped at a 16 g range (156.9 m/s^2) in three strides, and a
    lone peak of 150 m/s^2 on another axis, which is not a plateau:

    >>> acc = np.tile([0.0, 0.0, 9.81], (300, 1))
    >>> for k in (50, 150, 250):
    ...     acc[k - 2:k + 3, 2] = np.minimum([60.0, 170.0, 200.0, 170.0, 60.0], 156.9)
    >>> acc[100, 0] = 150.0
    >>> clipped = saturated_samples(acc)
    >>> np.flatnonzero(clipped[:, 2]).tolist(), bool(clipped[:, :2].any())
    ([49, 50, 51, 149, 150, 151, 249, 250, 251], False)
    >>> saturated_samples(acc[:, :2])
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: saturated_samples: acc_ms2 must be an (n, 3) array, found shape (300, 2)
    """
    acc = np.asarray(acc_ms2, dtype=float)
    if acc.ndim != 2 or acc.shape[1] != 3:
        raise InputError(f"saturated_samples: acc_ms2 must be an (n, 3) array, found shape {acc.shape}")
    out = np.zeros(acc.shape, dtype=bool)
    if len(acc) == 0:
        return out
    for axis in range(3):
        for sign in (1.0, -1.0):
            values = sign * acc[:, axis]
            level = float(np.nanmax(values))
            if not level >= min_level_ms2:
                continue
            near = values >= level * (1.0 - tolerance)
            edges = np.diff(np.concatenate([[0], near.astype(np.int8), [0]]))
            run_lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
            if np.count_nonzero(run_lengths >= min_run_samples) >= SATURATION_MIN_RUNS:
                out[:, axis] |= near
    return out


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
    w = np.asarray(gyr_rad_s, dtype=float)[None]
    v = np.asarray(vel_sensor_mps, dtype=float)[None]
    return _rotation_centre_offsets(w, v, np.ones(w.shape[:2], dtype=bool), min_rate_dps=min_rate_dps)[0]


def _rotation_centre_offsets(gyr_rad_s: np.ndarray, vel_sensor_mps: np.ndarray, window: np.ndarray, *,
                             min_rate_dps: float = ROTATION_CENTRE_MIN_RATE_DPS) -> np.ndarray:
    """:func:`rotation_centre_offset` of many windows at once.

    ``gyr_rad_s`` and ``vel_sensor_mps`` have shape (m, k, 3), ``window`` (m, k) marks the
    samples of each row's window (rows are padded to a common ``k``).  Unused samples
    become zero equations, which leave the least-squares solution unchanged; the
    minimum-norm solution is then taken from one batched SVD, with the rank cut-off of
    ``numpy.linalg.lstsq`` (``rcond = eps * number of equations``).
    """
    w = np.asarray(gyr_rad_s, dtype=float)
    v = np.asarray(vel_sensor_mps, dtype=float)
    use = window & np.all(np.isfinite(w), axis=-1) & np.all(np.isfinite(v), axis=-1)
    use &= np.linalg.norm(w, axis=-1) >= np.deg2rad(min_rate_dps)
    count = use.sum(axis=1)
    out = np.full((len(w), 3), np.nan)
    rows = np.flatnonzero(count >= 3)
    if rows.size == 0:
        return out
    keep = use[rows, :, None]
    w = np.where(keep, w[rows], 0.0)
    v = np.where(keep, v[rows], 0.0)
    zero = np.zeros(w.shape[:-1])
    skew = np.stack([np.stack([zero, -w[..., 2], w[..., 1]], axis=-1),
                     np.stack([w[..., 2], zero, -w[..., 0]], axis=-1),
                     np.stack([-w[..., 1], w[..., 0], zero], axis=-1)], axis=-2)
    u, sv, vt = np.linalg.svd(skew.reshape(len(rows), -1, 3), full_matrices=False)
    cutoff = np.finfo(float).eps * np.maximum(3 * count[rows], 3)[:, None] * sv[:, :1]
    inverse = np.where(sv > cutoff, 1.0 / np.where(sv > 0, sv, 1.0), 0.0)
    projected = np.einsum("kmj,km->kj", u, v.reshape(len(rows), -1)) * inverse
    out[rows] = np.einsum("kji,kj->ki", vt, projected)
    return out


def foot_trajectories(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None = None,
                      *, axes: FootAxes | None = None, dedrift: str = "mixed", toe_axis: object = None,
                      toe_method: str = "auto", saturation: str = "spread",
                      anchor_still_s: float | None = None) -> FootTrajectory:
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
    dedrift : {"mixed", "impact", "linear"}
        How the velocity left at the second anchor is removed.  ``"linear"``: spread
        linearly over the stride (Rampp et al. 2015).  ``"impact"``: removed as a step at
        the landing impact (largest acceleration norm near the next initial contact), i.e.
        the velocity error is assumed to arise at the impact, whose transient exceeds the
        accelerometer's bandwidth or range.  ``"mixed"`` (default): a share of it as the
        step, the rest linearly, the share (``FootTrajectory.impact_share``) fitted so that
        the still samples of all strides keep zero velocity (retrogait's departure from
        Rampp 2015; see the module notes).
    toe_axis : str or array, optional
        Toe direction used when ``rec.meta`` has no ``"toe_axis"`` (see
        :func:`retrogait.orientation.parse_axis`).
    toe_method : {"auto", "swing_centre", "pitch"}
        Rule for the toe direction when it is not given
        (:func:`retrogait.orientation.infer_foot_axes`; ``"auto"`` = ``"swing_centre"``).
    saturation : {"spread", "ignore"}
        ``"spread"`` (default): in strides with saturated accelerometer samples
        (:func:`saturated_samples`), the part of the velocity error that a force missing
        beyond the range along the clipped axes explains is added back over the clipped
        samples before dedrifting (module notes; retrogait's own reasoning).  ``"ignore"``:
        no correction.
    anchor_still_s : float, optional
        When given (s, >= 0; ``ANCHOR_STILL_WINDOW_S`` = 0.02 is the physical choice), each
        zero-velocity anchor is the stillest sample among those still over this long, or,
        in a stance never still that long, the sample stillest over it (sprint stances at
        800 Hz, whose 3-sample minimum can fall on a 1 g crossing of the landing's
        ringing; retrogait's addition to Skog et al. 2010).  Default None: the minimum
        of the 3-sample SHOE statistic.

    Returns
    -------
    FootTrajectory
        Stride length (m, horizontal distance between the anchors), clearance (m, highest
        sensor position above the line joining the two stance positions), turning angle
        (deg, change of the toe heading, counter-clockwise positive), lateral displacement
        (m, component of the displacement across the initial toe heading, positive to the
        left), progression angle (deg) and direction, for every stride; all but the
        progression angle fill the strides-table columns of the same names
        (``schema.STRIDES_COLUMNS``).  When the toe direction is neither given nor
        decided (``axes.toe_decided`` False: the strides' votes are too few or disagree),
        strides that would be ``forward`` or ``backward`` are ``unknown`` (``sideways`` does
        not depend on which way the toes point).

    Raises
    ------
    InputError
        If ``dedrift`` or ``saturation`` is not one of its values, the recording has no
        gyroscope or a stride lies outside the recording.

    References
    ----------
    Rampp A, Barth J, Schuelein S, Gassmann K-G, Klucken J, Eskofier BM (2015). Inertial
    sensor-based stride parameter calculation from gait sequences in geriatric patients.
    IEEE Trans Biomed Eng 62(4):1089-1097.

    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Foxlin E (2005). Pedestrian tracking with shoe-mounted inertial sensors. IEEE Computer
    Graphics and Applications 25(6):38-46.

    Examples
    --------
    A simulated forward walk (strides of about 1.35 m): every stride length within 1 cm
    of the truth, the toe direction inferred from the data, and forward:

    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(n_strides=6, sampling_rate_hz=100.0, seed=1)
    >>> traj = foot_trajectories(sim.recording, sim.strides, sim.events)
    >>> error = traj.stride_length_m - sim.strides["stride_length_m"].to_numpy()
    >>> bool(np.all(np.abs(error) < 0.01)), traj.axes.toe_decided, set(traj.direction)
    (True, True, {'forward'})

    The same walk played backwards (:func:`retrogait.simulate.time_reverse_trial`) moves
    along the heel:

    >>> from retrogait.simulate import time_reverse_trial
    >>> back = time_reverse_trial(sim)
    >>> rows = back.strides["stride_length_m"].notna().to_numpy()
    >>> traj = foot_trajectories(back.recording, back.strides[rows], back.events, toe_axis="+x")
    >>> set(traj.direction)
    {'backward'}
    >>> foot_trajectories(sim.recording, sim.strides, dedrift="spline")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: foot_trajectories: dedrift must be 'mixed', ... found 'spline'
    """
    if dedrift not in ("mixed", "impact", "linear"):
        raise InputError(f"foot_trajectories: dedrift must be 'mixed', 'impact' or 'linear', found {dedrift!r}")
    if saturation not in ("spread", "ignore"):
        raise InputError(f"foot_trajectories: saturation must be 'spread' or 'ignore', found {saturation!r}")
    if anchor_still_s is not None and not (np.isfinite(anchor_still_s) and anchor_still_s >= 0):
        raise InputError(f"foot_trajectories: anchor_still_s must be None or a duration >= 0 s, "
                         f"found {anchor_still_s!r}")
    if not rec.has_gyro:
        raise InputError(f"foot_trajectories: recording {rec.name!r} has no gyroscope; "
                         "strapdown integration needs gyr_x, gyr_y, gyr_z")
    fs = rec.sampling_rate_hz
    acc = rec.acc()
    gyr_dps = rec.gyr()  # converted to rad/s where gathered, not as a whole (memory)
    n_strides = len(strides)
    if n_strides and (strides["start_sample"].min() < 0 or strides["end_sample"].max() >= rec.n_samples):
        raise InputError(
            f"foot_trajectories: strides reach outside recording {rec.name!r} "
            f"(samples 0..{rec.n_samples - 1}); found start {strides['start_sample'].min()}, "
            f"end {strides['end_sample'].max()}"
        )
    statistic = shoe_statistic(acc, gyr_dps)
    acc_norm = np.linalg.norm(acc, axis=1)
    anchor_statistic = _anchor_statistic(acc, gyr_dps, statistic, fs, anchor_still_s)
    anchors = stride_anchors(strides, anchor_statistic, fs, events, acc_norm=acc_norm)
    del anchor_statistic
    half = max(int(round(GRAVITY_HALF_WINDOW_S * fs)), 1)
    nan = np.full(n_strides, np.nan)
    gravity = np.full((n_strides, 3), np.nan)
    found_first = anchors[:, 0] >= 0
    gravity[found_first] = _gravity_at(acc, statistic, anchors[found_first, 0], half)
    valid = found_first & (anchors[:, 1] > anchors[:, 0])
    if not valid.any():
        return FootTrajectory(nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(),
                              np.full(n_strides, "unknown", dtype=object), anchors, axes,
                              np.full((n_strides, 3, 3), np.nan), [], gravity,
                              clipped_samples=np.zeros(n_strides, dtype=np.int64))
    rows = np.flatnonzero(valid)
    g_local = float(np.median(np.linalg.norm(_gravity_at(acc, statistic, anchors[rows].ravel(), half), axis=1)))

    # orientation, dedrifted velocity and position of every stride, tilt from gravity at
    # the first anchor (heading arbitrary); strides are integrated side by side in blocks
    start = strides["start_sample"].to_numpy(dtype=np.int64)
    end = strides["end_sample"].to_numpy(dtype=np.int64)
    fc = _stride_fcs(start, end, strides["fc_s"].to_numpy(dtype=float), fs)
    impact = np.array([impact_index(acc_norm, int(end[k]), int(anchors[k, 0]), int(anchors[k, 1]), fs)
                       for k in rows], dtype=np.int64)
    keep_quats = axes is None and toe_method == "pitch"
    saturated = saturated_samples(acc) if saturation == "spread" else np.zeros(acc.shape, dtype=bool)
    clipped = _missing_force_bound(acc, saturated) if saturated.any() else None
    clip_count = np.concatenate([[0], np.cumsum(saturated.any(axis=1))])
    clipped_samples = np.zeros(n_strides, dtype=np.int64)
    clipped_samples[rows] = clip_count[anchors[rows, 1] + 1] - clip_count[anchors[rows, 0] + 1]
    blocks = _blocks(anchors[rows, 1] - anchors[rows, 0] + 1, rec.n_samples)
    if dedrift == "mixed":
        # first pass: how much of the velocity error arises at the impact, from the still
        # samples of all strides (they must be left at zero velocity)
        sums = [_integrate_block(acc, gyr_dps, anchors[rows[block]], gravity[rows[block]], impact[block],
                                 end[rows[block]], fc[rows[block]], fs, g_local=g_local, impact_share=0.0,
                                 keep_quats=False, still=statistic < SHOE_THRESHOLD, clipped=clipped)
                for block in blocks]
        impact_share = _impact_share(sum(p["ab"] for p in sums), sum(p["bb"] for p in sums))
    else:
        impact_share = 1.0 if dedrift == "impact" else 0.0
    parts = [_integrate_block(acc, gyr_dps, anchors[rows[block]], gravity[rows[block]], impact[block],
                              end[rows[block]], fc[rows[block]], fs, g_local=g_local, impact_share=impact_share,
                              keep_quats=keep_quats, clipped=clipped)
             for block in blocks]
    found = {key: np.concatenate([p[key] for p in parts]) for key in parts[0] if key not in ("pos", "quats")}
    unrotated = [pos for p in parts for pos in p["pos"]]
    centres = np.full((n_strides, 3, 3), np.nan)
    centres[rows] = found["centres"]
    displacement = np.full((n_strides, 3), np.nan)
    displacement[rows] = found["displacement"]

    if axes is None:
        spans = np.concatenate([np.arange(anchors[m, 0], anchors[m, 1] + 1) for m in rows])
        moving = spans[statistic[spans] >= SHOE_THRESHOLD]
        swing_gyr = gyr_dps[moving] if moving.size >= 3 else gyr_dps[spans]
        np.deg2rad(swing_gyr, out=swing_gyr)  # in place: this copy is as long as the recording
        del spans, moving
        quats = [q for p in parts for q in p.get("quats", [])]

        def pitch_of(axis: np.ndarray) -> np.ndarray:
            length = max(len(q) for q in quats)
            table = np.full((len(quats), length), np.nan)
            for row, q in enumerate(quats):
                elevation = _elevation_deg(q, axis)
                table[row, : len(q)] = elevation - elevation[0]
            return table

        given = rec.meta.get("toe_axis")
        axes = infer_foot_axes(gravity[valid], swing_gyr, pitch_of if keep_quats else None,
                               rotation_centres=centres[valid], displacement=displacement[valid],
                               toe_axis=given if given is not None else toe_axis,
                               method="swing_centre" if toe_method == "auto" else toe_method)

    lengths, clearance, turning, lateral, angle = nan.copy(), nan.copy(), nan.copy(), nan.copy(), nan.copy()
    toe = np.broadcast_to(axes.toe, (rows.size, 3))
    toe_first, toe_last = quat_rotate(found["q_first"], toe), quat_rotate(found["q_last"], toe)
    heading0 = np.arctan2(toe_first[:, 1], toe_first[:, 0])
    heading1 = np.arctan2(toe_last[:, 1], toe_last[:, 0])
    turning[rows] = np.degrees(np.arctan2(np.sin(heading1 - heading0), np.cos(heading1 - heading0)))
    clearance[rows] = found["clearance"]
    positions: list[np.ndarray] = [np.empty((0, 3)) for _ in range(n_strides)]
    for i, k in enumerate(rows):
        # rotate so that world +x is the toe heading at the first anchor
        c, s = math.cos(-heading0[i]), math.sin(-heading0[i])
        pos = unrotated[i] @ np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]).T
        positions[k] = pos
        dx, dy = float(pos[-1, 0]), float(pos[-1, 1])
        lengths[k] = math.hypot(dx, dy)
        angle[k] = math.degrees(math.atan2(dy, dx))
        lateral[k] = dy
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
        gravity_ms2=gravity,
        impact_share=impact_share,
        clipped_samples=clipped_samples,
    )


def _blocks(lengths: np.ndarray, n_samples: int) -> list[slice]:
    """Consecutive runs of segments whose padded size (count x longest) stays within the
    block size for a recording of ``n_samples`` (at least one segment each): bounds the
    memory of batched work (``BLOCK_SAMPLES``)."""
    cap = min(BLOCK_SAMPLES, max(MIN_BLOCK_SAMPLES, n_samples // 8))
    out: list[slice] = []
    first, longest = 0, 0
    for i, length in enumerate(np.asarray(lengths, dtype=np.int64)):
        longest_here = max(longest, int(length))
        if i > first and (i - first + 1) * longest_here > cap:
            out.append(slice(first, i))
            first, longest_here = i, int(length)
        longest = longest_here
    if len(lengths):
        out.append(slice(first, len(lengths)))
    return out


def _impact_share(ab: float, bb: float) -> float:
    """Least-squares share (0..1) of the velocity error removed as a step at the impact.

    ``ab`` and ``bb`` are the sums of ``A . B`` and ``B . B`` over the still samples, with
    ``A`` the velocity left after linear dedrifting and ``B`` the change from linear to
    step dedrifting; ``A - share * B`` is the velocity the still samples keep.  Without
    still samples (or when the two shapes coincide there) the linear shape of Rampp et al.
    (2015) is used.
    """
    if not (math.isfinite(ab) and math.isfinite(bb)) or bb <= 0.0:
        return 0.0
    return float(min(max(ab / bb, 0.0), 1.0))


def _missing_force_bound(acc: np.ndarray, saturated: np.ndarray) -> np.ndarray:
    """Largest specific force (m/s^2, signed, sensor frame, shape of ``acc``) each saturated
    sample can have missed, if the transient it cut off is concave (peaked) over the run.

    For a run of saturated samples on one axis, the rise before it is extended as a straight
    line through the two samples before the run, and the fall after it through the two
    samples after it; a concave transient lies below both lines, so at each clipped sample
    the smaller of the two, less the clipped value, bounds what is missing (a concave curve
    lies below the extension of any of its chords).  A line needs two samples saturated on
    neither side inside the recording; with one line only that one bounds, with none the
    bound is 0, as it is where the lines do not reach above the clipped value.
    """
    out = np.zeros(acc.shape)
    n = len(acc)
    for axis, sign in ((0, 1.0), (1, 1.0), (2, 1.0), (0, -1.0), (1, -1.0), (2, -1.0)):
        column = saturated[:, axis]  # the lines need samples saturated on neither side
        values = sign * acc[:, axis]
        run = column & (values > 0)
        if not run.any():
            continue
        edges = np.diff(np.concatenate([[0], run.astype(np.int8), [0]]))
        for first, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            k = np.arange(first, stop)
            rise = fall = np.full(k.size, np.inf)
            if first >= 2 and not column[first - 2]:
                rise = values[first - 1] + (values[first - 1] - values[first - 2]) * (k - (first - 1))
            if stop + 1 < n and not column[stop + 1]:
                fall = values[stop] + (values[stop] - values[stop + 1]) * (stop - k)
            top = np.minimum(rise, fall)
            out[k, axis] = sign * np.where(np.isfinite(top), np.maximum(top - values[k], 0.0), 0.0)
    return out


def _saturation_correction(vel: np.ndarray, q: np.ndarray, clipped: np.ndarray, index: np.ndarray,
                           steps: np.ndarray, last: np.ndarray, dt: float) -> np.ndarray:
    """Velocity (m/s, world frame, shape of ``vel``) the saturated samples of each stride miss.

    ``clipped`` (n_samples, 3) holds, per sample, the largest specific force the saturated
    axes can have missed (sensor frame, m/s^2, signed; :func:`_missing_force_bound`), 0
    elsewhere.  The missing force is taken as ``lambda`` times it, ``0 <= lambda <= 1`` for
    the whole stride.  Its integral (rotated to the world frame like the signal, trapezoid
    rule) is ``lambda * U(t)``; ``lambda`` is the least-squares value that brings the
    velocity at the second anchor to zero, ``-(v_end . U_end) / |U_end|^2``, limited to
    0..1: 0 when the residual points the other way (the clipping did not cause it), 1 when
    the clipped transient cannot explain all of it.
    """
    every = np.arange(len(last))
    inside_stride = (steps[None, :] >= 1) & (steps[None, :] <= last[:, None])
    direction = clipped[index] * inside_stride[..., None]
    if not direction.any():
        return np.zeros_like(vel)
    unit = cumulative_trapezoid(quat_rotate(q, direction), dx=dt, axis=1, initial=0.0)
    u_end = unit[every, last]
    v_end = vel[every, last]
    uu = np.sum(u_end * u_end, axis=1)
    lam = np.where(uu > 0, -np.sum(v_end * u_end, axis=1) / np.where(uu > 0, uu, 1.0), 0.0)
    return np.clip(lam, 0.0, 1.0)[:, None, None] * unit


def _integrate_block(acc: np.ndarray, gyr_dps: np.ndarray, anchors: np.ndarray, gravity: np.ndarray,
                     impact: np.ndarray, end: np.ndarray, fc: np.ndarray, fs: float, *,
                     g_local: float, impact_share: float, keep_quats: bool,
                     still: np.ndarray | None = None, clipped: np.ndarray | None = None) -> dict[str, Any]:
    """Strapdown integration of a block of strides side by side (padded to the longest).

    Per stride the arithmetic is that of integrating it alone from its first anchor
    ``a0`` to its second ``a1``: orientation from the tilt at ``a0``, gravity removed,
    velocity dedrifted to zero at ``a1``, position; plus its displacement in the sensor
    frame and its three rotation centres.  Padding samples repeat the last sample and
    their results are never read.
    """
    a0, a1 = anchors[:, 0], anchors[:, 1]
    length = a1 - a0 + 1
    last = length - 1
    m, steps = len(a0), np.arange(int(length.max()))
    index = np.minimum(a0[:, None] + steps, a1[:, None])
    every = np.arange(m)
    dt = 1.0 / fs
    gyr_b = np.deg2rad(gyr_dps[index])
    q0 = gravity_alignment_rows(gravity)
    q = integrate_gyroscope_rows(q0, gyr_b, fs)
    acc_world = quat_rotate(q, acc[index])
    acc_world[..., 2] -= g_local
    vel = cumulative_trapezoid(acc_world, dx=dt, axis=1, initial=0.0)
    del acc_world
    linear = (steps / fs)[None, :] / (last / fs)[:, None]
    step = (steps[None, :] >= impact[:, None]).astype(float)
    if clipped is not None:
        vel += _saturation_correction(vel, q, clipped, index, steps, last, dt)
    v_end = vel[every, last][:, None, :]
    if still is not None:
        # sums for _impact_share over the still samples of the block (padding excluded)
        use = still[index] & (steps[None, :] <= last[:, None])
        a_res = (vel - linear[..., None] * v_end)[use]
        b_res = ((step - linear)[..., None] * v_end)[use]
        return {"ab": float(np.sum(a_res * b_res)), "bb": float(np.sum(b_res * b_res))}
    # the rotation centres use the velocity anchored at the nearer zero-velocity instant
    # (raw before the impact, integrated back from the second anchor after it); the
    # trajectory uses the dedrifting with the recording's impact share
    vel_anchored = vel - step[..., None] * v_end
    vel -= ((1.0 - impact_share) * linear + impact_share * step)[..., None] * v_end
    inside = steps[None, :-1] < last[:, None]
    travel = np.where(inside[..., None], dt * (vel[:, 1:] + vel[:, :-1]) / 2.0, 0.0).sum(axis=1)
    travel *= np.array([1.0, 1.0, 0.0])
    displacement = np.einsum("nji,nj->ni", quat_to_matrix(q[:, 0]), travel)
    pos = cumulative_trapezoid(vel, dx=dt, axis=1, initial=0.0)
    # clearance above the line joining the stance positions (the heading rotation that
    # follows leaves the vertical unchanged)
    baseline = pos[:, :1, 2] + (pos[every, last, 2] - pos[:, 0, 2])[:, None] * (steps / fs)[None, :] \
        / (last / fs)[:, None]
    above = np.where(steps[None, :] <= last[:, None], pos[..., 2] - baseline, -np.inf)
    clearance = above.max(axis=1)
    # rotation centres, each in the sensor frame: after the next initial contact (from
    # the impact on, velocity integrated back from the zero-velocity anchor), before the
    # final contact (from the first anchor on) and in swing
    vel_sensor = np.einsum("nkji,nkj->nki", quat_to_matrix(q), vel_anchored)
    fc_b = np.minimum(np.maximum(fc, a0), a1)
    ic_b = np.minimum(np.maximum(end, fc_b), a1)
    ic_from = np.maximum(ic_b, a0 + impact + 1)
    centres = np.full((m, 3, 3), np.nan)
    for part, (lo, hi) in enumerate(((ic_from, a1), (a0, fc_b), (fc_b, ic_b))):
        lo_rel, hi_rel = lo - a0, hi - a0
        width = int(max((hi_rel - lo_rel).max(), 0)) + 1
        cols = np.minimum(lo_rel[:, None] + np.arange(width), last[:, None])
        window = (np.arange(width)[None, :] <= (hi_rel - lo_rel)[:, None]) & (hi > lo)[:, None]
        centres[:, part] = _rotation_centre_offsets(gyr_b[every[:, None], cols], vel_sensor[every[:, None], cols],
                                                    window)
    out = {
        "q_first": q[:, 0],
        "q_last": q[every, last],
        "displacement": displacement,
        "clearance": clearance,
        "centres": centres,
        "pos": [pos[i, : length[i]].copy() for i in range(m)],
    }
    if keep_quats:
        out["quats"] = [q[i, : length[i]].copy() for i in range(m)]
    return out
