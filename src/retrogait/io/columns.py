"""Recognise accelerometer, gyroscope and time columns from their names.

A column name is split into lower-case words (at non-letters and camelCase boundaries)
after removing its unit in brackets; the axis is a final ``x``/``y``/``z`` word (or
``x-axis``) and the sensor is named by one of the words below.  Examples that map to
``acc_x``: ``ax``, ``acc_x``, ``accX``, ``Acc_X``, ``Acceleration x (m/s^2)``,
``Accelerometer X``, ``ACCELEROMETER X (m/s²)``, ``gFx``, ``x-axis (g)``, ``X (m/s^2)``,
``scaledAccelX``; to ``gyr_x``: ``gx``, ``gyr_x``, ``Gyr_X``, ``Gyroscope x (rad/s)``,
``rotationRateX``, ``wx``, ``X (rad/s)``, ``x-axis (deg/s)``.  Bare ``x, y, z`` are
accelerometer axes unless their unit says angular rate.

Gravity-free acceleration (``Linear Acceleration``, ``userAcceleration``, ``FreeAcc``)
is recognised as its own kind so that it is never taken for the accelerometer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from retrogait.io import units as _units

_SPLIT = re.compile(r"[^a-z0-9]+")
_UNIT_WORDS = {"g": "g", "mg": "mg", "ms2": "m/s^2", "mps2": "m/s^2", "dps": "deg/s", "degs": "deg/s",
               "rads": "rad/s", "rps": "rad/s"}
_SHORT = re.compile(r"^(?P<sensor>a|acc|accel|gf|g|w|gyr|gyro)[_\s.-]?(?P<axis>[xyz])$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

ACC_WORDS = {
    "acc", "accel", "accelerometer", "acceleration", "accelerations", "accl", "scaledaccel", "gf",
    "totalacceleration", "total", "accelerationincludinggravity", "xl",
}
GYR_WORDS = {
    "gyr", "gyro", "gyroscope", "gyroscopes", "angular", "angularvelocity", "angvel", "rotationrate",
    "rotation", "rate", "scaledgyro", "omega", "turn",
}
LINEAR_WORDS = {"linear", "user", "useracceleration", "free", "freeacc", "linearacceleration", "lin", "dynamic"}
OTHER_WORDS = {
    "gravity", "grav", "mag", "magn", "magnetometer", "magnetic", "field", "euler", "quat", "quaternion",
    "orientation", "mat", "roll", "pitch", "yaw", "angle", "location", "position", "pos",
    "dq", "dv", "uncalibrated", "uncal", "bias", "drift", "raw", "lsb",
}
TIME_NAMES = {
    "time", "t", "timestamp", "timestamps", "times", "datetime", "date", "secondselapsed", "elapsed",
    "headertimestamp", "epoch", "epoc", "unixtime", "unixtimestamp", "timeunixcal", "timestampunixcal",
    "timestamp_unix_cal", "timesincestartinms", "sec", "seconds", "ms", "loggingtime", "clock",
    "ts", "tms", "tus", "tns", "timems", "timeus", "timens",
}


@dataclass(frozen=True)
class ColumnInfo:
    """What a file column holds: ``kind`` in acc, gyr, linear, time, other; axis; unit text.

    Returned by :func:`classify`.

    Parameters
    ----------
    kind : {'acc', 'gyr', 'linear', 'time', 'other'}
        Accelerometer (with gravity), gyroscope, gravity-free acceleration, time, or
        anything else (magnetometer, gravity, orientation, temperature, ...).
    axis : {'x', 'y', 'z'} or None
        Sensor axis; None for time and for columns without an axis.
    unit : str or None
        Unit text as found in the name (``'m/s^2'`` from ``(m/s^2)``) or in a units
        row, not yet checked or converted; None when the file does not say.

    Examples
    --------
    >>> from retrogait.io.columns import ColumnInfo, classify
    >>> classify("Gyroscope x (rad/s)") == ColumnInfo("gyr", "x", "rad/s")
    True
    """

    kind: str
    axis: str | None
    unit: str | None


def _words(name: str) -> list[str]:
    base = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", name)
    base = _CAMEL.sub(" ", base.replace("'", ""))
    return [w for w in _SPLIT.split(base.lower()) if w]


def classify(name: str, unit: str | None = None) -> ColumnInfo:
    """Classify one column name (``unit`` from a units row overrides the name's unit).

    The rules (word splitting, sensor words, axis suffixes) are in the module docstring.
    A unit that names an angular rate (``deg/s``, ``rad/s``) makes an axis column a
    gyroscope and an acceleration unit (``g``, ``mg``, ``m/s^2``) an accelerometer,
    whatever the words say, unless the words mark it gravity-free or another sensor.

    Parameters
    ----------
    name : str
        Column name as written in the file header (any case, with or without a unit in
        brackets).
    unit : str, optional
        Unit text from a separate units row (Shimmer, APDM); it replaces the unit found
        in ``name``.  Default None: the unit in the name, if any.

    Returns
    -------
    ColumnInfo
        ``kind`` (``'acc'``, ``'gyr'``, ``'linear'``, ``'time'``, ``'other'``), ``axis``
        (``'x'``/``'y'``/``'z'`` or None) and the unit text (not converted).

    Examples
    --------
    phyphox names carry their unit; short names do not:

    >>> from retrogait.io.columns import classify
    >>> classify("Time (s)")
    ColumnInfo(kind='time', axis=None, unit='s')
    >>> classify("Acceleration x (m/s^2)")
    ColumnInfo(kind='acc', axis='x', unit='m/s^2')
    >>> classify("Gyroscope z (rad/s)")
    ColumnInfo(kind='gyr', axis='z', unit='rad/s')
    >>> classify("gFx"), classify("wz")  # Physics Toolbox: g-force and angular rate
    (ColumnInfo(kind='acc', axis='x', unit=None), ColumnInfo(kind='gyr', axis='z', unit=None))

    A bare axis is an accelerometer unless its unit says angular rate; gravity-free
    acceleration is never taken for the accelerometer:

    >>> classify("X").kind, classify("X", unit="deg/s").kind
    ('acc', 'gyr')
    >>> classify("Linear Acceleration x (m/s^2)").kind, classify("Magnetic field x").kind
    ('linear', 'other')
    """
    unit = unit if unit else _units.unit_in_name(name)
    words = _words(name)
    joined = "".join(words)
    if not words:
        return ColumnInfo("other", None, unit)
    if words[-1] in ("cal", "calibrated") and len(words) > 1:
        words = words[:-1]
    short = _SHORT.match(re.sub(r"[\(\[][^\)\]]*[\)\]]", "", name).strip().lower())
    if short:
        kind = "gyr" if short["sensor"] in ("g", "w", "gyr", "gyro") else "acc"
        return ColumnInfo(kind, short["axis"], unit)
    if unit is None and len(words) > 1 and words[-1] in _units.TIME_UNITS and words[0] in ("time", "t"):
        unit = words[-1]
    if len(words) > 2 and words[-1] in _UNIT_WORDS and words[-2] in ("x", "y", "z"):
        unit = unit or _UNIT_WORDS[words[-1]]
        words = words[:-1]
    if joined in TIME_NAMES or (words[0] in {"time", "timestamp", "epoch", "epoc"} and len(words) <= 3):
        return ColumnInfo("time", None, unit)
    axis: str | None = None
    rest = words
    if words[-1] in ("x", "y", "z"):
        axis, rest = words[-1], words[:-1]
    elif words[-1] == "axis" and len(words) >= 2 and words[-2] in ("x", "y", "z"):
        axis, rest = words[-2], words[:-2]
    elif len(words[-1]) >= 2 and words[-1][-1] in "xyz" and words[-1][:-1] in ACC_WORDS | GYR_WORDS:
        axis, rest = words[-1][-1], words[:-1] + [words[-1][:-1]]
    if axis is None:
        return ColumnInfo("other", None, unit)
    rest_set = set(rest)
    if rest_set & LINEAR_WORDS:
        return ColumnInfo("linear", axis, unit)
    if rest_set & OTHER_WORDS:
        return ColumnInfo("other", axis, unit)
    if unit and _units.canonical_gyr_unit(unit):
        return ColumnInfo("gyr", axis, unit)
    if unit and _units.canonical_acc_unit(unit):
        return ColumnInfo("acc", axis, unit)
    if rest_set & ACC_WORDS:
        return ColumnInfo("acc", axis, unit)
    if rest_set & GYR_WORDS:
        return ColumnInfo("gyr", axis, unit)
    if not rest or rest_set <= {"axis", "value", "val", "data", "sensor", "imu", "scaled", "cal", "calibrated"}:
        return ColumnInfo("acc", axis, unit)
    return ColumnInfo("other", axis, unit)


@dataclass(frozen=True)
class Mapping3:
    """Chosen file columns for each standard channel, with their unit texts.

    Returned by :func:`choose_columns`.

    Parameters
    ----------
    columns : dict of str to str
        Standard name (``time``, ``acc_x`` ... ``gyr_z``) -> file column.  Only complete
        triplets are present: ``acc_x`` with ``acc_y`` and ``acc_z``, likewise ``gyr_*``.
    units : dict of str to str or None
        Standard name -> unit text found in the name or units row (not converted), None
        when none was found.
    linear_only : bool
        True when the acceleration triplet is gravity-free (``Linear Acceleration``,
        ``userAcceleration``), the only acceleration the file has.

    Examples
    --------
    >>> from retrogait.io.columns import choose_columns
    >>> choice = choose_columns(["t", "ax", "ay", "az"])
    >>> choice.columns["acc_x"], choice.units["acc_x"], choice.linear_only
    ('ax', None, False)
    """

    columns: dict[str, str]  # standard name -> file column
    units: dict[str, str | None]  # standard name -> unit text found
    linear_only: bool  # only gravity-free acceleration columns were found


def choose_columns(
    names: Sequence[str],
    units_row: Sequence[str | None] | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
) -> Mapping3:
    """Pick ``time, acc_x..z, gyr_x..z`` among file columns.

    ``mapping`` (file column -> standard name) wins over the aliases.  Among several
    accelerometer triplets the first complete one is used (so ``Accelerometer`` before
    ``Gravity``/``Linear``); the time column is the first column recognised as time.
    Gravity-free acceleration is used only when there is no other complete triplet, and
    then ``linear_only`` is set.  An incomplete triplet is left out rather than
    reported: the readers raise ``InputError`` for missing accelerometer axes.

    Parameters
    ----------
    names : sequence of str
        Column names of the file, in file order.
    units_row : sequence of str or None, optional
        Units row under the names (same order, None for an empty cell); its units
        override those in the names.  Default None: units from the names only.
    mapping : mapping of str to str, keyword-only, optional
        File column -> standard name (``time``, ``acc_x`` ... ``gyr_z``), the caller's
        ``columns=``; these choices are kept and the aliases fill in the rest.

    Returns
    -------
    Mapping3
        ``columns`` (standard name -> file column), ``units`` (standard name -> unit
        text or None) and ``linear_only``.

    Examples
    --------
    Short names with a units row (as in a Shimmer export):

    >>> from retrogait.io.columns import choose_columns
    >>> names = ["time", "ax", "ay", "az", "gx", "gy", "gz"]
    >>> choice = choose_columns(names, ["s", "g", "g", "g", "deg/s", "deg/s", "deg/s"])
    >>> choice.columns["time"], choice.columns["gyr_z"], choice.units["acc_x"], choice.units["gyr_x"]
    ('time', 'gz', 'g', 'deg/s')

    A phyphox header with gravity columns too: the accelerometer triplet wins.

    >>> phyphox = ["Time (s)"] + [f"Acceleration {a} (m/s^2)" for a in "xyz"]
    >>> phyphox += [f"Gravity {a} (m/s^2)" for a in "xyz"]
    >>> choice = choose_columns(phyphox)
    >>> choice.columns["acc_z"], choice.units["acc_z"], choice.linear_only
    ('Acceleration z (m/s^2)', 'm/s^2', False)

    A gyroscope with only two axes is not chosen at all; ``mapping`` names columns
    the aliases do not know:

    >>> sorted(choose_columns(["t", "ax", "ay", "az", "gx", "gy"]).columns)
    ['acc_x', 'acc_y', 'acc_z', 'time']
    >>> choose_columns(["t", "c1", "c2", "c3"], mapping={"c1": "acc_x", "c2": "acc_y", "c3": "acc_z"}).columns
    {'acc_x': 'c1', 'acc_y': 'c2', 'acc_z': 'c3', 'time': 't'}
    """
    chosen: dict[str, str] = {}
    found_units: dict[str, str | None] = {}
    unit_of = {n: (units_row[i] if units_row is not None and i < len(units_row) else None)
               for i, n in enumerate(names)}
    if mapping:
        for file_col, std in mapping.items():
            chosen[std] = file_col
            found_units[std] = unit_of.get(file_col) or _units.unit_in_name(str(file_col))
    infos = {n: classify(n, unit_of.get(n)) for n in names}
    groups: dict[str, dict[str, list[str]]] = {"acc": {}, "gyr": {}, "linear": {}}
    for n in names:
        info = infos[n]
        if info.kind == "time" and "time" not in chosen:
            chosen["time"] = n
            found_units["time"] = info.unit
        elif info.kind in groups and info.axis:
            groups[info.kind].setdefault(info.axis, []).append(n)
    linear_only = False
    for kind in ("acc", "gyr"):
        if all(f"{kind}_{a}" in chosen for a in "xyz"):
            continue
        source = groups[kind]
        if kind == "acc" and not all(source.get(a) for a in "xyz") and all(groups["linear"].get(a) for a in "xyz"):
            source, linear_only = groups["linear"], True
        if all(source.get(a) for a in "xyz"):
            for a in "xyz":
                chosen[f"{kind}_{a}"] = source[a][0]
                found_units[f"{kind}_{a}"] = infos[source[a][0]].unit
    return Mapping3(chosen, found_units, linear_only)
