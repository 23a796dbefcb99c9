"""Stride length from a lower-back accelerometer: the inverted pendulum of Zijlstra & Hof (2003).

During single support the centre of mass (near the L5 sensor) moves on an arc of an
inverted pendulum of length ``l`` (leg length).  A vertical excursion ``h`` of the sensor
over one step then corresponds to a forward displacement of ``2 * sqrt(2*l*h - h^2)``.
Zijlstra & Hof multiply this by an empirical correction factor, because the pendulum
ignores the double-support phase and the foot's length; retrogait uses **1.25** [from
memory, the factor usually quoted for the 2003 model].  ``h`` comes from double
integration of the vertical acceleration.

Departures from the paper: the vertical direction is the mean acceleration of each
stride (no separate orientation filter); the integration drift is removed per stride by
mean and linear-trend removal (the paper high-pass filters the integrated signals), which
assumes the vertical movement is periodic over a stride.

Leg length, when only body height is known: ``0.53 x body height`` (height of the greater
trochanter, Winter 2009, anthropometric table [from memory]).

The model is unsigned: it gives a length, not a direction, and it was built on forward
walking.  Its factor is not validated for backward walking (no such study was found).

References
----------
Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
accelerations during human walking. Gait Posture 18(2):1-10.
Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.integrate import cumulative_trapezoid
from scipy.signal import detrend

from retrogait.errors import InputError
from retrogait.recording import Recording

__all__ = [
    "ZIJLSTRA_CORRECTION",
    "LEG_LENGTH_PER_HEIGHT",
    "leg_length_from_height",
    "pendulum_step_length",
    "pendulum_stride_lengths",
]

#: Empirical correction factor of the inverted-pendulum step length (Zijlstra & Hof 2003).
ZIJLSTRA_CORRECTION = 1.25
#: Leg length (greater trochanter height) as a fraction of body height (Winter 2009).
LEG_LENGTH_PER_HEIGHT = 0.53


def leg_length_from_height(body_height_m: float) -> float:
    """Leg length (m) from body height (m): ``0.53 * height`` (Winter 2009).

    Raises
    ------
    InputError
        If the height is not a positive finite number.
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

    Examples
    --------
    >>> round(float(pendulum_step_length(np.array([0.04]), 0.9, correction=1.0)[0]), 3)
    0.532
    """
    h = np.clip(np.asarray(excursion_m, dtype=float), 0.0, leg_length_m)
    return correction * 2.0 * np.sqrt(2.0 * leg_length_m * h - h**2)


def _vertical_position(acc: np.ndarray, fs: float) -> np.ndarray:
    """Vertical displacement over one stride (periodic assumption), m."""
    gravity = acc.mean(axis=0)
    g_norm = float(np.linalg.norm(gravity))
    vertical = acc @ (gravity / g_norm) - g_norm
    vertical = vertical - vertical.mean()
    vel = cumulative_trapezoid(vertical, dx=1.0 / fs, initial=0.0)
    vel = detrend(vel, type="linear")
    pos = cumulative_trapezoid(vel, dx=1.0 / fs, initial=0.0)
    return detrend(pos, type="linear")


def pendulum_stride_lengths(rec: Recording, strides: pd.DataFrame, events: pd.DataFrame | None, *,
                            leg_length_m: float, correction: float = ZIJLSTRA_CORRECTION) -> np.ndarray:
    """Stride length of each stride of a lower-back sensor (``method="zijlstra2003"``).

    Each stride (ic to the next ic of the same foot) holds two steps, split at the
    initial contact(s) of the sensor's events inside it (without one, at the middle).  The
    stride length is the sum of its steps' pendulum lengths.

    Parameters
    ----------
    rec : Recording
        Lower-back recording (accelerometer).
    strides : pandas.DataFrame
        Strides of this sensor (``start_sample``, ``end_sample``).
    events : pandas.DataFrame, optional
        Events of this sensor (``ic`` rows split the strides into steps).
    leg_length_m : float
        Pendulum length in m.
    correction : float
        Empirical correction factor.

    Returns
    -------
    numpy.ndarray
        Stride length in m per stride (NaN for strides outside the recording).

    Raises
    ------
    InputError
        If ``leg_length_m`` is not positive.
    """
    if not (math.isfinite(leg_length_m) and leg_length_m > 0):
        raise InputError(f"leg_length_m: expected a positive number, found {leg_length_m!r}")
    fs = rec.sampling_rate_hz
    acc = rec.acc()
    ic = np.array([], dtype=np.int64)
    if events is not None and len(events):
        ic = np.sort(events.loc[events["event"] == "ic", "sample"].to_numpy(dtype=np.int64))
    out = np.full(len(strides), np.nan)
    for i, (start, end) in enumerate(zip(strides["start_sample"].to_numpy(dtype=np.int64),
                                         strides["end_sample"].to_numpy(dtype=np.int64), strict=True)):
        if start < 0 or end >= rec.n_samples or end - start < 4:
            continue
        pos = _vertical_position(acc[start:end + 1], fs)
        inner = ic[(ic > start + 1) & (ic < end - 1)] - start
        borders = np.r_[0, inner if inner.size else [(end - start) // 2], end - start]
        steps = [pos[a:b + 1] for a, b in zip(borders[:-1], borders[1:], strict=True) if b > a]
        excursion = np.array([np.ptp(s) for s in steps])
        out[i] = float(np.sum(pendulum_step_length(excursion, leg_length_m, correction=correction)))
    return out
