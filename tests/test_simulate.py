"""Tests of the gait simulator: its truth must be self-consistent and its signals physical.

Expected values come from physics (gravity at rest, rigid-body integration of the
signals returns the displacement that the truth table states) and from the simulator's
documented conventions, never from a previous run of the code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import cumulative_trapezoid
from scipy.spatial.transform import Rotation

from retrogait import schema
from retrogait.errors import InputError
from retrogait.recording import Recording
from retrogait.simulate import (
    SimulatedTrial,
    simulate_gait,
    simulate_session,
    simulate_trial,
    time_reverse,
    time_reverse_events,
    time_reverse_trial,
)

G = 9.80665
QUIET = {"noise_std_ms2": 0.0, "gyro_noise_std_dps": 0.0}
SHORT = {"n_strides": 4, "rest_before_s": 1.0, "rest_after_s": 1.0}


def _sim(**kwargs) -> SimulatedTrial:
    options = {"sampling_rate_hz": 100.0, "seed": 7, **SHORT, **QUIET}
    options.update(kwargs)
    return simulate_gait(**options)


def _pitch_deg(rec: Recording) -> np.ndarray:
    """Foot pitch (+ = toes up): elevation of the sensor x axis, orientation from the gyroscope."""
    return np.degrees(np.arcsin(np.clip(_orientation(rec)[:, 2, 0], -1.0, 1.0)))


def _orientation(rec: Recording) -> np.ndarray:
    """Sensor-to-world rotation matrices (n, 3, 3) from the gyroscope, identity at rest.

    Quaternion strapdown with the mean rate of each sample interval (exact for a rate
    that is constant over the interval).
    """
    rate = np.deg2rad(rec.gyr())
    half = (rate[1:] + rate[:-1]) / 4 / rec.sampling_rate_hz  # half rotation angle vectors
    angle = np.linalg.norm(half, axis=1)
    dq = np.column_stack([np.cos(angle), np.sinc(angle / np.pi)[:, None] * half])  # (w, x, y, z)
    q = np.empty((len(rate), 4))
    w, x, y, z = 1.0, 0.0, 0.0, 0.0
    q[0] = w, x, y, z
    for k, (a, b, c, d) in enumerate(dq.tolist(), start=1):
        w, x, y, z = (w * a - x * b - y * c - z * d, w * b + x * a + y * d - z * c,
                      w * c - x * d + y * a + z * b, w * d + x * c - y * b + z * a)
        q[k] = w, x, y, z
    return Rotation.from_quat(q[:, [1, 2, 3, 0]]).as_matrix()


def _stride_displacement_m(rec: Recording, a_s: float, b_s: float) -> np.ndarray:
    """Horizontal (x, y) displacement of the foot sensor between two still instants.

    Strapdown integration: rotate the specific force to the world frame with the
    orientation integrated from the gyroscope, remove gravity, integrate twice with zero
    velocity at both ends (linear de-drifting of the velocity).
    """
    t = rec.time_s
    world = np.einsum("nij,nj->ni", _orientation(rec), rec.acc()) - [0.0, 0.0, G]
    m = (t >= a_s) & (t <= b_s)
    vel = cumulative_trapezoid(world[m], t[m], axis=0, initial=0.0)
    vel -= np.linspace(0.0, 1.0, m.sum())[:, None] * vel[-1]
    return cumulative_trapezoid(vel, t[m], axis=0, initial=0.0)[-1, :2]


def _still_instant(rec: Recording, a_s: float, b_s: float) -> float:
    """Time of the smallest foot angular rate between a_s and b_s (the stillest moment)."""
    t = rec.time_s
    m = (t >= a_s) & (t <= b_s)
    rate = np.abs(rec.gyr()[m, 1])
    return float(t[m][np.argmin(rate)])


# ----------------------------------------------------------------------------- truth


@pytest.mark.parametrize(
    ("gait", "direction"),
    [("walk", "forward"), ("walk", "backward"), ("walk", "sideways"), ("run", "forward"), ("run", "backward")],
)
def test_truth_tables_are_self_consistent(gait, direction):
    sim = _sim(gait=gait, direction=direction)
    strides, events = sim.strides, sim.events
    schema.validate_strides(strides)
    schema.validate_events(events)
    assert len(strides) == 4
    np.testing.assert_allclose(strides["stance_time_s"] + strides["swing_time_s"], strides["stride_time_s"])
    np.testing.assert_allclose(strides["cadence_spm"], 120.0 / strides["stride_time_s"])
    np.testing.assert_allclose(strides["speed_mps"], strides["stride_length_m"] / strides["stride_time_s"])
    np.testing.assert_allclose(strides["end_s"] - strides["start_s"], strides["stride_time_s"])
    assert (strides["fc_s"] > strides["start_s"]).all() and (strides["fc_s"] < strides["end_s"]).all()
    assert set(strides["direction"]) == {direction} and set(strides["gait"]) == {gait}
    # events alternate fc, ic, fc, ... (the foot leaves the standing position first)
    assert events["event"].tolist() == ["fc", "ic"] * 5
    assert np.all(np.diff(events["time_s"]) > 0)
    ic = events.loc[events["event"] == "ic", "time_s"].to_numpy()
    fc = events.loc[events["event"] == "fc", "time_s"].to_numpy()
    np.testing.assert_allclose(ic[:-1], strides["start_s"])
    np.testing.assert_allclose(ic[1:], strides["end_s"])
    np.testing.assert_allclose(fc[1:], strides["fc_s"])
    np.testing.assert_array_equal(events["sample"], np.round(events["time_s"] * 100).astype(int))
    assert (events["sensor"] == sim.recording.name).all() and (events["side"] == "left").all()
    if gait == "run":
        assert (strides["stance_pct"] < 40).all()  # flight phase
    else:
        assert (strides["stance_pct"] > 50).all()  # double support


def test_defaults_follow_the_literature_directions():
    """Backward walking: shorter strides, similar cadence, longer stance (Laufer 2005);
    backward running: higher cadence and shorter contact than forward (Cavagna 2012)."""
    fw, bw = _sim(direction="forward").strides, _sim(direction="backward").strides
    assert 0.55 < bw["stride_length_m"].mean() / fw["stride_length_m"].mean() < 0.85
    assert abs(bw["cadence_spm"].mean() / fw["cadence_spm"].mean() - 1) < 0.15
    assert bw["stance_pct"].mean() > fw["stance_pct"].mean()
    assert 100 < fw["cadence_spm"].mean() < 120 and 1.25 < fw["stride_length_m"].mean() < 1.45
    fr, br = _sim(gait="run").strides, _sim(gait="run", direction="backward").strides
    assert br["cadence_spm"].mean() > fr["cadence_spm"].mean()
    assert br["stance_time_s"].mean() < fr["stance_time_s"].mean()
    assert 155 < fr["cadence_spm"].mean() < 175


def test_requested_cadence_and_stride_length_are_met():
    sim = _sim(cadence_spm=96.0, stride_length_m=1.1, stance_pct=63.0, n_strides=30, variability_pct=1.0)
    assert sim.strides["cadence_spm"].mean() == pytest.approx(96.0, rel=0.01)
    assert sim.strides["stride_length_m"].mean() == pytest.approx(1.1, rel=0.01)
    np.testing.assert_allclose(sim.strides["stance_pct"], 63.0)


# ----------------------------------------------------------------------------- physics


@pytest.mark.parametrize("placement", ["foot", "shank", "lower_back"])
def test_at_rest_the_sensor_measures_gravity_only(placement):
    rec = _sim(placement=placement).recording
    still = rec.time_s < 0.8  # the zero-phase anti-aliasing filter rings ~0.1 s before the motion
    np.testing.assert_allclose(np.linalg.norm(rec.acc()[still], axis=1), G, atol=1e-6)
    np.testing.assert_allclose(rec.gyr()[still], 0.0, atol=1e-6)
    # the documented frame: z up at rest
    np.testing.assert_allclose(rec.acc()[0], [0.0, 0.0, G], atol=1e-6)


def test_noise_has_the_requested_standard_deviation():
    rec = _sim(noise_std_ms2=0.2, gyro_noise_std_dps=1.5, rest_before_s=10.0).recording
    still = rec.time_s < 9.5
    assert np.std(rec.acc()[still, 0]) == pytest.approx(0.2, rel=0.1)
    assert np.std(rec.gyr()[still, 2]) == pytest.approx(1.5, rel=0.1)


@pytest.mark.parametrize(
    ("gait", "direction", "rate_hz"),
    [("walk", "forward", 100.0), ("walk", "backward", 100.0), ("run", "forward", 200.0),
     ("run", "backward", 200.0), ("walk", "forward", 487.0)],
)
def test_integrating_the_foot_signals_returns_the_stride_length(gait, direction, rate_hz):
    sim = _sim(gait=gait, direction=direction, sampling_rate_hz=rate_hz)
    rec, strides = sim.recording, sim.strides
    sign = 1.0 if direction == "forward" else -1.0
    for row in strides.itertuples():
        a = _still_instant(rec, row.start_s, row.fc_s)
        nxt = row.end_s + (row.fc_s - row.start_s)
        b = _still_instant(rec, row.end_s, nxt)
        dx, dy = _stride_displacement_m(rec, a, b)
        assert sign * dx == pytest.approx(row.stride_length_m, rel=0.03)
        assert abs(dy) < 0.01


def test_sideways_walking_moves_the_foot_along_y():
    sim = _sim(direction="sideways")
    row = sim.strides.iloc[1]
    a = _still_instant(sim.recording, row.start_s, row.fc_s)
    b = _still_instant(sim.recording, row.end_s, row.end_s + row.stance_time_s)
    dx, dy = _stride_displacement_m(sim.recording, a, b)
    assert dy == pytest.approx(row.stride_length_m, rel=0.03)
    assert abs(dx) < 0.01


@pytest.mark.parametrize(
    ("gait", "direction", "contact_type"),
    [("walk", "forward", None), ("walk", "backward", None), ("walk", "forward", "toe_first"),
     ("run", "forward", "heel_first"), ("run", "forward", "flat"), ("run", "forward", "toe_first"),
     ("run", "backward", None)],
)
def test_pitch_at_initial_contact_matches_the_contact_type(gait, direction, contact_type):
    sim = _sim(gait=gait, direction=direction, contact_type=contact_type)
    expected = contact_type or ("heel_first" if direction == "forward" else "toe_first")
    assert set(sim.strides["contact_type"]) == {expected}
    pitch = np.interp(sim.strides["start_s"], sim.recording.time_s, _pitch_deg(sim.recording))
    np.testing.assert_allclose(pitch, sim.strides["strike_angle_deg"], atol=0.5)
    # Altman & Davis 2012 classes: heel-first > 8 deg, flat -1.6..8 deg, toe-first < -1.6 deg
    if expected == "heel_first":
        assert (pitch > 8).all()
    elif expected == "toe_first":
        assert (pitch < -1.6).all()
    else:
        assert ((pitch > -1.6) & (pitch < 8)).all()


@pytest.mark.parametrize("placement", ["foot", "shank"])
def test_mid_swing_rotation_flips_sign_with_direction(placement):
    for direction, sign in (("forward", -1.0), ("backward", 1.0)):
        sim = _sim(placement=placement, direction=direction)
        rec = sim.recording
        t, gyr_y = rec.time_s, rec.gyr()[:, 1]
        for row in sim.strides.itertuples():
            quarter = (row.end_s - row.fc_s) / 4
            mid_swing = gyr_y[(t > row.fc_s + quarter) & (t < row.end_s - quarter)]
            assert sign * mid_swing.mean() > 150.0  # deg/s


def test_lower_back_sees_both_feet_and_mirrors_the_anterior_acceleration():
    means = {}
    for direction in ("forward", "backward"):
        sim = _sim(placement="lower_back", direction=direction)
        events = sim.events
        assert sim.recording.side is None and set(events["side"]) == {"left", "right"}
        ic = events[events["event"] == "ic"]
        assert ic["side"].tolist()[:4] == ["left", "right", "left", "right"]
        t, acc = sim.recording.time_s, sim.recording.acc()
        # propulsion before each contact pushes the trunk the way it moves
        means[direction] = np.mean([acc[(t >= x - 0.15) & (t < x), 0].mean() for x in ic["time_s"][2:-2]])
        # vertical: mean specific force over the recording is g (no net vertical motion)
        assert acc[:, 2].mean() == pytest.approx(G, abs=0.05)
    assert means["forward"] > 0.3 and means["backward"] < -0.3


def test_random_mounting_is_a_fixed_rotation_of_the_aligned_signals():
    aligned = _sim(mounting="aligned").recording
    rotated = _sim(mounting="random").recording
    m = np.array(rotated.meta["mounting_matrix"])
    np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-9)
    assert not np.allclose(m, np.eye(3))
    np.testing.assert_allclose(rotated.acc() @ m.T, aligned.acc(), atol=1e-9)
    np.testing.assert_allclose(rotated.gyr() @ m.T, aligned.gyr(), atol=1e-9)


# ----------------------------------------------------------------------------- API


def test_recording_meta_and_shape():
    sim = _sim(sampling_rate_hz=487.0, gyro=False, seed=3)
    rec = sim.recording
    assert rec.sampling_rate_hz == 487.0 and not rec.has_gyro
    assert rec.meta["simulated"] is True and rec.meta["gait"] == "walk" and rec.meta["direction"] == "forward"
    assert rec.placement == "foot" and rec.side == "left" and rec.name == "foot_left"
    assert sim.events["sample"].max() < rec.n_samples
    assert rec.duration_s > sim.events["time_s"].max() + 0.9  # the rest after the bout


def test_seeded_runs_are_reproducible_and_seeds_matter():
    a, b, c = (_sim(seed=s, noise_std_ms2=0.05) for s in (11, 11, 12))
    pd.testing.assert_frame_equal(a.recording.data, b.recording.data)
    pd.testing.assert_frame_equal(a.strides, b.strides)
    assert not np.allclose(a.strides["stride_time_s"], c.strides["stride_time_s"])


def test_trial_shares_one_timeline_with_the_right_foot_half_a_stride_later():
    trial = simulate_trial(sampling_rate_hz=100.0, seed=2, **SHORT)
    assert list(trial) == ["foot_left", "foot_right", "lower_back"]
    left, right, back = (trial[k] for k in ("foot_left", "foot_right", "lower_back"))
    assert left.recording.n_samples == right.recording.n_samples == back.recording.n_samples
    feet = pd.concat([left.events, right.events]).sort_values("time_s")
    np.testing.assert_allclose(feet["time_s"], back.events["time_s"])
    assert feet["event"].tolist() == back.events["event"].tolist()
    shift = right.strides["start_s"].to_numpy() - left.strides["start_s"].to_numpy()
    np.testing.assert_allclose(shift / left.strides["stride_time_s"].to_numpy(), 0.5, atol=0.05)
    assert set(back.strides["side"]) == {"left", "right"}


def test_step_asymmetry_lengthens_the_left_step():
    trial = simulate_trial(sensors=("lower_back",), sampling_rate_hz=100.0, seed=2, n_strides=6,
                           variability_pct=0.0, step_asymmetry_pct=10.0, rest_before_s=0.5, rest_after_s=0.5)
    ic = trial["lower_back"].events.query("event == 'ic'")
    steps = ic["time_s"].diff().to_numpy()[1:]
    sides = ic["side"].to_numpy()[1:]  # side whose contact ends the step
    left, right = steps[sides == "left"].mean(), steps[sides == "right"].mean()
    assert 100 * (left - right) / ((left + right) / 2) == pytest.approx(10.0, abs=0.5)
    strides = trial["lower_back"].strides
    np.testing.assert_allclose(strides["stride_time_s"], 120 / 110.0, rtol=1e-6)  # strides stay equal


def test_biases_and_saturation_are_applied_and_recorded():
    rec = _sim(acc_bias_std_ms2=0.3, gyro_bias_std_dps=2.0, gait="run").recording
    acc_bias, gyr_bias = np.array(rec.meta["acc_bias_ms2"]), np.array(rec.meta["gyro_bias_dps"])
    assert np.abs(acc_bias).max() > 0 and np.abs(gyr_bias).max() > 0
    still = rec.time_s < 0.8
    np.testing.assert_allclose(rec.acc()[still].mean(axis=0), [0.0, 0.0, G] + acc_bias, atol=1e-6)
    np.testing.assert_allclose(rec.gyr()[still].mean(axis=0), gyr_bias, atol=1e-6)
    clipped = _sim(gait="run", acc_range_ms2=4 * G).recording
    assert np.abs(clipped.acc()).max() == pytest.approx(4 * G)
    assert np.abs(_sim(gait="run").recording.acc()).max() > 4 * G  # the run does exceed 4 g


def test_session_has_truth_per_segment_and_quiet_rest():
    segments = [{"gait": "walk", "direction": "forward", "n_strides": 3}, {"rest_s": 4.0},
                {"gait": "run", "direction": "forward", "n_strides": 3},
                {"gait": "walk", "direction": "backward", "n_strides": 3}, {"rest_s": 2.0},
                {"gait": "walk", "direction": "sideways", "n_strides": 3}]
    sim = simulate_session(segments, sampling_rate_hz=100.0, seed=5, rest_before_s=1.0, rest_after_s=1.0,
                           **QUIET)
    seg = sim.segments
    assert sim.recording.meta["session"] is True and sim.recording.meta["direction"] == "mixed"
    assert sim.recording.meta["gait"] == "mixed"
    assert seg["kind"].tolist() == ["rest", "gait", "rest", "gait", "gait", "rest", "gait", "rest"]
    assert seg.loc[seg["kind"] == "gait", "direction"].tolist() == ["forward", "forward", "backward", "sideways"]
    assert seg.loc[seg["kind"] == "gait", "n_strides"].tolist() == [3, 3, 3, 3]
    strides = sim.strides
    assert strides.groupby("segment_id")["direction"].first().tolist() == ["forward", "forward", "backward",
                                                                             "sideways"]
    assert strides["bout_id"].tolist() == [0] * 3 + [1] * 6 + [2] * 3
    schema.validate_strides(strides)
    # during the long rest the foot stands still
    rest = seg.iloc[2]
    t = sim.recording.time_s
    m = (t > rest["start_s"] + 1.0) & (t < rest["end_s"] - 1.0)
    np.testing.assert_allclose(np.linalg.norm(sim.recording.acc()[m], axis=1), G, atol=1e-6)
    # segments follow each other; joined gait segments overlap by about half a stride
    # (one foot changes pattern after the other), rests overlap nothing
    assert np.all(np.diff(seg["start_s"]) > 0) and np.all(np.diff(seg["end_s"]) > 0)
    starts, ends = seg["start_s"].to_numpy(), seg["end_s"].to_numpy()
    for i in np.flatnonzero(seg["kind"] == "rest"):
        if i > 0:
            assert starts[i] >= ends[i - 1]
        if i + 1 < len(seg):
            assert ends[i] <= starts[i + 1]


@pytest.mark.parametrize(("placement", "max_acc_ms2", "max_gyr_dps"),
                         [("foot", 250.0, 1200.0), ("shank", 150.0, 800.0), ("lower_back", 60.0, 100.0)])
def test_gait_changes_within_a_session_stay_physiological(placement, max_acc_ms2, max_gyr_dps):
    """Walk -> run, backward -> forward and sideways -> backward run without a stop:
    the joins must not create accelerations or rates beyond what running itself shows."""
    segments = [{"gait": "walk", "direction": "forward", "n_strides": 3},
                {"gait": "run", "direction": "forward", "n_strides": 3}, {"rest_s": 1.0},
                {"gait": "walk", "direction": "backward", "n_strides": 3},
                {"gait": "walk", "direction": "forward", "n_strides": 3}, {"rest_s": 1.0},
                {"gait": "walk", "direction": "sideways", "n_strides": 3},
                {"gait": "run", "direction": "backward", "n_strides": 3}]
    rec = simulate_session(segments, placement=placement, sampling_rate_hz=100.0, seed=3, **QUIET).recording
    assert np.linalg.norm(rec.acc(), axis=1).max() < max_acc_ms2
    assert np.abs(rec.gyr()).max() < max_gyr_dps


@pytest.mark.parametrize(("contact_type", "sign"), [("heel_first", -1.0), ("toe_first", 1.0)])
def test_pitch_rate_at_contact_separates_rearfoot_from_forefoot_running(contact_type, sign):
    """van Werkhoven et al. 2019: the sign of the sagittal foot angular rate at initial
    contact tells rearfoot strikes (toes coming down) from the others (heel coming down)."""
    sim = _sim(gait="run", contact_type=contact_type, sampling_rate_hz=200.0)
    t, gyr_y = sim.recording.time_s, sim.recording.gyr()[:, 1]
    pitch_rate = -np.interp(sim.strides["start_s"], t, gyr_y)  # d pitch / dt, + = toes up
    assert (sign * pitch_rate > 0).all()


def test_time_reverse_twice_is_the_identity_and_negates_the_gyroscope():
    rec = _sim(noise_std_ms2=0.05, seed=4).recording
    rev = time_reverse(rec)
    np.testing.assert_array_equal(rev.acc(), rec.acc()[::-1])
    np.testing.assert_array_equal(rev.gyr(), -rec.gyr()[::-1])
    assert rev.meta["time_reversed"] is True
    back = time_reverse(rev)
    pd.testing.assert_frame_equal(back.data, rec.data)
    assert back.meta["time_reversed"] is False


def test_time_reversed_forward_walking_moves_backward():
    sim = _sim()
    rec = sim.recording
    rev = time_reverse(rec)
    last_s = rec.time_s[-1]
    events = time_reverse_events(sim.events, last_s, sampling_rate_hz=rec.sampling_rate_hz)
    schema.validate_events(events)
    # the first event is now an ic (the old last ic became an fc... and vice versa)
    assert events["event"].tolist() == ["fc", "ic"] * 5
    np.testing.assert_allclose(events["time_s"].to_numpy(), last_s - sim.events["time_s"].to_numpy()[::-1])
    ic = events.loc[events["event"] == "ic", "time_s"].to_numpy()
    fc = events.loc[events["event"] == "fc", "time_s"].to_numpy()
    a = _still_instant(rev, ic[1], fc[2])
    b = _still_instant(rev, ic[2], fc[3])
    dx, _ = _stride_displacement_m(rev, a, b)
    assert dx < -1.0
    twice = time_reverse_events(events, last_s, sampling_rate_hz=rec.sampling_rate_hz)
    pd.testing.assert_frame_equal(twice, sim.events)


@pytest.mark.parametrize("placement", ["foot", "lower_back"])
def test_time_reversed_trial_is_backward_gait_with_consistent_truth(placement):
    segments = [{"gait": "walk", "direction": "forward", "n_strides": 3}, {"rest_s": 1.0},
                {"gait": "run", "direction": "backward", "n_strides": 3}]
    sim = simulate_session(segments, placement=placement, sampling_rate_hz=100.0, seed=8, rest_before_s=1.0,
                           rest_after_s=1.0, **QUIET)
    rev = time_reverse_trial(sim)
    strides = schema.validate_strides(rev.strides)
    schema.validate_events(rev.events)
    assert rev.recording.meta["time_reversed"] is True
    # segments in the new time order: backward run reversed first, then forward walk reversed
    gait_segments = rev.segments[rev.segments["kind"] == "gait"]
    assert gait_segments["direction"].tolist() == ["forward", "backward"]
    assert gait_segments["gait"].tolist() == ["run", "walk"]
    for segment_id, group in strides.groupby("segment_id"):
        row = rev.segments.set_index("segment_id").loc[segment_id]
        assert set(group["direction"]) == {row["direction"]} and set(group["gait"]) == {row["gait"]}
    # every reversed stride starts at a reversed ic, has its fc inside and ends at the next ic
    for side, group in strides.groupby("side"):
        ev = rev.events[rev.events["side"] == side]
        ic = ev.loc[ev["event"] == "ic", "time_s"].to_numpy()
        fc = ev.loc[ev["event"] == "fc", "time_s"].to_numpy()
        for row in group.itertuples():
            assert np.isclose(ic, row.start_s).any() and np.isclose(ic, row.end_s).any()
            assert np.isclose(fc, row.fc_s).any()
    # forward heel-first walking played backwards lands on the toes (old push-off angle)
    walk = strides[strides["gait"] == "walk"]
    assert (walk["contact_type"] == "toe_first").all() and (walk["strike_angle_deg"] < -30).all()
    if placement == "foot":
        pitch = np.interp(strides["start_s"], rev.recording.time_s, _pitch_deg(rev.recording))
        np.testing.assert_allclose(pitch, strides["strike_angle_deg"], atol=0.5)
        for row in walk.dropna(subset=["stride_length_m"]).itertuples():
            a = _still_instant(rev.recording, row.start_s, row.fc_s)
            b = _still_instant(rev.recording, row.end_s, row.end_s + row.stance_time_s)
            dx, _ = _stride_displacement_m(rev.recording, a, b)
            assert -dx == pytest.approx(row.stride_length_m, rel=0.03)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"placement": "wrist"}, r"placement: expected one of \['foot', 'shank', 'lower_back'\], found 'wrist'"),
        ({"side": "middle"}, r"side: expected one of \['left', 'right'\], found 'middle'"),
        ({"gait": "hop"}, r"gait: expected one of \['walk', 'run'\], found 'hop'"),
        ({"direction": "up"}, r"direction: expected one of \['forward', 'backward', 'sideways'\], found 'up'"),
        ({"gait": "run", "direction": "sideways"}, r"'sideways' is only simulated for gait='walk'"),
        ({"contact_type": "midfoot"}, r"contact_type: expected one of .*found 'midfoot'"),
        ({"n_strides": 0}, r"n_strides: expected an integer in \[1, 10000\], found 0"),
        ({"n_strides": 2.5}, r"n_strides: expected an integer in \[1, 10000\], found 2.5"),
        ({"sampling_rate_hz": 0.0}, r"sampling_rate_hz: expected a value in \[10, 100000\], found 0.0"),
        ({"sampling_rate_hz": "100"}, r"sampling_rate_hz: expected a number, found '100'"),
        ({"cadence_spm": 400.0}, r"cadence_spm: expected a value in \[30, 300\], found 400.0"),
        ({"stride_length_m": 0.0}, r"stride_length_m: expected a value in \(0, 5\], found 0.0"),
        ({"stance_pct": 95.0}, r"stance_pct: expected a value in \[20, 85\], found 95.0"),
        ({"rest_before_s": -1.0}, r"rest_before_s: expected a value in \[0, 3600\], found -1.0"),
        ({"noise_std_ms2": math.nan}, r"noise_std_ms2: expected a value in \[0, 50\], found nan"),
        ({"mounting": "tilted"}, r"mounting: expected 'aligned', 'random' or a 3x3 rotation matrix, found 'tilted'"),
        ({"mounting": np.diag([1.0, 1.0, -1.0])}, r"mounting: expected 'aligned', 'random' or a 3x3 rotation"),
        ({"seed": 1.5}, r"seed: expected an integer or None, found 1.5"),
        ({"gyro": "yes"}, r"gyro: expected True or False, found 'yes'"),
        ({"step_asymmetry_pct": 60.0}, r"step_asymmetry_pct: expected a value in \[-50, 50\], found 60.0"),
        ({"acc_range_ms2": 0.0}, r"acc_range_ms2: expected a value in \(0, inf\], found 0.0"),
        ({"acc_bias_std_ms2": -0.1}, r"acc_bias_std_ms2: expected a value in \[0, 50\], found -0.1"),
        ({"variability_pct": 20.0}, r"variability_pct: expected a value in \[0, 10\], found 20.0"),
    ],
)
def test_bad_parameters_raise_input_error(kwargs, message):
    options = {"sampling_rate_hz": 100.0, "n_strides": 2}
    options.update(kwargs)
    with pytest.raises(InputError, match=message):
        simulate_gait(**options)


def test_swing_too_short_message_names_the_duration():
    # 290 spm -> stride 0.4138 s; 50 % stance leaves a swing of 207 ms: allowed
    simulate_gait(gait="run", cadence_spm=290.0, stance_pct=50.0, n_strides=1, sampling_rate_hz=100.0,
                  rest_before_s=0.0, rest_after_s=0.0)
    # 85 % stance at 290 spm leaves 62 ms
    with pytest.raises(InputError, match=r"the swing phase would last 62 ms; expected at least 80 ms"):
        simulate_gait(gait="run", cadence_spm=290.0, stance_pct=85.0, n_strides=1, sampling_rate_hz=100.0)


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        ([], r"segments: expected a non-empty list of dicts, found \[\]"),
        ([{"rest_s": 2.0}], r"segments: expected at least one gait segment"),
        ([{"gait": "walk", "speed": 1.0}], r"segments\[0\]: unknown key\(s\) \['speed'\]"),
        ([{"gait": "walk"}, {"rest_s": -2.0}], r"segments\[1\].rest_s: expected a value in \[0, 3600\]"),
        ([{"gait": "walk"}, {"rest_s": 1.0, "gait": "run"}], r"segments\[1\]: a rest segment takes only 'rest_s'"),
        ([{"gait": "swim"}], r"segments\[0\].gait: expected one of \['walk', 'run'\], found 'swim'"),
    ],
)
def test_bad_segments_raise_input_error(segments, message):
    with pytest.raises(InputError, match=message):
        simulate_session(segments, sampling_rate_hz=100.0)


def test_bad_trial_sensors_and_reverse_inputs():
    with pytest.raises(InputError, match=r"sensors: expected one of .*found 'wrist'"):
        simulate_trial(sensors=["foot_left", "wrist"], sampling_rate_hz=100.0)
    with pytest.raises(InputError, match=r"sensors: each sensor may appear once"):
        simulate_trial(sensors=["foot_left", "foot_left"], sampling_rate_hz=100.0)
    with pytest.raises(TypeError, match=r"rec: expected a Recording, found DataFrame"):
        time_reverse(pd.DataFrame())
    events = _sim().events
    with pytest.raises(InputError, match=r"duration_s: expected >= the last event time"):
        time_reverse_events(events, 1.0, sampling_rate_hz=100.0)


@settings(max_examples=15, deadline=None)
@given(cadence=st.floats(min_value=-1e3, max_value=1e3, allow_nan=False))
def test_cadence_outside_its_range_is_rejected_and_inside_it_is_met(cadence):
    options = {"cadence_spm": cadence, "n_strides": 2, "sampling_rate_hz": 50.0, "rest_before_s": 0.2,
               "rest_after_s": 0.2, "variability_pct": 0.0, "seed": 0}
    if not 30.0 <= cadence <= 300.0:
        with pytest.raises(InputError, match=r"cadence_spm: expected a value in \[30, 300\]"):
            simulate_gait(**options)
        return
    if cadence > 250.0:  # walking with 61 % stance leaves too short a swing above ~ 290 spm
        return
    sim = simulate_gait(**options)
    np.testing.assert_allclose(sim.strides["cadence_spm"], cadence, rtol=1e-9)


@settings(max_examples=10, deadline=None)
@given(rate=st.floats(min_value=10.0, max_value=3000.0, allow_nan=False))
def test_any_sampling_rate_gives_consistent_lengths(rate):
    sim = simulate_gait(sampling_rate_hz=rate, n_strides=1, rest_before_s=0.5, rest_after_s=0.5, seed=1)
    rec = sim.recording
    last_event_s = sim.events["time_s"].max()
    assert rec.n_samples == pytest.approx(rec.duration_s * rate)
    assert rec.duration_s > last_event_s
    assert (sim.events["sample"] < rec.n_samples).all()
    assert np.isfinite(rec.acc()).all() and np.isfinite(rec.gyr()).all()


@settings(max_examples=8, deadline=None)
@given(
    kind=st.sampled_from([("walk", "forward"), ("walk", "backward"), ("walk", "sideways"), ("run", "forward"),
                          ("run", "backward")]),
    contact=st.sampled_from([None, "heel_first", "flat", "toe_first"]),
    cadence_scale=st.floats(min_value=0.8, max_value=1.2),
    length_scale=st.floats(min_value=0.6, max_value=1.3),
    stance_shift_pct=st.floats(min_value=-5.0, max_value=5.0),
    seed=st.integers(min_value=0, max_value=2**31),
)
def test_any_valid_parameters_give_consistent_truth(kind, contact, cadence_scale, length_scale, stance_shift_pct,
                                                     seed):
    gait, direction = kind
    base = _sim(gait=gait, direction=direction, n_strides=1, rest_before_s=0.2, rest_after_s=0.2)
    defaults = base.strides.iloc[0]
    sim = _sim(gait=gait, direction=direction, contact_type=contact, seed=seed, n_strides=3,
               cadence_spm=float(defaults["cadence_spm"]) * cadence_scale,
               stride_length_m=float(defaults["stride_length_m"]) * length_scale,
               stance_pct=float(defaults["stance_pct"]) + stance_shift_pct, rest_before_s=0.5, rest_after_s=0.5)
    strides = schema.validate_strides(sim.strides)
    schema.validate_events(sim.events)
    assert np.isfinite(sim.recording.acc()).all()
    expected = contact or sim.strides["contact_type"].iloc[0]
    assert set(strides["contact_type"]) == {expected}
    pitch = np.interp(strides["start_s"], sim.recording.time_s, _pitch_deg(sim.recording))
    np.testing.assert_allclose(pitch, strides["strike_angle_deg"], atol=0.5)
    low, high = {"heel_first": (8.0, 90.0), "flat": (-1.6, 8.0), "toe_first": (-90.0, -1.6)}[expected]
    assert ((pitch > low) & (pitch < high)).all()
