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
4. uci subject II: summed stride lengths of the walking segment (21.03 m), of the
   jog/run/sprint segment (38.10 m, with the strides whose accelerometer clips) and of the
   backward bout (15.24 m) (see :func:`uci_tables`), and the share of strides with the
   right direction inside the course segments (segments from the authors' SVM labels
   shrunk by 1 s at each end; strides turning more than 45 deg are transitions and not
   counted).
5. Toe direction from the data (``retrogait.orientation``): per recording or cut segment,
   whether the default rule (``"swing_centre"``) and the former rule (``"pitch"``) find the
   toes, the sign-test confidence and margin, and the share of strides with the right
   direction / ``unknown`` (``margin_cm``: distance from the swing centre to the pivots'
   midpoint along the true toe axis, negative when the rule points the wrong way).  Also the
   rocker pivots' distances from the sensor along the foot and whether the "far pivot is the
   heel" rule would be right.  uci segments are cut out of the trial (SVM segment shrunk by
   1.5 s at each end; the course has no standing next to them) and analysed as separate
   recordings with retrogait's own events.  Truth: the toe direction under which most
   strides travel the way the protocol says (forward; uci backward segments backward).

   Table 5 takes a few minutes (each recording is integrated three times) and is not
   part of :func:`tables` (the validation notebook shows those):

    python benchmarks/accuracy_spatial.py toe     # table 5 only
    python benchmarks/accuracy_spatial.py all     # tables 1-5
"""

from __future__ import annotations

import dataclasses
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import retrogait as rg
from retrogait.events.foot import detect_foot_events  # noqa: E402
from retrogait.pipeline import Params  # noqa: E402
from retrogait.spatial import add_spatial  # noqa: E402
from retrogait.spatial.zupt import ANCHOR_STILL_WINDOW_S, foot_trajectories, saturated_samples  # noqa: E402
from retrogait.strides import strides_from_events  # noqa: E402

from benchmarks import datasets_foot as dfoot  # noqa: E402
from benchmarks import datasets_trunk as dtrunk  # noqa: E402

UCI_BACKWARD_M = 15.24
#: Accelerometer range of the uci VN-200 (SOURCE.md: +-16 g, 1 g = 9.817 m/s^2); a stride
#: reaching 99 % of it is counted as clipped.
UCI_CLIP_MS2 = 0.99 * 16 * 9.817269086191379


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
        # each stride's final contact is the reference fc inside it (the toe-axis rule and the
        # stance anchors use it, as they do in the pipeline)
        fcs = np.sort(ev.loc[ev["event"] == "fc", "sample"].to_numpy())
        ends = ref["ic_sample"].to_numpy()[keep]
        inside = [fcs[(fcs > a) & (fcs < b)] for a, b in zip(prev_ic[keep], ends, strict=True)]
        fc_s = np.array([f[0] / rec.sampling_rate_hz if f.size else np.nan for f in inside])
        strides = pd.DataFrame({"start_sample": prev_ic[keep], "end_sample": ends, "fc_s": fc_s, "side": rec.side})
        truth = ref["stride_length_m"].to_numpy()[keep]
        for dedrift in ("default", "impact", "linear"):
            # "default": the library's default dedrifting (what the pipeline uses)
            options = {} if dedrift == "default" else {"dedrift": dedrift}
            tr = foot_trajectories(rec, strides, ev, **options)
            err = tr.stride_length_m - truth
            rows.append({"sensor": name, "dedrift": dedrift, "n_strides": int(keep.sum()),
                         "mae_cm": 100 * np.nanmean(np.abs(err)), "bias_cm": 100 * np.nanmean(err),
                         "mape_pct": 100 * np.nanmean(np.abs(err) / truth),
                         "forward_pct": 100 * np.mean(tr.direction == "forward"),
                         "toe_agreement": tr.axes.toe_agreement if tr.axes else np.nan})
        # what a user gets: the pipeline's own events and strides, matched by their ending ic
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own = rg.analyze(rec).strides
        ref_end_s = ref["ic_sample"].to_numpy() / rec.sampling_rate_hz
        nearest = np.abs(own["end_s"].to_numpy()[:, None] - ref_end_s[None, :])
        hit = nearest.min(axis=1) <= 0.05
        err = own["stride_length_m"].to_numpy()[hit] - ref["stride_length_m"].to_numpy()[nearest.argmin(axis=1)[hit]]
        truth_hit = ref["stride_length_m"].to_numpy()[nearest.argmin(axis=1)[hit]]
        rows.append({"sensor": name, "dedrift": "pipeline (own events)", "n_strides": int(hit.sum()),
                     "mae_cm": 100 * np.nanmean(np.abs(err)), "bias_cm": 100 * np.nanmean(err),
                     "mape_pct": 100 * np.nanmean(np.abs(err) / truth_hit),
                     "forward_pct": 100 * np.mean(own["direction"].to_numpy()[hit] == "forward"),
                     "toe_agreement": np.nan})
    return pd.DataFrame(rows)


def gdin_table() -> pd.DataFrame:
    """Per-stride stride length vs floor footprints, gdin experiments 31-38.

    Like with like: a reference stride runs from the end of one zero-velocity interval
    (the authors' hand-checked ``strideIndex``, about heel-off) to the next, and its length
    is the distance between the two footprints of that foot, i.e. it holds one swing.  The
    detected stride (ic to next ic) holds the swing that starts at its final contact, so it
    is matched to the reference stride starting nearest its ``fc_s`` (measured offsets
    0.13-0.2 s: toe-off follows heel-off) and not more than 0.3 s away.  The first
    reference stride (the half stride from standing) has no detected stride.
    """
    rows = []
    all_errs: list[np.ndarray] = []
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
        all_errs.append(errs_arr)
        rows.append({"experiment": exp, "n_reference": len(ref), "n_matched": len(errs_arr),
                     "mape_pct": 100 * np.nanmean(np.abs(errs_arr)),
                     "median_ape_pct": 100 * np.nanmedian(np.abs(errs_arr)), "bias_pct": 100 * np.nanmean(errs_arr),
                     "p95_abs_pct": 100 * np.nanpercentile(np.abs(errs_arr), 95),
                     "forward_pct": 100 * np.mean(np.array(dirs) == "forward")})
    table = pd.DataFrame(rows)
    total = {"experiment": "all", "n_reference": table["n_reference"].sum(), "n_matched": table["n_matched"].sum(),
             "mape_pct": np.average(table["mape_pct"], weights=table["n_matched"]),
             "median_ape_pct": 100 * np.nanmedian(np.abs(np.concatenate(all_errs))),
             "bias_pct": np.average(table["bias_pct"], weights=table["n_matched"]),
             "p95_abs_pct": 100 * np.nanpercentile(np.abs(np.concatenate(all_errs)), 95), "forward_pct": np.average(table["forward_pct"], weights=table["n_matched"])}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def mobgap_table() -> pd.DataFrame:
    """Lower-back inverted pendulum vs INDIP stride length, mobgap example.

    INDIP initial contacts and the body height of the trial's meta (leg length 0.53 x
    height).  Per trial: stride-level MAPE and bias; ``no_turn_mape_pct`` over the strides
    that do not overlap an INDIP turn (the pendulum assumes straight progression);
    ``wb_mape_pct``: per walking bout, the mean of the estimated strides vs INDIP's
    ``avg_stride_length_m`` of the bout (mobgap's own WB-level comparison).
    """
    folder = dtrunk.shared_data_dir() / "mobgap_example" / "exported_csv"
    rows = []
    for name in dtrunk.mobgap_trial_names():
        trial = dtrunk.load_mobgap_trial(name)
        rec = trial.recording
        meta = json.loads((folder / f"{name}_meta.json").read_text())
        fs = rec.sampling_rate_hz
        ref = pd.read_csv(folder / f"{name}_ref_INDIP_stride_parameters.csv")
        wbs = pd.read_csv(folder / f"{name}_ref_INDIP_wb_list.csv")
        turns = pd.read_csv(folder / f"{name}_ref_INDIP_turn_parameters.csv")
        ic = trial.ic
        events = pd.DataFrame({"sample": np.round(ic["time_s"] * fs).astype(np.int64), "time_s": ic["time_s"],
                               "event": "ic", "side": ic["side"], "sensor": rec.name}).sort_values("time_s")
        strides = strides_from_events(events.reset_index(drop=True), fs, max_stride_time_s=3.0)
        out = add_spatial(strides, rec, events, params=Params(body_height_m=float(meta["height_m"])))
        merged = out.merge(ref[["start", "end", "length_m", "wb_id"]], left_on="start_sample", right_on="start",
                           how="inner")
        merged = merged[(merged["end"] - merged["end_sample"]).abs() <= 2].dropna(subset=["length_m"])
        err = (merged["stride_length_m"] - merged["length_m"]) / merged["length_m"]
        turning = np.zeros(len(merged), dtype=bool)
        for t in turns.itertuples():
            turning |= ((merged["start_sample"] < t.end) & (merged["end_sample"] > t.start)).to_numpy()
        per_wb = merged.groupby("wb_id")["stride_length_m"].mean()
        wb_ref = wbs.set_index("wb_id")["avg_stride_length_m"].reindex(per_wb.index)
        wb_err = (per_wb - wb_ref) / wb_ref
        rows.append({"trial": name, "n_strides": len(merged), "mape_pct": 100 * np.nanmean(np.abs(err)),
                     "bias_pct": 100 * np.nanmean(err), "n_no_turn": int((~turning).sum()),
                     "no_turn_mape_pct": 100 * np.nanmean(np.abs(err[~turning])) if (~turning).any() else np.nan,
                     "n_wb": len(per_wb), "wb_mape_pct": 100 * np.nanmean(np.abs(wb_err)),
                     "mean_ref_m": merged["length_m"].mean(), "mean_est_m": merged["stride_length_m"].mean()})
    table = pd.DataFrame(rows)
    total = {"trial": "all", "n_strides": table["n_strides"].sum(),
             "mape_pct": np.average(table["mape_pct"], weights=table["n_strides"]),
             "bias_pct": np.average(table["bias_pct"], weights=table["n_strides"]),
             "n_no_turn": table["n_no_turn"].sum(),
             "no_turn_mape_pct": np.average(table["no_turn_mape_pct"], weights=table["n_no_turn"]),
             "n_wb": table["n_wb"].sum(), "wb_mape_pct": np.average(table["wb_mape_pct"], weights=table["n_wb"]),
             "mean_ref_m": np.nan, "mean_est_m": np.nan}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def _backward_bout(out: pd.DataFrame, window: pd.Series) -> tuple[int, int]:
    """First and last row of the longest run of consecutive ``backward`` strides (no gap
    over 0.5 s between them) that overlaps the SVM backward window; (-1, -1) if none."""
    backward = (out["direction"] == "backward").to_numpy()
    start_s, end_s = out["start_s"].to_numpy(), out["end_s"].to_numpy()
    best, i = (-1, -1), 0
    while i < len(out):
        if not backward[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(out) and backward[j + 1] and start_s[j + 1] - end_s[j] < 0.5:
            j += 1
        overlaps = end_s[j] > window["start_s"] and start_s[i] < window["end_s"]
        if overlaps and (best[0] < 0 or j - i > best[1] - best[0]):
            best = (i, j)
        i = j + 1
    return best


def uci_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Course distances and direction per segment, uci subject II.

    Distances (one row per trial), all with retrogait's own events and default spatial stage:

    * ``walk``: strides whose middle lies in the SVM walking segment vs 13.41 + 7.62 m.
    * ``run``: strides whose middle lies in the SVM jog/run/sprint segment vs 7.62 + 15.24 +
      15.24 m; ``run_clipped`` counts the strides in which the accelerometer reaches its
      +-16 g range (SOURCE.md: it saturates in the sprint); the spatial stage adds back the
      part of the velocity error a force missing beyond the range explains
      (``foot_trajectories(saturation="spread")``, plateau found by
      :func:`retrogait.spatial.zupt.saturated_samples`), the rest of the shortfall remains;
      ``run_saturated`` counts the strides with samples that function finds;
      ``run_still20ms_err_pct`` is ``run_err_pct`` with the opt-in anchors still over
      20 ms (``foot_trajectories(anchor_still_s=0.02)``, diagnostic).
    * ``forward``: walk and run together (59.13 m), whatever the border between them.
    * ``backward``: the longest run of consecutive ``backward`` strides overlapping the SVM
      backward window vs 15.24 m.

    Like with like: one foot is instrumented, so its ic-to-ic strides miss the first swing
    from standing (half to one stride, 0.6-1.3 m of the walking segment); segment borders
    come from a classifier and a stride turning into or out of a segment belongs to both,
    so a segment sum is uncertain by about one stride (~1.2 m, 8 % of the backward 15.24 m).
    """
    distance = dfoot.UCI_SEGMENT_DISTANCE_M
    walk_m = distance["walk_slow"] + distance["walk_fast"]
    run_m = distance["jog"] + distance["run"] + distance["sprint"]
    dist_rows, dir_rows = [], []
    for trial in dfoot.UCI_TRIALS:
        ds = dfoot.load_uci(trial)
        rec = next(iter(ds.recordings.values()))
        ev = detect_foot_events(rec).assign(sensor=rec.name)
        out = add_spatial(strides_from_events(ev, rec.sampling_rate_hz), rec, ev).reset_index(drop=True)
        win = ds.windows
        middle = 0.5 * (out["start_s"] + out["end_s"])
        acc = np.abs(rec.acc())
        clipped = np.array([acc[a:b + 1].max() >= UCI_CLIP_MS2 for a, b in zip(out["start_sample"], out["end_sample"],
                                                                                strict=True)])
        plateau = np.concatenate([[0], np.cumsum(saturated_samples(rec.acc()).any(axis=1))])
        saturated = plateau[out["end_sample"].to_numpy() + 1] > plateau[out["start_sample"].to_numpy()]
        row: dict[str, float | int] = {"trial": trial}
        for label, truth in (("walk", walk_m), ("run", run_m)):
            seg = win[win["label"] == label].assign(d=lambda w: w["end_s"] - w["start_s"]).sort_values("d").iloc[-1]
            inside = ((middle >= seg["start_s"]) & (middle < seg["end_s"])).to_numpy()
            total = float(out.loc[inside, "stride_length_m"].sum())
            row.update({f"{label}_n": int(inside.sum()), f"{label}_m": total,
                        f"{label}_err_pct": 100 * (total - truth) / truth})
            if label == "run":
                row["run_clipped"] = int((inside & clipped).sum())
                row["run_saturated"] = int((inside & saturated).sum())
                # diagnostic: anchors still over 20 ms (opt-in, zupt.ANCHOR_STILL_WINDOW_S)
                still_m = foot_trajectories(rec, out, ev, anchor_still_s=ANCHOR_STILL_WINDOW_S).stride_length_m
                row["run_still20ms_err_pct"] = 100 * (float(np.nansum(still_m[inside])) - truth) / truth
        forward = float(row["walk_m"]) + float(row["run_m"])
        row["forward_err_pct"] = 100 * (forward - walk_m - run_m) / (walk_m + run_m)
        bw = win[win["label"] == "backward"].assign(d=lambda w: w["end_s"] - w["start_s"]).sort_values("d").iloc[-1]
        first, last = _backward_bout(out, bw)
        backward_sum = float(out["stride_length_m"].iloc[first:last + 1].sum()) if first >= 0 else 0.0
        row.update({"backward_n": last - first + 1 if first >= 0 else 0, "backward_m": backward_sum,
                    "backward_err_pct": 100 * (backward_sum - UCI_BACKWARD_M) / UCI_BACKWARD_M})
        dist_rows.append(row)
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


def _cut(rec, start_s: float, end_s: float):
    fs = rec.sampling_rate_hz
    return rec.replace(data=rec.data.iloc[int(start_s * fs):int(end_s * fs)].reset_index(drop=True))


def _toe_row(dataset: str, recording: str, expected: str, rec, events=None, ref_toe=None) -> tuple[dict, np.ndarray]:
    """One row of the toe-direction table; also returns the reference toe axis."""
    if events is None:
        events = detect_foot_events(rec).assign(sensor=rec.name)
        if rec.side is None:
            events = events.assign(side="left")
    strides = strides_from_events(events, rec.sampling_rate_hz)
    tr = foot_trajectories(rec, strides, events)
    cand = tr.axes.toe
    if ref_toe is None:
        # truth: the sign of the axis under which most strides go the way the protocol says
        given = foot_trajectories(rec, strides, events, axes=dataclasses.replace(tr.axes, source="given"))
        along = np.isin(given.direction, ("forward", "backward"))
        ref_toe = cand if np.mean(given.direction[along] == expected) > 0.5 else -cand
    pitch = foot_trajectories(rec, strides, events, toe_method="pitch")
    ax = tr.axes
    right = bool(ax.toe @ ref_toe > 0)
    # the lead's pivot-distance cue: distance (along the true toe axis) of the sensor from the
    # heel pivot and from the toe pivot; the heel pivot follows ic forward, precedes fc backward
    along = tr.rotation_centres @ (ref_toe / np.linalg.norm(ref_toe))
    heel_col, toe_col = (0, 1) if expected == "forward" else (1, 0)
    heel_cm = 100 * np.nanmedian(along[:, heel_col]) if expected != "mixed" else np.nan
    toe_cm = -100 * np.nanmedian(along[:, toe_col]) if expected != "mixed" else np.nan
    row = {"dataset": dataset, "recording": recording, "walking": expected, "n_strides": len(strides),
           "toe_right": right, "decided": ax.toe_decided,
           "confidence": ax.toe_confidence, "margin_cm": 100 * ax.toe_margin_m * (1 if right else -1),
           "agreement": ax.toe_agreement,
           "dir_right_pct": 100 * np.mean(tr.direction == expected) if expected != "mixed" else np.nan,
           "unknown_pct": 100 * np.mean(tr.direction == "unknown"),
           "pitch_rule_right": bool(pitch.axes.toe @ ref_toe > 0),
           "pitch_dir_right_pct": 100 * np.mean(pitch.direction == expected) if expected != "mixed" else np.nan,
           "sensor_to_heel_cm": heel_cm, "sensor_to_toe_cm": toe_cm,
           "pivot_rule_right": bool(abs(heel_cm) > abs(toe_cm)) if expected != "mixed" else None}
    return row, ref_toe


def toe_table() -> pd.DataFrame:
    from retrogait.simulate import simulate_gait, time_reverse, time_reverse_events

    rows = []
    if dfoot.dataset_available("gaitmap_example"):
        for rotated in (True, False):
            ds = dfoot.load_gaitmap(rotated=rotated)
            tag = "gaitmap" + ("" if rotated else " not rotated")
            for name, rec in ds.recordings.items():
                ev = ds.events[ds.events["sensor"] == name]
                row, ref = _toe_row(tag, f"{name} mocap events", "forward", rec, ev)
                rows.append(row)
                rows.append(_toe_row(tag, f"{name} own events", "forward", rec, ref_toe=ref)[0])
                rev = time_reverse(rec)
                rev_ev = time_reverse_events(ev, (rev.n_samples - 1) / rev.sampling_rate_hz,
                                             sampling_rate_hz=rev.sampling_rate_hz)
                rows.append(_toe_row(tag, f"{name} time-reversed", "backward", rev, rev_ev, ref_toe=ref)[0])
    if dfoot.dataset_available("gdin_foot_imu_stride_gcp"):
        for exp in dfoot.GDIN_EXPERIMENTS:
            rec = next(iter(dfoot.load_gdin(exp).recordings.values()))
            rows.append(_toe_row("gdin", str(exp), "forward", rec)[0])
    if dfoot.dataset_available("uci_zupt_foot_imu_backward"):
        for trial in dfoot.UCI_TRIALS:
            ds = dfoot.load_uci(trial)
            rec = next(iter(ds.recordings.values()))
            w = ds.windows
            ref = None
            for label, expected in (("walk", "forward"), ("run", "forward"), ("backward", "backward")):
                seg = w[w["label"] == label].assign(d=lambda x: x["end_s"] - x["start_s"]).sort_values("d").iloc[-1]
                row, ref_seg = _toe_row("uci II", f"{trial} {label} segment", expected,
                                        _cut(rec, seg["start_s"] + 1.5, seg["end_s"] - 1.5), ref_toe=ref)
                ref = ref_seg if ref is None else ref
                rows.append(row)
                if label == "backward":
                    # each half (backward fast, backward slow) as its own recording
                    mid = 0.5 * (seg["start_s"] + seg["end_s"])
                    for half, (a, b) in (("first half", (seg["start_s"] + 1.5, mid)),
                                         ("second half", (mid, seg["end_s"] - 1.5))):
                        rows.append(_toe_row("uci II", f"{trial} backward {half}", expected, _cut(rec, a, b),
                                             ref_toe=ref)[0])
            rows.append(_toe_row("uci II", f"{trial} whole trial", "mixed", rec, ref_toe=ref)[0])
    for direction in ("forward", "backward"):
        for seed in (1, 2, 3):
            sim = simulate_gait(placement="foot", direction=direction, mounting="random", n_strides=10,
                                sampling_rate_hz=200.0, seed=seed)
            ref = np.asarray(sim.recording.meta["mounting_matrix"], dtype=float).T @ np.array([1.0, 0.0, 0.0])
            rows.append(_toe_row("simulated", f"{direction} seed {seed}", direction, sim.recording, sim.events,
                                 ref_toe=ref)[0])
    return pd.DataFrame(rows)


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
        out.append(("Course distances, uci subject II (walk 21.03 m, jog/run/sprint 38.10 m, backward 15.24 m)",
                    dist))
        out.append(("Direction per course segment, uci subject II", dirs))
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_rows", 200)
    args = sys.argv[1:]
    chosen = tables() if "toe" not in args else []
    if "toe" in args or "all" in args:
        # table 5 is computed only when asked for (it takes minutes)
        chosen = chosen + [("Toe direction from the data, per recording / segment", toe_table())]
    for title, table in chosen:
        print(f"\n## {title}\n")
        print(table.round(3).to_string(index=False))
