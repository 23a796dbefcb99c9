"""Regressions found while writing the ``retrogait.io.timeconv`` docstrings."""

from __future__ import annotations

import pandas as pd
import pytest

from retrogait.errors import InputError
from retrogait.io.timeconv import datetime_to_seconds, text_to_datetime


def test_datetime_to_seconds_empty_column_is_input_error() -> None:
    # an empty time column raised IndexError (first valid stamp of none) instead of InputError
    empty = pd.Series(pd.to_datetime([]))
    with pytest.raises(InputError, match="time column 'time' is empty"):
        datetime_to_seconds(empty, where="a.csv", name="time")


@pytest.mark.parametrize("offset, utc_hour", [("+01:00", 9), ("+0100", 9), ("-05:00", 15), ("", 10)])
def test_device_dialect_applies_a_stated_utc_offset(offset, utc_hour) -> None:
    # GENEActiv-style stamps with an offset were read as local time, the offset ignored
    stamps = pd.Series([f"2011-10-09 10:25:02:{ms:03d} {offset}".strip() for ms in (500, 510, 520)])
    parsed = text_to_datetime(stamps, where="a.csv", name="time")
    assert [t.hour for t in parsed] == [utc_hour] * 3
    assert (parsed.diff().dropna() == pd.Timedelta(milliseconds=10)).all()


@pytest.mark.parametrize("corrupt_row", [0, 7, 49])
def test_one_corrupt_stamp_near_the_start_becomes_nat(corrupt_row) -> None:
    # a single unreadable stamp among the 50 sampled cells rejected the whole column
    text = [f"3/1/2024 12:00:{i // 10:02d}.{i % 10}00" for i in range(300)]
    text[corrupt_row] = "##error##"
    parsed = text_to_datetime(pd.Series(text), where="a.csv", name="time")
    assert parsed.isna().sum() == 1 and pd.isna(parsed[corrupt_row])
    assert parsed.dropna().iloc[0].month == 3  # month-first layout still chosen


def test_a_column_of_mostly_garbage_is_still_refused() -> None:
    text = pd.Series(["soon"] * 10 + ["2024-05-01 08:00:00"] * 40)
    with pytest.raises(InputError, match="matches no known layout"):
        text_to_datetime(text, where="a.csv", name="stamp")
