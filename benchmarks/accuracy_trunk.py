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
    (+- tolerance), because the reference lists contacts only there.  Columns: counts,
    precision / recall / F1, timing error (detected minus reference; median, mean absolute,
    median absolute, 95th percentile absolute, ms), left/right agreement on matched
    contacts, and the cadence error per walking bout (mean absolute, steps/min), cadence
    computed for both as the mean over strides of 120 / stride time (the INDIP definition
    of ``avg_cadence_spm``).  The ``complete`` rows count only the stretches in which the
    reference itself has no gap (consecutive reference contacts < 1.5 median step
    times apart): INDIP misses contacts in turns and in HA_002, which would otherwise
    count as false detections.
``oxford phone steps``
    Per file (carrying position): detected vs ground-truth step count, error in %, and
    step-time agreement within 0.25 s (the ground-truth device's timing accuracy is
    unknown, so timing numbers are indicative).
``gaitpy lumbar (no reference)``
    Number of contacts and the median cadence, as a plausibility check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets_trunk as data  # noqa: E402
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


def mobgap_table() -> pd.DataFrame:
    """Per-trial ic accuracy, sides and cadence of the lower-back detector vs INDIP."""
    rows = []
    for name in data.mobgap_trial_names():
        trial = data.load_mobgap_trial(name)
        bouts = trial.bouts
        activity = pd.DataFrame({"start_s": bouts["start_s"] - 1.0, "end_s": bouts["end_s"] + 1.0})
        events = detect_trunk_events(trial.recording, activity=activity, left_axis=MOBGAP_LEFT_AXIS)
        ic = events[events["event"] == "ic"]
        t_det = ic["time_s"].to_numpy()
        in_bout = np.zeros(t_det.size, dtype=bool)
        for _, b in bouts.iterrows():
            in_bout |= (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
        t_det, sides = t_det[in_bout], ic["side"].to_numpy()[in_bout]
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
        cad_err = []
        for _, b in bouts.iterrows():
            sel = (t_det >= b.start_s - TOLERANCE_S) & (t_det <= b.end_s + TOLERANCE_S)
            cad_err.append(_cadence_spm(t_det[sel]) - b.cadence_spm)
        cad = np.asarray(cad_err)
        row["n_bouts"] = int(cad.size)
        row["cadence_mae_spm"] = float(np.nanmean(np.abs(cad))) if np.any(np.isfinite(cad)) else np.nan
        row["cadence_bias_spm"] = float(np.nanmean(cad)) if np.any(np.isfinite(cad)) else np.nan
        rows.append(row)
        complete_det = _complete_mask(t_det, ref_s, TOLERANCE_S)
        complete_ref = _complete_mask(ref_s, ref_s, 0.0)
        rows.append(_row(name, "complete", t_det[complete_det], ref_s[complete_ref]))
    table = pd.DataFrame(rows)
    for subset in ("all", "complete"):
        part = table[table["subset"] == subset]
        tp = float(np.nansum(part["recall"] * part["n_reference"]))
        p = tp / part["n_detected"].sum()
        r = tp / part["n_reference"].sum()
        pooled = {"trial": "POOLED", "subset": subset, "n_detected": int(part["n_detected"].sum()),
                  "n_reference": int(part["n_reference"].sum()), "precision": p, "recall": r,
                  "f1": 2 * p * r / (p + r)}
        if subset == "all":
            pooled["cadence_mae_spm"] = float(np.average(part["cadence_mae_spm"], weights=part["n_bouts"]))
            pooled["n_bouts"] = int(part["n_bouts"].sum())
        table = pd.concat([table, pd.DataFrame([pooled])], ignore_index=True)
    return table


def oxford_table() -> pd.DataFrame:
    """Per-file step count and step timing of the phone step detector."""
    rows = []
    for path in data.oxford_file_paths():
        f = data.load_oxford_file(path)
        events = detect_steps(f.recording)
        t_det = events["time_s"].to_numpy()
        m = match_events(t_det, f.step_times_s, tolerance_s=TOLERANCE_S)
        rows.append({"file": f.name, "position": f.position, "n_steps_truth": f.n_steps,
                     "n_steps_detected": int(t_det.size),
                     "count_error_pct": 100.0 * (t_det.size - f.n_steps) / f.n_steps,
                     "precision": m.precision, "recall": m.recall, "f1": m.f1, **m.error_stats_ms(),
                     "cadence_truth_spm": 60.0 / float(np.median(np.diff(f.step_times_s))),
                     "cadence_detected_spm": 60.0 / float(np.median(np.diff(t_det))) if t_det.size > 1 else np.nan})
    return pd.DataFrame(rows)


def gaitpy_table() -> pd.DataFrame:
    """Contacts found in the GaitPy lumbar demo (no reference)."""
    rec = data.load_gaitpy_demo()
    events = detect_trunk_events(rec)
    ic = np.sort(events.loc[events["event"] == "ic", "time_s"].to_numpy())
    steps = np.diff(ic)
    steps = steps[steps < 1.5]
    return pd.DataFrame([{"recording": "gaitpy_demo", "duration_s": rec.duration_s, "n_ic": int(ic.size),
                          "n_fc": int((events["event"] == "fc").sum()),
                          "median_cadence_spm": 60.0 / float(np.median(steps)) if steps.size else np.nan}])


def tables() -> list[tuple[str, pd.DataFrame]]:
    """All trunk/phone accuracy tables (title, table); datasets that are absent are skipped."""
    out: list[tuple[str, pd.DataFrame]] = []
    for title, fn in ((f"mobgap lower back vs INDIP (ic within {TOLERANCE_S} s)", mobgap_table),
                      (f"oxford phone steps (step times within {TOLERANCE_S} s)", oxford_table),
                      ("gaitpy lumbar demo (no reference)", gaitpy_table)):
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
