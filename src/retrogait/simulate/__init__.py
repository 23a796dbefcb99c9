"""Synthetic forward, backward and sideways walking and running with known truth.

The simulator builds the motion of each body segment *kinematically* and derives the
inertial signals from it, so every signal is physically consistent with the reference
events and strides it returns:

1. A timeline of steps (initial contacts alternating left, right, ...) with per-stride
   variability, stance fraction and foot placement along the walking direction.
2. The foot: a sagittal pitch profile over the gait cycle (monotone cubic interpolation
   of literature-based key angles, flat at mid-stance) and a rigid-foot rocker model in
   stance (rotation about the heel while the toes are up, about the metatarsal heads
   while the toes are down, still while flat).  In swing the foot hangs from the leg:
   the ankle is the lower end of the shank (length 0.246 x body height 1.75 m, Winter
   2009), which swings about the knee; the knee progresses on a quintic
   (minimum-jerk-like) that matches position, velocity and acceleration of the ankle
   in the stance phases at both ends, and the ankle's height is the controlled foot
   clearance (a quintic between the stance heights plus a smooth bump; Winter 1992),
   plus small roll / yaw bumps.  The foot turns with the shank, so it swings about a
   centre above the ankle in either walking direction.  Key angles for forward walking
   follow the literature and the gaitmap example recording (heel strike ~ +20 deg with
   the pitch rate crossing zero at contact, push-off rate peaking at toe-off ~ -58 deg);
   backward walking lands toe-first (-25 deg), leaves heel-last (+25 deg) and at
   mid-swing has the ankle angle of the forward mid-swing (Lee et al. 2013: joint
   angles of backward walking are almost those of forward walking reversed in time).
3. The shank: the ankle point of the foot plus a shank inclination profile (a monotone
   cubic through key angles in stance, a cubic spline through them in swing).
4. The lower back: centre-of-mass progression with a per-step vertical oscillation
   (inverted-pendulum arcs with a sharp low point in double support when walking, so
   the upward acceleration peaks 30-60 ms after contact; a sinusoid, lowest at
   mid-stance, when running; walking, the depth of each low point from the distance
   between the feet at that contact, so the step that closes a bout beside the other
   foot ends at standing height), an anterior-posterior speed fluctuation that mirrors
   when walking backward, a medio-lateral sway towards the stance foot and small pelvic
   rotations.
5. A damped "wobble" of the sensor at each initial contact (an impact transient whose
   displacement returns to zero, so it adds no net velocity or displacement).
6. Specific force ``R^T (a_world + g)`` and body angular rate (from the Euler-angle
   rates) on a fine internal grid (an integer multiple of the output rate, at least
   1 kHz), a zero-phase anti-aliasing low-pass at 0.45 x the output rate,
   decimation to the output rate, an optional fixed mounting rotation, white noise and
   optional constant biases and accelerometer saturation.

Limits: a model, not a measurement.  One rigid foot segment (no toe joint), no turns,
no slopes or stairs, no soft-tissue artefact beyond the contact transient, and the
backward-running foot kinematics have no published reference (science.md §1.5 gap):
they are a plausible forefoot pattern, not a measured one.

Public functions
----------------
:func:`simulate_gait` (one sensor, one bout), :func:`simulate_trial` (several sensors of
one trial sharing one timeline), :func:`simulate_session` (walking, running, rest and
directions in one recording), :func:`time_reverse` / :func:`time_reverse_events` /
:func:`time_reverse_trial` (a recording played backwards: physically consistent
backward gait).

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
reversal of forward), Lee M, Kim J, Son J, Kim Y (2013), Kinematic and kinetic analysis
during forward and backward walking, Gait Posture 38:674-678 (joint angles of backward
walking almost identical to forward walking reversed in time), Winter DA (1992), Foot
trajectory in human gait: a precise and multifactorial motor control task, Phys Ther
72:45-53, and Winter DA (2009), Biomechanics and Motor Control of Human Movement, 4th ed.
(segment lengths), Zijlstra & Hof 2003 (trunk acceleration in walking).
"""

from __future__ import annotations

from retrogait.simulate._core import SimulatedTrial, simulate_gait, simulate_session, simulate_trial
from retrogait.simulate._styles import GRAVITY_MS2
from retrogait.simulate.examples import example_strides
from retrogait.simulate.reverse import time_reverse, time_reverse_events, time_reverse_trial

__all__ = [
    "GRAVITY_MS2",
    "SimulatedTrial",
    "example_strides",
    "simulate_gait",
    "simulate_session",
    "simulate_trial",
    "time_reverse",
    "time_reverse_events",
    "time_reverse_trial",
]
