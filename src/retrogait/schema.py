"""Column names, units, dtypes and allowed values of every retrogait table.

This module is the single place where the data contracts (the columns of the events,
strides, bouts and summary tables) live.  Every stage builds its output with the
``empty_*`` constructors or checks it with the ``validate_*`` functions below, so a
renamed column shows up here and nowhere else.

Units inside retrogait: acceleration in m/s^2, angular rate in deg/s, time in s, length in
m, cadence in steps/min, angle in deg, speed in m/s, shares in %.  Table column names
carry the unit as a suffix (``_s``, ``_m``, ``_spm``, ``_deg``, ``_mps``, ``_pct``,
``_ms2``); the signal columns ``acc_*`` and ``gyr_*`` are in m/s^2 and deg/s.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from retrogait.errors import InputError

#: Standard gravity in m/s^2 (CGPM 1901), used for every g <-> m/s^2 conversion.
STANDARD_GRAVITY_MS2 = 9.80665

ACC_COLUMNS = ("acc_x", "acc_y", "acc_z")
GYR_COLUMNS = ("gyr_x", "gyr_y", "gyr_z")
SIGNAL_COLUMNS = ACC_COLUMNS + GYR_COLUMNS

PLACEMENTS = ("foot", "shank", "thigh", "lower_back", "wrist", "phone", "unknown")
SIDES = ("left", "right")
EVENT_TYPES = ("ic", "fc")
DIRECTIONS = ("forward", "backward", "sideways", "unknown")
GAITS = ("walk", "run", "unknown")
CONTACT_TYPES = ("toe_first", "flat", "heel_first", "unknown")

# --- events -------------------------------------------------------------------------

EVENTS_COLUMNS: dict[str, str] = {
    "sample": "int64",
    "time_s": "float64",
    "event": "object",
    "side": "object",
    "sensor": "object",
}

# --- strides ------------------------------------------------------------------------

STRIDES_COLUMNS: dict[str, str] = {
    "stride_id": "int64",
    "sensor": "object",
    "side": "object",
    "bout_id": "int64",
    "start_sample": "int64",
    "end_sample": "int64",
    "start_s": "float64",
    "end_s": "float64",
    "fc_s": "float64",
    "stride_time_s": "float64",
    "stance_time_s": "float64",
    "swing_time_s": "float64",
    "stance_pct": "float64",
    "cadence_spm": "float64",
    "stride_length_m": "float64",
    "speed_mps": "float64",
    "direction": "object",
    "gait": "object",
    "contact_type": "object",
    "strike_angle_deg": "float64",
    "contact_confidence": "float64",
}

#: Optional stride columns: added when the sensors can give them (NaN otherwise).
STRIDES_OPTIONAL_COLUMNS: dict[str, str] = {
    # bilateral (both feet of one trial present)
    "step_time_s": "float64",
    "double_support_s": "float64",
    "double_support_pct": "float64",
    "flight_time_s": "float64",
    # foot trajectory (spatial)
    "foot_clearance_m": "float64",
    "turning_angle_deg": "float64",
    "lateral_displacement_m": "float64",
    # contact
    "peak_acc_ic_ms2": "float64",
    # posture (lower-back sensor with a standing rest period; retrogait.posture)
    "trunk_tilt_deg": "float64",
}

# --- bouts --------------------------------------------------------------------------

BOUTS_COLUMNS: dict[str, str] = {
    "bout_id": "int64",
    "start_s": "float64",
    "end_s": "float64",
    "n_strides": "int64",
    "gait": "object",
    "direction": "object",
    "duration_s": "float64",
    "cadence_spm": "float64",
    "stride_time_s": "float64",
    "stride_length_m": "float64",
    "speed_mps": "float64",
}

#: Parameters the summary aggregates (mean, sd, cv) when the strides table has them.
SUMMARY_PARAMETERS = (
    "stride_time_s",
    "stance_time_s",
    "swing_time_s",
    "stance_pct",
    "cadence_spm",
    "stride_length_m",
    "speed_mps",
    "strike_angle_deg",
    "step_time_s",
    "double_support_pct",
    "flight_time_s",
    "foot_clearance_m",
    "peak_acc_ic_ms2",
    "trunk_tilt_deg",
)

#: Summary columns always present (the aggregates and meta columns are added to them).
SUMMARY_COLUMNS: dict[str, str] = {
    "n_strides": "int64",
    "n_bouts": "int64",
    "duration_s": "float64",
}

#: Axis labels with units, for plots and reports.
LABELS: dict[str, str] = {
    "time_s": "Time (s)",
    "stride_time_s": "Stride time (s)",
    "stance_time_s": "Stance time (s)",
    "swing_time_s": "Swing time (s)",
    "stance_pct": "Stance (% of stride)",
    "cadence_spm": "Cadence (steps/min)",
    "stride_length_m": "Stride length (m)",
    "speed_mps": "Speed (m/s)",
    "strike_angle_deg": "Strike angle (deg, + = toes up)",
    "contact_confidence": "Contact confidence (0-1)",
    "step_time_s": "Step time (s)",
    "double_support_s": "Double support (s)",
    "double_support_pct": "Double support (% of stride)",
    "flight_time_s": "Flight time (s)",
    "foot_clearance_m": "Foot clearance (m)",
    "turning_angle_deg": "Turning angle (deg)",
    "peak_acc_ic_ms2": "Peak acceleration at contact (m/s²)",
    "trunk_tilt_deg": "Trunk tilt vs standing (deg, unsigned)",
    "acc_x": "acc x (m/s²)",
    "acc_y": "acc y (m/s²)",
    "acc_z": "acc z (m/s²)",
    "gyr_x": "gyr x (deg/s)",
    "gyr_y": "gyr y (deg/s)",
    "gyr_z": "gyr z (deg/s)",
}


def label(column: str) -> str:
    """Return the axis label (with unit) of ``column``, or the column name itself.

    Parameters
    ----------
    column : str
        A column name of a retrogait table.

    Returns
    -------
    str
        The label from ``LABELS``, or ``column`` when it has none.

    Examples
    --------
    >>> label("stride_length_m")
    'Stride length (m)'
    >>> label("subject")
    'subject'
    """
    return LABELS.get(column, column)


# --- constructors -------------------------------------------------------------------


def _empty(columns: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def empty_events() -> pd.DataFrame:
    """An events table with no rows and every contract column.

    Returns
    -------
    pandas.DataFrame
        Zero rows, the columns and dtypes of ``EVENTS_COLUMNS``.

    Examples
    --------
    >>> t = empty_events()
    >>> len(t), list(t.columns) == list(EVENTS_COLUMNS)
    (0, True)
    """
    return _empty(EVENTS_COLUMNS)


def empty_strides() -> pd.DataFrame:
    """A strides table with no rows and every contract column.

    Returns
    -------
    pandas.DataFrame
        Zero rows, the columns and dtypes of ``STRIDES_COLUMNS``.

    Examples
    --------
    >>> t = empty_strides()
    >>> len(t), list(t.columns) == list(STRIDES_COLUMNS)
    (0, True)
    """
    return _empty(STRIDES_COLUMNS)


def empty_bouts() -> pd.DataFrame:
    """A bouts table with no rows and every contract column.

    Returns
    -------
    pandas.DataFrame
        Zero rows, the columns and dtypes of ``BOUTS_COLUMNS``.

    Examples
    --------
    >>> t = empty_bouts()
    >>> len(t), list(t.columns) == list(BOUTS_COLUMNS)
    (0, True)
    """
    return _empty(BOUTS_COLUMNS)


def conform(table: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Return a copy of ``table`` with the contract columns first, in contract dtypes.

    Missing float columns are added as NaN, ``side`` as None, other label columns as
    ``"unknown"`` and integer columns as 0; extra columns are kept after the contract
    ones.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table; it is not changed.
    columns : mapping of str to str
        Contract column names and dtypes, e.g. ``STRIDES_COLUMNS``.

    Returns
    -------
    pandas.DataFrame
        The conformed copy, index reset.

    Examples
    --------
    >>> t = conform(pd.DataFrame({"start_s": [0.0], "end_s": [1.1], "note": ["x"]}), STRIDES_COLUMNS)
    >>> t.loc[0, "direction"], bool(np.isnan(t.loc[0, "stride_length_m"])), t.columns[-1]
    ('unknown', True, 'note')
    """
    out = table.copy()
    for name, dtype in columns.items():
        if name not in out.columns:
            if name == "side":
                out[name] = None
            else:
                out[name] = np.nan if dtype == "float64" else ("unknown" if dtype == "object" else 0)
        if dtype == "object":
            out[name] = out[name].astype(object)
        else:
            out[name] = out[name].astype(dtype)
    extra = [c for c in out.columns if c not in columns]
    return out[list(columns) + extra].reset_index(drop=True)


# --- validators ---------------------------------------------------------------------


def _check_columns(table: object, columns: Mapping[str, str], what: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} table: expected a pandas DataFrame, found {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{what} table: missing column(s) {missing}; found {list(table.columns)}")
    for name, dtype in columns.items():
        col = table[name]
        if dtype == "float64" and not pd.api.types.is_float_dtype(col):
            raise InputError(f"{what} table: column {name!r} must be float, found {col.dtype}")
        if dtype == "int64" and not pd.api.types.is_integer_dtype(col):
            raise InputError(f"{what} table: column {name!r} must be integer, found {col.dtype}")
    return table


def _check_allowed(table: pd.DataFrame, column: str, allowed: tuple, what: str) -> None:
    values = table[column]
    bad = sorted({str(v) for v in values if v not in allowed and not (v is None or v != v)})
    if bad:
        raise InputError(f"{what} table: column {column!r} has value(s) {bad}; allowed: {list(allowed)}")


def _check_nonnegative(table: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    for name in columns:
        if name in table.columns:
            values = table[name].to_numpy(dtype=float)
            if np.any(values[np.isfinite(values)] < 0):
                raise InputError(f"{what} table: column {name!r} has negative values")


def validate_events(events: pd.DataFrame) -> pd.DataFrame:
    """Check an events table against the contract and return it unchanged.

    Parameters
    ----------
    events : pandas.DataFrame
        The table to check.

    Returns
    -------
    pandas.DataFrame
        ``events`` itself, so that the call can wrap a return value.

    Raises
    ------
    TypeError
        If ``events`` is not a DataFrame.
    InputError
        If a column is missing, has the wrong dtype or a value outside the allowed set,
        or the events are not sorted by time within each sensor.

    Examples
    --------
    >>> validate_events(empty_events()).empty
    True
    """
    _check_columns(events, EVENTS_COLUMNS, "events")
    _check_allowed(events, "event", EVENT_TYPES, "events")
    _check_allowed(events, "side", SIDES + (None,), "events")
    for sensor, group in events.groupby("sensor", sort=False):
        if np.any(np.diff(group["time_s"].to_numpy()) < 0):
            raise InputError(f"events table: events of sensor {sensor!r} are not sorted by time_s")
    return events


def validate_strides(strides: pd.DataFrame) -> pd.DataFrame:
    """Check a strides table against the contract and return it unchanged.

    Parameters
    ----------
    strides : pandas.DataFrame
        The table to check.

    Returns
    -------
    pandas.DataFrame
        ``strides`` itself, so that the call can wrap a return value.

    Raises
    ------
    TypeError
        If ``strides`` is not a DataFrame.
    InputError
        If a column is missing or mistyped, a label is not allowed, a duration is
        negative, a stride ends before it starts, or stance + swing differs from the
        stride time.

    Examples
    --------
    >>> validate_strides(empty_strides()).empty
    True
    """
    _check_columns(strides, STRIDES_COLUMNS, "strides")
    _check_allowed(strides, "direction", DIRECTIONS, "strides")
    _check_allowed(strides, "gait", GAITS, "strides")
    _check_allowed(strides, "contact_type", CONTACT_TYPES, "strides")
    _check_allowed(strides, "side", SIDES + (None,), "strides")
    _check_nonnegative(
        strides,
        ("stride_time_s", "stance_time_s", "swing_time_s", "stance_pct", "cadence_spm",
         "stride_length_m", "speed_mps", "step_time_s", "double_support_s", "flight_time_s"),
        "strides",
    )
    if np.any(strides["end_s"].to_numpy() <= strides["start_s"].to_numpy()):
        raise InputError("strides table: a stride has end_s <= start_s")
    total = strides["stance_time_s"].to_numpy() + strides["swing_time_s"].to_numpy()
    stride_time = strides["stride_time_s"].to_numpy()
    both = np.isfinite(total)
    if np.any(np.abs(total[both] - stride_time[both]) > 1e-6):
        raise InputError("strides table: stance_time_s + swing_time_s differs from stride_time_s")
    confidence = strides["contact_confidence"].to_numpy()
    finite = confidence[np.isfinite(confidence)]
    if np.any((finite < 0) | (finite > 1)):
        raise InputError("strides table: contact_confidence must lie in [0, 1]")
    return strides


def validate_bouts(bouts: pd.DataFrame) -> pd.DataFrame:
    """Check a bouts table against the contract and return it unchanged.

    Parameters
    ----------
    bouts : pandas.DataFrame
        The table to check.

    Returns
    -------
    pandas.DataFrame
        ``bouts`` itself, so that the call can wrap a return value.

    Raises
    ------
    TypeError
        If ``bouts`` is not a DataFrame.
    InputError
        If a column is missing or mistyped, a label is not allowed, or a bout ends
        before it starts.

    Examples
    --------
    >>> validate_bouts(empty_bouts()).empty
    True
    """
    _check_columns(bouts, BOUTS_COLUMNS, "bouts")
    _check_allowed(bouts, "gait", GAITS, "bouts")
    _check_allowed(bouts, "direction", DIRECTIONS, "bouts")
    _check_nonnegative(bouts, ("n_strides", "duration_s"), "bouts")
    if np.any(bouts["end_s"].to_numpy() < bouts["start_s"].to_numpy()):
        raise InputError("bouts table: a bout has end_s < start_s")
    return bouts


def validate_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """Check a summary table (one row per recording or group) and return it unchanged.

    Parameters
    ----------
    summary : pandas.DataFrame
        The table to check.

    Returns
    -------
    pandas.DataFrame
        ``summary`` itself, so that the call can wrap a return value.

    Raises
    ------
    TypeError
        If ``summary`` is not a DataFrame.
    InputError
        If a contract column is missing or mistyped, or a share of a contact type lies
        outside 0-100 %.

    Examples
    --------
    >>> validate_summary(pd.DataFrame({"n_strides": [3], "n_bouts": [1], "duration_s": [9.5]})).shape
    (1, 3)
    """
    _check_columns(summary, SUMMARY_COLUMNS, "summary")
    for contact in CONTACT_TYPES:
        name = f"{contact}_pct"
        if name in summary.columns:
            values = summary[name].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if np.any((values < 0) | (values > 100 + 1e-9)):
                raise InputError(f"summary table: column {name!r} must lie in [0, 100]")
    return summary
