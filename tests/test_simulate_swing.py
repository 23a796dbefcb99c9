"""The simulated swing hangs from the leg, and the trunk drops by the length of each step.

Expected values come from the anatomy the simulator documents (foot frame: heel at the
origin, metatarsal heads 0.19 m ahead, instep sensor at (0.12, 0, 0.07) m) and from the
inverted pendulum of Zijlstra & Hof (2003), never from a previous run of the code.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.integrate import cumulative_trapezoid
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from retrogait.simulate import simulate_gait
from retrogait.spatial.zupt import foot_trajectories
from retrogait.strides import strides_from_events

G = 9.80665
SENSOR_IN_FOOT_M = np.array([0.12, 0.0, 0.07])
PIVOT_MIDPOINT_M = 0.19 / 2  # halfway between the heel and the metatarsal heads
ANKLE_X_M = 0.07  # the ankle, where the leg joins the foot, 7 cm ahead of the heel


def _swing_centres(sim) -> np.ndarray:
    """Least-squares rotation centre of the foot in each swing, foot frame (m).

    Orientation from the gyroscope (the foot starts flat and still, aligned mounting),
    velocity by integrating the specific force from the still middle of the stance before
    each swing, then ``v = omega x (S - P)`` solved for the centre ``P`` over the samples
    turning faster than 30 deg/s.
    """
    rec = sim.recording
    fs = rec.sampling_rate_hz
    gyr = np.deg2rad(np.array(rec.gyr(), dtype=float))
    steps = Rotation.from_rotvec((gyr[:-1] + gyr[1:]) / 2 / fs)
    quats = [Rotation.identity()]
    for step in steps:
        quats.append(quats[-1] * step)
    rot = Rotation.concatenate(quats)
    acc_world = rot.apply(np.array(rec.acc(), dtype=float)) - np.array([0.0, 0.0, G])
    centres = []
    for row in sim.strides.itertuples():
        start = int(round((row.start_s + 0.45 * row.stance_time_s) * fs))  # foot flat and still
        lo, hi = int(round(row.fc_s * fs)), int(round(row.end_s * fs))
        vel = cumulative_trapezoid(acc_world[start:hi + 1], dx=1 / fs, axis=0, initial=0.0)[lo - start:]
        w = gyr[lo:hi + 1]
        v = rot[lo:hi + 1].inv().apply(vel)
        use = np.linalg.norm(w, axis=1) > np.deg2rad(30.0)
        skew = np.zeros((int(use.sum()), 3, 3))
        wu = w[use]
        skew[:, 0, 1], skew[:, 0, 2], skew[:, 1, 2] = -wu[:, 2], wu[:, 1], -wu[:, 0]
        skew -= skew.transpose(0, 2, 1)
        offset = np.linalg.lstsq(skew.reshape(-1, 3), v[use].reshape(-1), rcond=None)[0]
        centres.append(SENSOR_IN_FOOT_M - offset)
    return np.array(centres)


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_the_foot_swings_about_a_centre_above_the_rear_of_the_foot(direction):
    """The foot swings with the shank about a point in the leg: above the foot, and along
    the foot over the ankle or behind it -- so behind the middle of the heel and
    metatarsal pivots -- in either walking direction (the anatomical toe rule's premise).
    Before the swing hung from the leg the backward centre lay 0.3-1.4 cm ahead of the
    ankle."""
    sim = simulate_gait(direction=direction, n_strides=6, sampling_rate_hz=500.0, noise_std_ms2=0.0,
                        gyro_noise_std_dps=0.0, seed=2)
    centres = _swing_centres(sim)
    assert len(centres) == 6
    assert np.all(centres[:, 2] > 0.3)  # in the leg, not in the foot
    # over the ankle or behind it (the median, as the toe rule takes it; single strides
    # scatter with the key angles' variability), not far behind the foot
    assert -0.5 < np.median(centres[:, 0]) < ANKLE_X_M < PIVOT_MIDPOINT_M


def _toe_outcome(direction: str, n_strides: int, seed: int) -> str:
    sim = simulate_gait(direction=direction, n_strides=n_strides, sampling_rate_hz=200.0, mounting="random",
                        seed=seed)
    toe = np.asarray(sim.recording.meta["mounting_matrix"], dtype=float).T @ np.array([1.0, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traj = foot_trajectories(sim.recording, strides_from_events(sim.events, 200.0), sim.events)
    assert traj.axes is not None
    if not traj.axes.toe_decided:
        return "undecided"
    return "right" if traj.axes.toe @ toe > 0 else "wrong"


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_the_anatomical_toe_rule_is_never_wrong_on_simulated_walks(direction):
    """Seeds 1-8, 5 and 15 strides: the swing-centre rule may leave a backward walk
    undecided (from the integrated strides its median margin comes out at only 0-3 cm)
    but never points the toes the wrong way; forward walks are all decided.  Before the
    swing hung from the leg, 1 of these 16 backward walks was decided wrongly (1-3 with
    other rates, mountings or detected events)."""
    outcomes = [_toe_outcome(direction, n, seed) for n in (5, 15) for seed in range(1, 9)]
    assert "wrong" not in outcomes
    if direction == "forward":
        assert outcomes.count("right") == len(outcomes)


def _vertical_position_m(acc_z_ms2: np.ndarray, fs: float) -> np.ndarray:
    """Trunk height change (m) from the vertical specific force: high-passed (0.1 Hz)
    double integration, which keeps the step-to-step oscillation."""
    sos = butter(2, 0.1, btype="highpass", fs=fs, output="sos")
    vel = sosfiltfilt(sos, cumulative_trapezoid(sosfiltfilt(sos, acc_z_ms2 - G), dx=1 / fs, initial=0.0))
    return sosfiltfilt(sos, cumulative_trapezoid(vel, dx=1 / fs, initial=0.0))


def _step_lengths_m(strides) -> tuple[np.ndarray, np.ndarray]:
    """Initial contacts of both feet in order and the step length ending at each (m).

    A stride (ic to the next ic of the same foot) spans two steps; the step that closes
    the bout brings the foot beside the other one (length 0), so the steps follow from the
    last one backwards.
    """
    rows = strides.sort_values("end_s")
    ends = rows["end_s"].to_numpy()
    lengths = rows["stride_length_m"].to_numpy()
    steps = np.zeros(len(ends))
    for i in range(len(ends) - 2, -1, -1):
        steps[i] = lengths[i + 1] - steps[i + 1]
    return ends, steps


def test_the_trunk_drops_by_the_length_of_each_step_and_stands_up_after_the_closing_step():
    """Walking, the trunk is lowest in double support, where the legs span the step just
    taken: the drop follows that step's length (inverted pendulum, leg 0.93 m, factor
    1.25: ``h = l - sqrt(l^2 - (step / 2.5)^2)``), step by step, and the closing step
    beside the other foot ends at standing height."""
    sim = simulate_gait(placement="lower_back", n_strides=12, sampling_rate_hz=200.0, variability_pct=6.0,
                        noise_std_ms2=0.0, seed=4)
    rec = sim.recording
    fs = rec.sampling_rate_hz
    height = _vertical_position_m(rec.acc()[:, 2], fs)
    ends, steps = _step_lengths_m(sim.strides)
    leg = 0.93
    expected = leg - np.sqrt(leg**2 - (steps / 2.5) ** 2)
    # the drop after each contact: from the peak of the preceding single support to the
    # low point of the double support that follows the contact
    measured = []
    for t_ic in ends:
        i = int(round(t_ic * fs))
        peak = height[i - int(0.3 * fs):i].max()
        low = height[i:i + int(0.25 * fs)].min()
        measured.append(peak - low)
    measured = np.array(measured)
    inner = slice(1, -1)  # the first contact starts from rest
    assert np.corrcoef(measured[inner], expected[inner])[0, 1] > 0.8
    assert np.median(measured[inner] / expected[inner]) == pytest.approx(1.0, abs=0.15)
    # closing step (length 0): the trunk rises to standing height, no drop after it
    assert steps[-1] == 0.0 and measured[-1] < 0.25 * np.median(measured[inner])
