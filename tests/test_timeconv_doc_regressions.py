"""Regressions found while writing the ``retrogait.io.timeconv`` docstrings."""

from __future__ import annotations

import pandas as pd
import pytest

from retrogait.errors import InputError
from retrogait.io.timeconv import datetime_to_seconds


def test_datetime_to_seconds_empty_column_is_input_error() -> None:
    # an empty time column raised IndexError (first valid stamp of none) instead of InputError
    empty = pd.Series(pd.to_datetime([]))
    with pytest.raises(InputError, match="time column 'time' is empty"):
        datetime_to_seconds(empty, where="a.csv", name="time")
