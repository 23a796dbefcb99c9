"""Inverted-pendulum stride length (retrogait.spatial.pendulum) on synthetic trunk motion.

The synthetic sensor moves exactly on the arcs of an inverted pendulum of length ``l``:
during each step of length ``d`` its horizontal position relative to the stance foot runs
from ``-d/2`` to ``d/2`` at constant speed and its height is ``sqrt(l^2 - x^2)``.  The model
with correction 1 must then return ``d`` per step, i.e. two steps per stride, less what the
high-pass on the vertical velocity takes from the arcs (cut-off at 0.71 x the step
frequency: about 4-5 % of the length, the same at every cadence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait.errors import InputError
from retrogait.recording import Recording
from retrogait.spatial.pendulum import pendulum_stride_lengths, velocity_cutoff_hz, vertical_position

G_MS2 = 9.81


def _pendulum_walk(step_lengths_m: list[float], *, leg_m: float = 0.9, speed_mps: float = 1.2,
                   fs: float = 100.0, rest_s: float = 2.0, rotation: np.ndarray | None = None):
    """Lower-back recording of a walk on pendulum arcs, with rest before and after."""
    dt = 1.0 / fs
    heights, ic_samples = [np.full(int(rest_s * fs), np.sqrt(leg_m**2 - (step_lengths_m[0] / 2) ** 2))], []
    for d in step_lengths_m:
        n = int(round(d / speed_mps * fs))
        x = np.linspace(-d / 2, d / 2, n, endpoint=False)
        ic_samples.append(sum(len(h) for h in heights))
        heights.append(np.sqrt(leg_m**2 - x**2))
    ic_samples.append(sum(len(h) for h in heights))
    heights.append(np.full(int(rest_s * fs), np.sqrt(leg_m**2 - (step_lengths_m[-1] / 2) ** 2)))
    z = np.concatenate(heights)
    vertical_acc = np.gradient(np.gradient(z, dt), dt)
    acc = np.zeros((len(z), 3))
    acc[:, 2] = G_MS2 + vertical_acc
    if rotation is not None:
        acc = acc @ rotation  # the same specific force seen by a rotated sensor
    rec = Recording(data=pd.DataFrame(acc, columns=["acc_x", "acc_y", "acc_z"]), sampling_rate_hz=fs,
                    placement="lower_back")
    ic = np.array(ic_samples, dtype=np.int64)
    events = pd.DataFrame({"sample": ic, "time_s": ic / fs, "event": "ic",
                           "side": ["left" if k % 2 == 0 else "right" for k in range(len(ic))], "sensor": rec.name})
    strides = pd.DataFrame({"start_sample": ic[:-2], "end_sample": ic[2:]})
    truth = np.array([step_lengths_m[k] + step_lengths_m[k + 1] for k in range(len(step_lengths_m) - 1)])
    return rec, events, strides, truth


def _rotation(angles_rad: tuple[float, float, float]) -> np.ndarray:
    a, b, c = angles_rad
    rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    return rz @ ry @ rx


@pytest.mark.parametrize(("step_m", "speed_mps"), [(0.55, 1.2), (0.7, 1.2), (0.8, 1.4), (0.7, 0.7), (0.4, 0.5)])
def test_steady_walk_on_pendulum_arcs_gives_the_step_length(step_m, speed_mps):
    rec, events, strides, truth = _pendulum_walk([step_m] * 12, speed_mps=speed_mps)
    est = pendulum_stride_lengths(rec, strides, events, leg_length_m=0.9, correction=1.0)
    ratio = est[1:-1] / truth[1:-1]  # the strides next to standing still include the start / stop
    assert ratio.min() > 0.93 and ratio.max() < 1.0


def test_cadence_does_not_change_the_estimate():
    """The same steps at 1.7 and at 0.86 steps/s (a fixed 1 Hz high-pass would lose a
    quarter of the slow strides)."""
    fast = _pendulum_walk([0.7] * 12, speed_mps=1.2)
    slow = _pendulum_walk([0.7] * 12, speed_mps=0.6)
    est_fast = pendulum_stride_lengths(fast[0], fast[2], fast[1], leg_length_m=0.9)[1:-1]
    est_slow = pendulum_stride_lengths(slow[0], slow[2], slow[1], leg_length_m=0.9)[1:-1]
    assert np.median(est_slow) == pytest.approx(np.median(est_fast), rel=0.02)


def test_varying_steps_are_followed_stride_by_stride():
    steps = [0.5, 0.5, 0.6, 0.6, 0.7, 0.7, 0.8, 0.8, 0.7, 0.7, 0.6, 0.6]
    rec, events, strides, truth = _pendulum_walk(steps)
    est = pendulum_stride_lengths(rec, strides, events, leg_length_m=0.9, correction=1.0)
    # followed with some smoothing: the velocity high-pass (about 1.2 Hz here) also acts
    # on changes from one stride to the next
    np.testing.assert_allclose(est[2:-2], 0.955 * truth[2:-2], rtol=0.1)
    assert np.corrcoef(est[2:-2], truth[2:-2])[0, 1] > 0.9
    # the correction factor scales every stride
    scaled = pendulum_stride_lengths(rec, strides, events, leg_length_m=0.9, correction=1.25)
    np.testing.assert_allclose(scaled, 1.25 * est)


@settings(max_examples=8, deadline=None)
@given(st.tuples(*[st.floats(-np.pi, np.pi) for _ in range(3)]))
def test_any_sensor_mounting_gives_the_same_lengths(angles):
    upright = _pendulum_walk([0.7] * 8)
    turned = _pendulum_walk([0.7] * 8, rotation=_rotation(angles))
    a = pendulum_stride_lengths(upright[0], upright[2], upright[1], leg_length_m=0.9)
    b = pendulum_stride_lengths(turned[0], turned[2], turned[1], leg_length_m=0.9)
    np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-9)


def test_vertical_position_recovers_a_bobbing_sensor():
    """A sensor bobbing 2 cm at 2 Hz, tilted by 30 deg: the filters pass 2 Hz."""
    fs, t = 100.0, np.arange(0, 20, 0.01)
    z = 0.01 * np.sin(2 * np.pi * 2.0 * t)
    a_up = G_MS2 - 0.01 * (2 * np.pi * 2.0) ** 2 * np.sin(2 * np.pi * 2.0 * t)
    tilt = np.deg2rad(30.0)
    acc = np.stack([a_up * np.sin(tilt), np.zeros_like(t), a_up * np.cos(tilt)], axis=1)
    pos = vertical_position(acc, fs, velocity_highpass_hz=1.0)
    middle = slice(int(5 * fs), int(15 * fs))
    np.testing.assert_allclose(pos[middle] - pos[middle].mean(), z[middle] - z[middle].mean(), atol=0.0008)


def test_velocity_cutoff_follows_the_cadence():
    assert velocity_cutoff_hz(np.arange(0, 2000, 50), 100.0) == pytest.approx(2.0 / np.sqrt(2.0))
    assert velocity_cutoff_hz(np.arange(0, 2000, 100), 100.0) == pytest.approx(1.0 / np.sqrt(2.0))
    # pauses (> 2 s) and double detections (< 0.25 s) do not count; too few steps: 1 Hz
    ics = np.r_[np.arange(0, 500, 60), 900, 905, np.arange(1200, 1700, 60)]
    assert velocity_cutoff_hz(ics, 100.0) == pytest.approx(1.0 / 0.6 / np.sqrt(2.0))
    assert velocity_cutoff_hz(np.array([0, 60]), 100.0) == 1.0


def test_strides_outside_or_too_short_are_nan_and_inputs_are_not_mutated():
    rec, events, strides, _ = _pendulum_walk([0.7] * 6)
    bad = pd.concat([strides, pd.DataFrame({"start_sample": [-5, 10, rec.n_samples - 3],
                                            "end_sample": [40, 12, rec.n_samples + 50]})], ignore_index=True)
    before = bad.copy()
    est = pendulum_stride_lengths(rec, bad, events, leg_length_m=0.9)
    assert np.isfinite(est[: len(strides)]).all() and np.isnan(est[len(strides):]).all()
    pd.testing.assert_frame_equal(bad, before)
    assert pendulum_stride_lengths(rec, bad.iloc[:0], events, leg_length_m=0.9).shape == (0,)


def test_too_short_recording_gives_nan():
    acc = np.tile([0.0, 0.0, G_MS2], (10, 1))
    assert np.isnan(vertical_position(acc, 100.0)).all()
    assert np.isnan(vertical_position(np.tile([0.0, 0.0, G_MS2], (500, 1)), 2.0)).all()


def test_errors_name_the_parameter():
    rec, events, strides, _ = _pendulum_walk([0.7] * 4)
    with pytest.raises(InputError, match="leg_length_m: expected a positive number, found -0.9"):
        pendulum_stride_lengths(rec, strides, events, leg_length_m=-0.9)
    with pytest.raises(InputError, match="correction: expected a positive number, found 0"):
        pendulum_stride_lengths(rec, strides, events, leg_length_m=0.9, correction=0)
    with pytest.raises(InputError, match=r"acc_ms2 must have shape \(n, 3\), found \(5,\)"):
        vertical_position(np.zeros(5), 100.0)
    with pytest.raises(InputError, match="sampling_rate_hz must be a positive number"):
        vertical_position(np.zeros((50, 3)), 0.0)
