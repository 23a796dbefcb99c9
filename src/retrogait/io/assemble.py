"""Turn raw columns read from a file into a :class:`~retrogait.recording.Recording`.

Rules (also in the :func:`retrogait.io.read` docstring):

* **Time going backwards** is an error.  **Repeated timestamps**: when at most 5 % of the
  intervals are zero they are extra copies and only the first row of each time is kept;
  when more are zero the clock is coarser than the sampling (ActiGraph second-resolution
  blocks) and the samples are spread evenly between the distinct times.
* **Rate**: the mean of the sample intervals lying within 0.5-1.5x of the median interval
  (jitter averages out, gaps do not count).  A rate passed by the caller that differs from
  it by more than 5 % is an error; a rate in the file header that differs is a warning and
  the timestamps win.
* **Uniform grid**: when a timestamp lies more than half an interval off the uniform grid
  ``t0 + i / rate`` (gaps, drift, irregular phone sampling) the channels are linearly
  interpolated onto that grid, with a warning.
* **Gaps**: missing time or NaN runs up to ``max_gap_s`` (default 0.1 s — shorter than any
  stance or swing phase, so no gait event can hide inside) are filled by linear
  interpolation with a warning.  Longer ones are listed in ``meta['gaps']`` as
  ``(start_s, end_s)`` with a warning naming the longest, and are filled by linear
  interpolation too (``long_gaps='interpolate'``, the default: the analysis stages need
  finite samples, and a straight line holds no gait events, so no stride is invented —
  strides that span a listed gap should be treated with care) or left NaN
  (``long_gaps='nan'``).  Leading and trailing NaN rows and start-up rows whose
  accelerometer reads exactly 0, 0, 0 are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import units as _units
from retrogait.io.warn import warn
from retrogait.recording import Recording
from retrogait.schema import ACC_COLUMNS, GYR_COLUMNS, STANDARD_GRAVITY_MS2

RATE_TOLERANCE = 0.05
DUPLICATE_DROP_FRACTION = 0.05
DEFAULT_MAX_GAP_S = 0.1
GRAVITY_RATIO_MIN = 0.25
#: Plausibility limits: 2000 g (beyond impact accelerometers) and 100 000 deg/s.
MAX_ABS_ACC_MS2 = 2000 * STANDARD_GRAVITY_MS2
MAX_ABS_GYR_DPS = 1e5


@dataclass
class RawSignals:
    """Channels as found in a file, before unit conversion and resampling.

    What a format reader returns (see :mod:`retrogait.io.registry`) and
    :func:`build_recording` turns into a Recording.

    Parameters
    ----------
    signals : dict of str to numpy.ndarray
        Standard channel name (``acc_x``, ``acc_y``, ``acc_z``, optionally ``gyr_x``,
        ``gyr_y``, ``gyr_z``) -> 1-D float array in the file's units, all the same
        length; NaN for missing values.
    time_s : numpy.ndarray, optional
        Sample times in s from the first sample (same length as the channels), or None
        when the file has no time column (then a rate is needed).
    acc_unit : {None, 'g', 'mg', 'm/s^2'} or float, optional
        Accelerometer unit found in the file (a float is a factor to m/s²); None to
        infer it from the magnitude at rest.
    gyr_unit : {None, 'deg/s', 'rad/s'} or float, optional
        Gyroscope unit found in the file (a float is a factor to deg/s); None to infer.
    rate_hz : float, optional
        Sampling rate in Hz announced in the file header, if any.
    start_time : pandas.Timestamp, optional
        Wall-clock time of the first sample, when the file gives one.
    meta : dict, optional
        What the reader found (device, ``columns`` standard name -> file column, ...);
        copied into the Recording's meta.
    linear_only : bool, default False
        True when the acceleration is gravity-free (refused unless the caller allows it).
    time_column : str, optional
        Name of the file's time column, used in error messages.
    time_origin_s : float, default 0.0
        File-clock time of the first sample in s, to align sibling files (phyphox,
        Sensor Logger) with ``retrogait.io.phones.merge_channels``.

    Examples
    --------
    >>> import numpy as np
    >>> from retrogait.io.assemble import RawSignals
    >>> raw = RawSignals(signals={"acc_x": np.zeros(3), "acc_y": np.zeros(3), "acc_z": np.ones(3)},
    ...                  time_s=np.array([0.0, 0.01, 0.02]), acc_unit="g")
    >>> sorted(raw.signals), raw.acc_unit, raw.gyr_unit, raw.linear_only
    (['acc_x', 'acc_y', 'acc_z'], 'g', None, False)
    """

    signals: dict[str, np.ndarray]
    time_s: np.ndarray | None = None
    acc_unit: str | float | None = None
    gyr_unit: str | float | None = None
    rate_hz: float | None = None
    start_time: pd.Timestamp | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    linear_only: bool = False
    time_column: str | None = None
    time_origin_s: float = 0.0  # file-clock time of the first sample, for aligning sibling files


@dataclass(frozen=True)
class Options:
    """Caller options of :func:`retrogait.io.read` that the assembly needs.

    Parameters
    ----------
    where : str
        The file as named in error and warning messages.
    format : str
        Format name, stored as ``meta['format']``.
    sampling_rate_hz : float, optional
        Caller's rate in Hz: used when the file has no time column, and must agree with
        the timestamps within 5 % when it has.
    placement : str, default 'unknown'
        One of ``foot, shank, thigh, lower_back, wrist, phone, unknown``; ``'unknown'``
        lets a placement found by the reader stand.
    side : {None, 'left', 'right'}, optional
        Body side; None lets a side found by the reader stand.
    acc_unit : {None, 'g', 'mg', 'm/s^2'} or float, optional
        Caller's accelerometer unit (a float is a factor to m/s²); wins over the file's.
    gyr_unit : {None, 'deg/s', 'rad/s'} or float, optional
        Caller's gyroscope unit (a float is a factor to deg/s); wins over the file's.
    meta : mapping, optional
        Merged into the Recording's meta last.
    allow_linear : bool, default False
        Accept gravity-free acceleration (``allow_linear_acceleration`` of ``read``).
    max_gap_s : float, default 0.1
        Longest gap in s filled with only a summary warning; longer ones are listed in
        ``meta['gaps']``.
    long_gaps : {'interpolate', 'nan'}, default 'interpolate'
        What gaps longer than ``max_gap_s`` hold.

    Examples
    --------
    >>> from retrogait.io.assemble import Options
    >>> opts = Options(where="walk.csv", format="csv", sampling_rate_hz=100.0)
    >>> opts.max_gap_s, opts.long_gaps, opts.placement
    (0.1, 'interpolate', 'unknown')
    """

    where: str
    format: str
    sampling_rate_hz: float | None = None
    placement: str = "unknown"
    side: str | None = None
    acc_unit: str | float | None = None
    gyr_unit: str | float | None = None
    meta: Mapping[str, Any] | None = None
    allow_linear: bool = False
    max_gap_s: float = DEFAULT_MAX_GAP_S
    long_gaps: str = "interpolate"


def _warn(message: str) -> None:
    warn(message)


def _rate_from_steps(steps: np.ndarray) -> float:
    sample = steps[:: max(1, steps.size // 20_000)]
    median = float(np.median(sample[sample > 0]))
    if 0.5 * median < steps.min() and steps.max() < 1.5 * median:  # no gap, no repeat: the mean interval
        return float(steps.size / steps.sum())
    regular = (steps > 0.5 * median) & (steps < 1.5 * median)
    return float(np.count_nonzero(regular) / np.sum(steps, where=regular))


def _fix_time(t: np.ndarray, data: dict[str, np.ndarray], opts: Options, name: str
              ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Times and channels with invalid and repeated times handled, and ``np.diff`` of the times."""
    keep = np.isfinite(t) if not np.isfinite(t.sum()) else None
    if keep is not None:
        t = t[keep]
        data = {k: v[keep] for k, v in data.items()}
    if t.size < 2:
        raise InputError(f"{opts.where}: fewer than 2 samples with a valid time in column {name!r}")
    steps = np.diff(t)
    if steps.min() > 0:
        return t, data, steps
    back = np.flatnonzero(steps < 0)
    if back.size:
        i = int(back[0])
        raise InputError(
            f"{opts.where}: time column {name!r} goes backwards at data row {i + 2} "
            f"({t[i]:.6g} s -> {t[i + 1]:.6g} s from the start); expected increasing times"
        )
    zero = steps == 0
    if zero.any():
        if zero.mean() <= DUPLICATE_DROP_FRACTION:
            first = np.concatenate([[True], ~zero])
            _warn(f"{opts.where}: {int(zero.sum())} repeated timestamp(s) in {name!r}; kept the first row of each")
            t = t[first]
            data = {k: v[first] for k, v in data.items()}
        else:
            starts = np.flatnonzero(np.concatenate([[True], ~zero]))
            if starts.size < 2:
                raise InputError(f"{opts.where}: time column {name!r} never increases")
            idx = np.arange(t.size, dtype=float)
            per_sample = (t[starts[-1]] - t[starts[0]]) / (starts[-1] - starts[0])
            t = np.interp(idx, starts, t[starts])
            tail = idx > starts[-1]
            t[tail] = t[starts[-1]] + (idx[tail] - starts[-1]) * per_sample
            _warn(f"{opts.where}: {int(zero.sum())} of {steps.size} intervals in {name!r} are zero (a clock "
                  "coarser than the sampling); samples spread evenly between the distinct times")
    return t, data, np.diff(t)


def _gaps_from_nan(values: np.ndarray, t: np.ndarray, max_gap_s: float, rate: float, fill_long: bool
                   ) -> tuple[np.ndarray, list[tuple[float, float]], int]:
    bad = ~np.isfinite(values)
    if not bad.any():
        return values, [], 0
    out = values.copy()
    edges = np.diff(np.concatenate([[0], bad.view(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    good = np.flatnonzero(~bad)
    long_gaps: list[tuple[float, float]] = []
    filled = 0
    for s, e in zip(starts, ends, strict=True):
        duration = (t[e] if e < t.size else t[-1] + 1 / rate) - (t[s - 1] if s > 0 else t[0] - 1 / rate)
        if duration <= max_gap_s + 1e-9 and s > 0 and e < t.size:
            out[s:e] = np.interp(t[s:e], t[good], values[good])
            filled += int(e - s)
        else:
            long_gaps.append((float(t[s] - t[0]), float(t[e - 1] - t[0])))
            if fill_long and s > 0 and e < t.size:  # runs at either end are trimmed, not filled
                out[s:e] = np.interp(t[s:e], t[good], values[good])
    return out, long_gaps, filled


def _resample(t: np.ndarray, data: dict[str, np.ndarray], rate: float, max_gap_s: float, fill_long: bool
              ) -> tuple[dict[str, np.ndarray], list[tuple[float, float]], int]:
    n = int(np.floor((t[-1] - t[0]) * rate + 1e-6)) + 1
    grid = t[0] + np.arange(n) / rate
    out = {k: np.interp(grid, t, v) for k, v in data.items()}
    steps = np.diff(t)
    gaps: list[tuple[float, float]] = []
    n_short = 0
    for k in (int(i) for i in np.flatnonzero(steps > 1.5 / rate)):
        inside = (grid > t[k]) & (grid < t[k + 1])
        if steps[k] > max_gap_s + 1e-9:
            if not fill_long:
                for v in out.values():
                    v[inside] = np.nan
            gaps.append((float(t[k] - t[0]), float(t[k + 1] - t[0])))
        else:
            n_short += 1
    return out, gaps, n_short


def _scale(unit: str | float, table: Mapping[str, float], what: str, where: str) -> tuple[float, str]:
    if isinstance(unit, int | float) and not isinstance(unit, bool):
        if not np.isfinite(unit) or unit <= 0:
            raise InputError(f"{where}: {what}: expected a positive scale factor, found {unit!r}")
        return float(unit), f"x{unit:g}"
    canonical = (_units.canonical_acc_unit if what == "acc_unit" else _units.canonical_gyr_unit)(str(unit))
    if canonical is None:
        raise InputError(f"{where}: {what}: expected one of {list(table)} or a scale factor, found {unit!r}")
    return table[canonical], canonical


def _convert_units(data: dict[str, np.ndarray], raw: RawSignals, opts: Options, rate: float, meta: dict
                   ) -> dict[str, float]:
    """Decide the units (rules in :mod:`retrogait.io.units`); return the factor of each channel."""
    step = max(1, len(data["acc_x"]) // _units.MAX_CHECK_SAMPLES)  # unit checks on a regular subsample
    acc = np.column_stack([data[c][::step] for c in ACC_COLUMNS])
    ratio = _units.gravity_ratio(acc)
    if raw.linear_only or (np.isfinite(ratio) and ratio < GRAVITY_RATIO_MIN):
        meta["gravity_removed"] = True
        if not opts.allow_linear:
            what = "only gravity-free (linear) acceleration columns" if raw.linear_only else (
                f"acceleration without gravity (mean vector only {ratio:.2f} x the median magnitude)")
            raise InputError(
                f"{opts.where}: {what}; retrogait needs acceleration including gravity (phyphox 'Acceleration "
                "with g', Sensor Logger 'TotalAcceleration', Android TYPE_ACCELEROMETER). Pass "
                "allow_linear_acceleration=True to read it anyway"
            )
        _warn(f"{opts.where}: acceleration without gravity read on request (allow_linear_acceleration=True)")
    unit = opts.acc_unit if opts.acc_unit is not None else raw.acc_unit
    rest = _units.rest_magnitude(acc, rate_hz=rate / step)
    if unit is None and raw.linear_only:
        unit = "m/s^2"
    if unit is None:
        unit = _units.infer_acc_unit(rest)
        if unit is None:
            raise InputError(
                f"{opts.where}: accelerometer unit cannot be inferred: magnitude at rest {rest:.4g} fits none of "
                "g (~1), mg (~1000), m/s^2 (~9.81); pass acc_unit='g'|'mg'|'m/s^2' or a scale factor to m/s^2 "
                "(command line: --acc-unit; batch manifest: column acc_unit)"
            )
        meta["acc_unit_inferred"] = True
        _warn(f"{opts.where}: accelerometer unit inferred as {unit!r} from the magnitude at rest ({rest:.4g}); "
              f"state it with acc_unit={unit!r} (command line: --acc-unit {unit}; batch manifest: column acc_unit)")
    factor, label = _scale(unit, _units.ACC_UNITS, "acc_unit", opts.where)
    meta["acc_unit"] = label
    rest_ms2 = rest * factor
    if not meta.get("gravity_removed") and not 0.5 * STANDARD_GRAVITY_MS2 <= rest_ms2 <= 2 * STANDARD_GRAVITY_MS2:
        _warn(f"{opts.where}: with acc_unit {label!r} the magnitude at rest is {rest_ms2:.3g} m/s^2, not ~9.81; "
              "check the unit")
    factors = dict.fromkeys(ACC_COLUMNS, factor)
    if "gyr_x" not in data:
        return factors
    gunit = opts.gyr_unit if opts.gyr_unit is not None else raw.gyr_unit
    if gunit is None:
        gyr = np.column_stack([data[c][::step] for c in GYR_COLUMNS])
        gunit = _units.infer_gyr_unit(gyr, acc * factor)
        if gunit is None:
            raise InputError(
                f"{opts.where}: gyroscope unit cannot be inferred (little movement in the recording); "
                "pass gyr_unit='deg/s' or 'rad/s' (command line: --gyr-unit; batch manifest: column gyr_unit)"
            )
        meta["gyr_unit_inferred"] = True
        _warn(f"{opts.where}: gyroscope unit inferred as {gunit!r} from the angular-rate range; state it with "
              f"gyr_unit={gunit!r} (command line: --gyr-unit {gunit}; batch manifest: column gyr_unit)")
    gfactor, glabel = _scale(gunit, _units.GYR_UNITS, "gyr_unit", opts.where)
    meta["gyr_unit"] = glabel
    factors.update(dict.fromkeys(GYR_COLUMNS, gfactor))
    return factors


def build_recording(raw: RawSignals, opts: Options) -> Recording:
    """Check, regularise and convert ``raw``; return the Recording (rules in the module doc).

    Time: invalid times are dropped, repeated timestamps handled, the rate estimated
    from the intervals (or taken from ``opts``/the header), and irregular samples
    interpolated onto a uniform grid.  Gaps are filled or listed, empty leading and
    trailing rows trimmed, units converted (acc to m/s², gyr to deg/s, inferred with a
    warning when neither the caller nor the file says) and values beyond body-worn
    sensor ranges refused.

    Parameters
    ----------
    raw : RawSignals
        Channels in file units with times in s (or none, with a rate).
    opts : Options
        The caller's options (rate in Hz, units, placement, side, gap handling).

    Returns
    -------
    Recording
        Columns ``acc_x, acc_y, acc_z`` in m/s² (and ``gyr_x, gyr_y, gyr_z`` in deg/s
        when the gyroscope has values) on a uniform grid at ``sampling_rate_hz`` (Hz).
        ``meta`` holds ``format``, ``acc_unit``/``gyr_unit`` and whether they were
        inferred, ``rate_source`` (argument, header or timestamps), ``resampled``,
        ``gaps`` (``(start_s, end_s)`` pairs) and the reader's meta.

    Raises
    ------
    InputError
        No rows; no time column and no rate; fewer than two valid times; the time column
        going backwards (the message names the column and the row); a rate contradicting
        the timestamps or the header; ``opts.long_gaps`` not allowed; no finite or only
        zero accelerometer rows; gravity-free acceleration without ``allow_linear``; a
        unit that is unknown or cannot be inferred; a value beyond 2000 g or 100 000
        deg/s after conversion (naming the file column).

    Warns
    -----
    RetrogaitWarning
        When a unit is inferred, timestamps are resampled, repeated or coarse times are
        fixed, gaps are filled or left NaN, or the magnitude at rest is not about 1 g.

    Examples
    --------
    Two seconds at 100 Hz in g and rad/s come out in m/s² and deg/s: 1 g is 9.807 m/s²
    and pi rad/s is 180 deg/s.

    >>> import numpy as np
    >>> from retrogait.io.assemble import Options, RawSignals, build_recording
    >>> n = 200
    >>> raw = RawSignals(
    ...     signals={"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.ones(n),
    ...              "gyr_x": np.zeros(n), "gyr_y": np.zeros(n), "gyr_z": np.full(n, np.pi)},
    ...     time_s=np.arange(n) / 100, acc_unit="g", gyr_unit="rad/s")
    >>> rec = build_recording(raw, Options(where="demo.csv", format="csv"))
    >>> rec.sampling_rate_hz, rec.meta["rate_source"], rec.n_samples
    (100.0, 'timestamps', 200)
    >>> np.round(rec.data.iloc[0], 3).tolist()
    [0.0, 0.0, 9.807, 0.0, 0.0, 180.0]

    Without times the rate comes from the caller; without either, it is an error:

    >>> no_time = RawSignals(signals={"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.ones(n)},
    ...                      acc_unit="g")
    >>> build_recording(no_time, Options(where="demo.csv", format="csv", sampling_rate_hz=50.0)).duration_s
    4.0
    >>> build_recording(no_time, Options(where="demo.csv", format="csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: demo.csv: no time column and no sampling rate in the file; pass ...

    Time going backwards is refused, naming the column and the data row:

    >>> t = np.arange(n) / 100
    >>> t[10] = 0.05
    >>> backwards = RawSignals(signals=no_time.signals, time_s=t, acc_unit="g", time_column="Time (s)")
    >>> build_recording(backwards, Options(where="demo.csv", format="csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: demo.csv: time column 'Time (s)' goes backwards at data row 11 (0.09 s -> 0.05 s ...
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # absurd values are reported below
        return _build(raw, opts)


def _build_recording_taking_over(raw: RawSignals, opts: Options) -> Recording:
    """`build_recording` for a ``raw`` nobody else holds: its channel memory may become the Recording's.

    :func:`retrogait.io.read` calls this with the RawSignals a format reader has just made
    and then drops.  When the channels are whole rows of one block, in channel order, as
    `retrogait.io.table.read_block` returns them, they are scaled in place and the Recording's
    frame is made on that block instead of on a new one (for an hour at 100 Hz, a 17 MB
    allocation and copy less).  Otherwise, and for every result, it is `build_recording`.

    Parameters
    ----------
    raw : RawSignals
        Channels in file units, not used by the caller afterwards (they may be modified).
    opts : Options
        The caller's options.

    Returns
    -------
    Recording
        Equal to ``build_recording(raw, opts)`` on an untouched ``raw``.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _build(raw, opts, take_over=True)


def _rows_of_one_block(data: Mapping[str, np.ndarray], channels: list[str]) -> np.ndarray | None:
    """2-D array whose rows are ``data[channels[0]]``, ``data[channels[1]]``, ... in place, or None.

    Only whole, writeable float64 rows that lie one after the other in one allocation
    (views of the same base array) qualify, so the 2-D view spans no foreign memory; and
    only from a block with at most one other row (the time), which the Recording then keeps.
    """
    first = data[channels[0]]
    owner = first.base
    if not isinstance(owner, np.ndarray) or first.dtype != np.float64 or first.ndim != 1:
        return None
    n = first.shape[0]
    if owner.size > (len(channels) + 1) * n:
        return None
    start = first.ctypes.data
    for i, c in enumerate(channels):
        row = data[c]
        if (row.base is not owner or row.dtype != np.float64 or row.shape != (n,) or row.strides != (8,)
                or not row.flags.writeable or row.ctypes.data != start + 8 * n * i):
            return None
    return np.lib.stride_tricks.as_strided(first, shape=(len(channels), n), strides=(8 * n, 8))


def _check_range(block: np.ndarray, channels: list[str], meta: Mapping[str, Any], where: str,
                 lows: np.ndarray, highs: np.ndarray) -> None:
    """Refuse values beyond body-worn sensor ranges; ``lows``/``highs`` are the row minima/maxima."""
    for i, c in enumerate(channels):
        limit = MAX_ABS_ACC_MS2 if c.startswith("acc") else MAX_ABS_GYR_DPS
        row = block[i]
        if -limit <= lows[i] and highs[i] <= limit:  # fast path (False for NaN too)
            continue
        bad = np.flatnonzero(np.isinf(row) | (np.abs(np.nan_to_num(row)) > limit))
        if bad.size:
            column = meta.get("columns", {}).get(c, c)
            unit = "m/s^2" if c.startswith("acc") else "deg/s"
            raise InputError(
                f"{where}: column {column!r} ({c}) has {bad.size} value(s) beyond the range of body-worn sensors "
                f"(|value| <= {limit:g} {unit} after unit conversion), first {row[bad[0]]:.4g} at sample {bad[0]}"
            )


def _build(raw: RawSignals, opts: Options, *, take_over: bool = False) -> Recording:
    channels = [c for c in ACC_COLUMNS + GYR_COLUMNS if c in raw.signals]
    data = {c: np.asarray(raw.signals[c], dtype=float) for c in channels}
    meta: dict[str, Any] = {"format": opts.format, "acc_unit_inferred": False}
    meta.update(raw.meta)
    n = len(data["acc_x"])
    if n == 0:
        raise InputError(f"{opts.where}: no data rows")
    if "gyr_x" in data and not any(np.isfinite(data[c]).any() for c in GYR_COLUMNS):
        _warn(f"{opts.where}: the gyroscope columns are empty; read the accelerometer only")
        channels = list(ACC_COLUMNS)
        data = {c: data[c] for c in channels}
    rate: float
    t = raw.time_s
    header_rate = raw.rate_hz
    if t is None:
        if opts.sampling_rate_hz is None and header_rate is None:
            raise InputError(
                f"{opts.where}: no time column and no sampling rate in the file; pass sampling_rate_hz= (command "
                "line: --rate), or map the file's time column with columns={'<column>': 'time'}"
            )
        rate = float(opts.sampling_rate_hz if opts.sampling_rate_hz is not None else header_rate)  # type: ignore[arg-type]
        if opts.sampling_rate_hz is not None and header_rate and abs(rate / header_rate - 1) > RATE_TOLERANCE:
            raise InputError(f"{opts.where}: sampling_rate_hz={rate:g} contradicts the {header_rate:g} Hz "
                             "announced in the file header")
        meta["rate_source"] = "argument" if opts.sampling_rate_hz is not None else "header"
        t = np.arange(n) / rate
        resample = False
    else:
        name = raw.time_column or "time"
        t, data, steps = _fix_time(np.asarray(t, dtype=float), data, opts, name)
        estimated = _rate_from_steps(steps)
        meta["rate_from_timestamps_hz"] = estimated
        if opts.sampling_rate_hz is not None:
            if abs(opts.sampling_rate_hz / estimated - 1) > RATE_TOLERANCE:
                raise InputError(
                    f"{opts.where}: sampling_rate_hz={opts.sampling_rate_hz:g} contradicts the timestamps in "
                    f"{name!r} ({estimated:.4g} Hz from the median interval; tolerance 5 %)"
                )
            rate, meta["rate_source"] = float(opts.sampling_rate_hz), "argument"
        elif header_rate and abs(header_rate / estimated - 1) <= RATE_TOLERANCE:
            rate, meta["rate_source"] = float(header_rate), "header"
        else:
            if header_rate:
                _warn(f"{opts.where}: header announces {header_rate:g} Hz but timestamps give {estimated:.4g} Hz; "
                      "using the timestamps")
            rate, meta["rate_source"] = estimated, "timestamps"
        deviation = np.arange(t.size, dtype=float)
        deviation *= -1.0 / estimated
        deviation += t  # t_i - i / rate; the grid fits when it stays within half an interval of t_0
        resample = bool(max(deviation.max() - deviation[0], deviation[0] - deviation.min()) > 0.5 / estimated)
    if opts.long_gaps not in ("interpolate", "nan"):
        raise InputError(f"long_gaps: expected 'interpolate' or 'nan', found {opts.long_gaps!r}")
    fill_long = opts.long_gaps == "interpolate"
    gaps: list[tuple[float, float]] = []
    n_filled = 0
    for c in channels:
        if np.isfinite(data[c].sum()):  # fast path: no NaN or inf in the channel
            continue
        data[c], channel_gaps, filled = _gaps_from_nan(data[c], t, opts.max_gap_s, rate, fill_long)
        n_filled += filled
        gaps.extend(g for g in channel_gaps if g not in gaps)
    if resample:
        jitter_ms = float(np.std(steps) * 1000)  # resample is only True with timestamps: steps = np.diff(t)
        data, time_gaps, n_short = _resample(t, data, rate, opts.max_gap_s, fill_long)
        gaps.extend(time_gaps)
        n_filled += n_short
        meta["resampled"] = True
        _warn(f"{opts.where}: irregular timestamps (interval SD {jitter_ms:.2f} ms); resampled to a uniform "
              f"{rate:.4g} Hz grid by linear interpolation")
    else:
        meta["resampled"] = False
    x, y, z = (data[c] for c in ACC_COLUMNS)
    n_rows = len(x)
    ends = np.array([[data[c][0] for c in channels], [data[c][-1] for c in channels]])
    if np.isfinite(ends).all() and np.any(ends[0, :3] != 0):  # fast path: nothing to trim at either end
        first, last = 0, n_rows - 1
    else:
        finite = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
        if not finite.any():
            raise InputError(f"{opts.where}: the accelerometer columns hold no numeric values")
        for c in channels[3:]:
            finite &= np.isfinite(data[c])
        if not finite.any():
            raise InputError(f"{opts.where}: no row has both accelerometer and gyroscope values")
        usable = finite & ((x != 0) | (y != 0) | (z != 0))
        if not usable.any():
            raise InputError(f"{opts.where}: the accelerometer reads 0, 0, 0 in every row")
        first, last = int(np.argmax(usable)), int(n_rows - 1 - np.argmax(finite[::-1]))
    if first > 0 or last < n_rows - 1:
        meta["trimmed_rows"] = (first, n_rows - 1 - last)
        data = {k: v[first:last + 1] for k, v in data.items()}
        offset_s = first / rate
        meta["start_offset_s"] = float(meta.get("start_offset_s", 0.0)) + offset_s
        gaps = [(a - offset_s, b - offset_s) for a, b in gaps if b - offset_s >= 0 and a < (last + 1) / rate]
    if n_filled:
        _warn(f"{opts.where}: filled {n_filled} short gap(s)/missing value(s) (<= {opts.max_gap_s:g} s) by linear "
              "interpolation")
    real_gaps = sorted(gaps)
    if real_gaps:
        what = "filled by linear interpolation" if fill_long else "left as NaN"
        _warn(f"{opts.where}: {len(real_gaps)} gap(s) longer than {opts.max_gap_s:g} s {what} (listed in "
              f"meta['gaps']); the longest is {max(b - a for a, b in real_gaps):.3g} s")
    meta["gaps"] = real_gaps
    factors = _convert_units(data, raw, opts, rate, meta)
    if raw.start_time is not None:
        meta["start_time"] = str(raw.start_time)
    if opts.meta:
        meta.update(opts.meta)
    side = opts.side if opts.side is not None else meta.get("side")
    placement = opts.placement if opts.placement != "unknown" else meta.get("placement", "unknown")
    # one block: no copy when the frame is made.  A block the caller hands over (the channels
    # still the rows read from the file: nothing filled, resampled or trimmed) is scaled in place
    owned = _rows_of_one_block(data, channels) if take_over else None
    block = owned if owned is not None else np.empty((len(channels), len(data["acc_x"])))
    lows, highs = np.empty(len(channels)), np.empty(len(channels))
    for i, c in enumerate(channels):
        row = block[i]
        if owned is None or factors[c] != 1.0:  # x * 1.0 == x: an owned row with factor 1 is final
            np.multiply(data[c], factors[c], out=row)
        lows[i], highs[i] = row.min(), row.max()  # while the row is in cache; NaN/inf propagate
    _check_range(block, channels, meta, opts.where, lows, highs)
    frame = pd.DataFrame(block.T, columns=list(channels), copy=False)
    # the frame and its block were made here (or handed over) and nothing else refers to them:
    # the Recording takes them over instead of copying (17 MB for an hour at 100 Hz)
    return Recording._adopt(frame, rate, placement=placement, side=side, meta=meta)
