"""Read accelerometer/IMU files into :class:`~retrogait.recording.Recording` objects.

``read(path)`` sniffs the format (``meta['format']`` says which), converts units once
(acceleration to m/s², angular rate to deg/s), puts the samples on a uniform time grid
and records what it found and decided in ``meta``.  See :func:`read` for the rules.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from retrogait.errors import InputError, RetrogaitWarning

# importing the family modules registers their formats
from retrogait.io import containers as _containers  # noqa: F401
from retrogait.io import generic_format as _generic_format  # noqa: F401
from retrogait.io import imu as _imu  # noqa: F401
from retrogait.io import phones as _phones  # noqa: F401
from retrogait.io import registry as _registry
from retrogait.io import research as _research  # noqa: F401
from retrogait.io.assemble import (
    DEFAULT_MAX_GAP_S,
    Options,
    RawSignals,
    _build_recording_taking_over,
    build_recording,
)
from retrogait.io.csv_generic import peek
from retrogait.io.writers import write_json, write_table
from retrogait.recording import Recording

__all__ = ["read", "read_many", "inspect", "detect_format", "write_table", "write_json", "FORMATS"]

FORMATS = _registry.FORMATS
_BINARY_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".mat": "mat"}
_UNSUPPORTED = {
    ".xlsx": "Excel workbook; save the sheet as CSV", ".xls": "Excel workbook; save the sheet as CSV",
    ".zip": "zip archive; unzip it and read the CSV inside (e.g. phyphox or Sensor Logger exports)",
    ".gz": "compressed file; decompress it first", ".cwa": "Axivity binary; export CSV with OmGui or cwa-convert",
    ".gt3x": "ActiGraph binary; export a RAW CSV with ActiLife", ".bin": "binary file (GENEActiv?); export CSV",
    ".fit": "Garmin FIT binary; convert it to CSV first",
}


def _prepare(path: str | os.PathLike[str], fmt: str) -> tuple[Path, str, list[str], str]:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path: expected a str or path-like, found {type(path).__name__}")
    p = Path(path)
    if not p.exists():
        # a relative path is looked up from the working folder, which is often not where
        # the user thinks (a notebook's folder, the folder a script was started from)
        where = "" if p.is_absolute() else f" (relative to the working folder {Path.cwd()})"
        raise InputError(f"{p}: file not found{where}")
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(f"{p}: format={fmt!r} unknown; expected 'auto' or one of {sorted(FORMATS)}")
    unsupported = _UNSUPPORTED.get(p.suffix.lower())
    if unsupported:
        raise InputError(f"{p}: {unsupported}")
    binary = _BINARY_SUFFIXES.get(p.suffix.lower())
    if binary and fmt in ("auto", binary):
        return p, binary, [], "utf-8"
    lines, encoding = peek(p)
    detected = _registry.detect(p, lines) if fmt == "auto" else fmt
    return p, detected, lines, encoding


def detect_format(path: str | os.PathLike[str]) -> str:
    """Name of the format ``read(path)`` would use (see ``FORMATS``).

    Parquet (``.parquet``, ``.pq``) and MATLAB (``.mat``) files are recognised by their
    suffix.  For a text file, the name and first lines (at most 160) are shown to each
    registered detector, most specific layouts first (device exports, then phone apps);
    a delimited table that no detector claims is ``'csv'``, the generic reader.  Only
    the head of the file is read.

    Parameters
    ----------
    path : str or path-like
        The file to look at (CSV/TXT export, ``.parquet``/``.pq``, ``.mat``, Movesense
        JSON).

    Returns
    -------
    str
        A key of ``FORMATS`` (e.g. ``'phyphox'``, ``'sensor_logger'``, ``'actigraph'``,
        ``'parquet'``, ``'csv'``); ``meta['format']`` of the Recording that
        :func:`read` returns holds the same name.

    Raises
    ------
    InputError
        If ``path`` does not exist, is empty, a directory or binary data, or has a
        suffix that cannot be read (``.xlsx``, ``.zip``, ``.gt3x``, ... with a hint on
        how to export CSV).
    TypeError
        If ``path`` is not a str or path-like.

    Examples
    --------
    A phyphox export starts with a quoted ``"Time (s)"`` header; an ordinary table with
    standard column names falls through to the generic reader:

    >>> import tempfile, pathlib
    >>> from retrogait.io import detect_format
    >>> samples = [f"{i / 100:.2f},0.0,0.0,9.81" for i in range(50)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = pathlib.Path(tmp)
    ...     header = '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"'
    ...     _ = (folder / "Accelerometer.csv").write_text("\\n".join([header] + samples) + "\\n")
    ...     _ = (folder / "walk.csv").write_text("\\n".join(["time,acc_x,acc_y,acc_z"] + samples) + "\\n")
    ...     print(detect_format(folder / "Accelerometer.csv"), detect_format(folder / "walk.csv"))
    phyphox csv

    Once the temporary folder is gone, so is the file, and the error names it:

    >>> detect_format(folder / "walk.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: ...walk.csv: file not found
    """
    return _prepare(path, "auto")[1]


def _raw(path: str | os.PathLike[str], fmt: str, columns: Mapping[Any, str] | None, sensor: str | None,
         acc_unit: str | float | None, gyr_unit: str | float | None, sampling_rate_hz: float | None = None
         ) -> tuple[Path, str, RawSignals | dict[str, RawSignals]]:
    p, detected, lines, encoding = _prepare(path, fmt)
    ctx = _registry.Context(where=str(p), lines=lines, encoding=encoding, columns=columns, sensor=sensor,
                            acc_unit=acc_unit, gyr_unit=gyr_unit, sampling_rate_hz=sampling_rate_hz)
    try:
        raw = FORMATS[detected].read(p, ctx)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OSError, UnicodeDecodeError, OverflowError) as err:
        if isinstance(err, TypeError) and str(err).startswith(str(p)):
            raise
        raise InputError(f"{p}: could not read as {detected!r}: {type(err).__name__}: {err}") from None
    return p, detected, raw


def read(
    path: str | os.PathLike[str],
    *,
    format: str = "auto",
    sampling_rate_hz: float | None = None,
    placement: str = "unknown",
    side: str | None = None,
    acc_unit: str | float | None = None,
    gyr_unit: str | float | None = None,
    columns: Mapping[Any, str] | None = None,
    meta: Mapping[str, Any] | None = None,
    sensor: str | None = None,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    long_gaps: str = "interpolate",
    allow_linear_acceleration: bool = False,
) -> Recording:
    """Read one sensor's recording from a file.

    Parameters
    ----------
    path : str or path-like
        CSV/TXT export of a device or app, Parquet, MATLAB ``.mat`` or Movesense JSON.
    format : str, keyword-only
        ``'auto'`` (sniffed from name, header and content) or a name in ``FORMATS``
        (``'csv'`` forces the generic reader).
    sampling_rate_hz : float, optional
        Rate in Hz.  Needed when the file has neither a time column nor a rate in its
        header; when the file has timestamps it must agree with them within 5 %.
    placement : str, default 'unknown'
        Stored in the Recording: one of ``foot, shank, thigh, lower_back, wrist, phone,
        unknown``; ``'unknown'`` lets a placement found in the file stand.
    side : {None, 'left', 'right'}, optional
        Stored in the Recording; None lets a side found in the file (sensor label) stand.
    acc_unit : {None, 'g', 'mg', 'm/s^2'} or float, optional
        Accelerometer unit of the file (a float is a factor to m/s²).  Default: from the
        column names or units row, else inferred from the magnitude at rest (warning).
    gyr_unit : {None, 'deg/s', 'rad/s'} or float, optional
        Gyroscope unit (a float is a factor to deg/s); default from the names, else
        inferred from the angular-rate range (warning).
    columns : mapping, optional
        File column -> ``time``/``acc_x`` ... ``gyr_z`` (0-based positions for files
        without a header row); overrides the name aliases.
    meta : mapping, optional
        Merged into the Recording's meta (after what the reader found).
    sensor : str, optional
        Which sensor of a multi-sensor file (gaitmap two-row header, APDM) to read.
    max_gap_s : float, keyword-only
        Longest gap (missing time or NaN run) filled silently apart from a warning;
        longer gaps are listed in ``meta['gaps']`` and warned about.  Default 0.1 s.
    long_gaps : {'interpolate', 'nan'}, keyword-only
        What longer gaps hold: a linear interpolation (default; the analysis needs finite
        samples and a straight line holds no gait event) or NaN.
    allow_linear_acceleration : bool, keyword-only
        Read acceleration without gravity (phyphox "Linear Accelerometer", Android
        linear_acceleration) instead of refusing it.  Event detectors expect gravity.

    Returns
    -------
    Recording
        acc in m/s², gyr in deg/s, uniform rate.  ``meta`` holds ``source_file``,
        ``format``, ``acc_unit``/``gyr_unit`` found and ``acc_unit_inferred``/
        ``gyr_unit_inferred``, ``rate_source``, ``resampled``, ``gaps``, ``columns``,
        ``start_time`` when known and device details from the header.

    Raises
    ------
    InputError
        For a missing or empty file, no numeric table, missing accelerometer columns,
        time going backwards, a rate contradicting the timestamps, units that cannot be
        inferred, gravity-free acceleration, and every other unreadable input; the message
        names the file and the column.

    Warns
    -----
    RetrogaitWarning
        When a unit is inferred, timestamps are resampled, gaps are filled or left NaN,
        rows are skipped.

    See Also
    --------
    read_many : every sensor of a multi-sensor file.
    inspect : describe a file without raising.

    Notes
    -----
    Unit, time and gap rules are documented in :mod:`retrogait.io.units`,
    :mod:`retrogait.io.timeconv` and :mod:`retrogait.io.assemble`.

    Examples
    --------
    A two-second generic CSV at 100 Hz, acceleration already in m/s²:

    >>> import tempfile, pathlib
    >>> from retrogait.io import read
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rows = ["time,acc_x,acc_y,acc_z"] + [f"{i / 100:.2f},0.0,0.0,9.81" for i in range(200)]
    >>> _ = (folder / "walk.csv").write_text("\\n".join(rows) + "\\n")
    >>> rec = read(folder / "walk.csv", acc_unit="m/s^2", placement="foot")
    >>> rec.sampling_rate_hz
    100.0
    >>> rec.meta["format"], rec.meta["acc_unit"], rec.meta["acc_unit_inferred"]
    ('csv', 'm/s^2', False)
    >>> rec.n_samples, rec.duration_s, rec.placement
    (200, 2.0, 'foot')
    >>> list(rec.data.columns)
    ['acc_x', 'acc_y', 'acc_z']
    """
    if max_gap_s < 0 or not np.isfinite(max_gap_s):
        raise InputError(f"max_gap_s: expected a finite number >= 0, found {max_gap_s!r}")
    if sampling_rate_hz is not None and (not np.isfinite(sampling_rate_hz) or sampling_rate_hz <= 0):
        raise InputError(f"sampling_rate_hz: expected a positive number, found {sampling_rate_hz!r}")
    p, detected, raw = _raw(path, format, columns, sensor, acc_unit, gyr_unit, sampling_rate_hz)
    if isinstance(raw, dict):
        if sensor is None:
            raise InputError(f"{p}: holds several sensors {list(raw)}; pass sensor= or use retrogait.io.read_many")
        if sensor not in raw:
            raise InputError(f"{p}: sensor={sensor!r} not found; the file has sensors {list(raw)}")
        raw = raw[sensor]
    # raw was made by the format reader for this call alone: its memory may become the Recording's
    return _finish(p, detected, raw, sampling_rate_hz, placement, side, acc_unit, gyr_unit, meta, max_gap_s,
                   allow_linear_acceleration, long_gaps, take_over=True)


def _finish(p: Path, detected: str, raw: RawSignals, sampling_rate_hz: float | None, placement: str,
            side: str | None, acc_unit: str | float | None, gyr_unit: str | float | None,
            meta: Mapping[str, Any] | None, max_gap_s: float, allow_linear: bool,
            long_gaps: str = "interpolate", take_over: bool = False) -> Recording:
    raw.meta.setdefault("source_file", str(p))
    opts = Options(where=str(p), format=detected, sampling_rate_hz=sampling_rate_hz, placement=placement,
                   side=side, acc_unit=acc_unit, gyr_unit=gyr_unit, meta=meta, allow_linear=allow_linear,
                   max_gap_s=max_gap_s, long_gaps=long_gaps)
    try:
        return _build_recording_taking_over(raw, opts) if take_over else build_recording(raw, opts)
    except InputError:
        raise
    except (ValueError, IndexError, FloatingPointError, OverflowError) as err:
        raise InputError(f"{p}: could not build a recording: {type(err).__name__}: {err}") from None


def read_many(path: str | os.PathLike[str], *, format: str = "auto", **options: Any) -> dict[str, Recording]:
    """Read every sensor of a file: ``{sensor name: Recording}``.

    Multi-sensor files (gaitmap two-row header, APDM with several sensors) give one entry
    per sensor, with ``side``/``placement`` taken from the sensor label where it says so
    (``left_sensor`` -> left; ``Right Foot`` -> foot, right).  A one-sensor file gives one
    entry.

    Parameters
    ----------
    path : str or path-like
        The file (any format :func:`read` accepts).
    format : str, keyword-only
        ``'auto'`` or a name in ``FORMATS``, as for :func:`read`.
    **options
        Keyword options of :func:`read` (``sampling_rate_hz`` in Hz, ``acc_unit``,
        ``gyr_unit``, ``placement``, ``side``, ``max_gap_s`` in s, ...), without ``sensor``;
        they apply to every sensor.

    Returns
    -------
    dict of str to Recording
        One Recording per sensor (acc in m/s², gyr in deg/s, uniform rate), keyed by the
        sensor's name (``Recording.name``) in file order.

    Raises
    ------
    InputError
        If ``sensor`` is passed, and for every input :func:`read` refuses (the message
        names the file and the column).
    TypeError
        If ``path`` is not a str or path-like.

    Warns
    -----
    RetrogaitWarning
        As :func:`read` (inferred units, resampling, gaps, skipped rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from retrogait.io import read_many
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rows = ["time,acc_x,acc_y,acc_z"] + [f"{i / 50:.2f},0.0,0.0,1.0" for i in range(100)]
    >>> _ = (folder / "one_sensor.csv").write_text("\\n".join(rows) + "\\n")
    >>> recs = read_many(folder / "one_sensor.csv", acc_unit="g")
    >>> list(recs)
    ['unknown']
    >>> rec = recs["unknown"]
    >>> rec.sampling_rate_hz, rec.meta["format"]
    (50.0, 'csv')
    >>> round(float(rec.data["acc_z"].iloc[0]), 3)  # 1 g in m/s²
    9.807
    """
    if "sensor" in options:
        raise InputError("read_many: 'sensor' is not an option here; it reads every sensor")
    p, detected, lines, encoding = _prepare(path, format)
    if detected == "csv":
        from retrogait.io.csv_generic import sensor_groups
        from retrogait.io.sniff import sniff

        groups = sensor_groups(lines, sniff(lines, where=str(p)))
        if groups:
            return {g: read(p, format=format, sensor=g, **options) for g in groups}
    p, detected, raw = _raw(p, format, options.get("columns"), None, options.get("acc_unit"),
                            options.get("gyr_unit"), options.get("sampling_rate_hz"))
    kwargs = {k: options.get(k) for k in ("sampling_rate_hz", "acc_unit", "gyr_unit", "meta")}
    if isinstance(raw, dict):
        return {name: _finish(p, detected, r, kwargs["sampling_rate_hz"], options.get("placement", "unknown"),
                              options.get("side"), kwargs["acc_unit"], kwargs["gyr_unit"], kwargs["meta"],
                              options.get("max_gap_s", DEFAULT_MAX_GAP_S),
                              options.get("allow_linear_acceleration", False),
                              options.get("long_gaps", "interpolate")) for name, r in raw.items()}
    rec = read(p, format=format, **options)
    return {rec.name: rec}


def inspect(path: str | os.PathLike[str], **options: Any) -> dict[str, Any]:
    """Describe a file without raising: format, rate, duration, units, channels, problems.

    Errors and warnings are collected in ``problems`` (a list of strings); ``ok`` is False
    when the file cannot be read.

    Parameters
    ----------
    path : str or path-like
        The file to describe.
    **options
        Keyword options of :func:`read_many` / :func:`read` (``format``,
        ``sampling_rate_hz`` in Hz, ``acc_unit``, ...).

    Returns
    -------
    dict
        ``path``, ``ok`` (bool), ``problems`` (list of str), ``format`` (when it could be
        detected) and ``sensors`` (sensor name -> dict with ``sampling_rate_hz`` (Hz),
        ``duration_s`` (s), ``n_samples``, ``channels``, ``acc_unit``,
        ``acc_unit_inferred``, ``gyr_unit``, ``gyr_unit_inferred``, ``resampled``, ``gaps``
        and ``start_time``).  For a one-sensor file that sensor's entries are also at the
        top level.

    Raises
    ------
    Nothing for unreadable input: :class:`~retrogait.errors.InputError` and ``TypeError``
    become ``problems``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from retrogait.io import inspect
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rows = ["time,acc_x,acc_y,acc_z"] + [f"{i / 100:.2f},0.0,0.0,9.81" for i in range(200)]
    >>> _ = (folder / "walk.csv").write_text("\\n".join(rows) + "\\n")
    >>> info = inspect(folder / "walk.csv", acc_unit="m/s^2")
    >>> info["ok"], info["format"], info["sampling_rate_hz"], info["duration_s"]
    (True, 'csv', 100.0, 2.0)
    >>> info["channels"], info["problems"]
    (['acc_x', 'acc_y', 'acc_z'], [])
    >>> bad = inspect(folder / "missing.csv")
    >>> bad["ok"], bad["problems"][0].endswith("missing.csv: file not found")
    (False, True)
    """
    info: dict[str, Any] = {"path": str(path), "ok": False, "problems": []}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RetrogaitWarning)
        try:
            info["format"] = detect_format(path) if options.get("format", "auto") == "auto" else options["format"]
            recs = read_many(path, **options)
        except (InputError, TypeError) as err:
            info["problems"].append(str(err))
            recs = {}
    info["problems"].extend(str(w.message) for w in caught if issubclass(w.category, RetrogaitWarning))
    info["sensors"] = {}
    for name, rec in recs.items():
        info["sensors"][name] = {
            "sampling_rate_hz": rec.sampling_rate_hz,
            "duration_s": rec.duration_s,
            "n_samples": rec.n_samples,
            "channels": [str(c) for c in rec.data.columns],
            "acc_unit": rec.meta.get("acc_unit"),
            "acc_unit_inferred": rec.meta.get("acc_unit_inferred"),
            "gyr_unit": rec.meta.get("gyr_unit"),
            "gyr_unit_inferred": rec.meta.get("gyr_unit_inferred"),
            "resampled": rec.meta.get("resampled"),
            "gaps": rec.meta.get("gaps"),
            "start_time": rec.meta.get("start_time"),
        }
    info["ok"] = bool(recs)
    if len(recs) == 1:
        info.update(next(iter(info["sensors"].values())))
    return info
