"""Rebuild the bundled samples from ../shared/data (run from the repository root).

    python data/samples/make_samples.py

Each sample is a plain CSV: ``time_s`` then ``acc_x, acc_y, acc_z`` (m/s^2) and, where
the sensor has one, ``gyr_x, gyr_y, gyr_z`` (deg/s).  Only permissively licensed
recordings are used (see README.md here); nothing from the CC BY-NC-ND dataset.
The backward sample is simulated (no redistributable real backward recording exists).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("RETROGAIT_SHARED_DATA", REPO.parent / "shared" / "data"))
G = 9.80665


def _write(df: pd.DataFrame, name: str, acc_decimals: int = 4, gyr_decimals: int = 3) -> None:
    out = df.copy()
    for c in out.columns:
        if c.startswith("acc"):
            out[c] = out[c].round(acc_decimals)
        elif c.startswith("gyr"):
            out[c] = out[c].round(gyr_decimals)
        elif c == "time_s":
            out[c] = out[c].round(6)
    path = HERE / name
    out.to_csv(path, index=False)
    print(f"wrote {path.relative_to(REPO)}: {len(out)} rows, {path.stat().st_size / 1e3:.0f} kB")


def gaitmap() -> None:
    """Both feet, 204.8 Hz, gaitmap sensor frame (MIT, MaD-Lab FAU)."""
    imu = pd.read_csv(SHARED / "gaitmap_example" / "imu_sample.csv", header=[0, 1], index_col=0)
    fs = 204.8
    for side in ("left", "right"):
        part = imu[f"{side}_sensor"].copy()
        part.insert(0, "time_s", np.arange(len(part)) / fs)
        _write(part.reset_index(drop=True), f"gaitmap_{side}_foot.csv")


def gaitpy() -> None:
    """Lumbar GENEActiv, 50 Hz, g -> m/s^2 (MIT, GaitPy demo)."""
    raw = pd.read_csv(SHARED / "gaitpy_demo_lumbar" / "demo_data.csv", skiprows=100, header=None,
                      usecols=[0, 1, 2, 3], names=["timestamp", "x", "y", "z"])
    fs = 50.0
    df = pd.DataFrame({"time_s": np.arange(len(raw)) / fs, "acc_x": raw["x"] * G, "acc_y": raw["y"] * G,
                       "acc_z": raw["z"] * G})
    _write(df, "gaitpy_lower_back.csv")


def oxford() -> None:
    """Phone in the hand, ~100 Hz (irregular), m/s^2 (CC BY 4.0, Oxford step counter)."""
    path = SHARED / "oxford_step_counter_validation" / "user1_hand_1506421989895.csv"
    raw = pd.read_csv(path, header=None, names=["t_ns", "x", "y", "z", "app", "truth", "hw"])
    raw = raw[(raw["t_ns"] > 0) & ((raw[["x", "y", "z"]] != 0).any(axis=1))]
    t = (raw["t_ns"] - raw["t_ns"].iloc[0]) / 1e9
    df = pd.DataFrame({"time_s": t, "acc_x": raw["x"], "acc_y": raw["y"], "acc_z": raw["z"]})
    _write(df.reset_index(drop=True), "oxford_phone_hand.csv")
    steps = int(raw["truth"].max() - raw["truth"].min())
    print(f"  ground-truth steps in the oxford sample: {steps}")


def simulated_backward() -> None:
    """Simulated backward walking, left foot, 200 Hz (retrogait.simulate, seed 7)."""
    sys.path.insert(0, str(REPO / "src"))
    from retrogait.simulate import simulate_gait

    trial = simulate_gait(placement="foot", side="left", gait="walk", direction="backward", n_strides=30,
                          sampling_rate_hz=200.0, seed=7)
    df = trial.recording.data.copy()
    df.insert(0, "time_s", trial.recording.time_s)
    _write(df[["time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]], "simulated_backward_left_foot.csv")


if __name__ == "__main__":
    if not SHARED.is_dir():
        raise SystemExit(f"shared data not found at {SHARED}; set RETROGAIT_SHARED_DATA")
    gaitmap()
    gaitpy()
    oxford()
    simulated_backward()
