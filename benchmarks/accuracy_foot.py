"""Accuracy of the foot and shank contact detectors on the shared real data and on simulation.

Run alone with ``python benchmarks/accuracy_foot.py``; ``benchmarks/accuracy.py`` calls
:func:`tables`.  Datasets that are absent from ``../shared/data`` are skipped.

Tables
------
gaitmap (mocap ic/tc, 204.8 Hz, both feet)
    Per sensor frame (gaitmap-rotated / raw), time direction (as recorded / time
    reversed: time flipped, gyro negated, ic <-> fc), method and event: counts, precision,
    recall and F1 of events matched one-to-one within ``TOLERANCE_S``, the time error
    (detected - reference: median, MAE, median absolute, 95th percentile absolute, ms),
    and the cadence error (from the median ic-to-ic stride time, %).  Events are compared
    inside the span of the reference strides only; ``f1_without_turn`` leaves out the
    reference strides longer than 1.5 x the median (the left foot's turn, where the
    markers show two steps but the reference has one stride) and the events in them.
gdin (stride counts, 200 Hz, experiments 31-38)
    Annotated strides vs detected contacts (ic, gyroscope method; and accelerometer-only
    method) and their difference; stride time (median) from the annotation vs from the
    detected ic.
gdin zero-velocity intervals
    Ends of the intervals of ``detect_stance`` vs the annotated ends of the
    zero-velocity intervals (``strideIndex``).
uci (subject II, 800 Hz, no per-event reference)
    Per trial and course segment (from the authors' SVM labels): detected strides, median
    stride time, strides longer than 1.6 x or shorter than 0.6 x the segment's median
    (a missed or an invented contact), mean stride length = course distance / strides,
    the events found while standing, and the median delay from ic to the onset of the
    ground impact (jerk burst): forward and backward walking should look alike.
simulation (retrogait.simulate), foot and shank
    Forward/backward walk/run at 100, 204.8 and 487 Hz with random mounting: matched
    events and time error against the simulator's truth.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

# the benchmark folder (datasets_*) and the repository root (the benchmarks package they import)
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

import datasets_foot  # noqa: E402
from retrogait import schema  # noqa: E402
from retrogait.evaluate import match_events  # noqa: E402
from retrogait.events.foot import detect_foot_events, detect_stance  # noqa: E402
from retrogait.recording import Recording  # noqa: E402

#: Matching tolerance for events (s).
TOLERANCE_S = 0.05


def time_reverse(rec: Recording) -> Recording:
    """The recording played backwards: samples reversed, angular rate negated."""
    data = rec.data.iloc[::-1].reset_index(drop=True).copy()
    if rec.has_gyro:
        for column in schema.GYR_COLUMNS:
            data[column] = -data[column]
    return rec.replace(data=data)


def _match_row(det_s: np.ndarray, ref_s: np.ndarray) -> dict[str, float]:
    m = match_events(det_s, ref_s, tolerance_s=TOLERANCE_S)
    row: dict[str, float] = {"n_ref": m.n_reference, "n_det": m.n_detected, "n_match": m.n_matched,
                             "precision": m.precision, "recall": m.recall, "f1": m.f1}
    row.update(m.error_stats_ms())
    return row


def _cadence_spm(ic_s: np.ndarray) -> float:
    if ic_s.size < 2:
        return float("nan")
    return 120.0 / float(np.median(np.diff(np.sort(ic_s))))


def gaitmap_table() -> pd.DataFrame:
    """Events vs the gaitmap motion-capture reference (see module docstring)."""
    rows = []
    for rotated in (True, False):
        ds = datasets_foot.load_gaitmap(rotated=rotated)
        for reverse in (False, True):
            for method in ("pitch_lobes", "falbriard2018", "impact_stillness"):
                if method == "impact_stillness" and reverse:
                    continue  # accelerometer only: not symmetric in time (impacts)
                for name, rec in ds.recordings.items():
                    end_s = (rec.n_samples - 1) / rec.sampling_rate_hz
                    window = ds.windows[ds.windows.sensor == name].iloc[0]
                    if method == "impact_stillness":
                        rec = rec.replace(data=rec.data[list(schema.ACC_COLUMNS)])
                    ev = detect_foot_events(time_reverse(rec) if reverse else rec, method=method)
                    for kind in ("ic", "fc"):
                        ref_kind = {"ic": "fc", "fc": "ic"}[kind] if reverse else kind
                        sel = (ds.events.sensor == name) & (ds.events.event == ref_kind)
                        ref = ds.events.loc[sel, "time_s"].to_numpy()
                        lo, hi = float(window.start_s), float(window.end_s)
                        if reverse:
                            ref, lo, hi = end_s - ref, end_s - hi, end_s - lo
                        in_win = (ev.event == kind) & (ev.time_s >= lo) & (ev.time_s <= hi)
                        det = ev.loc[in_win, "time_s"].to_numpy()
                        row = {"frame": "gaitmap" if rotated else "raw", "time": "reversed" if reverse else "as recorded",
                               "method": method, "sensor": name, "event": kind}
                        row.update(_match_row(det, ref))
                        # the same without the turn: reference strides longer than 1.5 x the
                        # median (the left foot's turn, where motion capture shows two steps
                        # but the reference has one stride) and the events inside them
                        strides = ds.strides[ds.strides.sensor == name]
                        dur = strides["end_s"] - strides["start_s"]
                        spans = strides.loc[dur > 1.5 * dur.median(), ["start_s", "end_s"]].to_numpy()
                        if reverse:
                            spans = end_s - spans[:, ::-1]
                        keep_det = np.ones(det.shape, dtype=bool)
                        keep_ref = np.ones(ref.shape, dtype=bool)
                        for a, b in spans:
                            keep_det &= ~((det >= a) & (det <= b))
                            keep_ref &= ~((ref >= a) & (ref <= b))
                        row["f1_without_turn"] = match_events(det[keep_det], ref[keep_ref],
                                                              tolerance_s=TOLERANCE_S).f1
                        if kind == "ic":
                            ref_cad = _cadence_spm(ref)
                            row["cadence_err_pct"] = 100.0 * (_cadence_spm(det) - ref_cad) / ref_cad
                        rows.append(row)
    return pd.DataFrame(rows)


def gdin_table() -> pd.DataFrame:
    """Stride counts and stride time vs the gdin annotation."""
    rows = []
    for exp in datasets_foot.GDIN_EXPERIMENTS:
        ds = datasets_foot.load_gdin(exp)
        rec = ds.recordings["foot"]
        ev = detect_foot_events(rec)
        ic = ev.loc[ev.event == "ic", "time_s"].to_numpy()
        n_ref = int(ds.meta["n_strides_annotated"])
        ref_st = float(np.median(ds.strides["end_s"] - ds.strides["start_s"]))
        det_st = float(np.median(np.diff(ic))) if ic.size > 1 else float("nan")
        acc_only = detect_foot_events(rec.replace(data=rec.data[list(schema.ACC_COLUMNS)]))
        rows.append({"exp": exp, "strides_annotated": n_ref, "ic_detected": int(ic.size),
                     "ic_acc_only": int((acc_only.event == "ic").sum()),
                     "fc_detected": int((ev.event == "fc").sum()), "diff": int(ic.size) - n_ref,
                     "within_1": abs(int(ic.size) - n_ref) <= 1, "stride_time_ref_s": ref_st,
                     "stride_time_det_s": det_st})
    return pd.DataFrame(rows)


def gdin_stance_table() -> pd.DataFrame:
    """Ends of the zero-velocity intervals of :func:`detect_stance` vs the gdin annotation.

    gdin's ``strideIndex`` marks the end of each zero-velocity interval (the authors'
    LSTM detector, corrected by hand).  For each annotated end the nearest detected
    interval end is taken; the error is detected - annotated (ms).
    """
    rows = []
    for exp in datasets_foot.GDIN_EXPERIMENTS:
        ds = datasets_foot.load_gdin(exp)
        rec = ds.recordings["foot"]
        zv = detect_stance(rec)
        ends = zv["end_sample"].to_numpy()
        ref = ds.strides["start_sample"].to_numpy()
        err_ms = np.array([ends[np.argmin(np.abs(ends - r))] - r for r in ref]) / rec.sampling_rate_hz * 1000.0
        rows.append({"exp": exp, "zv_intervals": len(zv), "zv_ends_annotated": len(ref),
                     "median_ms": float(np.median(err_ms)), "median_abs_ms": float(np.median(np.abs(err_ms))),
                     "p95_abs_ms": float(np.percentile(np.abs(err_ms), 95)),
                     "n_over_100ms": int((np.abs(err_ms) > 100).sum())})
    return pd.DataFrame(rows)


#: Course distance (m) of each SVM segment group of subject II (README of the folder).
_UCI_GROUP_DISTANCE_M = {"walk": 13.41 + 7.62, "run": 7.62 + 15.24 + 15.24, "backward": 7.62 + 7.62,
                         "sideways": 7.62 + 5.81}


def _impact_delay_ms(rec: Recording, ic_samples: np.ndarray) -> float:
    """Median delay from each ic to the onset (half maximum) of the largest jerk burst
    within -50 / +150 ms: where the ground impact sits relative to the detected contact."""
    from retrogait.events._signal import jerk_norm

    fs = rec.sampling_rate_hz
    jerk = jerk_norm(rec.acc(), sampling_rate_hz=fs)
    delays = []
    for i in ic_samples:
        a, b = max(int(i) - round(0.05 * fs), 0), min(int(i) + round(0.15 * fs), rec.n_samples)
        if b - a < 3:
            continue
        seg = jerk[a:b]
        onset = a + int(np.flatnonzero(seg >= 0.5 * seg.max())[0])
        delays.append((onset - int(i)) / fs * 1000.0)
    return float(np.median(delays)) if delays else float("nan")


def uci_table() -> pd.DataFrame:
    """Strides per course segment of the UCI trials (no per-event reference)."""
    rows = []
    for trial in datasets_foot.UCI_TRIALS:
        ds = datasets_foot.load_uci(trial)
        rec = ds.recordings["foot_left"]
        ev = detect_foot_events(rec)
        ic = ev.loc[ev.event == "ic", "time_s"].to_numpy()
        for label in ("standing", "walk", "run", "backward", "sideways"):
            seg = ds.windows[ds.windows.label == label]
            if seg.empty:
                continue
            inside = np.zeros(ic.shape, dtype=bool)
            n_events = 0
            for _, w in seg.iterrows():
                inside |= (ic >= w.start_s) & (ic < w.end_s)
                n_events += int(((ev.time_s >= w.start_s) & (ev.time_s < w.end_s)).sum())
            sel = ic[inside]
            st = np.diff(sel)
            st = st[st < 4.0]  # strides across two separate windows are not strides
            med = float(np.median(st)) if st.size else float("nan")
            row = {"trial": trial, "segment": label, "n_strides": int(sel.size), "events": n_events,
                   "stride_time_median_s": med,
                   "long_strides": int((st > 1.6 * med).sum()) if st.size else 0,
                   "short_strides": int((st < 0.6 * med).sum()) if st.size else 0}
            if label != "standing":
                row["impact_after_ic_ms"] = _impact_delay_ms(rec, np.round(sel * rec.sampling_rate_hz))
            if label in _UCI_GROUP_DISTANCE_M and sel.size:
                row["mean_stride_length_m"] = _UCI_GROUP_DISTANCE_M[label] / sel.size
            rows.append(row)
    return pd.DataFrame(rows)


def simulation_table(placement: str = "foot") -> pd.DataFrame:
    """Detector vs the simulator's truth (forward/backward, walk/run, 3 rates, random mounting)."""
    try:
        from retrogait.simulate import simulate_gait
    except ImportError:
        return pd.DataFrame()
    from retrogait.events.shank import detect_shank_events

    detect = detect_foot_events if placement == "foot" else detect_shank_events
    rows = []
    for gait in ("walk", "run"):
        for direction in ("forward", "backward"):
            for rate in (100.0, 204.8, 487.0):
                sim = simulate_gait(placement=placement, gait=gait, direction=direction, n_strides=12,
                                    sampling_rate_hz=rate, mounting="random", seed=11)
                ev = detect(sim.recording)
                for kind in ("ic", "fc"):
                    row = {"gait": gait, "direction": direction, "rate_hz": rate, "event": kind}
                    row.update(_match_row(ev.loc[ev.event == kind, "time_s"].to_numpy(),
                                          sim.events.loc[sim.events.event == kind, "time_s"].to_numpy()))
                    rows.append(row)
    return pd.DataFrame(rows)


def tables() -> list[tuple[str, pd.DataFrame]]:
    """All foot tables as (title, table); datasets that are absent are left out."""
    out: list[tuple[str, pd.DataFrame]] = []
    tol = f"tolerance {TOLERANCE_S * 1000:.0f} ms"
    if datasets_foot.dataset_available("gaitmap_example"):
        out.append((f"Foot events vs gaitmap motion capture ({tol}; errors in ms, detected - reference)",
                    gaitmap_table()))
    if datasets_foot.dataset_available("gdin_foot_imu_stride_gcp"):
        out.append(("Foot stride counts vs gdin annotation (exp 31-38)", gdin_table()))
        out.append(("Zero-velocity interval ends (detect_stance) vs gdin strideIndex (ms)", gdin_stance_table()))
    if datasets_foot.dataset_available("uci_zupt_foot_imu_backward"):
        out.append(("Foot strides per UCI course segment (subject II; segments from SVM labels)", uci_table()))
    for placement in ("foot", "shank"):
        sim = simulation_table(placement)
        if not sim.empty:
            out.append((f"{placement.capitalize()} events vs simulation truth ({tol})", sim))
    return out


def main() -> None:
    """Print every table."""
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_rows", 500,
                           "display.float_format", "{:.3g}".format):
        for title, table in tables():
            print(f"\n## {title}\n")
            print(table.to_string(index=False))


if __name__ == "__main__":
    main()
