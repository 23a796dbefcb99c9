"""Strides from events: temporal parameters and the bilateral phases, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait import schema
from retrogait.strides import add_bilateral, classify_gait, strides_from_events


def _events(rows):
    df = pd.DataFrame(rows, columns=["time_s", "event", "side", "sensor"])
    df["sample"] = np.round(df["time_s"] * 100).astype("int64")
    return schema.conform(df.sort_values("time_s"), schema.EVENTS_COLUMNS)


def _walk(period_s=1.0, stance=0.6, n=5, offset=0.0, side="left", sensor="foot_left"):
    rows = []
    for k in range(n):
        t = offset + k * period_s
        rows += [(t, "ic", side, sensor), (t + stance * period_s, "fc", side, sensor)]
    return rows


def test_stride_times_by_hand():
    st_ = strides_from_events(_events(_walk()), 100.0)
    assert len(st_) == 4
    assert np.allclose(st_["stride_time_s"], 1.0)
    assert np.allclose(st_["stance_time_s"], 0.6)
    assert np.allclose(st_["swing_time_s"], 0.4)
    assert np.allclose(st_["stance_pct"], 60.0)
    assert np.allclose(st_["cadence_spm"], 120.0)
    assert (st_["gait"] == "walk").all()
    assert (st_["direction"] == "unknown").all() and st_["stride_length_m"].isna().all()
    schema.validate_strides(st_)


def test_running_has_stance_below_half_and_is_labelled_run():
    st_ = strides_from_events(_events(_walk(period_s=0.7, stance=0.35)), 100.0)
    assert (st_["gait"] == "run").all()


def test_missing_fc_leaves_phases_nan():
    rows = [r for r in _walk() if r[1] == "ic"]
    st_ = strides_from_events(_events(rows), 100.0)
    assert len(st_) == 4 and st_["stance_time_s"].isna().all() and st_["swing_time_s"].isna().all()


def test_pause_longer_than_max_stride_breaks_the_chain():
    rows = _walk(n=3) + _walk(n=3, offset=10.0)
    st_ = strides_from_events(_events(rows), 100.0)
    assert len(st_) == 4  # 2 + 2; the 10-s gap is no stride


def test_unsided_steps_make_two_step_strides():
    rows = [(0.5 * k, "ic", None, "phone") for k in range(6)]
    st_ = strides_from_events(_events(rows), 100.0)
    assert len(st_) == 4 and np.allclose(st_["stride_time_s"], 1.0)


def test_empty_events_give_empty_valid_strides():
    st_ = strides_from_events(schema.empty_events(), 100.0)
    assert st_.empty
    schema.validate_strides(st_)


def test_classify_gait_by_cadence_without_stance():
    labels = classify_gait(np.array([np.nan, np.nan, np.nan]), np.array([110.0, 140.0, 170.0]))
    assert labels.tolist() == ["walk", "unknown", "run"]


def test_bilateral_walking_double_support_by_hand():
    # left ic at 0, 1, 2, ... fc at +0.6; right ic at 0.5, 1.5, ... fc at +0.6
    rows = _walk(n=4) + _walk(n=4, offset=-0.5, side="right", sensor="foot_right")
    ev = _events(rows)
    st_ = add_bilateral(strides_from_events(ev, 100.0), ev, placements={"foot_left": "foot", "foot_right": "foot"})
    left = st_[(st_["side"] == "left") & (st_["start_s"] == 1.0)].iloc[0]
    assert left["step_time_s"] == pytest.approx(0.5)
    # both feet down: [1.0, 1.1] (right stance 0.5-1.1) and [1.5, 1.6] (right ic 1.5, left fc 1.6)
    assert left["double_support_s"] == pytest.approx(0.2)
    assert left["double_support_pct"] == pytest.approx(20.0)
    assert left["flight_time_s"] == pytest.approx(0.0)


def test_bilateral_running_flight_by_hand():
    # stance 0.25 s of a 0.7 s stride, right half a stride later: two flights of 0.1 s
    rows = _walk(period_s=0.7, stance=0.25 / 0.7, n=5) + \
        _walk(period_s=0.7, stance=0.25 / 0.7, n=5, offset=-0.35, side="right", sensor="foot_right")
    ev = _events(rows)
    st_ = add_bilateral(strides_from_events(ev, 100.0), ev, placements={"foot_left": "foot", "foot_right": "foot"})
    inner = st_[(st_["side"] == "left") & (st_["start_s"] > 0.5) & (st_["end_s"] < 2.5)]
    assert len(inner) >= 1
    assert np.allclose(inner["flight_time_s"], 0.2, atol=1e-9)
    assert np.allclose(inner["double_support_s"], 0.0, atol=1e-9)


def test_bilateral_without_other_foot_stays_nan():
    ev = _events(_walk())
    st_ = add_bilateral(strides_from_events(ev, 100.0), ev)
    assert st_["step_time_s"].isna().all() and st_["flight_time_s"].isna().all()


@settings(max_examples=30, deadline=None)
@given(shift_s=st.floats(min_value=0.0, max_value=100.0), period=st.floats(min_value=0.5, max_value=2.0))
def test_shifting_events_shifts_strides_only(shift_s, period):
    base = strides_from_events(_events(_walk(period_s=period)), 100.0)
    moved = strides_from_events(_events(_walk(period_s=period, offset=shift_s)), 100.0)
    assert len(base) == len(moved)
    assert np.allclose(moved["start_s"] - base["start_s"], shift_s)
    assert np.allclose(moved["stride_time_s"], base["stride_time_s"])


def test_unsided_single_foot_sensor_makes_one_step_strides():
    rows = [(t, e, None, "foot") for t, e, _, _ in _walk()]
    st_ = strides_from_events(_events(rows), 100.0, single_foot=True)
    assert len(st_) == 4 and np.allclose(st_["stride_time_s"], 1.0) and np.allclose(st_["stance_time_s"], 0.6)


def test_stance_share_decides_over_cadence_when_known():
    # duty factor is the definition of running (flight, Alexander 1989); cadence is only the
    # fallback without fc: a fast walk at 160 steps/min with 52 % stance stays a walk, and a
    # slow jog at 120 steps/min with 45 % stance is a run
    labels = classify_gait(np.array([52.0, 45.0, 50.0, 49.9]), np.array([160.0, 120.0, 170.0, 100.0]))
    assert labels.tolist() == ["walk", "run", "walk", "run"]
