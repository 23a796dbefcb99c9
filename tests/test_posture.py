"""Trunk tilt per stride (retrogait.posture): known tilts of a simulated lower-back sensor."""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retrogait as rg
from retrogait.compare import compare
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.orientation import quat_from_rotvec, quat_rotate
from retrogait.posture import (
    add_posture,
    chain_ends,
    rest_periods,
    standing_periods,
    standing_reference,
    trunk_tilt,
)
from retrogait.recording import Recording


def rotated(rec: Recording, rotvec_rad: np.ndarray, start_s: float = 0.0, end_s: float = np.inf) -> Recording:
    """``rec`` with the acc/gyr samples in [start_s, end_s) rotated by ``rotvec_rad`` (a new Recording)."""
    data = rec.data.copy()
    t = np.arange(rec.n_samples) / rec.sampling_rate_hz
    inside = (t >= start_s) & (t < end_s)
    q = quat_from_rotvec(np.asarray(rotvec_rad, dtype=float))
    for cols in (["acc_x", "acc_y", "acc_z"], ["gyr_x", "gyr_y", "gyr_z"]):
        if all(c in data.columns for c in cols):
            data.loc[inside, cols] = quat_rotate(q, data.loc[inside, cols].to_numpy(float))
    return rec.replace(data=data)


@cache
def walk(gait: str = "walk", direction: str = "forward", rest_s: float = 3.0, seed: int = 5):
    return rg.simulate.simulate_gait(placement="lower_back", gait=gait, direction=direction, n_strides=10,
                                     sampling_rate_hz=100.0, rest_before_s=rest_s, rest_after_s=rest_s, seed=seed)


def gait_span(sim) -> tuple[float, float]:
    seg = sim.segments[sim.segments["kind"] == "gait"].iloc[0]
    return float(seg["start_s"]), float(seg["end_s"])


@pytest.mark.parametrize(("gait", "direction"), [("walk", "forward"), ("walk", "backward"), ("run", "backward")])
def test_known_tilt_during_gait_is_measured(gait: str, direction: str) -> None:
    sim = walk(gait, direction)
    # 8 deg about a horizontal axis (sensor y is horizontal in the aligned simulation)
    rec = rotated(sim.recording, np.deg2rad(8.0) * np.array([0.0, 1.0, 0.0]), *gait_span(sim))
    tilt = trunk_tilt(sim.strides, rec)
    measured = tilt[np.isfinite(tilt)]
    assert measured.size == len(sim.strides) - 4  # first and last stride of each foot left out
    assert np.nanmedian(tilt) == pytest.approx(8.0, abs=1.0)
    tolerance = 1.0 if gait == "walk" else 3.0  # the simulated runner's trunk rocks more within a stride
    assert np.all(np.abs(measured - 8.0) < tolerance)


def test_upright_walk_has_no_tilt_and_chain_ends_are_left_out() -> None:
    sim = walk()
    tilt = trunk_tilt(sim.strides, sim.recording)
    assert np.all(np.abs(tilt[np.isfinite(tilt)]) < 1.0)
    ends = chain_ends(sim.strides)
    assert ends.sum() == 4 and np.isnan(tilt[ends]).all()
    # with the chain ends included, the stop of the walk (a speed change within the stride) reads as a tilt
    every = trunk_tilt(sim.strides, sim.recording, exclude_chain_ends=False)
    assert np.isfinite(every).all() and every[ends].max() > 2.0


def test_tilt_about_a_sideways_axis_counts_the_same() -> None:
    sim = walk(seed=6)
    rec = rotated(sim.recording, np.deg2rad(5.0) * np.array([1.0, 0.0, 0.0]), *gait_span(sim))
    assert np.nanmedian(trunk_tilt(sim.strides, rec)) == pytest.approx(5.0, abs=1.0)


def test_no_rest_period_gives_nan_and_a_warning() -> None:
    sim = walk(rest_s=0.0)
    with pytest.warns(RetrogaitWarning, match=r"no rest period of at least 2 s .* trunk_tilt_deg .* NaN"):
        tilt = trunk_tilt(sim.strides, sim.recording)
    assert len(tilt) == len(sim.strides) and np.isnan(tilt).all()


def test_rest_shorter_than_min_rest_is_not_a_reference() -> None:
    sim = walk(rest_s=3.0)
    with pytest.warns(RetrogaitWarning, match="no rest period of at least 10 s"):
        assert np.isnan(trunk_tilt(sim.strides, sim.recording, min_rest_s=10.0)).all()


def test_non_trunk_placement_gives_nan_and_a_warning() -> None:
    foot = rg.simulate.simulate_gait(placement="foot", n_strides=6, sampling_rate_hz=100.0, seed=1)
    with pytest.warns(RetrogaitWarning, match="needs a trunk sensor .* found placement 'foot'"):
        tilt = trunk_tilt(foot.strides, foot.recording)
    assert np.isnan(tilt).all()


def test_seated_rest_is_not_the_standing_reference() -> None:
    """Rest before the walk tilted 40 deg (sitting), standing after: only standing is the reference."""
    sim = walk(seed=7)
    start, _ = gait_span(sim)
    seated = rotated(sim.recording, np.deg2rad(40.0) * np.array([0.0, 1.0, 0.0]), 0.0, start - 0.5)
    rest = rest_periods(seated)
    assert len(rest) == 2
    marked = standing_periods(seated, sim.strides)
    assert marked["standing"].tolist() == [False, True]
    assert marked["deviation_deg"].to_numpy() == pytest.approx([40.0, 0.0], abs=1.0)
    reference = standing_reference(seated, sim.strides)
    upright = rest.iloc[1][["acc_x", "acc_y", "acc_z"]].to_numpy(float)
    assert reference == pytest.approx(upright, abs=0.05)
    tilt = trunk_tilt(sim.strides, seated)
    assert np.all(np.abs(tilt[np.isfinite(tilt)]) < 1.0)


def test_only_seated_rest_gives_nan_and_a_warning() -> None:
    sim = walk(seed=7)
    start, end = gait_span(sim)
    rec = rotated(sim.recording, np.deg2rad(40.0) * np.array([0.0, 1.0, 0.0]), 0.0, start - 0.5)
    rec = rotated(rec, np.deg2rad(-40.0) * np.array([0.0, 1.0, 0.0]), end + 0.5)
    with pytest.warns(RetrogaitWarning, match=r"none of the 2 rest period\(s\) .* within 20 deg"):
        assert np.isnan(trunk_tilt(sim.strides, rec)).all()


@settings(max_examples=15, deadline=None)
@given(axis=st.tuples(*[st.floats(-1.0, 1.0)] * 3).filter(lambda v: np.linalg.norm(v) > 0.1),
       angle_deg=st.floats(0.0, 180.0))
def test_tilt_does_not_depend_on_how_the_sensor_is_mounted(axis, angle_deg) -> None:
    sim = walk(seed=8)
    rec = rotated(sim.recording, np.deg2rad(6.0) * np.array([0.0, 1.0, 0.0]), *gait_span(sim))
    rotvec = np.deg2rad(angle_deg) * np.asarray(axis) / np.linalg.norm(axis)
    mounted = rotated(rec, rotvec)  # the whole recording: a different mounting of the same sensor
    a = trunk_tilt(sim.strides, rec)
    b = trunk_tilt(sim.strides, mounted)
    np.testing.assert_allclose(b, a, atol=1e-6)
    assert np.nanmedian(a) == pytest.approx(6.0, abs=1.0)


def test_add_posture_fills_the_sensor_rows_only_and_keeps_the_input() -> None:
    sim = walk(seed=9)
    own = sim.strides.assign(sensor=sim.recording.name)
    other = sim.strides.assign(sensor="foot_left")
    table = pd.concat([own, other], ignore_index=True)
    before = table.copy()
    rec = rotated(sim.recording, np.deg2rad(8.0) * np.array([0.0, 1.0, 0.0]), *gait_span(sim))
    out = add_posture(table, rec)
    pd.testing.assert_frame_equal(table, before)
    assert out["trunk_tilt_deg"].dtype == np.float64
    mine = out.loc[out["sensor"] == rec.name, "trunk_tilt_deg"]
    assert mine.median() == pytest.approx(8.0, abs=1.0)
    assert out.loc[out["sensor"] == "foot_left", "trunk_tilt_deg"].isna().all()


def test_add_posture_leaves_other_placements_nan_without_a_warning() -> None:
    foot = rg.simulate.simulate_gait(placement="foot", n_strides=6, sampling_rate_hz=100.0, seed=1)
    strides = foot.strides.assign(sensor=foot.recording.name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = add_posture(strides, foot.recording)
    assert out["trunk_tilt_deg"].isna().all()


def test_errors() -> None:
    sim = walk()
    with pytest.raises(InputError, match="add_posture: strides table is missing column 'sensor'"):
        add_posture(sim.strides.drop(columns=["sensor"]), sim.recording)
    with pytest.raises(InputError, match=r"missing column\(s\) \['end_sample'\]"):
        trunk_tilt(sim.strides.drop(columns=["end_sample"]), sim.recording)
    with pytest.raises(InputError, match="min_rest_s: expected a positive number, found 0"):
        trunk_tilt(sim.strides, sim.recording, min_rest_s=0)
    with pytest.raises(InputError, match="max_standing_deviation_deg: expected a positive number"):
        trunk_tilt(sim.strides, sim.recording, max_standing_deviation_deg=-1.0)
    with pytest.raises(InputError, match=r"activity: missing column\(s\) \['start_sample', 'end_sample'\]"):
        rest_periods(sim.recording, activity=pd.DataFrame({"start_s": [1.0], "end_s": [2.0]}))
    with pytest.raises(TypeError, match="trunk_tilt: strides must be a DataFrame"):
        trunk_tilt([1, 2], sim.recording)  # type: ignore[arg-type]


def test_pipeline_adds_the_column_summary_and_comparison() -> None:
    sims = rg.simulate.simulate_trial(sensors=("foot_left", "lower_back"), n_strides=10, sampling_rate_hz=100.0,
                                      rest_before_s=3.0, rest_after_s=3.0, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rg.analyze({k: v.recording for k, v in sims.items()})
    st_ = res.strides
    assert st_["trunk_tilt_deg"].dtype == np.float64
    back = st_.loc[st_["sensor"] == "lower_back", "trunk_tilt_deg"]
    assert back.notna().sum() >= len(back) - 4 and back.median() < 1.0
    assert (back.dropna() < 3.0).all()  # the strides next to the chain ends still hold part of the stop
    assert st_.loc[st_["sensor"] == "foot_left", "trunk_tilt_deg"].isna().all()
    assert res.summary.loc[0, "trunk_tilt_deg_mean"] == pytest.approx(back.mean())
    cmp = compare(st_.assign(condition=np.where(st_.index % 2 == 0, "a", "b")), by="condition")
    assert "trunk_tilt_deg" in set(cmp["parameter"])
    assert rg.schema.label("trunk_tilt_deg").startswith("Trunk tilt")


@pytest.mark.realdata
def test_real_lower_back_strides_agree_with_the_whole_walk(shared_data) -> None:
    """mobgap HA_001 Test5 Trial1 (standing, one straight walk, standing; Apache-2.0): a walk from
    rest to rest has no net change of velocity, so the mean acceleration over the whole walk is
    gravity in the mean walking posture; the per-stride tilts must agree with it."""
    from benchmarks.datasets_trunk import load_mobgap_trial

    try:
        trial = load_mobgap_trial("HA_001_TimeMeasure1_Test5_Trial1")
    except FileNotFoundError:
        pytest.skip("mobgap_example not in the shared data")
    rec = trial.recording
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rg.analyze(rec, left_axis="-y")
    tilt = res.strides["trunk_tilt_deg"].to_numpy(float)
    assert np.isfinite(tilt).sum() >= 3
    fs = rec.sampling_rate_hz
    bout = trial.bouts.iloc[0]
    whole = rec.acc()[int(bout.start_s * fs):int(bout.end_s * fs)].mean(axis=0)
    reference = standing_reference(rec, res.strides)
    cos = whole @ reference / np.linalg.norm(whole) / np.linalg.norm(reference)
    assert np.nanmedian(tilt) == pytest.approx(np.degrees(np.arccos(cos)), abs=2.0)


@pytest.mark.realdata
def test_real_walk_without_rest_is_nan_with_a_warning(shared_data) -> None:
    """mobgap HA_002 Test5 Trial1 starts walking at once (no 2 s of standing)."""
    from benchmarks.datasets_trunk import load_mobgap_trial

    try:
        rec = load_mobgap_trial("HA_002_TimeMeasure1_Test5_Trial1", reference="Stereophoto").recording
    except FileNotFoundError:
        pytest.skip("mobgap_example not in the shared data")
    with pytest.warns(RetrogaitWarning, match="no rest period of at least 2 s"):
        res = rg.analyze(rec, left_axis="-y")
    assert len(res.strides) > 0 and res.strides["trunk_tilt_deg"].isna().all()
