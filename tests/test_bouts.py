"""Activity detection and bouts built from strides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retrogait import InputError, Recording, schema
from retrogait.bouts import build_bouts, detect_activity, moving_sd


def test_moving_sd_matches_numpy_in_the_middle():
    x = np.random.default_rng(0).normal(size=200)
    sd = moving_sd(x, 21)
    assert sd[100] == pytest.approx(np.std(x[90:111]))


def test_activity_found_between_rests():
    fs = 50.0
    t = np.arange(0, 20, 1 / fs)
    moving = (t >= 5) & (t < 12)
    z = 9.81 + np.where(moving, 4 * np.sin(2 * np.pi * 1.8 * t), 0.0)
    rec = Recording(pd.DataFrame({"acc_x": 0 * t, "acc_y": 0 * t, "acc_z": z}), fs)
    act = detect_activity(rec)
    assert len(act) == 1
    assert act.loc[0, "start_s"] == pytest.approx(5.0, abs=0.6)
    assert act.loc[0, "end_s"] == pytest.approx(12.0, abs=0.6)


def test_rest_only_gives_no_activity():
    rec = Recording(pd.DataFrame({"acc_x": np.zeros(500), "acc_y": np.zeros(500), "acc_z": np.full(500, 9.81)}), 100.0)
    assert detect_activity(rec).empty


def test_bad_threshold_is_named():
    rec = Recording(pd.DataFrame({"acc_x": [0.0], "acc_y": [0.0], "acc_z": [9.8]}), 100.0)
    with pytest.raises(InputError, match="threshold_ms2: expected a positive number, found -1"):
        detect_activity(rec, threshold_ms2=-1)


def _strides(labels, start=0.0, period=1.0, sensor="foot_left"):
    n = len(labels)
    df = pd.DataFrame({
        "start_s": start + period * np.arange(n), "end_s": start + period * (np.arange(n) + 1),
        "stride_time_s": period, "cadence_spm": 120 / period, "sensor": sensor, "side": "left",
        "gait": [g for g, _ in labels], "direction": [d for _, d in labels],
    })
    return schema.conform(df, schema.STRIDES_COLUMNS)


def test_pause_splits_bouts():
    st = pd.concat([_strides([("walk", "forward")] * 5), _strides([("walk", "forward")] * 5, start=20.0)])
    st2, bouts = build_bouts(schema.conform(st, schema.STRIDES_COLUMNS))
    assert len(bouts) == 2 and bouts["n_strides"].tolist() == [5, 5]
    assert st2["bout_id"].tolist() == [0] * 5 + [1] * 5
    schema.validate_bouts(bouts)


def test_direction_change_splits_but_a_single_odd_stride_does_not():
    labels = [("walk", "forward")] * 6 + [("walk", "backward")] + [("walk", "forward")] * 3 + \
        [("walk", "backward")] * 6
    _, bouts = build_bouts(_strides(labels))
    assert bouts["direction"].tolist() == ["forward", "backward"]
    assert bouts["n_strides"].tolist() == [10, 6]
    assert bouts.loc[1, "start_s"] == pytest.approx(10.0)


def test_short_bout_is_kept_and_flagged():
    st = pd.concat([_strides([("walk", "forward")] * 6), _strides([("run", "forward")] * 2, start=30.0)])
    _, bouts = build_bouts(schema.conform(st, schema.STRIDES_COLUMNS))
    assert bouts["short"].tolist() == [False, True]


def test_empty_strides_give_empty_bouts():
    st2, bouts = build_bouts(schema.empty_strides())
    assert st2.empty and bouts.empty
    schema.validate_bouts(bouts)


def test_alternating_gait_does_not_hide_a_direction_change():
    labels = [("walk", "backward")] * 6 + [("walk", "sideways"), ("run", "sideways")] * 3
    _, bouts = build_bouts(_strides(labels))
    assert bouts["direction"].tolist() == ["backward", "sideways"]
    assert bouts["n_strides"].tolist() == [6, 6]


def test_unknown_labels_continue_the_current_bout():
    labels = [("walk", "forward")] * 4 + [("walk", "unknown")] * 4 + [("walk", "forward")] * 2
    _, bouts = build_bouts(_strides(labels))
    assert len(bouts) == 1 and bouts.loc[0, "direction"] == "forward"
