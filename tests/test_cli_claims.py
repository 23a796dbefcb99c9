"""`retrogait claims`: backward vs forward strides judged against the claims for reverse gait."""

from __future__ import annotations

import pandas as pd
import pytest

from retrogait import schema
from retrogait.cli import main


def _strides(n: int, *, direction: str, length_m: float, cadence_spm: float, contact: str) -> pd.DataFrame:
    stride_time = 120.0 / cadence_spm
    start = pd.Series(range(n), dtype=float) * stride_time
    df = pd.DataFrame({
        "start_s": start, "end_s": start + stride_time, "stride_time_s": stride_time,
        "cadence_spm": cadence_spm + 0.5 * (pd.Series(range(n)) % 3 - 1),
        "stride_length_m": length_m + 0.01 * (pd.Series(range(n)) % 5 - 2),
        "direction": direction, "gait": "walk", "contact_type": contact, "sensor": "foot_left", "side": "left",
    })
    return schema.conform(df, schema.STRIDES_COLUMNS)


@pytest.fixture()
def strides_file(tmp_path):
    table = pd.concat([
        _strides(20, direction="forward", length_m=1.4, cadence_spm=110, contact="heel_first"),
        _strides(20, direction="backward", length_m=0.9, cadence_spm=118, contact="toe_first"),
    ], ignore_index=True)
    path = tmp_path / "strides.csv"
    table.to_csv(path, index=False)
    return path


def test_claims_command_prints_and_writes_verdicts(strides_file, tmp_path, capsys):
    code = main(["claims", str(strides_file), "--out", str(tmp_path / "out")])
    assert code == 0
    claims = pd.read_csv(tmp_path / "out" / "claims.csv")
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=True))
    assert verdict["shorter strides"] == "supported"
    assert verdict["higher cadence"] == "supported"
    assert verdict["toe-first contact"] == "supported"
    assert "shorter strides" in capsys.readouterr().out


def test_claims_command_names_a_missing_column(strides_file, capsys):
    code = main(["claims", str(strides_file), "--by", "condition"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--by 'condition': no such column" in err and "direction" in err
