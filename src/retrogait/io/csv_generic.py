"""Generic delimited text tables: any delimiter, decimal comma, preamble, aliases, units.

Headerless tables are read positionally: a first column that is date text or increases
monotonically is the time, the next three are the accelerometer and, when the table has
at least seven columns and columns 5-7 are not all whole numbers, those are the gyroscope
(the Axivity AX6 layout).  ``columns=`` (file column name, or 0-based position for a
headerless file -> ``acc_x`` ... ``gyr_z`` / ``time``) overrides all of this.

Multi-sensor tables with a two-row header (first row the sensor, second the channel, as
in gaitmap's ``left_sensor``/``right_sensor`` files) hold one Recording per sensor; pick
one with ``sensor=`` or read all with :func:`retrogait.io.read_many`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import columns as _columns
from retrogait.io import sniff as _sniff
from retrogait.io import timeconv as _time
from retrogait.io import units as _units
from retrogait.io.assemble import RawSignals
from retrogait.io.table import read_block

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$")
STANDARD = ("time", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")


def peek(path: Path) -> tuple[list[str], str]:
    r"""First lines of ``path`` (at most 160) and the text encoding.

    Reads at most the first 64 KiB (``retrogait.io.sniff.read_head``); a last line cut
    by that limit is dropped, and a UTF-8 byte-order mark removed.

    Parameters
    ----------
    path : pathlib.Path
        The text file (CSV/TXT) to look at.

    Returns
    -------
    lines : list of str
        The first lines, decoded, without line terminators.
    encoding : str
        ``'utf-8'`` when the head decodes as UTF-8, else ``'latin-1'``; pass it on to
        :func:`read_table`.

    Raises
    ------
    InputError
        If ``path`` does not exist, is a directory, is empty, or holds binary data.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.csv_generic import peek
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "walk.csv"
    ...     _ = path.write_text("time,ax,ay,az\n0.00,0.0,0.0,1.0\n0.01,0.0,0.0,1.0\n", encoding="utf-8")
    ...     peek(path)
    (['time,ax,ay,az', '0.00,0.0,0.0,1.0', '0.01,0.0,0.0,1.0'], 'utf-8')
    """
    head, encoding = _sniff.read_head(path)
    return _sniff.head_lines(head, encoding, complete=len(head) < _sniff.PEEK_BYTES), encoding


def sensor_groups(lines: list[str], dialect: _sniff.Dialect) -> list[str] | None:
    """Sensor labels of a two-row multi-sensor header, or None for a one-sensor table.

    A table is multi-sensor when its column names repeat (``acc_x`` once per sensor)
    and the line above the names has one cell per column naming the sensor, as in
    gaitmap's ``left_sensor``/``right_sensor`` files.

    Parameters
    ----------
    lines : list of str
        The file's first lines (from :func:`peek`).
    dialect : retrogait.io.sniff.Dialect
        The sniffed layout of ``lines`` (``retrogait.io.sniff.sniff``).

    Returns
    -------
    list of str or None
        The distinct non-empty sensor labels in file order (at least two), or None when
        the names do not repeat or no sensor row is found.

    Examples
    --------
    >>> from retrogait.io.csv_generic import sensor_groups
    >>> from retrogait.io.sniff import sniff
    >>> lines = ["left_sensor,left_sensor,left_sensor,right_sensor,right_sensor,right_sensor",
    ...          "acc_x,acc_y,acc_z,acc_x,acc_y,acc_z"] + ["0.1,0.2,9.8,-0.1,0.2,9.8"] * 3
    >>> sensor_groups(lines, sniff(lines, where="two.csv"))
    ['left_sensor', 'right_sensor']
    >>> one = ["time,acc_x,acc_y,acc_z"] + ["0.0,0.1,0.2,9.8"] * 3
    >>> sensor_groups(one, sniff(one, where="one.csv")) is None
    True
    """
    names = dialect.names
    if not names or len(set(names)) == len(names):
        return None
    above = [ln for ln in lines[: dialect.data_start] if ln.strip()]
    if len(above) < 2:
        return None
    groups = _sniff.split(above[-2], dialect.delimiter)
    if len(groups) != len(names):
        return None
    labels = [g for g in dict.fromkeys(groups[1:]) if g]
    return labels if len(labels) >= 2 else None


def _validate_mapping(columns: Mapping[Any, str] | None, where: str) -> None:
    if columns is None:
        return
    if not isinstance(columns, Mapping):
        raise TypeError(f"{where}: columns: expected a mapping file column -> standard name, "
                        f"found {type(columns).__name__}")
    bad = [v for v in columns.values() if v not in STANDARD]
    if bad:
        raise InputError(f"{where}: columns: target name(s) {bad} not among {list(STANDARD)}")


def _headerless_mapping(block: dict[int, object], n_fields: int) -> dict[int, str]:
    first = block.get(0)
    mapping: dict[int, str] = {}
    start = 0
    is_time = isinstance(first, pd.Series) or (
        isinstance(first, np.ndarray) and first.size > 1 and bool(np.all(np.diff(first[np.isfinite(first)]) >= 0))
        and n_fields >= 4)
    if is_time:
        mapping[0] = "time"
        start = 1
    for k, axis in enumerate("xyz"):
        mapping[start + k] = f"acc_{axis}"
    if n_fields - start >= 6:
        candidate = [block.get(start + 3 + k) for k in range(3)]
        arrays = [c for c in candidate if isinstance(c, np.ndarray)]
        if len(arrays) == 3 and not all(np.all(np.mod(c[np.isfinite(c)], 1) == 0) for c in arrays):
            for k, axis in enumerate("xyz"):
                mapping[start + 3 + k] = f"gyr_{axis}"
    return mapping


def read_table(
    path: Path,
    *,
    where: str,
    columns: Mapping[Any, str] | None = None,
    lines: list[str] | None = None,
    encoding: str | None = None,
    dialect: _sniff.Dialect | None = None,
    sensor: str | None = None,
    time_unit: str | None = None,
    time_format: str | None = None,
    day_first: bool | None = None,
    acc_unit: str | float | None = None,
    gyr_unit: str | float | None = None,
) -> RawSignals:
    """Read a delimited table into :class:`RawSignals` (file units, time in s).

    Format modules call this with a prepared ``dialect`` (names, units row) and unit
    hints; ``read(format="csv")`` calls it with everything sniffed.  Columns are chosen
    by ``retrogait.io.columns.choose_columns`` (or by position in a headerless table,
    rules in the module docstring); only the chosen columns are parsed.

    Parameters
    ----------
    path : pathlib.Path
        The delimited text file.
    where : str, keyword-only
        The file as named in error messages.
    columns : mapping, keyword-only, optional
        File column name (or 0-based position for a headerless file) -> ``time``,
        ``acc_x`` ... ``gyr_z``; wins over the aliases.
    lines, encoding : list of str and str, keyword-only, optional
        The file's first lines and encoding from :func:`peek`; peeked when either is
        None.
    dialect : retrogait.io.sniff.Dialect, keyword-only, optional
        Layout of the table; sniffed from ``lines`` when None.
    sensor : str, keyword-only, optional
        Sensor label to read from a two-row multi-sensor header (see
        :func:`sensor_groups`); ``side`` goes to meta when the label says left or right.
    time_unit : {None, 's', 'ms', 'us', 'ns', 'days'}, keyword-only, optional
        Unit of a numeric time column; default from its name or units row, else
        inferred from the values (``retrogait.io.timeconv``).
    time_format : str, keyword-only, optional
        ``strftime`` format of a date-text time column (e.g. ``'%d.%m.%Y %H:%M:%S'``);
        default: guessed from the first cells (``retrogait.io.timeconv.text_to_datetime``).
    day_first : bool, keyword-only, optional
        True when the file writes day-first dates (``d/M/yyyy``); None (default) or
        False tries month-first layouts first.
    acc_unit : {None, 'g', 'mg', 'm/s^2'} or float, keyword-only, optional
        Accelerometer unit the format knows (a float is a factor to m/s²); default from
        the names or units row.
    gyr_unit : {None, 'deg/s', 'rad/s'} or float, keyword-only, optional
        Gyroscope unit the format knows (a float is a factor to deg/s); default from
        the names or units row.

    Returns
    -------
    RawSignals
        Channels in the file's units (not converted), ``time_s`` in s from the first
        sample (None without a time column), ``rate_hz`` from the preamble, and
        ``meta['columns']`` (standard name -> file column), ``meta['time_unit']``.

    Raises
    ------
    InputError
        If ``columns`` names a target that is not a standard name or a file column that
        is not there; the file holds several sensors and ``sensor`` is missing or
        unknown, or ``sensor`` is given for a one-sensor file; a headerless file is
        mapped by name; the three accelerometer axes are not all found (the message
        lists the columns found); only one or two gyroscope axes are found; a chosen
        column holds text (the message names it); or the time column cannot be read.
    TypeError
        If ``columns`` is not a mapping.

    Examples
    --------
    A Shimmer-like export with a units row: the units are found, the values stay in
    g and deg/s until :func:`retrogait.io.assemble.build_recording` converts them.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.csv_generic import read_table
    >>> rows = ["time,ax,ay,az,gx,gy,gz", "s,g,g,g,deg/s,deg/s,deg/s"]
    >>> rows += [f"{i / 100:.2f},0.0,0.0,1.0,{10 * i},0,0" for i in range(5)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "shimmer.csv"
    ...     _ = path.write_text("\\n".join(rows) + "\\n")
    ...     raw = read_table(path, where="shimmer.csv")
    >>> raw.acc_unit, raw.gyr_unit, raw.meta["time_unit"]
    ('g', 'deg/s', 's')
    >>> raw.time_s.tolist(), raw.signals["gyr_x"].tolist()
    ([0.0, 0.01, 0.02, 0.03, 0.04], [0.0, 10.0, 20.0, 30.0, 40.0])

    Semicolons and decimal commas are sniffed; ``columns`` maps names the aliases
    do not know:

    >>> rows = ["t;links;rechts;oben"] + [f"{i / 100:.2f};0,0;0,0;9,81".replace(".", ",") for i in range(5)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "semi.csv"
    ...     _ = path.write_text("\\n".join(rows) + "\\n")
    ...     raw = read_table(path, where="semi.csv",
    ...                      columns={"links": "acc_x", "rechts": "acc_y", "oben": "acc_z"})
    >>> raw.signals["acc_z"].tolist(), raw.time_s.tolist()
    ([9.81, 9.81, 9.81, 9.81, 9.81], [0.0, 0.01, 0.02, 0.03, 0.04])

    Missing accelerometer axes are an error listing the columns found:

    >>> rows = ["time,ax,ay,temp"] + [f"{i / 100:.2f},0.0,0.0,20.5" for i in range(5)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "two_axes.csv"
    ...     _ = path.write_text("\\n".join(rows) + "\\n")
    ...     read_table(path, where="two_axes.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: two_axes.csv: missing ... found columns ['time', 'ax', 'ay', 'temp']; ...
    """
    _validate_mapping(columns, where)
    if lines is None or encoding is None:
        lines, encoding = peek(path)
    if dialect is None:
        dialect = _sniff.sniff(lines, where=where)
    names = list(dialect.names) if dialect.names else None
    meta: dict[str, Any] = {}
    groups = sensor_groups(lines, dialect) if names else None
    if groups and names:
        group_row = _sniff.split([ln for ln in lines[: dialect.data_start] if ln.strip()][-2], dialect.delimiter)
        if sensor is None:
            raise InputError(f"{where}: holds several sensors {groups}; pass sensor= (one of them) or use "
                             "retrogait.io.read_many")
        if sensor not in groups:
            raise InputError(f"{where}: sensor={sensor!r} not found; the file has sensors {groups}")
        # a column under another sensor's label is hidden; one under no sensor label (an empty
        # cell, "time") is shared by all sensors, e.g. a common time stamp
        names = [n if g == sensor or g not in groups else f"__other_{i}"
                 for i, (n, g) in enumerate(zip(names, group_row, strict=True))]
        meta["sensor"] = sensor
        label = sensor.lower()
        side = "left" if "left" in label else "right" if "right" in label else None
        if side:
            meta["side"] = side
    elif sensor is not None:
        raise InputError(f"{where}: sensor={sensor!r} given but the file holds a single sensor")
    if names is None:
        probe = read_block(path, dialect, list(range(dialect.n_fields)), encoding=encoding, where=where,
                           text_cols={i for i, c in enumerate(_sniff.split(lines[dialect.data_start], dialect.delimiter))
                                      if c and not _sniff.is_number(c)})
        if columns:
            by_pos = {int(k): v for k, v in columns.items() if isinstance(k, int | np.integer)}
            if len(by_pos) != len(columns):
                raise InputError(f"{where}: the file has no header row; give columns= by 0-based position")
        else:
            by_pos = _headerless_mapping(probe, dialect.n_fields)
        std_to_col = {v: k for k, v in by_pos.items()}
        chosen_units: dict[str, str | None] = {}
        linear_only = False
        block = probe
        names = [f"column {i + 1}" for i in range(dialect.n_fields)]
    else:
        mapping = None
        if columns:
            missing = [k for k in columns if k not in names]
            if missing:
                raise InputError(f"{where}: columns: file column(s) {missing} not found; found {names}")
            mapping = dict(columns)
        choice = _columns.choose_columns(names, dialect.units, mapping=mapping)
        std_to_col = {std: names.index(col) for std, col in choice.columns.items()}
        chosen_units = choice.units
        linear_only = choice.linear_only
        block = None
    missing_acc = [c for c in ("acc_x", "acc_y", "acc_z") if c not in std_to_col]
    if missing_acc:
        raise InputError(f"{where}: missing accelerometer column(s) {missing_acc}; found columns "
                         f"{[n for n in names if not n.startswith('__other_')]}; map them with columns=")
    present_gyr = [c for c in ("gyr_x", "gyr_y", "gyr_z") if c in std_to_col]
    if present_gyr and len(present_gyr) < 3:
        raise InputError(f"{where}: gyroscope columns incomplete: found only {present_gyr}")
    if block is None:
        first_row = _sniff.split(lines[dialect.data_start], dialect.delimiter) if dialect.data_start < len(lines) else []
        time_pos = std_to_col.get("time")
        text_cols: set[int] = set()
        passthrough: set[int] = set()
        if time_pos is not None and time_pos < len(first_row) and first_row[time_pos] and not _sniff.is_number(
                first_row[time_pos]):
            # strict ISO 8601 is left to the CSV reader (pyarrow parses it natively, fast)
            (passthrough if _ISO.match(first_row[time_pos]) and time_format is None else text_cols).add(time_pos)
        block = read_block(path, dialect, sorted(set(std_to_col.values())), text_cols=text_cols,
                           encoding=encoding, where=where, names=names, passthrough=passthrough)
    signals = {std: block[pos] for std, pos in std_to_col.items() if std != "time"}
    for std, values in signals.items():
        if not isinstance(values, np.ndarray):
            raise InputError(f"{where}: column {names[std_to_col[std]]!r} ({std}) holds text, expected numbers")
    raw = RawSignals(signals={k: np.asarray(v, dtype=float) for k, v in signals.items()},  # type: ignore[arg-type]
                     rate_hz=dialect.rate_hz, meta=meta, linear_only=linear_only)
    raw.acc_unit = acc_unit if acc_unit is not None else _first_unit(chosen_units, "acc", _units.canonical_acc_unit)
    raw.gyr_unit = gyr_unit if gyr_unit is not None else _first_unit(chosen_units, "gyr", _units.canonical_gyr_unit)
    if "time" in std_to_col:
        name = names[std_to_col["time"]]
        raw.time_column = name
        values = block[std_to_col["time"]]
        unit = time_unit or (_units.canonical_time_unit(chosen_units.get("time") or "") if chosen_units else None)
        if isinstance(values, pd.Series) and not pd.api.types.is_datetime64_any_dtype(values):
            values = _time.text_to_datetime(values, where=where, name=name, fmt=time_format, day_first=day_first)
        if isinstance(values, pd.Series):
            raw.time_s, raw.start_time = _time.datetime_to_seconds(values, where=where, name=name)
            raw.time_origin_s = raw.start_time.value / 1e9 if raw.start_time is not None else 0.0
        else:
            numbers = np.asarray(values)
            raw.time_s, raw.start_time, unit = _time.numeric_to_seconds(numbers, unit=unit, where=where, name=name)
            meta["time_unit"] = unit
            first = numbers[0]
            if numbers.dtype.kind == "f" and not np.isfinite(first):
                first = numbers[np.isfinite(numbers)][0]
            raw.time_origin_s = float(first) * (86400.0 if unit == "days" else _units.TIME_UNITS[unit])
    meta["columns"] = {std: names[pos] for std, pos in std_to_col.items()}
    return raw


def _first_unit(found: Mapping[str, str | None], kind: str, canon: Any) -> str | None:
    for axis in "xyz":
        text = found.get(f"{kind}_{axis}")
        if text and canon(text):
            return str(canon(text))
    return None


def with_names(dialect: _sniff.Dialect, names: list[str], units_row: list[str | None] | None = None
               ) -> _sniff.Dialect:
    """Copy of ``dialect`` with other column names (and units row).

    Format modules whose header the sniffer cannot parse (several header lines, names
    known from the format) set the names this way before :func:`read_table`.

    Parameters
    ----------
    dialect : retrogait.io.sniff.Dialect
        The sniffed layout; it is not modified.
    names : list of str
        Column names, in file order.
    units_row : list of str or None, optional
        Unit of each column (None for none), in file order; default None (no units row).

    Returns
    -------
    retrogait.io.sniff.Dialect
        The same delimiter, decimal mark, data start, preamble and rate, with ``names``,
        ``units`` and ``n_fields`` at least ``len(names)``.

    Examples
    --------
    A headerless table gets names, and the aliases then classify them:

    >>> from retrogait.io.csv_generic import with_names
    >>> from retrogait.io.sniff import sniff
    >>> dialect = sniff(["0.00,0.0,0.0,1.0", "0.01,0.0,0.0,1.0", "0.02,0.0,0.0,1.0"], where="x.csv")
    >>> dialect.names is None
    True
    >>> named = with_names(dialect, ["t", "x", "y", "z"], [None, "g", "g", "g"])
    >>> named.names, named.units, named.data_start, named.n_fields
    (['t', 'x', 'y', 'z'], [None, 'g', 'g', 'g'], 0, 4)
    """
    return replace(dialect, names=names, units=units_row, n_fields=max(dialect.n_fields, len(names)))
