"""Stride length from a lower-back accelerometer: the inverted pendulum of Zijlstra & Hof (2003).

During single support the centre of mass (near the L5 sensor) moves on an arc of an
inverted pendulum of length ``l`` (leg length).  A vertical excursion ``h`` of the sensor
over one step then corresponds to a forward displacement of ``2 * sqrt(2*l*h - h^2)``.
Zijlstra & Hof multiply this by an empirical correction factor, because the pendulum
ignores the double-support phase and the foot's length; retrogait uses **1.25** [from
memory, the factor usually quoted for the 2003 model; the Mobilise-D implementation
(mobgap ``SlZijlstra``, read) fits its own factor, 1.147 for people with multiple sclerosis
and 1.185 for all its participants, with the sensor height instead of the leg length as
``l``].

Vertical excursion (``method="zijlstra2003"``, filtering as in the Mobilise-D
implementation): the acceleration along gravity (direction: the mean specific force over
``GRAVITY_WINDOW_S``) is high-pass filtered (4th-order Butterworth, zero lag,
``ACC_HIGHPASS_HZ`` = 0.1 Hz), integrated to vertical velocity, high-pass filtered again
and integrated to vertical position; ``h`` of a step is the range of that position between
its two initial contacts.  The filters act on the whole recording, so no step or stride
has to be periodic.  Departure from Mobilise-D: the velocity cut-off is not a fixed 1 Hz
but scales with the cadence (:func:`velocity_cutoff_hz`, the geometric mean of stride and
step frequency): a fixed 1 Hz keeps 97 % of the length of ideal pendulum strides at 1.7-2.2
steps/s but only 76 % at 1 step/s (slow or backward walking), the scaled cut-off keeps
95-96 % at every cadence (tests/test_spatial_pendulum.py).

Why not per stride: retrogait's first version integrated each stride alone and removed
the drift by mean and linear-trend removal.  That overestimated ideal pendulum strides by
10-13 % (the plain mean of the acceleration over a stride counts the landing peaks at both
borders in full, where the integral counts them half, so a constant error entered the
double integration), and it assumed every stride ends at the height and vertical speed it
started with -- false at the start and end of a walking bout and in turns.  Measured on the
mobgap example against INDIP (MAPE): straight walks 6.0-11.9 % -> 4.9-7.5 %, daily-life
course 77-162 % -> 50-125 % (``benchmarks/accuracy_spatial.py``).

Leg length, when only body height is known: ``0.53 x body height`` (height of the greater
trochanter, Winter 2009, anthropometric table [from memory]).

Limits: the model is unsigned (a length, not a direction) and was built on forward walking;
its factor is not validated for backward walking (no such study was found).  It needs the
trunk's vertical excursion to come from vaulting over the stance leg: for short, slow or
turning steps (stepping in place, manoeuvring in a room) the trunk still moves up and down
by a few millimetres to centimetres, and since ``l`` is large, a few millimetres of ``h``
already mean 0.2-0.3 m of step, so such strides are overestimated (on the mobgap daily-life
course, INDIP strides of 0.2-0.6 m (mean 0.22 and 0.45 m) came out at about 0.8 m).

References
----------
Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
accelerations during human walking. Gait Posture 18(2):1-10.

Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley.

Mobilise-D: mobgap, ``mobgap.stride_length.SlZijlstra`` (github.com/mobilise-d/mobgap),
after Soltani A et al. (2021), IEEE TNSRE 29:1955-1964.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.integrate import cumulative_trapezoid
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, sosfiltfilt

from retrogait.errors import InputError
from retrogait.recording import Recording

__all__ = [
    "ZIJLSTRA_CORRECTION",
    "LEG_LENGTH_PER_HEIGHT",
    "ACC_HIGHPASS_HZ",
    "VELOCITY_HIGHPASS_HZ",
    "GRAVITY_WINDOW_S",
    "CUTOFF_PER_STEP_FREQUENCY",
    "leg_length_from_height",
    "pendulum_step_length",
    "vertical_position",
    "velocity_cutoff_hz",
    "pendulum_stride_lengths",
]

#: Empirical correction factor of the inverted-pendulum step length (Zijlstra & Hof 2003).
ZIJLSTRA_CORRECTION = 1.25
#: Leg length (greater trochanter height) as a fraction of body height (Winter 2009).
LEG_LENGTH_PER_HEIGHT = 0.53
#: High-pass cut-off of the vertical acceleration before integration, Hz (Mobilise-D).
ACC_HIGHPASS_HZ = 0.1
#: High-pass cut-off of the vertical velocity before integration when the cadence is not
#: known, Hz (Mobilise-D).
VELOCITY_HIGHPASS_HZ = 1.0
#: Cut-off of the vertical velocity as a fraction of the step frequency (geometric mean of
#: the stride and the step frequency), see :func:`velocity_cutoff_hz`.
CUTOFF_PER_STEP_FREQUENCY = 1.0 / math.sqrt(2.0)
#: Window of the moving mean that gives the direction of gravity, s (about two strides, so
#: that the walking accelerations average out while slow changes of trunk tilt are followed).
GRAVITY_WINDOW_S = 2.0
_FILTER_ORDER = 4


def leg_length_from_height(body_height_m: float) -> float:
    """Leg length (m) from body height (m): ``0.53 * height`` (Winter 2009).

    The height of the greater trochanter as a fraction of body height
    (``LEG_LENGTH_PER_HEIGHT``), used as the pendulum length ``l`` of
    :func:`pendulum_stride_lengths` when only the body height is known.

    Parameters
    ----------
    body_height_m : float
        Body height in m (positive and finite).

    Returns
    -------
    float
        Leg length in m.

    Raises
    ------
    InputError
        If ``body_height_m`` is not a positive finite number.

    References
    ----------
    Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley.

    Examples
    --------
    >>> round(leg_length_from_height(1.75), 4)  # 0.53 x 1.75 m
    0.9275
    >>> leg_length_from_height(0)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: body_height_m: expected a positive number, found 0
    """
    if not (isinstance(body_height_m, int | float) and math.isfinite(body_height_m) and body_height_m > 0):
        raise InputError(f"body_height_m: expected a positive number, found {body_height_m!r}")
    return LEG_LENGTH_PER_HEIGHT * float(body_height_m)


def pendulum_step_length(excursion_m: np.ndarray, leg_length_m: float, *,
                         correction: float = ZIJLSTRA_CORRECTION) -> np.ndarray:
    """Step length ``correction * 2 * sqrt(2*l*h - h^2)`` of the inverted pendulum.

    Parameters
    ----------
    excursion_m : array
        Vertical excursion ``h`` of the sensor over each step, m (>= 0; clipped to ``l``).
    leg_length_m : float
        Pendulum (leg) length ``l``, m.
    correction : float
        Empirical factor (1.25, Zijlstra & Hof 2003).

    Returns
    -------
    numpy.ndarray
        Step length in m; NaN where ``h`` is NaN.

    References
    ----------
    Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
    accelerations during human walking. Gait Posture 18(2):1-10.

    Examples
    --------
    A 4 cm rise and fall on a 0.9 m leg: ``2 * sqrt(2 * 0.9 * 0.04 - 0.04**2) = 0.531`` m
    for the bare pendulum, 1.25 times that with the default correction.

    >>> round(float(pendulum_step_length(np.array([0.04]), 0.9, correction=1.0)[0]), 3)
    0.531
    >>> np.round(pendulum_step_length(np.array([0.0, 0.04]), 0.9), 3).tolist()
    [0.0, 0.663]
    """
    h = np.clip(np.asarray(excursion_m, dtype=float), 0.0, leg_length_m)
    return correction * 2.0 * np.sqrt(2.0 * leg_length_m * h - h**2)


def vertical_position(acc_ms2: np.ndarray, sampling_rate_hz: float, *,
                      velocity_highpass_hz: float = VELOCITY_HIGHPASS_HZ) -> np.ndarray:
    """Vertical position of the sensor (m, up positive, starting at 0; slow drift removed).

    The specific force is projected on the direction of gravity (moving mean over
    ``GRAVITY_WINDOW_S``), high-pass filtered at ``ACC_HIGHPASS_HZ``, integrated, high-pass
    filtered at ``velocity_highpass_hz`` and integrated again (zero-lag 4th-order
    Butterworth filters, as in the Mobilise-D implementation).

    Parameters
    ----------
    acc_ms2 : array of shape (n, 3)
        Specific force in m/s^2, any sensor orientation.
    sampling_rate_hz : float
        Sampling rate in Hz (> 0).
    velocity_highpass_hz : float
        Cut-off of the high-pass on the vertical velocity, Hz (default
        ``VELOCITY_HIGHPASS_HZ`` = 1 Hz; :func:`pendulum_stride_lengths` passes
        :func:`velocity_cutoff_hz` of the walk).

    Returns
    -------
    numpy.ndarray of shape (n,)
        Vertical position in m (up positive, 0 at the first sample); only its changes,
        such as the range over a step, are meaningful.  All NaN when the recording is too
        short for the filters (16 samples or fewer) or the rate is at most twice the
        larger cut-off.

    Raises
    ------
    InputError
        If ``acc_ms2`` is not an (n, 3) array or the rate is not positive.

    References
    ----------
    Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
    accelerations during human walking. Gait Posture 18(2):1-10.

    Mobilise-D: mobgap, ``mobgap.stride_length.SlZijlstra`` (filtering).

    Examples
    --------
    A sensor bobbing up and down by 1 cm at 2 Hz (``z = 0.01 sin(2 pi 2 t)``) reads
    ``9.81 - 0.01 (2 pi 2)^2 sin(2 pi 2 t)`` along gravity; the position it gives back
    rises and falls by 2 cm:

    >>> fs = 100.0
    >>> t = np.arange(0.0, 10.0, 1 / fs)
    >>> a_up = 9.81 - 0.01 * (2 * np.pi * 2.0) ** 2 * np.sin(2 * np.pi * 2.0 * t)
    >>> acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), a_up])
    >>> z = vertical_position(acc, fs)
    >>> round(float(np.ptp(z[300:700])), 3)  # m, away from the edges
    0.02
    >>> bool(np.isnan(vertical_position(acc[:10], fs)).all())  # too short for the filters
    True
    >>> vertical_position(acc[:, :2], fs)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: vertical_position: acc_ms2 must have shape (n, 3), found (1000, 2)
    """
    acc = np.asarray(acc_ms2, dtype=float)
    fs = float(sampling_rate_hz)
    if acc.ndim != 2 or acc.shape[1] != 3:
        raise InputError(f"vertical_position: acc_ms2 must have shape (n, 3), found {acc.shape}")
    if not (math.isfinite(fs) and fs > 0):
        raise InputError(f"vertical_position: sampling_rate_hz must be a positive number, found {sampling_rate_hz!r}")
    out = np.full(len(acc), np.nan)
    if fs <= 2.0 * max(velocity_highpass_hz, ACC_HIGHPASS_HZ):
        return out
    acc_hp = butter(_FILTER_ORDER, ACC_HIGHPASS_HZ, btype="highpass", fs=fs, output="sos")
    vel_hp = butter(_FILTER_ORDER, velocity_highpass_hz, btype="highpass", fs=fs, output="sos")
    pad = 3 * (2 * len(acc_hp) + 1)
    if len(acc) <= pad:
        return out
    gravity = uniform_filter1d(acc, size=max(int(round(GRAVITY_WINDOW_S * fs)), 1), axis=0, mode="nearest")
    norm = np.linalg.norm(gravity, axis=1)
    norm[norm == 0] = 1.0
    vertical = np.einsum("ij,ij->i", acc, gravity) / norm
    vertical = sosfiltfilt(acc_hp, vertical - vertical.mean())
    velocity = sosfiltfilt(vel_hp, cumulative_trapezoid(vertical, dx=1.0 / fs, initial=0.0))
    return cumulative_trapezoid(velocity, dx=1.0 / fs, initial=0.0)


def pendulum_stride_lengths(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None, *,
                            leg_length_m: float, correction: float = ZIJLSTRA_CORRECTION) -> np.ndarray:
    """Stride length of each stride of a lower-back sensor (``method="zijlstra2003"``).

    Each stride (ic to the next ic of the same foot) holds two steps, split at the
    initial contact(s) of the sensor's events inside it (without one, at the middle).  The
    stride length is the sum of its steps' pendulum lengths, each from the range of
    :func:`vertical_position` over the step (velocity cut-off from the cadence of the
    events, :func:`velocity_cutoff_hz`).

    Parameters
    ----------
    rec : Recording
        Lower-back recording (accelerometer in m/s^2, any orientation).
    strides : pandas.DataFrame
        Strides of this sensor (strides table, ``schema.STRIDES_COLUMNS``; only
        ``start_sample`` and ``end_sample`` are used, in samples).
    events : pandas.DataFrame or None
        Events of this sensor (events table, ``schema.EVENTS_COLUMNS``; the ``ic`` rows
        split the strides into steps and give the cadence); None splits each stride at
        its middle and uses the 1 Hz cut-off.
    leg_length_m : float
        Pendulum length ``l`` in m (positive), e.g. :func:`leg_length_from_height`.
    correction : float
        Empirical correction factor (positive, dimensionless; default
        ``ZIJLSTRA_CORRECTION`` = 1.25).

    Returns
    -------
    numpy.ndarray of shape (n_strides,)
        Stride length in m per stride, in the order of ``strides`` (NaN for strides outside
        the recording, shorter than 4 samples, or in a recording too short for the filters).

    Raises
    ------
    InputError
        If ``leg_length_m`` or ``correction`` is not a positive number.

    References
    ----------
    Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
    accelerations during human walking. Gait Posture 18(2):1-10.

    Examples
    --------
    A simulated forward walk seen by a lower-back sensor; the simulated walker is 1.75 m
    tall and its strides are about 1.35 m long.  The estimate stays within a few cm of
    the truth (the last stride, which ends the walk with a short closing step, is left
    out: the model only sees the trunk's rise and fall).

    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(placement="lower_back", n_strides=4, sampling_rate_hz=100.0, seed=1)
    >>> leg = leg_length_from_height(1.75)
    >>> est = pendulum_stride_lengths(sim.recording, sim.strides, sim.events, leg_length_m=leg)
    >>> error = est[:-1] - sim.strides["stride_length_m"].to_numpy()[:-1]
    >>> bool(np.all(np.abs(error) < 0.07)), round(float(np.median(est)), 2)
    (True, 1.3)
    >>> pendulum_stride_lengths(sim.recording, sim.strides, sim.events, leg_length_m=-0.9)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: leg_length_m: expected a positive number, found -0.9
    """
    if not (isinstance(leg_length_m, int | float) and math.isfinite(leg_length_m) and leg_length_m > 0):
        raise InputError(f"leg_length_m: expected a positive number, found {leg_length_m!r}")
    if not (isinstance(correction, int | float) and math.isfinite(correction) and correction > 0):
        raise InputError(f"correction: expected a positive number, found {correction!r}")
    out = np.full(len(strides), np.nan)
    if len(strides) == 0:
        return out
    ic = np.array([], dtype=np.int64)
    if events is not None and len(events):
        ic = np.sort(events.loc[events["event"] == "ic", "sample"].to_numpy(dtype=np.int64))
    position = vertical_position(rec.acc(), rec.sampling_rate_hz,
                                 velocity_highpass_hz=velocity_cutoff_hz(ic, rec.sampling_rate_hz))
    starts = strides["start_sample"].to_numpy(dtype=np.int64)
    ends = strides["end_sample"].to_numpy(dtype=np.int64)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start < 0 or end >= rec.n_samples or end - start < 4:
            continue
        inner = ic[(ic > start + 1) & (ic < end - 1)]
        borders = np.r_[start, inner if inner.size else [(start + end) // 2], end]
        excursion = np.array([np.ptp(position[a:b + 1]) for a, b in zip(borders[:-1], borders[1:], strict=True)
                              if b > a])
        out[i] = float(np.sum(pendulum_step_length(excursion, leg_length_m, correction=correction)))
    return out


def velocity_cutoff_hz(ic_samples: np.ndarray, sampling_rate_hz: float) -> float:
    """High-pass cut-off of the vertical velocity for a walk with these initial contacts.

    ``CUTOFF_PER_STEP_FREQUENCY`` (1/sqrt 2) times the median step frequency (intervals
    between consecutive initial contacts of 0.25-2 s), i.e. the geometric mean of the
    stride and the step frequency: the pendulum's rise and fall repeats every step and is
    kept; what repeats every stride (left-right differences, the sway seen through a
    tilted sensor) and slower drift are removed, at any cadence.  ``VELOCITY_HIGHPASS_HZ``
    (1 Hz, Mobilise-D) with fewer than two such intervals.

    Parameters
    ----------
    ic_samples : array of int
        Sample indices of the initial contacts (both feet).
    sampling_rate_hz : float
        Samples per second.

    Returns
    -------
    float
        Cut-off in Hz.

    Examples
    --------
    >>> round(velocity_cutoff_hz(np.arange(0, 1000, 50), 100.0), 3)  # 2 steps/s
    1.414
    """
    steps_s = np.diff(np.sort(np.asarray(ic_samples, dtype=float))) / float(sampling_rate_hz)
    steps_s = steps_s[(steps_s > 0.25) & (steps_s < 2.0)]
    if steps_s.size < 2:
        return VELOCITY_HIGHPASS_HZ
    return float(CUTOFF_PER_STEP_FREQUENCY / np.median(steps_s))
