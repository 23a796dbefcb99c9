"""Loaders for the shared lower-back and phone recordings used by the trunk/step benchmarks.

The data live outside the repository, in ``../shared/data`` next to the repo (override with
the environment variable ``RETROGAIT_SHARED_DATA``).  Every loader returns plain objects
(a :class:`retrogait.recording.Recording` plus reference tables in seconds) and raises
``FileNotFoundError`` when the folder is absent, so tests can skip cleanly.

Folders (see each ``SOURCE.md``):

- ``mobgap_example/exported_csv`` -- lower-back IMU (McRoberts MM+, 100 Hz, acc m/s^2,
  gyr deg/s) with the INDIP reference: initial contacts (sample index at 100 Hz, with
  left/right label), strides and walking bouts (Apache-2.0).
- ``oxford_step_counter_validation`` -- phone accelerometer (~100 Hz, irregular timing,
  m/s^2) with a cumulative ground-truth step count; six carrying positions, user 1 only
  (CC BY 4.0).
- ``gaitpy_demo_lumbar`` -- lumbar GENEActiv accelerometer, 50 Hz, in g; no reference (MIT).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from retrogait.recording import Recording
from retrogait.schema import STANDARD_GRAVITY_MS2

from benchmarks._data import shared_data_dir


def _folder(name: str) -> Path:
    path = shared_data_dir() / name
    if not path.is_dir():
        raise FileNotFoundError(f"shared data folder {name!r} not found at {path}")
    return path


# --- mobgap ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MobgapTrial:
    """One lower-back trial of the mobgap example data with its INDIP reference.

    Attributes
    ----------
    name : str
        ``<cohort>_<id>_<TimeMeasure>_<Test>_<Trial>``.
    recording : Recording
        Lower-back IMU, placement ``lower_back``.
    ic : pandas.DataFrame
        Reference initial contacts: ``wb_id, time_s, side``.
    bouts : pandas.DataFrame
        Reference walking bouts: ``wb_id, start_s, end_s, n_strides, cadence_spm``.
    strides : pandas.DataFrame
        Reference strides: ``wb_id, start_s, end_s, duration_s, stance_time_s, side``
        (``start_s + stance_time_s`` is the final contact of that foot).
    """

    name: str
    recording: Recording
    ic: pd.DataFrame
    bouts: pd.DataFrame
    strides: pd.DataFrame = field(repr=False)


def mobgap_trial_names(*, reference: str = "INDIP") -> list[str]:
    """Names of the mobgap example trials (sorted) with an IMU file and a non-empty reference.

    ``HA_002`` Test5 has no INDIP walking bout (empty reference) and is left out.
    """
    folder = _folder("mobgap_example") / "exported_csv"
    names = sorted(p.name[: -len("_lowerback_imu.csv")] for p in folder.glob("*_lowerback_imu.csv"))
    out = []
    for n in names:
        ic_path = folder / f"{n}_ref_{reference}_ic_list.csv"
        if ic_path.exists() and len(pd.read_csv(ic_path)) > 0:
            out.append(n)
    return out


def load_mobgap_trial(name: str, *, reference: str = "INDIP") -> MobgapTrial:
    """Load one mobgap example trial and its reference (``INDIP`` or ``Stereophoto``).

    Sample indices of the reference are converted to seconds with the 100 Hz rate stated
    in the trial's ``meta.json``.
    """
    folder = _folder("mobgap_example") / "exported_csv"
    imu = pd.read_csv(folder / f"{name}_lowerback_imu.csv", index_col=0)
    meta = json.loads((folder / f"{name}_meta.json").read_text())
    fs = float(meta["sampling_rate_hz"])
    rec = Recording(
        data=imu.reset_index(drop=True),
        sampling_rate_hz=fs,
        placement="lower_back",
        meta={"sensor": "lower_back", "subject": name[:6], "trial": name, "source_file": f"{name}_lowerback_imu.csv"},
    )
    ic = pd.read_csv(folder / f"{name}_ref_{reference}_ic_list.csv")
    wb = pd.read_csv(folder / f"{name}_ref_{reference}_wb_list.csv")
    sp = pd.read_csv(folder / f"{name}_ref_{reference}_stride_parameters.csv")
    ic_table = pd.DataFrame(
        {"wb_id": ic["wb_id"].astype(int), "time_s": ic["ic"].to_numpy(float) / fs, "side": ic["lr_label"].astype(object)}
    )
    bouts = pd.DataFrame(
        {
            "wb_id": wb["wb_id"].astype(int),
            "start_s": wb["start"].to_numpy(float) / fs,
            "end_s": wb["end"].to_numpy(float) / fs,
            "n_strides": wb["n_strides"].astype(int),
            "cadence_spm": wb["avg_cadence_spm"].to_numpy(float),
        }
    )
    strides = pd.DataFrame(
        {
            "wb_id": sp["wb_id"].astype(int),
            "start_s": sp["start"].to_numpy(float) / fs,
            "end_s": sp["end"].to_numpy(float) / fs,
            "duration_s": sp["duration_s"].to_numpy(float),
            "stance_time_s": sp["stance_time_s"].to_numpy(float) if "stance_time_s" in sp else np.nan,
            "side": sp["lr_label"].astype(object) if "lr_label" in sp else pd.Series(dtype=object),
        }
    )
    return MobgapTrial(name=name, recording=rec, ic=ic_table, bouts=bouts, strides=strides)


# --- oxford ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OxfordFile:
    """One phone recording of the Oxford step-counter validation set.

    Attributes
    ----------
    name : str
        ``user1_<position>``.
    position : str
        Carrying position (hand, frontpocket, backpocket, neckpouch, armband, bag).
    recording : Recording
        Phone accelerometer resampled to a uniform rate (placement ``phone``).
    step_times_s : numpy.ndarray
        Time of every ground-truth step (s from the first sample).
    n_steps : int
        Ground-truth step count (final value of the counter).
    """

    name: str
    position: str
    recording: Recording
    step_times_s: np.ndarray
    n_steps: int


OXFORD_RATE_HZ = 100.0
"""Uniform rate the irregular Android samples are interpolated to (the nominal rate)."""


def oxford_file_paths() -> list[Path]:
    """The Oxford validation CSVs present in the shared folder (sorted)."""
    return sorted(_folder("oxford_step_counter_validation").glob("user*_*.csv"))


def load_oxford_file(path: Path) -> OxfordFile:
    """Load one Oxford validation CSV.

    Android timestamps (ns since boot) are irregular and contain repeated samples, so the
    three axes are linearly interpolated onto a uniform 100 Hz grid (the nominal rate);
    repeated timestamps are dropped first.
    """
    cols = ["t_ns", "acc_x", "acc_y", "acc_z", "steps_algo", "steps_truth", "steps_hw"]
    d = pd.read_csv(path, header=None, names=cols)
    t_s = (d["t_ns"].to_numpy(dtype=np.int64) - int(d["t_ns"].iloc[0])) / 1e9
    truth = d["steps_truth"].to_numpy()
    step_idx = np.flatnonzero(np.diff(truth) > 0) + 1
    step_times_s = t_s[step_idx]
    keep = np.concatenate([[True], np.diff(t_s) > 0])
    t_u = t_s[keep]
    grid = np.arange(0.0, t_u[-1], 1.0 / OXFORD_RATE_HZ)
    data = pd.DataFrame({c: np.interp(grid, t_u, d[c].to_numpy(float)[keep]) for c in ("acc_x", "acc_y", "acc_z")})
    parts = path.stem.split("_")
    position = parts[1]
    name = f"{parts[0]}_{position}"
    rec = Recording(
        data=data,
        sampling_rate_hz=OXFORD_RATE_HZ,
        placement="phone",
        meta={"sensor": f"phone_{position}", "position": position, "source_file": path.name},
    )
    return OxfordFile(name=name, position=position, recording=rec, step_times_s=step_times_s, n_steps=int(truth[-1]))


# --- gaitpy ---------------------------------------------------------------------------


def load_gaitpy_features() -> pd.DataFrame:
    """GaitPy's own output for its demo (not a reference): one row per gait cycle with
    ``bout_number``, ``bout_start_s``, ``bout_length_s``, ``steps`` (per bout) and the
    cycle's ``ic_s`` / ``fc_s``, all in s from the first sample of ``demo_data.csv``
    (whose clock, 10:25:50.000, is UTC like GaitPy's epoch-ms contact times)."""
    folder = _folder("gaitpy_demo_lumbar")
    f = pd.read_csv(folder / "demo_gait_features.csv")
    t0 = pd.Timestamp("2019-08-06 10:25:50.000", tz="UTC")
    start = pd.to_datetime(f["bout_start_time"]).dt.tz_localize("UTC")
    return pd.DataFrame({
        "bout_number": f["bout_number"].astype(int),
        "bout_start_s": (start - t0).dt.total_seconds().to_numpy(),
        "bout_length_s": f["bout_length_sec"].to_numpy(float),
        "steps": f["steps"].astype(int),
        "ic_s": (f["IC"].to_numpy(float) / 1000.0) - t0.timestamp(),
        "fc_s": (f["FC"].to_numpy(float) / 1000.0) - t0.timestamp(),
    })


def load_gaitpy_demo() -> Recording:
    """The GaitPy lumbar demo (GENEActiv, 50 Hz, g converted to m/s^2); no reference."""
    path = _folder("gaitpy_demo_lumbar") / "demo_data.csv"
    d = pd.read_csv(path, skiprows=100, header=None, names=["time", "x_g", "y_g", "z_g", "lux", "button", "temp"])
    data = pd.DataFrame(
        {f"acc_{a}": d[f"{a}_g"].to_numpy(float) * STANDARD_GRAVITY_MS2 for a in ("x", "y", "z")}
    )
    return Recording(
        data=data, sampling_rate_hz=50.0, placement="lower_back", meta={"sensor": "lower_back", "source_file": path.name}
    )
