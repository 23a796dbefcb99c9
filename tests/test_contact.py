"""Strike angle and contact type (retrogait.contact): simulated truth, time reversal, two-sensor timing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrogait import schema
from retrogait.contact import (
    add_contact,
    band_confidence,
    classify_strike_angle,
    contact_from_heel_toe,
    contact_type_from_thm,
)
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.pipeline import Params
from retrogait.recording import Recording
from retrogait.simulate import simulate_gait, time_reverse, time_reverse_events
from retrogait.strides import strides_from_events

RATE_HZ = 200.0


@pytest.mark.parametrize("contact,gait", [("heel_first", "walk"), ("flat", "walk"), ("toe_first", "walk"),
                                          ("heel_first", "run"), ("toe_first", "run")])
def test_strike_angle_and_class_on_simulated_contacts(contact, gait):
    sim = simulate_gait(gait=gait, contact_type=contact, n_strides=8, sampling_rate_hz=RATE_HZ,
                        mounting="random", seed=11)
    strides = strides_from_events(sim.events, RATE_HZ)
    out = add_contact(strides, sim.recording, sim.events)
    schema.validate_strides(out)
    m = pd.merge_asof(out.sort_values("start_s"), sim.strides[["start_s", "strike_angle_deg"]],
                      on="start_s", suffixes=("", "_true"), tolerance=0.02, direction="nearest",
                      ).dropna(subset=["strike_angle_deg_true"])
    assert len(m) >= 7
    assert np.max(np.abs(m["strike_angle_deg"] - m["strike_angle_deg_true"])) < 2.0
    assert (out["contact_type"] == contact).all()
    assert ((out["contact_confidence"] > 0.5) & (out["contact_confidence"] <= 1)).all()
    assert (out["peak_acc_ic_ms2"] > 9.0).all()


def test_time_reversed_forward_walk_is_toe_first():
    sim = simulate_gait(n_strides=8, sampling_rate_hz=RATE_HZ, mounting="random", seed=4)
    rev = time_reverse(sim.recording)
    events = time_reverse_events(sim.events, (rev.n_samples - 1) / RATE_HZ, sampling_rate_hz=RATE_HZ)
    out = add_contact(strides_from_events(events, RATE_HZ), rev, events)
    assert (out["contact_type"] == "toe_first").all()
    assert (out["strike_angle_deg"] < -20).all()


def test_unknown_without_gyroscope_or_off_the_foot():
    sim = simulate_gait(placement="lower_back", n_strides=4, sampling_rate_hz=100.0, seed=1)
    strides = strides_from_events(sim.events, 100.0)
    out = add_contact(strides, sim.recording, sim.events)
    assert (out["contact_type"] == "unknown").all()
    assert out["strike_angle_deg"].isna().all() and out["contact_confidence"].isna().all()
    assert out["peak_acc_ic_ms2"].notna().all()
    foot = simulate_gait(n_strides=4, sampling_rate_hz=RATE_HZ, gyro=False, seed=1)
    out = add_contact(strides_from_events(foot.events, RATE_HZ), foot.recording, foot.events)
    assert (out["contact_type"] == "unknown").all()


def test_classes_follow_altman_davis_bands():
    assert classify_strike_angle(np.array([8.01, 8.0, -1.6, -1.61, np.nan])).tolist() == [
        "heel_first", "flat", "flat", "toe_first", "unknown"]


@given(st.floats(-60, 60))
def test_band_confidence_is_a_probability_and_half_on_edges(angle):
    conf = float(band_confidence(np.array([angle]), -1.6, 8.0, 5.3)[0])
    assert 0.0 <= conf <= 1.0
    assert float(band_confidence(np.array([8.0 + 1e-9]), -1.6, 8.0, 5.3)[0]) == pytest.approx(0.5, abs=1e-6)
    if abs(angle - 8.0) > 15 and abs(angle + 1.6) > 15:
        assert conf > 0.99


def _impulse_recording(peaks_s, name):
    n = int(4.0 * RATE_HZ)
    acc = np.zeros((n, 3))
    acc[:, 2] = 9.81
    for t in peaks_s:
        acc[int(round(t * RATE_HZ)), 2] += 50.0
    return Recording(data=pd.DataFrame(acc, columns=["acc_x", "acc_y", "acc_z"]), sampling_rate_hz=RATE_HZ,
                     placement="foot", side="left", meta={"sensor": name})


def test_heel_and_toe_sensor_order_gives_the_pattern():
    ic = np.array([1.0, 2.0, 3.0])
    heel = _impulse_recording([1.0, 2.03, 3.0], "heel")
    toe = _impulse_recording([1.03, 2.0, 3.005], "toe")   # +30 ms, -30 ms, +5 ms
    events = pd.DataFrame({"time_s": ic, "event": "ic"})
    out = contact_from_heel_toe(heel, toe, events)
    np.testing.assert_allclose(out["thm_ms"], [30.0, -30.0, 5.0])
    assert out["contact_type"].tolist() == ["heel_first", "toe_first", "flat"]
    assert contact_type_from_thm(np.array([15.3, -5.5, 0.0])).tolist() == ["heel_first", "toe_first", "flat"]
    with pytest.raises(InputError, match="window_s"):
        contact_from_heel_toe(heel, toe, events, window_s=0)
    with pytest.raises(TypeError, match="toe must be a Recording"):
        contact_from_heel_toe(heel, "toe.csv", events)


def test_errors_and_no_mutation():
    sim = simulate_gait(n_strides=4, sampling_rate_hz=RATE_HZ, seed=1)
    strides = strides_from_events(sim.events, RATE_HZ)
    before = strides.copy()
    add_contact(strides, sim.recording, sim.events)
    pd.testing.assert_frame_equal(strides, before)
    with pytest.raises(InputError, match="missing column"):
        add_contact(strides.drop(columns=["start_sample"]), sim.recording, sim.events)
    with pytest.raises(TypeError, match="Recording"):
        add_contact(strides, 3, sim.events)


@pytest.mark.realdata
def test_gaitmap_forward_heel_first_and_time_reversed_toe_first(shared_data):
    from benchmarks.datasets_foot import load_gaitmap

    ds = load_gaitmap(rotated=False)
    for name, rec in ds.recordings.items():
        events = ds.events[ds.events["sensor"] == name]
        strides = strides_from_events(events, rec.sampling_rate_hz)
        out = add_contact(strides, rec, events)
        assert (out["contact_type"] == "heel_first").mean() >= 0.97
        rev = time_reverse(rec)
        rev_events = time_reverse_events(events, (rev.n_samples - 1) / rev.sampling_rate_hz,
                                         sampling_rate_hz=rev.sampling_rate_hz)
        out = add_contact(strides_from_events(rev_events, rev.sampling_rate_hz), rev, rev_events)
        assert (out["contact_type"] == "toe_first").mean() >= 0.97


def test_undecided_toe_direction_gives_unknown_and_a_warning():
    """Four strides cannot reach the sign-test confidence of 0.95 (at most 1 - 0.5^4):
    the contact type is 'unknown' rather than a guess; giving the toe axis decides it."""
    sim = simulate_gait(n_strides=4, sampling_rate_hz=RATE_HZ, seed=1)
    strides = strides_from_events(sim.events, RATE_HZ)
    with pytest.warns(RetrogaitWarning, match="toe_axis"):
        out = add_contact(strides, sim.recording, sim.events)
    assert (out["contact_type"] == "unknown").all() and out["strike_angle_deg"].isna().all()
    out = add_contact(strides, sim.recording, sim.events, params=Params(toe_axis="+x"))
    assert (out["contact_type"] == "heel_first").all()
