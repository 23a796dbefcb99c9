"""Phone and watch apps: phyphox, Sensor Logger (Android, iOS, Apple Watch), Physics Toolbox, AndroSensor.

These apps write one file per sensor (phyphox, Sensor Logger) or one wide table (Physics
Toolbox, AndroSensor).  When the accelerometer file has a gyroscope file next to it
(phyphox ``Accelerometer.csv`` + ``Gyroscope.csv``; Sensor Logger ``...Gyroscope.csv``)
the gyroscope is interpolated onto the accelerometer's times and the recording is cut
to the time both cover.  Gravity-free files are never read as if gravity were there:
Sensor Logger's ``Accelerometer.csv`` (without gravity on both platforms) is summed with
its ``Gravity.csv`` sibling when present and refused otherwise; phyphox "Linear
Accelerometer" is refused (see ``allow_linear_acceleration``).

Apple devices (Sensor Logger on iOS and Apple Watch) log acceleration with CoreMotion's
sign (gravity reads -1 g on the upward axis), the opposite of Android and of research
IMUs, unless "Standardise Units & Frames" was on in the app; the files do not say which,
so the values are kept and ``meta['acc_sign_convention']`` records the caveat.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io import sniff as _sniff
from retrogait.io.assemble import RawSignals
from retrogait.io.csv_generic import peek, read_table
from retrogait.io.registry import Context, register


def merge_channels(base: RawSignals, other: RawSignals, channels: dict[str, str], *, add: bool = False,
                   where: str) -> RawSignals:
    """Interpolate ``other``'s channels onto ``base``'s times (same file clock).

    ``channels`` maps other's channel -> base's channel; with ``add`` the values are added
    to base's (gravity + linear acceleration), otherwise they become new channels.  Base
    is cut to the time span both files cover.  Times are compared on the file clock,
    ``time_s + time_origin_s``; the interpolation is linear.

    Parameters
    ----------
    base : RawSignals
        The file whose samples are kept (the accelerometer), with ``time_s``.
    other : RawSignals
        The sibling file (gyroscope, gravity) on the same clock, with ``time_s``; its
        channels are in the units the caller sets on the result.
    channels : dict of str to str
        ``other``'s channel -> ``base``'s channel, e.g. ``{'acc_x': 'gyr_x', ...}`` for
        a gyroscope file read with accelerometer names.
    add : bool, keyword-only, default False
        Add the interpolated values to the existing ``base`` channel (same units
        needed) instead of setting a new one.
    where : str, keyword-only
        The file as named in error messages.

    Returns
    -------
    RawSignals
        A new RawSignals with ``base``'s units and meta, cut to the common time span:
        ``time_s`` restarts at 0 s, ``time_origin_s``, ``start_time`` and
        ``meta['start_offset_s']`` (s) move by the samples cut at the start.

    Raises
    ------
    InputError
        If either file has no time column, or the two overlap by fewer than two of
        ``base``'s samples.

    Examples
    --------
    A gyroscope file starting 15 ms after the accelerometer: the first two
    accelerometer samples are cut, and the gyroscope value 0, 1, 2, ... (one per
    10 ms) read halfway between its samples is 0.5, 1.5, ...

    >>> import numpy as np
    >>> from retrogait.io.assemble import RawSignals
    >>> from retrogait.io.phones import merge_channels
    >>> acc = RawSignals(signals={"acc_x": np.zeros(6), "acc_y": np.zeros(6), "acc_z": np.ones(6)},
    ...                  time_s=np.arange(6) * 0.01, time_origin_s=100.0)
    >>> gyro = RawSignals(signals={"acc_x": np.arange(5.0), "acc_y": np.zeros(5), "acc_z": np.zeros(5)},
    ...                   time_s=np.arange(5) * 0.01, time_origin_s=100.015)
    >>> both = merge_channels(acc, gyro, {"acc_x": "gyr_x", "acc_y": "gyr_y", "acc_z": "gyr_z"},
    ...                       where="Accelerometer.csv")
    >>> np.round(both.time_s, 3).tolist(), np.round(both.signals["gyr_x"], 3).tolist()
    ([0.0, 0.01, 0.02, 0.03], [0.5, 1.5, 2.5, 3.5])
    >>> round(both.meta["start_offset_s"], 3), sorted(both.signals)
    (0.02, ['acc_x', 'acc_y', 'acc_z', 'gyr_x', 'gyr_y', 'gyr_z'])

    Gravity added to gravity-free acceleration (Sensor Logger ``Accelerometer.csv`` +
    ``Gravity.csv``) gives the acceleration including gravity:

    >>> t = np.arange(4) * 0.01
    >>> linear = RawSignals(signals={"acc_x": np.full(4, 0.5), "acc_y": np.zeros(4),
    ...                              "acc_z": np.full(4, -0.2)}, time_s=t)
    >>> gravity = RawSignals(signals={"acc_x": np.zeros(4), "acc_y": np.zeros(4),
    ...                               "acc_z": np.full(4, 9.81)}, time_s=t)
    >>> total = merge_channels(linear, gravity, {f"acc_{a}": f"acc_{a}" for a in "xyz"}, add=True,
    ...                        where="Accelerometer.csv")
    >>> np.round(total.signals["acc_z"], 3).tolist()
    [9.61, 9.61, 9.61, 9.61]

    Files without time columns cannot be aligned:

    >>> merge_channels(linear, RawSignals(signals=gravity.signals), {}, where="Accelerometer.csv")
    Traceback (most recent call last):
        ...
    retrogait.errors.InputError: Accelerometer.csv: cannot align sibling files without time columns
    """
    if base.time_s is None or other.time_s is None:
        raise InputError(f"{where}: cannot align sibling files without time columns")
    ta = base.time_s + base.time_origin_s
    tb = other.time_s + other.time_origin_s
    good_b = np.isfinite(tb)
    tb = tb[good_b]
    keep = (ta >= tb.min()) & (ta <= tb.max())
    if keep.sum() < 2:
        raise InputError(f"{where}: the sibling files do not overlap in time")
    signals = {k: v[keep] for k, v in base.signals.items()}
    for src, dst in channels.items():
        values = np.interp(ta[keep], tb, other.signals[src][good_b])
        signals[dst] = signals[dst] + values if add else values
    first = int(np.flatnonzero(keep)[0])
    shift = float(base.time_s[first])
    out = RawSignals(signals=signals, time_s=base.time_s[keep] - shift, acc_unit=base.acc_unit,
                     gyr_unit=base.gyr_unit, rate_hz=base.rate_hz,
                     start_time=(base.start_time + pd.Timedelta(seconds=shift)) if base.start_time is not None
                     else None, meta=dict(base.meta), time_column=base.time_column,
                     time_origin_s=base.time_origin_s + shift)
    out.meta["start_offset_s"] = float(base.meta.get("start_offset_s", 0.0)) + shift
    return out


def _sibling(path: Path, old: str, new: str) -> Path | None:
    if old not in path.name:
        return None
    candidate = path.with_name(path.name.replace(old, new))
    return candidate if candidate.exists() and candidate != path else None


def _read_sibling(path: Path, where: str, mapping: dict[str, str]) -> RawSignals:
    lines, encoding = peek(path)
    return read_table(path, where=str(path), columns=mapping, lines=lines, encoding=encoding)


# ---------------------------------------------------------------- phyphox


def _is_phyphox(path: Path, lines: list[str]) -> bool:
    if not lines:
        return False
    first = lines[0].strip()
    return first.startswith('"Time (s)"') or first in ('"property","value"',) or first.startswith(
        '"event","experiment time"')


def _read_phyphox(path: Path, ctx: Context) -> RawSignals:
    if not ctx.lines[0].startswith('"Time (s)"'):
        raise InputError(f"{ctx.where}: phyphox metadata file (meta/device.csv or meta/time.csv), not samples")
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    names = dialect.names or []
    if not any("m/s" in n for n in names[1:]) and any("rad/s" in n for n in names) and ctx.columns is None:
        raise InputError(f"{ctx.where}: phyphox gyroscope file without acceleration; read the Accelerometer file "
                         "(its Gyroscope.csv sibling is merged)")
    columns = ctx.columns
    if columns is None and "linear" in path.name.lower():
        columns = {names[0]: "time"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    if "linear" in path.name.lower() and ctx.columns is None:
        raw.linear_only = True
    raw.meta["device"] = "phyphox"
    gyro = _sibling(path, "Accelerometer", "Gyroscope")
    if gyro is not None and "gyr_x" not in raw.signals and not raw.linear_only:
        other = _read_sibling(gyro, ctx.where, {"Time (s)": "time", "X (rad/s)": "acc_x", "Y (rad/s)": "acc_y",
                                                "Z (rad/s)": "acc_z"})
        raw = merge_channels(raw, other, {f"acc_{a}": f"gyr_{a}" for a in "xyz"}, where=ctx.where)
        raw.gyr_unit = "rad/s"
        raw.meta["gyroscope_file"] = str(gyro)
    return raw


# ---------------------------------------------------------------- Sensor Logger

_SL_KINDS = ("WatchAccelerometerUncalibrated", "AccelerometerUncalibrated", "TotalAcceleration", "Accelerometer",
             "GyroscopeUncalibrated", "Gyroscope", "Gravity", "Orientation", "MagnetometerUncalibrated",
             "Magnetometer", "Metadata", "WristMotion", "Barometer", "Location", "Annotation", "Compass")
_SL_ACC = ("WatchAccelerometerUncalibrated", "AccelerometerUncalibrated", "TotalAcceleration", "Accelerometer",
           "WristMotion")


def _sl_kind(path: Path) -> str | None:
    return next((k for k in _SL_KINDS if k.lower() in path.stem.lower()), None)


def sensor_logger_siblings(path: Path, kind: str | None) -> dict[str, Path]:
    r"""The files of the same Sensor Logger export that reading ``path`` merges into it.

    ``metadata`` (the recording's ``Metadata.csv``), ``gravity`` (for ``Accelerometer``,
    which excludes gravity) and ``gyroscope``.  The watch's own files have no gyroscope
    sibling (``WristMotion`` carries its rotation rate; ``WatchAccelerometerUncalibrated``
    has none), so a phone's ``Gyroscope.csv`` in the same folder is not theirs.  Shared by
    the reader and by batch discovery (``retrogait.manifest``), so that both agree.

    Parameters
    ----------
    path : pathlib.Path
        A Sensor Logger accelerometer file (``TotalAcceleration.csv``, ``Accelerometer.csv``, ...).
    kind : str or None
        Its sensor name as found in the file name (``_SL_KINDS``); None gives no siblings.

    Returns
    -------
    dict of str to pathlib.Path
        The siblings that exist, by role.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("Accelerometer.csv", "Gravity.csv", "Gyroscope.csv", "WatchAccelerometerUncalibrated.csv"):
    ...         _ = (Path(tmp) / name).write_text("time,seconds_elapsed,z,y,x\n")
    ...     phone = sensor_logger_siblings(Path(tmp) / "Accelerometer.csv", "Accelerometer")
    ...     watch = sensor_logger_siblings(Path(tmp) / "WatchAccelerometerUncalibrated.csv",
    ...                                    "WatchAccelerometerUncalibrated")
    >>> sorted(phone), sorted(watch)
    (['gravity', 'gyroscope'], [])
    """
    if not kind:
        return {}
    found = {"metadata": _sibling(path, kind, "Metadata")}
    if kind == "Accelerometer":
        found["gravity"] = _sibling(path, "Accelerometer", "Gravity")
    if not kind.startswith("Watch") and kind != "WristMotion":
        found["gyroscope"] = _sibling(path, kind, "Gyroscope")
    return {role: p for role, p in found.items() if p is not None}


def _sl_metadata(path: Path, kind: str | None) -> dict[str, str]:
    """The recording's ``Metadata.csv`` next to ``path`` (same name with the sensor replaced)."""
    meta_file = sensor_logger_siblings(path, kind).get("metadata")
    if meta_file is None:
        return {}
    rows = list(csv.reader(meta_file.read_text(encoding="utf-8", errors="replace").splitlines()))
    if len(rows) < 2:
        return {}
    info = dict(zip(rows[0], rows[1], strict=False))
    keep = ("device name", "platform", "appVersion", "recording time", "recording timezone", "sampleRateMs")
    return {f"sensor_logger_{k.replace(' ', '_')}": info[k] for k in keep if k in info}


def _is_sensor_logger(path: Path, lines: list[str]) -> bool:
    if not lines:
        return False
    first = lines[0].replace(" ", "").lower()
    return first.startswith("time,seconds_elapsed") or first.startswith("version,devicename")


def _read_sensor_logger(path: Path, ctx: Context) -> RawSignals:
    kind = _sl_kind(path)
    header = _sniff.split(ctx.lines[0], ",")
    if ctx.columns is None and kind not in _SL_ACC:
        raise InputError(
            f"{ctx.where}: Sensor Logger {kind or 'non-accelerometer'} file has no accelerometer; read "
            "TotalAcceleration.csv (Android), Accelerometer.csv next to Gravity.csv, or WristMotion.csv (watch)"
        )
    columns = ctx.columns
    if columns is None and kind == "WristMotion":
        columns = {"time": "time", "accelerationX": "acc_x", "accelerationY": "acc_y", "accelerationZ": "acc_z",
                   "rotationRateX": "gyr_x", "rotationRateY": "gyr_y", "rotationRateZ": "gyr_z"}
    elif columns is None:
        columns = {"time": "time", "x": "acc_x", "y": "acc_y", "z": "acc_z"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding)
    raw.meta.update({"device": "Sensor Logger", "sensor_logger_file": kind})
    raw.meta.update(_sl_metadata(path, kind))
    if kind == "AccelerometerUncalibrated" and raw.meta.get("sensor_logger_platform") == "ios":
        raw.acc_unit = "g"  # iOS uncalibrated accelerometer is logged in g (Sensor Logger UNITS.md)
    if raw.meta.get("sensor_logger_platform") == "ios" or kind in ("WristMotion", "WatchAccelerometerUncalibrated"):
        # CoreMotion's sign: gravity reads -1 g on the upward axis, the opposite of Android and of
        # IMUs, unless the app's "Standardise Units & Frames" was on (the files do not say). Not flipped.
        raw.meta["acc_sign_convention"] = "coremotion (gravity -1 g on the up axis) unless standardised in the app"
    if ctx.columns is None and kind == "WristMotion":
        if all(f"gravity{a}" in header for a in "XYZ"):
            gravity = read_table(path, where=ctx.where, columns={"time": "time", "gravityX": "acc_x",
                                                                 "gravityY": "acc_y", "gravityZ": "acc_z"},
                                 lines=ctx.lines, encoding=ctx.encoding)
            for a in "xyz":
                raw.signals[f"acc_{a}"] = raw.signals[f"acc_{a}"] + gravity.signals[f"acc_{a}"]
            raw.meta["acceleration"] = "accelerationXYZ + gravityXYZ"
        raw.gyr_unit = "rad/s"
        raw.meta["placement"] = "wrist"
        return raw
    if ctx.columns is None and kind == "Accelerometer":
        gravity_file = sensor_logger_siblings(path, kind).get("gravity")
        if gravity_file is None:
            raw.linear_only = True
            return raw
        gravity = _read_sibling(gravity_file, ctx.where, columns)  # type: ignore[arg-type]
        raw = merge_channels(raw, gravity, {f"acc_{a}": f"acc_{a}" for a in "xyz"}, add=True, where=ctx.where)
        raw.meta["gravity_file"] = str(gravity_file)
    if kind in ("TotalAcceleration", "Accelerometer"):
        raw.acc_unit = "m/s^2"
    gyro = sensor_logger_siblings(path, kind).get("gyroscope")
    if ctx.columns is None and gyro is not None:
        other = _read_sibling(gyro, ctx.where, {"time": "time", "x": "acc_x", "y": "acc_y", "z": "acc_z"})
        raw = merge_channels(raw, other, {f"acc_{a}": f"gyr_{a}" for a in "xyz"}, where=ctx.where)
        raw.gyr_unit = "rad/s"
        raw.meta["gyroscope_file"] = str(gyro)
    return raw


# ---------------------------------------------------------------- Physics Toolbox, AndroSensor


def _first_line(lines: list[str]) -> str:
    return next((ln for ln in lines if ln.strip()), "")


def _is_physics_toolbox(path: Path, lines: list[str]) -> bool:
    first = _first_line(lines).replace(" ", "").lower()
    return (first.startswith("time,gfx") or first.startswith("time;gfx") or first.startswith("time\tgfx"))


def _read_physics_toolbox(path: Path, ctx: Context) -> RawSignals:
    dialect = _sniff.sniff(ctx.lines, where=ctx.where)
    names = dialect.names or []
    columns = ctx.columns
    if columns is None:
        columns = {"time": "time", "gFx": "acc_x", "gFy": "acc_y", "gFz": "acc_z"}
        if all(w in names for w in ("wx", "wy", "wz")):
            columns |= {"wx": "gyr_x", "wy": "gyr_y", "wz": "gyr_z"}
    raw = read_table(path, where=ctx.where, columns=columns, lines=ctx.lines, encoding=ctx.encoding,
                     dialect=dialect)
    raw.acc_unit, raw.gyr_unit = "g", "rad/s"
    raw.meta.update({"device": "Physics Toolbox Sensor Suite",
                     "note": "rows repeat the last value of each sensor (sample-and-hold)"})
    return raw


def _is_androsensor(path: Path, lines: list[str]) -> bool:
    text = " ".join(lines[:3]).upper()
    return "ACCELEROMETER X (M/S" in text or "TIME SINCE START IN MS" in text


def _read_androsensor(path: Path, ctx: Context) -> RawSignals:
    raw = read_table(path, where=ctx.where, columns=ctx.columns, lines=ctx.lines, encoding=ctx.encoding)
    raw.meta["device"] = "AndroSensor"
    return raw


register("phyphox", _is_phyphox, _read_phyphox, "phyphox CSV export (Time (s); m/s^2; rad/s)", priority=40)
register("sensor_logger", _is_sensor_logger, _read_sensor_logger,
         "Sensor Logger (Android/iOS/Apple Watch) per-sensor CSV", priority=40)
register("physics_toolbox", _is_physics_toolbox, _read_physics_toolbox,
         "Physics Toolbox Sensor Suite multi-record CSV (gF in g, w in rad/s)", priority=40)
register("androsensor", _is_androsensor, _read_androsensor, "AndroSensor CSV (semicolon, m/s^2, rad/s)",
         priority=40)
