"""Public simulation functions, parameter checks and the truth tables."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording
from retrogait.simulate._kinematics import (
    _apply,
    _foot_kinematics,
    _impacts,
    _mounting_matrix,
    _shank_kinematics,
    _synthesize,
    _trunk_kinematics,
)
from retrogait.simulate._styles import (
    _FOOT_SENSOR_M,
    _MIN_INTERNAL_RATE_HZ,
    _SIM_CONTACTS,
    _SIM_DIRECTIONS,
    _SIM_GAITS,
    _SIM_PLACEMENTS,
    _direction_vector,
    _Style,
    _style,
)
from retrogait.simulate._timeline import _build_timeline, _Timeline

# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SimulatedTrial:
    """One simulated recording with its reference (truth) tables.

    Attributes
    ----------
    recording : Recording
        The simulated sensor; ``meta`` holds ``simulated=True`` and the settings.
    events : pandas.DataFrame
        Reference events (``schema.EVENTS_COLUMNS``): every initial (``ic``) and final
        (``fc``) contact present in the signal, exact times (``sample`` is the nearest
        sample).  A lower-back sensor carries both feet's events, ``side`` alternating.
    strides : pandas.DataFrame
        Truth per stride (``schema.STRIDES_COLUMNS``; ic to the next ic of the same
        foot), with ``bout_id`` = index of the walking bout, plus ``fc_angle_deg`` (foot
        pitch at final contact, + = toes up) and ``segment_id`` (row of ``segments``).
        ``contact_confidence`` is 1 (the truth is certain).
    segments : pandas.DataFrame
        Truth per segment of a session (one row for :func:`simulate_gait`):
        ``segment_id, kind ("gait" | "rest"), start_s, end_s, gait, direction,
        contact_type, n_strides``.  ``start_s`` / ``end_s`` of a gait segment are the
        first and last initial contact of its strides (either foot), so two joined gait
        segments overlap by about half a stride; a rest segment starts when the bout
        before it has come to rest (both feet flat, trunk still).

    Examples
    --------
    >>> sim = simulate_gait(n_strides=2, sampling_rate_hz=100.0, seed=0)
    >>> sim.recording.placement, len(sim.strides), sorted(sim.events["event"].unique())
    ('foot', 2, ['fc', 'ic'])
    """

    recording: Recording
    events: pd.DataFrame
    strides: pd.DataFrame
    segments: pd.DataFrame = field(default_factory=pd.DataFrame)


# ----------------------------------------------------------------------------- validation


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InputError(f"{name}: expected one of {list(allowed)}, found {value!r}")
    return str(value)


def _check_number(name: str, value: object, low: float, high: float, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name}: expected a number, found {value!r}")
    number = float(value)
    too_low = number <= low if low_open else number < low
    if not math.isfinite(number) or too_low or number > high:
        bracket = "(" if low_open else "["
        raise InputError(f"{name}: expected a value in {bracket}{low:g}, {high:g}], found {value!r}")
    return number


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= int(value) <= high:
        raise InputError(f"{name}: expected an integer in [{low}, {high}], found {value!r}")
    return int(value)


def _segment_style(seg: Mapping[str, Any], where: str) -> tuple[_Style, int]:
    gait = _check_choice(f"{where}gait", seg.get("gait", "walk"), _SIM_GAITS)
    direction = _check_choice(f"{where}direction", seg.get("direction", "forward"), _SIM_DIRECTIONS)
    if gait == "run" and direction == "sideways":
        raise InputError(f"{where}direction: 'sideways' is only simulated for gait='walk', found gait='run'")
    contact = seg.get("contact_type")
    if contact is not None:
        _check_choice(f"{where}contact_type", contact, _SIM_CONTACTS)
    style = _style(gait, direction, contact)
    n_strides = _check_int(f"{where}n_strides", seg.get("n_strides", 20), 1, 10_000)
    changes: dict[str, Any] = {}
    if seg.get("cadence_spm") is not None:
        changes["cadence_spm"] = _check_number(f"{where}cadence_spm", seg["cadence_spm"], 30.0, 300.0)
    if seg.get("stride_length_m") is not None:
        changes["stride_length_m"] = _check_number(f"{where}stride_length_m", seg["stride_length_m"],
                                                   0.0, 5.0, low_open=True)
    if seg.get("stance_pct") is not None:
        changes["stance_pct"] = _check_number(f"{where}stance_pct", seg["stance_pct"], 20.0, 85.0)
    style = replace(style, **changes)
    stride_time_s = 120.0 / style.cadence_spm
    swing_s = stride_time_s * (1.0 - style.stance_pct / 100.0)
    if swing_s < 0.08:
        raise InputError(
            f"{where}cadence_spm / stance_pct: the swing phase would last {swing_s * 1000:.0f} ms; "
            "expected at least 80 ms (lower the cadence or the stance percentage)"
        )
    return style, n_strides


# ----------------------------------------------------------------------------- truth tables


def _events_table(tl: _Timeline, sides: Sequence[str], sensor: str, rate_hz: float, n_samples: int
                  ) -> pd.DataFrame:
    rows = []
    end = n_samples / rate_hz
    for side in sides:
        for st in tl.stances[side]:
            for kind, time in (("ic", st.ic_s), ("fc", st.fc_s)):
                if math.isfinite(time) and 0 <= time < end:
                    rows.append({"sample": min(int(round(time * rate_hz)), n_samples - 1), "time_s": time,
                                 "event": kind, "side": side, "sensor": sensor})
    if not rows:
        return schema.empty_events()
    table = pd.DataFrame(rows).sort_values("time_s", kind="stable")
    return schema.conform(table, schema.EVENTS_COLUMNS)


def _strides_table(tl: _Timeline, sides: Sequence[str], sensor: str, rate_hz: float) -> pd.DataFrame:
    rows = [dict(r) for r in tl.strides if r["side"] in sides]
    if not rows:
        return schema.conform(schema.empty_strides().assign(segment_id=pd.Series(dtype="int64")),
                              schema.STRIDES_COLUMNS)
    table = pd.DataFrame(rows).sort_values(["start_s", "side"], kind="stable").reset_index(drop=True)
    table["stride_id"] = np.arange(len(table))
    table["sensor"] = sensor
    table["start_sample"] = np.round(table["start_s"] * rate_hz).astype("int64")
    table["end_sample"] = np.round(table["end_s"] * rate_hz).astype("int64")
    table["swing_time_s"] = table["stride_time_s"] - table["stance_time_s"]
    table["stance_pct"] = 100 * table["stance_time_s"] / table["stride_time_s"]
    table["cadence_spm"] = 120 / table["stride_time_s"]
    table["speed_mps"] = table["stride_length_m"] / table["stride_time_s"]
    table["contact_confidence"] = 1.0
    return schema.conform(table, schema.STRIDES_COLUMNS)


def _segments_table(tl: _Timeline) -> pd.DataFrame:
    columns = {"segment_id": "int64", "kind": "object", "start_s": "float64", "end_s": "float64",
               "gait": "object", "direction": "object", "contact_type": "object", "n_strides": "int64"}
    return schema.conform(pd.DataFrame(tl.segments), columns)


# ----------------------------------------------------------------------------- public API


_NAMES = {("foot", "left"): "foot_left", ("foot", "right"): "foot_right", ("shank", "left"): "shank_left",
          ("shank", "right"): "shank_right", ("lower_back", None): "lower_back"}


def _validate_segments(segments: object) -> list[dict[str, Any]]:
    if isinstance(segments, (str, bytes)) or not isinstance(segments, Sequence) or not segments:
        raise InputError(f"segments: expected a non-empty list of dicts, found {segments!r}")
    checked: list[dict[str, Any]] = []
    allowed = {"gait", "direction", "n_strides", "cadence_spm", "stride_length_m", "stance_pct", "contact_type"}
    for i, seg in enumerate(segments):
        where = f"segments[{i}]."
        if not isinstance(seg, Mapping):
            raise InputError(f"segments[{i}]: expected a dict, found {seg!r}")
        if "rest_s" in seg:
            if len(seg) != 1:
                raise InputError(f"segments[{i}]: a rest segment takes only 'rest_s', found keys {sorted(seg)}")
            rest = _check_number(f"{where}rest_s", seg["rest_s"], 0.0, 3600.0)
            if rest > 0:
                checked.append({"rest_s": rest, "_index": i})
            continue
        unknown = sorted(set(seg) - allowed)
        if unknown:
            raise InputError(f"segments[{i}]: unknown key(s) {unknown}; allowed: {sorted(allowed | {'rest_s'})}")
        style, n = _segment_style(seg, where)
        checked.append({"_style": style, "_n": n, "_index": i})
    if not any("_style" in seg for seg in checked):
        raise InputError("segments: expected at least one gait segment (with 'gait'), found only rest")
    return checked


def _run(segments: object, *, sensors: Sequence[tuple[str, str | None]], sampling_rate_hz: object,
         rest_before_s: object, rest_after_s: object, noise_std_ms2: object, gyro_noise_std_dps: object,
         gyro: bool, variability_pct: object, step_asymmetry_pct: object, acc_bias_std_ms2: object,
         gyro_bias_std_dps: object, acc_range_ms2: object, mounting: object, seed: int | None,
         meta: Mapping[str, Any]) -> dict[str, SimulatedTrial]:
    rate = _check_number("sampling_rate_hz", sampling_rate_hz, 10.0, 100_000.0)
    before = _check_number("rest_before_s", rest_before_s, 0.0, 3600.0)
    after = _check_number("rest_after_s", rest_after_s, 0.0, 3600.0)
    noise = _check_number("noise_std_ms2", noise_std_ms2, 0.0, 50.0)
    gnoise = _check_number("gyro_noise_std_dps", gyro_noise_std_dps, 0.0, 100.0)
    cv = _check_number("variability_pct", variability_pct, 0.0, 10.0)
    asym = _check_number("step_asymmetry_pct", step_asymmetry_pct, -50.0, 50.0)
    acc_bias = _check_number("acc_bias_std_ms2", acc_bias_std_ms2, 0.0, 50.0)
    gyr_bias = _check_number("gyro_bias_std_dps", gyro_bias_std_dps, 0.0, 100.0)
    acc_range = None if acc_range_ms2 is None else _check_number("acc_range_ms2", acc_range_ms2, 0.0, math.inf,
                                                                  low_open=True)
    if not isinstance(gyro, bool):
        raise InputError(f"gyro: expected True or False, found {gyro!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise InputError(f"seed: expected an integer or None, found {seed!r}")
    checked = _validate_segments(segments)
    rng = np.random.default_rng(seed)
    plan = ([{"rest_s": before, "_index": -1}] if before > 0 else []) + checked \
        + ([{"rest_s": after, "_index": -2}] if after > 0 else [])
    tl = _build_timeline(_renumber(plan), np.random.default_rng(rng.integers(2**63)), cv, asym)
    factor = max(1, math.ceil(_MIN_INTERNAL_RATE_HZ / rate))
    fine_rate = factor * rate
    n_out = max(int(round(tl.duration_s * rate)), 2)
    t = np.arange(n_out * factor) / fine_rate
    out: dict[str, SimulatedTrial] = {}
    feet: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for placement, side in sensors:
        sensor_rng = np.random.default_rng(rng.integers(2**63))
        m = _mounting_matrix(mounting, np.random.default_rng(rng.integers(2**63)))
        if placement in ("foot", "shank"):
            assert side is not None
            if side not in feet:
                feet[side] = _foot_kinematics(tl, side, t)
            heel, _, foot_euler = feet[side]
            onsets = [st.ic_s for st in tl.stances[side] if math.isfinite(st.ic_s)]
            styles = [st.style for st in tl.stances[side] if math.isfinite(st.ic_s)]
            if placement == "foot":
                pos = heel + _apply(foot_euler, _FOOT_SENSOR_M)
                euler = foot_euler
                scale = 1.0
            else:
                pos, euler = _shank_kinematics(tl, side, t, heel, foot_euler)
                scale = 0.4
            sides: tuple[str, ...] = (side,)
        else:
            pos, euler = _trunk_kinematics(tl, t)
            onsets = [s[0] for s in tl.steps]
            styles = [s[2] for s in tl.steps]
            scale = 1.0
            sides = ("left", "right")
        amps = [scale * (st.foot_impact_ms2 if placement != "lower_back" else st.trunk_impact_ms2)
                 * (1 + 0.15 * sensor_rng.standard_normal()) for st in styles]
        dirs = [_direction_vector(st.direction) for st in styles]
        # foot: a sharp and a slower ringing (shoe and soft tissue); trunk: one slow component
        components = ((45.0, 0.010), (90.0, 0.004)) if placement != "lower_back" else ((18.0, 0.012),)
        # the ground pushes the trunk toward the other side at each contact
        lateral = [-0.4 if s[1] == "left" else 0.4 for s in tl.steps] if placement == "lower_back" else None
        pos = pos + _impacts(t, onsets, amps, dirs, components, sensor_rng, lateral)
        data = _synthesize(pos, euler, fine_rate, factor, m, noise, gnoise, gyro, sensor_rng)
        data, truth = _imperfections(data, np.random.default_rng(rng.integers(2**63)), acc_bias_std_ms2=acc_bias,
                                     gyro_bias_std_dps=gyr_bias, acc_range_ms2=acc_range)
        name = _NAMES[(placement, side)]
        styles_used = [s["_style"] for s in checked if "_style" in s]
        labels = {key: _common_label([getattr(sty, key) for sty in styles_used])
                  for key in ("gait", "direction", "contact_type")}
        rec_meta = {"simulated": True, **labels, "seed": seed,
                    "mounting_matrix": tuple(map(tuple, m.round(12).tolist())), **truth, **dict(meta)}
        rec = Recording(data=data, sampling_rate_hz=rate, placement=placement, side=side, meta=rec_meta)
        out[name] = SimulatedTrial(
            recording=rec,
            events=_events_table(tl, sides, rec.name, rate, n_out),
            strides=_strides_table(tl, sides, rec.name, rate),
            segments=_segments_table(tl),
        )
    return out


def _common_label(values: Sequence[str]) -> str:
    """The one value all gait segments share, or ``"mixed"``."""
    return values[0] if len(set(values)) == 1 else "mixed"


def _imperfections(data: pd.DataFrame, rng: np.random.Generator, *, acc_bias_std_ms2: float,
                   gyro_bias_std_dps: float, acc_range_ms2: float | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Constant per-axis biases (drawn with the given SD) and accelerometer saturation."""
    out = data.copy()
    acc_bias = rng.normal(0.0, 1.0, 3) * acc_bias_std_ms2
    gyr_bias = rng.normal(0.0, 1.0, 3) * gyro_bias_std_dps
    truth: dict[str, Any] = {}
    if acc_bias_std_ms2 > 0:
        out[list(schema.ACC_COLUMNS)] += acc_bias
        truth["acc_bias_ms2"] = tuple(acc_bias.tolist())
    if gyro_bias_std_dps > 0 and all(c in out.columns for c in schema.GYR_COLUMNS):
        out[list(schema.GYR_COLUMNS)] += gyr_bias
        truth["gyro_bias_dps"] = tuple(gyr_bias.tolist())
    if acc_range_ms2 is not None:
        out[list(schema.ACC_COLUMNS)] = out[list(schema.ACC_COLUMNS)].clip(-acc_range_ms2, acc_range_ms2)
        truth["acc_range_ms2"] = acc_range_ms2
    return out, truth


def _renumber(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number the segments 0, 1, ... in time order (the rest before the gait included)."""
    return [{**seg, "_index": k} for k, seg in enumerate(plan)]


def simulate_gait(*, placement: str = "foot", side: str | None = "left", gait: str = "walk",
                  direction: str = "forward", n_strides: int = 20, sampling_rate_hz: float,
                  cadence_spm: float | None = None, stride_length_m: float | None = None,
                  stance_pct: float | None = None, contact_type: str | None = None,
                  rest_before_s: float = 2.0, rest_after_s: float = 2.0, noise_std_ms2: float = 0.05,
                  gyro_noise_std_dps: float = 0.5, gyro: bool = True, variability_pct: float = 2.0,
                  step_asymmetry_pct: float = 0.0, acc_bias_std_ms2: float = 0.0, gyro_bias_std_dps: float = 0.0,
                  acc_range_ms2: float | None = None, mounting: str | np.ndarray = "aligned", seed: int | None = None) -> SimulatedTrial:
    """Simulate one sensor during a bout of steady walking or running, with its truth.

    Parameters
    ----------
    placement : {"foot", "shank", "lower_back"}
        Where the sensor sits.  A lower-back sensor sees both feet's contacts.
    side : {"left", "right"} or None
        Foot / shank side (ignored, and ``None`` in the recording, for the lower back).
    gait : {"walk", "run"}
    direction : {"forward", "backward", "sideways"}
        Sideways (stepping to the left) only for walking.
    n_strides : int
        Complete strides (ic to ic) of each foot in the truth table (1-10000).
    sampling_rate_hz : float
        Output rate, any value in [10, 100000] Hz (odd rates such as 487 Hz work).
    cadence_spm, stride_length_m, stance_pct : float, optional
        Mean cadence (steps/min, 30-300), stride length (m, 0-5) and stance percentage of
        the stride (20-85 %).  Defaults (science.md §1): forward walk 110 spm, 1.35 m,
        61 %; backward walk 115 spm, 0.85 m, 66 %; sideways walk 100 spm, 0.5 m, 65 %;
        forward run 165 spm, 2.6 m, 35 %; backward run 180 spm, 1.6 m, 30 %.
    contact_type : {None, "heel_first", "flat", "toe_first"}, optional
        Foot strike.  Default heel-first forward, toe-first backward, flat sideways.
        Strike angles (pitch at ic, + = toes up): walk +20 / +3 / -12 deg (backward
        toe-first -25 deg), run +12 / +3 / -10 deg (backward toe-first -15 deg).
    rest_before_s, rest_after_s : float
        Standing still before and after the bout (s, 0-3600).
    noise_std_ms2 : float
        Standard deviation of the white accelerometer noise (m/s^2).
    gyro_noise_std_dps : float
        Standard deviation of the white gyroscope noise (deg/s).
    gyro : bool
        Include ``gyr_x, gyr_y, gyr_z`` (deg/s).
    variability_pct : float
        Stride-to-stride coefficient of variation of stride time and step length (%, 0-10);
        the strike angle varies with SD 0.5 deg per %, the other key angles 0.25 deg per %.
    step_asymmetry_pct : float
        ``100 (left step time - right step time) / mean step time`` (-50 to 50); a foot's
        step ends with its initial contact.  Stride times stay equal for both feet.
    acc_bias_std_ms2, gyro_bias_std_dps : float
        SD of a constant random offset per axis (m/s^2, deg/s); the drawn offsets are in
        ``meta["acc_bias_ms2"]`` / ``meta["gyro_bias_dps"]``.  Default 0 (no bias).
    acc_range_ms2 : float, optional
        Accelerometer full scale: each axis is clipped to +-``acc_range_ms2`` (e.g.
        ``16 * 9.80665`` for a 16 g sensor).  Default: no clipping.
    mounting : {"aligned", "random"} or (3, 3) array
        Fixed sensor-to-segment rotation ``M`` (segment vector = ``M @`` sensor vector);
        ``"random"`` draws a uniform random rotation.  Stored in
        ``meta["mounting_matrix"]``.
    seed : int, optional
        Seed of every random draw; equal seeds give identical results.

    Returns
    -------
    SimulatedTrial
        ``recording``, reference ``events`` and ``strides`` and the ``segments`` table.

    Raises
    ------
    InputError
        If a parameter is outside its range or not one of the allowed values.

    Examples
    --------
    >>> sim = simulate_gait(direction="backward", n_strides=5, sampling_rate_hz=100.0, seed=1)
    >>> sim.strides["direction"].unique().tolist(), len(sim.strides)
    (['backward'], 5)
    """
    _check_choice("placement", placement, _SIM_PLACEMENTS)
    if placement == "lower_back":
        side = None
    else:
        _check_choice("side", side, ("left", "right"))
    segment = {"gait": gait, "direction": direction, "n_strides": n_strides, "cadence_spm": cadence_spm,
               "stride_length_m": stride_length_m, "stance_pct": stance_pct, "contact_type": contact_type}
    out = _run([segment], sensors=[(placement, side)], sampling_rate_hz=sampling_rate_hz,
               rest_before_s=rest_before_s, rest_after_s=rest_after_s, noise_std_ms2=noise_std_ms2,
               gyro_noise_std_dps=gyro_noise_std_dps, gyro=gyro, variability_pct=variability_pct, step_asymmetry_pct=step_asymmetry_pct,
               acc_bias_std_ms2=acc_bias_std_ms2, gyro_bias_std_dps=gyro_bias_std_dps, acc_range_ms2=acc_range_ms2,
               mounting=mounting, seed=seed, meta={})
    return next(iter(out.values()))


_TRIAL_SENSORS = {"foot_left": ("foot", "left"), "foot_right": ("foot", "right"),
                  "shank_left": ("shank", "left"), "shank_right": ("shank", "right"),
                  "lower_back": ("lower_back", None)}


def simulate_trial(*, sensors: Sequence[str] = ("foot_left", "foot_right", "lower_back"), gait: str = "walk",
                   direction: str = "forward", n_strides: int = 20, sampling_rate_hz: float,
                   cadence_spm: float | None = None, stride_length_m: float | None = None,
                   stance_pct: float | None = None, contact_type: str | None = None,
                   rest_before_s: float = 2.0, rest_after_s: float = 2.0, noise_std_ms2: float = 0.05,
                   gyro_noise_std_dps: float = 0.5, gyro: bool = True, variability_pct: float = 2.0,
                   step_asymmetry_pct: float = 0.0, acc_bias_std_ms2: float = 0.0, gyro_bias_std_dps: float = 0.0,
                   acc_range_ms2: float | None = None, mounting: str | np.ndarray = "aligned", seed: int | None = None) -> dict[str, SimulatedTrial]:
    """Simulate several sensors of one trial, all moved by the same steps.

    The left foot starts; the right foot's contacts follow half a stride later.  Every
    sensor's truth comes from one shared timeline, so the events of ``"foot_left"`` and
    ``"foot_right"`` together equal the events of ``"lower_back"`` (up to the ``sensor``
    column).

    Parameters
    ----------
    sensors : sequence of str
        Any of ``"foot_left", "foot_right", "shank_left", "shank_right", "lower_back"``.
    gait : {"walk", "run"}
        As in :func:`simulate_gait`.
    direction : {"forward", "backward", "sideways"}
        As in :func:`simulate_gait`.
    n_strides : int
        As in :func:`simulate_gait`.
    sampling_rate_hz : float
        As in :func:`simulate_gait`.
    cadence_spm, stride_length_m, stance_pct, contact_type, acc_range_ms2, seed : optional
        As in :func:`simulate_gait`.
    rest_before_s, rest_after_s, variability_pct : float
        As in :func:`simulate_gait`.
    noise_std_ms2 : float
        As in :func:`simulate_gait`.
    gyro_noise_std_dps : float
        As in :func:`simulate_gait`.
    gyro : bool
        As in :func:`simulate_gait`.
    step_asymmetry_pct, acc_bias_std_ms2, gyro_bias_std_dps : float
        As in :func:`simulate_gait`.
    mounting : {"aligned", "random"} or (3, 3) array
        As in :func:`simulate_gait`; with ``"random"`` each sensor gets its own mounting
        (and each sensor always gets its own noise and biases).

    Returns
    -------
    dict of str to SimulatedTrial
        Keyed by sensor name, in the order of ``sensors``; ``{k: v.recording ...}`` is
        what ``retrogait.analyze`` takes.

    Raises
    ------
    InputError
        If a sensor name is unknown or repeated, or a parameter is out of range.

    Examples
    --------
    A foot and a lower-back sensor of one walk: the lower back carries the contacts of
    both feet, so it has twice the foot's strides.

    >>> trial = simulate_trial(sensors=("foot_left", "lower_back"), n_strides=3, sampling_rate_hz=100.0,
    ...                        seed=1)
    >>> list(trial), trial["lower_back"].events["side"].unique().tolist()
    (['foot_left', 'lower_back'], ['left', 'right'])
    >>> len(trial["foot_left"].strides), len(trial["lower_back"].strides)
    (3, 6)
    """
    if isinstance(sensors, str) or not isinstance(sensors, Sequence) or not sensors:
        raise InputError(f"sensors: expected a non-empty list of sensor names, found {sensors!r}")
    for name in sensors:
        _check_choice("sensors", name, tuple(_TRIAL_SENSORS))
    if len(set(sensors)) != len(sensors):
        raise InputError(f"sensors: each sensor may appear once, found {list(sensors)}")
    segment = {"gait": gait, "direction": direction, "n_strides": n_strides, "cadence_spm": cadence_spm,
               "stride_length_m": stride_length_m, "stance_pct": stance_pct, "contact_type": contact_type}
    return _run([segment], sensors=[_TRIAL_SENSORS[name] for name in sensors], sampling_rate_hz=sampling_rate_hz,
                rest_before_s=rest_before_s, rest_after_s=rest_after_s, noise_std_ms2=noise_std_ms2,
                gyro_noise_std_dps=gyro_noise_std_dps, gyro=gyro, variability_pct=variability_pct, step_asymmetry_pct=step_asymmetry_pct,
               acc_bias_std_ms2=acc_bias_std_ms2, gyro_bias_std_dps=gyro_bias_std_dps, acc_range_ms2=acc_range_ms2,
                mounting=mounting, seed=seed, meta={})


def simulate_session(segments: Sequence[Mapping[str, Any]], *, placement: str = "foot", side: str | None = "left",
                     sampling_rate_hz: float, rest_before_s: float = 2.0, rest_after_s: float = 2.0,
                     noise_std_ms2: float = 0.05, gyro_noise_std_dps: float = 0.5, gyro: bool = True,
                     variability_pct: float = 2.0, step_asymmetry_pct: float = 0.0,
                     acc_bias_std_ms2: float = 0.0, gyro_bias_std_dps: float = 0.0,
                     acc_range_ms2: float | None = None, mounting: str | np.ndarray = "aligned",
                     seed: int | None = None) -> SimulatedTrial:
    """Simulate one sensor through a mixed session: walking, running, rest, directions.

    Parameters
    ----------
    segments : sequence of dict
        In time order.  A gait segment has ``gait``, ``direction``, ``n_strides`` and
        optionally ``cadence_spm``, ``stride_length_m``, ``stance_pct``,
        ``contact_type`` (as in :func:`simulate_gait`); a rest segment is
        ``{"rest_s": seconds}``.  Consecutive gait segments join without stopping; a
        rest segment ends the walking bout (both feet flat, trunk still) before it.
    placement : {"foot", "shank", "lower_back"}
        As in :func:`simulate_gait`.
    side : {"left", "right"} or None
        As in :func:`simulate_gait`.
    sampling_rate_hz : float
        As in :func:`simulate_gait`.
    rest_before_s, rest_after_s, variability_pct : float
        As in :func:`simulate_gait`.
    noise_std_ms2 : float
        As in :func:`simulate_gait`.
    gyro_noise_std_dps : float
        As in :func:`simulate_gait`.
    gyro : bool
        As in :func:`simulate_gait`.
    step_asymmetry_pct, acc_bias_std_ms2, gyro_bias_std_dps : float
        As in :func:`simulate_gait`.
    acc_range_ms2, seed : optional
        As in :func:`simulate_gait`.
    mounting : {"aligned", "random"} or (3, 3) array
        As in :func:`simulate_gait`.

    Returns
    -------
    SimulatedTrial
        ``recording.meta`` has ``session=True`` and ``gait`` / ``direction`` /
        ``contact_type`` set to the value all gait segments share, else ``"mixed"``.
        ``strides`` carry ``bout_id`` (walking bout, from 0) and ``segment_id``;
        ``segments`` has one row per segment, numbered in time order from 0 with the
        rests before and after the session included (so the caller's segment ``i`` is
        row ``i + 1`` when ``rest_before_s > 0``).

    Raises
    ------
    InputError
        If a segment is malformed or a parameter out of range.

    Examples
    --------
    >>> sim = simulate_session([{"gait": "walk", "direction": "forward", "n_strides": 3},
    ...                         {"rest_s": 3.0},
    ...                         {"gait": "walk", "direction": "backward", "n_strides": 3}],
    ...                        sampling_rate_hz=100.0, seed=0)
    >>> sim.segments["kind"].tolist()
    ['rest', 'gait', 'rest', 'gait', 'rest']
    """
    _check_choice("placement", placement, _SIM_PLACEMENTS)
    if placement == "lower_back":
        side = None
    else:
        _check_choice("side", side, ("left", "right"))
    out = _run(segments, sensors=[(placement, side)], sampling_rate_hz=sampling_rate_hz, rest_before_s=rest_before_s,
               rest_after_s=rest_after_s, noise_std_ms2=noise_std_ms2, gyro_noise_std_dps=gyro_noise_std_dps,
               gyro=gyro, variability_pct=variability_pct, step_asymmetry_pct=step_asymmetry_pct,
               acc_bias_std_ms2=acc_bias_std_ms2, gyro_bias_std_dps=gyro_bias_std_dps, acc_range_ms2=acc_range_ms2, mounting=mounting, seed=seed, meta={"session": True})
    return next(iter(out.values()))
