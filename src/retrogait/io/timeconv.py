"""Time columns to seconds: numbers in s/ms/µs/ns (elapsed or epoch), spreadsheet days, date text.

Numbers: the unit comes from the column name (``Time (s)``, ``epoc (ms)``), else from the
median sample interval (:func:`retrogait.io.units.infer_time_unit`).  A first value
between 1e8 and 4e9 s (1973-2096) after conversion is an epoch time and gives
``start_time``.  Text: parsed vectorised with pandas — ISO 8601 directly; the device
dialects ``2011-10-09 10:25:02:500`` (GENEActiv, AndroSensor), ``2022-08-05T15.26.13.153``
(MetaWear) and ``2021-08-20_20:21:13_835`` (Xsens DOT) after one vectorised regular
expression; ``M/d/yyyy``-style dates with the order announced by the file or, failing
that, the first order that parses every sampled row in time order.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import units as _units
from retrogait.io.warn import warn

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DIALECT = (
    r"^\s*(\d{4}-\d{1,2}-\d{1,2})[T _](\d{1,2})[:.\-](\d{1,2})[:.\-](\d{1,2})(?:[:.,_](\d+))?:?"
    r"(?:\s*(?:GMT|UTC)?\s*([+-]\d{1,2}(?::?\d{2})?))?\s*$"
)
_FORMATS = (
    "%m/%d/%Y %H:%M:%S.%f", "%d/%m/%Y %H:%M:%S.%f", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f", "%d.%m.%Y %H:%M:%S", "%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S.%f %p", "%m/%d/%Y %I:%M:%S %p",
)
#: Largest share of time cells that may be unreadable (rows dropped with a warning).
MAX_BAD_TIME_FRACTION = 0.01


def numeric_to_seconds(values: np.ndarray, *, unit: str | None, where: str, name: str
                       ) -> tuple[np.ndarray, pd.Timestamp | None, str]:
    """Numeric time column to seconds from the first sample.

    Without a unit, the median positive interval among the first 100 000 (or the mean
    interval when more than 5 % of the intervals are not positive) chooses it with
    `retrogait.io.units.infer_time_unit` (5-5000 Hz).  A first value between 1e8 and
    4e9 s after conversion (1973-2096) is a Unix epoch time and gives ``start_time``.

    Parameters
    ----------
    values : ndarray
        Raw time values (int or float), NaN allowed.  Integer values are subtracted
        before conversion, so nanosecond epochs keep their precision.
    unit : str or None, keyword-only
        ``'s'``, ``'ms'``, ``'us'``, ``'ns'``, ``'days'`` (spreadsheet serial days since
        1899-12-30) or None to infer from the median interval.
    where : str, keyword-only
        Name of the file, used in error messages.
    name : str, keyword-only
        Name of the time column, used in error messages.

    Returns
    -------
    seconds : ndarray of float
        Time in s from the first finite value, same length as ``values`` (NaN where the
        value is NaN).
    start_time : pandas.Timestamp or None
        Absolute time of the first sample when the values are epoch or spreadsheet times,
        else None.
    unit : str
        The unit used (given or inferred).

    Raises
    ------
    InputError
        If ``values`` has no finite value; if, with ``unit=None``, the values never
        increase or the typical interval fits no unit for 5-5000 Hz.

    Examples
    --------
    Milliseconds at 100 Hz, the unit inferred from the 10-unit interval:

    >>> import numpy as np
    >>> from retrogait.io.timeconv import numeric_to_seconds
    >>> seconds, start, unit = numeric_to_seconds(np.array([0, 10, 20, 30]), unit=None,
    ...                                           where="walk.csv", name="time")
    >>> seconds.tolist(), start is None, unit
    ([0.0, 0.01, 0.02, 0.03], True, 'ms')

    Microseconds named in the column header, and a Unix epoch in milliseconds, which also
    gives the start time:

    >>> numeric_to_seconds(np.array([0.0, 4000.0, 8000.0]), unit="us", where="walk.csv",
    ...                    name="t (us)")[0].tolist()
    [0.0, 0.004, 0.008]
    >>> seconds, start, unit = numeric_to_seconds(
    ...     np.array([1_700_000_000_000, 1_700_000_000_010]), unit=None, where="walk.csv", name="epoc")
    >>> seconds.tolist(), str(start), unit
    ([0.0, 0.01], '2023-11-14 22:13:20', 'ms')

    A clock that never moves cannot give a sampling rate:

    >>> numeric_to_seconds(np.array([5.0, 5.0, 5.0]), unit=None, where="walk.csv", name="time")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: walk.csv: time column 'time' never increases; cannot derive a sampling rate
    """
    if values.dtype.kind == "f" and np.isfinite(values.sum()):  # fast path: no NaN or inf (one pass, no mask)
        finite = values
    elif values.dtype.kind == "f":
        finite_mask = np.isfinite(values)
        if not finite_mask.any():
            raise InputError(f"{where}: time column {name!r} has no numeric values")
        start = int(np.argmax(finite_mask))
        finite = values[start:][finite_mask[start:]] if not finite_mask[start:].all() else values[start:]
    else:
        finite = values
    if finite.size == 0:
        raise InputError(f"{where}: time column {name!r} has no numeric values")
    first = finite[0]
    if unit == "days":
        seconds = (values - first).astype(float) * 86400.0
        return seconds, EXCEL_EPOCH + pd.to_timedelta(float(first), unit="D"), "days"
    if unit is None:
        steps = np.diff(np.asarray(finite[: 100_001], dtype=float))  # the first 100 000 intervals tell the unit
        positive = steps[steps > 0]
        if positive.size == 0:
            raise InputError(f"{where}: time column {name!r} never increases; cannot derive a sampling rate")
        typical = float(np.median(positive)) if positive.size >= 0.95 * steps.size else float(
            (finite[-1] - finite[0]) / (finite.size - 1))
        unit = _units.infer_time_unit(typical)
        if unit is None:
            raise InputError(
                f"{where}: time column {name!r}: typical interval {typical:g} fits no time unit "
                "for 5-5000 Hz; name the unit in the column (e.g. 'time (ms)') or pass sampling_rate_hz "
                "and columns= without the time column"
            )
    factor = _units.TIME_UNITS[unit]
    # one new array, scaled in place (a unit factor of 1 is left out: x * 1.0 == x)
    seconds = (values - first).astype(float) if values.dtype.kind in "iu" else values - float(first)
    if factor != 1.0:
        seconds *= factor
    start_time = None
    first_s = float(first) * factor
    if 1e8 < first_s < 4e9:
        start_time = pd.Timestamp(int(first), unit=unit) if values.dtype.kind in "iu" else pd.to_datetime(
            first_s, unit="s")
    return seconds, start_time, unit


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(text, format=fmt, errors="coerce")


#: Share of the sampled cells a date/time layout must parse to be chosen (one or two
#: corrupt stamps among the first 50 do not reject a layout).
LAYOUT_MIN_SHARE = 0.95


def text_to_datetime(values: pd.Series, *, where: str, name: str, fmt: str | None = None,
                     day_first: bool | None = None) -> pd.Series:
    """Parse date-time text vectorised; returns datetime64 values (NaT where unreadable).

    The layout is chosen on the first 50 non-missing cells, of which at least
    ``LAYOUT_MIN_SHARE`` (95 %) must parse, so that one corrupt stamp near the start does
    not reject the column (it becomes NaT like a corrupt stamp further down):
    ISO 8601; then the device dialects ``2011-10-09 10:25:02:500`` (GENEActiv,
    AndroSensor), ``2022-08-05T15.26.13.153`` (MetaWear), ``2021-08-20_20:21:13_835``
    (Xsens DOT), read as local time unless a UTC offset follows (``+01:00``), which
    is applied (the result is then UTC, as for ISO text with an offset); then ``M/d/yyyy``, ``d/M/yyyy``, ``d.M.yyyy`` and
    ``d-Mon-yyyy`` layouts with ``hh:mm:ss[.fff]``, month first unless ``day_first`` is
    True, keeping the first layout that parses every sampled cell in time order.

    Parameters
    ----------
    values : pandas.Series
        The time column as text.
    where : str, keyword-only
        Name of the file, used in error messages.
    name : str, keyword-only
        Name of the time column, used in error messages.
    fmt : str or None, keyword-only, default None
        A `strftime` format (e.g. ``'%d.%m.%Y %H:%M:%S'``) to use instead of guessing one.
    day_first : bool or None, keyword-only, default None
        True when the file announces day-first dates (``d/M/yyyy``); None or False tries
        month-first layouts first.

    Returns
    -------
    pandas.Series
        ``datetime64`` values, NaT where a cell is unreadable (see `datetime_to_seconds`
        for the tolerance).

    Raises
    ------
    InputError
        If the column has no non-missing cell, or no known layout parses the sampled cells.

    Examples
    --------
    >>> import pandas as pd
    >>> from retrogait.io.timeconv import text_to_datetime
    >>> text = pd.Series(["2011-10-09 10:25:02:500", "2011-10-09 10:25:02:510"])  # GENEActiv
    >>> [str(t) for t in text_to_datetime(text, where="geneactiv.csv", name="time")]
    ['2011-10-09 10:25:02.500000', '2011-10-09 10:25:02.510000']

    ``3/1/2024`` is 1 March unless the file says the day comes first:

    >>> text = pd.Series(["3/1/2024 12:00:00.000", "3/1/2024 12:00:00.010"])
    >>> str(text_to_datetime(text, where="a.csv", name="time").iloc[0])
    '2024-03-01 12:00:00'
    >>> str(text_to_datetime(text, where="a.csv", name="time", day_first=True).iloc[0])
    '2024-01-03 12:00:00'

    Text that is no date is refused:

    >>> text_to_datetime(pd.Series(["soon", "later"]), where="a.csv", name="stamp")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: a.csv: time column 'stamp': date/time text 'soon' matches no known layout ...
    """
    text = values.astype(str).str.strip()
    if fmt is not None:
        return _to_datetime(text, fmt)
    sample = text[values.notna()].iloc[:50]
    if sample.empty:
        raise InputError(f"{where}: time column {name!r} is empty")
    if _to_datetime(sample, "ISO8601").notna().mean() >= LAYOUT_MIN_SHARE:
        return _to_datetime(text, "ISO8601")
    if sample.str.match(_DIALECT).mean() >= LAYOUT_MIN_SHARE:
        parts = text.str.extract(_DIALECT)
        frac = parts[4].fillna("0")
        iso = parts[0] + " " + parts[1].str.zfill(2) + ":" + parts[2].str.zfill(2) + ":" + parts[3].str.zfill(2) + (
            "." + frac)
        local = _to_datetime(iso, "ISO8601")
        offset = parts[5].dropna()
        if offset.empty:
            return local
        # a stated UTC offset ("+01:00", "+0100", "-5") is applied, as for ISO text: UTC results
        hours_minutes = offset.str.extract(r"^([+-])(\d{1,2}):?(\d{2})?$")
        sign = np.where(hours_minutes[0] == "-", -1.0, 1.0)
        minutes = sign * (hours_minutes[1].astype(float) * 60 + hours_minutes[2].fillna("0").astype(float))
        shift = pd.to_timedelta(pd.Series(minutes, index=offset.index).reindex(text.index).fillna(0.0), unit="min")
        return local - shift
    candidates = list(_FORMATS)
    if day_first is True:
        candidates.sort(key=lambda f: not f.startswith("%d"))
    for candidate in candidates:
        parsed = _to_datetime(sample, candidate)
        if parsed.notna().mean() >= LAYOUT_MIN_SHARE and (parsed.dropna().diff().dropna() >= pd.Timedelta(0)).all():
            return _to_datetime(text, candidate)
    raise InputError(
        f"{where}: time column {name!r}: date/time text {str(sample.iloc[0])[:40]!r} matches no known layout "
        "(ISO 8601, 'YYYY-MM-DD hh:mm:ss:mmm', 'M/d/yyyy hh:mm:ss.fff', ...); pass sampling_rate_hz and "
        "leave out the time column with columns="
    )


def datetime_to_seconds(stamps: pd.Series, *, where: str, name: str) -> tuple[np.ndarray, pd.Timestamp | None]:
    """Seconds from the first valid stamp (NaN where NaT) and that first stamp.

    Time-zone-aware stamps are converted to UTC first.  Up to `MAX_BAD_TIME_FRACTION`
    (1 %) of the stamps may be NaT; they give NaN seconds and a `RetrogaitWarning` (the
    reader drops those rows).

    Parameters
    ----------
    stamps : pandas.Series
        ``datetime64`` values (naive or time-zone aware), e.g. from `text_to_datetime`.
    where : str, keyword-only
        Name of the file, used in error and warning messages.
    name : str, keyword-only
        Name of the time column, used in error and warning messages.

    Returns
    -------
    seconds : ndarray of float
        Time in s from the first valid stamp, same length as ``stamps`` (NaN where NaT).
    start_time : pandas.Timestamp
        The first valid stamp (naive; in UTC when the stamps were time-zone aware).

    Raises
    ------
    InputError
        If ``stamps`` is empty, or more than 1 % of the stamps are NaT.

    Examples
    --------
    ISO text at 4 Hz (250 ms apart), parsed then converted to seconds:

    >>> import pandas as pd
    >>> from retrogait.io.timeconv import datetime_to_seconds, text_to_datetime
    >>> text = pd.Series(["2024-03-01T12:00:00.000", "2024-03-01T12:00:00.250",
    ...                   "2024-03-01T12:00:00.500"])
    >>> stamps = text_to_datetime(text, where="a.csv", name="time")
    >>> seconds, start = datetime_to_seconds(stamps, where="a.csv", name="time")
    >>> seconds.tolist(), str(start)
    ([0.0, 0.25, 0.5], '2024-03-01 12:00:00')

    Stamps with a UTC offset start at the UTC time:

    >>> aware = pd.Series(pd.to_datetime(["2024-03-01T12:00:00+01:00", "2024-03-01T12:00:01+01:00"]))
    >>> seconds, start = datetime_to_seconds(aware, where="a.csv", name="time")
    >>> seconds.tolist(), str(start)
    ([0.0, 1.0], '2024-03-01 11:00:00')

    Too many unreadable stamps:

    >>> stamps = text_to_datetime(pd.Series(["2024-03-01T12:00:00", "x", "y"]), where="a.csv",
    ...                           name="time", fmt="ISO8601")
    >>> datetime_to_seconds(stamps, where="a.csv", name="time")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: a.csv: time column 'time': 2 of 3 values are not readable dates
    """
    series = pd.Series(stamps)
    if series.empty:
        raise InputError(f"{where}: time column {name!r} is empty")
    plain = isinstance(series.dtype, np.dtype) and series.dtype.kind == "M"  # numpy datetime64: no time zone
    if not plain and getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        plain = isinstance(series.dtype, np.dtype)
    # NaT tested on the array itself when it is numpy datetime64 (no pandas mask)
    valid = ~np.isnat(series.to_numpy()) if plain else series.notna().to_numpy()
    n_bad = valid.size - int(np.count_nonzero(valid))
    if n_bad > MAX_BAD_TIME_FRACTION * len(series):
        raise InputError(f"{where}: time column {name!r}: {n_bad} of {len(series)} values are not readable dates")
    if n_bad:
        warn(f"{where}: time column {name!r}: {n_bad} unreadable time value(s); those rows are dropped")
    ns = series.to_numpy(dtype="datetime64[ns]").view("int64")  # read only: a view, not a copy
    first_index = int(np.argmax(valid))  # the first valid stamp (there is one: at most 1 % are NaT)
    first = ns[first_index]
    seconds = np.multiply(ns - first, 1e-9)  # int64 differences (exact) to float, then to s: one new array
    if n_bad:
        seconds[~valid] = np.nan
    return seconds, pd.Timestamp(series.iloc[first_index])
