"""``retrogait demo`` end to end on the bundled samples (what ``make demo`` runs).

The forward sample is a real walk with two foot IMUs (gaitmap example data, motion-capture
reference: heel-first contacts, forward); the backward sample is a simulated backward walk
(toes first).  The demo must find that, write every table it announces, and check the
claims with the right verdicts for the two facts the samples were chosen to show.
"""

from __future__ import annotations

import pandas as pd
import pytest

from retrogait import schema
from retrogait.demo import DEMO_TRIALS, SAMPLES_DIR, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not all((SAMPLES_DIR / name).is_file() for sensors in DEMO_TRIALS.values() for name, _, _ in sensors):
        pytest.skip("bundled samples not found (installed without the source tree)")
    lines: list[str] = []
    out_dir = tmp_path_factory.mktemp("demo") / "out"
    result = run_demo(out_dir, echo=lines.append)
    return out_dir, result, lines


def test_demo_writes_every_file_it_lists(demo):
    out_dir, result, lines = demo
    files = result["files"]
    assert {"comparison", "claims", "comparison_plot", "report"} <= set(files)
    for condition in ("forward", "backward"):
        for table in ("events", "strides", "bouts", "summary"):
            assert f"{condition}/{table}" in files
    for path in files.values():
        assert path.is_file() and path.stat().st_size > 0, path
        assert path.resolve().is_relative_to(out_dir.resolve())
    assert f"wrote {len(files)} files to {out_dir}/:" in lines
    assert not list(out_dir.rglob("*.tmp*")), "a temporary file was left behind"


def test_demo_finds_forward_heel_first_and_backward_toe_first(demo):
    out_dir, _, _ = demo
    forward = pd.read_csv(out_dir / "forward" / "strides.csv")
    backward = pd.read_csv(out_dir / "backward" / "strides.csv")
    assert set(forward.columns) >= set(schema.STRIDES_COLUMNS)
    assert (forward["direction"] == "forward").mean() >= 0.9
    assert (forward["contact_type"] == "heel_first").mean() >= 0.9
    assert set(forward["side"]) == {"left", "right"}
    assert (backward["direction"] == "backward").mean() >= 0.9
    assert (backward["contact_type"] == "toe_first").mean() >= 0.9
    # the simulated backward strides are shorter than the real forward ones (0.85 vs ~1.3 m)
    assert backward["stride_length_m"].median() < forward["stride_length_m"].median() - 0.2


def test_demo_claims_support_toe_first_and_shorter_strides(demo):
    out_dir, _, lines = demo
    claims = pd.read_csv(out_dir / "claims.csv").set_index("claim")
    assert claims.loc["toe-first contact", "verdict"] == "supported"
    assert claims.loc["shorter strides", "verdict"] == "supported"
    assert claims.loc["shorter strides", "difference"] < 0
    assert "  shorter strides: supported" in lines
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "toe-first contact" in html and "<img" in html
