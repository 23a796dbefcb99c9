"""Property tests: any bad input gives an InputError; generic layouts round-trip their numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import retrogait.io as rio
from retrogait.errors import InputError, RetrogaitWarning

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_or_input_error(path, **kwargs) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetrogaitWarning)
        warnings.simplefilter("error", RuntimeWarning)  # no numpy overflow/invalid leaks out either
        try:
            rio.read(path, **kwargs)
        except InputError as err:
            assert str(path) in str(err) or "sampling_rate_hz" in str(err)


@FUZZ
@given(data=st.binary(min_size=0, max_size=2000))
def test_random_bytes(tmp_path, data):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _read_or_input_error(path)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("0123456789.,;\t -eE+nNaA:xyzt\n\"")), max_size=1500))
def test_random_csv_like_text(tmp_path, text):
    path = tmp_path / "text.csv"
    path.write_text(text, encoding="utf-8")
    _read_or_input_error(path)
    _read_or_input_error(path, sampling_rate_hz=50.0, acc_unit="g")


def _table(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 100.0
    acc = np.column_stack([0.3 * np.sin(2 * np.pi * 1.5 * t), 0.2 * np.cos(2 * np.pi * 0.7 * t),
                           1 + 0.3 * np.sin(2 * np.pi * 1.5 * t)]) + rng.normal(0, 0.01, (n, 3))
    return t, acc


@FUZZ
@given(
    n=st.integers(1, 400), cut=st.integers(0, 20000), seed=st.integers(0, 10),
    delim=st.sampled_from([",", ";", "\t"]),
)
def test_truncated_files(tmp_path, n, cut, seed, delim):
    t, acc = _table(n, seed)
    text = "time" + delim + delim.join(["ax", "ay", "az"]) + "\n" + "".join(
        delim.join(f"{v:.5f}" for v in (tt, *a)) + "\n" for tt, a in zip(t, acc, strict=True))
    path = tmp_path / "trunc.csv"
    path.write_text(text[: cut % (len(text) + 1)], encoding="utf-8")
    _read_or_input_error(path, acc_unit="g")


@FUZZ
@given(
    n=st.integers(3, 300), seed=st.integers(0, 10),
    mutation=st.sampled_from(["huge", "text", "dup_time", "drop_time", "nan_block", "wrong_delim", "neg_time",
                              "inf"]),
    where=st.integers(0, 10_000),
)
def test_mutated_tables(tmp_path, n, seed, mutation, where):
    t, acc = _table(n, seed)
    rows = [[f"{tt:.5f}", *(f"{v:.5f}" for v in a)] for tt, a in zip(t, acc, strict=True)]
    i = where % n
    if mutation == "huge":
        rows[i][1] = "1e308"
    elif mutation == "text":
        rows[i][2] = "oops"
    elif mutation == "dup_time":
        rows[i][0] = rows[max(i - 1, 0)][0]
    elif mutation == "drop_time":
        rows[i][0] = ""
    elif mutation == "nan_block":
        for r in rows[i:i + 30]:
            r[1:] = ["NaN"] * 3
    elif mutation == "neg_time":
        rows[i][0] = "-5"
    elif mutation == "inf":
        rows[i][3] = "inf"
    delim = ";" if mutation == "wrong_delim" else ","
    body = "\n".join(",".join(r) if mutation != "wrong_delim" or k % 2 else ";".join(r)
                     for k, r in enumerate(rows))
    path = tmp_path / "mut.csv"
    path.write_text(f"time{delim}ax{delim}ay{delim}az\n" + body + "\n", encoding="utf-8")
    _read_or_input_error(path, acc_unit="g")


@FUZZ
@given(
    delim=st.sampled_from([",", ";", "\t", " "]),
    decimal_comma=st.booleans(),
    time_unit=st.sampled_from(["s", "ms", "us", "ns", "none", "epoch_ms", "iso"]),
    acc_unit=st.sampled_from(["g", "mg", "m/s^2"]),
    header_lines=st.integers(0, 3),
    seed=st.integers(0, 1000),
)
def test_roundtrip_generic_layouts(tmp_path, delim, decimal_comma, time_unit, acc_unit, header_lines, seed):
    if decimal_comma and delim == ",":
        delim = ";"
    t, acc = _table(250, seed)
    factor = {"g": 1.0, "mg": 1000.0, "m/s^2": 9.80665}[acc_unit]
    values = acc * factor
    times: list[str]
    if time_unit == "iso":
        base = np.datetime64("2024-01-01T00:00:00")
        sep = "T" if delim == " " else " "  # a space-delimited table cannot hold spaces in its time text
        times = [str(base + np.timedelta64(int(round(x * 1000)), "ms")).replace("T", sep) for x in t]
    elif time_unit == "epoch_ms":
        times = [str(1_700_000_000_000 + int(round(x * 1000))) for x in t]
    elif time_unit in ("us", "ns"):
        times = [str(int(round(x * {"us": 1e6, "ns": 1e9}[time_unit]))) for x in t]
    else:
        times = [f"{x * {'s': 1, 'ms': 1e3}.get(time_unit, 1):.6f}" for x in t]
    lines = [f"# export {k}" if delim != " " else f"// export {k}" for k in range(header_lines)]
    names = ["ax", "ay", "az"] if time_unit == "none" else ["time", "ax", "ay", "az"]
    lines.append(delim.join(names))
    for k in range(len(t)):
        cells = [f"{v:.6f}" for v in values[k]]
        if decimal_comma:
            cells = [c.replace(".", ",") for c in cells]
        lines.append(delim.join(cells if time_unit == "none" else [times[k], *cells]))
    path = tmp_path / "round.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kwargs = {"sampling_rate_hz": 100.0} if time_unit == "none" else {}
    rec = rio.read(path, acc_unit=acc_unit, **kwargs)
    assert rec.sampling_rate_hz == pytest.approx(100.0, rel=1e-6)
    np.testing.assert_allclose(rec.acc(), np.round(values, 6) / factor * 9.80665, rtol=0, atol=1e-5)


_FIXTURES = sorted(
    p for p in (Path(__file__).resolve().parent / "fixtures" / "formats").rglob("*")
    if p.is_file() and p.suffix in (".csv", ".txt", ".json")
)


@FUZZ
@given(index=st.integers(0, len(_FIXTURES) - 1), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.sampled_from(list(b",;\t\n.-0e:xNa\""))), max_size=6))
def test_corrupted_device_files(tmp_path, index, cut, flips):
    source = _FIXTURES[index]
    data = bytearray(source.read_bytes())
    data = data[: int(len(data) * cut)] if cut < 0.98 else data
    for where, byte in flips:
        if data:
            data[min(int(where * len(data)), len(data) - 1)] = byte
    target = tmp_path / source.parent.name / source.name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(bytes(data))
    for sibling in source.parent.glob("*"):  # keep sibling files (gyroscope, meta.json) next to it
        if sibling.name != source.name and sibling.is_file():
            (target.parent / sibling.name).write_bytes(sibling.read_bytes())
    _read_or_input_error(target)
