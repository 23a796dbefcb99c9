"""Step detection from the acceleration norm (events.steps): synthetic truth and real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from retrogait import schema
from retrogait.errors import InputError
from retrogait.evaluate import match_events
from retrogait.events.steps import detect_steps
from retrogait.recording import Recording

G = 9.80665


def _phone_rec(fs: float, *, f_step: float = 2.0, duration_s: float = 30.0, stride_asym: float = 0.0,
               rest_s: float = 0.0, seed: int = 0) -> tuple[Recording, np.ndarray]:
    """A Gaussian impact bump (40 ms SD) at every step, in a random orientation.

    ``stride_asym`` scales every second bump by (1 - stride_asym) and adds a swing wave at
    the stride frequency, as a phone in a trouser pocket sees.  Returns the recording and
    the true step times.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, duration_s, 1.0 / fs)
    steps = np.arange(rest_s + 0.5, duration_s - rest_s, 1.0 / f_step)
    signal = np.zeros(t.size)
    for k, ts in enumerate(steps):
        amp = 3.0 * (1.0 - stride_asym if k % 2 else 1.0)
        signal += amp * np.exp(-0.5 * ((t - ts) / 0.04) ** 2)
    if stride_asym:
        walking = (t > steps[0] - 0.25) & (t < steps[-1] + 0.25)
        signal += walking * 2.0 * np.cos(np.pi * f_step * (t - steps[0]))
    vec = np.column_stack([np.zeros(t.size), np.zeros(t.size), G + signal])
    vec = vec @ Rotation.random(random_state=seed).as_matrix() + 0.03 * rng.standard_normal((t.size, 3))
    rec = Recording(pd.DataFrame(vec, columns=["acc_x", "acc_y", "acc_z"]), sampling_rate_hz=fs, placement="phone")
    return rec, steps


@pytest.mark.parametrize("fs", [25.0, 100.0, 487.0])
@pytest.mark.parametrize("f_step", [1.6, 2.8])
def test_counts_steps_at_any_rate(fs, f_step):
    rec, steps = _phone_rec(fs, f_step=f_step)
    ev = detect_steps(rec)
    schema.validate_events(ev)
    assert (ev["event"] == "ic").all() and ev["side"].isna().all()
    m = match_events(ev["time_s"], steps, tolerance_s=0.1)
    assert abs(m.n_detected - steps.size) <= 2
    assert m.recall >= 0.95
    assert m.error_stats_ms()["median_abs_ms"] <= 1000.0 / fs + 5.0


def test_pocket_like_stride_asymmetry_still_counts_steps_not_strides():
    rec, steps = _phone_rec(100.0, stride_asym=0.6)
    ev = detect_steps(rec)
    assert abs(len(ev) - steps.size) <= 2


def test_rest_and_empty_give_empty_valid_table():
    fs = 100.0
    still = Recording(pd.DataFrame({"acc_x": 0.03 * np.random.default_rng(1).standard_normal(3000),
                                    "acc_y": np.zeros(3000), "acc_z": np.full(3000, G)}), sampling_rate_hz=fs)
    empty = Recording(pd.DataFrame({"acc_x": [], "acc_y": [], "acc_z": []}), sampling_rate_hz=fs)
    for rec in (still, empty):
        ev = detect_steps(rec)
        assert len(ev) == 0
        assert list(ev.columns) == list(schema.EVENTS_COLUMNS)


def test_irregular_handling_is_not_counted():
    """Jerks at irregular times (the phone picked up, turned, put down) are not walking."""
    fs = 100.0
    rng = np.random.default_rng(7)
    t = np.arange(0.0, 60.0, 1.0 / fs)
    acc = np.tile([0.0, 0.0, G], (t.size, 1)) + 0.03 * rng.standard_normal((t.size, 3))
    jerk_times = np.cumsum(rng.exponential(1.2, size=60))  # Poisson process, 1.2 s mean gap
    for tj in jerk_times[jerk_times < 59.0]:
        width = rng.uniform(0.03, 0.3)
        acc += rng.normal(0.0, 4.0, size=3) * np.exp(-0.5 * ((t - tj) / width) ** 2)[:, None]
    rec = Recording(pd.DataFrame(acc, columns=["acc_x", "acc_y", "acc_z"]), sampling_rate_hz=fs)
    assert len(detect_steps(rec)) <= 4


def test_no_steps_in_rest_around_walking():
    rec, steps = _phone_rec(100.0, duration_s=40.0, rest_s=10.0)
    t = detect_steps(rec)["time_s"].to_numpy()
    assert t.min() > steps[0] - 0.3 and t.max() < steps[-1] + 0.3
    assert abs(t.size - steps.size) <= 1


@settings(max_examples=12, deadline=None)
@given(shift=st.integers(min_value=1, max_value=300))
def test_time_shift_moves_steps_by_the_shift(shift):
    rec, _ = _phone_rec(100.0, duration_s=20.0, rest_s=2.0)
    pad = pd.DataFrame(np.tile(rec.data.iloc[[0]].to_numpy(), (shift, 1)), columns=rec.data.columns)
    shifted = Recording(pd.concat([pad, rec.data], ignore_index=True), sampling_rate_hz=100.0, placement="phone")
    a = detect_steps(rec)["sample"].to_numpy()
    b = detect_steps(shifted)["sample"].to_numpy()
    assert a.size == b.size
    assert np.all(np.abs(b - a - shift) <= 1)


def test_errors_are_pinned():
    rec, _ = _phone_rec(100.0, duration_s=5.0)
    with pytest.raises(InputError, match=r"method: expected one of \['hps_cycles'\] for step detection, found 'x'"):
        detect_steps(rec, method="x")
    with pytest.raises(InputError, match=r"activity: missing column\(s\) \['start_s', 'end_s'\]"):
        detect_steps(rec, activity=pd.DataFrame({"begin": [0.0]}))
    with pytest.raises(TypeError, match="rec: expected a retrogait Recording, found ndarray"):
        detect_steps(np.zeros((10, 3)))
    slow = Recording(rec.data.iloc[:40], sampling_rate_hz=5.0, placement="phone")
    with pytest.raises(InputError, match="detect_steps: sampling_rate_hz of recording 'phone' must be at least 10 Hz"):
        detect_steps(slow)


def test_simulated_lower_back_as_unknown_placement():
    simulate = pytest.importorskip("retrogait.simulate")
    for direction in ("forward", "backward"):
        sim = simulate.simulate_gait(placement="lower_back", direction=direction, sampling_rate_hz=100.0,
                                     n_strides=20, seed=2, mounting="random")
        rec = sim.recording.replace(placement="unknown")
        n_truth = int((sim.events["event"] == "ic").sum())
        assert abs(len(detect_steps(rec)) - n_truth) <= 3


@pytest.mark.realdata
def test_oxford_step_count_within_3pct_every_position(shared_data):
    """Target: step count error <= 3 % for every carrying position (user 1 files)."""
    from benchmarks.datasets_trunk import load_oxford_file, oxford_file_paths

    errors = {}
    for path in oxford_file_paths():
        f = load_oxford_file(path)
        events = detect_steps(f.recording)
        errors[f.position] = 100.0 * (len(events) - f.n_steps) / f.n_steps
        m = match_events(events["time_s"], f.step_times_s, tolerance_s=0.25)
        assert m.f1 >= 0.95, (f.position, m)
    assert sorted(errors) == ["armband", "backpocket", "bag", "frontpocket", "hand", "neckpouch"]
    assert max(abs(e) for e in errors.values()) <= 3.0, errors
