"""Physical units of accelerometer, gyroscope and time columns: parsing, inference, conversion.

Rules (documented in :func:`retrogait.io.read`):

* **Accelerometer** — the unit comes from ``acc_unit=``, else from the column name or a
  units row (``(g)``, ``[mg]``, ``(m/s^2)``), else it is inferred from the magnitude of
  the acceleration *at rest*: the median of ``|a|`` over the quietest quarter of 1-s
  windows.  At rest ``|a|`` equals gravity, so it reads ~1 in g, ~1000 in mg and ~9.81 in
  m/s².  Accepted bands are 0.5-2 g, 500-2000 mg and 4.9-19.6 m/s² (half to twice
  gravity); anything else is an :class:`~retrogait.errors.InputError`.
* **Gravity present?** — in a file with gravity the mean acceleration vector keeps about
  the size of gravity however the sensor moves, whereas gravity-free ("linear")
  acceleration averages to ~0.  A file whose mean vector is below a quarter of its rest
  magnitude (and below 0.25 g once converted) is refused as linear acceleration.
* **Gyroscope** — ``gyr_unit=``, else the column name, else the 99th percentile ``p`` of
  ``|w|`` together with the acceleration spread ``d`` (99th percentile of ``||a| - g|``):
  ``p >= 35`` is deg/s (35 rad/s = 2000 deg/s, the end of common gyroscope ranges);
  ``20 <= p < 35`` is rad/s only with running-like impacts (``d > 2 g``: feet and shanks
  in running turn at 17-21 rad/s), deg/s otherwise; ``p < 20`` is rad/s when the
  accelerometer shows movement (``d > 0.1 g``), since moving body segments turn faster than
  20 deg/s.  A recording without movement and a small angular rate cannot be decided.
"""

from __future__ import annotations

import re

import numpy as np

from retrogait.schema import STANDARD_GRAVITY_MS2

#: Accelerometer units to m/s^2.
ACC_UNITS: dict[str, float] = {
    "m/s^2": 1.0,
    "g": STANDARD_GRAVITY_MS2,
    "mg": STANDARD_GRAVITY_MS2 / 1000.0,
}
#: Gyroscope units to deg/s.
GYR_UNITS: dict[str, float] = {"deg/s": 1.0, "rad/s": 180.0 / np.pi}

_ACC_ALIASES = {
    "m/s^2": "m/s^2", "m/s2": "m/s^2", "m/s²": "m/s^2", "ms^-2": "m/s^2", "ms-2": "m/s^2",
    "m/(s^2)": "m/s^2", "mps2": "m/s^2", "ms2": "m/s^2", "m s^-2": "m/s^2", "meter/s^2": "m/s^2",
    "g": "g", "gf": "g", "gs": "g", "gravity(g)": "g",
    "mg": "mg", "milli-g": "mg", "millig": "mg",
}
_GYR_ALIASES = {
    "deg/s": "deg/s", "°/s": "deg/s", "dps": "deg/s", "deg/sec": "deg/s", "degrees/s": "deg/s",
    "degree/s": "deg/s", "deg s^-1": "deg/s",
    "rad/s": "rad/s", "rad/sec": "rad/s", "rads": "rad/s", "rad s^-1": "rad/s", "rps": "rad/s",
}
_TIME_ALIASES = {
    "s": "s", "sec": "s", "secs": "s", "seconds": "s", "second": "s",
    "ms": "ms", "msec": "ms", "milliseconds": "ms", "millisecond": "ms",
    "us": "us", "µs": "us", "μs": "us", "microseconds": "us",
    "ns": "ns", "nanoseconds": "ns",
    "days": "days", "day": "days", "d": "days", "exceldays": "days", "serialdays": "days",
}
_BRACKETED = re.compile(r"[\(\[]\s*([^\)\]]*?)\s*[\)\]]")

#: Seconds per time unit.
TIME_UNITS: dict[str, float] = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


def _clean(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("**", "^")


def canonical_acc_unit(text: str) -> str | None:
    """Return ``'g'``, ``'mg'`` or ``'m/s^2'`` for a unit text, or None if it is not one.

    Upper-case ``'G'`` and ``'mG'`` (Noraxon, Trigno) are accepted; the check is
    case-insensitive except that ``'MG'`` is read as milli-g too.
    """
    return _ACC_ALIASES.get(_clean(text).replace("²", "^2"))


def canonical_gyr_unit(text: str) -> str | None:
    """Return ``'deg/s'`` or ``'rad/s'`` for a unit text, or None if it is not one."""
    return _GYR_ALIASES.get(_clean(text))


def canonical_time_unit(text: str) -> str | None:
    """Return ``'s'``, ``'ms'``, ``'us'`` or ``'ns'`` for a unit text, or None."""
    return _TIME_ALIASES.get(_clean(text))


def unit_in_name(name: str) -> str | None:
    """The text inside the last ``(...)`` or ``[...]`` of a column name, if any."""
    found = _BRACKETED.findall(name)
    return found[-1] if found else None


def rest_magnitude(acc: np.ndarray, *, rate_hz: float) -> float:
    """Median ``|a|`` over the quietest quarter of 1-s windows (file units).

    Parameters
    ----------
    acc : ndarray, shape (n, 3)
        Accelerometer samples in any unit; NaN rows are ignored.
    rate_hz : float
        Sampling rate, used for the 1-s window length.

    Returns
    -------
    float
        Magnitude at rest in the file's unit (NaN when there are no finite samples).
    """
    step = max(1, acc.shape[0] // MAX_CHECK_SAMPLES)
    magnitude = np.sqrt(np.sum(acc[::step] ** 2, axis=1))
    magnitude = magnitude[np.isfinite(magnitude)]
    if magnitude.size == 0:
        return float("nan")
    window = max(int(round(rate_hz / step)), 4)
    n_windows = magnitude.size // window
    if n_windows < 4:
        return float(np.median(magnitude))
    blocks = magnitude[: n_windows * window].reshape(n_windows, window)
    spread = blocks.std(axis=1)
    quiet = blocks[spread <= np.quantile(spread, 0.25)]
    return float(np.median(quiet))


def infer_acc_unit(rest_mag: float) -> str | None:
    """Unit whose gravity band (0.5-2 g) contains the rest magnitude, or None."""
    for unit, factor in ACC_UNITS.items():
        gravity = STANDARD_GRAVITY_MS2 / factor
        if 0.5 * gravity <= rest_mag <= 2.0 * gravity:
            return unit
    return None


#: Unit checks look at no more than this many evenly spaced samples (speed; the
#: statistics used are medians and means, which a regular subsample preserves).
MAX_CHECK_SAMPLES = 20_000


def _subsample(values: np.ndarray) -> np.ndarray:
    step = max(1, values.shape[0] // MAX_CHECK_SAMPLES)
    return values[::step]


def gravity_ratio(acc: np.ndarray) -> float:
    """``|mean vector| / median |a|``: ~1 with gravity, ~0 for gravity-free acceleration."""
    acc = _subsample(acc)
    finite = acc[np.all(np.isfinite(acc), axis=1)]
    if finite.size == 0:
        return float("nan")
    median_mag = float(np.median(np.sqrt(np.sum(finite * finite, axis=1))))
    if median_mag == 0.0:
        return 0.0
    return float(np.linalg.norm(finite.mean(axis=0)) / median_mag)


def infer_gyr_unit(gyr: np.ndarray, acc_ms2: np.ndarray) -> str | None:
    """Gyroscope unit from the angular-rate and acceleration spread (rule in module doc)."""
    gyr, acc_ms2 = _subsample(gyr), _subsample(acc_ms2)
    norm = np.sqrt(np.sum(gyr * gyr, axis=1))
    norm = norm[np.isfinite(norm)]
    if norm.size == 0:
        return None
    p99 = float(np.quantile(norm, 0.99))
    if p99 >= 35.0:
        return "deg/s"
    acc_norm = np.sqrt(np.sum(acc_ms2 * acc_ms2, axis=1))
    acc_norm = acc_norm[np.isfinite(acc_norm)]
    spread_g = float(np.quantile(np.abs(acc_norm - STANDARD_GRAVITY_MS2), 0.99)) / STANDARD_GRAVITY_MS2 if (
        acc_norm.size) else 0.0
    if p99 >= 20.0:
        return "rad/s" if spread_g > 2.0 else "deg/s"
    return "rad/s" if spread_g > 0.1 else None


def infer_time_unit(median_step: float) -> str | None:
    """Time unit making the median sample interval 0.2 ms-200 ms (5-5000 Hz), or None.

    The bands of s, ms, µs and ns are a factor 1000 apart and do not overlap, so the
    answer is unique.  Rates outside 5-5000 Hz need a unit in the column name or an
    explicit rate.
    """
    for unit, factor in TIME_UNITS.items():
        step_s = median_step * factor
        if 2e-4 < step_s <= 0.2:
            return unit
    return None
