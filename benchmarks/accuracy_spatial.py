"""Accuracy of stride length and direction (retrogait.spatial) on the shared reference data.

    python benchmarks/accuracy_spatial.py

Tables
------
1. gaitmap example: stride length vs motion capture (heel-marker displacement between
   mid-stances), foot trajectories from the mocap ic/tc events, both dedrift methods.
2. gdin experiments 31-38: per-stride stride length vs floor-measured footprints
   (retrogait's own foot events; each detected stride matched to the reference stride
   whose zero-velocity end lies nearest its final contact).
3. mobgap (lower back): inverted pendulum vs INDIP stride length, with the INDIP initial
   contacts and body height from the trial's meta.
4. uci subject II: summed stride lengths of the backward segment (15.24 m) and of all
   forward strides (59.13 m), and the share of strides with the right direction inside
   the course segments (segments from the authors' SVM labels shrunk by 1 s at each end;
   strides turning more than 45 deg are transitions and not counted).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrogait.events.foot import detect_foot_events  # noqa: E402
from retrogait.pipeline import Params  # noqa: E402
from retrogait.spatial import add_spatial  # noqa: E402
from retrogait.spatial.zupt import foot_trajectories  # noqa: E402
from retrogait.strides import strides_from_events  # noqa: E402

from benchmarks import datasets_foot as dfoot  # noqa: E402
from benchmarks import datasets_trunk as dtrunk  # noqa: E402

UCI_FORWARD_M = 13.41 + 7.62 + 7.62 + 15.24 + 15.24
UCI_BACKWARD_M = 15.24


def gaitmap_table() -> pd.DataFrame:
    rows = []
    ds = dfoot.load_gaitmap(rotated=False)
    for name, rec in ds.recordings.items():
        ref = ds.strides[ds.strides["sensor"] == name]
        ev = ds.events[ds.events["sensor"] == name]
        ics = np.sort(ev.loc[ev["event"] == "ic", "sample"].to_numpy())
        # the reference stride (mid-stance to mid-stance) holds the swing that ends at its ic;
        # retrogait's stride (ic to ic) ending at that ic holds the same swing
        prev_ic = np.array([ics[ics < i].max() if (ics < i).any() else -1 for i in ref["ic_sample"]])
        keep = prev_ic >= 0
        strides = pd.DataFrame({"start_sample": prev_ic[keep], "end_sample": ref["ic_sample"].to_numpy()[keep],
                                "fc_s": np.nan, "side": rec.side})
        truth = ref["stride_length_m"].to_numpy()[keep]
        for dedrift in ("impact", "linear"):
            tr = foot_trajectories(rec, strides, ev, dedrift=dedrift)
            err = tr.stride_length_m - truth
            rows.append({"sensor": name, "dedrift": dedrift, "n_strides": int(keep.sum()),
                         "mae_cm": 100 * np.nanmean(np.abs(err)), "bias_cm": 100 * np.nanmean(err),
                         "mape_pct": 100 * np.nanmean(np.abs(err) / truth),
                         "forward_pct": 100 * np.mean(tr.direction == "forward"),
                         "toe_agreement": tr.axes.toe_agreement if tr.axes else np.nan})
    return pd.DataFrame(rows)


def gdin_table() -> pd.DataFrame:
    rows = []
    for exp in dfoot.GDIN_EXPERIMENTS:
        ds = dfoot.load_gdin(exp)
        rec = next(iter(ds.recordings.values()))
        # one foot of unknown side: give its events a side so that strides run ic -> next ic
        ev = detect_foot_events(rec).assign(sensor=rec.name, side="left")
        strides = add_spatial(strides_from_events(ev, rec.sampling_rate_hz), rec, ev)
        ref = ds.strides.dropna(subset=["stride_length_m"])
        ref_end = ref["start_s"].to_numpy()
        errs, dirs = [], []
        for _, s in strides.iterrows():
            if not np.isfinite(s["fc_s"]):
                continue
            j = int(np.argmin(np.abs(ref_end - s["fc_s"])))
            if abs(ref_end[j] - s["fc_s"]) > 0.3:
                continue
            truth = ref["stride_length_m"].iloc[j]
            errs.append((s["stride_length_m"] - truth) / truth)
            dirs.append(s["direction"])
        errs_arr = np.array(errs)
        rows.append({"experiment": exp, "n_reference": len(ref), "n_matched": len(errs_arr),
                     "mape_pct": 100 * np.nanmean(np.abs(errs_arr)), "bias_pct": 100 * np.nanmean(errs_arr),
                     "p95_abs_pct": 100 * np.nanpercentile(np.abs(errs_arr), 95),
                     "forward_pct": 100 * np.mean(np.array(dirs) == "forward")})
    table = pd.DataFrame(rows)
    total = {"experiment": "all", "n_reference": table["n_reference"].sum(), "n_matched": table["n_matched"].sum(),
             "mape_pct": np.average(table["mape_pct"], weights=table["n_matched"]),
             "bias_pct": np.average(table["bias_pct"], weights=table["n_matched"]),
             "p95_abs_pct": np.nan, "forward_pct": np.average(table["forward_pct"], weights=table["n_matched"])}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def mobgap_table() -> pd.DataFrame:
    folder = dtrunk.shared_data_dir() / "mobgap_example" / "exported_csv"
    rows = []
    for name in dtrunk.mobgap_trial_names():
        trial = dtrunk.load_mobgap_trial(name)
        rec = trial.recording
        meta = json.loads((folder / f"{name}_meta.json").read_text())
        fs = rec.sampling_rate_hz
        ref = pd.read_csv(folder / f"{name}_ref_INDIP_stride_parameters.csv")
        ic = trial.ic
        events = pd.DataFrame({"sample": np.round(ic["time_s"] * fs).astype(np.int64), "time_s": ic["time_s"],
                               "event": "ic", "side": ic["side"], "sensor": rec.name}).sort_values("time_s")
        strides = strides_from_events(events.reset_index(drop=True), fs, max_stride_time_s=3.0)
        out = add_spatial(strides, rec, events, params=Params(body_height_m=float(meta["height_m"])))
        merged = out.merge(ref[["start", "end", "length_m"]], left_on="start_sample", right_on="start", how="inner")
        merged = merged[(merged["end"] - merged["end_sample"]).abs() <= 2]
        err = (merged["stride_length_m"] - merged["length_m"]) / merged["length_m"]
        rows.append({"trial": name, "n_strides": len(merged), "mape_pct": 100 * np.nanmean(np.abs(err)),
                     "bias_pct": 100 * np.nanmean(err), "mean_ref_m": merged["length_m"].mean(),
                     "mean_est_m": merged["stride_length_m"].mean()})
    table = pd.DataFrame(rows)
    total = {"trial": "all", "n_strides": table["n_strides"].sum(),
             "mape_pct": np.average(table["mape_pct"], weights=table["n_strides"]),
             "bias_pct": np.average(table["bias_pct"], weights=table["n_strides"]),
             "mean_ref_m": np.nan, "mean_est_m": np.nan}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def uci_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    dist_rows, dir_rows = [], []
    for trial in dfoot.UCI_TRIALS:
        ds = dfoot.load_uci(trial)
        rec = next(iter(ds.recordings.values()))
        ev = detect_foot_events(rec).assign(sensor=rec.name)
        out = add_spatial(strides_from_events(ev, rec.sampling_rate_hz), rec, ev)
        win = ds.windows
        bw = win[win["label"] == "backward"].assign(d=lambda w: w["end_s"] - w["start_s"]).sort_values("d").iloc[-1]
        near = out[(out["start_s"] > bw["start_s"] - 3.0) & (out["end_s"] < bw["end_s"] + 3.0)]
        backward_sum = near.loc[near["direction"] == "backward", "stride_length_m"].sum()
        forward_sum = out.loc[(out["direction"] == "forward") & (out["end_s"] < bw["start_s"] + 1.0),
                              "stride_length_m"].sum()
        dist_rows.append({"trial": trial, "backward_sum_m": backward_sum,
                          "backward_err_pct": 100 * (backward_sum - UCI_BACKWARD_M) / UCI_BACKWARD_M,
                          "forward_sum_m": forward_sum,
                          "forward_err_pct": 100 * (forward_sum - UCI_FORWARD_M) / UCI_FORWARD_M})
        for _, w in win.iterrows():
            if w["label"] == "standing":
                continue
            inside = out[(out["start_s"] >= w["start_s"] + 1.0) & (out["end_s"] <= w["end_s"] - 1.0)
                         & (out["turning_angle_deg"].abs() <= 45.0)]
            if inside.empty:
                continue
            expected = {"walk": "forward", "run": "forward"}.get(w["label"], w["label"])
            dir_rows.append({"trial": trial, "segment": w["label"], "n_strides": len(inside),
                             "n_right": int((inside["direction"] == expected).sum())})
    dirs = pd.DataFrame(dir_rows).groupby("segment", as_index=False)[["n_strides", "n_right"]].sum()
    dirs["right_pct"] = 100 * dirs["n_right"] / dirs["n_strides"]
    total = {"segment": "all", "n_strides": dirs["n_strides"].sum(), "n_right": dirs["n_right"].sum()}
    total["right_pct"] = 100 * total["n_right"] / total["n_strides"]
    return pd.DataFrame(dist_rows), pd.concat([dirs, pd.DataFrame([total])], ignore_index=True)


def tables() -> list[tuple[str, pd.DataFrame]]:
    """All spatial accuracy tables whose data are present."""
    out: list[tuple[str, pd.DataFrame]] = []
    if dfoot.dataset_available("gaitmap_example"):
        out.append(("Stride length vs motion capture (gaitmap example, mocap events)", gaitmap_table()))
    if dfoot.dataset_available("gdin_foot_imu_stride_gcp"):
        out.append(("Stride length vs floor footprints (gdin 31-38, retrogait events)", gdin_table()))
    if dfoot.dataset_available("mobgap_example"):
        out.append(("Lower-back inverted pendulum vs INDIP (mobgap example, INDIP contacts)", mobgap_table()))
    if dfoot.dataset_available("uci_zupt_foot_imu_backward"):
        dist, dirs = uci_tables()
        out.append(("Course distances, uci subject II (backward 15.24 m, forward 59.13 m)", dist))
        out.append(("Direction per course segment, uci subject II", dirs))
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    for title, table in tables():
        print(f"\n## {title}\n")
        print(table.round(3).to_string(index=False))
