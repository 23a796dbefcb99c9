"""Shank contact events: hand-made strides with known contacts, invariances, errors, simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait import schema
from retrogait.errors import InputError
from retrogait.evaluate import match_events
from retrogait.events.shank import detect_shank_events
from retrogait.recording import Recording

G = schema.STANDARD_GRAVITY_MS2


def _shank_template(fs: float, *, n: int = 8, stride_s: float = 1.1, swing_s: float = 0.42,
                    rest_s: float = 2.0, sign: float = 1.0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Shank sagittal rate: sharp minimum at fc, swing half-sine (+350 deg/s), sharp minimum at ic,
    slow negative stance rotation; the known contacts are the centres of the two minima."""
    total = 2 * rest_s + n * stride_s + 0.5
    t = np.arange(int(total * fs)) / fs
    w = np.zeros_like(t)
    ic_t, fc_t = [], []
    for k in range(n):
        fc = rest_s + k * stride_s
        sw0, sw1 = fc + 0.04, fc + 0.04 + swing_s
        ic = sw1 + 0.04
        m = (t >= sw0) & (t < sw1)
        w[m] += 350 * np.sin(np.pi * (t[m] - sw0) / swing_s)
        w -= 150 * np.exp(-0.5 * ((t - fc) / 0.015) ** 2)
        w -= 200 * np.exp(-0.5 * ((t - ic) / 0.012) ** 2)
        if k < n - 1:
            st0, st1 = ic + 0.04, rest_s + (k + 1) * stride_s - 0.04
            m = (t >= st0) & (t < st1)
            w[m] -= 60 * np.sin(np.pi * (t[m] - st0) / (st1 - st0))
        ic_t.append(ic)
        fc_t.append(fc)
    w *= sign
    data = pd.DataFrame({"acc_x": np.zeros_like(t), "acc_y": np.zeros_like(t), "acc_z": np.full_like(t, G),
                         "gyr_x": 0.1 * w, "gyr_y": -0.05 * w, "gyr_z": w})
    return data, np.array(ic_t), np.array(fc_t)


def _rec(data: pd.DataFrame, fs: float) -> Recording:
    return Recording(data=data, sampling_rate_hz=fs, placement="shank", side="right")


@pytest.mark.parametrize("fs", [100.0, 204.8, 487.0])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_template_contacts_at_the_minima(fs: float, sign: float) -> None:
    data, ic_t, fc_t = _shank_template(fs, sign=sign)
    ev = schema.validate_events(detect_shank_events(_rec(data, fs)))
    for kind, truth in (("ic", ic_t), ("fc", fc_t)):
        m = match_events(ev.loc[ev.event == kind, "time_s"], truth, tolerance_s=0.05)
        assert m.n_detected == m.n_matched == len(truth)
        assert m.error_stats_ms()["mae_ms"] <= 1000.0 / fs + 3.0
    assert set(ev["sensor"]) == {"shank_right"}


def test_time_reversal_swaps_ic_and_fc() -> None:
    fs = 200.0
    data, ic_t, fc_t = _shank_template(fs)
    rev = data.iloc[::-1].reset_index(drop=True).copy()
    for c in schema.GYR_COLUMNS:
        rev[c] = -rev[c]
    ev = detect_shank_events(_rec(rev, fs))
    end = (len(data) - 1) / fs
    for kind, truth in (("ic", end - fc_t), ("fc", end - ic_t)):
        m = match_events(ev.loc[ev.event == kind, "time_s"], truth, tolerance_s=0.05)
        assert m.n_detected == m.n_matched == len(truth)
        assert m.error_stats_ms()["mae_ms"] <= 8.0


def test_standing_gives_empty_table_and_errors_are_clear() -> None:
    fs = 100.0
    n = 1500
    rng = np.random.default_rng(0)
    still = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.full(n, G),
                          "gyr_x": rng.normal(0, 1, n), "gyr_y": rng.normal(0, 1, n), "gyr_z": rng.normal(0, 1, n)})
    ev = detect_shank_events(_rec(still, fs))
    assert len(ev) == 0 and list(ev.columns) == list(schema.EVENTS_COLUMNS)
    schema.validate_events(ev)
    with pytest.raises(InputError, match="needs a gyroscope"):
        detect_shank_events(_rec(still[list(schema.ACC_COLUMNS)], fs))
    with pytest.raises(InputError, match="method: expected one of"):
        detect_shank_events(_rec(still, fs), method="aminian")
    with pytest.raises(TypeError, match="Recording"):
        detect_shank_events(still)  # type: ignore[arg-type]


@settings(max_examples=10, deadline=None)
@given(shift=st.integers(min_value=1, max_value=300))
def test_shift_in_time_shifts_events(shift: int) -> None:
    fs = 110.0
    data, _, _ = _shank_template(fs, n=4)
    base = detect_shank_events(_rec(data, fs))
    pad = pd.DataFrame({c: [G if c == "acc_z" else 0.0] * shift for c in data.columns})
    moved = detect_shank_events(_rec(pd.concat([pad, data], ignore_index=True), fs))
    assert moved["event"].tolist() == base["event"].tolist()
    np.testing.assert_array_equal(moved["sample"].to_numpy(), base["sample"].to_numpy() + shift)


def test_simulated_gait_every_stride_counted() -> None:
    """Forward/backward walk/run, random mounting, 487 Hz: one ic and one fc per stride.

    Only counts are asserted: timing against the simulator's truth differs by 15-40 ms
    (see benchmarks/accuracy_foot.py), within what Greene et al. 2012 report for real
    shank gyroscopes (heel strike 34 +- 10 ms).
    """
    simulate = pytest.importorskip("retrogait.simulate")
    for gait in ("walk", "run"):
        for direction in ("forward", "backward"):
            sim = simulate.simulate_gait(placement="shank", gait=gait, direction=direction, n_strides=10,
                                         sampling_rate_hz=487.0, mounting="random", seed=5)
            ev = detect_shank_events(sim.recording)
            for kind in ("ic", "fc"):
                truth = sim.events.loc[sim.events.event == kind, "time_s"]
                m = match_events(ev.loc[ev.event == kind, "time_s"], truth, tolerance_s=0.1)
                assert m.n_detected == len(truth) and m.recall == 1.0, (gait, direction, kind)


def test_simulated_session_with_rests_and_gait_changes() -> None:
    """Forward walk, rest, backward walk straight into a run, rest, walk: >= 95 % of the
    contacts found, none during the rests."""
    simulate = pytest.importorskip("retrogait.simulate")
    segments = [{"gait": "walk", "direction": "forward", "n_strides": 8}, {"rest_s": 5.0},
                {"gait": "walk", "direction": "backward", "n_strides": 8},
                {"gait": "run", "direction": "forward", "n_strides": 8}, {"rest_s": 4.0},
                {"gait": "walk", "direction": "forward", "n_strides": 6}]
    sim = simulate.simulate_session(segments, placement="shank", sampling_rate_hz=487.0, mounting="random",
                                    seed=0, gyro_bias_std_dps=2.0)
    ev = detect_shank_events(sim.recording)
    for rest in sim.segments[sim.segments.kind == "rest"].itertuples():
        assert not ((ev.time_s > rest.start_s + 0.3) & (ev.time_s < rest.end_s - 0.3)).any()
    for kind in ("ic", "fc"):
        truth = sim.events.loc[sim.events.event == kind, "time_s"]
        m = match_events(ev.loc[ev.event == kind, "time_s"], truth, tolerance_s=0.1)
        assert m.recall >= 0.95 and m.precision == 1.0
