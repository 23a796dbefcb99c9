"""Container formats: Parquet tables and MATLAB ``.mat`` files, read with a column mapping.

Parquet: the same column rules as CSV (aliases, units in names, time column).  A
``DatetimeIndex`` or a datetime column is used as time.

MATLAB: ``scipy.io.loadmat`` (v4-v7.2 files; v7.3 HDF5 files are refused with a hint).
Variables are found as (a) a struct or variables named like columns (``acc_x`` ...,
``time``), (b) an (n, >=3) numeric matrix whose columns are given by ``columns=``
(0-based position -> name) or default to ``acc_x, acc_y, acc_z[, gyr_x, gyr_y, gyr_z]``,
(c) variables ``acc``/``gyr`` (n, 3).  MATLAB timetables (MATLAB Mobile) are opaque
objects to scipy: export them to CSV in MATLAB.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import columns as _columns
from retrogait.io import timeconv as _time
from retrogait.io import units as _units
from retrogait.io.assemble import RawSignals
from retrogait.io.registry import Context, register


def frame_to_raw(frame: pd.DataFrame, *, where: str, columns: Mapping[Any, str] | None) -> RawSignals:
    """Pick channels and time out of a DataFrame by the CSV column rules.

    Column names are matched as in a CSV header (``retrogait.io.columns``), units in
    the names are kept as the file units, and the time is taken from a time column
    (numbers in the unit its name gives, datetimes, or date text) or else from a
    ``DatetimeIndex``.  Used for Parquet tables and MATLAB variables.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read; it is not modified.
    where : str, keyword-only
        The file as named in error messages.
    columns : mapping or None, keyword-only
        Frame column -> standard name (``time``, ``acc_x`` ... ``gyr_z``), the caller's
        ``columns=``; None to rely on the name aliases.

    Returns
    -------
    RawSignals
        Channels in the file's units, ``time_s`` in s from the first sample (None
        without a time), ``acc_unit``/``gyr_unit`` from the names when they say, and
        ``meta['columns']`` (standard name -> frame column).

    Raises
    ------
    InputError
        If a column named in ``columns`` is not in the frame, the three accelerometer
        axes are not all found (the message lists the columns there are), a chosen
        channel column is not numeric (more than 1 % of its values are not numbers;
        the message names the column), or the time column cannot be read.

    Examples
    --------
    Units in the names (g and deg/s) become the file units; the values are not yet
    converted:

    >>> import pandas as pd
    >>> from retrogait.io.containers import frame_to_raw
    >>> frame = pd.DataFrame({"Time (s)": [0.0, 0.01, 0.02],
    ...                       "Acc_X (g)": [0.0, 0.1, 0.2], "Acc_Y (g)": [0.0] * 3, "Acc_Z (g)": [1.0] * 3,
    ...                       "Gyr_X (deg/s)": [1.0, 2.0, 3.0], "Gyr_Y (deg/s)": [0.0] * 3,
    ...                       "Gyr_Z (deg/s)": [0.0] * 3})
    >>> raw = frame_to_raw(frame, where="trial.parquet", columns=None)
    >>> raw.acc_unit, raw.gyr_unit, raw.time_column
    ('g', 'deg/s', 'Time (s)')
    >>> raw.signals["acc_x"].tolist(), raw.time_s.tolist()
    ([0.0, 0.1, 0.2], [0.0, 0.01, 0.02])

    A ``DatetimeIndex`` is the time when no column is:

    >>> idx = pd.date_range("2024-05-01 10:00", periods=3, freq="10ms")
    >>> raw = frame_to_raw(pd.DataFrame({"acc_x": [0.0] * 3, "acc_y": [0.0] * 3, "acc_z": [9.81] * 3},
    ...                                 index=idx), where="trial.parquet", columns=None)
    >>> raw.time_s.tolist(), str(raw.start_time)
    ([0.0, 0.01, 0.02], '2024-05-01 10:00:00')

    Missing accelerometer axes are reported with the columns found:

    >>> two_axes = pd.DataFrame({"ax": [1.0, 2.0], "ay": [1.0, 2.0]})
    >>> frame_to_raw(two_axes, where="t.pq", columns=None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: t.pq: missing accelerometer column(s) [...]; found columns ['ax', 'ay']; ...
    """
    frame = frame.copy()
    if isinstance(frame.index, pd.DatetimeIndex):
        frame.insert(0, "__index_time", frame.index)
    frame.columns = [str(c) for c in frame.columns]
    names = list(frame.columns)
    if columns:
        missing = [k for k in columns if str(k) not in names]
        if missing:
            raise InputError(f"{where}: columns: column(s) {missing} not found; found {names}")
        mapping = {str(k): v for k, v in columns.items()}
    else:
        mapping = None
    choice = _columns.choose_columns(names, None, mapping=mapping)
    chosen = dict(choice.columns)
    if "time" not in chosen and "__index_time" in names:
        chosen["time"] = "__index_time"
    missing_acc = [c for c in ("acc_x", "acc_y", "acc_z") if c not in chosen]
    if missing_acc:
        raise InputError(f"{where}: missing accelerometer column(s) {missing_acc}; found columns "
                         f"{[n for n in names if n != '__index_time']}; map them with columns=")
    signals: dict[str, np.ndarray] = {}
    for std, col in chosen.items():
        if std == "time":
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.isna().sum() > 0.01 * len(values) + frame[col].isna().sum():
            raise InputError(f"{where}: column {col!r} ({std}) is not numeric")
        signals[std] = values.to_numpy(dtype=float)
    raw = RawSignals(signals=signals, linear_only=choice.linear_only)
    acc_units = [choice.units.get(f"acc_{a}") for a in "xyz"]
    gyr_units = [choice.units.get(f"gyr_{a}") for a in "xyz"]
    raw.acc_unit = next((_units.canonical_acc_unit(u) for u in acc_units if u and _units.canonical_acc_unit(u)),
                        None)
    raw.gyr_unit = next((_units.canonical_gyr_unit(u) for u in gyr_units if u and _units.canonical_gyr_unit(u)),
                        None)
    if "time" in chosen:
        col = chosen["time"]
        values = frame[col]
        raw.time_column = col
        if pd.api.types.is_datetime64_any_dtype(values):
            raw.time_s, raw.start_time = _time.datetime_to_seconds(values, where=where, name=col)
        elif pd.api.types.is_numeric_dtype(values):
            unit = _units.canonical_time_unit(choice.units.get("time") or "")
            raw.time_s, raw.start_time, _ = _time.numeric_to_seconds(values.to_numpy(), unit=unit, where=where,
                                                                     name=col)
        else:
            stamps = _time.text_to_datetime(values.astype(str), where=where, name=col)
            raw.time_s, raw.start_time = _time.datetime_to_seconds(stamps, where=where, name=col)
    raw.meta["columns"] = {k: v for k, v in chosen.items() if v != "__index_time"}
    return raw


def _read_parquet(path: Path, ctx: Context) -> RawSignals:
    try:
        frame = pd.read_parquet(path)
    except (ImportError, OSError, ValueError) as err:
        raise InputError(f"{path}: not a readable Parquet file ({err})") from None
    if frame.empty:
        raise InputError(f"{path}: the Parquet table has no rows")
    return frame_to_raw(frame, where=ctx.where, columns=ctx.columns)


def _mat_frame(path: Path, columns: Mapping[Any, str] | None) -> tuple[pd.DataFrame, Mapping[Any, str] | None]:
    from scipy.io import loadmat

    try:
        content = loadmat(path, squeeze_me=True, struct_as_record=False)
    except RuntimeError:  # scipy refuses v7.3 (HDF5) files with a RuntimeError subclass
        raise InputError(f"{path}: MATLAB v7.3 (HDF5) file; save it with -v7 or export to CSV") from None
    except (ValueError, OSError, TypeError) as err:
        raise InputError(f"{path}: not a readable MATLAB file ({err})") from None
    variables = {k: v for k, v in content.items() if not k.startswith("__")}
    for value in list(variables.values()):
        if hasattr(value, "_fieldnames"):  # a MATLAB struct: its fields become variables
            variables.update({f: getattr(value, f) for f in value._fieldnames})
    vectors = {k: np.asarray(v, dtype=float) for k, v in variables.items()
               if isinstance(v, np.ndarray) and v.dtype.kind in "fiu" and v.ndim == 1 and v.size > 1}
    matrices = {k: np.asarray(v, dtype=float) for k, v in variables.items()
                if isinstance(v, np.ndarray) and v.dtype.kind in "fiu" and v.ndim == 2 and min(v.shape) >= 3}
    if vectors and len({v.size for v in vectors.values()}) == 1 and len(vectors) >= 3:
        return pd.DataFrame(vectors), columns
    for key in ("acc", "accel", "acceleration", "accelerometer"):
        if key in matrices:
            m = matrices[key] if matrices[key].shape[1] == 3 else matrices[key].T
            frame = pd.DataFrame(m[:, :3], columns=["acc_x", "acc_y", "acc_z"])
            for gkey in ("gyr", "gyro", "gyroscope"):
                if gkey in matrices and len(matrices[gkey]) == len(frame):
                    frame[["gyr_x", "gyr_y", "gyr_z"]] = matrices[gkey][:, :3]
            for tkey in ("time", "t", "timestamp"):
                if tkey in vectors and vectors[tkey].size == len(frame):
                    frame["time"] = vectors[tkey]
            return frame, columns
    if len(matrices) == 1 or (columns and any(isinstance(k, int) for k in columns) and matrices):
        name, m = max(matrices.items(), key=lambda kv: kv[1].size)
        if m.shape[0] < m.shape[1]:
            m = m.T
        if columns:
            frame = pd.DataFrame({std: m[:, int(k)] for k, std in columns.items()})
        else:
            default = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"][: min(m.shape[1], 6)]
            if m.shape[1] not in (3, 6):
                raise InputError(f"{path}: matrix {name!r} has {m.shape[1]} columns; say which is which with "
                                 "columns={position: 'acc_x', ...}")
            frame = pd.DataFrame(m[:, : len(default)], columns=default)
        return frame, None
    raise InputError(f"{path}: no accelerometer data found among variables {sorted(variables)}; expected "
                     "acc_x/acc_y/acc_z vectors, an 'acc' matrix or one (n, 3|6) matrix with columns=")


def _read_mat(path: Path, ctx: Context) -> RawSignals:
    frame, columns = _mat_frame(path, ctx.columns)
    return frame_to_raw(frame, where=ctx.where, columns=columns)


register("parquet", lambda path, lines: path.suffix.lower() in (".parquet", ".pq"), _read_parquet,
         "Parquet table with CSV-style column names")
register("mat", lambda path, lines: path.suffix.lower() == ".mat", _read_mat,
         "MATLAB .mat (v4-v7.2) with named vectors, an acc matrix, or a matrix plus columns=")
