"""Batch discovery of phone-app exports (phyphox, Sensor Logger): one analysis per export, companions skipped.

Fixture folders are written in ``tmp_path`` with the file names, folder layouts and headers
of the real exports described in ``../shared/data/formats/*/SOURCE.md`` and
``research/formats.md`` (phyphox: ``Accelerometer.csv``, ``Gyroscope.csv``,
``meta/device.csv``, ``meta/time.csv``; Sensor Logger: ``<Sensor>.csv`` with
``time,seconds_elapsed,z,y,x``, ``Metadata.csv``), with a simulated foot recording inside
so that the analysed exports give the simulated strides.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retrogait as rg
from retrogait.batch import batch, plan
from retrogait.cli import main
from retrogait.manifest import find_files, phone_exports
from retrogait.simulate import simulate_gait

RATE_HZ = 100.0
N_STRIDES = 10
G_MS2 = 9.80665
SHARED = Path(os.environ.get("RETROGAIT_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
FORMATS = SHARED / "formats"

PHYPHOX_ACC = '"Time (s)","X (m/s^2)","Y (m/s^2)","Z (m/s^2)"'
PHYPHOX_GYR = '"Time (s)","X (rad/s)","Y (rad/s)","Z (rad/s)"'
SL_HEADER = "time,seconds_elapsed,z,y,x"
SL_METADATA = ("version,device name,recording time,platform,appVersion,device id,sensors,sampleRateMs\n"
               "3,Pixel 7,2024-02-12_11-24-44,android,1.28.1,0c1d,Accelerometer|Gravity|Gyroscope,10\n")


def _simulated(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Time (s), acceleration (m/s^2) and angular rate (rad/s) of a simulated left foot, and its stride count."""
    trial = simulate_gait(placement="foot", side="left", direction="forward", n_strides=N_STRIDES,
                          sampling_rate_hz=RATE_HZ, seed=seed)
    rec = trial.recording
    acc = rec.data[["acc_x", "acc_y", "acc_z"]].to_numpy()
    gyr = np.deg2rad(rec.data[["gyr_x", "gyr_y", "gyr_z"]].to_numpy())
    return np.asarray(rec.time_s), acc, gyr, len(trial.strides)


def _phyphox_table(header: str, t_s: np.ndarray, xyz: np.ndarray) -> str:
    rows = [f"{t:.9E},{x:.9E},{y:.9E},{z:.9E}" for t, (x, y, z) in zip(t_s, xyz, strict=True)]
    return "\n".join([header, *rows]) + "\n"


def write_phyphox(folder: Path, *, seed: int = 1, prefix: str = "") -> int:
    """A phyphox export as unzipped: Accelerometer.csv, Gyroscope.csv, meta/; returns the stride count."""
    t_s, acc, gyr, n_strides = _simulated(seed)
    (folder / "meta").mkdir(parents=True, exist_ok=True)
    (folder / f"{prefix}Accelerometer.csv").write_text(_phyphox_table(PHYPHOX_ACC, t_s, acc))
    (folder / f"{prefix}Gyroscope.csv").write_text(_phyphox_table(PHYPHOX_GYR, t_s + 0.0025, gyr))
    (folder / "meta" / "device.csv").write_text('"property","value"\n"version","1.1.16"\n"deviceModel","Pixel 7"\n')
    (folder / "meta" / "time.csv").write_text('"event","experiment time","system time","system time text"\n'
                                              '"START",0.000000000E0,1.739381134E9,"2025-02-12 19:25:34.172 UTC+02:00"\n')
    return n_strides


def _sl_table(t_s: np.ndarray, xyz: np.ndarray, *, start_ns: int = 1_707_663_721_334_068_000) -> str:
    rows = [f"{start_ns + round(t * 1e9)},{t:.6f},{z:.9g},{y:.9g},{x:.9g}" for t, (x, y, z) in zip(t_s, xyz, strict=True)]
    return "\n".join([SL_HEADER, *rows]) + "\n"


def write_sensor_logger(folder: Path, *, seed: int = 2, prefix: str = "", total: bool = False,
                        uncalibrated: bool = True) -> int:
    """A Sensor Logger (Android) export: Accelerometer.csv without gravity + Gravity.csv, Gyroscope.csv,
    Metadata.csv, Orientation.csv, Location.csv (and TotalAcceleration.csv, AccelerometerUncalibrated.csv)."""
    t_s, acc, gyr, n_strides = _simulated(seed)
    gravity = np.tile([0.0, 0.0, G_MS2], (len(t_s), 1))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{prefix}Accelerometer.csv").write_text(_sl_table(t_s, acc - gravity))
    (folder / f"{prefix}Gravity.csv").write_text(_sl_table(t_s, gravity))
    (folder / f"{prefix}Gyroscope.csv").write_text(_sl_table(t_s, gyr))
    if total:
        (folder / f"{prefix}TotalAcceleration.csv").write_text(_sl_table(t_s, acc))
    if uncalibrated:
        (folder / f"{prefix}AccelerometerUncalibrated.csv").write_text(_sl_table(t_s, acc + 0.05))
    (folder / f"{prefix}Metadata.csv").write_text(SL_METADATA)
    (folder / f"{prefix}Orientation.csv").write_text(
        "time,seconds_elapsed,qz,qy,qx,qw,roll,pitch,yaw\n"
        + "".join(f"{1_707_663_721_334_068_000 + i * 10**7},{i / 100:.2f},0,0,0,1,0,0,0\n" for i in range(50)))
    (folder / f"{prefix}Location.csv").write_text(
        "time,seconds_elapsed,bearingAccuracy,speedAccuracy,verticalAccuracy,horizontalAccuracy,speed,bearing,"
        "altitude,longitude,latitude\n"
        + "".join(f"{1_707_663_721_334_068_000 + i * 10**9},{i}.0,10,0.5,3,4,1.2,90,50,6.08,50.77\n" for i in range(5)))
    return n_strides


def _batch(inputs, out: Path | None = None, **options) -> rg.batch.BatchResult:  # type: ignore[name-defined]
    options = {"placement": "foot", "side": "left", "progress": False, "jobs": 1, **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return batch(inputs, out_dir=out, **options)


def _statuses(result) -> dict[str, str]:
    return {entry["file"]: entry["status"] for entry in result.provenance["inputs"]}


# --------------------------------------------------------------------------- phyphox


def test_a_folder_of_phyphox_exports_is_analysed_once_per_export(tmp_path):
    study = tmp_path / "study"
    truth = {subject: write_phyphox(study / subject, seed=seed) for seed, subject in enumerate(("s01", "s02"), 1)}
    res = _batch(study, tmp_path / "out", pattern="{subject}/Accelerometer.csv")

    assert res.ok and res.errors.empty
    assert res.summary["subject"].tolist() == ["s01", "s02"]
    assert res.summary["file"].tolist() == ["s01/Accelerometer.csv", "s02/Accelerometer.csv"]
    # the simulated strides are found, so the gyroscope file was merged and the recording read whole
    for subject, n_strides in truth.items():
        found = res.strides[res.strides["subject"] == subject]
        assert abs(len(found) - n_strides) <= 2
    statuses = _statuses(res)
    for subject in ("s01", "s02"):
        assert statuses[f"{subject}/Accelerometer.csv"] == "analysed"
        for companion in ("Gyroscope.csv", "meta/device.csv", "meta/time.csv"):
            assert statuses[f"{subject}/{companion}"] == "skipped"
    assert (res.n_files, res.n_skipped, res.provenance["n_skipped_files"]) == (2, 6, 6)
    entries = {e["file"]: e for e in json.loads((tmp_path / "out" / "provenance.json").read_text())["inputs"]}
    gyro = entries["s01/Gyroscope.csv"]
    assert gyro["companion_of"] == "s01/Accelerometer.csv" and gyro["merged"] is True
    assert "merged into s01/Accelerometer.csv" in gyro["reason"]
    meta = entries["s02/meta/time.csv"]
    assert meta["companion_of"] == "s02/Accelerometer.csv" and meta["merged"] is False
    assert "metadata file of the phyphox export" in meta["reason"]


def test_the_plan_lists_companions_as_skipped_not_as_errors(tmp_path):
    write_phyphox(tmp_path / "s01")
    table = plan(tmp_path)
    by_file = table.set_index("file")
    assert table["error"].isna().all()
    assert pd.isna(by_file.loc["Accelerometer.csv", "skipped"])
    assert by_file.loc["Accelerometer.csv", "trial"] == "Accelerometer.csv"
    assert by_file.loc["Gyroscope.csv", "skipped"].startswith("merged into Accelerometer.csv")
    assert set(by_file.index[by_file["skipped"].notna()]) == {"Gyroscope.csv", "meta/device.csv", "meta/time.csv"}


def test_a_lone_phyphox_gyroscope_or_metadata_file_is_an_error_row_with_a_clear_message(tmp_path):
    write_phyphox(tmp_path / "s01")
    lone = tmp_path / "lab"
    lone.mkdir()
    (lone / "Gyroscope.csv").write_text((tmp_path / "s01" / "Gyroscope.csv").read_text())
    (lone / "meta").mkdir()
    (lone / "meta" / "device.csv").write_text((tmp_path / "s01" / "meta" / "device.csv").read_text())
    res = _batch(tmp_path)
    messages = dict(zip(res.errors["file"], res.errors["message"], strict=True))
    assert set(messages) == {"lab/Gyroscope.csv", "lab/meta/device.csv"}
    assert "phyphox gyroscope file without acceleration, and no phyphox accelerometer file" in messages[
        "lab/Gyroscope.csv"]
    assert "phyphox metadata file" in messages["lab/meta/device.csv"]
    assert _statuses(res)["s01/Accelerometer.csv"] == "analysed"
    table = plan(tmp_path).set_index("file")
    assert table.loc["lab/Gyroscope.csv", "error"] == messages["lab/Gyroscope.csv"]


def test_a_gravity_free_phyphox_file_next_to_one_with_gravity_is_skipped_unless_named(tmp_path):
    write_phyphox(tmp_path)
    linear = tmp_path / "Linear Accelerometer.csv"
    linear.write_text((tmp_path / "Accelerometer.csv").read_text())
    table = plan(tmp_path).set_index("file")
    assert table.loc["Linear Accelerometer.csv", "skipped"].startswith("gravity-free acceleration")
    named = plan([tmp_path / "Accelerometer.csv", linear, tmp_path / "Gyroscope.csv"]).set_index("file")
    assert named["skipped"].notna().tolist() == [False, False, True]


def test_a_given_format_turns_recognition_off(tmp_path):
    write_phyphox(tmp_path)
    table = plan(tmp_path, format="phyphox")
    assert table["skipped"].isna().all() and len(table) == 4


# --------------------------------------------------------------------------- Sensor Logger


def test_a_sensor_logger_export_is_analysed_through_accelerometer_plus_gravity(tmp_path):
    n_strides = write_sensor_logger(tmp_path / "walk")
    res = _batch(tmp_path, tmp_path / "out")
    assert res.ok, res.errors
    assert res.summary["file"].tolist() == ["Accelerometer.csv"]
    assert abs(len(res.strides) - n_strides) <= 2
    entries = {e["file"]: e for e in res.provenance["inputs"]}
    merged = {name for name, e in entries.items() if e["status"] == "skipped" and e["merged"]}
    unused = {name for name, e in entries.items() if e["status"] == "skipped" and not e["merged"]}
    assert merged == {"Gravity.csv", "Gyroscope.csv", "Metadata.csv"}
    assert unused == {"Orientation.csv", "Location.csv", "AccelerometerUncalibrated.csv"}
    assert entries["AccelerometerUncalibrated.csv"]["reason"].startswith("another accelerometer stream")
    assert "Location file of the Sensor Logger export analysed through Accelerometer.csv" in entries[
        "Location.csv"]["reason"]


def test_total_acceleration_is_preferred_and_each_export_of_a_folder_is_kept_apart(tmp_path):
    write_sensor_logger(tmp_path, prefix="android_", total=True)
    write_sensor_logger(tmp_path, prefix="ios_", seed=3)
    table = plan(tmp_path).set_index("file")
    analysed = table.index[table["skipped"].isna()].tolist()
    assert analysed == ["android_TotalAcceleration.csv", "ios_Accelerometer.csv"]
    assert table.loc["android_Gravity.csv", "skipped"].startswith("Gravity file of the Sensor Logger export "
                                                                  "analysed through android_TotalAcceleration.csv")
    assert table.loc["ios_Gravity.csv", "skipped"].startswith("merged into ios_Accelerometer.csv")
    assert table["error"].isna().all()


def test_a_sensor_logger_stream_named_by_the_user_is_analysed_too(tmp_path):
    write_sensor_logger(tmp_path)
    inputs = [tmp_path / "Accelerometer.csv", tmp_path / "AccelerometerUncalibrated.csv", tmp_path / "Gyroscope.csv"]
    table = plan(inputs).set_index("file")
    assert table["skipped"].isna().tolist() == [True, True, False]
    # a glob names nothing one by one: the preferred stream only
    globbed = plan(str(tmp_path / "Acc*.csv")).set_index("file")
    assert globbed["skipped"].isna().tolist() == [True, False]


def test_a_lone_sensor_logger_gyroscope_is_an_error_row(tmp_path):
    write_sensor_logger(tmp_path / "walk")
    res = _batch(tmp_path / "walk" / "Gyroscope.csv")
    assert res.errors["file"].tolist() == ["Gyroscope.csv"]
    assert "Sensor Logger Gyroscope file, and no accelerometer file of its export is among the inputs" in (
        res.errors["message"].iloc[0])
    assert _statuses(res) == {"Gyroscope.csv": "failed"}


def test_companions_do_not_fail_the_pattern(tmp_path):
    for subject, seed in (("s01", 2), ("s02", 3)):
        write_sensor_logger(tmp_path / subject, seed=seed, uncalibrated=False)
    table = plan(tmp_path, pattern="{subject}/Accelerometer.csv")
    assert table["error"].isna().all()
    assert table.loc[table["skipped"].isna(), "subject"].tolist() == ["s01", "s02"]


def test_resume_recomputes_an_export_when_a_merged_companion_changes(tmp_path):
    write_sensor_logger(tmp_path / "walk", uncalibrated=False)
    out = tmp_path / "out"
    _batch(tmp_path / "walk", out)
    again = _batch(tmp_path / "walk", out, resume=True)
    assert _statuses(again)["Accelerometer.csv"] == "cached"
    (tmp_path / "walk" / "Orientation.csv").write_text((tmp_path / "walk" / "Orientation.csv").read_text() + "\n")
    assert _statuses(_batch(tmp_path / "walk", out, resume=True))["Accelerometer.csv"] == "cached"
    gyro = tmp_path / "walk" / "Gyroscope.csv"
    lines = gyro.read_text().splitlines()
    gyro.write_text("\n".join(lines[: len(lines) // 2]) + "\n")  # a shorter gyroscope cuts the recording
    changed = _batch(tmp_path / "walk", out, resume=True)
    assert _statuses(changed)["Accelerometer.csv"] == "analysed"
    assert changed.summary["duration_s"].iloc[0] < 0.6 * again.summary["duration_s"].iloc[0]


def test_the_command_line_says_once_how_many_companions_it_skipped(tmp_path, capsys):
    # phyphox: Gyroscope, meta/device, meta/time; Sensor Logger: Gravity, Gyroscope, Metadata,
    # AccelerometerUncalibrated, Orientation, Location
    write_phyphox(tmp_path / "study" / "s01")
    write_sensor_logger(tmp_path / "study" / "s02")
    code = main(["batch", str(tmp_path / "study"), "--out", str(tmp_path / "out"), "--placement", "foot",
                 "--no-progress", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err.count("skipped 9 companion file(s) of phone exports") == 1
    assert "2 file(s) in 2 trial(s): 2 analysed" in captured.out
    code = main(["batch", str(tmp_path / "study"), "--out", str(tmp_path / "out"), "--dry-run"])
    captured = capsys.readouterr()
    assert code == 0
    assert "2 file(s), 2 trial(s), 9 skipped (companion files of phone exports), 0 would fail" in captured.out


# --------------------------------------------------------------------------- agreement with read


def _merged_by_batch(folder: Path) -> dict[Path, set[Path]]:
    keep, companions, _ = phone_exports(find_files(folder))
    merged: dict[Path, set[Path]] = {path: set() for path in keep}
    for c in companions:
        if c.merged:
            merged[c.accelerometer].add(c.path)
    return merged


def _files_read(path: Path) -> set[Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            meta = rg.read(path).meta
        except rg.InputError:
            return set()
    return {Path(meta[k]).resolve() for k in ("gyroscope_file", "gravity_file") if k in meta}


def test_the_companions_batch_calls_merged_are_the_files_read_merges(tmp_path):
    write_phyphox(tmp_path / "p")
    write_sensor_logger(tmp_path / "sl", total=True)
    for folder in (tmp_path / "p", tmp_path / "sl"):
        for accelerometer, merged in _merged_by_batch(folder).items():
            sensors = {p for p in merged if "Metadata" not in p.name}  # read records the sensor files it merges
            assert sensors == _files_read(accelerometer)


# --------------------------------------------------------------------------- real exports


@pytest.mark.skipif(not FORMATS.is_dir(), reason="shared real-data folder ../shared/data/formats not present")
def test_real_phone_exports_are_recognised(tmp_path):
    """The real exports of ../shared/data/formats (SOURCE.md): which file of each export is analysed.

    phyphox/ holds one gait export (gait_Accelerometer.csv + gait_Gyroscope.csv) and,
    flattened, its meta files and a "Linear Accelerometer" file; sensor_logger/ holds an
    Android export (TotalAcceleration is preferred), an iOS export (Accelerometer + Gravity)
    and the Metadata file of another iOS recording; the watch folder holds two recordings.
    """
    folders = [FORMATS / name for name in ("phyphox", "sensor_logger", "apple_watch_sensorlogger")]
    table = plan(folders)
    analysed = sorted(table.loc[table["skipped"].isna() & table["error"].isna(), "file"])
    assert analysed == ["apple_watch_sensorlogger/WatchAccelerometerUncalibrated_swim.csv",
                        "apple_watch_sensorlogger/WristMotion.csv", "phyphox/gait_Accelerometer.csv",
                        "sensor_logger/android_TotalAcceleration.csv", "sensor_logger/ios_Accelerometer.csv"]
    errors = table.loc[table["error"].notna(), "file"].tolist()
    assert errors == ["sensor_logger/ios_Metadata_of_a_10ms_recording.csv"]
    skipped = table.set_index("file")["skipped"].dropna()
    assert len(skipped) == 14
    assert skipped["phyphox/gait_Gyroscope.csv"].startswith("merged into phyphox/gait_Accelerometer.csv")
    assert skipped["sensor_logger/ios_Gravity.csv"].startswith("merged into sensor_logger/ios_Accelerometer.csv")
    for folder in folders:
        for accelerometer, merged in _merged_by_batch(folder).items():
            assert {p for p in merged if "Metadata" not in p.name} == _files_read(accelerometer)
    res = _batch(FORMATS / "phyphox", placement="unknown", side=None)
    assert res.errors.empty and res.n_skipped == 4 and _statuses(res)["gait_Accelerometer.csv"] == "analysed"


def test_names_must_match_the_files_one_to_one(tmp_path):
    write_phyphox(tmp_path)
    files = find_files(tmp_path)
    with pytest.raises(rg.InputError, match=r"names: expected one name per file \(4\), found 1"):
        phone_exports(files, names=["Accelerometer.csv"])
    from retrogait.manifest import make_specs

    with pytest.raises(rg.InputError, match=r"names: expected one name per file \(4\), found 2"):
        make_specs(files, names=["a.csv", "b.csv"])


def test_unreadable_and_foreign_files_are_left_to_read(tmp_path):
    write_phyphox(tmp_path)
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "walk.csv").write_text("time_s,acc_x,acc_y,acc_z\n0.00,0,0,9.81\n0.01,0,0,9.81\n")
    keep, companions, errors = phone_exports(find_files(tmp_path))
    assert sorted(p.name for p in keep) == ["Accelerometer.csv", "empty.csv", "walk.csv"]
    assert len(companions) == 3 and errors == []


def test_a_manifest_format_cell_turns_recognition_off_for_its_file_only(tmp_path):
    write_sensor_logger(tmp_path, uncalibrated=False)
    manifest = pd.DataFrame({"file": ["Gyroscope.csv", "Gravity.csv", "Orientation.csv"],
                             "format": ["sensor_logger", float("nan"), "auto"]})
    table = plan(tmp_path, manifest=manifest.assign(file=[str(tmp_path / f) for f in manifest["file"]]))
    by_file = table.set_index("file")
    assert pd.isna(by_file.loc["Gyroscope.csv", "skipped"])  # format given: taken as it is
    assert by_file.loc["Gravity.csv", "skipped"].startswith("merged into Accelerometer.csv")
    assert by_file.loc["Orientation.csv", "skipped"].startswith("Orientation file")
