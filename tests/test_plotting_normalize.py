"""Tests of the computation behind the plots: stride normalisation and gait-phase intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retrogait import schema
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.normalize import curves_by, flight_intervals, normalize_strides, phase_intervals
from retrogait.recording import Recording


def ramp_recording(n: int = 1000, rate: float = 100.0, name: str = "foot_left") -> Recording:
    df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.arange(n, dtype=float)})
    return Recording(data=df, sampling_rate_hz=rate, placement="foot", side="left", meta={"sensor": name})


def strides_table(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["stride_id"] = np.arange(len(df))
    return schema.conform(df, schema.STRIDES_COLUMNS)


def test_ramp_resamples_linearly() -> None:
    rec = ramp_recording()
    strides = strides_table([
        {"start_sample": 100, "end_sample": 200, "start_s": 1.0, "end_s": 2.0, "sensor": "foot_left"},
        {"start_sample": 200, "end_sample": 350, "start_s": 2.0, "end_s": 3.5, "sensor": "foot_left"},
        {"start_sample": 0, "end_sample": 50, "start_s": 0.0, "end_s": 0.5, "sensor": "foot_right"},
    ])
    out = normalize_strides(rec, strides, signal="acc_z")
    assert out.shape == (2, 101)
    assert list(out.index) == [0, 1]
    assert out.columns[0] == 0.0 and out.columns[-1] == 100.0 and out.columns[50] == pytest.approx(50.0)
    np.testing.assert_allclose(out.loc[0].to_numpy(), np.linspace(100, 200, 101))
    np.testing.assert_allclose(out.loc[1].to_numpy(), np.linspace(200, 350, 101))


def test_sine_with_stride_period_maps_onto_one_cycle() -> None:
    rate = 200.0
    t = np.arange(2000) / rate
    period = 1.25
    df = pd.DataFrame({"acc_x": np.sin(2 * np.pi * t / period), "acc_y": 0.0, "acc_z": 9.81})
    rec = Recording(data=df, sampling_rate_hz=rate, placement="foot", side="left")
    starts = np.arange(0, 1500, int(period * rate))
    strides = strides_table([{"start_sample": s, "end_sample": s + 250, "start_s": s / rate,
                              "end_s": (s + 250) / rate} for s in starts])
    out = normalize_strides(rec, strides, signal="acc_x")
    expected = np.sin(2 * np.pi * np.linspace(0, 1, 101))
    for _, curve in out.iterrows():
        np.testing.assert_allclose(curve.to_numpy(), expected, atol=1e-3)


def test_norm_signal_and_errors() -> None:
    rec = ramp_recording()
    strides = strides_table([{"start_sample": 10, "end_sample": 20, "start_s": 0.1, "end_s": 0.2,
                              "sensor": "foot_left"}])
    out = normalize_strides(rec, strides, signal="acc_norm", n_points=11)
    np.testing.assert_allclose(out.iloc[0].to_numpy(), np.arange(10, 21, dtype=float))
    with pytest.raises(InputError, match="signal: 'gyr_q' is not a column of recording 'foot_left'"):
        normalize_strides(rec, strides, signal="gyr_q")
    with pytest.raises(InputError, match="n_points: expected at least 2"):
        normalize_strides(rec, strides, n_points=1)
    other = strides.assign(sensor="lower_back")
    with pytest.raises(InputError, match=r"no stride of sensor 'foot_left'; the table has sensors \['lower_back'\]"):
        normalize_strides(rec, other)


def test_stride_outside_recording_is_left_out_with_warning() -> None:
    rec = ramp_recording(n=100)
    strides = strides_table([
        {"start_sample": 10, "end_sample": 50, "start_s": 0.1, "end_s": 0.5, "sensor": "foot_left"},
        {"start_sample": 80, "end_sample": 130, "start_s": 0.8, "end_s": 1.3, "sensor": "foot_left"},
    ])
    with pytest.warns(RetrogaitWarning, match="1 stride"):
        out = normalize_strides(rec, strides, signal="acc_z")
    assert list(out.index) == [0]


def test_curves_by_mean_and_sd_by_hand() -> None:
    normalized = pd.DataFrame([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0], [10.0, 10.0, 10.0]],
                              index=pd.Index([5, 6, 7], name="stride_id"), columns=[0.0, 50.0, 100.0])
    strides = pd.DataFrame({"stride_id": [5, 6, 7], "direction": ["forward", "forward", "backward"]})
    out = curves_by(normalized, strides, by="direction")
    fw = out[out["group"] == "forward"]
    np.testing.assert_allclose(fw["mean"], [2.0, 3.0, 4.0])
    np.testing.assert_allclose(fw["sd"], [np.sqrt(2)] * 3)
    bw = out[out["group"] == "backward"]
    assert bw["n"].iloc[0] == 1 and bw["sd"].isna().all()
    with pytest.raises(InputError, match="missing column 'condition'"):
        curves_by(normalized, strides, by="condition")


def two_feet_running() -> pd.DataFrame:
    """Left and right strides of 0.7 s, stance 0.25 s, right half a stride later: flight 0.1 s twice per stride."""
    rows = []
    for k in range(4):
        for side, offset in (("left", 0.0), ("right", 0.35)):
            start = k * 0.7 + offset
            rows.append({"start_s": start, "end_s": start + 0.7, "fc_s": start + 0.25, "side": side,
                         "sensor": f"foot_{side}", "stride_time_s": 0.7, "stance_time_s": 0.25,
                         "swing_time_s": 0.45})
    return strides_table(rows)


def test_phase_and_flight_intervals() -> None:
    strides = two_feet_running()
    phases = phase_intervals(strides)
    assert len(phases) == 16
    stance = phases[(phases["phase"] == "stance") & (phases["foot"] == "left")]
    np.testing.assert_allclose(stance["end_s"] - stance["start_s"], 0.25)
    flights = flight_intervals(strides)
    # left swings 0.25-0.70, 0.95-1.40, ...; right swings 0.60-1.05, 1.30-1.75, ...; before the first
    # right stride (0.35 s) the right foot's phase is unknown, so 0.25-0.35 is not a flight
    np.testing.assert_allclose(flights["start_s"].to_numpy()[:2], [0.60, 0.95])
    np.testing.assert_allclose(flights["duration_s"], 0.1, atol=1e-12)
    assert len(flights) == 7
    one_foot = strides[strides["side"] == "left"]
    assert flight_intervals(one_foot).empty


def test_curves_from_results_groups_by_meta_or_key() -> None:
    from types import SimpleNamespace

    from retrogait.normalize import curves_from_results

    def result(offset: float, condition: str | None) -> SimpleNamespace:
        n = 600
        df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.arange(n, dtype=float) + offset})
        rec = Recording(data=df, sampling_rate_hz=100.0, placement="foot", side="left")
        strides = strides_table([{"start_sample": s, "end_sample": s + 100, "start_s": s / 100, "end_s": s / 100 + 1,
                                  "sensor": rec.name} for s in (0, 100, 200)])
        return SimpleNamespace(strides=strides, recordings={rec.name: rec},
                               meta={} if condition is None else {"condition": condition})

    out = curves_from_results({"a": result(0.0, "fw"), "b": result(1000.0, None)}, by="condition", signal="acc_z")
    assert sorted(out["group"].unique()) == ["b", "fw"]
    fw = out[out["group"] == "fw"]
    # strides start at 0, 100, 200: the mean curve runs from 100 to 200, SD 100 everywhere
    np.testing.assert_allclose(fw["mean"].to_numpy()[[0, -1]], [100.0, 200.0])
    np.testing.assert_allclose(fw["sd"], 100.0)
    assert (fw["n"] == 3).all()
    assert curves_from_results([], by="condition").empty
