"""Contact-type classification (retrogait.contact) per dataset and condition: label counts.

    python benchmarks/accuracy_contact.py

Forward walking (gaitmap with mocap events, gdin with retrogait events, uci forward
segments) should be heel_first; uci backward walking toe_first; the time-reversed gaitmap
recordings (samples reversed, gyroscope negated, ic <-> fc) toe_first.  uci segments come
from the authors' SVM labels shrunk by 1 s at each end.  "segment alone": the segment
(shrunk by 1.5 s) cut out and analysed as its own recording, so the toe direction is
decided from that segment's strides only (a backward-only recording); ``unknown`` there
means the toe direction was undecided.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrogait.contact import add_contact  # noqa: E402
from retrogait.events.foot import detect_foot_events  # noqa: E402
from retrogait.simulate import time_reverse, time_reverse_events  # noqa: E402
from retrogait.strides import strides_from_events  # noqa: E402

from benchmarks import datasets_foot as dfoot  # noqa: E402

LABELS = ("heel_first", "flat", "toe_first", "unknown")


def _counts(dataset: str, condition: str, strides: pd.DataFrame) -> dict:
    row: dict = {"dataset": dataset, "condition": condition, "n_strides": len(strides)}
    for label in LABELS:
        row[label] = int((strides["contact_type"] == label).sum())
    expected = "toe_first" if ("backward" in condition or "reversed" in condition) else "heel_first"
    if condition == "sideways":
        expected = "flat"
    row["expected"] = expected
    row["expected_pct"] = 100.0 * row[expected] / max(len(strides), 1)
    row["median_strike_deg"] = float(strides["strike_angle_deg"].median())
    return row


def table() -> pd.DataFrame:
    rows = []
    if dfoot.dataset_available("gaitmap_example"):
        ds = dfoot.load_gaitmap(rotated=False)
        fw, rv = [], []
        for name, rec in ds.recordings.items():
            ev = ds.events[ds.events["sensor"] == name]
            fw.append(add_contact(strides_from_events(ev, rec.sampling_rate_hz), rec, ev))
            rev = time_reverse(rec)
            rev_ev = time_reverse_events(ev, (rev.n_samples - 1) / rev.sampling_rate_hz,
                                         sampling_rate_hz=rev.sampling_rate_hz)
            rv.append(add_contact(strides_from_events(rev_ev, rev.sampling_rate_hz), rev, rev_ev))
        rows.append(_counts("gaitmap", "forward walk (mocap events)", pd.concat(fw)))
        rows.append(_counts("gaitmap", "time-reversed forward walk", pd.concat(rv)))
    if dfoot.dataset_available("gdin_foot_imu_stride_gcp"):
        parts = []
        for exp in dfoot.GDIN_EXPERIMENTS:
            rec = next(iter(dfoot.load_gdin(exp).recordings.values()))
            ev = detect_foot_events(rec).assign(sensor=rec.name, side="left")
            parts.append(add_contact(strides_from_events(ev, rec.sampling_rate_hz), rec, ev))
        rows.append(_counts("gdin 31-38", "forward walk (retrogait events)", pd.concat(parts)))
    if dfoot.dataset_available("uci_zupt_foot_imu_backward"):
        by_segment: dict[str, list[pd.DataFrame]] = {}
        for trial in dfoot.UCI_TRIALS:
            ds = dfoot.load_uci(trial)
            rec = next(iter(ds.recordings.values()))
            ev = detect_foot_events(rec).assign(sensor=rec.name)
            out = add_contact(strides_from_events(ev, rec.sampling_rate_hz), rec, ev)
            for _, w in ds.windows.iterrows():
                if w["label"] == "standing":
                    continue
                inside = out[(out["start_s"] >= w["start_s"] + 1.0) & (out["end_s"] <= w["end_s"] - 1.0)]
                by_segment.setdefault(w["label"], []).append(inside)
            for label in ("walk", "backward"):
                w = ds.windows[ds.windows["label"] == label]
                seg = w.assign(d=w["end_s"] - w["start_s"]).sort_values("d").iloc[-1]
                fs = rec.sampling_rate_hz
                part = rec.replace(data=rec.data.iloc[int((seg["start_s"] + 1.5) * fs):
                                                      int((seg["end_s"] - 1.5) * fs)].reset_index(drop=True))
                part_ev = detect_foot_events(part).assign(sensor=part.name)
                alone = add_contact(strides_from_events(part_ev, fs), part, part_ev)
                by_segment.setdefault(f"{label} alone", []).append(alone)
        names = {"walk": "forward walk", "run": "forward jog/run/sprint", "backward": "backward walk",
                 "sideways": "sideways", "walk alone": "forward walk, segment alone",
                 "backward alone": "backward walk, segment alone"}
        for label, parts in by_segment.items():
            rows.append(_counts("uci subject II", names.get(label, label), pd.concat(parts)))
    return pd.DataFrame(rows)


def tables() -> list[tuple[str, pd.DataFrame]]:
    """The contact classification table (empty list when no data are present)."""
    result = table()
    return [("Contact type per dataset and condition (strides per label)", result)] if len(result) else []


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    for title, t in tables():
        print(f"\n## {title}\n")
        print(t.round(2).to_string(index=False))
