"""Accuracy of the lower-back contact detector and the phone step detector on real data.

Run alone with ``python benchmarks/accuracy_trunk.py``; ``benchmarks/accuracy.py`` calls
:func:`tables`.  Data are read from ``../shared/data`` (see ``datasets_trunk``); a
dataset whose folder is absent is left out.

Tables
------
``mobgap lower back vs INDIP``
    Per trial: initial contacts matched one-to-one to the INDIP reference within
    ``TOLERANCE_S`` = 0.25 s (half of a 120 steps/min step; a larger window could pair a
    detection with the neighbouring step).  Detections are run with the reference walking
    bouts (widened by 1 s each side) as activity and counted only inside the bouts
    (+- tolerance), because the reference lists contacts only there; the ``all, pipeline
    activity`` rows search the periods found by ``bouts.detect_activity`` instead.  Columns: counts,
    precision / recall / F1, timing error (detected minus reference; median, mean absolute,
    median absolute, 95th percentile absolute, ms), left/right agreement on matched
    contacts, final contacts vs INDIP (stride start + stance time; recall and timing only,
    INDIP lists no final contact for strides it could not close), and the cadence error
    per walking bout (mean absolute, steps/min), cadence
    computed for both as the mean over strides of 120 / stride time (the INDIP definition
    of ``avg_cadence_spm``).  The ``complete`` rows count only the stretches in which the
    reference itself has no gap (consecutive reference contacts < 1.5 median step
    times apart): INDIP misses contacts in turns and in HA_002, which would otherwise
    count as false detections.
``oxford phone steps``
    Per file (carrying position): detected vs ground-truth step count, error in %, the
    count error on the time-reversed recording, and step-time agreement within 0.25 s
    (the ground-truth device's timing accuracy is unknown, so timing numbers are
    indicative).
``mobgap time-reversed``
    The recordings played backwards (ic <-> fc): a backward-like walk with known contacts.
``simulated lower back``
    ``retrogait.simulate`` walking/running, forward/backward: ic/fc F1, timing, sides.
``gaitpy lumbar``
    Agreement with GaitPy's own output on its demo (not a reference).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pandas as pd

# the benchmark folder (datasets_*) and the repository root (the benchmarks package they import)
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

import datasets_trunk as data  # noqa: E402
from retrogait.bouts import detect_activity  # noqa: E402
from retrogait.evaluate import match_events  # noqa: E402
from retrogait.events.steps import detect_steps  # noqa: E402
from retrogait.events.trunk import detect_trunk_events  # noqa: E402

TOLERANCE_S = 0.25
#: Sensor axis pointing to the wearer's left in the mobgap (McRoberts MM+, Mobilise-D)
#: lower-back frame: +y points to the right (checked on the straight Test5 walks).
MOBGAP_LEFT_AXIS = "-y"


def _cadence_spm(ic_s: np.ndarray) -> float:
    """Mean over strides (ic[i] -> ic[i+2]) of 120 / stride time, in steps/min."""
    ic_s = np.sort(np.asarray(ic_s, dtype=float))
    if ic_s.size < 3:
        return float("nan")
    stride_s = ic_s[2:] - ic_s[:-2]
    return float(np.mean(120.0 / stride_s))


def _complete_mask(times_s: np.ndarray, ref_s: np.ndarray, tol_s: float) -> np.ndarray:
    """True for times inside stretches where the reference has no gap."""
    ref_s = np.sort(ref_s)
    if ref_s.size < 2:
        return np.zeros(times_s.size, dtype=bool)
    steps = np.diff(ref_s)
    ok_gap = steps < 1.5 * np.median(steps)
    mask = np.zeros(times_s.size, dtype=bool)
    for a, b, ok in zip(ref_s[:-1], ref_s[1:], ok_gap, strict=True):
        if ok:
            mask |= (times_s >= a - tol_s) & (times_s <= b + tol_s)
    return mask


def _row(name: str, subset: str, det_s: np.ndarray, ref_s: np.ndarray) -> dict[str, object]:
    m = match_events(det_s, ref_s, tolerance_s=TOLERANCE_S)
    return {"trial": name, "subset": subset, "n_detected": m.n_detected, "n_reference": m.n_reference,
            "precision": m.precision, "recall": m.recall, "f1": m.f1, **m.error_stats_ms()}


@functools.cache
def _mobgap_events(name: str, pipeline_activity: bool) -> tuple[data.MobgapTrial, pd.DataFrame]:
    """One trial and its detected events (cached: several tables use them).

    The detector searches the reference bouts widened by 1 s, or, with
    ``pipeline_activity``, the periods of :func:`retrogait.bouts.detect_activity` (what
    ``analyze()`` uses)."""
    trial = data.load_mobgap_trial(name)
    bouts = trial.bouts
    activity = pd.DataFrame({"start_s": bouts["start_s"] - 1.0, "end_s": bouts["end_s"] + 1.0})
    if pipeline_activity:
        activity = detect_activity(trial.recording)
    events = detect_trunk_events(trial.recording, activity=activity, left_axis=MOBGAP_LEFT_AXIS)
    return trial, events


def _mobgap_fc(trial: data.MobgapTrial) -> dict[str, float]:
    """Final contacts vs INDIP (stride start + stance time of that foot), inside the bouts."""
    bouts = trial.bouts
    _, events = _mobgap_events(trial.name, False)
    t_det = events.loc[events["event"] == "fc", "time_s"].to_numpy()
    ref = (trial.strides["start_s"] + trial.strides["stance_time_s"]).to_numpy()
    ref = ref[np.isfinite(ref)]
    keep = np.zeros(t_det.size, dtype=bool)
    for _, b in bouts.iterrows():
        keep |= (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
    m = match_events(t_det[keep], ref, tolerance_s=TOLERANCE_S)
    return {"fc_recall": m.recall, "fc_median_ms": m.error_stats_ms()["median_ms"],
            "fc_median_abs_ms": m.error_stats_ms()["median_abs_ms"]}


def _mobgap_detect(trial: data.MobgapTrial, *, pipeline_activity: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Detected ic times and sides inside the reference walking bouts (+- tolerance)."""
    bouts = trial.bouts
    _, events = _mobgap_events(trial.name, pipeline_activity)
    ic = events[events["event"] == "ic"]
    t_det = ic["time_s"].to_numpy()
    in_bout = np.zeros(t_det.size, dtype=bool)
    for _, b in bouts.iterrows():
        in_bout |= (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
    return t_det[in_bout], ic["side"].to_numpy()[in_bout]


def _bout_is_complete(ref_s: np.ndarray) -> bool:
    """True when no reference step interval exceeds 1.5 times the bout's median."""
    steps = np.diff(np.sort(ref_s))
    return bool(steps.size >= 2 and np.all(steps < 1.5 * np.median(steps)))


def mobgap_bouts_table() -> pd.DataFrame:
    """Per walking bout: reference vs detected cadence (steps/min) and ic counts."""
    rows = []
    for name in data.mobgap_trial_names():
        trial, _ = _mobgap_events(name, False)
        t_det, _ = _mobgap_detect(trial)
        for _, b in trial.bouts.iterrows():
            sel = (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
            ref_s = trial.ic.loc[trial.ic["wb_id"] == b.wb_id, "time_s"].to_numpy()
            cadence = _cadence_spm(t_det[sel])
            rows.append({"trial": name, "wb_id": int(b.wb_id), "duration_s": b.end_s - b.start_s,
                         "n_ic_reference": int(ref_s.size), "n_ic_detected": int(sel.sum()),
                         "reference_complete": _bout_is_complete(ref_s),
                         "cadence_reference_spm": b.cadence_spm, "cadence_detected_spm": cadence,
                         "cadence_error_spm": cadence - b.cadence_spm})
    return pd.DataFrame(rows)


def mobgap_table() -> pd.DataFrame:
    """Per-trial ic accuracy, sides and cadence of the lower-back detector vs INDIP."""
    bouts_table = mobgap_bouts_table()
    rows = []
    for name in data.mobgap_trial_names():
        trial, _ = _mobgap_events(name, False)
        t_det, sides = _mobgap_detect(trial)
        ref_s = trial.ic["time_s"].to_numpy()
        row = _row(name, "all", t_det, ref_s)
        # side agreement on matched pairs (nearest detection within tolerance)
        agree = []
        for t_ref, side_ref in zip(ref_s, trial.ic["side"], strict=True):
            if t_det.size:
                j = int(np.argmin(np.abs(t_det - t_ref)))
                if abs(t_det[j] - t_ref) <= TOLERANCE_S:
                    agree.append(sides[j] == side_ref)
        row["side_agreement"] = float(np.mean(agree)) if agree else np.nan
        row.update(_mobgap_fc(trial))
        wb = bouts_table[bouts_table["trial"] == name]
        row["n_bouts"] = len(wb)
        row["cadence_mae_spm"] = float(np.nanmean(np.abs(wb["cadence_error_spm"])))
        row["cadence_bias_spm"] = float(np.nanmean(wb["cadence_error_spm"]))
        rows.append(row)
        t_auto, _ = _mobgap_detect(trial, pipeline_activity=True)
        rows.append(_row(name, "all, pipeline activity", t_auto, ref_s))
        complete_det = _complete_mask(t_det, ref_s, TOLERANCE_S)
        complete_ref = _complete_mask(ref_s, ref_s, 0.0)
        row = _row(name, "complete", t_det[complete_det], ref_s[complete_ref])
        wb = wb[wb["reference_complete"]]
        row["n_bouts"] = len(wb)
        row["cadence_mae_spm"] = float(np.nanmean(np.abs(wb["cadence_error_spm"]))) if len(wb) else np.nan
        row["cadence_bias_spm"] = float(np.nanmean(wb["cadence_error_spm"])) if len(wb) else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    for subset in ("all", "all, pipeline activity", "complete"):
        part = table[table["subset"] == subset]
        tp = float(np.nansum(part["recall"] * part["n_reference"]))
        p = tp / part["n_detected"].sum()
        r = tp / part["n_reference"].sum()
        wb = bouts_table[bouts_table["reference_complete"]] if subset == "complete" else bouts_table
        pooled = {"trial": "POOLED", "subset": subset, "n_detected": int(part["n_detected"].sum()),
                  "n_reference": int(part["n_reference"].sum()), "precision": p, "recall": r,
                  "f1": 2 * p * r / (p + r)}
        if subset != "all, pipeline activity":
            pooled.update({"n_bouts": len(wb), "cadence_mae_spm": float(np.nanmean(np.abs(wb["cadence_error_spm"]))),
                           "cadence_bias_spm": float(np.nanmean(wb["cadence_error_spm"]))})
        table = pd.concat([table, pd.DataFrame([pooled])], ignore_index=True)
    return table


def reversed_mobgap_table() -> pd.DataFrame:
    """Time-reversed mobgap recordings: reversing the samples turns every ic into an fc.

    The reversed walk is a backward-like walk with known contacts: its ics are the
    reversed INDIP final contacts (stride start + stance time), its fcs the reversed INDIP
    initial contacts.  Sides are not scored (reversal mirrors the sway phase too).
    """
    rows = []
    for name in data.mobgap_trial_names():
        trial = data.load_mobgap_trial(name)
        rec = trial.recording
        total_s = rec.n_samples / rec.sampling_rate_hz
        rev = rec.replace(data=rec.data.iloc[::-1].reset_index(drop=True))
        b = trial.bouts
        activity = pd.DataFrame({"start_s": total_s - b["end_s"] - 1.0, "end_s": total_s - b["start_s"] + 1.0})
        events = detect_trunk_events(rev, activity=activity, sides="none")
        fc_ref = (trial.strides["start_s"] + trial.strides["stance_time_s"]).to_numpy()
        truth = {"ic": total_s - fc_ref[np.isfinite(fc_ref)], "fc": total_s - trial.ic["time_s"].to_numpy()}
        for event, ref in truth.items():
            t_det = events.loc[events["event"] == event, "time_s"].to_numpy()
            keep = np.zeros(t_det.size, dtype=bool)
            for _, w in b.iterrows():
                keep |= (t_det >= total_s - w.end_s - TOLERANCE_S) & (t_det <= total_s - w.start_s + TOLERANCE_S)
            m = match_events(t_det[keep], ref, tolerance_s=TOLERANCE_S)
            rows.append({"trial": name, "event": event, "n_detected": m.n_detected, "n_reference": m.n_reference,
                         "precision": m.precision, "recall": m.recall, "f1": m.f1, **m.error_stats_ms()})
    return pd.DataFrame(rows)


def simulated_table() -> pd.DataFrame:
    """Simulated lower-back walking and running, forward and backward (retrogait.simulate).

    30 strides per foot, 100 Hz, random sensor mounting for the events and aligned
    mounting (sensor +y = left) for the sides; contacts scored within the simulated bout.
    """
    from retrogait.simulate import simulate_gait

    rows = []
    for gait in ("walk", "run"):
        for direction in ("forward", "backward"):
            for mounting in ("random", "aligned"):
                sim = simulate_gait(placement="lower_back", gait=gait, direction=direction, sampling_rate_hz=100.0,
                                    n_strides=30, seed=11, mounting=mounting)
                if mounting == "aligned":
                    events = detect_trunk_events(sim.recording, left_axis="+y")
                else:  # no sensor axis points left: contacts only
                    events = detect_trunk_events(sim.recording, sides="none")
                truth = sim.events
                lo, hi = truth["time_s"].min() - 0.3, truth["time_s"].max() + 0.3
                events = events[events["time_s"].between(lo, hi)]
                row: dict[str, object] = {"gait": gait, "direction": direction, "mounting": mounting}
                for event in ("ic", "fc"):
                    m = match_events(events.loc[events["event"] == event, "time_s"],
                                     truth.loc[truth["event"] == event, "time_s"], tolerance_s=TOLERANCE_S)
                    stats = m.error_stats_ms()
                    row.update({f"{event}_f1": m.f1, f"{event}_median_ms": stats["median_ms"],
                                f"{event}_p95_abs_ms": stats["p95_abs_ms"]})
                ic = events[events["event"] == "ic"]
                t_ic = truth[truth["event"] == "ic"]
                if mounting == "aligned" and len(ic):
                    nearest = [int(np.argmin(np.abs(ic["time_s"].to_numpy() - t))) for t in t_ic["time_s"]]
                    row["side_agreement"] = float(np.mean(ic["side"].to_numpy()[nearest] == t_ic["side"].to_numpy()))
                rows.append(row)
    return pd.DataFrame(rows)


def oxford_table() -> pd.DataFrame:
    """Per-file step count and step timing of the phone step detector."""
    rows = []
    for path in data.oxford_file_paths():
        f = data.load_oxford_file(path)
        events = detect_steps(f.recording)
        t_det = events["time_s"].to_numpy()
        m = match_events(t_det, f.step_times_s, tolerance_s=TOLERANCE_S)
        reversed_rec = f.recording.replace(data=f.recording.data.iloc[::-1].reset_index(drop=True))
        n_reversed = len(detect_steps(reversed_rec))
        rows.append({"file": f.name, "position": f.position, "n_steps_truth": f.n_steps,
                     "n_steps_detected": int(t_det.size),
                     "count_error_pct": 100.0 * (t_det.size - f.n_steps) / f.n_steps,
                     "reversed_count_error_pct": 100.0 * (n_reversed - f.n_steps) / f.n_steps,
                     "precision": m.precision, "recall": m.recall, "f1": m.f1, **m.error_stats_ms(),
                     "cadence_truth_spm": 60.0 / float(np.median(np.diff(f.step_times_s))),
                     "cadence_detected_spm": 60.0 / float(np.median(np.diff(t_det))) if t_det.size > 1 else np.nan})
    return pd.DataFrame(rows)


def steps_on_mobgap_table() -> pd.DataFrame:
    """The step counter (norm only, no vertical axis) on the mobgap lower back vs INDIP ics."""
    rows = []
    for name in data.mobgap_trial_names():
        trial, _ = _mobgap_events(name, False)
        bouts = trial.bouts
        activity = pd.DataFrame({"start_s": bouts["start_s"] - 1.0, "end_s": bouts["end_s"] + 1.0})
        t_det = detect_steps(trial.recording.replace(placement="unknown"), activity=activity)["time_s"].to_numpy()
        keep = np.zeros(t_det.size, dtype=bool)
        for _, b in bouts.iterrows():
            keep |= (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
        ref_s = trial.ic["time_s"].to_numpy()
        rows.append(_row(name, "all", t_det[keep], ref_s))
        complete = _complete_mask(t_det[keep], ref_s, TOLERANCE_S)
        rows.append(_row(name, "complete", t_det[keep][complete], ref_s[_complete_mask(ref_s, ref_s, 0.0)]))
    return pd.DataFrame(rows)


def gaitpy_table() -> pd.DataFrame:
    """GaitPy lumbar demo: our contacts per GaitPy bout next to GaitPy's own output.

    GaitPy is itself a McCamley-type algorithm, so this is agreement between two
    implementations, not accuracy.  ``ic_agreement_f1``: our ics vs GaitPy's within the
    tolerance (GaitPy lists contacts of complete gait cycles only, so its list is shorter).
    """
    rec = data.load_gaitpy_demo()
    gp = data.load_gaitpy_features()
    events = detect_trunk_events(rec, sides="none")
    ic = np.sort(events.loc[events["event"] == "ic", "time_s"].to_numpy())
    rows = []
    for bout, part in gp.groupby("bout_number"):
        lo = float(part["bout_start_s"].iloc[0])
        hi = lo + float(part["bout_length_s"].iloc[0])
        ours = ic[(ic >= lo) & (ic < hi)]
        gp_ic = np.unique(part["ic_s"].to_numpy())
        m = match_events(ours, gp_ic, tolerance_s=TOLERANCE_S)
        steps = np.diff(ours)
        rows.append({"bout": int(bout), "start_s": lo, "duration_s": hi - lo,
                     "gaitpy_steps": int(part["steps"].iloc[0]), "our_ic": int(ours.size),
                     "gaitpy_ic_listed": int(gp_ic.size), "ic_agreement_f1": m.f1,
                     "ic_median_diff_ms": m.error_stats_ms()["median_ms"],
                     "our_median_cadence_spm": 60.0 / float(np.median(steps)) if steps.size else np.nan})
    rows.append({"bout": -1, "start_s": 0.0, "duration_s": rec.duration_s, "our_ic": int(ic.size),
                 "gaitpy_steps": int(gp.groupby("bout_number")["steps"].first().sum())})
    return pd.DataFrame(rows)


def tables() -> list[tuple[str, pd.DataFrame]]:
    """All trunk/phone accuracy tables (title, table); datasets that are absent are skipped."""
    out: list[tuple[str, pd.DataFrame]] = []
    for title, fn in ((f"mobgap lower back vs INDIP (ic within {TOLERANCE_S} s)", mobgap_table),
                      ("mobgap walking bouts: cadence vs INDIP", mobgap_bouts_table),
                      (f"mobgap time-reversed (ic <-> fc, within {TOLERANCE_S} s)", reversed_mobgap_table),
                      (f"simulated lower back (retrogait.simulate, within {TOLERANCE_S} s)", simulated_table),
                      (f"oxford phone steps (step times within {TOLERANCE_S} s)", oxford_table),
                      (f"step counter on the mobgap lower back vs INDIP ic (within {TOLERANCE_S} s)",
                       steps_on_mobgap_table),
                      ("gaitpy lumbar demo vs GaitPy's own output (no reference; bout -1 = whole file)",
                       gaitpy_table)):
        try:
            out.append((title, fn()))
        except FileNotFoundError as err:
            print(f"skipped {title}: {err}", file=sys.stderr)
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    for title, table in tables():
        print(f"\n== {title}")
        print(table.round(3).to_string(index=False))
