"""Loaders of the foot-IMU validation datasets in ``../shared/data`` (read at run time).

Each loader returns a :class:`FootDataset`: the recordings as :class:`retrogait.Recording`
objects (acc in m/s^2, gyr in deg/s, sensor frame, placement ``"foot"``) and the
reference that comes with the dataset.  The recordings are never copied into the
repository; the UCI data in particular are CC BY-NC-ND and are only read from the
shared folder.  When a dataset is absent the loaders raise :class:`FileNotFoundError`
(use :func:`dataset_available` to skip cleanly).

Where the data live: ``$RETROGAIT_SHARED_DATA`` if set, else ``<repo>/../shared/data``.

Datasets
--------
``load_gaitmap(*, rotated=True)``
    gaitmap example (MIT): both feet, 204.8 Hz, forward walking 2 x 20 m with a turn,
    motion-capture ``ic`` / ``tc`` for 57 strides.  ``rotated=False`` gives the same data
    in the raw sensor frame (to check that nothing assumes an axis).
``load_gdin(exp)``
    gait-driven inertial navigation dataset (MIT), experiments 31-38: one foot, 200 Hz,
    corridor walks; the hand-checked end of each zero-velocity interval
    (``strideIndex``) and the floor-measured footprint of every stride (stride length).
``load_uci(trial)``
    UCI foot IMU (CC BY-NC-ND 4.0), subject II (folder ``2023_08_23``), trials
    200, 300, 400, 500, 700, 800, 900: left foot, 800 Hz, walk / jog / run / sprint /
    backward walk / side steps over an 87.6 m course.  No per-event reference; the
    segments of the course are located at run time from the authors' SVM labels
    (a model's output, not ground truth).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait.recording import Recording
from retrogait.schema import EVENTS_COLUMNS, conform, empty_events

from benchmarks._data import dataset_available as dataset_available  # re-exported for the tests
from benchmarks._data import shared_data_dir

#: gaitmap example sampling rate (SOURCE.md), Hz.
GAITMAP_RATE_HZ = 204.8
#: gdin dataset sampling rate (SOURCE.md), Hz.
GDIN_RATE_HZ = 200.0
#: UCI dataset sampling rate (SOURCE.md, u[10] = 1/800 s), Hz.
UCI_RATE_HZ = 800.0
#: UCI accelerometer scale factor g -> m/s^2 given in SOURCE.md.
UCI_G_TO_MS2 = 9.817269086191379
GDIN_EXPERIMENTS = tuple(range(31, 39))
UCI_TRIALS = (200, 300, 400, 500, 700, 800, 900)
#: UCI SVM label codes (SOURCE.md) grouped into course segments.
UCI_LABEL_GROUPS: dict[str, tuple[int, ...]] = {
    "walk": (1, 2, 10, 11),
    "run": (3, 4, 5, 12, 13, 14),
    "backward": (6, 7, 15, 16),
    "sideways": (8, 9, 17, 18),
}
#: Course distances of subject II per segment (mat/2023_08_23/README.txt), m.
UCI_SEGMENT_DISTANCE_M = {
    "walk_slow": 13.41,
    "walk_fast": 7.62,
    "jog": 7.62,
    "run": 15.24,
    "sprint": 15.24,
    "backward_fast": 7.62,
    "backward_slow": 7.62,
    "sideways_left": 7.62,
    "sideways_right": 5.81,
}


@dataclass(frozen=True)
class FootDataset:
    """Recordings of one trial with their reference.

    Attributes
    ----------
    name : str
        Dataset and trial, e.g. ``"gdin/36"``.
    recordings : dict of str to Recording
        Keyed by ``Recording.name`` (``"foot_left"``, ``"foot_right"``, ``"foot"``).
    events : pandas.DataFrame
        Reference events in the events contract (``sample, time_s, event, side, sensor``);
        empty when the dataset has no event reference.
    strides : pandas.DataFrame
        Reference strides: ``sensor, start_sample, end_sample, start_s, end_s`` and, where
        known, ``stride_length_m`` (NaN otherwise) plus dataset-specific columns.
    windows : pandas.DataFrame
        ``sensor, start_s, end_s, label``: stretches of time in which the reference is
        complete (``label="reference"``) or course segments (UCI: ``walk``, ``run``,
        ``backward``, ``sideways``, ``standing``).
    meta : dict
        Free-form facts about the trial (source files, distances, ...).
    """

    name: str
    recordings: dict[str, Recording]
    events: pd.DataFrame
    strides: pd.DataFrame
    windows: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"validation data not found: {path} (set RETROGAIT_SHARED_DATA)")
    return path


# ----------------------------------------------------------------------------- gaitmap


def load_gaitmap(*, rotated: bool = True) -> FootDataset:
    """Load the gaitmap example (both feet, 204.8 Hz) with its motion-capture events.

    Parameters
    ----------
    rotated : bool
        True: ``imu_sample.csv`` (gaitmap sensor frame); False: ``imu_sample_not_rotated.csv``
        (raw sensor frame, axes permuted and signs changed).

    Returns
    -------
    FootDataset
        ``events``: the mocap ``ic`` and ``tc`` (as ``fc``) of the 57 reference strides.
        ``strides``: per stride ``start/end`` (mid-stance borders), ``ic_sample``,
        ``fc_sample`` and ``stride_length_m`` (mocap heel-marker displacement).
        ``windows``: per foot the span of the contiguous reference strides; events of a
        detector should be compared within it.
    """
    folder = shared_data_dir() / "gaitmap_example"
    imu_file = _require(folder / ("imu_sample.csv" if rotated else "imu_sample_not_rotated.csv"))
    imu = pd.read_csv(imu_file, header=[0, 1], index_col=0)
    ref = pd.read_csv(_require(folder / "stride_events_sample.csv"))
    lengths = pd.read_csv(_require(folder / "derived_stride_length_from_mocap_position.csv"))
    recordings: dict[str, Recording] = {}
    events = []
    strides = []
    windows = []
    for side in ("left", "right"):
        data = imu[f"{side}_sensor"][["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]]
        rec = Recording(
            data=data.reset_index(drop=True),
            sampling_rate_hz=GAITMAP_RATE_HZ,
            placement="foot",
            side=side,
            meta={"source_file": str(imu_file.name), "dataset": "gaitmap_example", "rotated": rotated},
        )
        recordings[rec.name] = rec
        grp = ref[ref["foot"] == side].sort_values("start")
        sl = lengths[lengths["sensor"] == f"{side}_sensor"].set_index("s_id")["stride_length_m"]
        for kind, column in (("ic", "ic"), ("fc", "tc")):
            samples = np.unique(grp[column].to_numpy(dtype=np.int64))
            events.append(
                pd.DataFrame(
                    {
                        "sample": samples,
                        "time_s": samples / GAITMAP_RATE_HZ,
                        "event": kind,
                        "side": side,
                        "sensor": rec.name,
                    }
                )
            )
        s_id = grp["s_id"].to_numpy()
        strides.append(
            pd.DataFrame(
                {
                    "sensor": rec.name,
                    "start_sample": grp["start"].to_numpy(dtype=np.int64),
                    "end_sample": grp["end"].to_numpy(dtype=np.int64),
                    "start_s": grp["start"].to_numpy(dtype=float) / GAITMAP_RATE_HZ,
                    "end_s": grp["end"].to_numpy(dtype=float) / GAITMAP_RATE_HZ,
                    "ic_sample": grp["ic"].to_numpy(dtype=np.int64),
                    "fc_sample": grp["tc"].to_numpy(dtype=np.int64),
                    "stride_length_m": sl.reindex(s_id).to_numpy(),
                }
            )
        )
        # contiguous reference strides form one window
        starts = grp["start"].to_numpy(dtype=float)
        ends = grp["end"].to_numpy(dtype=float)
        breaks = np.flatnonzero(starts[1:] != ends[:-1])
        first = np.r_[0, breaks + 1]
        last = np.r_[breaks, len(starts) - 1]
        for a, b in zip(first, last, strict=True):
            windows.append(
                {"sensor": rec.name, "start_s": starts[a] / GAITMAP_RATE_HZ, "end_s": ends[b] / GAITMAP_RATE_HZ,
                 "label": "reference"}
            )
    ev = pd.concat(events, ignore_index=True).sort_values(["sensor", "time_s"], kind="stable")
    return FootDataset(
        name="gaitmap" + ("" if rotated else "_not_rotated"),
        recordings=recordings,
        events=conform(ev, EVENTS_COLUMNS),
        strides=pd.concat(strides, ignore_index=True),
        windows=pd.DataFrame(windows),
        meta={"dataset": "gaitmap_example", "rotated": rotated, "reference": "optical motion capture"},
    )


# -------------------------------------------------------------------------------- gdin


def load_gdin(exp: int) -> FootDataset:
    """Load one gdin experiment (31-38): one foot, 200 Hz, corridor walk.

    Parameters
    ----------
    exp : int
        Experiment number, 31-38 (39-46 are held out and not in the shared copy).

    Returns
    -------
    FootDataset
        ``events`` is empty (no event reference).  ``strides``: one row per annotated
        stride between consecutive ``strideIndex`` samples (end of the zero-velocity
        interval, hand-checked; the last index is the end of the file) with
        ``stride_length_m`` = distance between consecutive floor-measured footprints.
        The number of annotated strides is ``len(strides)`` (= ``numberOfStrides``).
        ``windows``: the whole recording.
    """
    import scipy.io as sio

    if exp not in GDIN_EXPERIMENTS:
        raise ValueError(f"exp: expected one of {list(GDIN_EXPERIMENTS)}, found {exp!r}")
    folder = shared_data_dir() / "gdin_foot_imu_stride_gcp"
    mat_file = _require(folder / "llio_stride_annotated" / f"SensorConnectData_{exp}_LLIO.mat")
    gcp_file = _require(folder / "gcp_ruler_measured" / f"SensorConnectData_{exp}.mat")
    mat = sio.loadmat(mat_file)
    gcp = sio.loadmat(gcp_file)
    imu = np.asarray(mat["imu_data"], dtype=float)
    data = pd.DataFrame(
        {
            "acc_x": imu[:, 0],
            "acc_y": imu[:, 1],
            "acc_z": imu[:, 2],
            "gyr_x": np.rad2deg(imu[:, 3]),
            "gyr_y": np.rad2deg(imu[:, 4]),
            "gyr_z": np.rad2deg(imu[:, 5]),
        }
    )
    rec = Recording(
        data=data,
        sampling_rate_hz=GDIN_RATE_HZ,
        placement="foot",
        side=None,
        meta={"source_file": mat_file.name, "dataset": "gdin_foot_imu_stride_gcp", "experiment": exp},
    )
    index = np.asarray(mat["strideIndex"], dtype=np.int64).ravel()
    points = np.asarray(gcp["GCP_meters"], dtype=float)
    length = np.hypot(*np.diff(points, axis=0).T)
    n = len(index) - 1
    strides = pd.DataFrame(
        {
            "sensor": rec.name,
            "start_sample": index[:-1],
            "end_sample": index[1:],
            "start_s": index[:-1] / GDIN_RATE_HZ,
            "end_s": index[1:] / GDIN_RATE_HZ,
            "stride_length_m": length[:n] if len(length) >= n else np.r_[length, np.full(n - len(length), np.nan)],
        }
    )
    windows = pd.DataFrame([{"sensor": rec.name, "start_s": 0.0, "end_s": rec.duration_s, "label": "reference"}])
    return FootDataset(
        name=f"gdin/{exp}",
        recordings={rec.name: rec},
        events=empty_events(),
        strides=strides,
        windows=windows,
        meta={
            "dataset": "gdin_foot_imu_stride_gcp",
            "experiment": exp,
            "n_strides_annotated": int(n),
            "number_of_strides_mat": int(np.asarray(gcp["numberOfStrides"]).ravel()[0]),
            "reference": "hand-checked end of zero-velocity intervals; floor-measured footprints",
        },
    )


# --------------------------------------------------------------------------------- uci


def _uci_segments(labels: np.ndarray, rate_hz: float, n: int) -> pd.DataFrame:
    """Course segments from the per-sample SVM labels (majority of moving classes).

    In 2-s windows the most frequent label group among the moving classes (walk, run,
    backward, sideways) is taken when moving samples make up at least 35 % of the
    window (the rule that SOURCE.md used to locate the backward segment); stretches of
    the same group are merged.  Time before the first and after the last moving stretch
    is ``standing``.  A model's labels: edges are uncertain by about 1-2 s.
    """
    win = int(round(2.0 * rate_hz))
    groups = list(UCI_LABEL_GROUPS)
    kernel = np.ones(win) / win
    fractions = np.vstack(
        [np.convolve(np.isin(labels, UCI_LABEL_GROUPS[g]).astype(float), kernel, mode="same") for g in groups]
    )
    best = np.argmax(fractions, axis=0)
    moving = fractions.max(axis=0) >= 0.35
    code = np.where(moving, best, -1)
    change = np.flatnonzero(np.diff(code)) + 1
    starts = np.r_[0, change]
    ends = np.r_[change, n]
    rows = []
    for a, b in zip(starts, ends, strict=True):
        if code[a] < 0:
            continue
        rows.append({"start_s": a / rate_hz, "end_s": b / rate_hz, "label": groups[code[a]]})
    seg = pd.DataFrame(rows, columns=["start_s", "end_s", "label"])
    if len(seg):
        seg = pd.concat(
            [
                pd.DataFrame([{"start_s": 0.0, "end_s": seg["start_s"].iloc[0], "label": "standing"}]),
                seg,
                pd.DataFrame([{"start_s": seg["end_s"].iloc[-1], "end_s": n / rate_hz, "label": "standing"}]),
            ],
            ignore_index=True,
        )
    return seg


def load_uci(trial: int) -> FootDataset:
    """Load one UCI trial of subject II (left foot, 800 Hz, forward + backward + sideways).

    Parameters
    ----------
    trial : int
        One of 200, 300, 400, 500, 700, 800, 900.

    Returns
    -------
    FootDataset
        ``events`` and ``strides`` are empty (no per-event reference).  ``windows``: the
        course segments (``walk``, ``run``, ``backward``, ``sideways``, ``standing``)
        located at run time from the authors' SVM labels (see :func:`_uci_segments`).
        ``meta["segment_distance_m"]``: course distances.

    Notes
    -----
    Licence CC BY-NC-ND 4.0: the data are read from the shared folder only; nothing
    derived from them is stored in the repository.
    """
    import scipy.io as sio

    if trial not in UCI_TRIALS:
        raise ValueError(f"trial: expected one of {list(UCI_TRIALS)}, found {trial!r}")
    folder = shared_data_dir() / "uci_zupt_foot_imu_backward"
    mat_file = _require(folder / "mat" / "2023_08_23" / f"exp{trial}_VN.mat")
    u = np.asarray(sio.loadmat(mat_file)["u"], dtype=float)
    data = pd.DataFrame(
        {
            "acc_x": u[0] * UCI_G_TO_MS2,
            "acc_y": u[1] * UCI_G_TO_MS2,
            "acc_z": u[2] * UCI_G_TO_MS2,
            "gyr_x": u[3],
            "gyr_y": u[4],
            "gyr_z": u[5],
        }
    )
    rec = Recording(
        data=data,
        sampling_rate_hz=UCI_RATE_HZ,
        placement="foot",
        side="left",
        meta={"source_file": mat_file.name, "dataset": "uci_zupt_foot_imu_backward", "trial": trial},
    )
    label_file = folder / "svm_predicted_labels" / "2023_08_23" / f"exp{trial}_Y_predicted.csv"
    windows = pd.DataFrame(columns=["sensor", "start_s", "end_s", "label"])
    if label_file.exists():
        pred = pd.read_csv(label_file)["predicted_l"].to_numpy()
        labels = np.full(rec.n_samples, -1)
        labels[350 : 350 + len(pred)] = pred[: max(0, rec.n_samples - 350)]
        seg = _uci_segments(labels, UCI_RATE_HZ, rec.n_samples)
        seg.insert(0, "sensor", rec.name)
        windows = seg
    return FootDataset(
        name=f"uci/II/exp{trial}",
        recordings={rec.name: rec},
        events=empty_events(),
        strides=pd.DataFrame(columns=["sensor", "start_sample", "end_sample", "start_s", "end_s", "stride_length_m"]),
        windows=windows,
        meta={
            "dataset": "uci_zupt_foot_imu_backward",
            "subject": "II",
            "trial": trial,
            "segment_distance_m": dict(UCI_SEGMENT_DISTANCE_M),
            "reference": "none per event; segments from SVM labels (model output)",
        },
    )
