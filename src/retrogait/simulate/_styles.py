"""Kinematic and temporal defaults of each kind of gait, and the body geometry.

Values and their sources: ``shared/research/science.md`` §1 (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrogait import schema

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


def _direction_vector(direction: str) -> np.ndarray:
    """Unit vector (x, y) of the walking direction in the world frame."""
    return {"forward": np.array([1.0, 0.0]), "backward": np.array([-1.0, 0.0]),
            "sideways": np.array([0.0, 1.0])}[direction]
