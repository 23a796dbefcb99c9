"""Signal helpers shared by the event detectors: filtering, axes, lobes, impacts, runs.

Everything here is placement-agnostic and works on plain numpy arrays with the sampling
rate given explicitly (no default rate).  Times and windows are given in seconds and
converted to samples here, so the detectors behave the same at any sampling rate.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import butter, sosfiltfilt

from retrogait.errors import InputError, RetrogaitWarning
from retrogait.recording import Recording


def lowpass(values: np.ndarray, *, cutoff_hz: float, sampling_rate_hz: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass filter along the first axis.

    Parameters
    ----------
    values : numpy.ndarray
        Samples, shape (n,) or (n, k).  Not changed.
    cutoff_hz : float
        -3 dB cut-off in Hz; capped at 45 % of the sampling rate (below Nyquist).
    sampling_rate_hz : float
        Sampling rate in Hz.
    order : int
        Filter order (applied forwards and backwards, so the effective order doubles).

    Returns
    -------
    numpy.ndarray
        Filtered copy, same shape.  Signals too short to filter are returned as a copy.
    """
    if not cutoff_hz > 0:
        raise InputError(f"cutoff_hz: expected a positive frequency in Hz, found {cutoff_hz!r}")
    x = np.array(values, dtype=float, copy=True)
    cutoff = min(float(cutoff_hz), 0.45 * float(sampling_rate_hz))
    sos = butter(order, cutoff, btype="low", fs=float(sampling_rate_hz), output="sos")
    padlen = 3 * (2 * len(sos) + 1)
    if x.shape[0] <= padlen:
        return x
    return sosfiltfilt(sos, x, axis=0)


def fill_gaps(values: np.ndarray) -> np.ndarray:
    """Copy of ``values`` (n, k) with NaN samples replaced by linear interpolation per column."""
    x = np.array(values, dtype=float, copy=True)
    if x.ndim == 1:
        x = x[:, None]
    idx = np.arange(x.shape[0])
    for k in range(x.shape[1]):
        bad = ~np.isfinite(x[:, k])
        if bad.all():
            x[:, k] = 0.0
        elif bad.any():
            x[bad, k] = np.interp(idx[bad], idx[~bad], x[~bad, k])
    return x if np.ndim(values) > 1 else x[:, 0]


def warn_gaps(rec: Recording, where: str) -> None:
    """Warn (``RetrogaitWarning``) when the recording has missing samples; they are then
    filled by linear interpolation (:func:`fill_gaps`) before detection."""
    columns = [c for c in rec.data.columns if c.startswith(("acc_", "gyr_"))]
    missing = int(rec.data[columns].isna().any(axis=1).sum())
    if missing:
        warnings.warn(
            f"{where}: recording {rec.name!r} has {missing} sample(s) with missing values; "
            "they were filled by linear interpolation",
            RetrogaitWarning,
            stacklevel=3,
        )


def principal_axis(vectors: np.ndarray, *, min_norm: float = 0.0) -> np.ndarray | None:
    """Unit vector of the direction with the most energy (uncentred second moment).

    Parameters
    ----------
    vectors : numpy.ndarray
        Shape (n, 3), e.g. angular rate in deg/s.
    min_norm : float
        Only samples whose norm exceeds this value are used (e.g. to skip rest).

    Returns
    -------
    numpy.ndarray or None
        The axis (sign arbitrary: callers fix the sign from the data), or None when
        fewer than 3 samples exceed ``min_norm``.
    """
    v = np.asarray(vectors, dtype=float)
    keep = np.linalg.norm(v, axis=1) > min_norm
    if keep.sum() < 3:
        return None
    m = v[keep].T @ v[keep]
    w, e = np.linalg.eigh(m)
    return e[:, int(np.argmax(w))]


def runs(mask: np.ndarray) -> np.ndarray:
    """Start and end (exclusive) of each run of True in a boolean array, shape (k, 2)."""
    m = np.asarray(mask, dtype=bool)
    padded = np.concatenate([[False], m, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges.reshape(-1, 2)


def moving_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving mean over ``window`` samples (edges use the samples available)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    window = max(1, min(int(window), max(n, 1)))
    csum = np.concatenate([[0.0], np.cumsum(x)])
    half = window // 2
    lo = np.clip(np.arange(n) - half, 0, n)
    hi = np.clip(np.arange(n) - half + window, 0, n)
    return (csum[hi] - csum[lo]) / np.maximum(hi - lo, 1)


def jerk_norm(acc: np.ndarray, *, sampling_rate_hz: float) -> np.ndarray:
    """Norm of the time derivative of acceleration (central difference), in m/s^3.

    Central differences keep the result symmetric under time reversal, so an impact
    feature lands on the same sample whichever way the signal runs.
    """
    a = np.asarray(acc, dtype=float)
    d = np.zeros_like(a)
    if len(a) >= 3:
        d[1:-1] = (a[2:] - a[:-2]) * (sampling_rate_hz / 2.0)
        d[0] = d[1]
        d[-1] = d[-2]
    return np.linalg.norm(d, axis=1) if d.ndim == 2 else np.abs(d)


@dataclass(frozen=True)
class Lobes:
    """Sign lobes of a signal: maximal stretches between zero crossings.

    Attributes
    ----------
    start, end : numpy.ndarray of int
        First sample and end (exclusive) of each lobe.
    sign : numpy.ndarray of int
        +1 or -1.
    area : numpy.ndarray of float
        Integral of the signal over the lobe (signal unit x s; deg for deg/s).
    peak : numpy.ndarray of int
        Sample of the largest absolute value in the lobe.
    peak_value : numpy.ndarray of float
        Signal value at ``peak``.
    """

    start: np.ndarray
    end: np.ndarray
    sign: np.ndarray
    area: np.ndarray
    peak: np.ndarray
    peak_value: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)


def _split_points(y: np.ndarray, ratio: float) -> list[int]:
    """Offsets where a one-signed hump train ``y`` (>= 0) drops below ``ratio`` of both sides."""
    if y.size < 3:
        return []
    left = np.maximum.accumulate(y)
    right = np.maximum.accumulate(y[::-1])[::-1]
    score = y / np.maximum(np.minimum(left, right), 1e-12)
    c = int(np.argmin(score))
    if score[c] >= ratio or c == 0 or c == y.size - 1:
        return []
    return [*_split_points(y[:c], ratio), c, *(c + k for k in _split_points(y[c:], ratio))]


def sign_lobes(values: np.ndarray, *, sampling_rate_hz: float, min_peak: float,
               split_ratio: float = 0.0) -> Lobes:
    """Split a signal into sign lobes and keep those whose peak reaches ``min_peak``.

    Parameters
    ----------
    values : numpy.ndarray
        1-D signal (e.g. an angular rate in deg/s, already low-pass filtered).
    sampling_rate_hz : float
        Sampling rate in Hz (for the area).
    min_peak : float
        Smallest absolute peak of a lobe that is kept (same unit as ``values``).
    split_ratio : float
        A lobe is split in two at an inner valley whose absolute value is below
        ``split_ratio`` times the peaks on both sides (0 = never split).  This separates
        two rotations of the same sign that are joined by a pause without a zero
        crossing (sensor offset, or the short stance of running).

    Returns
    -------
    Lobes
        The kept lobes, in time order.  Lobes keep their zero-crossing borders, so
        neighbouring kept lobes of opposite sign share a border.
    """
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Lobes(empty, empty, empty, np.zeros(0), empty, np.zeros(0))
    sgn = np.where(x >= 0, 1, -1)
    change = np.flatnonzero(np.diff(sgn)) + 1
    starts = np.r_[0, change]
    ends = np.r_[change, x.size]
    if split_ratio > 0:
        extra: list[int] = []
        for a, b in zip(starts, ends, strict=True):
            extra.extend(a + c for c in _split_points(np.abs(x[a:b]), split_ratio))
        if extra:
            cuts = np.unique(np.r_[change, np.asarray(extra, dtype=np.int64)])
            starts = np.r_[0, cuts]
            ends = np.r_[cuts, x.size]
    csum = np.concatenate([[0.0], np.cumsum(x)])
    area = (csum[ends] - csum[starts]) / sampling_rate_hz
    absx = np.abs(x)
    peaks = np.array([a + int(np.argmax(absx[a:b])) for a, b in zip(starts, ends, strict=True)], dtype=np.int64)
    keep = absx[peaks] >= min_peak
    return Lobes(
        start=starts[keep].astype(np.int64),
        end=ends[keep].astype(np.int64),
        sign=sgn[starts[keep]].astype(np.int64),
        area=area[keep],
        peak=peaks[keep],
        peak_value=x[peaks[keep]],
    )


def first_crossing(values: np.ndarray, level: float, *, lo: int, hi: int, reverse: bool = False) -> int | None:
    """First sample in ``[lo, hi)`` where ``values >= level`` (or the last one if ``reverse``)."""
    lo = max(0, int(lo))
    hi = min(len(values), int(hi))
    if hi <= lo:
        return None
    idx = np.flatnonzero(np.asarray(values[lo:hi]) >= level)
    if idx.size == 0:
        return None
    return lo + int(idx[-1] if reverse else idx[0])


def zero_crossing_near(values: np.ndarray, edge: int, *, lo: int, hi: int, falling: bool) -> int | None:
    """Sample of the sign change of ``values`` in ``[lo, hi)`` closest to ``edge``.

    ``falling`` selects changes from positive to non-positive, else from negative to
    non-negative.  Of the two samples around the change the one closer to zero is
    returned (so the result does not depend on the direction of time).
    """
    lo = max(1, int(lo))
    hi = min(len(values), int(hi))
    if hi <= lo:
        return None
    x = np.asarray(values[lo - 1 : hi], dtype=float)
    if falling:
        k = np.flatnonzero((x[:-1] > 0) & (x[1:] <= 0))
    else:
        k = np.flatnonzero((x[:-1] < 0) & (x[1:] >= 0))
    if k.size == 0:
        return None
    after = lo + k  # first sample on the new side
    best = after[np.argmin(np.abs(after - edge))]
    return int(best - 1) if abs(values[best - 1]) < abs(values[best]) else int(best)


def first_local_min(values: np.ndarray, lo: int, hi: int, *, below: float = 0.0,
                    reverse: bool = False) -> int | None:
    """First local minimum of ``values`` below ``below`` in ``[lo, hi)`` (last one if ``reverse``).

    A local minimum is a sample not above its left neighbour and below its right one
    (mirrored when ``reverse``, so the result is symmetric under time reversal).
    """
    lo = max(1, int(lo))
    hi = min(len(values) - 1, int(hi))
    if hi <= lo:
        return None
    x = np.asarray(values, dtype=float)
    mid = x[lo:hi]
    left = x[lo - 1 : hi - 1]
    right = x[lo + 1 : hi + 1]
    if reverse:
        is_min = (mid < left) & (mid <= right) & (mid < below)
    else:
        is_min = (mid <= left) & (mid < right) & (mid < below)
    idx = np.flatnonzero(is_min)
    if idx.size == 0:
        return None
    return lo + int(idx[-1] if reverse else idx[0])


def argmin_in(values: np.ndarray, lo: int, hi: int) -> int | None:
    """Sample of the minimum of ``values`` in ``[lo, hi)`` (None when the range is empty)."""
    lo = max(0, int(lo))
    hi = min(len(values), int(hi))
    if hi <= lo:
        return None
    return lo + int(np.argmin(values[lo:hi]))


def argmax_in(values: np.ndarray, lo: int, hi: int) -> int | None:
    """Sample of the maximum of ``values`` in ``[lo, hi)`` (None when the range is empty)."""
    lo = max(0, int(lo))
    hi = min(len(values), int(hi))
    if hi <= lo:
        return None
    return lo + int(np.argmax(values[lo:hi]))


def in_periods(samples: np.ndarray, periods: pd.DataFrame | None, *, n_samples: int) -> np.ndarray:
    """Boolean mask: which ``samples`` fall inside the active periods.

    Parameters
    ----------
    samples : numpy.ndarray of int
        Sample numbers.
    periods : pandas.DataFrame or None
        Rows with ``start_sample`` and ``end_sample`` (exclusive), e.g. from
        :func:`retrogait.bouts.detect_activity`.  None keeps every sample.
    n_samples : int
        Length of the recording (for the check of the periods).

    Raises
    ------
    InputError
        If ``periods`` lacks the columns ``start_sample`` / ``end_sample``.
    """
    s = np.asarray(samples, dtype=np.int64)
    if periods is None:
        return np.ones(s.shape, dtype=bool)
    cols = getattr(periods, "columns", None)
    if cols is None or "start_sample" not in cols or "end_sample" not in cols:
        found = list(cols) if cols is not None else type(periods).__name__
        raise InputError(f"activity: expected a DataFrame with columns start_sample, end_sample; found {found}")
    mask = np.zeros(n_samples + 1, dtype=np.int64)
    for a, b in zip(periods["start_sample"].to_numpy(), periods["end_sample"].to_numpy(), strict=True):
        a = int(np.clip(a, 0, n_samples))
        b = int(np.clip(b, 0, n_samples))
        if b > a:
            mask[a] += 1
            mask[b] -= 1
    inside = np.cumsum(mask)[:n_samples] > 0
    ok = (s >= 0) & (s < n_samples)
    out = np.zeros(s.shape, dtype=bool)
    out[ok] = inside[s[ok]]
    return out
