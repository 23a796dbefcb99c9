"""Kinematic and temporal defaults of each kind of gait, and the body geometry.

Values and their sources: ``shared/research/science.md`` §1 (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrogait import schema

GRAVITY_MS2 = schema.STANDARD_GRAVITY_MS2
_MIN_INTERNAL_RATE_HZ = 1000.0
_SIM_PLACEMENTS = ("foot", "shank", "lower_back")
_SIM_DIRECTIONS = ("forward", "backward", "sideways")
_SIM_GAITS = ("walk", "run")
_SIM_CONTACTS = ("heel_first", "flat", "toe_first")

# Rigid foot geometry in the foot frame (x toes, z up), metres, origin at the heel.
_TOE_PIVOT_M = 0.19  # heel to metatarsal heads (toe rocker)
_FOOT_SENSOR_M = np.array([0.12, 0.0, 0.07])  # instep
_ANKLE_M = np.array([0.07, 0.0, 0.08])
_SHANK_SENSOR_M = np.array([0.04, 0.0, 0.15])  # anterior tibia, 15 cm above the ankle
#: Body height of the simulated walker (m).
_BODY_HEIGHT_M = 1.75
#: Leg (pendulum) length of the simulated walker: 0.53 x body height 1.75 m (Winter's
#: segment proportions).
_LEG_LENGTH_M = 0.93
#: Shank length, ankle to knee: 0.246 x body height (Winter 2009, segment lengths).
_SHANK_LENGTH_M = 0.246 * _BODY_HEIGHT_M
#: Empirical factor between the inverted-pendulum step length and the real one
#: (Zijlstra & Hof 2003).
_PENDULUM_FACTOR = 1.25
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
    late_swing: tuple[float, float]  # (fraction of swing, pitch relative to the strike angle)
    shank_stance_keys: tuple[tuple[float, float], ...]
    shank_swing_keys: tuple[tuple[float, float], ...]
    clearance_m: float
    foot_impact_ms2: float
    trunk_impact_ms2: float
    com_vertical_m: float  # peak-to-peak vertical COM excursion (walking: see _com_vertical_m)
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
_IMPACT_MS2 = {  # peak foot acceleration of the contact transient, per component (order of magnitude)
    ("walk", "heel_first"): 80.0, ("walk", "flat"): 60.0, ("walk", "toe_first"): 40.0,
    ("run", "heel_first"): 180.0, ("run", "flat"): 130.0, ("run", "toe_first"): 100.0,
}


def _style(gait: str, direction: str, contact_type: str | None) -> _Style:
    """Literature-based defaults (science.md §1) for one kind of gait."""
    contact = contact_type or _DEFAULT_CONTACT[(gait, direction)]
    theta_ic = _STRIKE_ANGLE_DEG[(gait, contact)]
    if direction == "backward" and contact == "toe_first":
        # backward gait lands on the toes with the foot clearly pointing down (no
        # published magnitude, science.md §1.5): steeper when walking than when running
        theta_ic = -25.0 if gait == "walk" else -15.0
    # Late swing: a toe-first foot lands while its toes are still rising (the heel is
    # lowered through contact); a heel-first or flat running foot lands while its toes
    # start to come down, so the sign of the pitch rate at contact separates rearfoot
    # from other strikes (van Werkhoven et al. 2019, Sports 7:184).  A walking heel-first
    # foot lands at its largest dorsiflexion: in the gaitmap example (forward walking,
    # motion-capture events) the pitch rate crosses zero within ~10 ms of heel strike.
    if contact == "toe_first":
        late_swing = (0.9, -4.0)
    else:
        late_swing = (0.9, -2.0) if gait == "walk" else (0.93, 1.0)
    flat_from = {"heel_first": 0.2, "flat": 0.1, "toe_first": 0.2}[contact]
    Keys = tuple[tuple[float, float], ...]
    stance_keys: Keys
    swing_keys: Keys
    shank: tuple[Keys, Keys]
    if gait == "walk" and direction == "forward":
        cad, length, stance = 110.0, 1.35, 61.0
        # push-off accelerates up to final contact (~ -58 deg; the plantarflexion rate
        # peaks at toe-off as in Falbriard et al. 2018), the largest plantarflexion just
        # after it, then a nearly steady dorsiflexion through swing
        stance_keys = ((flat_from, 0.0), (0.55, 0.0), (0.85, -25.0), (1.0, -58.0))
        swing_keys = ((0.04, -64.0),)
        shank = (((0.0, -8.0), (0.5, 10.0), (1.0, 45.0)), ((0.1, 50.0), (0.8, -15.0)))
        clear, com = 0.05, (0.020, 0.010, 0.030)
    elif gait == "walk" and direction == "backward":
        # shorter strides (~0.63 x), similar cadence, longer stance (Laufer 2005);
        # toe-first contact, the heel lowered, the heel leaves last (toes up at fc).
        cad, length, stance = 115.0, 0.85, 66.0
        # The heel drops quickly after the toes land; late in stance the forefoot lifts
        # first (toes up) and the heel leaves last; the toes keep rising briefly after
        # the heel has left.  At mid-swing the ankle angle (foot pitch + shank
        # inclination, + = dorsiflexion) is that of the forward swing at mid-swing,
        # -11 deg: joint angles of backward walking are almost those of forward walking
        # played backwards (Lee et al. 2013; Grasso et al. 1998), so the pitch key is
        # -11 deg minus the shank's +8 deg there; the toes then turn down slowly with
        # the swinging shank and rise slightly into the toe-first contact.
        stance_keys = ((0.12 if contact == "toe_first" else flat_from, 0.0), (0.7, 0.0), (1.0, 25.0))
        swing_keys = ((0.15, 35.0), (0.5, -20.0))
        shank = (((0.0, 30.0), (0.5, 8.0), (1.0, -10.0)), ((0.2, -15.0), (0.9, 35.0)))
        clear, com = 0.05, (0.016, 0.006, 0.032)
    elif gait == "walk":  # sideways stepping to the left
        cad, length, stance = 100.0, 0.50, 65.0
        stance_keys = ((flat_from, 0.0), (0.7, 0.0), (1.0, -8.0))
        swing_keys = ((0.3, -12.0),)
        shank = (((0.0, 0.0), (1.0, 5.0)), ((0.3, 20.0), (0.8, 0.0)))
        clear, com = 0.04, (0.012, 0.0, 0.0)
    elif direction == "forward":
        cad, length, stance = 165.0, 2.60, 35.0
        stance_keys = ((max(flat_from, 0.25), 0.0), (0.45, 0.0), (0.8, -20.0), (1.0, -50.0))
        swing_keys = ((0.05, -58.0), (0.5, -25.0))
        shank = (((0.0, -5.0), (0.5, 15.0), (1.0, 50.0)), ((0.3, 80.0), (0.85, -15.0)))
        clear, com = 0.12, (0.080, 0.017, 0.010)
    else:
        # backward running: higher step frequency, longer flight, shorter contact
        # (Cavagna 2012); forefoot landing, the heel barely loaded, push-off from the
        # forefoot (toes last); in swing the flexed knee points the toes down.
        cad, length, stance = 180.0, 1.60, 30.0
        if contact == "toe_first":
            stance_keys = ((0.5, -3.0), (1.0, -22.0))
        else:
            stance_keys = ((0.3, 0.0), (0.5, 0.0), (1.0, -22.0))
        swing_keys = ((0.45, -45.0),)
        shank = (((0.0, 30.0), (0.5, 10.0), (1.0, -10.0)), ((0.2, -15.0), (0.8, 45.0)))
        clear, com = 0.10, (0.090, 0.015, 0.010)
    trunk_impact = (3.0 if gait == "walk" else 12.0) * (1.0 if contact == "heel_first" else 0.6)
    return _Style(
        gait=gait, direction=direction, contact_type=contact, cadence_spm=cad, stride_length_m=length,
        stance_pct=stance, strike_angle_deg=theta_ic, stance_keys=stance_keys, swing_keys=swing_keys,
        late_swing=late_swing,
        shank_stance_keys=shank[0], shank_swing_keys=shank[1], clearance_m=clear,
        foot_impact_ms2=_IMPACT_MS2[(gait, contact)], trunk_impact_ms2=trunk_impact,
        com_vertical_m=com[0], com_ap_m=com[1], com_ml_m=com[2],
    )


def _com_vertical_m(style: _Style, step_length_m: float) -> float:
    """Drop of the centre of mass below standing height in the double support of one step.

    Walking forward or backward: the inverted pendulum of Zijlstra & Hof (2003),
    ``step = factor * 2 sqrt(2 l h - h^2)`` solved for ``h``.  ``step_length_m`` is the
    distance (m) along the walking direction between the two feet when this step's foot
    lands: the legs then span it, so the trunk is lowest (0 when the step closes up beside
    the other foot at the end of a bout).  Sideways walking and running: the style's fixed
    value.
    """
    if style.gait != "walk" or style.direction == "sideways":
        return style.com_vertical_m
    half_step = min(abs(step_length_m) / _PENDULUM_FACTOR / 2, 0.9 * _LEG_LENGTH_M)
    return _LEG_LENGTH_M - float(np.sqrt(_LEG_LENGTH_M**2 - half_step**2))


def _direction_vector(direction: str) -> np.ndarray:
    """Unit vector (x, y) of the walking direction in the world frame."""
    return {"forward": np.array([1.0, 0.0]), "backward": np.array([-1.0, 0.0]),
            "sideways": np.array([0.0, 1.0])}[direction]
