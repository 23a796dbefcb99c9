"""Bouts of a mixed training session: labels and boundaries vs the UCI course segments.

    python benchmarks/accuracy_bouts.py

UCI subject II walked, jogged/ran, walked backward and side-stepped in one recording per
trial (left foot, 800 Hz).  The course segments come from the dataset authors' SVM
labels (see benchmarks/datasets_foot.py); they are the reference for each stride's
direction and gait and for where one activity changes to the next.  Each whole trial
is analysed with default parameters (no toe axis given).

The course's "run" segment begins with a short jog (7.62 m) that the authors' SVM labels
as its own classes (``jogg_120``: 3 and 12).  The last table splits it off at the SVM's
jog->run change and shows the jog strides' stance share, cadence, speed and strike angle
next to the bout edges, so that a walk->run edge found late can be told apart from a jog
that was walked (stance above 50 %: double support, no flight).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import retrogait as rg  # noqa: E402

from benchmarks._data import shared_data_dir  # noqa: E402
from benchmarks.datasets_foot import UCI_RATE_HZ, UCI_TRIALS, dataset_available, load_uci  # noqa: E402

#: Expected stride labels per course segment.  Side steps may be walked or hopped (with
#: flight), so their gait is not scored.
EXPECTED = {
    "walk": ("forward", "walk"),
    "run": ("forward", "run"),
    "backward": ("backward", "walk"),
    "sideways": ("sideways", None),
}
BOUNDARY_TOLERANCE_S = 2.0
#: SVM classes of the authors (SOURCE.md): jogging (ZUPT_jogg_120, jogg_120) and running or
#: sprinting (ZUPT_run_150, ZUPT_sprint_180, run_150, sprint_180).
SVM_JOG = (3, 12)
SVM_RUN_SPRINT = (4, 5, 13, 14)
#: Prediction row i belongs to sample i + 350 of the recording (SOURCE.md; as load_uci).
SVM_OFFSET_SAMPLES = 350
#: Window of the label fractions, as benchmarks.datasets_foot._uci_segments uses (s).
SVM_WINDOW_S = 2.0


def _segment_of(times: np.ndarray, windows: pd.DataFrame) -> np.ndarray:
    labels = np.full(times.size, "none", dtype=object)
    for w in windows.itertuples():
        labels[(times >= w.start_s) & (times < w.end_s)] = w.label
    return labels


def _jog_to_run_s(trial: int, run_start_s: float, run_end_s: float) -> float:
    """Time (s) at which the SVM's run/sprint labels outnumber its jog labels, after a jog.

    Within the course's run segment, 2-s fractions of the jog and of the run/sprint
    classes are compared; the change is the first sample after the first jog-dominated
    one where run/sprint dominates.  NaN without labels or without a jog.
    """
    label_file = (shared_data_dir() / "uci_zupt_foot_imu_backward" / "svm_predicted_labels" / "2023_08_23"
                  / f"exp{trial}_Y_predicted.csv")
    if not label_file.exists():
        return float("nan")
    pred = pd.read_csv(label_file)["predicted_l"].to_numpy()
    lo = round(run_start_s * UCI_RATE_HZ) - SVM_OFFSET_SAMPLES
    hi = round(run_end_s * UCI_RATE_HZ) - SVM_OFFSET_SAMPLES
    part = pred[max(lo, 0): max(hi, 0)]
    if part.size == 0:
        return float("nan")
    kernel = np.ones(round(SVM_WINDOW_S * UCI_RATE_HZ)) / round(SVM_WINDOW_S * UCI_RATE_HZ)
    jog = np.convolve(np.isin(part, SVM_JOG).astype(float), kernel, mode="same")
    run = np.convolve(np.isin(part, SVM_RUN_SPRINT).astype(float), kernel, mode="same")
    jog_first = np.flatnonzero(jog > run)
    if jog_first.size == 0:
        return float("nan")
    after = np.flatnonzero(run[jog_first[0]:] > jog[jog_first[0]:])
    if after.size == 0:
        return float("nan")
    return (max(lo, 0) + jog_first[0] + after[0] + SVM_OFFSET_SAMPLES) / UCI_RATE_HZ


def _jog_row(trial: int, st: pd.DataFrame, seg: np.ndarray, windows: pd.DataFrame,
             bout_edges: np.ndarray) -> dict:
    """The jog at the start of the run segment: its strides and the bout edges around it."""
    run = windows[windows["label"] == "run"]
    row: dict = {"trial": trial}
    if run.empty:
        return row
    walk_to_run_s, run_end_s = float(run["start_s"].iloc[0]), float(run["end_s"].iloc[0])
    jog_to_run_s = _jog_to_run_s(trial, walk_to_run_s, run_end_s)
    mid = 0.5 * (st["start_s"] + st["end_s"]).to_numpy()
    jog = (seg == "run") & (mid < jog_to_run_s)
    after = (seg == "run") & (mid >= jog_to_run_s)

    def nearest(t: float) -> float:
        return float(bout_edges[np.argmin(np.abs(bout_edges - t))] - t) if bout_edges.size else np.nan

    row.update({
        "svm_walk_to_jog_s": walk_to_run_s,
        "svm_jog_to_run_s": jog_to_run_s,
        "edge_minus_walk_to_jog_s": nearest(walk_to_run_s),
        "edge_minus_jog_to_run_s": nearest(jog_to_run_s) if np.isfinite(jog_to_run_s) else np.nan,
        "jog_n": int(jog.sum()),
        "jog_walk_pct": 100 * float((st["gait"].to_numpy()[jog] == "walk").mean()) if jog.any() else np.nan,
    })
    for column, name in (("stance_pct", "stance_pct"), ("cadence_spm", "cadence_spm"),
                         ("speed_mps", "speed_mps"), ("strike_angle_deg", "strike_angle_deg")):
        row[f"jog_{name}_median"] = float(st.loc[jog, column].median()) if jog.any() else np.nan
    row["run_sprint_n"] = int(after.sum())
    row["run_sprint_stance_pct_median"] = float(st.loc[after, "stance_pct"].median()) if after.any() else np.nan
    row["run_sprint_gait_ok_pct"] = 100 * float((st["gait"].to_numpy()[after] == "run").mean()) \
        if after.any() else np.nan
    return row


def trial_rows(trial: int) -> tuple[dict, list[dict], dict]:
    ds = load_uci(trial)
    rec = next(iter(ds.recordings.values()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rg.analyze(rec)
    st = res.strides
    mid = 0.5 * (st["start_s"] + st["end_s"]).to_numpy()
    seg = _segment_of(mid, ds.windows)
    row: dict = {"trial": trial, "strides": len(st)}
    for segment, (direction, gait) in EXPECTED.items():
        inside = seg == segment
        row[f"{segment}_n"] = int(inside.sum())
        row[f"{segment}_direction_ok_pct"] = 100 * float((st["direction"].to_numpy()[inside] == direction).mean()) \
            if inside.any() else np.nan
        if gait is not None:
            row[f"{segment}_gait_ok_pct"] = 100 * float((st["gait"].to_numpy()[inside] == gait).mean()) \
                if inside.any() else np.nan
    # boundaries: every change of course segment vs the nearest bout start/end
    w = ds.windows.reset_index(drop=True)
    true_edges = [float(w.loc[i, "end_s"]) for i in range(len(w) - 1)]
    bout_edges = np.unique(np.concatenate([res.bouts["start_s"], res.bouts["end_s"]])) \
        if len(res.bouts) else np.array([])
    boundary_rows = []
    for i, edge in enumerate(true_edges):
        change = f"{w.loc[i, 'label']}->{w.loc[i + 1, 'label']}"
        err = float(np.min(np.abs(bout_edges - edge))) if bout_edges.size else np.nan
        boundary_rows.append({"trial": trial, "change": change, "reference_s": edge, "nearest_bout_edge_error_s": err,
                              "within_2s": bool(err <= BOUNDARY_TOLERANCE_S)})
    row["bouts"] = len(res.bouts)
    row["bout_labels"] = " | ".join(f"{b.gait}/{b.direction}" for b in res.bouts.itertuples())
    return row, boundary_rows, _jog_row(trial, st, seg, ds.windows, bout_edges)


def tables() -> list[tuple[str, pd.DataFrame]]:
    if not dataset_available("uci_zupt_foot_imu_backward"):
        return [("Bouts of a mixed session (uci)", pd.DataFrame({"note": ["../shared/data/uci_zupt_foot_imu_backward absent"]}))]
    rows, edges, jogs = [], [], []
    for trial in UCI_TRIALS:
        row, boundary_rows, jog_row = trial_rows(trial)
        rows.append(row)
        edges.extend(boundary_rows)
        jogs.append(jog_row)
    per_trial = pd.DataFrame(rows)
    edge_table = pd.DataFrame(edges)
    labelled = [c for c in per_trial.columns if c.endswith("_direction_ok_pct")]
    n_cols = [c.replace("_direction_ok_pct", "_n") for c in labelled]
    total_n = per_trial[n_cols].to_numpy().sum()
    ok = sum((per_trial[c] / 100 * per_trial[n]).sum() for c, n in zip(labelled, n_cols, strict=True))
    pooled = pd.DataFrame([{
        "strides_in_segments": int(total_n),
        "direction_ok_pct": 100 * ok / total_n if total_n else np.nan,
        "boundaries": len(edge_table),
        "boundaries_within_2s_pct": 100 * edge_table["within_2s"].mean() if len(edge_table) else np.nan,
        "median_boundary_error_s": edge_table["nearest_bout_edge_error_s"].median() if len(edge_table) else np.nan,
    }])
    return [
        ("Bouts of a mixed session: stride labels per course segment (uci subject II, whole trials)", per_trial),
        ("Bouts of a mixed session: bout edges vs changes of activity (uci subject II)", edge_table),
        ("Bouts of a mixed session: pooled", pooled),
        ("Bouts of a mixed session: the jog between walk and run (SVM jog classes; edges signed, bout edge - "
         "change)", pd.DataFrame(jogs)),
    ]


if __name__ == "__main__":
    from benchmarks.accuracy import to_markdown

    for title, table in tables():
        print(f"### {title}\n\n{to_markdown(table)}\n")
