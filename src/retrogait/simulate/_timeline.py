"""The timeline of a simulation: contacts, foot placements and key angles of both feet."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from retrogait.simulate._styles import (
    _SIDESTEP_WIDTH_M,
    _STEP_WIDTH_M,
    _direction_vector,
    _Style,
    _style,
)


@dataclass
class _Stance:
    ic_s: float  # -inf for the standing phase that opens a bout
    fc_s: float  # +inf for the standing phase that closes a bout
    anchor: np.ndarray  # heel position (x, y) when the foot is flat
    style: _Style
    stride_index: int  # index of the truth stride starting here (-1 = none)
    bout_id: int
    swing_roll_deg: float = 0.0  # peak foot roll (inversion +) in the swing after this stance
    swing_yaw_deg: float = 0.0  # peak foot yaw (toes to the left +) in that swing


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


def _build_timeline(segments: list[dict[str, Any]], rng: np.random.Generator, variability_pct: float,
                    step_asymmetry_pct: float = 0.0) -> _Timeline:
    """Turn gait and rest segments into the contacts of both feet.

    ``step_asymmetry_pct`` = 100 (left step time - right step time) / mean step time,
    where a foot's step ends with its initial contact.
    """
    half_asym = step_asymmetry_pct / 200.0
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
        # strike angle: 1 deg SD per 2 % of stride variability; other key angles 0.5 deg
        strike = np.array([s.strike_angle_deg for s in step_styles]) + 50.0 * cv * rng.standard_normal(n_steps)
        key_jitter = 25.0 * cv * rng.standard_normal((n_steps, 8))
        roll_yaw = rng.normal([4.0, 0.0], [1.5, 3.0], size=(n_steps, 2))
        first = step_styles[0]
        release_frac = _release_fraction(first)
        start = t
        stance0 = stride_times[0] * first.stance_pct / 100
        ic_times = [start + (1 - release_frac) * stance0 + stride_times[0] * (1 - first.stance_pct / 100)]
        for i in range(1, n_steps):
            step_scale = 1.0 + half_asym if i % 2 == 0 else 1.0 - half_asym  # even i: left contact
            ic_times.append(ic_times[-1] + stride_times[i - 1] / 2 * step_scale)
        # anchors
        anchors = []
        for i, style in enumerate(step_styles):
            side = "left" if i % 2 == 0 else "right"
            d = _direction_vector(style.direction)
            if style.direction == "sideways":
                centre = centre + (d * 2 * step_lengths[i] if side == "left" else 0.0)
                lateral = np.array([0.0, _SIDESTEP_WIDTH_M / 2 if side == "left" else -_SIDESTEP_WIDTH_M / 2])
            else:
                # the last step of a bout closes up beside the other foot (gait termination)
                centre = centre + (d * step_lengths[i] if i + 1 < n_steps else 0.0)
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
                # the first half of a swing follows the stride it belongs to, the second
                # half prepares the next contact (they differ where the gait changes)
                swing_keys = [k for k in prev_sty.swing_keys if k[0] < 0.5] + \
                    [k for k in sty.swing_keys if k[0] >= 0.5]
                for k, (frac, ang) in enumerate(swing_keys):
                    pitch_keys[side].append((prev_fc + frac * swing_t, ang + key_jitter[i, k]))
                late_frac, late_offset = sty.late_swing
                pitch_keys[side].append((prev_fc + late_frac * swing_t, strike[i] + late_offset))
                sign = 1.0 if side == "left" else -1.0
                stances[side][-1].swing_roll_deg = sign * roll_yaw[i, 0]
                stances[side][-1].swing_yaw_deg = sign * roll_yaw[i, 1]
                shank_swing = [k for k in prev_sty.shank_swing_keys if k[0] < 0.5] + \
                    [k for k in sty.shank_swing_keys if k[0] >= 0.5]
                for frac, ang in shank_swing:
                    shank_keys[side].append((prev_fc + frac * swing_t, ang))
                pitch_keys[side].append((ic, float(strike[i])))
                if has_next:
                    fc = ic + stance_t
                    fc_angle = 0.0
                    for k, (frac, ang) in enumerate(sty.stance_keys):
                        jitter = key_jitter[i, 4 + k] if ang != 0.0 else 0.0  # flat stays flat
                        pitch_keys[side].append((ic + frac * stance_t, ang + jitter))
                        fc_angle = ang + jitter if frac == 1.0 else fc_angle
                    _append_shank(shank_keys[side], sty, ic, stance_t, stride_t, only_after=-1.0)
                    stride_row = {
                        "side": side, "bout_id": bout_id, "start_s": ic, "end_s": ic_times[idx[j + 1]],
                        "fc_s": fc, "stride_time_s": stride_t, "stance_time_s": stance_t,
                        "stride_length_m": float(np.linalg.norm(anchors[idx[j + 1]] - anchors[i])),
                        "direction": sty.direction, "gait": sty.gait, "contact_type": sty.contact_type,
                        "strike_angle_deg": float(strike[i]), "fc_angle_deg": float(fc_angle),
                        "segment_id": step_segment[i],
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


