"""Synthetic forward, backward and sideways walking and running with known truth.

The simulator builds the motion of each body segment *kinematically* and derives the
inertial signals from it, so every signal is physically consistent with the reference
events and strides it returns:

1. A timeline of steps (initial contacts alternating left, right, ...) with per-stride
   variability, stance fraction and foot placement along the walking direction.
2. The foot: a sagittal pitch profile over the gait cycle (monotone cubic interpolation
   of literature-based key angles, flat at mid-stance) and a rigid-foot rocker model in
   stance (rotation about the heel while the toes are up, about the metatarsal heads
   while the toes are down, still while flat).  In swing the heel follows a quintic
   (minimum-jerk-like) path that matches position, velocity and acceleration of the
   stance phases at both ends, plus a smooth vertical clearance bump.
3. The shank: the ankle point of the foot plus a shank inclination profile.
4. The lower back: centre-of-mass progression with a per-step vertical oscillation
   (inverted pendulum in walking, spring-mass in running), an anterior-posterior speed
   fluctuation that mirrors when walking backward, a medio-lateral sway towards the
   stance foot and small pelvic rotations.
5. A damped "wobble" of the sensor at each initial contact (an impact transient whose
   displacement returns to zero, so it adds no net velocity or displacement).
6. Specific force ``R^T (a_world + g)`` and angular rate ``R^T dR/dt`` on a fine internal
   grid (at least 2 kHz), a zero-phase anti-aliasing low-pass at 0.4 x the output rate,
   decimation to the output rate, an optional fixed mounting rotation and white noise.

Frames and signs
----------------
World: x forward (the way the trunk faces), y left, z up; gravity ``9.80665`` m/s^2 down.

Sensor frames with ``mounting="aligned"``:

* foot: x toward the toes, y to the left, z up when the foot is flat, so a flat standing
  foot reads ``acc = (0, 0, +9.81)``.
* shank: x anterior, y left, z along the shank toward the knee.
* lower back: x anterior, y left, z up.

Foot pitch ``theta`` is positive when the toes point up (the sign of the strike angle in
``DESIGN.md``).  The foot rotates about its y axis by ``-theta``, so **gyr_y = -d theta/dt**:
gyr_y is *negative* when the toes move up.  In forward gait the whole leg rotates with the
lower end moving forward during swing, so the mid-swing peak of ``gyr_y`` is negative for
foot and shank; in backward gait it is positive.

References
----------
Literature values for the defaults are collected in ``shared/research/science.md`` §1:
Laufer 2005 (backward walking: unchanged cadence, shorter strides, longer double
support), Cavagna et al. 2012 (backward running: higher step frequency, longer flight),
Altman & Davis 2012 (strike-angle classes: heel-first > 8 deg, flat -1.6..8 deg,
toe-first < -1.6 deg), Grasso et al. 1998 (backward segment kinematics roughly the time
reversal of forward), Zijlstra & Hof 2003 (trunk acceleration in walking).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.interpolate import CubicSpline, PchipInterpolator
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording

__all__ = [
    "SimulatedTrial",
    "simulate_gait",
    "simulate_session",
    "simulate_trial",
    "time_reverse",
    "time_reverse_events",
]

GRAVITY_MS2 = schema.STANDARD_GRAVITY_MS2
_MIN_INTERNAL_RATE_HZ = 2000.0
_SIM_PLACEMENTS = ("foot", "shank", "lower_back")
_SIM_DIRECTIONS = ("forward", "backward", "sideways")
_SIM_GAITS = ("walk", "run")
_SIM_CONTACTS = ("heel_first", "flat", "toe_first")

# Rigid foot geometry in the foot frame (x toes, z up), metres, origin at the heel.
_TOE_PIVOT_M = 0.19  # heel to metatarsal heads (toe rocker)
_FOOT_SENSOR_M = np.array([0.12, 0.0, 0.07])  # instep
_ANKLE_M = np.array([0.07, 0.0, 0.08])
_SHANK_SENSOR_M = np.array([0.04, 0.0, 0.15])  # anterior tibia, 15 cm above the ankle
_STEP_WIDTH_M = 0.10
_SIDESTEP_WIDTH_M = 0.20


@dataclass(frozen=True)
class _Style:
    """Kinematic and temporal defaults of one gait / direction / contact type."""

    gait: str
    direction: str
    contact_type: str
    cadence_spm: float
    stride_length_m: float
    stance_pct: float
    strike_angle_deg: float
    stance_keys: tuple[tuple[float, float], ...]  # (fraction of stance, pitch deg) after ic
    swing_keys: tuple[tuple[float, float], ...]  # (fraction of swing, pitch deg)
    shank_stance_keys: tuple[tuple[float, float], ...]
    shank_swing_keys: tuple[tuple[float, float], ...]
    clearance_m: float
    foot_impact_ms2: float
    trunk_impact_ms2: float
    com_vertical_m: float  # peak-to-peak vertical COM excursion
    com_ap_m: float  # amplitude of the AP position oscillation about the mean progression
    com_ml_m: float  # amplitude of the ML sway


_STRIKE_ANGLE_DEG = {
    ("walk", "heel_first"): 20.0, ("walk", "flat"): 3.0, ("walk", "toe_first"): -12.0,
    ("run", "heel_first"): 12.0, ("run", "flat"): 3.0, ("run", "toe_first"): -10.0,
}
_DEFAULT_CONTACT = {
    ("walk", "forward"): "heel_first", ("walk", "backward"): "toe_first", ("walk", "sideways"): "flat",
    ("run", "forward"): "heel_first", ("run", "backward"): "toe_first",
}
_IMPACT_MS2 = {  # peak foot acceleration of the contact transient (order of magnitude)
    ("walk", "heel_first"): 30.0, ("walk", "flat"): 20.0, ("walk", "toe_first"): 12.0,
    ("run", "heel_first"): 100.0, ("run", "flat"): 70.0, ("run", "toe_first"): 50.0,
}


def _style(gait: str, direction: str, contact_type: str | None) -> _Style:
    """Literature-based defaults (science.md §1) for one kind of gait."""
    contact = contact_type or _DEFAULT_CONTACT[(gait, direction)]
    theta_ic = _STRIKE_ANGLE_DEG[(gait, contact)]
    if direction == "backward" and contact == "toe_first":
        theta_ic = -15.0
    late_swing = theta_ic + 4.0  # peak of the late-swing approach: the foot rotates into contact
    flat_from = {"heel_first": 0.2, "flat": 0.1, "toe_first": 0.2}[contact]
    Keys = tuple[tuple[float, float], ...]
    stance_keys: Keys
    swing_keys: Keys
    shank: tuple[Keys, Keys]
    if gait == "walk" and direction == "forward":
        cad, length, stance = 110.0, 1.35, 61.0
        stance_keys = ((flat_from, 0.0), (0.52, 0.0), (1.0, -40.0))
        swing_keys = ((0.15, -55.0), (0.88, late_swing))
        shank = (((0.0, -8.0), (0.5, 10.0), (1.0, 45.0)), ((0.1, 50.0), (0.8, -15.0)))
        clear, com = 0.05, (0.040, 0.010, 0.020)
    elif gait == "walk" and direction == "backward":
        # shorter strides (~0.63 x), similar cadence, longer stance (Laufer 2005);
        # toe-first contact, the heel lowered, the heel leaves last (toes up at fc).
        cad, length, stance = 115.0, 0.85, 66.0
        stance_keys = ((max(flat_from, 0.2), 0.0), (0.55, 0.0), (1.0, 18.0))
        swing_keys = ((0.2, 28.0), (0.88, late_swing))
        shank = (((0.0, 30.0), (0.5, 8.0), (1.0, -10.0)), ((0.2, -15.0), (0.9, 35.0)))
        clear, com = 0.05, (0.030, 0.006, 0.022)
    elif gait == "walk":  # sideways stepping to the left
        cad, length, stance = 100.0, 0.50, 65.0
        stance_keys = ((flat_from, 0.0), (0.7, 0.0), (1.0, -8.0))
        swing_keys = ((0.3, -12.0), (0.88, late_swing))
        shank = (((0.0, 0.0), (1.0, 5.0)), ((0.3, 20.0), (0.8, 0.0)))
        clear, com = 0.04, (0.025, 0.0, 0.0)
    elif direction == "forward":
        cad, length, stance = 165.0, 2.60, 35.0
        stance_keys = ((max(flat_from, 0.25), 0.0), (0.45, 0.0), (1.0, -50.0))
        swing_keys = ((0.12, -70.0), (0.88, late_swing))
        shank = (((0.0, -5.0), (0.5, 15.0), (1.0, 50.0)), ((0.3, 80.0), (0.85, -15.0)))
        clear, com = 0.12, (0.080, 0.017, 0.010)
    else:
        # backward running: higher step frequency, longer flight, shorter contact
        # (Cavagna 2012); forefoot landing, the heel barely loaded.
        cad, length, stance = 180.0, 1.60, 30.0
        if contact == "toe_first":
            stance_keys = ((0.5, -3.0), (1.0, -22.0))
        else:
            stance_keys = ((0.3, 0.0), (0.5, 0.0), (1.0, -22.0))
        swing_keys = ((0.3, 10.0), (0.88, late_swing))
        shank = (((0.0, 30.0), (0.5, 10.0), (1.0, -10.0)), ((0.2, -15.0), (0.8, 45.0)))
        clear, com = 0.10, (0.090, 0.015, 0.010)
    trunk_impact = (3.0 if gait == "walk" else 12.0) * (1.0 if contact == "heel_first" else 0.6)
    return _Style(
        gait=gait, direction=direction, contact_type=contact, cadence_spm=cad, stride_length_m=length,
        stance_pct=stance, strike_angle_deg=theta_ic, stance_keys=stance_keys, swing_keys=swing_keys,
        shank_stance_keys=shank[0], shank_swing_keys=shank[1], clearance_m=clear,
        foot_impact_ms2=_IMPACT_MS2[(gait, contact)], trunk_impact_ms2=trunk_impact,
        com_vertical_m=com[0], com_ap_m=com[1], com_ml_m=com[2],
    )


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
        foot), with ``bout_id`` = index of the walking bout.
    segments : pandas.DataFrame
        Truth per segment of a session (one row for :func:`simulate_gait`):
        ``segment_id, kind ("gait" | "rest"), start_s, end_s, gait, direction,
        contact_type, n_strides``.  ``start_s`` / ``end_s`` of a gait segment are the
        first and last initial contact of its strides (either foot), so two joined gait
        segments overlap by about half a stride; a rest segment starts when the bout
        before it has come to rest (both feet flat, trunk still).
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


# ----------------------------------------------------------------------------- timeline


@dataclass
class _Stance:
    ic_s: float  # -inf for the standing phase that opens a bout
    fc_s: float  # +inf for the standing phase that closes a bout
    anchor: np.ndarray  # heel position (x, y) when the foot is flat
    style: _Style
    stride_index: int  # index of the truth stride starting here (-1 = none)
    bout_id: int


@dataclass
class _Timeline:
    """Contacts of both feet for a whole recording."""

    duration_s: float
    stances: dict[str, list[_Stance]]
    pitch_keys: dict[str, list[tuple[float, float]]]
    shank_keys: dict[str, list[tuple[float, float]]]
    steps: list[tuple[float, str, _Style, np.ndarray]]  # (ic time, side, style, anchor)
    bout_spans: list[tuple[float, float]]  # (first movement, standing again) per bout
    strides: list[dict[str, Any]]
    segments: list[dict[str, Any]]


def _direction_vector(direction: str) -> np.ndarray:
    return {"forward": np.array([1.0, 0.0]), "backward": np.array([-1.0, 0.0]),
            "sideways": np.array([0.0, 1.0])}[direction]


def _build_timeline(segments: list[dict[str, Any]], rng: np.random.Generator, variability_pct: float) -> _Timeline:
    """Turn gait and rest segments into the contacts of both feet."""
    cv = variability_pct / 100.0
    t = 0.0
    centre = np.zeros(2)
    offsets = {"left": np.array([0.0, _STEP_WIDTH_M / 2]), "right": np.array([0.0, -_STEP_WIDTH_M / 2])}
    stances: dict[str, list[_Stance]] = {"left": [], "right": []}
    pitch_keys: dict[str, list[tuple[float, float]]] = {"left": [(0.0, 0.0)], "right": [(0.0, 0.0)]}
    shank_keys: dict[str, list[tuple[float, float]]] = {"left": [(0.0, 0.0)], "right": [(0.0, 0.0)]}
    steps: list[tuple[float, str, _Style, np.ndarray]] = []
    bout_spans: list[tuple[float, float]] = []
    strides: list[dict[str, Any]] = []
    seg_rows: list[dict[str, Any]] = []
    foot_pos = {side: centre + offsets[side] for side in ("left", "right")}
    standing_style = _style("walk", "forward", None)
    for side in ("left", "right"):
        stances[side].append(_Stance(-math.inf, math.inf, foot_pos[side].copy(), standing_style, -1, -1))

    # group consecutive gait segments into bouts
    bouts: list[list[tuple[_Style, int, int]]] = []
    current: list[tuple[_Style, int, int]] = []
    items: list[tuple[str, Any]] = []
    for index, seg in enumerate(segments):
        if "rest_s" in seg:
            if current:
                bouts.append(current)
                current = []
            items.append(("rest", (index, seg["rest_s"])))
        else:
            style, n = seg["_style"], seg["_n"]
            current.append((style, n, index))
            if index + 1 == len(segments) or "rest_s" in segments[index + 1]:
                bouts.append(current)
                items.append(("bout", current))
                current = []

    bout_id = 0
    for kind, payload in items:
        if kind == "rest":
            index, rest_s = payload
            seg_rows.append({"segment_id": index, "kind": "rest", "start_s": t, "end_s": t + rest_s,
                             "gait": "unknown", "direction": "unknown", "contact_type": "unknown", "n_strides": 0})
            t += rest_s
            continue
        bout = payload
        # step plan: strides per foot = sum of n; steps = 2 n + 2 (left first)
        step_styles: list[_Style] = []
        step_segment: list[int] = []
        for style, n, index in bout:
            step_styles += [style] * (2 * n)
            step_segment += [index] * (2 * n)
        step_styles += [bout[-1][0]] * 2
        step_segment += [bout[-1][2]] * 2
        n_steps = len(step_styles)
        stride_times = np.array([120.0 / s.cadence_spm for s in step_styles])
        stride_times *= 1.0 + cv * rng.standard_normal(n_steps)
        step_lengths = np.array([s.stride_length_m / 2 for s in step_styles])
        step_lengths *= 1.0 + cv * rng.standard_normal(n_steps)
        # strike angle: 1 deg SD per 2 % of stride variability
        strike = np.array([s.strike_angle_deg for s in step_styles]) + 50.0 * cv * rng.standard_normal(n_steps)
        first = step_styles[0]
        release_frac = _release_fraction(first)
        start = t
        stance0 = stride_times[0] * first.stance_pct / 100
        ic_times = [start + (1 - release_frac) * stance0 + stride_times[0] * (1 - first.stance_pct / 100)]
        for i in range(1, n_steps):
            ic_times.append(ic_times[-1] + stride_times[i - 1] / 2)
        # anchors
        anchors = []
        for i, style in enumerate(step_styles):
            side = "left" if i % 2 == 0 else "right"
            d = _direction_vector(style.direction)
            if style.direction == "sideways":
                centre = centre + (d * 2 * step_lengths[i] if side == "left" else 0.0)
                lateral = np.array([0.0, _SIDESTEP_WIDTH_M / 2 if side == "left" else -_SIDESTEP_WIDTH_M / 2])
            else:
                centre = centre + d * step_lengths[i]
                lateral = offsets[side]
            anchors.append(centre + lateral)
        # stances and pitch keys per foot
        end_times = {}
        for side, parity in (("left", 0), ("right", 1)):
            idx = list(range(parity, n_steps, 2))
            prev = stances[side][-1]
            sty0 = step_styles[idx[0]]
            stride0 = stride_times[idx[0]]
            fc_prev = ic_times[idx[0]] - stride0 * (1 - sty0.stance_pct / 100)
            stance_prev = stride0 * sty0.stance_pct / 100
            rel = _release_fraction(sty0)
            release_t = fc_prev - (1 - rel) * stance_prev
            prev.fc_s = fc_prev
            pitch_keys[side].append((release_t, 0.0))
            shank_keys[side].append((release_t, 0.0))
            for frac, ang in sty0.stance_keys:
                if frac > rel:
                    pitch_keys[side].append((fc_prev - (1 - frac) * stance_prev, ang))
            _append_shank(shank_keys[side], sty0, fc_prev - stance_prev, stance_prev, stride0, only_after=rel)
            for j, i in enumerate(idx):
                sty = step_styles[i]
                ic = ic_times[i]
                has_next = j + 1 < len(idx)
                stride_t = (ic_times[idx[j + 1]] - ic) if has_next else stride_times[i]
                stance_t = stride_t * sty.stance_pct / 100
                # swing keys of the previous stride lead into this ic
                prev_sty = step_styles[idx[j - 1]] if j > 0 else sty0
                prev_fc = stances[side][-1].fc_s
                swing_t = ic - prev_fc
                for frac, ang in prev_sty.swing_keys:
                    pitch_keys[side].append((prev_fc + frac * swing_t, ang if frac < 0.5 else strike[i] + 4.0))
                for frac, ang in prev_sty.shank_swing_keys:
                    shank_keys[side].append((prev_fc + frac * swing_t, ang))
                pitch_keys[side].append((ic, float(strike[i])))
                if has_next:
                    fc = ic + stance_t
                    for frac, ang in sty.stance_keys:
                        pitch_keys[side].append((ic + frac * stance_t, ang))
                    _append_shank(shank_keys[side], sty, ic, stance_t, stride_t, only_after=-1.0)
                    stride_row = {
                        "side": side, "bout_id": bout_id, "start_s": ic, "end_s": ic_times[idx[j + 1]],
                        "fc_s": fc, "stride_time_s": stride_t, "stance_time_s": stance_t,
                        "stride_length_m": float(np.linalg.norm(anchors[idx[j + 1]] - anchors[i])),
                        "direction": sty.direction, "gait": sty.gait, "contact_type": sty.contact_type,
                        "strike_angle_deg": float(strike[i]), "segment_id": step_segment[i],
                    }
                    strides.append(stride_row)
                    stances[side].append(_Stance(ic, fc, anchors[i], sty, len(strides) - 1, bout_id))
                else:
                    # final stance: down to flat, then standing until the next bout
                    flat_frac = _flat_fraction(sty)
                    flat_t = ic + flat_frac * stance_t
                    for frac, ang in sty.stance_keys:
                        if frac <= flat_frac:
                            pitch_keys[side].append((ic + frac * stance_t, ang))
                    pitch_keys[side][-1] = (flat_t, 0.0)
                    pitch_keys[side].append((flat_t + 0.5, 0.0))  # stays flat: zero rate at flat_t
                    _append_shank(shank_keys[side], sty, ic, stance_t, stride_t, only_before=0.5)
                    stances[side].append(_Stance(ic, math.inf, anchors[i], sty, -1, bout_id))
                    end_times[side] = flat_t
        # standing again: both feet flat and the trunk come to rest over them
        bout_end = max(max(end_times.values()), ic_times[-1] + 0.6 * stride_times[-1])
        for index in sorted({s for s in step_segment}):
            seg_strides = [r for r in strides if r["segment_id"] == index]
            sty = next(s for s, _, k in bout if k == index)
            seg_rows.append({
                "segment_id": index, "kind": "gait",
                "start_s": min(r["start_s"] for r in seg_strides), "end_s": max(r["end_s"] for r in seg_strides),
                "gait": sty.gait, "direction": sty.direction, "contact_type": sty.contact_type,
                "n_strides": len(seg_strides) // 2,
            })
        for i, (ic, sty) in enumerate(zip(ic_times, step_styles, strict=True)):
            steps.append((ic, "left" if i % 2 == 0 else "right", sty, anchors[i]))
        bout_spans.append((start, bout_end))
        t = bout_end
        bout_id += 1
    seg_rows.sort(key=lambda r: r["segment_id"])
    return _Timeline(t, stances, pitch_keys, shank_keys, steps, bout_spans, strides, seg_rows)


def _release_fraction(style: _Style) -> float:
    """Fraction of stance at which the foot starts to leave flat (heel-off or toe-off)."""
    flat = [frac for frac, ang in style.stance_keys if abs(ang) < 1e-9]
    if flat:
        return max(flat)
    return min(style.stance_keys, key=lambda k: abs(k[1]))[0]


def _flat_fraction(style: _Style) -> float:
    """Fraction of stance at which the foot first becomes (about) flat after contact."""
    flat = [frac for frac, ang in style.stance_keys if abs(ang) < 1e-9]
    if flat:
        return min(flat)
    return min(style.stance_keys, key=lambda k: abs(k[1]))[0]


def _append_shank(keys: list[tuple[float, float]], style: _Style, ic: float, stance_t: float, stride_t: float,
                  *, only_after: float = -1.0, only_before: float = 2.0) -> None:
    for frac, ang in style.shank_stance_keys:
        if only_after < frac <= only_before:
            keys.append((ic + frac * stance_t, ang))
    if only_before < 1.0:
        keys.append((ic + only_before * stance_t + 0.3, 0.0))
        keys.append((ic + only_before * stance_t + 0.8, 0.0))


# ----------------------------------------------------------------------------- kinematics


def _pchip(keys: list[tuple[float, float]], t: np.ndarray, hold: float = 0.0) -> tuple[np.ndarray, ...]:
    """Value, first and second derivative of a monotone cubic through (time, value) keys."""
    arr = np.array(sorted(keys))
    times, index = np.unique(arr[:, 0], return_index=True)
    values = arr[index, 1]
    if len(times) < 2:
        z = np.full_like(t, hold)
        return z, np.zeros_like(t), np.zeros_like(t)
    interp = PchipInterpolator(times, values, extrapolate=False)
    val = interp(t)
    d1 = interp.derivative(1)(t)
    d2 = interp.derivative(2)(t)
    before, after = t < times[0], t > times[-1]
    val[before], val[after] = values[0], values[-1]
    for arr_ in (d1, d2):
        arr_[before | after] = 0.0
    return val, d1, d2


def _rot_y(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about +y (z toward x), shape (n, 3, 3)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros(angle_rad.shape + (3, 3))
    out[..., 0, 0] = c
    out[..., 0, 2] = s
    out[..., 1, 1] = 1.0
    out[..., 2, 0] = -s
    out[..., 2, 2] = c
    return out


def _heel_state(theta: float, dtheta: float, ddtheta: float, anchor: np.ndarray) -> np.ndarray:
    """Heel position, velocity and acceleration (3 x 3: rows p, v, a; cols x, y, z) in the rocker."""
    state = np.zeros((3, 3))
    state[0, :2] = anchor
    if theta < 0:  # rotation about the metatarsal heads
        b = _TOE_PIVOT_M
        c, s = math.cos(theta), math.sin(theta)
        state[0, 0] += b * (1 - c)
        state[0, 2] = -b * s
        state[1, 0] = b * s * dtheta
        state[1, 2] = -b * c * dtheta
        state[2, 0] = b * (c * dtheta**2 + s * ddtheta)
        state[2, 2] = b * (s * dtheta**2 - c * ddtheta)
    return state


def _quintic(p0: np.ndarray, p1: np.ndarray, h: float, u: np.ndarray) -> np.ndarray:
    """Quintic Hermite between states p0 and p1 (rows p, v, a) over duration h at u in [0, 1]."""
    d = p1[0] - p0[0]
    v0, v1, a0, a1 = p0[1] * h, p1[1] * h, p0[2] * h * h, p1[2] * h * h
    c3 = 10 * d - 6 * v0 - 4 * v1 - 1.5 * a0 + 0.5 * a1
    c4 = -15 * d + 8 * v0 + 7 * v1 + 1.5 * a0 - a1
    c5 = 6 * d - 3 * v0 - 3 * v1 - 0.5 * a0 + 0.5 * a1
    u = u[:, None]
    return p0[0] + v0 * u + 0.5 * a0 * u**2 + c3 * u**3 + c4 * u**4 + c5 * u**5


def _wobble(t: np.ndarray, onsets: Sequence[float], amplitudes: Sequence[float], freq_hz: float,
            decay_s: float) -> np.ndarray:
    """Sum of damped oscillations (displacement) whose second derivative peaks at ``amplitudes``.

    ``d(t) = A' (t/tau) exp(-t/tau) sin(2 pi f t)`` starts and ends with zero displacement
    and velocity, so an impact adds no net velocity or displacement.
    """
    out = np.zeros_like(t)
    omega = 2 * math.pi * freq_hz
    # peak |d''| of the unit shape, measured once on a fine grid
    grid = np.linspace(0.0, 10 * decay_s, 4001)
    shape = (grid / decay_s) * np.exp(-grid / decay_s) * np.sin(omega * grid)
    peak = np.max(np.abs(np.gradient(np.gradient(shape, grid), grid)))
    for onset, amp in zip(onsets, amplitudes, strict=True):
        lo, hi = np.searchsorted(t, [onset, onset + 10 * decay_s])
        tau = t[lo:hi] - onset
        out[lo:hi] += amp / peak * (tau / decay_s) * np.exp(-tau / decay_s) * np.sin(omega * tau)
    return out


def _foot_kinematics(tl: _Timeline, side: str, t: np.ndarray, rng: np.random.Generator
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heel position (n, 3), pitch (rad) and foot rotation (n, 3, 3) of one foot."""
    theta_deg, dtheta_deg, ddtheta_deg = _pchip(tl.pitch_keys[side], t)
    theta, dtheta, ddtheta = (np.deg2rad(x) for x in (theta_deg, dtheta_deg, ddtheta_deg))
    heel = np.zeros((len(t), 3))
    stances = tl.stances[side]
    toe = theta < 0
    for k, st in enumerate(stances):
        lo, hi = np.searchsorted(t, [st.ic_s, st.fc_s], side="left")
        hi = min(hi + (1 if st.fc_s == math.inf else 0), len(t))
        sl = slice(lo, hi)
        heel[sl, 0], heel[sl, 1] = st.anchor
        th = theta[sl]
        mask = toe[sl]
        heel[sl, 0] += np.where(mask, _TOE_PIVOT_M * (1 - np.cos(th)), 0.0)
        heel[sl, 2] = np.where(mask, -_TOE_PIVOT_M * np.sin(th), 0.0)
        if k + 1 < len(stances):
            nxt = stances[k + 1]
            s_lo, s_hi = np.searchsorted(t, [st.fc_s, nxt.ic_s], side="left")
            if s_hi <= s_lo:
                continue
            dur = nxt.ic_s - st.fc_s
            state0 = _heel_state(_at(t, theta, st.fc_s), _at(t, dtheta, st.fc_s), _at(t, ddtheta, st.fc_s),
                                 st.anchor)
            state1 = _heel_state(_at(t, theta, nxt.ic_s), _at(t, dtheta, nxt.ic_s), _at(t, ddtheta, nxt.ic_s),
                                 nxt.anchor)
            u = (t[s_lo:s_hi] - st.fc_s) / dur
            path = _quintic(state0, state1, dur, u)
            path[:, 2] += st.style.clearance_m * 64 * u**3 * (1 - u) ** 3
            heel[s_lo:s_hi] = path
    rot = _rot_y(-theta)
    return heel, theta, rot


def _at(t: np.ndarray, values: np.ndarray, time: float) -> float:
    """Linear interpolation of a fine-grid signal at one time."""
    return float(np.interp(time, t, values))


def _shank_kinematics(tl: _Timeline, side: str, t: np.ndarray, heel: np.ndarray, foot_rot: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Shank sensor position and rotation: the foot's ankle point plus the shank inclination."""
    phi_deg, _, _ = _pchip(tl.shank_keys[side], t)
    ankle = heel + np.einsum("nij,j->ni", foot_rot, _ANKLE_M)
    rot = _rot_y(np.deg2rad(phi_deg))
    return ankle + np.einsum("nij,j->ni", rot, _SHANK_SENSOR_M), rot


def _trunk_kinematics(tl: _Timeline, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower-back sensor position and rotation from the steps of both feet.

    The vertical oscillation has its minimum in double support in walking (inverted
    pendulum) and at mid-stance in running (spring-mass); the forward speed is highest at
    the lowest point in walking and lowest there in running; the sway goes toward the
    stance foot.  All oscillations fade in and out over the first and last step of a bout.
    """
    n = len(t)
    pos = np.zeros((n, 3))
    pos[:, 2] = 1.0
    roll = np.zeros(n)
    pitch = np.zeros(n)
    yaw = np.zeros(n)
    steps = tl.steps
    foot_pos = {"left": tl.stances["left"][0].anchor, "right": tl.stances["right"][0].anchor}
    pos[:, :2] = (foot_pos["left"] + foot_pos["right"]) / 2
    start = 0
    for span in tl.bout_spans:
        bout_steps = [s for s in steps[start:] if s[0] <= span[1]]
        start += len(bout_steps)
        ics = np.array([s[0] for s in bout_steps])
        lo, hi = np.searchsorted(t, span)
        tb = t[lo:hi]
        # base progression: mid-point of the feet at each contact (the last contact
        # excluded: the trunk comes to rest over both feet at the end of the bout),
        # a C2 spline that starts and ends at rest.
        key_t, key_p = [span[0]], [(foot_pos["left"] + foot_pos["right"]) / 2]
        for ic, side, _, anchor in bout_steps:
            foot_pos[side] = anchor
            key_t.append(ic)
            key_p.append((foot_pos["left"] + foot_pos["right"]) / 2)
        key_t[-1] = span[1]
        pos[lo:hi, :2] = CubicSpline(key_t, np.array(key_p), bc_type="clamped", axis=0)(tb)
        pos[hi:, :2] = key_p[-1]
        u = PchipInterpolator(ics, np.arange(len(ics), dtype=float), extrapolate=True)(tb)
        env = np.interp(tb, [span[0], ics[0], ics[-1], span[1]], [0.0, 1.0, 1.0, 0.0])
        env = env * env * (3 - 2 * env)  # smoothstep
        par = np.array([[s[2].com_vertical_m, s[2].com_ap_m, s[2].com_ml_m, s[2].stance_pct / 100,
                         1.0 if s[2].gait == "walk" else -1.0, *_direction_vector(s[2].direction)]
                        for s in bout_steps])
        p = np.stack([np.interp(tb, ics, par[:, j]) for j in range(par.shape[1])], axis=1)
        stance = p[:, 3]
        walk = p[:, 4]
        u0 = np.where(walk > 0, stance - 0.5, stance)  # lowest point: double support / mid-stance
        wave = 2 * np.pi * (u - u0)
        pos[lo:hi, 2] += -env * p[:, 0] / 2 * (1 + np.cos(wave))
        ap = env * walk * p[:, 1] * np.sin(wave)
        pos[lo:hi, 0] += ap * p[:, 5]
        pos[lo:hi, 1] += ap * p[:, 6]
        sway = np.cos(np.pi * (u - stance))
        pos[lo:hi, 1] += env * p[:, 2] * sway
        roll[lo:hi] = env * np.deg2rad(3.0) * sway
        yaw[lo:hi] = env * np.deg2rad(5.0) * np.sin(np.pi * u)
        pitch[lo:hi] = env * np.deg2rad(1.5) * np.sin(wave)
    rot = Rotation.from_euler("ZYX", np.stack([yaw, pitch, roll], axis=1)).as_matrix()
    return pos, rot


def _synthesize(pos: np.ndarray, rot: np.ndarray, fine_rate_hz: float, factor: int, mounting: np.ndarray,
                noise_std_ms2: float, gyro_noise_std_dps: float, gyro: bool, rng: np.random.Generator
                ) -> pd.DataFrame:
    """Specific force and angular rate in the sensor frame, anti-aliased and decimated."""
    dt = 1.0 / fine_rate_hz
    acc_world = np.gradient(np.gradient(pos, dt, axis=0, edge_order=2), dt, axis=0, edge_order=2)
    acc_world[:, 2] += GRAVITY_MS2
    acc_seg = np.einsum("nji,nj->ni", rot, acc_world)
    columns = {}
    signals = [acc_seg]
    if gyro:
        drot = np.gradient(rot, dt, axis=0, edge_order=2)
        omega = np.einsum("nki,nkj->nij", rot, drot)  # R^T dR/dt (skew)
        gyr_seg = np.rad2deg(np.stack([omega[:, 2, 1], omega[:, 0, 2], omega[:, 1, 0]], axis=1))
        signals.append(gyr_seg)
    out = []
    for sig in signals:
        sig = sig @ mounting  # sensor = M^T segment, row vectors
        if factor > 1:
            sos = butter(4, 0.8 / factor, output="sos")
            sig = sosfiltfilt(sos, sig, axis=0)
        out.append(sig[::factor])
    acc = out[0] + noise_std_ms2 * rng.standard_normal(out[0].shape)
    for j, name in enumerate(schema.ACC_COLUMNS):
        columns[name] = acc[:, j]
    if gyro:
        gyr = out[1] + gyro_noise_std_dps * rng.standard_normal(out[1].shape)
        for j, name in enumerate(schema.GYR_COLUMNS):
            columns[name] = gyr[:, j]
    return pd.DataFrame(columns)


def _mounting_matrix(mounting: object, rng: np.random.Generator) -> np.ndarray:
    """Rotation from the sensor frame to the segment frame (segment = M @ sensor)."""
    if isinstance(mounting, str):
        if mounting == "aligned":
            return np.eye(3)
        if mounting == "random":
            return Rotation.random(random_state=rng).as_matrix()
        raise InputError(f"mounting: expected 'aligned', 'random' or a 3x3 rotation matrix, found {mounting!r}")
    matrix = np.asarray(mounting, dtype=float)
    if matrix.shape != (3, 3) or not np.allclose(matrix @ matrix.T, np.eye(3), atol=1e-6) \
            or np.linalg.det(matrix) < 0:
        raise InputError(f"mounting: expected 'aligned', 'random' or a 3x3 rotation matrix, found {mounting!r}")
    return matrix


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
         gyro: bool, variability_pct: object, mounting: object, seed: int | None, meta: Mapping[str, Any]
         ) -> dict[str, SimulatedTrial]:
    rate = _check_number("sampling_rate_hz", sampling_rate_hz, 10.0, 100_000.0)
    before = _check_number("rest_before_s", rest_before_s, 0.0, 3600.0)
    after = _check_number("rest_after_s", rest_after_s, 0.0, 3600.0)
    noise = _check_number("noise_std_ms2", noise_std_ms2, 0.0, 50.0)
    gnoise = _check_number("gyro_noise_std_dps", gyro_noise_std_dps, 0.0, 100.0)
    cv = _check_number("variability_pct", variability_pct, 0.0, 10.0)
    if not isinstance(gyro, bool):
        raise InputError(f"gyro: expected True or False, found {gyro!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise InputError(f"seed: expected an integer or None, found {seed!r}")
    checked = _validate_segments(segments)
    rng = np.random.default_rng(seed)
    plan = ([{"rest_s": before, "_index": -1}] if before > 0 else []) + checked \
        + ([{"rest_s": after, "_index": -2}] if after > 0 else [])
    tl = _build_timeline(_renumber(plan), np.random.default_rng(rng.integers(2**63)), cv)
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
                feet[side] = _foot_kinematics(tl, side, t, sensor_rng)
            heel, _, foot_rot = feet[side]
            onsets = [st.ic_s for st in tl.stances[side] if math.isfinite(st.ic_s)]
            styles = [st.style for st in tl.stances[side] if math.isfinite(st.ic_s)]
            if placement == "foot":
                pos = heel + np.einsum("nij,j->ni", foot_rot, _FOOT_SENSOR_M)
                rot = foot_rot
                scale = 1.0
            else:
                pos, rot = _shank_kinematics(tl, side, t, heel, foot_rot)
                scale = 0.4
            sides: tuple[str, ...] = (side,)
        else:
            pos, rot = _trunk_kinematics(tl, t)
            onsets = [s[0] for s in tl.steps]
            styles = [s[2] for s in tl.steps]
            scale = 1.0
            sides = ("left", "right")
        amps = [scale * (st.foot_impact_ms2 if placement != "lower_back" else st.trunk_impact_ms2)
                * (1 + 0.15 * sensor_rng.standard_normal()) for st in styles]
        dirs = [_direction_vector(st.direction) for st in styles]
        freq, decay = (35.0, 0.008) if placement != "lower_back" else (18.0, 0.012)
        for axis, weight in ((0, -0.4), (1, -0.4), (2, 0.92)):
            comp = [a * (weight * d[axis] if axis < 2 else weight) for a, d in zip(amps, dirs, strict=True)]
            pos = pos.copy() if axis == 0 else pos
            pos[:, axis] += _wobble(t, onsets, comp, freq, decay)
        data = _synthesize(pos, rot, fine_rate, factor, m, noise, gnoise, gyro, sensor_rng)
        name = _NAMES[(placement, side)]
        first = next(s for s in checked if "_style" in s)["_style"]
        rec_meta = {"simulated": True, "gait": first.gait, "direction": first.direction,
                    "contact_type": first.contact_type, "seed": seed,
                    "mounting_matrix": tuple(map(tuple, m.round(12).tolist())), **dict(meta)}
        rec = Recording(data=data, sampling_rate_hz=rate, placement=placement, side=side, meta=rec_meta)
        out[name] = SimulatedTrial(
            recording=rec,
            events=_events_table(tl, sides, rec.name, rate, n_out),
            strides=_strides_table(tl, sides, rec.name, rate),
            segments=_segments_table(tl),
        )
    return out


def _renumber(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number the segments 0, 1, ... in time order (the rest before the gait included)."""
    return [{**seg, "_index": k} for k, seg in enumerate(plan)]


def simulate_gait(*, placement: str = "foot", side: str | None = "left", gait: str = "walk",
                  direction: str = "forward", n_strides: int = 20, sampling_rate_hz: float,
                  cadence_spm: float | None = None, stride_length_m: float | None = None,
                  stance_pct: float | None = None, contact_type: str | None = None,
                  rest_before_s: float = 2.0, rest_after_s: float = 2.0, noise_std_ms2: float = 0.05,
                  gyro_noise_std_dps: float = 0.5, gyro: bool = True, variability_pct: float = 2.0,
                  mounting: str | np.ndarray = "aligned", seed: int | None = None) -> SimulatedTrial:
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
    contact_type : {"heel_first", "flat", "toe_first"}, optional
        Foot strike.  Default heel-first forward, toe-first backward, flat sideways.
        Strike angles (pitch at ic, + = toes up): walk +20 / +3 / -12 deg (backward
        toe-first -15 deg), run +12 / +3 / -10 deg (backward toe-first -15 deg).
    rest_before_s, rest_after_s : float
        Standing still before and after the bout (s, 0-3600).
    noise_std_ms2, gyro_noise_std_dps : float
        Standard deviation of the white sensor noise (m/s^2, deg/s).
    gyro : bool
        Include ``gyr_x, gyr_y, gyr_z`` (deg/s).
    variability_pct : float
        Stride-to-stride coefficient of variation of stride time and step length (%, 0-10);
        the strike angle varies with SD 0.5 deg per %.
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
               gyro_noise_std_dps=gyro_noise_std_dps, gyro=gyro, variability_pct=variability_pct,
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
                   mounting: str | np.ndarray = "aligned", seed: int | None = None) -> dict[str, SimulatedTrial]:
    """Simulate several sensors of one trial, all moved by the same steps.

    The left foot starts; the right foot's contacts follow half a stride later.  Every
    sensor's truth comes from one shared timeline, so the events of ``"foot_left"`` and
    ``"foot_right"`` together equal the events of ``"lower_back"`` (up to the ``sensor``
    column).

    Parameters
    ----------
    sensors : sequence of str
        Any of ``"foot_left", "foot_right", "shank_left", "shank_right", "lower_back"``.
    gait, direction, n_strides, sampling_rate_hz, cadence_spm, stride_length_m, stance_pct, \
contact_type, rest_before_s, rest_after_s, noise_std_ms2, gyro_noise_std_dps, gyro, \
variability_pct, mounting, seed
        As in :func:`simulate_gait`.  Each sensor gets its own noise (and its own random
        mounting with ``mounting="random"``).

    Returns
    -------
    dict of str to SimulatedTrial
        Keyed by sensor name, in the order of ``sensors``; ``{k: v.recording ...}`` is
        what ``retrogait.analyze`` takes.

    Raises
    ------
    InputError
        If a sensor name is unknown or repeated, or a parameter is out of range.
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
                gyro_noise_std_dps=gyro_noise_std_dps, gyro=gyro, variability_pct=variability_pct,
                mounting=mounting, seed=seed, meta={})


def simulate_session(segments: Sequence[Mapping[str, Any]], *, placement: str = "foot", side: str | None = "left",
                     sampling_rate_hz: float, rest_before_s: float = 2.0, rest_after_s: float = 2.0,
                     noise_std_ms2: float = 0.05, gyro_noise_std_dps: float = 0.5, gyro: bool = True,
                     variability_pct: float = 2.0, mounting: str | np.ndarray = "aligned",
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
    placement, side, sampling_rate_hz, rest_before_s, rest_after_s, noise_std_ms2, \
gyro_noise_std_dps, gyro, variability_pct, mounting, seed
        As in :func:`simulate_gait`.

    Returns
    -------
    SimulatedTrial
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
               gyro=gyro, variability_pct=variability_pct, mounting=mounting, seed=seed, meta={"session": True})
    return next(iter(out.values()))


# ----------------------------------------------------------------------------- time reversal


def time_reverse(rec: Recording) -> Recording:
    """Play a recording backwards: a physically consistent backward-moving signal.

    Under ``t -> -t`` positions and orientations are replayed in reverse, accelerations
    (second derivatives) keep their sign and angular rates change sign.  So the samples
    are reversed and the gyroscope negated; the accelerometer is only reversed.  Sample
    ``i`` becomes sample ``n - 1 - i``; applying the function twice returns the input.

    Parameters
    ----------
    rec : Recording

    Returns
    -------
    Recording
        A new recording; ``meta["time_reversed"]`` toggles.
    """
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a Recording, found {type(rec).__name__}")
    data = rec.data.iloc[::-1].reset_index(drop=True)
    for column in schema.GYR_COLUMNS:
        if column in data.columns:
            data[column] = -data[column]
    meta = dict(rec.meta)
    meta["time_reversed"] = not bool(meta.get("time_reversed", False))
    return rec.replace(data=data, meta=meta)


def time_reverse_events(events: pd.DataFrame, duration_s: float, *, sampling_rate_hz: float) -> pd.DataFrame:
    """Map events to a time-reversed recording: ``t -> duration_s - t``, ic <-> fc.

    A foot's first contact becomes its last and vice versa, so an initial contact becomes
    a final contact.  To match :func:`time_reverse` sample for sample use
    ``duration_s = (rec.n_samples - 1) / rec.sampling_rate_hz`` (the time of the last sample).

    Parameters
    ----------
    events : pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``).
    duration_s : float
        Time that maps onto 0 (>= every event time).
    sampling_rate_hz : float
        Used for the ``sample`` column (nearest sample of the new time).

    Returns
    -------
    pandas.DataFrame
        A new events table, sorted by time.

    Raises
    ------
    InputError
        If ``duration_s`` is smaller than an event time or the rate is not positive.
    """
    schema.validate_events(events)
    rate = _check_number("sampling_rate_hz", sampling_rate_hz, 0.0, math.inf, low_open=True)
    duration = _check_number("duration_s", duration_s, 0.0, math.inf)
    times = events["time_s"].to_numpy(dtype=float)
    if len(times) and times.max() > duration + 1e-9:
        raise InputError(f"duration_s: expected >= the last event time {times.max():.6g} s, found {duration!r}")
    out = events.copy()
    out["time_s"] = duration - times
    out["sample"] = np.round(out["time_s"].to_numpy() * rate).astype("int64")
    out["event"] = events["event"].map({"ic": "fc", "fc": "ic"}).astype(object)
    out = out.iloc[::-1].sort_values("time_s", kind="stable")
    return schema.conform(out, schema.EVENTS_COLUMNS)
