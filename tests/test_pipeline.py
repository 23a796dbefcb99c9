"""analyze() end to end: simulated truth, real samples, empty input, invariants."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retrogait as rg
from retrogait import InputError, Params, RetrogaitWarning, schema
from retrogait.evaluate import match_events
from retrogait.simulate import simulate_gait, simulate_trial


def _check_contracts(res):
    schema.validate_events(res.events)
    schema.validate_strides(res.strides)
    schema.validate_bouts(res.bouts)
    schema.validate_summary(res.summary)
    assert list(res.strides.columns[: len(schema.STRIDES_COLUMNS)]) == list(schema.STRIDES_COLUMNS)


TOE_ONLY_RUNNING = pytest.mark.xfail(
    reason="backward running on the forefoot only: the foot is never flat in stance, so gravity at "
           "stance does not give the foot's vertical axis; known limit of the foot-axis inference",
    strict=False,
)


@pytest.mark.parametrize(("gait", "direction"), [
    ("walk", "forward"), ("walk", "backward"), ("run", "forward"),
    pytest.param("run", "backward", marks=TOE_ONLY_RUNNING),
])
def test_simulated_foot_trial_matches_truth(gait, direction):
    trial = simulate_gait(placement="foot", gait=gait, direction=direction, n_strides=15,
                          sampling_rate_hz=200.0, seed=3)
    # the simulator's documented sensor frame has x toward the toes
    rec = trial.recording.replace(meta={**trial.recording.meta, "toe_axis": "+x"})
    res = rg.analyze(rec)
    _check_contracts(res)
    ic_truth = trial.events.loc[trial.events["event"] == "ic", "time_s"]
    ic_found = res.events.loc[res.events["event"] == "ic", "time_s"]
    match = match_events(ic_found, ic_truth, tolerance_s=0.05)
    assert match.recall >= 0.95 and match.precision >= 0.95
    assert len(res.strides) >= 13
    truth_cadence = trial.strides["cadence_spm"].mean() if "cadence_spm" in trial.strides else \
        (120 / trial.strides["stride_time_s"]).mean()
    assert res.summary.loc[0, "cadence_spm_mean"] == pytest.approx(truth_cadence, rel=0.02)
    assert res.summary.loc[0, "direction_majority"] == direction
    assert res.summary.loc[0, "gait_majority"] == gait
    expected_contact = "heel_first" if direction == "forward" else "toe_first"
    if gait == "walk":
        assert res.summary.loc[0, "contact_type_majority"] == expected_contact


def test_two_feet_give_bilateral_parameters():
    trials = simulate_trial(sensors=("foot_left", "foot_right"), gait="walk", direction="forward", n_strides=12,
                            sampling_rate_hz=100.0, seed=5)
    res = rg.analyze({name: trial.recording for name, trial in trials.items()})
    _check_contracts(res)
    assert set(res.strides["side"]) == {"left", "right"}
    inner = res.strides.dropna(subset=["double_support_pct"])
    assert len(inner) >= 10
    # walking: double support and no flight
    assert (inner["double_support_pct"] > 5).all() and np.allclose(inner["flight_time_s"], 0.0)
    assert np.isfinite(res.summary.loc[0, "step_time_s_mean"])


def test_lower_back_sensor_assigns_sides():
    trial = simulate_gait(placement="lower_back", gait="walk", direction="forward", n_strides=15,
                          sampling_rate_hz=100.0, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)  # no leg length: stride length NaN + warning
        res = rg.analyze(trial.recording)
    _check_contracts(res)
    ic = res.events[res.events["event"] == "ic"]
    assert set(ic["side"].dropna()) == {"left", "right"}
    assert res.strides["stride_length_m"].isna().all()  # not invented without leg length
    assert (res.strides["contact_type"] == "unknown").all()


def test_leg_length_gives_trunk_stride_length():
    trial = simulate_gait(placement="lower_back", gait="walk", direction="forward", n_strides=15,
                          sampling_rate_hz=100.0, seed=2)
    res = rg.analyze(trial.recording, leg_length_m=0.9)
    assert res.strides["stride_length_m"].notna().mean() > 0.8


def test_standing_still_gives_empty_valid_result_and_a_warning():
    n = 3000
    df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.full(n, 9.81),
                       "gyr_x": np.zeros(n), "gyr_y": np.zeros(n), "gyr_z": np.zeros(n)})
    rec = rg.Recording(df, 100.0, placement="foot", side="left")
    with pytest.warns(RetrogaitWarning, match="no strides found"):
        res = rg.analyze(rec)
    _check_contracts(res)
    assert res.events.empty and res.strides.empty and res.bouts.empty
    assert res.summary.loc[0, "n_strides"] == 0


def test_analyze_does_not_change_its_input():
    trial = simulate_gait(placement="foot", n_strides=6, sampling_rate_hz=100.0, seed=1)
    before = trial.recording.data.copy()
    rg.analyze(trial.recording)
    pd.testing.assert_frame_equal(trial.recording.data, before)


def test_bad_arguments_are_clear():
    with pytest.raises(TypeError, match="expected a Recording, a list or a dict of Recordings, found str"):
        rg.analyze("walk.csv")
    trial = simulate_gait(placement="foot", n_strides=4, sampling_rate_hz=100.0, seed=1)
    with pytest.raises(InputError, match="two recordings are both named 'foot_left'"):
        rg.analyze([trial.recording, trial.recording])
    with pytest.raises(InputError, match=r"Params.leg_length_m: expected a positive number, found -1"):
        rg.analyze(trial.recording, leg_length_m=-1)
    with pytest.raises(TypeError):
        rg.analyze(trial.recording, no_such_parameter=1)
    with pytest.raises(InputError, match="min_stride_time_s"):
        Params(min_stride_time_s=4.0)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shift_samples=st.integers(min_value=1, max_value=400))
def test_prepending_rest_shifts_events_by_the_same_time(shift_samples):
    trial = simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=4)
    rec = trial.recording
    rest = pd.DataFrame(np.repeat(rec.data.iloc[[0]].to_numpy(), shift_samples, axis=0), columns=rec.data.columns)
    moved = rec.replace(data=pd.concat([rest, rec.data], ignore_index=True))
    base = rg.analyze(rec).events
    shifted = rg.analyze(moved).events
    assert len(base) == len(shifted)
    assert np.array_equal(shifted["sample"].to_numpy() - base["sample"].to_numpy(),
                          np.full(len(base), shift_samples))


def test_real_samples_end_to_end(samples_dir):
    left = rg.read(samples_dir / "gaitmap_left_foot.csv", placement="foot", side="left",
                   acc_unit="m/s^2", gyr_unit="deg/s")
    right = rg.read(samples_dir / "gaitmap_right_foot.csv", placement="foot", side="right",
                    acc_unit="m/s^2", gyr_unit="deg/s")
    res = rg.analyze({"foot_left": left, "foot_right": right})
    _check_contracts(res)
    # 2 x 20 m of forward walking; the reference has 28 left and 29 right strides
    assert 50 <= len(res.strides) <= 62
    # walking strides land on the heel; the turn and the closing step, where the foot is set
    # down almost flat (motion capture: heel lifted 11 mm), may read flat
    strides = res.strides
    closing = strides.groupby(["sensor", "bout_id"])["start_s"].transform("max") == strides["start_s"]
    walking = strides[(strides["direction"] == "forward") & ~closing]
    assert (walking["contact_type"] == "heel_first").mean() >= 0.97
    assert res.summary.loc[0, "heel_first_pct"] >= 95
    assert not (strides["contact_type"] == "toe_first").any()
    assert res.summary.loc[0, "forward_pct"] >= 95
    assert 100 < res.summary.loc[0, "cadence_spm_mean"] < 120


def test_left_axis_parameter_gives_the_true_sides():
    trial = simulate_gait(placement="lower_back", gait="walk", direction="backward", n_strides=15,
                          sampling_rate_hz=100.0, seed=8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)
        res = rg.analyze(trial.recording, left_axis="+y")  # simulator frame: y to the left
    found = res.events[res.events["event"] == "ic"]
    truth = trial.events[trial.events["event"] == "ic"]
    # pair each found ic with the nearest true one and compare sides
    nearest = np.abs(found["time_s"].to_numpy()[:, None] - truth["time_s"].to_numpy()[None, :]).argmin(axis=1)
    agree = (found["side"].to_numpy() == truth["side"].to_numpy()[nearest]).mean()
    assert agree >= 0.95


def test_public_functions_stay_functions_after_their_modules_are_imported():
    import importlib

    importlib.import_module("retrogait.compare")
    importlib.import_module("retrogait.batch")
    importlib.import_module("retrogait.plotting")
    assert callable(rg.compare) and callable(rg.batch) and callable(rg.check_claims)


@pytest.mark.parametrize("seed", [1, 7])
def test_backward_only_simulated_foot_is_never_confidently_forward(seed):
    # the simulated foot swings from the leg, but the median swing-centre margin of its
    # backward strides is only 0-3 cm: the anatomical toe rule may stay undecided (then
    # 'unknown' with a warning) or decide 'backward', never a confident 'forward'
    trial = simulate_gait(placement="foot", direction="backward", n_strides=30, sampling_rate_hz=200.0, seed=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rg.analyze(trial.recording)
    assert not (res.strides["direction"] == "forward").any()
    assert not (res.strides["contact_type"] == "heel_first").any()
    if any(issubclass(w.category, RetrogaitWarning) and "toe" in str(w.message) for w in caught):
        assert (res.strides["direction"] == "unknown").all()
    else:
        assert (res.strides["direction"] == "backward").mean() >= 0.8
        assert (res.strides["contact_type"] == "toe_first").mean() >= 0.8


def test_analyze_warns_once_about_an_undecided_toe_axis():
    # the spatial and the contact stage both find the toe axis undecided: one warning, not two
    sim = simulate_gait(direction="backward", n_strides=5, seed=1, sampling_rate_hz=100.0,
                        rest_before_s=1.0, rest_after_s=1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rg.analyze(sim.recording)
    toe = [w for w in caught if "which way the toes point" in str(w.message)]
    assert (res.strides["direction"] == "unknown").all()
    assert len(toe) == 1 and issubclass(toe[0].category, RetrogaitWarning)
    assert str(toe[0].message).startswith("add_spatial: foot sensor")


def test_analyze_warnings_obey_the_callers_filters():
    sim = simulate_gait(direction="backward", n_strides=5, seed=1, sampling_rate_hz=100.0,
                        rest_before_s=1.0, rest_after_s=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RetrogaitWarning)
        with pytest.raises(RetrogaitWarning, match="which way the toes point"):
            rg.analyze(sim.recording)


def test_stance_anchor_window_reaches_the_foot_integration(monkeypatch):
    from retrogait.spatial import zupt

    seen = []
    original = zupt.foot_trajectories

    def spy(*args, **kwargs):
        seen.append(kwargs.get("anchor_still_s"))
        return original(*args, **kwargs)

    monkeypatch.setattr("retrogait.spatial.foot_trajectories", spy)
    trial = simulate_gait(placement="foot", n_strides=6, sampling_rate_hz=200.0, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)
        default = rg.analyze(trial.recording, toe_axis="+x")
        windowed = rg.analyze(trial.recording, toe_axis="+x", stance_anchor_still_s=0.02)
    assert seen == [None, 0.02]
    # a clean simulated walk is still over 20 ms in every stance: lengths agree within 1 cm
    np.testing.assert_allclose(windowed.strides["stride_length_m"], default.strides["stride_length_m"], atol=0.01)
    with pytest.raises(InputError, match="stance_anchor_still_s"):
        Params(stance_anchor_still_s=-0.01)
