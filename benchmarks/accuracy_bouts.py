"""Bouts of a mixed training session: labels and boundaries vs the UCI course segments.

    python benchmarks/accuracy_bouts.py

UCI subject II walked, jogged/ran, walked backward and side-stepped in one recording per
trial (left foot, 800 Hz).  The course segments come from the dataset authors' SVM
labels (see benchmarks/datasets_foot.py); they are the reference for each stride's
direction and gait and for where one activity changes to the next.  Each whole trial
is analysed with default parameters (no toe axis given).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import retrogait as rg  # noqa: E402

from benchmarks.datasets_foot import UCI_TRIALS, dataset_available, load_uci  # noqa: E402

#: Expected stride labels per course segment.  Side steps may be walked or hopped (with
#: flight), so their gait is not scored.
EXPECTED = {
    "walk": ("forward", "walk"),
    "run": ("forward", "run"),
    "backward": ("backward", "walk"),
    "sideways": ("sideways", None),
}
BOUNDARY_TOLERANCE_S = 2.0


def _segment_of(times: np.ndarray, windows: pd.DataFrame) -> np.ndarray:
    labels = np.full(times.size, "none", dtype=object)
    for w in windows.itertuples():
        labels[(times >= w.start_s) & (times < w.end_s)] = w.label
    return labels


def trial_rows(trial: int) -> tuple[dict, list[dict]]:
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
    return row, boundary_rows


def tables() -> list[tuple[str, pd.DataFrame]]:
    if not dataset_available("uci_zupt_foot_imu_backward"):
        return [("Bouts of a mixed session (uci)", pd.DataFrame({"note": ["../shared/data/uci_zupt_foot_imu_backward absent"]}))]
    rows, edges = [], []
    for trial in UCI_TRIALS:
        row, boundary_rows = trial_rows(trial)
        rows.append(row)
        edges.extend(boundary_rows)
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
    ]


if __name__ == "__main__":
    from benchmarks.accuracy import to_markdown

    for title, table in tables():
        print(f"### {title}\n\n{to_markdown(table)}\n")
