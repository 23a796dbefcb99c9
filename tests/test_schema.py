"""The table validators accept well-formed tables (also empty) and refuse broken ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retrogait import InputError, schema


def test_empty_tables_pass_their_validators():
    schema.validate_events(schema.empty_events())
    schema.validate_strides(schema.empty_strides())
    schema.validate_bouts(schema.empty_bouts())


def test_conform_adds_missing_columns_as_nan_or_unknown():
    st = schema.conform(pd.DataFrame({"start_s": [0.0], "end_s": [1.0], "stride_time_s": [1.0]}),
                        schema.STRIDES_COLUMNS)
    assert list(st.columns[: len(schema.STRIDES_COLUMNS)]) == list(schema.STRIDES_COLUMNS)
    assert np.isnan(st.loc[0, "stride_length_m"]) and st.loc[0, "contact_type"] == "unknown"
    schema.validate_strides(st)


def test_missing_column_is_named():
    with pytest.raises(InputError, match=r"events table: missing column\(s\) \['sensor'\]"):
        schema.validate_events(schema.empty_events().drop(columns="sensor"))


def test_unknown_label_is_refused():
    st = schema.conform(pd.DataFrame({"start_s": [0.0], "end_s": [1.0], "contact_type": ["toes"]}),
                        schema.STRIDES_COLUMNS)
    with pytest.raises(InputError, match=r"column 'contact_type' has value\(s\) \['toes'\]"):
        schema.validate_strides(st)


def test_stance_plus_swing_must_equal_stride_time():
    st = schema.conform(pd.DataFrame({"start_s": [0.0], "end_s": [1.0], "stride_time_s": [1.0],
                                      "stance_time_s": [0.6], "swing_time_s": [0.5]}), schema.STRIDES_COLUMNS)
    with pytest.raises(InputError, match="stance_time_s \\+ swing_time_s differs"):
        schema.validate_strides(st)


def test_unsorted_events_are_refused():
    ev = schema.conform(pd.DataFrame({"sample": [5, 1], "time_s": [0.5, 0.1], "event": ["ic", "fc"],
                                      "side": "left", "sensor": "a"}), schema.EVENTS_COLUMNS)
    with pytest.raises(InputError, match="not sorted by time_s"):
        schema.validate_events(ev)


def test_wrong_dtype_is_refused():
    ev = schema.empty_events().astype({"sample": "float64"})
    with pytest.raises(InputError, match="column 'sample' must be integer"):
        schema.validate_events(ev)


def test_label_has_units():
    assert schema.label("cadence_spm") == "Cadence (steps/min)"
    assert schema.label("no_such_column") == "no_such_column"
