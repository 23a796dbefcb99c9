"""Summary aggregates and event matching, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait import InputError, schema
from retrogait.evaluate import match_events
from retrogait.summary import summarize


def _strides(**columns):
    n = len(next(iter(columns.values())))
    base = {"start_s": np.arange(n, dtype=float), "end_s": np.arange(n, dtype=float) + 1.0}
    base.update(columns)
    return schema.conform(pd.DataFrame(base), schema.STRIDES_COLUMNS)


def test_mean_sd_cv_by_hand():
    st_ = _strides(stride_time_s=[1.0, 1.2, 1.4], side=["left"] * 3, sensor=["a"] * 3)
    row = summarize(st_, schema.empty_bouts()).iloc[0]
    assert row["stride_time_s_mean"] == pytest.approx(1.2)
    assert row["stride_time_s_sd"] == pytest.approx(0.2)  # ddof = 1
    assert row["stride_time_s_cv_pct"] == pytest.approx(100 * 0.2 / 1.2)
    assert np.isnan(row["stride_time_s_si_pct"])  # one side only


def test_label_shares_sum_to_100_per_family():
    st_ = _strides(stride_time_s=[1.0] * 4, contact_type=["toe_first", "toe_first", "heel_first", "unknown"],
                   direction=["backward"] * 4, gait=["walk"] * 4)
    row = summarize(st_, schema.empty_bouts()).iloc[0]
    assert row["toe_first_pct"] == 50.0 and row["heel_first_pct"] == 25.0 and row["contact_unknown_pct"] == 25.0
    assert row["backward_pct"] == 100.0 and row["walk_pct"] == 100.0
    assert row["contact_type_majority"] == "toe_first" and row["direction_majority"] == "backward"
    schema.validate_summary(summarize(st_, schema.empty_bouts()))


def test_steps_count_both_feet_once():
    ev = pd.DataFrame({"sample": range(6), "time_s": np.arange(6.0), "event": "ic",
                       "side": ["left", "right"] * 3, "sensor": ["fl", "fr"] * 3})
    row = summarize(schema.empty_strides(), schema.empty_bouts(), events=schema.conform(ev, schema.EVENTS_COLUMNS))
    assert row.loc[0, "n_steps"] == 6


def test_empty_summary_is_valid_and_has_meta():
    row = summarize(schema.empty_strides(), schema.empty_bouts(), meta={"subject": "s1", "list": [1, 2]})
    assert row.loc[0, "n_strides"] == 0 and row.loc[0, "subject"] == "s1" and "list" not in row.columns
    schema.validate_summary(row)


def test_match_events_counts_and_errors():
    m = match_events([0.99, 2.05, 3.5], [1.0, 2.0, 3.0, 4.0], tolerance_s=0.1)
    assert (m.n_matched, m.n_detected, m.n_reference) == (2, 3, 4)
    assert m.precision == pytest.approx(2 / 3) and m.recall == pytest.approx(0.5)
    assert sorted(np.round(m.errors_s, 3)) == [-0.01, 0.05]
    assert m.error_stats_ms()["mae_ms"] == pytest.approx(30.0)


def test_match_events_one_to_one():
    # two detections near one reference: only one may match
    m = match_events([1.0, 1.02], [1.01], tolerance_s=0.1)
    assert m.n_matched == 1 and m.precision == 0.5 and m.recall == 1.0


def test_match_events_bad_tolerance():
    with pytest.raises(InputError, match="tolerance_s: expected a positive number of seconds, found 0"):
        match_events([1.0], [1.0], tolerance_s=0)


@settings(max_examples=40, deadline=None)
@given(times=st.lists(st.floats(0, 1000), min_size=1, max_size=30, unique=True))
def test_matching_a_set_with_itself_is_perfect(times):
    m = match_events(times, times, tolerance_s=1e-6)
    assert m.f1 == 1.0 and np.allclose(m.errors_s, 0)
