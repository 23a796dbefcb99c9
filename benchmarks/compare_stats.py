"""How well ``compare()`` keeps its promises: CI coverage and false-positive rate on
simulated data with a known difference, and the claims check on real backward walking.

    python benchmarks/compare_stats.py [--reps 1000] [--uci]

Coverage part: each scenario draws data with a known true difference, runs
``compare()`` and counts how often the 95 % CI contains the truth and how often
p < 0.05 (under a true difference of 0 that is the false-positive rate; 0.05 is nominal).
The binomial standard error of a coverage near 0.95 is about √(0.95·0.05/reps).

UCI part (``--uci``; needs ``../shared/data/uci_zupt_foot_imu_backward``, CC BY-NC-ND,
read at run time only): all 7 trials of subject II analysed, walking strides compared
backward vs forward by the pipeline's own direction label, paired by trial, and the
claims for backward walking checked.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from retrogait import schema  # noqa: E402
from retrogait.compare import check_claims, compare  # noqa: E402


def _table(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["start_s"] = np.arange(len(df), dtype=float)
    df["end_s"] = df["start_s"] + 1.0
    return schema.conform(df, schema.STRIDES_COLUMNS)


def iid(rng: np.random.Generator, diff: float) -> pd.DataFrame:
    """One recording: 20 forward strides (SD 0.05 s) and 20 backward strides (SD 0.08 s)."""
    return _table([{"direction": "forward", "stride_time_s": v} for v in rng.normal(1.1, 0.05, 20)]
                  + [{"direction": "backward", "stride_time_s": v} for v in rng.normal(1.1 + diff, 0.08, 20)])


def skewed(rng: np.random.Generator, diff: float) -> pd.DataFrame:
    """15 vs 15 log-normal values (skewness about 3.7), shifted by ``diff``."""
    return _table([{"direction": "forward", "stride_time_s": v} for v in rng.lognormal(0, 0.8, 15)]
                  + [{"direction": "backward", "stride_time_s": v} for v in rng.lognormal(0, 0.8, 15) + diff])


def skewed_vs_normal(rng: np.random.Generator, diff: float) -> pd.DataFrame:
    """15 log-normal forward values against 15 normal backward values, mean shifted by ``diff``."""
    fw = rng.lognormal(0, 0.8, 15)
    bw = rng.normal(np.exp(0.32) + diff, 0.3, 15)
    return _table([{"direction": "forward", "stride_time_s": v} for v in fw]
                  + [{"direction": "backward", "stride_time_s": v} for v in bw])


def clustered(k: int) -> Callable[[np.random.Generator, float], pd.DataFrame]:
    """k recordings per condition, 30 strides each; recording SD 0.06 s, stride SD 0.02 s."""
    def make(rng: np.random.Generator, diff: float) -> pd.DataFrame:
        rows = []
        for cond, shift in (("forward", 0.0), ("backward", diff)):
            for rec in range(k):
                offset = rng.normal(0, 0.06)
                rows += [{"condition": cond, "file": f"{cond}{rec}", "stride_time_s": 1.0 + shift + offset + e}
                         for e in rng.normal(0, 0.02, 30)]
        return _table(rows)
    return make


def paired(rng: np.random.Generator, diff: float) -> pd.DataFrame:
    """12 subjects, 20 strides per condition; subject SD 0.08 s, difference SD 0.02 s."""
    rows = []
    for s in range(12):
        base = 1.0 + rng.normal(0, 0.08)
        d = diff + rng.normal(0, 0.02)
        rows += [{"subject": f"s{s}", "condition": "forward", "stride_time_s": base + e}
                 for e in rng.normal(0, 0.02, 20)]
        rows += [{"subject": f"s{s}", "condition": "backward", "stride_time_s": base + d + e}
                 for e in rng.normal(0, 0.02, 20)]
    return _table(rows)


SCENARIOS: list[tuple[str, Callable, float, dict]] = [
    ("one recording, iid strides 20/20 (Welch)", iid, -0.05, {"by": "direction"}),
    ("one recording, iid strides, no difference", iid, 0.0, {"by": "direction"}),
    ("log-normal 15/15 (auto: Mann-Whitney + bootstrap-t)", skewed, 0.3, {"by": "direction"}),
    ("log-normal 15/15, test=parametric (Welch)", skewed, 0.3, {"by": "direction", "test": "parametric"}),
    ("log-normal vs normal 15/15 (auto: bootstrap-t)", skewed_vs_normal, -0.3, {"by": "direction"}),
    ("log-normal vs normal 15/15, test=parametric (Welch)", skewed_vs_normal, -0.3,
     {"by": "direction", "test": "parametric"}),
    ("4 recordings per group, auto (recording means)", clustered(4), 0.0, {"by": "condition"}),
    ("8 recordings per group, auto (recording means)", clustered(8), 0.0, {"by": "condition"}),
    ("8 recordings per group, level=stride (cluster bootstrap)", clustered(8), 0.0,
     {"by": "condition", "level": "stride"}),
    ("20 recordings per group, level=stride (cluster bootstrap)", clustered(20), 0.0,
     {"by": "condition", "level": "stride"}),
    ("8 recordings per group, strides as independent (cluster=None)", clustered(8), 0.0,
     {"by": "condition", "cluster": None}),
    ("12 subjects, paired_by=subject (paired t)", paired, -0.04, {"by": "condition", "paired_by": "subject"}),
]


def coverage(reps: int) -> pd.DataFrame:
    rows = []
    for name, make, truth, options in SCENARIOS:
        t0 = time.perf_counter()
        covered = rejected = 0
        widths = []
        tests = set()
        for i in range(reps):
            rng = np.random.default_rng(10_000 + i)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = compare(make(rng, truth), parameters=["stride_time_s"], reference="forward", seed=i,
                            n_boot=1000, **options).iloc[0]
            covered += r["ci_low"] <= truth <= r["ci_high"]
            rejected += r["p"] < 0.05
            widths.append(r["ci_high"] - r["ci_low"])
            tests.add(str(r["test"]))
        rows.append({"scenario": name, "true difference": truth, "CI coverage": covered / reps,
                     "p < 0.05": rejected / reps, "mean CI width": float(np.mean(widths)),
                     "tests used": ", ".join(sorted(tests)), "s": round(time.perf_counter() - t0, 1)})
    return pd.DataFrame(rows)


def uci() -> tuple[pd.DataFrame, pd.DataFrame]:
    import retrogait as rg

    from benchmarks.datasets_foot import UCI_TRIALS, dataset_available, load_uci

    if not dataset_available("uci_zupt_foot_imu_backward"):
        raise SystemExit("uci_zupt_foot_imu_backward not found in the shared data")
    tables = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for trial in UCI_TRIALS:
            rec = next(iter(load_uci(trial).recordings.values()))
            tables.append(rg.analyze(rec).strides.assign(trial=f"exp{trial}"))
        walking = pd.concat(tables, ignore_index=True)
        walking = walking[walking["gait"] == "walk"]
        cmp = compare(walking, by="direction", reference="forward", paired_by="trial")
        claims = check_claims(cmp, gait="walk", placement="foot")
    cmp = cmp[cmp["group"] == "backward"]
    return cmp, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=1000, help="repetitions per scenario (default: 1000)")
    parser.add_argument("--uci", action="store_true", help="also run the real-data part (UCI backward walking)")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    print(coverage(args.reps).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.uci:
        cmp, claims = uci()
        cols = ["parameter", "n_group", "mean_group", "mean_reference", "difference", "ci_low", "ci_high",
                "effect_size", "p_adj"]
        print("\nUCI subject II, 7 trials, walking strides, backward vs forward, paired by trial")
        print(cmp[cols].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        print(claims[["claim", "difference", "ci_low", "ci_high", "verdict"]].to_string(
            index=False, float_format=lambda v: f"{v:.3g}"))


if __name__ == "__main__":
    main()
