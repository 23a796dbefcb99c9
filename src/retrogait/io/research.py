"""Research accelerometers: ActiGraph, Axivity, GENEActiv, activPAL, Empatica E4, Faros, mHealth.

Layouts follow the exports described in ``shared/research/formats.md`` (ActiLife CSV,
OmGui/cwa-convert CSV, GENEActiv PC software CSV, E4 Connect ``ACC.csv``, devicely's Faros
layout, the mHealth specification).  Units are the devices' own (g; E4 1/64 g; Faros mg;
activPAL 8-bit counts), so nothing is inferred for them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import sniff as _sniff
from retrogait.io.assemble import RawSignals
from retrogait.io.csv_generic import read_table
from retrogait.io.registry import Context, register
from retrogait.schema import STANDARD_GRAVITY_MS2

_NUM = _sniff.is_number


def _cells(line: str, delim: str = ",") -> list[str]:
    return _sniff.split(line, delim)


# ---------------------------------------------------------------- ActiGraph


def _is_actigraph(path: Path, lines: list[str]) -> bool:
    return bool(lines) and "actigraph" in lines[0].lower() and lines[0].lstrip().startswith("---")


def _read_actigraph(path: Path, ctx: Context) -> RawSignals:
    head = "\n".join(ctx.lines[:12])
    epoch = re.search(r"Epoch Period \(hh:mm:ss\)\s*([0-9:]+)", head)
    if epoch and epoch.group(1) not in ("00:00:00", "0:00:00"):
        raise InputError(f"{ctx.where}: ActiGraph epoch count file (Epoch Period {epoch.group(1)}), not raw "
                         "acceleration; export the RAW data (ActiLife 'Create RAW data file')")
    date_format = re.search(r"date format\s+(\S+)", ctx.lines[0])
    day_first = bool(date_format and date_format.group(1).lower().startswith("d"))
    lines = ctx.lines[10:]
    dialect = _sniff.sniff(lines, where=ctx.where)
    dialect.data_start += 10
    dialect.preamble = ctx.lines[:10]
    dialect.rate_hz = _sniff.preamble_rate(ctx.lines[:1])
    columns = ctx.columns
    if dialect.names is None and columns is None:
        columns = {0: "acc_x", 1: "acc_y", 2: "acc_z"}
    fmt = None
    if date_format:
        order = "%d/%m/%Y" if day_first else "%m/%d/%Y"
        fmt = order + " %H:%M:%S.%f"
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect, time_format=fmt, day_first=day_first)
    acc = np.column_stack([raw.signals[f"acc_{a}"] for a in "xyz"])
    finite = acc[np.all(np.isfinite(acc), axis=1)]
    if ctx.acc_unit is None and finite.size and np.all(np.mod(finite, 1) == 0) and np.abs(finite).max() > 16:
        raise InputError(f"{ctx.where}: ActiGraph raw LSB counts, not g; pass acc_unit= as m/s^2 per count "
                         "(9.80665/256 for a +-8 g 12-bit device, 9.80665/341 for +-6 g)")
    raw.acc_unit = "g"
    start = re.search(r"Start Time\s+([0-9:]+)", head)
    date = re.search(r"Start Date\s+([0-9/.\-]+)", head)
    serial = re.search(r"Serial Number:\s*([A-Za-z0-9]+)", head)
    if serial:
        raw.meta["device_serial"] = serial.group(1)
    raw.meta["device"] = "ActiGraph"
    if raw.start_time is None and start and date:
        stamp = pd.to_datetime(f"{date.group(1)} {start.group(1)}", dayfirst=day_first, errors="coerce")
        raw.start_time = None if pd.isna(stamp) else stamp
    return raw


# ---------------------------------------------------------------- Axivity


def _is_axivity(path: Path, lines: list[str]) -> bool:
    rows = [_cells(ln) for ln in lines[:5] if ln.strip()]
    if len(rows) < 3 or any(len(r) not in (4, 5, 6, 7, 8, 9, 10) for r in rows):
        return False
    first = rows[0][0]
    epoch = _NUM(first) and 1e8 < float(first) < 4e9 and "." in first
    stamp = bool(re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$", first))
    small = all(_NUM(c) and abs(float(c)) < 16 for r in rows for c in r[1:4])
    return (epoch or stamp) and small


def _read_axivity(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    n = dialect.n_fields
    columns = ctx.columns or ({0: "time", 1: "acc_x", 2: "acc_y", 3: "acc_z"} | (
        {4: "gyr_x", 5: "gyr_y", 6: "gyr_z"} if n >= 7 else {}))
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect, time_unit="s")
    raw.acc_unit, raw.gyr_unit = "g", "deg/s"
    raw.meta["device"] = "Axivity AX6" if "gyr_x" in raw.signals else "Axivity AX3"
    return raw


# ---------------------------------------------------------------- GENEActiv


def _is_geneactiv(path: Path, lines: list[str]) -> bool:
    return bool(lines) and lines[0].replace(" ", "").lower().startswith("devicetype,geneactiv")


def _geneactiv_header(lines: list[str]) -> dict[str, str]:
    info: dict[str, str] = {}
    for ln in lines[:100]:
        cells = _cells(ln)
        if len(cells) >= 2 and cells[0] and cells[0] not in info:
            info[cells[0].strip()] = cells[1].strip()
    return info


def _placement(text: str) -> tuple[str | None, str | None]:
    low = text.lower()
    side = "left" if "left" in low else "right" if "right" in low else None
    for word, placement in (("wrist", "wrist"), ("ankle", "shank"), ("shank", "shank"), ("foot", "foot"),
                            ("thigh", "thigh"), ("lumbar", "lower_back"), ("waist", "lower_back"),
                            ("back", "lower_back"), ("hip", "lower_back"), ("pelvis", "lower_back")):
        if word in low:
            return placement, side
    return None, side


def _read_geneactiv(path: Path, ctx: Context) -> RawSignals:
    info = _geneactiv_header(ctx.lines)
    rate = re.search(r"([0-9.]+)", info.get("Measurement Frequency", ""))
    start = next((i for i in range(len(ctx.lines)) if i >= 50 and re.match(r"^\d{4}-\d{2}-\d{2}", ctx.lines[i])
                  and len(_cells(ctx.lines[i])) >= 4), None)
    if start is None:
        raise InputError(f"{ctx.where}: GENEActiv header found but no data rows in the first lines")
    n = len(_cells(ctx.lines[start]))
    dialect = _sniff.Dialect(delimiter=",", decimal=".", data_start=start, n_fields=n,
                             rate_hz=float(rate.group(1)) if rate else None)
    columns = ctx.columns or {0: "time", 1: "acc_x", 2: "acc_y", 3: "acc_z"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    raw.acc_unit = "g"
    raw.meta.update({"device": "GENEActiv", "device_serial": info.get("Device Unique Serial Code"),
                     "device_location": info.get("Device Location Code"), "time_zone": info.get("Time Zone"),
                     "subject_height": info.get("Height"), "subject_weight": info.get("Weight")})
    placement, side = _placement(info.get("Device Location Code", ""))
    if placement:
        raw.meta["placement"] = placement
    if side:
        raw.meta["side"] = side
    return raw


# ---------------------------------------------------------------- activPAL


def _is_activpal(path: Path, lines: list[str]) -> bool:
    rows = [_cells(ln) for ln in lines[:5] if ln.strip()]
    if len(rows) < 3 or any(len(r) != 4 or not all(_NUM(c) for c in r) for r in rows):
        return False
    return all(20000 < float(r[0]) < 80000 and all(0 <= float(c) <= 255 and float(c) % 1 == 0 for c in r[1:])
               for r in rows)


def _read_activpal(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    columns = ctx.columns or {0: "time", 1: "acc_x", 2: "acc_y", 3: "acc_z"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect, time_unit="days")
    if ctx.acc_unit is None:
        # 8-bit counts over +-2 g: g = (count - 127) / 256 * 4, the conversion documented by
        # MIMSunit's import_activpal3_csv (John et al. 2019, J Meas Phys Behav 2:268)
        for a in "xyz":
            raw.signals[f"acc_{a}"] = (raw.signals[f"acc_{a}"] - 127.0) / 64.0
        raw.acc_unit = "g"
        raw.meta["acc_counts_conversion"] = "(count - 127) / 64 g"
    raw.meta.update({"device": "activPAL", "placement": "thigh"})
    return raw


# ---------------------------------------------------------------- Empatica E4


def _is_empatica(path: Path, lines: list[str]) -> bool:
    if path.name.lower() in ("tags.csv",) and lines and all(_NUM(ln.strip()) for ln in lines if ln.strip()):
        return True
    if path.name.lower() == "info.txt" and path.with_name("ACC.csv").exists():
        return True
    if len(lines) < 3:
        return False
    first, second = _cells(lines[0]), _cells(lines[1])
    return (len(first) == len(second) >= 1 and all(c and _NUM(c) for c in first + second)
            and len(set(first)) == 1 and len(set(second)) == 1 and 1e8 < float(first[0]) < 4e9
            and 0 < float(second[0]) <= 1000)


def _read_empatica(path: Path, ctx: Context) -> RawSignals:
    first = _cells(ctx.lines[0]) if ctx.lines else []
    if len(first) != 3:
        raise InputError(f"{ctx.where}: Empatica E4 file without three accelerometer columns (tags.csv, info.txt, "
                         "EDA/TEMP/BVP hold no acceleration); read ACC.csv")
    dialect = _sniff.Dialect(delimiter=",", decimal=".", data_start=2, n_fields=3,
                             rate_hz=float(_cells(ctx.lines[1])[0]))
    raw = read_table(path, where=ctx.where, columns=ctx.columns or {0: "acc_x", 1: "acc_y", 2: "acc_z"},
                     lines=ctx.lines, encoding=ctx.encoding, dialect=dialect)
    raw.acc_unit = STANDARD_GRAVITY_MS2 / 64.0
    raw.start_time = pd.to_datetime(float(first[0]), unit="s")
    raw.meta.update({"device": "Empatica E4", "placement": "wrist"})
    return raw


# ---------------------------------------------------------------- Faros (devicely layout)


def _faros_meta(path: Path) -> dict | None:
    meta = path.with_name("meta.json")
    if not meta.exists():
        return None
    try:
        content = json.loads(meta.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    return content if isinstance(content, dict) and "sample_freqs" in content else None


def _is_faros(path: Path, lines: list[str]) -> bool:
    if path.suffix.lower() == ".json":
        return any("sample_freqs" in ln for ln in lines)
    return bool(lines) and lines[0].strip().upper() == "X,Y,Z" and _faros_meta(path) is not None


def _read_faros(path: Path, ctx: Context) -> RawSignals:
    meta = _faros_meta(path)
    if path.suffix.lower() == ".json" or meta is None:
        raise InputError(f"{ctx.where}: Faros metadata (meta.json), not samples; read ACC.csv next to it")
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    dialect.rate_hz = float(meta["sample_freqs"]["ACC"])
    raw = read_table(path, where=ctx.where, columns=ctx.columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    unit = str(meta.get("units", {}).get("ACC", "mg"))
    raw.acc_unit = "mg" if unit.lower() == "mg" else unit
    raw.start_time = pd.to_datetime(meta.get("start_time"), errors="coerce") if meta.get("start_time") else None
    raw.meta["device"] = "Bittium Faros"
    return raw


# ---------------------------------------------------------------- mHealth


def _is_mhealth(path: Path, lines: list[str]) -> bool:
    return bool(lines) and lines[0].upper().startswith("HEADER_TIME_STAMP")


def _read_mhealth(path: Path, ctx: Context) -> RawSignals:
    raw = read_table(path, where=ctx.where, columns=ctx.columns, lines=ctx.lines, encoding=ctx.encoding)
    raw.acc_unit = raw.acc_unit or "g"
    return raw


register("actigraph", _is_actigraph, _read_actigraph, "ActiGraph ActiLife RAW CSV (10-line header)", priority=10)
register("geneactiv", _is_geneactiv, _read_geneactiv, "GENEActiv PC software CSV (100-line header)", priority=10)
register("empatica_e4", _is_empatica, _read_empatica, "Empatica E4 ACC.csv (start, rate rows; 1/64 g)",
         priority=20)
register("faros", _is_faros, _read_faros, "Bittium Faros ACC.csv + meta.json (mg)", priority=20)
register("mhealth", _is_mhealth, _read_mhealth, "mHealth specification CSV (HEADER_TIME_STAMP, g)", priority=20)
register("activpal", _is_activpal, _read_activpal, "activPAL3 raw CSV (Excel days, 8-bit counts)", priority=30)
register("axivity", _is_axivity, _read_axivity, "Axivity AX3/AX6 CSV (OmGui / cwa-convert, g, deg/s)",
         priority=30)
