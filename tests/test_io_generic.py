"""Generic CSV reader: dialects, aliases, time encodings, units, gaps and errors."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retrogait.io as rio
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.schema import STANDARD_GRAVITY_MS2 as G

RATE = 100.0


def gait_signal(n: int = 2000, rate: float = RATE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time (s), acceleration (g, gravity on z) and angular rate (deg/s) of a 1.8 Hz gait."""
    t = np.arange(n) / rate
    acc = np.column_stack([
        0.3 * np.sin(2 * np.pi * 1.8 * t),
        0.2 * np.cos(2 * np.pi * 0.9 * t),
        1.0 + 0.4 * np.sin(2 * np.pi * 1.8 * t + 0.5),
    ])
    gyr = np.column_stack([
        250 * np.sin(2 * np.pi * 0.9 * t), 60 * np.cos(2 * np.pi * 0.9 * t), 30 * np.sin(2 * np.pi * 1.8 * t)
    ])
    return t, acc, gyr


def write(path: Path, header: list[str], rows: np.ndarray | list, *, delim: str = ",", decimal: str = ".",
          preamble: tuple[str, ...] = (), fmt: str = "{:.6f}") -> Path:
    lines = list(preamble)
    if header:
        lines.append(delim.join(header))
    for row in rows:
        cells = [fmt.format(v) if isinstance(v, float | np.floating) else str(v) for v in row]
        if decimal == ",":
            cells = [c.replace(".", ",") for c in cells]
        lines.append(delim.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def quiet_read(path: Path, **kwargs) -> rio.Recording:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)
        return rio.read(path, **kwargs)


# ------------------------------------------------------------------ dialects


@pytest.mark.parametrize(("delim", "decimal"), [(",", "."), (";", "."), (";", ","), ("\t", "."), ("\t", ","),
                                                (" ", ".")])
def test_delimiters_and_decimal_comma(tmp_path, delim, decimal):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "a.csv", ["time", "acc_x", "acc_y", "acc_z"], np.column_stack([t, acc]),
                 delim=delim, decimal=decimal)
    rec = rio.read(path, acc_unit="g")
    assert rec.sampling_rate_hz == pytest.approx(RATE)
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)
    assert rec.meta["format"] == "csv"
    assert rec.meta["source_file"] == str(path)


def test_preamble_and_rate_from_header(tmp_path):
    _, acc, _ = gait_signal()
    path = write(tmp_path / "b.csv", ["Accelerometer X (g)", "Accelerometer Y (g)", "Accelerometer Z (g)"], acc,
                 preamble=("Exported by SomeApp v1", "Sample Rate:,50,Hz", ""))
    rec = rio.read(path)
    assert rec.sampling_rate_hz == 50.0
    assert rec.meta["rate_source"] == "header"
    assert rec.meta["acc_unit"] == "g" and rec.meta["acc_unit_inferred"] is False
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)


@pytest.mark.parametrize(
    "names",
    [
        ["ax", "ay", "az", "gx", "gy", "gz"],
        ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"],
        ["accX", "accY", "accZ", "gyroX", "gyroY", "gyroZ"],
        ["Acceleration x (g)", "Acceleration y (g)", "Acceleration z (g)",
         "Gyroscope x (deg/s)", "Gyroscope y (deg/s)", "Gyroscope z (deg/s)"],
        ["Accelerometer X", "Accelerometer Y", "Accelerometer Z", "Gyroscope X", "Gyroscope Y", "Gyroscope Z"],
        ["x", "y", "z", "wx", "wy", "wz"],
        ["Acc_X", "Acc_Y", "Acc_Z", "Gyr_X", "Gyr_Y", "Gyr_Z"],
    ],
)
def test_column_aliases(tmp_path, names):
    t, acc, gyr = gait_signal()
    path = write(tmp_path / "c.csv", ["time", *names], np.column_stack([t, acc, gyr]))
    rec = rio.read(path, acc_unit="g", gyr_unit="deg/s")
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)
    np.testing.assert_allclose(rec.gyr(), gyr, atol=1e-5)
    assert rec.meta["columns"]["acc_x"] == names[0]


def test_units_from_names_convert_gyro_rad(tmp_path):
    t, acc, gyr = gait_signal()
    names = ["Time (s)", "Acceleration x (m/s^2)", "Acceleration y (m/s^2)", "Acceleration z (m/s^2)",
             "Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)"]
    path = write(tmp_path / "d.csv", names, np.column_stack([t, acc * G, np.deg2rad(gyr)]), fmt="{:.9g}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RetrogaitWarning)  # nothing is inferred here
        rec = rio.read(path)
    np.testing.assert_allclose(rec.gyr(), gyr, rtol=1e-6, atol=1e-6)
    assert (rec.meta["acc_unit"], rec.meta["gyr_unit"]) == ("m/s^2", "rad/s")


def test_columns_mapping_overrides(tmp_path):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "e.csv", ["clock", "u", "v", "w"], np.column_stack([t, acc]))
    rec = quiet_read(path, columns={"clock": "time", "u": "acc_x", "v": "acc_y", "w": "acc_z"})
    assert rec.sampling_rate_hz == pytest.approx(RATE)
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)


# ------------------------------------------------------------------ time encodings


@pytest.mark.parametrize(("scale", "offset", "dtype"), [
    (1.0, 0.0, float), (1e3, 0.0, float), (1e6, 0.0, np.int64), (1e9, 0.0, np.int64),
    (1.0, 1.7e9, float), (1e3, 1.7e12, np.int64), (1e9, 1.7e18, np.int64),
])
def test_numeric_time_units(tmp_path, scale, offset, dtype):
    t, acc, _ = gait_signal()
    times = (t * scale + offset).astype(dtype) if dtype is np.int64 else t * scale + offset
    rows = [[tt, *a] for tt, a in zip(times, acc, strict=True)]
    path = write(tmp_path / "f.csv", ["timestamp", "ax", "ay", "az"], rows, fmt="{:.6f}")
    rec = rio.read(path, acc_unit="g")
    assert rec.sampling_rate_hz == pytest.approx(RATE, rel=1e-6)
    assert rec.n_samples == len(t)
    if offset:
        assert rec.meta["start_time"].startswith("2023-11-14")
    else:
        assert "start_time" not in rec.meta


@pytest.mark.parametrize("layout", ["%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f", "geneactiv", "metawear",
                                    "%m/%d/%Y %H:%M:%S.%f"])
def test_text_time(tmp_path, layout):
    t, acc, _ = gait_signal()
    stamps = pd.Timestamp("2024-05-01 08:00:00") + pd.to_timedelta(t, unit="s")
    if layout == "geneactiv":
        text = [s.strftime("%Y-%m-%d %H:%M:%S:") + f"{s.microsecond // 1000:03d}" for s in stamps]
    elif layout == "metawear":
        text = [s.strftime("%Y-%m-%dT%H.%M.%S.") + f"{s.microsecond // 1000:03d}" for s in stamps]
    else:
        text = [s.strftime(layout)[:-3] for s in stamps]
    path = write(tmp_path / "g.csv", ["time", "ax", "ay", "az"], [[s, *a] for s, a in zip(text, acc, strict=True)])
    rec = rio.read(path, acc_unit="g")
    assert rec.sampling_rate_hz == pytest.approx(RATE)
    assert rec.meta["start_time"] == "2024-05-01 08:00:00"
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)


def test_no_time_needs_rate(tmp_path):
    _, acc, _ = gait_signal()
    path = write(tmp_path / "h.csv", ["ax", "ay", "az"], acc)
    with pytest.raises(InputError, match=r"h\.csv.*no time column.*sampling_rate_hz"):
        rio.read(path, acc_unit="g")
    assert rio.read(path, acc_unit="g", sampling_rate_hz=64).sampling_rate_hz == 64


def test_rate_contradicting_timestamps(tmp_path):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "i.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    with pytest.raises(InputError, match=r"sampling_rate_hz=120 contradicts the timestamps in 'time'"):
        rio.read(path, acc_unit="g", sampling_rate_hz=120)
    assert rio.read(path, acc_unit="g", sampling_rate_hz=102).sampling_rate_hz == 102  # within 5 %


def test_irregular_timestamps_resampled(tmp_path):
    rng = np.random.default_rng(1)
    t = np.cumsum(rng.uniform(0.006, 0.014, 3000))
    acc = np.column_stack([0.2 * np.sin(2 * np.pi * t), 0.1 * np.cos(2 * np.pi * t), 1 + 0.2 * np.sin(4 * t)])
    path = write(tmp_path / "j.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]), fmt="{:.9f}")
    with pytest.warns(RetrogaitWarning, match="resampled to a uniform"):
        rec = rio.read(path, acc_unit="g")
    assert rec.meta["resampled"] is True
    assert rec.sampling_rate_hz == pytest.approx(100, rel=0.02)
    grid = t[0] + rec.time_s
    expected = 0.2 * np.sin(2 * np.pi * grid) * G
    np.testing.assert_allclose(rec.acc()[:, 0], expected, atol=0.002 * G)


def test_duplicate_timestamps(tmp_path):
    t, acc, _ = gait_signal()
    rows = np.column_stack([t, acc])
    rows = np.insert(rows, [100, 500], rows[[100, 500]], axis=0)  # two repeated rows
    path = write(tmp_path / "k.csv", ["time", "ax", "ay", "az"], rows)
    with pytest.warns(RetrogaitWarning, match="2 repeated timestamp"):
        rec = rio.read(path, acc_unit="g")
    assert rec.n_samples == len(t)


def test_coarse_clock_spread(tmp_path):
    t, acc, _ = gait_signal()
    coarse = np.floor(t)  # whole seconds, 100 rows per value (ActiGraph-style)
    path = write(tmp_path / "l.csv", ["time", "ax", "ay", "az"], np.column_stack([coarse, acc]))
    with pytest.warns(RetrogaitWarning, match="spread evenly"):
        rec = rio.read(path, acc_unit="g")
    assert rec.sampling_rate_hz == pytest.approx(RATE)
    assert rec.n_samples == len(t)


def test_short_gap_filled_long_gap_nan(tmp_path):
    t, acc, _ = gait_signal(3000)
    keep = np.ones(len(t), bool)
    keep[1000:1005] = False  # 0.05 s missing -> interpolated
    keep[2000:2050] = False  # 0.5 s missing -> NaN
    path = write(tmp_path / "m.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc])[keep])
    with pytest.warns(RetrogaitWarning, match="longer than 0.1 s left as NaN"):
        rec = rio.read(path, acc_unit="g", long_gaps="nan")
    a = rec.acc()
    assert rec.n_samples == 3000
    assert np.isfinite(a[995:1010]).all()
    np.testing.assert_allclose(a[1000:1005, 2], acc[1000:1005, 2] * G, atol=0.05 * G)
    assert np.isnan(a[2000:2050]).all() and np.isfinite(a[2051]).all()
    assert len(rec.meta["gaps"]) == 1
    start, end = rec.meta["gaps"][0]
    assert start == pytest.approx(19.99, abs=0.011) and end == pytest.approx(20.5, abs=0.011)
    with pytest.warns(RetrogaitWarning, match=r"1 gap\(s\) longer than 0.1 s filled by linear interpolation"):
        filled = rio.read(path, acc_unit="g")  # default: interpolated, still listed
    assert filled.meta["gaps"] == rec.meta["gaps"]
    a = filled.acc()
    np.testing.assert_allclose(a[2000:2050, 2], np.linspace(a[1999, 2], a[2050, 2], 52)[1:-1], atol=1e-9)
    with pytest.raises(InputError, match="long_gaps: expected 'interpolate' or 'nan', found 'zero'"):
        rio.read(path, acc_unit="g", long_gaps="zero")


def test_nan_cells_short_run_filled(tmp_path):
    t, acc, _ = gait_signal()
    rows = np.column_stack([t, acc]).astype(object)
    rows[300:303, 1] = "NaN"
    path = write(tmp_path / "n.csv", ["time", "ax", "ay", "az"], rows)
    with pytest.warns(RetrogaitWarning, match="filled 3 short gap"):
        rec = rio.read(path, acc_unit="g")
    np.testing.assert_allclose(rec.acc()[300:303, 0], acc[300:303, 0] * G, atol=0.01 * G)


# ------------------------------------------------------------------ units


@pytest.mark.parametrize(("unit", "factor"), [("g", 1.0), ("mg", 1000.0), ("m/s^2", G)])
def test_acc_unit_inferred(tmp_path, unit, factor):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "o.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc * factor]), fmt="{:.6f}")
    with pytest.warns(RetrogaitWarning, match=re.escape(f"unit inferred as {unit!r}")):
        rec = rio.read(path)
    assert rec.meta["acc_unit"] == unit and rec.meta["acc_unit_inferred"] is True
    np.testing.assert_allclose(rec.acc(), acc * G, rtol=1e-5, atol=1e-4)


def test_acc_unit_not_inferable(tmp_path):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "p.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc * 256]))  # raw counts
    with pytest.raises(InputError, match=r"accelerometer unit cannot be inferred: magnitude at rest 2[56]\d\.\d fits none of g"):
        rio.read(path)
    rec = rio.read(path, acc_unit=G / 256)  # a scale factor to m/s^2
    np.testing.assert_allclose(rec.acc(), acc * G, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(("unit", "factor"), [("deg/s", 1.0), ("rad/s", np.pi / 180)])
def test_gyr_unit_inferred(tmp_path, unit, factor):
    t, acc, gyr = gait_signal()
    path = write(tmp_path / "q.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"],
                 np.column_stack([t, acc, gyr * factor]), fmt="{:.8f}")
    with pytest.warns(RetrogaitWarning, match=re.escape(f"gyroscope unit inferred as {unit!r}")):
        rec = rio.read(path, acc_unit="g")
    np.testing.assert_allclose(rec.gyr(), gyr, rtol=1e-5, atol=1e-4)


def test_unknown_unit_text(tmp_path):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "r.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    with pytest.raises(InputError, match=r"acc_unit: expected one of \['m/s\^2', 'g', 'mg'\]"):
        rio.read(path, acc_unit="furlongs")


def test_linear_acceleration_refused(tmp_path):
    t, acc, _ = gait_signal()
    linear = acc - acc.mean(axis=0)  # gravity removed
    names = ["Time (s)", "Linear Acceleration x (m/s^2)", "Linear Acceleration y (m/s^2)",
             "Linear Acceleration z (m/s^2)"]
    path = write(tmp_path / "s.csv", names, np.column_stack([t, linear * G]))
    with pytest.raises(InputError, match="gravity-free.*allow_linear_acceleration=True"):
        rio.read(path)
    unnamed = write(tmp_path / "s2.csv", ["time", "ax", "ay", "az"], np.column_stack([t, linear * G]))
    with pytest.raises(InputError, match="acceleration without gravity"):
        rio.read(unnamed, acc_unit="m/s^2")
    with pytest.warns(RetrogaitWarning, match="without gravity read on request"):
        rec = rio.read(path, allow_linear_acceleration=True)
    assert rec.meta["gravity_removed"] is True


# ------------------------------------------------------------------ errors


def test_errors_name_file_and_problem(tmp_path, monkeypatch):
    with pytest.raises(InputError, match=r"nope\.csv: file not found$"):
        rio.read(tmp_path / "nope.csv")
    # a relative path names the folder it was looked up from
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=rf"nope\.csv: file not found \(relative to the working folder "
                                         rf"{re.escape(str(tmp_path))}\)"):
        rio.read("data/nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        rio.read(tmp_path / "empty.csv")
    (tmp_path / "words.csv").write_text("a,b,c\nx,y,z\nfoo,bar,baz\n")
    with pytest.raises(InputError, match=r"words\.csv: no table of numbers found"):
        rio.read(tmp_path / "words.csv")
    t, acc, _ = gait_signal(50)
    path = write(tmp_path / "noacc.csv", ["time", "temp", "pressure", "light"], np.column_stack([t, acc]))
    with pytest.raises(InputError, match=r"noacc\.csv: missing accelerometer column\(s\) \['acc_x', 'acc_y', "
                                         r"'acc_z'\]; found columns \['time', 'temp'"):
        rio.read(path)
    back = t.copy()
    back[20] = back[10]
    path = write(tmp_path / "back.csv", ["time", "ax", "ay", "az"], np.column_stack([back, acc]))
    with pytest.raises(InputError, match=r"back\.csv: time column 'time' goes backwards at data row 21"):
        rio.read(path, acc_unit="g")
    with pytest.raises(InputError, match="format='nonsense' unknown"):
        rio.read(path, format="nonsense")
    with pytest.raises(InputError, match="sampling_rate_hz: expected a positive number"):
        rio.read(path, sampling_rate_hz=-1)


def test_text_in_numeric_column(tmp_path):
    t, acc, _ = gait_signal(400)
    rows = np.column_stack([t, acc]).astype(object)
    rows[5:40, 2] = "error"
    path = write(tmp_path / "txt.csv", ["time", "ax", "ay", "az"], rows)
    with pytest.raises(InputError, match=r"column 'ay' is not numeric: 35 of 400 cells.*'error'"):
        rio.read(path, acc_unit="g")


# ------------------------------------------------------------------ writers / inspect


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_write_table_atomic_roundtrip(tmp_path, suffix):
    df = pd.DataFrame({"a": [1.5, 2.5], "b": ["x", "y"]})
    target = tmp_path / "sub" / f"out{suffix}"
    assert rio.write_table(df, target) == target
    back = pd.read_csv(target) if suffix == ".csv" else pd.read_parquet(target)
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_write_table_failure_leaves_old_file(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("old\n")

    class Boom(pd.DataFrame):
        def to_csv(self, *args, **kwargs):  # type: ignore[override]
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        rio.write_table(Boom({"a": [1]}), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_inspect_reports_without_raising(tmp_path):
    t, acc, _ = gait_signal()
    path = write(tmp_path / "ins.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    info = rio.inspect(path)
    assert info["ok"] and info["format"] == "csv"
    assert info["sampling_rate_hz"] == pytest.approx(RATE)
    assert info["acc_unit"] == "g" and info["acc_unit_inferred"] is True
    assert any("inferred" in p for p in info["problems"])
    bad = rio.inspect(tmp_path / "missing.csv")
    assert bad["ok"] is False and "file not found" in bad["problems"][0]


# ------------------------------------------------------------------ more edges


def test_time_unit_not_inferable(tmp_path):
    _, acc, _ = gait_signal(200)
    stamps = np.arange(200) * 1e-5  # 100 kHz in s, or faster in any smaller unit: no unit fits
    path = write(tmp_path / "fast.csv", ["t", "ax", "ay", "az"], np.column_stack([stamps, acc]), fmt="{:.7f}")
    with pytest.raises(InputError, match=r"time column 't': typical interval 1e-05 fits no time unit for 5-5000 Hz"):
        rio.read(path, acc_unit="g")


def test_gyro_unit_not_inferable_when_still(tmp_path):
    t = np.arange(500) / 100.0
    still = np.column_stack([t, np.zeros(500), np.zeros(500), np.ones(500), np.full((500, 3), 0.5)])
    path = write(tmp_path / "still.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"], still)
    with pytest.raises(InputError, match=r"still\.csv: gyroscope unit cannot be inferred.*gyr_unit="):
        rio.read(path, acc_unit="g")
    assert rio.read(path, acc_unit="g", gyr_unit="rad/s").gyr()[0, 0] == pytest.approx(np.rad2deg(0.5))


def test_columns_mapping_errors(tmp_path):
    t, acc, _ = gait_signal(100)
    path = write(tmp_path / "map.csv", ["time", "a", "b", "c"], np.column_stack([t, acc]))
    with pytest.raises(InputError, match=r"columns: target name\(s\) \['accel_x'\] not among"):
        rio.read(path, columns={"a": "accel_x"})
    with pytest.raises(InputError, match=r"columns: file column\(s\) \['q'\] not found; found \['time', 'a'"):
        rio.read(path, columns={"q": "acc_x"})
    with pytest.raises(TypeError, match="columns: expected a mapping"):
        rio.read(path, columns=["a", "b", "c"])  # type: ignore[arg-type]


def test_headerless_by_position(tmp_path):
    t, acc, _ = gait_signal(300)
    path = write(tmp_path / "nohead.csv", [], np.column_stack([acc[:, 2], acc[:, 0], acc[:, 1], t]))
    rec = rio.read(path, acc_unit="g", columns={3: "time", 1: "acc_x", 2: "acc_y", 0: "acc_z"})
    assert rec.sampling_rate_hz == pytest.approx(RATE)
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)
    with pytest.raises(InputError, match="no header row; give columns= by 0-based position"):
        rio.read(path, acc_unit="g", columns={"x": "acc_x"})


def test_read_many_single_sensor_and_sensor_errors(tmp_path):
    t, acc, _ = gait_signal(300)
    path = write(tmp_path / "one.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    recs = rio.read_many(path, acc_unit="g", placement="foot", side="left")
    assert list(recs) == ["foot_left"] and recs["foot_left"].n_samples == 300
    with pytest.raises(InputError, match="sensor='left' given but the file holds a single sensor"):
        rio.read(path, acc_unit="g", sensor="left")


def test_meta_merged_and_source_recorded(tmp_path):
    t, acc, _ = gait_signal(300)
    path = write(tmp_path / "meta.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    rec = rio.read(path, acc_unit="g", meta={"subject": "s01", "condition": "backward"})
    assert rec.meta["subject"] == "s01" and rec.meta["condition"] == "backward"
    assert rec.meta["source_file"] == str(path) and rec.meta["acc_unit"] == "g"
    assert rec.meta["acc_unit_inferred"] is False and rec.meta["rate_source"] == "timestamps"


def test_latin1_and_bom_and_crlf(tmp_path):
    t, acc, _ = gait_signal(300)
    lines = ["Gerät: Testgerät", "time;Beschleunigung X (g);Beschleunigung Y (g);Beschleunigung Z (g)"] + [
        ";".join(f"{v:.6f}".replace(".", ",") for v in (tt, *a)) for tt, a in zip(t, acc, strict=True)]
    (tmp_path / "de.csv").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("latin-1"))
    rec = rio.read(tmp_path / "de.csv", columns={"Beschleunigung X (g)": "acc_x", "Beschleunigung Y (g)": "acc_y",
                                                 "Beschleunigung Z (g)": "acc_z"})
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)
    assert rec.meta["acc_unit"] == "g"


def test_input_is_not_mutated_and_path_types(tmp_path):
    t, acc, _ = gait_signal(300)
    path = write(tmp_path / "p.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    mapping = {"time": "time", "ax": "acc_x", "ay": "acc_y", "az": "acc_z"}
    before = dict(mapping)
    rio.read(str(path), acc_unit="g", columns=mapping)
    assert mapping == before
    with pytest.raises(TypeError, match="path: expected a str or path-like, found int"):
        rio.read(5)  # type: ignore[arg-type]


def test_absurd_values_refused(tmp_path):
    t, acc, _ = gait_signal(300)
    rows = np.column_stack([t, acc]).astype(object)
    rows[42, 2] = "1e300"
    path = write(tmp_path / "huge.csv", ["time", "ax", "ay", "az"], rows)
    with pytest.raises(InputError, match=r"column 'ay' \(acc_y\) has 1 value\(s\) beyond the range of body-worn "
                                         r"sensors .* first 9\.807e\+300 at sample 42"):
        rio.read(path, acc_unit="g")


def test_spreadsheet_days_named_in_header(tmp_path):
    t, acc, _ = gait_signal(300)
    days = 45413.0 + t / 86400.0
    rows = [[f"{d:.10f}", *a] for d, a in zip(days, acc, strict=True)]
    path = write(tmp_path / "days.csv", ["time (days)", "ax", "ay", "az"], rows)
    rec = rio.read(path, acc_unit="g")
    assert rec.sampling_rate_hz == pytest.approx(RATE, rel=1e-4)
    assert rec.meta["start_time"].startswith("2024-05-01")


def test_formats_listed_in_detection_order():
    priorities = [f.priority for f in rio.FORMATS.values()]
    assert priorities == sorted(priorities) and list(rio.FORMATS)[-1] == "csv"


@pytest.mark.parametrize(("name", "hint"), [("a.xlsx", "save the sheet as CSV"), ("b.zip", "unzip it"),
                                            ("c.cwa", "OmGui or cwa-convert")])
def test_unsupported_containers_get_a_hint(tmp_path, name, hint):
    (tmp_path / name).write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(InputError, match=hint):
        rio.read(tmp_path / name)


def test_pandas_fallback_without_pyarrow(tmp_path, monkeypatch):
    from retrogait.io import table

    t, acc, gyr = gait_signal(500)
    rows = [[f"{tt:.2f}", *a, *g] for tt, a, g in zip(t, acc, gyr, strict=True)]
    rows.append(["5.00", "0.1"])  # a truncated last line
    path = write(tmp_path / "fb.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"], rows, delim=";", decimal=",")
    monkeypatch.setattr(table, "HAVE_PYARROW", False)
    rec = rio.read(path, acc_unit="g", gyr_unit="deg/s")
    assert rec.n_samples == 500
    np.testing.assert_allclose(rec.acc(), acc * G, atol=1e-5 * G)
    np.testing.assert_allclose(rec.gyr(), gyr, atol=1e-5)


@pytest.mark.parametrize("pyarrow_reader", [True, False])
def test_ragged_rows_are_skipped_and_counted_by_both_readers(tmp_path, monkeypatch, pyarrow_reader):
    # the pandas fallback used to pad a short row with NaN and say nothing
    from retrogait.io import table

    if pyarrow_reader and not table.HAVE_PYARROW:
        pytest.skip("pyarrow not installed")
    t, acc, gyr = gait_signal(500)
    rows = [[f"{tt:.2f}", *a, *g] for tt, a, g in zip(t, acc, gyr, strict=True)]
    rows[200] = rows[200][:3]  # too few fields
    rows[300] = [*rows[300], "7.5"]  # too many
    path = write(tmp_path / "ragged.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"], rows)
    monkeypatch.setattr(table, "HAVE_PYARROW", pyarrow_reader)
    with pytest.warns(RetrogaitWarning, match=r"skipped 2 malformed row\(s\) with the wrong number of fields"):
        rec = rio.read(path, acc_unit="g", gyr_unit="deg/s")
    assert rec.n_samples == 500  # the two missing samples are filled on the uniform time grid
    assert np.isfinite(rec.acc()).all()
    np.testing.assert_allclose(rec.gyr()[:150], gyr[:150], atol=1e-5)


def test_empty_gyro_columns_dropped(tmp_path):
    t, acc, _ = gait_signal(300)
    rows = [[f"{tt:.2f}", *(f"{v:.6f}" for v in a), "", "", ""] for tt, a in zip(t, acc, strict=True)]
    path = write(tmp_path / "nogyr.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"], rows)
    with pytest.warns(RetrogaitWarning, match="gyroscope columns are empty"):
        rec = rio.read(path, acc_unit="g")
    assert not rec.has_gyro and rec.n_samples == 300


def test_warnings_point_at_the_caller(tmp_path):
    t, acc, _ = gait_signal(300)
    path = write(tmp_path / "w.csv", ["time", "ax", "ay", "az"], np.column_stack([t, acc]))
    with pytest.warns(RetrogaitWarning, match="unit inferred") as record:
        rio.read(path)
    assert all(Path(w.filename).name == Path(__file__).name for w in record)


@pytest.mark.parametrize(("peak", "impact_g", "unit"), [
    (25.0, 4.0, "rad/s"),  # running foot: ~1400 deg/s peaks with 4 g impacts, logged in rad/s
    (25.0, 0.5, "deg/s"),  # a slowly turning trunk in deg/s
    (3.0, 0.5, "rad/s"),  # walking trunk in rad/s
    (600.0, 4.0, "deg/s"),
])
def test_gyro_unit_rule_cases(tmp_path, peak, impact_g, unit):
    t = np.arange(1000) / 100.0
    phase = 2 * np.pi * 1.4 * t
    acc = np.column_stack([0.1 * np.sin(phase), 0.05 * np.cos(phase), 1 + impact_g * np.maximum(np.sin(phase), 0) ** 8])
    gyr = np.column_stack([peak * np.sin(phase), 0.2 * peak * np.cos(phase), 0.1 * peak * np.sin(2 * phase)])
    path = write(tmp_path / "g.csv", ["time", "ax", "ay", "az", "gx", "gy", "gz"], np.column_stack([t, acc, gyr]))
    with pytest.warns(RetrogaitWarning, match=re.escape(f"gyroscope unit inferred as {unit!r}")):
        rio.read(path, acc_unit="g")
