"""Trunk tilt per stride (``trunk_tilt_deg``, retrogait.posture): simulated truth and real data.

    python benchmarks/accuracy_posture.py

(``benchmarks/accuracy.py --only posture`` runs the same tables.)

Tables
------
``simulated lower back, known tilt``
    ``retrogait.simulate`` lower-back walks and runs, forward and backward, 3 s of standing
    before and after; the sensor data of the gait segment are rotated by a known angle
    about a horizontal axis (0 or 8 deg).  Errors of the strides that get a value
    (``trunk_tilt_deg - truth``); the simulated trunk pitches +-1.5 deg and rolls +-2 deg
    within the stride, which average out.
``mobgap lower back, forward walking``
    The mobgap lab recordings (healthy adults HA_001/HA_002, one person with multiple
    sclerosis MS_001; Test5 = short straight walk from standing, Test11 = simulated
    daily-life course with turns, sitting and stairs/slope) analysed with ``analyze``.
    There is no reference posture: the table shows the distribution of the tilt and
    which rest periods served as the standing reference.  Strides are split by whether
    they overlap an INDIP turn (``turn`` column), since a turn adds a centripetal
    acceleration to the stride's mean.
``mobgap rest periods``
    Every rest period of at least 2 s: its angle from the walking posture and whether it
    served as the standing reference (within 20 deg).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import retrogait as rg  # noqa: E402
from retrogait.bouts import detect_activity  # noqa: E402
from retrogait.orientation import quat_from_rotvec, quat_rotate  # noqa: E402
from retrogait.posture import (  # noqa: E402
    MAX_STANDING_DEVIATION_DEG,
    MIN_REST_S,
    rest_periods,
    standing_periods,
    trunk_tilt,
)
from retrogait.recording import Recording  # noqa: E402

from benchmarks._data import dataset_available, shared_data_dir  # noqa: E402

#: Sensor axis pointing to the wearer's left in the mobgap lower-back frame (as in
#: benchmarks/accuracy_trunk.py).
MOBGAP_LEFT_AXIS = "-y"
KNOWN_TILT_DEG = 8.0


def rotate_segment(rec: Recording, start_s: float, end_s: float, rotvec_rad: np.ndarray) -> Recording:
    """A copy of ``rec`` whose acc (and gyr) samples in [start_s, end_s) are rotated by ``rotvec_rad``."""
    data = rec.data.copy()
    t = np.arange(rec.n_samples) / rec.sampling_rate_hz
    inside = (t >= start_s) & (t < end_s)
    q = quat_from_rotvec(np.asarray(rotvec_rad, dtype=float))
    for cols in (("acc_x", "acc_y", "acc_z"), ("gyr_x", "gyr_y", "gyr_z")):
        if all(c in data.columns for c in cols):
            values = data.loc[inside, list(cols)].to_numpy(float)
            data.loc[inside, list(cols)] = quat_rotate(q, values)
    return rec.replace(data=data)


def simulated_table() -> pd.DataFrame:
    rows = []
    for gait in ("walk", "run"):
        for direction in ("forward", "backward"):
            for truth in (0.0, KNOWN_TILT_DEG):
                sim = rg.simulate.simulate_gait(placement="lower_back", gait=gait, direction=direction, n_strides=15,
                                                sampling_rate_hz=100.0, rest_before_s=3.0, rest_after_s=3.0, seed=11)
                gait_seg = sim.segments[sim.segments["kind"] == "gait"].iloc[0]
                rec = rotate_segment(sim.recording, float(gait_seg["start_s"]), float(gait_seg["end_s"]),
                                     np.deg2rad(truth) * np.array([0.0, 1.0, 0.0]))
                tilt = trunk_tilt(sim.strides, rec)
                err = tilt[np.isfinite(tilt)] - truth
                rows.append({"gait": gait, "direction": direction, "truth_deg": truth, "strides": len(tilt),
                             "measured": int(err.size), "median_error_deg": float(np.median(err)),
                             "max_abs_error_deg": float(np.max(np.abs(err)))})
    return pd.DataFrame(rows)


def _mobgap_names() -> list[str]:
    folder = shared_data_dir() / "mobgap_example" / "exported_csv"
    return sorted(p.name[: -len("_lowerback_imu.csv")] for p in folder.glob("*_lowerback_imu.csv"))


def _turn_mask(strides: pd.DataFrame, name: str, fs: float) -> np.ndarray:
    path = shared_data_dir() / "mobgap_example" / "exported_csv" / f"{name}_ref_INDIP_turn_parameters.csv"
    turns = pd.read_csv(path) if path.exists() else pd.DataFrame(columns=["start", "end"])
    mask = np.zeros(len(strides), dtype=bool)
    for t in turns.itertuples():
        mask |= (strides["start_s"].to_numpy() < t.end / fs) & (strides["end_s"].to_numpy() > t.start / fs)
    return mask


def mobgap_strides() -> pd.DataFrame:
    """Strides of every mobgap trial with ``trunk_tilt_deg`` and ``trial``, ``test``, ``turn``."""
    from benchmarks.datasets_trunk import load_mobgap_trial

    parts = []
    for name in _mobgap_names():
        rec = load_mobgap_trial(name).recording
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = rg.analyze(rec, left_axis=MOBGAP_LEFT_AXIS)
        st = res.strides
        parts.append(st.assign(trial=name, test=name.split("_")[3], turn=_turn_mask(st, name, rec.sampling_rate_hz)))
    return pd.concat(parts, ignore_index=True)


def _dist(values: np.ndarray) -> dict[str, float]:
    v = values[np.isfinite(values)]
    if v.size == 0:
        return {"n_tilt": 0, "median_deg": np.nan, "p25_deg": np.nan, "p75_deg": np.nan, "mean_deg": np.nan}
    return {"n_tilt": int(v.size), "median_deg": float(np.median(v)), "p25_deg": float(np.percentile(v, 25)),
            "p75_deg": float(np.percentile(v, 75)), "mean_deg": float(np.mean(v))}


def mobgap_table(strides: pd.DataFrame | None = None) -> pd.DataFrame:
    from benchmarks.datasets_trunk import load_mobgap_trial

    strides = mobgap_strides() if strides is None else strides
    rows = []
    for name in _mobgap_names():
        rec = load_mobgap_trial(name).recording
        rest = rest_periods(rec, activity=detect_activity(rec), min_rest_s=MIN_REST_S)
        st = strides[(strides["trial"] == name) & (strides["gait"] == "walk")]
        tilt = st["trunk_tilt_deg"].to_numpy(float)
        straight = ~st["turn"].to_numpy(bool)
        rows.append({"trial": name.replace("_TimeMeasure1", ""), "strides": len(st),
                     "rests_ge_2s": len(rest), "rest_s": float((rest["end_s"] - rest["start_s"]).sum()),
                     **_dist(tilt), "median_straight_deg": _dist(tilt[straight])["median_deg"],
                     "median_turn_deg": _dist(tilt[~straight])["median_deg"]})
    return pd.DataFrame(rows)


def mobgap_rest_table(strides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every rest period of >= 2 s: its angle from the walking posture and whether it was the reference."""
    from benchmarks.datasets_trunk import load_mobgap_trial

    strides = mobgap_strides() if strides is None else strides
    rows = []
    for name in _mobgap_names():
        rec = load_mobgap_trial(name).recording
        st = strides[strides["trial"] == name]
        for r in standing_periods(rec, st).itertuples():
            rows.append({"trial": name.replace("_TimeMeasure1", ""), "start_s": r.start_s, "end_s": r.end_s,
                         "deviation_from_walking_deg": r.deviation_deg, "used_as_standing": bool(r.standing)})
    return pd.DataFrame(rows)


def mobgap_pooled_table(strides: pd.DataFrame | None = None) -> pd.DataFrame:
    strides = mobgap_strides() if strides is None else strides
    walk = strides[strides["gait"] == "walk"]
    rows = []
    for test in ("Test5", "Test11"):
        for label, sel in (("straight", ~walk["turn"]), ("turn", walk["turn"]), ("all", walk["turn"] | True)):
            part = walk[(walk["test"] == test) & sel]
            if len(part):
                rows.append({"test": test, "strides": label, **_dist(part["trunk_tilt_deg"].to_numpy(float))})
    return pd.DataFrame(rows)


def tables() -> list[tuple[str, pd.DataFrame]]:
    out = [("posture: simulated lower back, sensor rotated by a known angle during gait "
            "(trunk_tilt_deg - truth; chain ends left out)", simulated_table())]
    if not dataset_available("mobgap_example"):
        out.append(("posture: mobgap lower back", pd.DataFrame({"note": ["../shared/data/mobgap_example absent"]})))
        return out
    strides = mobgap_strides()
    out.append((f"posture: mobgap lower back, forward walking strides (standing reference: rest periods "
                f">= {MIN_REST_S:g} s within {MAX_STANDING_DEVIATION_DEG:g} deg of the walking posture)",
                mobgap_table(strides)))
    out.append(("posture: mobgap lower back, pooled by test and INDIP turns", mobgap_pooled_table(strides)))
    out.append(("posture: mobgap rest periods >= 2 s and which served as the standing reference",
                mobgap_rest_table(strides)))
    return out


if __name__ == "__main__":
    from benchmarks.accuracy import to_markdown

    for title, table in tables():
        print(f"### {title}\n\n{to_markdown(table)}\n")
