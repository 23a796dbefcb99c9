"""Reader regressions found by fuzzing: each must be an InputError that names the problem."""

from __future__ import annotations

import pytest

import retrogait as rg
from retrogait import InputError


def test_metawear_without_epoch_column_is_an_input_error(tmp_path):
    # a corrupted header: still asked to read as MetaWear, but the 'epoc (ms)' column is gone
    path = tmp_path / "metawear.csv"
    path.write_text("eNoc (ms),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n"
                    "1000,0.00,0.0,0.0,1.0\n1010,0.01,0.0,0.0,1.0\n")
    with pytest.raises(InputError, match=r"metawear\.csv: MetaWear file without an 'epoc \(ms\)' time column"):
        rg.read(path, format="metawear")


def test_written_tables_get_ordinary_file_permissions(tmp_path):
    import os

    import pandas as pd

    from retrogait.io import write_table

    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_watch_file_does_not_take_the_phones_gyroscope(tmp_path):
    # a combined phone + watch Sensor Logger export: 'WatchAccelerometerUncalibrated' with the
    # sensor word replaced is 'Gyroscope.csv', the phone's, which was merged into the watch
    import numpy as np

    t = np.arange(600) / 100.0
    ns = (1_700_000_000 + t) * 1e9
    watch = [f"{int(n)},{s:.2f},{0.1 * np.sin(6 * s):.4f},0.0,-1.0" for n, s in zip(ns, t, strict=True)]
    (tmp_path / "WatchAccelerometerUncalibrated.csv").write_text("time,seconds_elapsed,x,y,z\n" + "\n".join(watch))
    phone = [f"{int(n)},{s:.2f},0.5,0.2,0.1" for n, s in zip(ns, t, strict=True)]
    (tmp_path / "Gyroscope.csv").write_text("time,seconds_elapsed,z,y,x\n" + "\n".join(phone))
    rec = rg.read(tmp_path / "WatchAccelerometerUncalibrated.csv", acc_unit="g")
    assert not rec.has_gyro and "gyroscope_file" not in rec.meta
