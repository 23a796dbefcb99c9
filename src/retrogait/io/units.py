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
    case-insensitive, so ``'MG'`` is read as milli-g too.  Spaces are ignored and ``²``
    or ``**2`` read as ``^2``.  Multiply by ``ACC_UNITS[unit]`` to get m/s²
    (1 g = 9.80665 m/s², standard gravity).

    Parameters
    ----------
    text : str
        A unit as written in a file (``'m/s²'``, ``'m s^-2'``, ``'G'``, ``'milli-g'`` ...).

    Returns
    -------
    str or None
        ``'g'``, ``'mg'`` or ``'m/s^2'`` (keys of `ACC_UNITS`), or None for any other text.

    Examples
    --------
    >>> from retrogait.io.units import ACC_UNITS, canonical_acc_unit
    >>> [canonical_acc_unit(t) for t in ["G", "mG", "m/s²", "m s^-2", "deg/s"]]
    ['g', 'mg', 'm/s^2', 'm/s^2', None]
    >>> ACC_UNITS[canonical_acc_unit("G")]  # m/s^2 per g
    9.80665
    >>> round(500 * ACC_UNITS[canonical_acc_unit("mg")], 4)  # 500 mg in m/s^2
    4.9033
    """
    return _ACC_ALIASES.get(_clean(text).replace("²", "^2"))


def canonical_gyr_unit(text: str) -> str | None:
    """Return ``'deg/s'`` or ``'rad/s'`` for a unit text, or None if it is not one.

    Case and spaces are ignored.  Multiply by ``GYR_UNITS[unit]`` to get deg/s
    (1 rad/s = 180/pi = 57.2958 deg/s).

    Parameters
    ----------
    text : str
        A unit as written in a file (``'°/s'``, ``'dps'``, ``'rad/sec'`` ...).

    Returns
    -------
    str or None
        ``'deg/s'`` or ``'rad/s'`` (keys of `GYR_UNITS`), or None for any other text.

    Examples
    --------
    >>> from retrogait.io.units import GYR_UNITS, canonical_gyr_unit
    >>> [canonical_gyr_unit(t) for t in ["°/s", "dps", "RAD/S", "g"]]
    ['deg/s', 'deg/s', 'rad/s', None]
    >>> round(3.0 * GYR_UNITS[canonical_gyr_unit("rad/sec")], 2)  # 3 rad/s in deg/s
    171.89
    """
    return _GYR_ALIASES.get(_clean(text))


def canonical_time_unit(text: str) -> str | None:
    """Return ``'s'``, ``'ms'``, ``'us'``, ``'ns'`` or ``'days'`` for a unit text, or None.

    ``'days'`` (spreadsheet serial days since 1899-12-30) is handled by
    `retrogait.io.timeconv.numeric_to_seconds`; the others convert to seconds with
    ``TIME_UNITS[unit]``.

    Parameters
    ----------
    text : str
        A unit as written in a file (``'sec'``, ``'msec'``, ``'µs'``, ``'nanoseconds'`` ...).

    Returns
    -------
    str or None
        The canonical unit, or None for any other text.

    Examples
    --------
    >>> from retrogait.io.units import TIME_UNITS, canonical_time_unit
    >>> [canonical_time_unit(t) for t in ["sec", "msec", "µs", "ns", "min"]]
    ['s', 'ms', 'us', 'ns', None]
    >>> 250 * TIME_UNITS[canonical_time_unit("milliseconds")]  # 250 ms in s
    0.25
    """
    return _TIME_ALIASES.get(_clean(text))


def unit_in_name(name: str) -> str | None:
    """The text inside the last ``(...)`` or ``[...]`` of a column name, if any.

    Parameters
    ----------
    name : str
        A column name such as ``'Accel X (m/s^2)'`` or ``'gyr_x [deg/s]'``.

    Returns
    -------
    str or None
        The bracketed text without surrounding spaces (not checked to be a unit), or None
        when the name has no brackets.

    Examples
    --------
    >>> from retrogait.io.units import canonical_acc_unit, unit_in_name
    >>> unit_in_name("Accel X (m/s^2)"), unit_in_name("gyr_x [ deg/s ]"), unit_in_name("ax")
    ('m/s^2', 'deg/s', None)
    >>> canonical_acc_unit(unit_in_name("a (raw) [G]"))  # the last bracket counts
    'g'
    """
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
        With fewer than four 1-s windows it is the median of all magnitudes.

    Examples
    --------
    Five seconds lying still (gravity only, 1 g on z), then five seconds of 2 Hz
    movement: the rest magnitude is gravity in the file's unit, which tells the unit.

    >>> import numpy as np
    >>> from retrogait.io.units import infer_acc_unit, rest_magnitude
    >>> t = np.arange(1000) / 100.0
    >>> acc_g = np.zeros((1000, 3))
    >>> acc_g[:, 2] = 1.0
    >>> acc_g[500:, 2] += 0.3 * np.sin(2 * np.pi * 2 * t[500:])
    >>> rest_magnitude(acc_g, rate_hz=100.0)
    1.0
    >>> round(rest_magnitude(acc_g * 9.80665, rate_hz=100.0), 5)
    9.80665
    >>> infer_acc_unit(rest_magnitude(acc_g * 9.80665, rate_hz=100.0))
    'm/s^2'
    """
    step = max(1, acc.shape[0] // MAX_CHECK_SAMPLES)
    magnitude = _row_norms(acc[::step])
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
    """Unit whose gravity band (0.5-2 g) contains the rest magnitude, or None.

    At rest the accelerometer reads gravity: ~1 in g, ~1000 in mg, ~9.81 in m/s².  The
    bands 0.5-2 g, 500-2000 mg and 4.9-19.6 m/s² do not overlap.

    Parameters
    ----------
    rest_mag : float
        Magnitude of the acceleration at rest in the file's unit (see `rest_magnitude`).

    Returns
    -------
    str or None
        ``'m/s^2'``, ``'g'`` or ``'mg'``, or None when no band contains ``rest_mag``
        (e.g. gravity-free acceleration, raw counts, or NaN).

    Examples
    --------
    >>> from retrogait.io.units import infer_acc_unit
    >>> infer_acc_unit(1.02), infer_acc_unit(985.0), infer_acc_unit(9.79)
    ('g', 'mg', 'm/s^2')
    >>> infer_acc_unit(3.0) is None  # 3 g or 0.3 g at rest: not an accelerometer unit
    True
    """
    for unit, factor in ACC_UNITS.items():
        gravity = STANDARD_GRAVITY_MS2 / factor
        if 0.5 * gravity <= rest_mag <= 2.0 * gravity:
            return unit
    return None


#: Unit checks look at no more than this many evenly spaced samples (speed; the
#: statistics used are medians and means, which a regular subsample preserves).
MAX_CHECK_SAMPLES = 20_000


def _row_norms(values: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row: ``sqrt(sum(values ** 2, axis=1))``.

    Three columns are added column-wise, ``(x² + y²) + z²``, the order in which numpy's
    row sum adds them (bit-identical results), at six times its speed: numpy reduces an
    (n, 3) array three numbers at a time.
    """
    squares = values * values
    if squares.ndim == 2 and squares.shape[1] == 3:
        return np.sqrt(squares[:, 0] + squares[:, 1] + squares[:, 2])
    return np.sqrt(np.sum(squares, axis=1))


def _subsample(values: np.ndarray) -> np.ndarray:
    step = max(1, values.shape[0] // MAX_CHECK_SAMPLES)
    return values[::step]


def gravity_ratio(acc: np.ndarray) -> float:
    """``|mean vector| / median |a|``: ~1 with gravity, ~0 for gravity-free acceleration.

    Gravity keeps the mean acceleration vector at about the size of gravity however the
    sensor moves, whereas gravity-free ("linear") acceleration averages to ~0.  At most
    `MAX_CHECK_SAMPLES` evenly spaced samples are used.

    Parameters
    ----------
    acc : ndarray, shape (n, 3)
        Accelerometer samples in any unit (the ratio has none); rows with NaN are ignored.

    Returns
    -------
    float
        The ratio (dimensionless): NaN when there is no finite row, 0.0 when every
        magnitude is zero.

    Examples
    --------
    >>> import numpy as np
    >>> from retrogait.io.units import gravity_ratio
    >>> phase = np.linspace(0.0, 4 * np.pi, 200, endpoint=False)  # two full turns
    >>> swing = np.column_stack([3 * np.sin(phase), 3 * np.cos(phase), np.zeros(200)])
    >>> with_gravity = swing + [0.0, 0.0, 9.80665]
    >>> round(gravity_ratio(with_gravity), 2), round(gravity_ratio(swing), 2)
    (0.96, 0.0)
    """
    acc = _subsample(acc)
    # a finite sum means every value is finite: no row mask to build and no copy
    finite = acc if np.isfinite(acc.sum()) else acc[np.all(np.isfinite(acc), axis=1)]
    if finite.size == 0:
        return float("nan")
    median_mag = float(np.median(_row_norms(finite)))
    if median_mag == 0.0:
        return 0.0
    return float(np.linalg.norm(finite.mean(axis=0)) / median_mag)


def infer_gyr_unit(gyr: np.ndarray, acc_ms2: np.ndarray) -> str | None:
    """Gyroscope unit from the angular-rate and acceleration spread (rule in module doc).

    With ``p`` the 99th percentile of ``|w|`` and ``d`` the 99th percentile of
    ``||a| - g|`` in g: ``p >= 35`` is deg/s; ``20 <= p < 35`` is rad/s when ``d > 2 g``
    (running impacts), else deg/s; ``p < 20`` is rad/s when ``d > 0.1 g`` (the body moves),
    else undecided.  At most `MAX_CHECK_SAMPLES` evenly spaced samples are used.

    Parameters
    ----------
    gyr : ndarray, shape (n, 3)
        Gyroscope samples in the unknown unit; NaN rows are ignored.
    acc_ms2 : ndarray, shape (n, 3)
        Accelerometer samples of the same recording, in m/s².

    Returns
    -------
    str or None
        ``'deg/s'`` or ``'rad/s'``, or None when there are no finite gyroscope samples or
        a still recording with small rates cannot be decided.

    Examples
    --------
    Walking-like movement: the shank turns at up to 3 rad/s (172 deg/s) and the
    acceleration swings by 0.3 g around gravity.

    >>> import numpy as np
    >>> from retrogait.io.units import infer_gyr_unit
    >>> t = np.arange(1000) / 100.0
    >>> zero = np.zeros_like(t)
    >>> gyr_rad = np.column_stack([3.0 * np.sin(2 * np.pi * t), zero, zero])
    >>> acc = np.column_stack([zero, zero, 9.80665 + 3.0 * np.sin(2 * np.pi * 2 * t)])
    >>> infer_gyr_unit(gyr_rad, acc), infer_gyr_unit(np.degrees(gyr_rad), acc)
    ('rad/s', 'deg/s')

    A sensor lying still with small rates cannot be decided:

    >>> still = np.tile([0.0, 0.0, 9.80665], (1000, 1))
    >>> infer_gyr_unit(0.01 * gyr_rad, still) is None
    True
    """
    gyr, acc_ms2 = _subsample(gyr), _subsample(acc_ms2)
    norm = _row_norms(gyr)
    norm = norm[np.isfinite(norm)]
    if norm.size == 0:
        return None
    p99 = float(np.quantile(norm, 0.99))
    if p99 >= 35.0:
        return "deg/s"
    acc_norm = _row_norms(acc_ms2)
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

    Parameters
    ----------
    median_step : float
        Typical interval between samples, in the (unknown) unit of the time column.

    Returns
    -------
    str or None
        ``'s'``, ``'ms'``, ``'us'`` or ``'ns'`` (keys of `TIME_UNITS`), or None when the
        interval fits no unit for 5-5000 Hz.

    Examples
    --------
    A 100 Hz recording has a 0.01 s = 10 ms = 10 000 µs interval:

    >>> from retrogait.io.units import infer_time_unit
    >>> infer_time_unit(0.01), infer_time_unit(10.0), infer_time_unit(10_000.0)
    ('s', 'ms', 'us')
    >>> infer_time_unit(1.0)  # 1 s would be 1 Hz; read as 1 ms (1000 Hz)
    'ms'
    >>> infer_time_unit(1e9) is None
    True
    """
    for unit, factor in TIME_UNITS.items():
        step_s = median_step * factor
        if 2e-4 < step_s <= 0.2:
            return unit
    return None
