"""Tests of retrogait.compare and retrogait.stats against hand-computed cases and known distributions."""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from scipy import stats as sps

from retrogait import schema
from retrogait import stats as st
from retrogait.compare import COMPARISON_COLUMNS, agreement, compare
from retrogait.errors import InputError, RetrogaitWarning


def make_strides(values: dict[str, np.ndarray], *, column: str = "stride_time_s", **extra: object) -> pd.DataFrame:
    """A strides table with one row per value; ``values`` maps a direction to its values."""
    rows = []
    t = 0.0
    for direction, vals in values.items():
        for v in vals:
            rows.append({"start_s": t, "end_s": t + 1.0, "direction": direction, column: float(v)})
            t += 1.0
    df = pd.DataFrame(rows)
    for key, value in extra.items():
        df[key] = value
    df["stride_id"] = np.arange(len(df))
    return schema.conform(df, schema.STRIDES_COLUMNS)


def row_of(cmp: pd.DataFrame, parameter: str) -> pd.Series:
    sel = cmp[cmp["parameter"] == parameter]
    assert len(sel) == 1, sel
    return sel.iloc[0]


# --------------------------------------------------------------------------- stats


def test_welch_and_hedges_match_hand_computation() -> None:
    a = np.array([1.10, 1.15, 1.05, 1.20, 1.12])
    b = np.array([1.00, 0.98, 1.04, 0.95, 1.01, 0.99])
    # by hand from the textbook formulas
    ma, mb = sum(a) / 5, sum(b) / 6
    va = sum((x - ma) ** 2 for x in a) / 4
    vb = sum((x - mb) ** 2 for x in b) / 5
    se = math.sqrt(va / 5 + vb / 6)
    t = (ma - mb) / se
    df = (va / 5 + vb / 6) ** 2 / ((va / 5) ** 2 / 4 + (vb / 6) ** 2 / 5)
    sp = math.sqrt((4 * va + 5 * vb) / 9)
    j = math.gamma(9 / 2) / (math.sqrt(9 / 2) * math.gamma(8 / 2))
    g = (ma - mb) / sp * j
    res = st.welch_test(a, b)
    assert res.difference == pytest.approx(ma - mb)
    assert res.statistic == pytest.approx(t)
    assert res.df == pytest.approx(df)
    assert res.p == pytest.approx(2 * sps.t.sf(abs(t), df))
    q = sps.t.ppf(0.975, df)
    assert (res.ci_low, res.ci_high) == pytest.approx((ma - mb - q * se, ma - mb + q * se))
    assert st.hedges_g(a, b) == pytest.approx(g)
    # the exact J is close to the usual approximation 1 - 3/(4 df - 1)
    assert st.hedges_correction(9) == pytest.approx(1 - 3 / 35, abs=2e-3)


def test_welch_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(1, 1, 12), rng.normal(0, 2, 20)
    ref = sps.ttest_ind(a, b, equal_var=False)
    res = st.welch_test(a, b)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.p == pytest.approx(ref.pvalue)


def test_paired_gz_and_t_by_hand() -> None:
    d = np.array([0.1, 0.3, -0.1, 0.2, 0.25, 0.15])
    m = d.mean()
    s = math.sqrt(sum((x - m) ** 2 for x in d) / 5)
    j = math.gamma(5 / 2) / (math.sqrt(5 / 2) * math.gamma(4 / 2))
    assert st.paired_gz(d) == pytest.approx(m / s * j)
    res = st.paired_t_test(d)
    assert res.statistic == pytest.approx(m / (s / math.sqrt(6)))
    assert res.df == 5


def test_holm_by_hand() -> None:
    p = [0.01, 0.04, 0.03, np.nan, 0.5]
    adj = st.adjust_pvalues(p, method="holm")
    # m = 4 finite; sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.09, max(0.09, 0.08)=0.09, 0.5
    assert adj[0] == pytest.approx(0.04)
    assert adj[2] == pytest.approx(0.09)
    assert adj[1] == pytest.approx(0.09)
    assert np.isnan(adj[3])
    assert adj[4] == pytest.approx(0.5)
    bh = st.adjust_pvalues(p, method="fdr_bh")
    assert bh[0] == pytest.approx(0.04 * 1) and bh[1] == pytest.approx(0.04 * 4 / 3)
    with pytest.raises(InputError, match="correction"):
        st.adjust_pvalues(p, method="sidak")


def test_newcombe_textbook_example() -> None:
    # Newcombe (1998) Table II, example (a): 56/70 vs 48/80 -> 0.2000, CI 0.0524 to 0.3339 (method 10)
    d, lo, hi = st.newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert lo == pytest.approx(0.0524, abs=5e-4)
    assert hi == pytest.approx(0.3339, abs=5e-4)


@settings(max_examples=60, deadline=None)
@given(n1=hst.integers(1, 60), n2=hst.integers(1, 60), f1=hst.floats(0, 1), f2=hst.floats(0, 1))
def test_newcombe_interval_holds_its_difference_and_stays_in_range(n1, n2, f1, f2) -> None:
    k1, k2 = round(f1 * n1), round(f2 * n2)
    d, lo, hi = st.newcombe_difference(k1, n1, k2, n2)
    assert d == pytest.approx(k1 / n1 - k2 / n2)
    assert -1.0 - 1e-12 <= lo <= d <= hi <= 1.0 + 1e-12


@pytest.mark.parametrize("counts, bad", [((5, 4, 1, 4), "k1"), ((1, 4, -1, 4), "k2"), ((1, 4, 9, 8), "k2")])
def test_share_tests_refuse_counts_outside_their_group(counts, bad) -> None:
    for fn in (st.newcombe_difference, st.fisher_test):
        with pytest.raises(InputError, match=rf"^{bad}: expected an event count between 0 and n"):
            fn(*counts)


def test_cohens_h_refuses_percentages() -> None:
    with pytest.raises(InputError, match="p2: expected a proportion between 0 and 1, found 55.0"):
        st.cohens_h(0.4, 55.0)


def test_agreement_by_hand() -> None:
    m = np.array([1.0, 2.0, 3.0, 4.0, np.nan])
    r = np.array([0.9, 2.2, 2.9, 3.7, 1.0])
    d = np.array([0.1, -0.2, 0.1, 0.3])
    res = agreement(m, r)
    assert res["n"] == 4
    assert res["bias"] == pytest.approx(d.mean())
    assert res["sd"] == pytest.approx(d.std(ddof=1))
    assert res["loa_high"] == pytest.approx(d.mean() + 1.959964 * d.std(ddof=1), rel=1e-5)
    with pytest.raises(InputError, match="measured has 2 values but reference has 3"):
        agreement([1, 2], [1, 2, 3])


# --------------------------------------------------------------------------- compare


def test_compare_same_data_gives_zero_difference_and_p_one() -> None:
    rng = np.random.default_rng(2)
    a = rng.normal(1.1, 0.05, 40)
    cmp = compare(make_strides({"forward": a, "backward": a}), by="direction", parameters=["stride_time_s"])
    r = row_of(cmp, "stride_time_s")
    assert r["group"] == "backward" and r["reference"] == "forward"
    assert r["difference"] == pytest.approx(0.0, abs=1e-12)
    assert r["p"] == pytest.approx(1.0)
    assert r["effect_size"] == pytest.approx(0.0, abs=1e-12)
    assert r["ci_low"] < 0 < r["ci_high"]
    assert r["test"] == "welch_t"
    assert "independent" in r["note"]
    assert list(cmp.columns) == list(COMPARISON_COLUMNS)


def test_swapping_reference_flips_signs() -> None:
    rng = np.random.default_rng(3)
    data = make_strides({"forward": rng.normal(1.1, 0.05, 25), "backward": rng.normal(1.0, 0.07, 30)})
    fw = row_of(compare(data, by="direction", parameters=["stride_time_s"]), "stride_time_s")
    bw = row_of(compare(data, by="direction", reference="backward", parameters=["stride_time_s"]), "stride_time_s")
    assert bw["difference"] == pytest.approx(-fw["difference"])
    assert bw["effect_size"] == pytest.approx(-fw["effect_size"])
    assert (bw["ci_low"], bw["ci_high"]) == pytest.approx((-fw["ci_high"], -fw["ci_low"]))
    assert bw["p"] == pytest.approx(fw["p"])


def test_compare_matches_hand_computed_welch() -> None:
    fw = np.array([1.10, 1.15, 1.05, 1.20, 1.12])
    bw = np.array([1.00, 0.98, 1.04, 0.95, 1.01, 0.99])
    r = row_of(compare(make_strides({"forward": fw, "backward": bw}), by="direction",
                       parameters=["stride_time_s"], test="parametric"), "stride_time_s")
    diff = bw.mean() - fw.mean()
    assert r["difference"] == pytest.approx(diff)
    assert r["difference_pct"] == pytest.approx(100 * diff / fw.mean())
    assert r["n_group"] == 6 and r["n_reference"] == 5
    assert r["sd_group"] == pytest.approx(bw.std(ddof=1))
    assert r["median_reference"] == pytest.approx(1.12)
    ref = sps.ttest_ind(bw, fw, equal_var=False)
    assert r["p"] == pytest.approx(ref.pvalue)
    assert r["effect_size"] == pytest.approx(st.hedges_g(bw, fw))
    assert r["effect_size"] < 0


def test_ci_coverage_near_nominal_on_normal_data() -> None:
    rng = np.random.default_rng(4)
    true_diff = -0.08
    covered = 0
    reps = 200
    for _ in range(reps):
        fw = rng.normal(1.10, 0.06, 15)
        bw = rng.normal(1.10 + true_diff, 0.09, 18)
        res = st.welch_test(bw, fw)
        covered += res.ci_low <= true_diff <= res.ci_high
    assert 0.90 <= covered / reps <= 0.99


def test_bootstrap_ci_coverage_near_nominal() -> None:
    rng = np.random.default_rng(5)
    covered = 0
    reps = 200
    for i in range(reps):
        x, y = rng.normal(0.5, 1, 40), rng.normal(0.0, 1, 40)
        lo, hi = st.bootstrap_mean_difference(x, y, n_boot=400, seed=i)
        covered += lo <= 0.5 <= hi
    assert 0.90 <= covered / reps <= 0.99


def test_bootstrap_t_close_to_welch_on_large_normal_samples() -> None:
    rng = np.random.default_rng(12)
    x, y = rng.normal(1.0, 0.1, 400), rng.normal(0.9, 0.2, 300)
    welch = st.welch_test(x, y)
    lo, hi = st.bootstrap_t_mean_difference(x, y, n_boot=4000, seed=1)
    assert lo == pytest.approx(welch.ci_low, abs=0.05 * (welch.ci_high - welch.ci_low))
    assert hi == pytest.approx(welch.ci_high, abs=0.05 * (welch.ci_high - welch.ci_low))
    d = x[:300] - y
    ref = st.paired_t_test(d)
    lo, hi = st.bootstrap_t_mean(d, n_boot=4000, seed=1)
    assert (lo, hi) == pytest.approx((ref.ci_low, ref.ci_high), abs=0.05 * (ref.ci_high - ref.ci_low))


def test_bootstrap_t_coverage_with_a_skewed_group() -> None:
    # a log-normal group against a normal one, n = 15 each: where the t interval under-covers
    rng = np.random.default_rng(13)
    reps, covered = 300, 0
    for i in range(reps):
        x = rng.lognormal(0, 0.8, 15)
        y = rng.normal(np.exp(0.32) - 0.3, 0.3, 15)
        lo, hi = st.bootstrap_t_mean_difference(x, y, n_boot=500, seed=i)
        covered += lo <= 0.3 <= hi
    assert 0.88 <= covered / reps <= 0.99


def test_cluster_bootstrap_is_wider_than_naive_for_correlated_strides() -> None:
    rng = np.random.default_rng(6)
    rows = []
    for cond in ("fw", "bw"):
        for rec in range(6):
            offset = rng.normal(0, 0.1)  # recording-level shift: strides within a recording correlate
            for v in 1.0 + offset + rng.normal(0, 0.02, 30):
                rows.append({"condition": cond, "file": f"{cond}{rec}", "stride_time_s": v})
    df = pd.DataFrame(rows)
    df["start_s"] = np.arange(len(df), dtype=float)
    df["end_s"] = df["start_s"] + 1
    strides = schema.conform(df, schema.STRIDES_COLUMNS)
    clustered = row_of(compare(strides, by="condition", reference="fw", parameters=["stride_time_s"],
                               level="stride"), "stride_time_s")
    naive = row_of(compare(strides, by="condition", reference="fw", parameters=["stride_time_s"], cluster=None),
                   "stride_time_s")
    assert clustered["test"] == "cluster_bootstrap"
    assert "file" in clustered["note"]
    assert (clustered["ci_high"] - clustered["ci_low"]) > 2 * (naive["ci_high"] - naive["ci_low"])
    swapped = row_of(compare(strides, by="condition", reference="bw", parameters=["stride_time_s"],
                             level="stride"), "stride_time_s")
    assert (swapped["ci_low"], swapped["ci_high"]) == pytest.approx((-clustered["ci_high"], -clustered["ci_low"]))
    assert swapped["p"] == pytest.approx(clustered["p"])
    per_rec = row_of(compare(strides, by="condition", reference="fw", parameters=["stride_time_s"],
                             level="recording"), "stride_time_s")
    assert per_rec["n_group"] == 6 and per_rec["unit"] == "file mean"
    assert per_rec["n_strides_group"] == 180
    means = strides.groupby("file")["stride_time_s"].mean()
    bw, fw = means[[f"bw{i}" for i in range(6)]].to_numpy(), means[[f"fw{i}" for i in range(6)]].to_numpy()
    assert per_rec["p"] == pytest.approx(sps.ttest_ind(bw, fw, equal_var=False).pvalue)
    # the default for several recordings per group is the recording means
    auto = row_of(compare(strides, by="condition", reference="fw", parameters=["stride_time_s"]), "stride_time_s")
    assert auto["unit"] == "file mean" and auto["p"] == pytest.approx(per_rec["p"])


def test_paired_by_subject_averages_first() -> None:
    rows = []
    shifts = [-0.10, -0.12, -0.08, -0.11, -0.09]
    for s, shift in enumerate(shifts):
        for cond, base in (("forward", 1.0 + 0.05 * s), ("backward", 1.0 + 0.05 * s + shift)):
            for k in range(4):
                rows.append({"subject": f"s{s}", "condition": cond, "stride_time_s": base + 0.01 * (k - 1.5)})
    df = pd.DataFrame(rows)
    df["start_s"] = np.arange(len(df), dtype=float)
    df["end_s"] = df["start_s"] + 1
    strides = schema.conform(df, schema.STRIDES_COLUMNS)
    r = row_of(compare(strides, by="condition", paired_by="subject", parameters=["stride_time_s"]),
               "stride_time_s")
    d = np.array(shifts)
    assert r["reference"] == "forward"
    assert r["n_group"] == 5 and r["unit"] == "subject (paired)"
    assert r["difference"] == pytest.approx(d.mean())
    assert r["test"] == "paired_t"
    assert r["p"] == pytest.approx(sps.ttest_1samp(d, 0).pvalue)
    assert r["effect_size"] == pytest.approx(st.paired_gz(d))
    assert r["ci_high"] < 0


def test_paired_drops_unmatched_subject_with_warning() -> None:
    df = pd.DataFrame({
        "subject": ["a", "a", "b", "b", "c", "c", "d"],
        "condition": ["x", "y", "x", "y", "x", "y", "x"],
        "stride_time_s": [1.0, 1.1, 1.2, 1.25, 0.9, 1.05, 2.0],
    })
    with pytest.warns(RetrogaitWarning, match=r"subject \['d'\] not present in both"):
        cmp = compare(df.assign(n_strides=1), by="condition", paired_by="subject", parameters=["stride_time_s"])
    assert row_of(cmp, "stride_time_s")["n_group"] == 3


def test_too_few_strides_warns_and_gives_nan() -> None:
    data = make_strides({"forward": np.array([1.0, 1.1, 1.05, 1.2]), "backward": np.array([0.9, 0.95])})
    with pytest.warns(RetrogaitWarning, match=r"too few strides to compare 'backward' \(n=2\)"):
        cmp = compare(data, by="direction", parameters=["stride_time_s"])
    r = row_of(cmp, "stride_time_s")
    assert np.isnan(r["p"]) and np.isnan(r["ci_low"]) and np.isnan(r["effect_size"])
    assert r["difference"] == pytest.approx(0.925 - 1.0875)
    assert "too few" in r["note"]


def test_share_of_toe_first_uses_proportions() -> None:
    fw = ["heel_first"] * 18 + ["toe_first"] * 2
    bw = ["toe_first"] * 15 + ["flat"] * 3 + ["unknown"] * 2
    df = pd.DataFrame({"direction": ["forward"] * 20 + ["backward"] * 20, "contact_type": fw + bw})
    df["start_s"] = np.arange(40, dtype=float)
    df["end_s"] = df["start_s"] + 1
    strides = schema.conform(df, schema.STRIDES_COLUMNS)
    r = row_of(compare(strides, by="direction", parameters=["toe_first_pct"]), "toe_first_pct")
    assert r["n_group"] == 18  # unknown contact types are left out
    assert r["mean_group"] == pytest.approx(100 * 15 / 18)
    assert r["difference"] == pytest.approx(100 * (15 / 18 - 2 / 20))
    assert r["test"] == "fisher_exact" and r["effect_size_type"] == "cohens_h"
    assert r["ci_low"] > 0


def test_skewed_small_sample_uses_rank_test_and_bootstrap() -> None:
    rng = np.random.default_rng(8)
    data = make_strides({"forward": rng.lognormal(0, 1.0, 12), "backward": rng.lognormal(0.3, 1.0, 12)})
    r = row_of(compare(data, by="direction", parameters=["stride_time_s"]), "stride_time_s")
    assert r["test"] == "mann_whitney"
    assert r["ci_method"] == "bootstrap_t"
    again = row_of(compare(data, by="direction", parameters=["stride_time_s"]), "stride_time_s")
    assert again["ci_low"] == r["ci_low"]  # seeded
    swapped = row_of(compare(data, by="direction", reference="backward", parameters=["stride_time_s"]),
                     "stride_time_s")
    assert (swapped["ci_low"], swapped["ci_high"]) == pytest.approx((-r["ci_high"], -r["ci_low"]))


def test_compare_accepts_results_and_dict() -> None:
    rng = np.random.default_rng(9)
    res_fw = SimpleNamespace(strides=make_strides({"forward": rng.normal(1.1, 0.05, 20)}), summary=None,
                             meta={"condition": "fw", "source_file": "a.csv"})
    res_bw = SimpleNamespace(strides=make_strides({"backward": rng.normal(1.0, 0.05, 20)}), summary=None,
                             meta={"condition": "bw", "source_file": "b.csv"})
    cmp = compare([res_fw, res_bw], by="condition", reference="fw", parameters=["stride_time_s"])
    assert row_of(cmp, "stride_time_s")["group"] == "bw"
    cmp2 = compare({"fw": res_fw.strides, "bw": res_bw.strides}, by="trial", reference="fw",
                   parameters=["stride_time_s"])
    assert row_of(cmp2, "stride_time_s")["difference"] == pytest.approx(
        row_of(cmp, "stride_time_s")["difference"])


def test_summary_table_uses_mean_columns_and_holm() -> None:
    rng = np.random.default_rng(10)
    summary = pd.DataFrame({
        "condition": ["fw"] * 8 + ["bw"] * 8,
        "n_strides": 20,
        "cadence_spm_mean": np.r_[rng.normal(110, 4, 8), rng.normal(125, 4, 8)],
        "stride_time_s_mean": np.r_[rng.normal(1.1, 0.03, 8), rng.normal(0.96, 0.03, 8)],
        "stance_pct_mean": np.r_[rng.normal(60, 1, 8), rng.normal(60, 1, 8)],
    })
    cmp = compare(summary, by="condition", reference="fw")
    assert set(cmp["parameter"]) == {"cadence_spm", "stride_time_s", "stance_pct"}
    assert (cmp["unit"] == "summary row").all()
    expected = st.adjust_pvalues(cmp["p"].to_numpy(), method="holm")
    assert cmp["p_adj"].to_numpy() == pytest.approx(expected)
    assert (cmp["p_adj"] >= cmp["p"]).all()


def test_compare_does_not_mutate_input() -> None:
    data = make_strides({"forward": np.arange(5.0) + 1, "backward": np.arange(5.0) + 2})
    before = data.copy()
    compare(data, by="direction", parameters=["stride_time_s"])
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": "condition"}, "by: column 'condition' not found"),
        ({"by": "direction", "reference": "sideways"}, "reference: 'sideways' is not a level"),
        ({"by": "direction", "parameters": ["bogus_s"]}, "parameters: column 'bogus_s' not found"),
        ({"by": "direction", "level": "trial"}, "level: expected"),
        ({"by": "direction", "test": "magic"}, "test: expected"),
        ({"by": "direction", "paired_by": "subject"}, "paired_by: column 'subject' not found"),
    ],
)
def test_compare_errors(kwargs: dict, match: str) -> None:
    data = make_strides({"forward": np.arange(5.0) + 1, "backward": np.arange(5.0) + 2})
    with pytest.raises(InputError, match=match):
        compare(data, **kwargs)


def test_single_level_is_an_error() -> None:
    with pytest.raises(InputError, match=r"need at least two levels to compare, found \['forward'\]"):
        compare(make_strides({"forward": np.arange(5.0) + 1}), by="direction")


@settings(max_examples=30, deadline=None)
@given(
    hst.lists(hst.floats(0.5, 2.0), min_size=3, max_size=15),
    hst.lists(hst.floats(0.5, 2.0), min_size=3, max_size=15),
)
def test_property_antisymmetry(a: list[float], b: list[float]) -> None:
    data = make_strides({"forward": np.array(a), "backward": np.array(b)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = row_of(compare(data, by="direction", parameters=["stride_time_s"], n_boot=200), "stride_time_s")
        two = row_of(compare(data, by="direction", reference="backward", parameters=["stride_time_s"], n_boot=200),
                     "stride_time_s")
    assert two["difference"] == pytest.approx(-one["difference"], abs=1e-12)
    if np.isfinite(one["p"]):
        assert two["p"] == pytest.approx(one["p"], abs=1e-9)
    if np.isfinite(one["effect_size"]):
        assert two["effect_size"] == pytest.approx(-one["effect_size"], abs=1e-9)
    if np.isfinite(one["ci_low"]):
        assert (two["ci_low"], two["ci_high"]) == pytest.approx((-one["ci_high"], -one["ci_low"]), abs=1e-9)


def test_paired_compare_ci_coverage_near_nominal() -> None:
    rng = np.random.default_rng(11)
    reps, covered = 200, 0
    subjects = [f"s{i}" for i in range(10)]
    for _ in range(reps):
        base = rng.normal(1.0, 0.08, 10)
        diff = -0.04 + rng.normal(0, 0.03, 10)
        df = pd.DataFrame({
            "subject": subjects * 2,
            "condition": ["fw"] * 10 + ["bw"] * 10,
            "stride_time_s_mean": np.r_[base, base + diff],
            "n_strides": 20,
        })
        r = compare(df, by="condition", reference="fw", paired_by="subject",
                    parameters=["stride_time_s"]).iloc[0]
        covered += r["ci_low"] <= -0.04 <= r["ci_high"]
    assert 0.90 <= covered / reps <= 0.99


def test_parameter_absent_in_one_group_is_noted_not_warned() -> None:
    data = make_strides({"forward": np.arange(6.0) + 1, "backward": np.arange(6.0) + 2})
    data["step_time_s"] = np.where(data["direction"] == "forward", 0.5, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cmp = compare(data, by="direction")
    r = row_of(cmp, "step_time_s")
    assert r["n_group"] == 0 and np.isnan(r["p"])
    assert "no step_time_s values in 'backward'" in r["note"]
    with pytest.warns(RetrogaitWarning, match="too few strides"):
        compare(data, by="direction", parameters=["step_time_s"])


def test_comparison_records_gait_and_placements() -> None:
    data = make_strides({"forward": np.arange(6.0) + 1, "backward": np.arange(6.0) + 2}, gait="run",
                        sensor="shank_left")
    cmp = compare(data, by="direction", parameters=["stride_time_s"])
    assert (cmp["gait"] == "run").all()
    assert (cmp["placements"] == "shank").all()


def test_no_percent_difference_for_angles_and_shares() -> None:
    data = make_strides({"forward": np.array([10.0, 12, 14, 11]), "backward": np.array([-5.0, -3, -4, -6])},
                        column="strike_angle_deg")
    r = row_of(compare(data, by="direction", parameters=["strike_angle_deg"]), "strike_angle_deg")
    assert r["difference"] == pytest.approx(-4.5 - 11.75)
    assert np.isnan(r["difference_pct"])


@settings(max_examples=50, deadline=None)
@given(hst.lists(hst.floats(0.0, 1.0), min_size=1, max_size=12))
def test_property_holm_bounds_and_order(p: list[float]) -> None:
    raw = np.array(p)
    adj = st.adjust_pvalues(raw, method="holm")
    assert np.all(adj >= raw - 1e-15) and np.all(adj <= 1.0)
    assert np.all(adj <= np.minimum(1.0, raw * raw.size) + 1e-12)  # never above Bonferroni
    order = np.argsort(raw, kind="stable")
    assert np.all(np.diff(adj[order]) >= -1e-15)  # same order as the raw p-values


@settings(max_examples=50, deadline=None)
@given(
    hst.lists(hst.floats(-5, 5), min_size=3, max_size=12),
    hst.lists(hst.floats(-5, 5), min_size=3, max_size=12),
    hst.floats(0.1, 100.0),
    hst.floats(-50.0, 50.0),
)
def test_property_hedges_g_invariant_to_units(a: list[float], b: list[float], scale: float, shift: float) -> None:
    x, y = np.array(a), np.array(b)
    g = st.hedges_g(x, y)
    if np.isfinite(g) and min(np.std(x), np.std(y)) > 1e-3:  # away from float cancellation
        assert st.hedges_g(x * scale + shift, y * scale + shift) == pytest.approx(g, rel=1e-6, abs=1e-9)


def test_recordings_with_both_levels_suggest_pairing() -> None:
    rows = []
    for rec in range(4):
        for direction, base in (("forward", 1.1), ("backward", 1.0)):
            rows += [{"file": f"r{rec}", "direction": direction, "stride_time_s": base + 0.01 * k + 0.05 * rec}
                     for k in range(5)]
    df = pd.DataFrame(rows)
    df["start_s"] = np.arange(len(df), dtype=float)
    df["end_s"] = df["start_s"] + 1
    strides = schema.conform(df, schema.STRIDES_COLUMNS)
    unpaired = row_of(compare(strides, by="direction", parameters=["stride_time_s"]), "stride_time_s")
    assert unpaired["unit"] == "file mean" and "paired_by='file'" in unpaired["note"]
    paired = row_of(compare(strides, by="direction", parameters=["stride_time_s"], paired_by="file"),
                    "stride_time_s")
    assert paired["difference"] == pytest.approx(-0.1)
    assert paired["ci_high"] - paired["ci_low"] < unpaired["ci_high"] - unpaired["ci_low"]


def test_summary_gait_from_majority_column() -> None:
    summary = pd.DataFrame({"condition": ["fw"] * 4 + ["bw"] * 4, "n_strides": 10, "gait_majority": "run",
                            "cadence_spm_mean": [160.0, 162, 158, 161, 170, 172, 169, 171]})
    assert (compare(summary, by="condition", reference="fw")["gait"] == "run").all()
