"""Recording: validation of its fields, copies, read-only meta."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrogait import InputError, Recording

from tests.conftest import make_acc_frame


def test_recording_copies_and_normalises_the_frame():
    df = make_acc_frame(5, gyro=True)
    df.index = [10, 11, 12, 13, 14]
    rec = Recording(df, 50.0, placement="foot", side="left")
    df.loc[10, "acc_x"] = 99.0
    assert rec.data["acc_x"].iloc[0] == 0.0  # the caller's frame is not shared
    assert list(rec.data.index) == [0, 1, 2, 3, 4]
    assert rec.has_gyro and rec.duration_s == pytest.approx(0.1)
    assert rec.name == "foot_left"


def test_meta_is_read_only():
    rec = Recording(make_acc_frame(3), 10.0, meta={"subject": "s1"})
    with pytest.raises(TypeError):
        rec.meta["subject"] = "s2"  # type: ignore[index]


def test_missing_accelerometer_column_is_named():
    df = make_acc_frame(3).drop(columns="acc_y")
    with pytest.raises(InputError, match=r"missing accelerometer column\(s\) \['acc_y'\]"):
        Recording(df, 10.0, meta={"source_file": "x.csv"})


def test_error_names_the_source_file():
    with pytest.raises(InputError, match=r"^x\.csv: placement: expected one of"):
        Recording(make_acc_frame(3), 10.0, placement="ankle", meta={"source_file": "x.csv"})


def test_partial_gyroscope_is_refused():
    df = make_acc_frame(3).assign(gyr_x=0.0)
    with pytest.raises(InputError, match=r"gyroscope needs gyr_x, gyr_y and gyr_z"):
        Recording(df, 10.0)


def test_non_numeric_column_is_refused():
    df = make_acc_frame(3).assign(acc_x=["a", "b", "c"])
    with pytest.raises(InputError, match=r"column 'acc_x' must be numeric"):
        Recording(df, 10.0)


def test_wrong_type_is_type_error():
    with pytest.raises(TypeError, match="expected a pandas DataFrame, found ndarray"):
        Recording(np.zeros((3, 3)), 10.0)  # type: ignore[arg-type]


@given(st.one_of(st.just(0.0), st.floats(max_value=0.0), st.just(float("nan")), st.just(float("inf"))))
def test_bad_rates_are_refused(rate):
    with pytest.raises(InputError, match="sampling_rate_hz"):
        Recording(make_acc_frame(3), rate)


def test_side_must_be_left_right_or_none():
    with pytest.raises(InputError, match=r"side: expected 'left', 'right' or None, found 'L'"):
        Recording(make_acc_frame(3), 10.0, side="L")


def test_replace_returns_a_new_recording():
    rec = Recording(make_acc_frame(3), 10.0, placement="foot")
    other = rec.replace(side="right")
    assert rec.side is None and other.side == "right"
    assert isinstance(other.data, pd.DataFrame)


def test_recording_pickles_and_deep_copies_with_its_meta():
    # the read-only meta (a mappingproxy) made Recordings unpicklable: no worker processes, no deepcopy
    import copy
    import pickle

    rec = Recording(pd.DataFrame({"acc_x": [0.0, 1.0], "acc_y": [0.0, 0.0], "acc_z": [9.81, 9.8]}), 50.0,
                    placement="foot", side="right", meta={"subject": "s01", "toe_axis": "+x"})
    for clone in (pickle.loads(pickle.dumps(rec)), copy.deepcopy(rec)):
        assert clone.data.equals(rec.data) and clone.data is not rec.data
        assert (clone.sampling_rate_hz, clone.placement, clone.side) == (50.0, "foot", "right")
        assert dict(clone.meta) == {"subject": "s01", "toe_axis": "+x"}
        with pytest.raises(TypeError):
            clone.meta["subject"] = "s02"  # still read-only
