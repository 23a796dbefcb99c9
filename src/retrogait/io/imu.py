"""Research IMUs: Shimmer, MbientLab MetaWear, Xsens DOT, Xsens MT Manager, APDM Opal, Movesense.

Device clocks: Xsens ``SampleTimeFine`` is a µs counter (uint32) and ``PacketCounter`` a
uint16 counter; both wrap and are unwrapped here.  Without ``SampleTimeFine`` the time is
``PacketCounter / rate`` (rate from ``// Update Rate`` or ``sampling_rate_hz``), so missing
packets become gaps.  Movesense JSON packets carry one device-clock time (ms) per packet of
samples; the samples of a packet are spread at the packet period divided by the number of
samples, the packet time being that of its first sample (an assumption; the API does not
state it).  APDM files hold every sensor of a session: one Recording per sensor.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from retrogait.errors import InputError
from retrogait.io import sniff as _sniff
from retrogait.io.assemble import RawSignals
from retrogait.io.csv_generic import read_table, with_names
from retrogait.io.registry import Context, register
from retrogait.io.research import _placement

# ---------------------------------------------------------------- Shimmer


def _is_shimmer(path: Path, lines: list[str]) -> bool:
    return len(lines) > 2 and "sep=" in lines[0].lower() and ("shimmer" in lines[1].lower() or (
        "_CAL" in lines[1] and "Timestamp" in lines[1]))


def _read_shimmer(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    names = [n for n in (dialect.names or []) if n]
    columns = ctx.columns
    if columns is None:
        columns = {}
        time = next((n for n in names if "Timestamp_Unix" in n), None) or next(
            (n for n in names if "Timestamp" in n), None)
        if time:
            columns[time] = "time"
        for sensor in ("Accel_LN", "Accel_WR", "Accel"):
            found = {a: next((n for n in names if f"{sensor}_{a.upper()}" in n), None) for a in "xyz"}
            if all(found.values()):
                columns |= {found[a]: f"acc_{a}" for a in "xyz"}  # type: ignore[misc]
                break
        gyro = {a: next((n for n in names if f"Gyro_{a.upper()}" in n), None) for a in "xyz"}
        if all(gyro.values()):
            columns |= {gyro[a]: f"gyr_{a}" for a in "xyz"}  # type: ignore[misc]
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    raw.meta["device"] = "Shimmer"
    return raw


# ---------------------------------------------------------------- MetaWear


def _is_metawear(path: Path, lines: list[str]) -> bool:
    first = lines[0].lower() if lines else ""
    return ("epoc (ms)" in first or "epoch (ms)" in first) and "elapsed (s)" in first


def _read_metawear(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    names = dialect.names or []
    columns = ctx.columns
    if columns is None:
        epoch = next((n for n in names if n.lower().startswith("epoc")), None)
        if epoch is None:
            raise InputError(f"{ctx.where}: MetaWear file without an 'epoc (ms)' time column in the header "
                             f"row; found columns {names}")
        columns = {epoch: "time"}
        kinds = [("acc", ("(g)", "(m/s^2)")), ("gyr", ("(deg/s)", "(rad/s)"))]
        for kind, units in kinds:
            for a in "xyz":
                col = next((n for n in names if n.lower().startswith(f"{a}-axis") and n.endswith(units)), None)
                if col:
                    columns[col] = f"{kind}_{a}"
        if not any(v.startswith("acc") for v in columns.values()):
            raise InputError(f"{ctx.where}: MetaWear file without accelerometer axes (a gyroscope/other "
                             f"sensor file? columns {names}); read the accelerometer file")
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect, time_unit="ms")
    raw.meta["device"] = "MbientLab MetaWear"
    return raw


# ---------------------------------------------------------------- Xsens


def _unwrap(counter: np.ndarray, modulus: float) -> np.ndarray:
    steps = np.diff(counter)
    wraps = np.concatenate([[0.0], np.cumsum(np.where(steps < -modulus / 2, modulus, 0.0))])
    return counter + wraps


def _xsens_time(raw: RawSignals, block: dict[str, np.ndarray], rate: float | None, where: str) -> None:
    fine = block.get("SampleTimeFine")
    counter = block.get("PacketCounter")
    if fine is not None and np.isfinite(fine).mean() > 0.9:
        t = _unwrap(fine, 2.0**32) * 1e-6
        raw.time_s = t - t[np.isfinite(t)][0]
        raw.time_column = "SampleTimeFine"
    elif counter is not None and rate is not None and np.isfinite(counter).all():
        t = _unwrap(counter, 65536.0) / rate
        raw.time_s = t - t[0]
        raw.time_column = "PacketCounter"


def _read_xsens(path: Path, ctx: Context, *, dialect: _sniff.Dialect, rate: float | None, gyr_unit: str,
                device: str) -> RawSignals:
    names = dialect.names or []
    columns = ctx.columns
    if columns is None:
        columns = {}
        for kind, prefix in (("acc", "Acc_"), ("gyr", "Gyr_")):
            if all(f"{prefix}{a.upper()}" in names for a in "xyz"):
                columns |= {f"{prefix}{a.upper()}": f"{kind}_{a}" for a in "xyz"}
        if "acc_x" not in columns.values() and all(f"FreeAcc_{a}" in names for a in "XYZ"):
            columns |= {f"FreeAcc_{a.upper()}": f"acc_{a}" for a in "xyz"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    if any(str(k).startswith("FreeAcc") for k in columns):
        raw.linear_only = True
    clock_cols = [c for c in ("PacketCounter", "SampleTimeFine") if c in names]
    if raw.time_s is None and clock_cols:
        from retrogait.io.table import read_block

        block = read_block(path, dialect, [names.index(c) for c in clock_cols], encoding=ctx.encoding,
                           where=ctx.where, names=names)
        _xsens_time(raw, {c: np.asarray(block[names.index(c)], dtype=float) for c in clock_cols}, rate, ctx.where)
    raw.rate_hz = rate
    raw.acc_unit, raw.gyr_unit = "m/s^2", gyr_unit
    raw.meta["device"] = device
    return raw


def _is_xsens_dot(path: Path, lines: list[str]) -> bool:
    return any(ln.startswith("DeviceTag:") for ln in lines[:4])


def _read_xsens_dot(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    head = "\n".join(ctx.lines[: dialect.data_start])
    rate = re.search(r"OutputRate:\s*,?\s*([0-9.]+)", head)
    tag = re.search(r"DeviceTag:\s*,?\s*([^,\n]*)", head)
    raw = _read_xsens(path, ctx, dialect=dialect, rate=float(rate.group(1)) if rate else None, gyr_unit="deg/s",
                      device="Xsens DOT")
    if tag:
        raw.meta["device_tag"] = tag.group(1).strip()
    return raw


def _is_mtmanager(path: Path, lines: list[str]) -> bool:
    return bool(lines) and lines[0].startswith("//") and any(
        "PacketCounter" in ln or "Acc_X" in ln for ln in lines[:20])


def _read_mtmanager(path: Path, ctx: Context) -> RawSignals:
    header = next((i for i, ln in enumerate(ctx.lines) if not ln.startswith("//")), None)
    if header is None:
        raise InputError(f"{ctx.where}: Xsens MT Manager file without a column header")
    delim = next((d for d in ("\t", ";", ",") if d in ctx.lines[header]), " ")
    names = ctx.lines[header].rstrip("\r\n").split(delim)
    names = [n.strip() for n in names]
    dialect = _sniff.Dialect(delimiter=delim, decimal=".", data_start=header + 1, n_fields=len(names),
                             names=names, preamble=ctx.lines[:header],
                             rate_hz=_sniff.preamble_rate(ctx.lines[:header]))
    device = re.search(r"DeviceId:\s*(\S+)", "\n".join(ctx.lines[:header]))
    raw = _read_xsens(path, ctx, dialect=with_names(dialect, names), rate=dialect.rate_hz or ctx.sampling_rate_hz,
                      gyr_unit="rad/s", device="Xsens MTw/MTi (MT Manager)")
    raw.rate_hz = dialect.rate_hz
    if device:
        raw.meta["device_id"] = device.group(1)
    return raw


# ---------------------------------------------------------------- APDM


def _is_apdm(path: Path, lines: list[str]) -> bool:
    if not lines:
        return False
    return lines[0].startswith("Format=") or (lines[0].startswith("Test Name:") and any(
        ln.startswith("Sample Rate:") for ln in lines[:5]))


def _apdm_layout(lines: list[str], where: str) -> tuple[_sniff.Dialect, dict[str, dict[str, str]]]:
    """Dialect with unique column names and {sensor: {column: standard name}}."""
    sensors: dict[str, dict[str, str]] = {}
    if lines[0].startswith("Format="):
        ids, groups, axes = (_sniff.split(ln, ",") for ln in lines[:3])
        names, label, group = [], "", ""
        for i, axis in enumerate(axes):
            if i < len(ids) and i > 0 and ids[i] and not _sniff.is_number(ids[i]):
                label = ids[i]
            elif i < len(ids) and i > 0 and ids[i] and not label:
                label = ids[i]
            if i < len(groups) and groups[i]:
                group = groups[i]
            if i > 0 and i < len(ids) and ids[i] and _sniff.is_number(ids[i]) and i + 3 < len(ids) and ids[i + 3]:
                label = ids[i + 3]
            names.append(f"{label}/{group}/{axis}" if i else "Time")
            std = {"Accelerometer": "acc", "Gyroscope": "gyr"}.get(group)
            if std and axis in ("X", "Y", "Z"):
                sensors.setdefault(label, {"Time": "time"})[names[-1]] = f"{std}_{axis.lower()}"
        dialect = _sniff.Dialect(delimiter=",", decimal=".", data_start=3, n_fields=len(names), names=names)
        return dialect, sensors
    dialect = _sniff.sniff(lines, where=where)
    for name in dialect.names or []:
        parts = name.split("/")
        if len(parts) == 3 and parts[2] in ("X", "Y", "Z"):
            std = {"Acceleration": "acc", "Angular Velocity": "gyr"}.get(parts[1])
            if std:
                sensors.setdefault(parts[0], {"Time": "time"})[name] = f"{std}_{parts[2].lower()}"
    return dialect, sensors


def _read_apdm(path: Path, ctx: Context) -> dict[str, RawSignals]:
    dialect, sensors = _apdm_layout(ctx.lines, ctx.where)
    if not sensors:
        raise InputError(f"{ctx.where}: APDM file without Acceleration columns")
    time_unit = "us" if ctx.lines[0].startswith("Format=") else "s"
    out: dict[str, RawSignals] = {}
    for label, columns in sensors.items():
        raw = read_table(path, where=ctx.where, columns=ctx.columns or columns, lines=ctx.lines,
                         encoding=ctx.encoding, dialect=dialect, time_unit=time_unit)
        raw.acc_unit, raw.gyr_unit = "m/s^2", "rad/s"
        placement, side = _placement(label)
        raw.meta.update({"device": "APDM Opal", "sensor": label})
        if placement:
            raw.meta["placement"] = "foot" if "foot" in label.lower() else placement
        if side:
            raw.meta["side"] = side
        out[label] = raw
    return out


# ---------------------------------------------------------------- Movesense


def _is_movesense(path: Path, lines: list[str]) -> bool:
    head = "".join(lines[:2])[:4000]
    return head.lstrip().startswith("{") and "ArrayAcc" in head


def _read_movesense(path: Path, ctx: Context) -> RawSignals:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise InputError(f"{ctx.where}: not valid JSON ({err})") from None
    meas = content.get("Meas", content) if isinstance(content, dict) else {}
    key = next((k for k in ("IMU9", "IMU6", "Acc", "IMU") if k in meas), None)
    packets = meas.get(key) if key else None
    if not isinstance(packets, list) or not packets:
        raise InputError(f"{ctx.where}: Movesense JSON without Meas/IMU9, IMU6 or Acc packets")
    per_packet = len(packets[0]["ArrayAcc"])
    stamps = np.array([p["Timestamp"] for p in packets], dtype=float)
    acc = np.array([[s["x"], s["y"], s["z"]] for p in packets for s in p["ArrayAcc"]], dtype=float)
    period = float(np.median(np.diff(stamps))) if stamps.size > 1 else float("nan")
    offsets = np.arange(per_packet) * period / per_packet
    t = ((stamps[:, None] + offsets[None, :]).ravel() - stamps[0]) * 1e-3
    signals = {f"acc_{a}": acc[:, i] for i, a in enumerate("xyz")}
    if "ArrayGyro" in packets[0]:
        gyr = np.array([[s["x"], s["y"], s["z"]] for p in packets for s in p["ArrayGyro"]], dtype=float)
        signals |= {f"gyr_{a}": gyr[:, i] for i, a in enumerate("xyz")}
    return RawSignals(signals=signals, time_s=t, acc_unit="m/s^2", gyr_unit="deg/s", time_column="Timestamp",
                      meta={"device": "Movesense", "samples_per_packet": per_packet})


register("shimmer", _is_shimmer, _read_shimmer, "Shimmer Consensys CSV (sep= line, names, units row)",
         priority=10)
register("xsens_dot", _is_xsens_dot, _read_xsens_dot, "Xsens/Movella DOT CSV (m/s^2, deg/s)", priority=10)
register("xsens_mtmanager", _is_mtmanager, _read_mtmanager, "Xsens MT Manager export (// header; rad/s)",
         priority=10)
register("apdm", _is_apdm, _read_apdm, "APDM Opal CSV (Mobility Lab old format or Format=7), all sensors",
         priority=10)
register("metawear", _is_metawear, _read_metawear, "MbientLab MetaWear/MetaBase CSV (epoc (ms), g)",
         priority=20)
register("movesense", _is_movesense, _read_movesense, "Movesense Showcase/DataLogger JSON", priority=10)
