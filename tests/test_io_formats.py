"""Device and app formats: detection on the shared real examples, values on our own fixtures."""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retrogait.io as rio
from retrogait.errors import InputError, RetrogaitWarning

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
SHARED = Path(os.environ.get("RETROGAIT_SHARED_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
FORMATS_DIR = SHARED / "formats"
G = 9.80665

_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
assert _spec and _spec.loader
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

FOLDER_FORMAT = {
    "actigraph": "actigraph", "activpal": "activpal", "androsensor": "androsensor", "apdm": "apdm",
    "apple_watch_sensorlogger": "sensor_logger", "axivity": "axivity", "empatica_e4": "empatica_e4",
    "faros": "faros", "geneactiv": "geneactiv", "mbientlab_metawear": "metawear", "mhealth": "mhealth",
    "movesense": "movesense", "phyphox": "phyphox", "physics_toolbox": "physics_toolbox",
    "sensor_logger": "sensor_logger", "shimmer": "shimmer", "xsens_dot": "xsens_dot",
    "xsens_mtmanager": "xsens_mtmanager",
}


def _shared_files() -> list[Path]:
    if not FORMATS_DIR.is_dir():
        return []
    return sorted(p for p in FORMATS_DIR.glob("*/*") if p.name != "SOURCE.md")


@pytest.mark.realdata
@pytest.mark.skipif(not FORMATS_DIR.is_dir(), reason="shared format examples absent")
@pytest.mark.parametrize("path", _shared_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shared_examples_detected_and_read_or_refused_clearly(path):
    assert rio.detect_format(path) == FOLDER_FORMAT[path.parent.name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RetrogaitWarning)
        try:
            recs = rio.read_many(path)
        except InputError as err:
            assert str(path) in str(err)  # refused with a message naming the file
            return
    for rec in recs.values():
        assert rec.n_samples > 0 and rec.sampling_rate_hz > 0
        magnitude = np.linalg.norm(rec.acc(), axis=1)
        if not 4 < np.nanmedian(magnitude) < 30:  # m/s^2 with gravity, whatever the device unit was
            assert any("check the unit" in str(w.message) for w in caught)


@pytest.mark.realdata
@pytest.mark.skipif(not FORMATS_DIR.is_dir(), reason="shared format examples absent")
@pytest.mark.parametrize(("name", "rate"), [
    ("actigraph/MIMSunit_actigraph_timestamped_40Hz.csv", 40.0), ("actigraph/neo_raw_30Hz_no_timestamp.csv", 30.0),
    ("geneactiv/right_wrist_raw_100Hz.csv", 100.0), ("empatica_e4/ACC.csv", 32.0), ("faros/ACC.csv", 25.0),
    ("xsens_dot/bei_D4CA6EF17860_20210830_170505_recording.csv", 120.0),
    ("apdm/imuData01.csv", 128.0),
])
def test_shared_examples_rates(name, rate):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)
        rec = next(iter(rio.read_many(FORMATS_DIR / name).values()))
    assert rec.sampling_rate_hz == pytest.approx(rate, rel=0.01)


def test_shared_linear_examples_refused():
    if not FORMATS_DIR.is_dir():
        pytest.skip("shared format examples absent")
    with pytest.raises(InputError, match="gravity-free"):
        rio.read(FORMATS_DIR / "phyphox" / "Linear Accelerometer.csv")
    with pytest.raises(InputError, match="gravity-free"):
        rio.read(FORMATS_DIR / "xsens_dot" / "Pelvis_20210820_202113_836_realtime_60Hz.csv")


# ------------------------------------------------------------------ own fixtures, exact values

CASES = [
    # file, format, rate, n samples, has gyro, acc decimals in the file (g)
    ("phyphox/Accelerometer.csv", "phyphox", 100.0, 299, True, 1e-6),
    ("sensor_logger/TotalAcceleration.csv", "sensor_logger", 100.0, 300, True, 1e-6),
    ("physics_toolbox_semicolon.csv", "physics_toolbox", 100.0, 300, True, 1e-6),
    ("androsensor.csv", "androsensor", 100.0, 300, True, 1e-6),
    ("actigraph_timestamped.csv", "actigraph", 100.0, 300, False, 5e-4),
    ("actigraph_no_timestamp.csv", "actigraph", 100.0, 300, False, 5e-4),
    ("axivity_ax6.csv", "axivity", 100.0, 300, True, 1e-6),
    ("geneactiv.csv", "geneactiv", 100.0, 300, False, 5e-5),
    ("shimmer.csv", "shimmer", 100.0, 300, True, 1e-6),
    ("metawear.csv", "metawear", 100.0, 300, False, 5e-4),
    ("movesense.json", "movesense", 100.0, 296, True, 1e-9),
    ("xsens_dot.csv", "xsens_dot", 100.0, 300, True, 1e-6),
    ("xsens_mtmanager.txt", "xsens_mtmanager", 100.0, 300, True, 1e-6),
    ("mhealth.csv", "mhealth", 100.0, 300, False, 5e-4),
    ("faros/ACC.csv", "faros", 100.0, 300, False, 5e-5),
]


@pytest.mark.parametrize(("name", "fmt", "rate", "n", "gyro", "tol_g"), CASES, ids=[c[0] for c in CASES])
def test_fixture_values(name, fmt, rate, n, gyro, tol_g):
    path = FIXTURES / name
    assert rio.detect_format(path) == fmt
    with warnings.catch_warnings():
        warnings.simplefilter("error", RetrogaitWarning)  # device units are known: nothing inferred
        rec = rio.read(path)
    t, acc, gyr = make_fixtures.truth(300, 100.0)
    if fmt == "phyphox":  # gyroscope samples lie 2 ms after the accelerometer's: interpolated onto acc times
        gyr = np.column_stack([np.interp(t - 0.002, t, gyr[:, k]) for k in range(3)])
    assert rec.meta["format"] == fmt
    if fmt == "sensor_logger":
        assert rec.meta["sensor_logger_platform"] == "android"
    assert rec.sampling_rate_hz == pytest.approx(rate, rel=1e-3)
    assert rec.n_samples == n
    start = int(round(rec.meta.get("start_offset_s", 0.0) * rate))
    np.testing.assert_allclose(rec.acc(), acc[start:start + n] * G, atol=tol_g * G + 1e-9)
    assert rec.has_gyro is gyro
    if gyro:
        np.testing.assert_allclose(rec.gyr(), gyr[start:start + n], atol=1e-3)


def test_empatica_units_and_start():
    rec = rio.read(FIXTURES / "empatica_ACC.csv")
    _, acc, _ = make_fixtures.truth(300, 100.0)
    assert rec.sampling_rate_hz == 32.0
    np.testing.assert_allclose(rec.acc(), np.round(acc[:200] * 64) / 64 * G, atol=1e-9)
    assert rec.meta["start_time"] == "2024-05-01 08:00:00"


def test_activpal_counts_and_days():
    rec = rio.read(FIXTURES / "activpal.csv")
    assert rec.meta["format"] == "activpal" and rec.placement == "thigh"
    assert rec.sampling_rate_hz == pytest.approx(20.0, rel=1e-3)
    assert rec.meta["start_time"].startswith("2024-05-01")
    _, acc, _ = make_fixtures.truth(300, 100.0)
    np.testing.assert_allclose(rec.acc(), np.round(acc[:200] * 64) / 64 * G, atol=1e-9)  # (count - 127) / 64 g


def test_geneactiv_header_meta():
    rec = rio.read(FIXTURES / "geneactiv.csv")
    assert (rec.placement, rec.side) == ("wrist", "left")
    assert rec.meta["start_time"] == "2024-05-01 08:00:00"


def test_apdm_one_recording_per_sensor():
    recs = rio.read_many(FIXTURES / "apdm.csv")
    assert list(recs) == ["Left Foot", "Lumbar"]
    assert (recs["Left Foot"].placement, recs["Left Foot"].side) == ("foot", "left")
    assert recs["Lumbar"].placement == "lower_back"
    _, acc, gyr = make_fixtures.truth(300, 100.0)
    np.testing.assert_allclose(recs["Lumbar"].gyr(), gyr / 2, atol=1e-3)
    with pytest.raises(InputError, match=r"several sensors \['Left Foot', 'Lumbar'\]"):
        rio.read(FIXTURES / "apdm.csv")
    assert rio.read(FIXTURES / "apdm.csv", sensor="Lumbar").meta["sensor"] == "Lumbar"


def test_gaitmap_two_row_header():
    path = FIXTURES / "gaitmap_two_sensors.csv"
    with pytest.raises(InputError, match=r"several sensors \['left_sensor', 'right_sensor'\]"):
        rio.read(path, sampling_rate_hz=100)
    recs = rio.read_many(path, sampling_rate_hz=100, acc_unit="m/s^2", gyr_unit="deg/s")
    _, acc, gyr = make_fixtures.truth(300, 100.0)
    np.testing.assert_allclose(recs["right_sensor"].acc()[:, 0], -acc[:, 0] * G, atol=1e-5)
    np.testing.assert_allclose(recs["left_sensor"].gyr(), gyr, atol=1e-5)


@pytest.mark.parametrize("time_label", ["", "time"])
def test_two_row_header_with_a_shared_time_column(tmp_path, time_label):
    # the time column sits under no sensor label: every sensor uses it (found while documenting)
    t = np.arange(200) / 50.0
    lines = [f"{time_label},left_sensor,left_sensor,left_sensor,right_sensor,right_sensor,right_sensor",
             "time,acc_x,acc_y,acc_z,acc_x,acc_y,acc_z"]
    lines += [f"{x:.2f},0.1,0.2,9.8,{-x:.2f},0.2,9.8" for x in t]
    path = tmp_path / "shared_time.csv"
    path.write_text("\n".join(lines) + "\n")
    right = rio.read(path, sensor="right_sensor", acc_unit="m/s^2")
    assert right.sampling_rate_hz == pytest.approx(50.0)
    np.testing.assert_allclose(right.acc()[:, 0], -t, atol=1e-9)
    recs = rio.read_many(path, acc_unit="m/s^2")
    assert sorted(recs) == ["left_sensor", "right_sensor"]
    assert recs["left_sensor"].sampling_rate_hz == pytest.approx(50.0)
    np.testing.assert_allclose(recs["left_sensor"].acc()[:, 0], 0.1)


def test_sensor_logger_needs_gravity_for_user_acceleration(tmp_path):
    src = FIXTURES / "sensor_logger" / "TotalAcceleration.csv"
    frame = pd.read_csv(src)
    frame[["z", "y", "x"]] -= frame[["z", "y", "x"]].mean()
    frame.to_csv(tmp_path / "Accelerometer.csv", index=False)
    with pytest.raises(InputError, match="gravity-free"):
        rio.read(tmp_path / "Accelerometer.csv")
    gravity = pd.read_csv(src)
    gravity[["z", "y", "x"]] = pd.read_csv(src)[["z", "y", "x"]].mean().to_numpy()
    gravity.to_csv(tmp_path / "Gravity.csv", index=False)
    rec = rio.read(tmp_path / "Accelerometer.csv")
    _, acc, _ = make_fixtures.truth(300, 100.0)
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5)


def test_parquet_and_mat(tmp_path):
    from scipy.io import savemat

    t, acc, gyr = make_fixtures.truth(300, 100.0)
    frame = pd.DataFrame({"time": t, "acc_x": acc[:, 0], "acc_y": acc[:, 1], "acc_z": acc[:, 2]})
    frame.to_parquet(tmp_path / "a.parquet")
    rec = rio.read(tmp_path / "a.parquet", acc_unit="g")
    assert rec.meta["format"] == "parquet" and rec.sampling_rate_hz == pytest.approx(100)
    np.testing.assert_allclose(rec.acc(), acc * G)
    savemat(tmp_path / "m.mat", {"data": np.column_stack([acc, gyr])})
    rec = rio.read(tmp_path / "m.mat", sampling_rate_hz=100, acc_unit="g", gyr_unit="deg/s")
    np.testing.assert_allclose(rec.gyr(), gyr)
    rec = rio.read(tmp_path / "m.mat", sampling_rate_hz=100, acc_unit="g",
                   columns={2: "acc_x", 1: "acc_y", 0: "acc_z"})
    np.testing.assert_allclose(rec.acc()[:, 0], acc[:, 2] * G)
    savemat(tmp_path / "empty.mat", {"note": "nothing"})
    with pytest.raises(InputError, match=r"empty\.mat: no accelerometer data found"):
        rio.read(tmp_path / "empty.mat", sampling_rate_hz=100)


def test_mat_v73_refused_with_hint(tmp_path):
    header = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 ."
    (tmp_path / "v73.mat").write_bytes(header.ljust(116, b" ") + b"\x00" * 8 + b"\x00\x02IM" + b"\x00" * 512)
    with pytest.raises(InputError, match=r"v73\.mat: MATLAB v7\.3 \(HDF5\) file; save it with -v7"):
        rio.read(tmp_path / "v73.mat", sampling_rate_hz=100)


def test_mtmanager_packet_counter_gaps_with_given_rate(tmp_path):
    lines = (FIXTURES / "xsens_mtmanager.txt").read_text().splitlines()
    header = [ln for ln in lines if ln.startswith("//") and "Update Rate" not in ln]
    table = [ln for ln in lines if not ln.startswith("//")]
    kept = table[:1] + table[1:101] + table[131:]  # 30 packets lost (0.3 s)
    path = tmp_path / "mt.txt"
    path.write_text("\n".join(header + kept) + "\n")
    with pytest.raises(InputError, match="no time column and no sampling rate"):
        rio.read(path)
    with pytest.warns(RetrogaitWarning, match="longer than 0.1 s"):
        rec = rio.read(path, sampling_rate_hz=100)
    assert rec.n_samples == 300  # the lost packets are a listed gap, not a shortened recording
    assert rec.meta["gaps"] == [(pytest.approx(0.99), pytest.approx(1.30))]
