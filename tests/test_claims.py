"""Tests of the claims check for backward vs forward gait."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from retrogait import schema
from retrogait.claims import CLAIMS_COLUMNS, check_claims
from retrogait.compare import compare
from retrogait.errors import InputError


def running_strides(n: int = 40, *, sensor: str = "foot_left", seed: int = 0, stride_length: bool = True,
                    peak: bool = True) -> pd.DataFrame:
    """Backward running with the literature's direction of every effect, and forward running."""
    rng = np.random.default_rng(seed)
    rows = []
    t = 0.0
    for direction in ("forward", "backward"):
        bw = direction == "backward"
        for _ in range(n):
            stride_time = rng.normal(0.66 if bw else 0.72, 0.01)
            stance = rng.normal(0.22 if bw else 0.26, 0.008)
            rows.append({
                "start_s": t, "end_s": t + stride_time, "stride_time_s": stride_time, "stance_time_s": stance,
                "swing_time_s": stride_time - stance, "stance_pct": 100 * stance / stride_time,
                "cadence_spm": 120 / stride_time, "direction": direction, "gait": "run", "sensor": sensor,
                "stride_length_m": rng.normal(1.6 if bw else 2.2, 0.05) if stride_length else np.nan,
                "contact_type": ("toe_first" if rng.random() < 0.9 else "flat") if bw
                else ("heel_first" if rng.random() < 0.8 else "flat"),
                # the impact at contact is *higher* backward here, to test a contradiction
                "peak_acc_ic_ms2": rng.normal(60 if bw else 45, 3) if peak else np.nan,
            })
            t += stride_time
    return schema.conform(pd.DataFrame(rows), schema.STRIDES_COLUMNS)


def by_claim(table: pd.DataFrame, claim: str) -> pd.Series:
    sel = table[table["claim"] == claim]
    assert len(sel) == 1, table[["claim", "verdict"]]
    return sel.iloc[0]


def test_running_claims_verdicts() -> None:
    out = check_claims(running_strides(), by="direction")
    assert list(out.columns) == list(CLAIMS_COLUMNS)
    # gait detected as running: walking-only claims are not listed
    assert "longer contact time" not in set(out["claim"])
    assert by_claim(out, "shorter strides")["verdict"] == "supported"
    assert by_claim(out, "higher cadence")["verdict"] == "supported"
    assert by_claim(out, "toe-first contact")["verdict"] == "supported"
    assert by_claim(out, "shorter contact time")["verdict"] == "supported"
    impact = by_claim(out, "lower impact at contact")
    assert impact["verdict"] == "contradicted"
    assert "above 0" in impact["reason"]
    assert impact["difference"] == pytest.approx(15, abs=3)
    flight = by_claim(out, "longer flight time")
    assert flight["verdict"] == "can't tell" and "both feet" in flight["reason"]


def test_missing_stride_length_from_lower_back_explained() -> None:
    data = running_strides(sensor="lower_back", stride_length=False, peak=False)
    out = check_claims(data, by="direction")
    sl = by_claim(out, "shorter strides")
    assert sl["verdict"] == "can't tell"
    assert sl["reason"] == "no stride length: lower-back sensor without leg length (set Params.leg_length_m)"
    impact = by_claim(out, "lower impact at contact")
    assert "needs a foot or shank sensor; found lower_back" in impact["reason"]


def test_ci_including_zero_is_cant_tell() -> None:
    rng = np.random.default_rng(1)
    data = running_strides()
    same = data.copy()
    same["cadence_spm"] = rng.normal(170, 5, len(same))
    out = check_claims(same, by="direction")
    cad = by_claim(out, "higher cadence")
    assert cad["verdict"] == "can't tell"
    assert cad["reason"].startswith("CI includes 0")
    assert cad["ci_low"] < 0 < cad["ci_high"]


def test_accepts_a_comparison_either_way_round() -> None:
    data = running_strides()
    cmp_fw = compare(data, by="direction", reference="forward")
    cmp_bw = compare(data, by="direction", reference="backward")
    a = check_claims(cmp_fw, gait="run")
    b = check_claims(cmp_bw, gait="run")
    pd.testing.assert_series_equal(a["verdict"], b["verdict"])
    assert a["difference"].to_numpy() == pytest.approx(b["difference"].to_numpy(), nan_ok=True)
    assert a["ci_low"].to_numpy() == pytest.approx(b["ci_low"].to_numpy(), nan_ok=True)


def test_unknown_gait_lists_every_claim_and_walking_claims_apply_to_walking() -> None:
    cmp = compare(running_strides(), by="direction")
    cmp = cmp.drop(columns=["gait"])  # e.g. a table from an older version: the gait is not known
    everything = check_claims(cmp)
    assert {"shorter contact time", "longer contact time"} <= set(everything["claim"])
    assert set(everything["gait"]) == {"walk/run", "run", "walk"}
    walk = running_strides().assign(gait="walk")
    out = check_claims(walk, by="direction")
    longer = by_claim(out, "longer contact time")
    assert longer["verdict"] == "contradicted"  # stance is shorter in these data


def test_too_few_strides_is_cant_tell() -> None:
    data = running_strides(n=40)
    few = pd.concat([data[data["direction"] == "forward"], data[data["direction"] == "backward"].head(2)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = check_claims(few, by="direction")
    assert by_claim(out, "higher cadence")["reason"] == "too few values (n=2 backward, 40 forward)"


def test_errors() -> None:
    with pytest.raises(InputError, match="gait: expected"):
        check_claims(running_strides(), gait="sprint")
    with pytest.raises(InputError, match=r"need levels 'backward' and 'forward'"):
        check_claims(running_strides().assign(direction="forward"))
    cmp = compare(running_strides().assign(condition=lambda d: d["direction"].map({"forward": "a",
                                                                                    "backward": "b"})),
                  by="condition")
    with pytest.raises(InputError, match="no contrast of 'backward' vs 'forward'"):
        check_claims(cmp)


def test_gait_recorded_by_compare_selects_the_claims(tmp_path) -> None:
    cmp = compare(running_strides(), by="direction")
    cmp.to_csv(tmp_path / "cmp.csv", index=False)
    out = check_claims(pd.read_csv(tmp_path / "cmp.csv"))  # survives the round trip through CSV
    assert "longer contact time" not in set(out["claim"]) and "shorter contact time" in set(out["claim"])


def _simulated_running(seed_fw: int = 1, seed_bw: int = 2) -> dict:
    from retrogait.simulate import simulate_trial

    return {d: simulate_trial(sensors=("foot_left", "foot_right"), gait="run", direction=d, n_strides=15,
                              sampling_rate_hz=200, seed=seed)
            for d, seed in (("forward", seed_fw), ("backward", seed_bw))}


def test_claims_on_simulated_truth_running() -> None:
    sims = _simulated_running()
    truth = pd.concat([s.strides.assign(condition=d) for d, trial in sims.items() for s in trial.values()],
                      ignore_index=True)
    out = check_claims(truth, by="condition")
    for claim in ("shorter strides", "higher cadence", "toe-first contact", "shorter contact time"):
        assert by_claim(out, claim)["verdict"] == "supported", claim
    assert "longer contact time" not in set(out["claim"])  # gait detected as running


def test_claims_from_analysis_results_end_to_end() -> None:
    import retrogait as rg

    sims = _simulated_running()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = {d: rg.analyze([s.recording for s in trial.values()]) for d, trial in sims.items()}
        out = check_claims(results, by="condition")
    assert list(out.columns) == list(CLAIMS_COLUMNS)
    assert set(out["verdict"]) <= {"supported", "contradicted", "can't tell"}
    assert (out["gait"] == "run").all()
    assert by_claim(out, "shorter strides")["n_backward"] > 0


@pytest.mark.realdata
def test_real_backward_walking_within_one_recording(shared_data) -> None:
    """UCI trial 200 (subject II, left foot, CC BY-NC-ND, read at run time): forward and
    backward walking bouts of one recording compared by the pipeline's own direction."""
    import retrogait as rg

    from benchmarks.datasets_foot import dataset_available, load_uci

    if not dataset_available("uci_zupt_foot_imu_backward"):
        pytest.skip("uci_zupt_foot_imu_backward not in the shared data")
    rec = next(iter(load_uci(200).recordings.values()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rg.analyze(rec)
        walking = res.strides[res.strides["gait"] == "walk"]
        out = check_claims(walking, by="direction", placement="foot")
    assert (out["gait"] == "walk").all()
    toe = by_claim(out, "toe-first contact")
    assert toe["verdict"] == "supported" and toe["n_backward"] >= 8
    assert by_claim(out, "shorter strides")["difference"] < 0
    assert "independent" in by_claim(out, "shorter strides")["note"]  # one recording: the caveat is carried


# --- energy cost (never measured) and posture (trunk tilt) ----------------------------------


def test_energy_cost_is_always_cant_tell_with_the_reason() -> None:
    data = running_strides()
    # even a column of that name with a large difference does not make it judged: acceleration
    # data cannot give the metabolic cost
    data = data.assign(metabolic_cost_j_kg_m=np.where(data["direction"] == "backward", 5.4, 4.0))
    from_data = by_claim(check_claims(data, by="direction"), "higher energy cost")
    cmp = compare(data, by="direction", reference="forward",
                  parameters=["cadence_spm", "metabolic_cost_j_kg_m"])
    from_comparison = by_claim(check_claims(cmp, gait="run"), "higher energy cost")
    walking = by_claim(check_claims(data.assign(gait="walk"), by="direction"), "higher energy cost")
    for row in (from_data, from_comparison, walking):
        assert row["verdict"] == "can't tell"
        assert row["reason"] == ("metabolic cost needs oxygen uptake (indirect calorimetry); it is not measured "
                                 "from acceleration")
        assert row["expected"] == "higher" and np.isnan(row["difference"]) and row["n_backward"] == 0
        assert "Wright & Weyand 2001" in row["source"] and "Rasica" in row["source"]
    assert walking["gait"] == "walk" and from_data["gait"] == "run"


def test_energy_cost_from_a_comparison_without_gait_and_from_an_empty_contrast() -> None:
    cmp = compare(running_strides(), by="direction").drop(columns=["gait"])
    assert by_claim(check_claims(cmp), "higher energy cost")["gait"] == "walk/run"
    only_energy = pd.DataFrame(columns=["parameter", "group", "reference", "difference", "ci_low", "ci_high"])
    out = check_claims(only_energy, gait="walk")
    assert by_claim(out, "higher energy cost")["verdict"] == "can't tell"
    assert (out["verdict"] == "can't tell").all()


def test_more_upright_posture_judged_on_trunk_tilt() -> None:
    rng = np.random.default_rng(3)
    data = running_strides(sensor="lower_back", stride_length=False, peak=False)
    backward = data["direction"] == "backward"
    data["trunk_tilt_deg"] = np.where(backward, rng.normal(3.0, 0.8, len(data)), rng.normal(7.0, 0.8, len(data)))
    row = by_claim(check_claims(data, by="direction"), "more upright posture")
    assert row["verdict"] == "supported" and row["parameter"] == "trunk_tilt_deg" and row["expected"] == "lower"
    assert row["difference"] == pytest.approx(-4.0, abs=0.5)
    assert "no measured source" in row["source"] and "coaching" in row["source"]
    leaning = data.assign(trunk_tilt_deg=np.where(backward, 9.0, 5.0) + rng.normal(0, 0.5, len(data)))
    assert by_claim(check_claims(leaning, by="direction"), "more upright posture")["verdict"] == "contradicted"


def test_missing_trunk_tilt_explained_by_placement() -> None:
    foot = by_claim(check_claims(running_strides(), by="direction"), "more upright posture")
    assert foot["verdict"] == "can't tell"
    assert foot["reason"] == "trunk tilt needs a lower-back sensor with a standing period; found foot"
    back = by_claim(check_claims(running_strides(sensor="lower_back"), by="direction"), "more upright posture")
    assert back["reason"].startswith("no trunk tilt in the data (lower_back); needs a lower-back sensor with a "
                                     "standing period")


def test_claims_command_lists_energy_and_posture(tmp_path, capsys) -> None:
    from retrogait.cli import main

    path = tmp_path / "strides.csv"
    running_strides().to_csv(path, index=False)
    assert main(["claims", str(path), "--out", str(tmp_path / "out")]) == 0
    claims = pd.read_csv(tmp_path / "out" / "claims.csv").set_index("claim")
    assert claims.loc["higher energy cost", "verdict"] == "can't tell"
    assert "oxygen uptake" in claims.loc["higher energy cost", "reason"]
    assert "lower-back sensor" in claims.loc["more upright posture", "reason"]
    assert "higher energy cost" in capsys.readouterr().out


def test_report_shows_energy_and_posture_rows(tmp_path) -> None:
    import re

    from retrogait.report import make_report

    path = make_report(running_strides(), out_path=tmp_path / "r.html", by="direction")
    rows = dict((name, cls) for cls, name in
                re.findall(r'<tr class="(\w+)"><td class="text">([^<]+)</td>', path.read_text(encoding="utf-8")))
    assert rows["higher energy cost"] == "cant" and rows["more upright posture"] == "cant"
    assert rows["shorter strides"] == "supported"


def test_posture_claim_from_lower_back_analysis_results() -> None:
    import retrogait as rg
    from retrogait.simulate import simulate_gait

    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for direction, seed in (("forward", 1), ("backward", 2)):
            sim = simulate_gait(placement="lower_back", direction=direction, n_strides=12, sampling_rate_hz=100.0,
                                rest_before_s=3.0, rest_after_s=3.0, seed=seed)
            results[direction] = rg.analyze(sim.recording)
        out = check_claims(results, by="condition")
    row = by_claim(out, "more upright posture")
    assert row["n_backward"] >= 10 and row["n_forward"] >= 10
    # the simulator walks upright both ways: the tilts are small and the difference is near 0
    assert abs(row["difference"]) < 1.0
