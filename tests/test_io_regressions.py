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
