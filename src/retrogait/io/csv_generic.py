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
    """First lines of ``path`` (at most 160) and the text encoding."""
    head, encoding = _sniff.read_head(path)
    return _sniff.head_lines(head, encoding, complete=len(head) < _sniff.PEEK_BYTES), encoding


def sensor_groups(lines: list[str], dialect: _sniff.Dialect) -> list[str] | None:
    """Sensor labels of a two-row multi-sensor header, or None for a one-sensor table."""
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
    hints; ``read(format="csv")`` calls it with everything sniffed.
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
        names = [n if g == sensor else f"__other_{i}" for i, (n, g) in enumerate(zip(names, group_row, strict=True))]
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
            first = numbers[np.isfinite(numbers)][0] if numbers.dtype.kind == "f" else numbers[0]
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
    """Copy of ``dialect`` with other column names (and units row)."""
    return replace(dialect, names=names, units=units_row, n_fields=max(dialect.n_fields, len(names)))
