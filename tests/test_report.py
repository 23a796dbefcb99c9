"""Tests of retrogait.report: a self-contained HTML file with tables, decodable figures and provenance."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from retrogait import schema  # noqa: E402
from retrogait.errors import InputError  # noqa: E402
from retrogait.pipeline import Params  # noqa: E402
from retrogait.recording import Recording  # noqa: E402
from retrogait.report import make_report  # noqa: E402


def fake_result(direction: str, seed: int) -> SimpleNamespace:
    """A result-like object: a foot recording with periodic strides (backward: shorter, toe-first)."""
    rng = np.random.default_rng(seed)
    rate = 100.0
    n = 2000
    t = np.arange(n) / rate
    bw = direction == "backward"
    stride = 1.0 if bw else 1.1
    acc = pd.DataFrame({"acc_x": np.sin(2 * np.pi * t / stride), "acc_y": 0.0,
                        "acc_z": 9.81 + 3 * np.cos(2 * np.pi * t / stride) + rng.normal(0, 0.2, n)})
    rec = Recording(data=acc, sampling_rate_hz=rate, placement="foot", side="left",
                    meta={"source_file": f"{direction}.csv", "condition": direction})
    starts = np.arange(0.5, 18.0, stride)
    rows = []
    for i, s in enumerate(starts):
        st = stride + rng.normal(0, 0.01)
        rows.append({"stride_id": i, "sensor": rec.name, "side": "left", "start_s": s, "end_s": s + st,
                     "fc_s": s + 0.6 * st, "start_sample": int(s * rate), "end_sample": int((s + st) * rate),
                     "stride_time_s": st, "stance_time_s": 0.6 * st, "swing_time_s": 0.4 * st, "stance_pct": 60.0,
                     "cadence_spm": 120 / st, "stride_length_m": rng.normal(0.9 if bw else 1.4, 0.04),
                     "direction": direction, "gait": "walk",
                     "contact_type": "toe_first" if bw else "heel_first",
                     "strike_angle_deg": rng.normal(-10 if bw else 18, 3),
                     "peak_acc_ic_ms2": rng.normal(30 if bw else 40, 3)})
    strides = schema.conform(pd.DataFrame(rows), schema.STRIDES_COLUMNS)
    events = schema.conform(pd.DataFrame({"sample": strides["start_sample"], "time_s": strides["start_s"],
                                          "event": "ic", "side": "left", "sensor": rec.name}),
                            schema.EVENTS_COLUMNS)
    summary = pd.DataFrame({"n_strides": [len(strides)], "n_bouts": [1], "duration_s": [rec.duration_s],
                            "cadence_spm_mean": [strides["cadence_spm"].mean()], "condition": [direction]})
    return SimpleNamespace(strides=strides, events=events, summary=summary, bouts=schema.empty_bouts(),
                           recordings={rec.name: rec}, params=Params(), meta={"condition": direction,
                                                                              "source_file": f"{direction}.csv"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.img_src: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                (self.img_src if tag == "img" else self.urls).append(value)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    results = {"forward": fake_result("forward", 1), "backward": fake_result("backward", 2)}
    path = make_report(results, out_path=out, title="Test <report>")
    assert path == out
    return path


def test_report_is_self_contained_with_tables_and_figures(report_file: Path) -> None:
    text = report_file.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(text)
    assert "<title>Test &lt;report&gt;</title>" in text  # escaped
    assert parser.tags.get("table", 0) >= 5  # summary, comparison, claims, provenance, inputs, parameters
    for heading in ("Summary", "Comparison by condition", "Claims for backward gait", "Plots", "Provenance"):
        assert f"<h2>{heading}" in text
    assert parser.urls == []
    assert not re.search(r"(src|href)\s*=\s*\"(https?:|//)", text)
    assert "<script" not in text and "<link" not in text
    assert len(parser.img_src) >= 4
    for src in parser.img_src:
        assert src.startswith("data:image/png;base64,")
        image = mpimg.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
        assert image.shape[0] > 100 and image.shape[1] > 100
        assert float(np.std(image)) > 0.01  # not blank


def test_report_contents(report_file: Path) -> None:
    text = report_file.read_text(encoding="utf-8")
    assert "forward.csv" in text and "backward.csv" in text  # input files
    assert "activity_threshold_ms2" in text  # parameters
    assert "retrogait</th><td class=\"text\">0.1.0" in text  # version
    # the claims computed from the data: shorter strides and toe-first contact are supported
    claims = re.findall(r'<tr class="(\w+)"><td class="text">([^<]+)</td>', text)
    verdicts = {name: cls for cls, name in claims}
    assert verdicts["shorter strides"] == "supported"
    assert verdicts["toe-first contact"] == "supported"
    assert verdicts["lower impact at contact"] == "supported"


def test_report_replaces_atomically_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old")
    make_report([fake_result("forward", 3), fake_result("backward", 4)], out_path=out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_report_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="out_path: folder .* does not exist"):
        make_report(fake_result("forward", 1), out_path=tmp_path / "missing" / "r.html")


def test_report_from_a_strides_table(tmp_path: Path) -> None:
    strides = pd.concat([fake_result("forward", 5).strides, fake_result("backward", 6).strides],
                        ignore_index=True)
    path = make_report(strides, out_path=tmp_path / "s.html", by="direction")
    text = path.read_text(encoding="utf-8")
    assert "<h2>Comparison by direction" in text and "<h2>Claims for backward gait" in text


@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless chromium not installed")
def test_report_renders_in_headless_chromium(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--screenshot={shot}", "--window-size=1000,2000",
         report_file.resolve().as_uri()],
        capture_output=True, timeout=60, check=False,
    )
    assert shot.is_file()
    image = mpimg.imread(shot)
    # a rendered page: mostly white background with dark text and coloured figures
    assert image.shape[:2] == (2000, 1000)
    assert float(np.std(image[..., :3])) > 0.05
    assert float(np.mean(image[..., :3] < 0.3)) > 0.005
    # the rows of supported claims are drawn in their green (#d9f2d9)
    green = np.all(np.abs(image[..., :3] - np.array([0xD9, 0xF2, 0xD9]) / 255) < 0.01, axis=-1)
    assert green.sum() > 1000


def test_report_from_a_stacked_summary_table(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    summary = pd.DataFrame({
        "condition": ["forward"] * 6 + ["backward"] * 6, "subject": [f"s{i}" for i in range(6)] * 2,
        "n_strides": 20, "n_bouts": 1, "duration_s": 60.0,
        "cadence_spm_mean": np.r_[rng.normal(110, 3, 6), rng.normal(100, 3, 6)],
        "stride_length_m_mean": np.r_[rng.normal(1.4, 0.05, 6), rng.normal(0.9, 0.05, 6)],
    })
    text = make_report(summary, out_path=tmp_path / "sum.html").read_text(encoding="utf-8")
    assert "<h2>Summary" in text and "<h2>Comparison by condition" in text
    assert "summary row" in text  # the unit of analysis
    verdicts = {name: cls for cls, name in re.findall(r'<tr class="(\w+)"><td class="text">([^<]+)</td>', text)}
    assert verdicts["shorter strides"] == "supported"  # from the summary rows
    assert verdicts["higher cadence"] == "contradicted"
    assert text.count("data:image/png;base64,") >= 1  # the forest plot


def test_report_of_one_recording_compares_directions(tmp_path: Path) -> None:
    one = fake_result("forward", 8)
    both = fake_result("backward", 9)
    strides = pd.concat([one.strides, both.strides.assign(start_s=both.strides["start_s"] + 20,
                                                          end_s=both.strides["end_s"] + 20)], ignore_index=True)
    result = SimpleNamespace(**{**vars(one), "strides": strides, "meta": {"source_file": "both.csv"}})
    text = make_report(result, out_path=tmp_path / "one.html").read_text(encoding="utf-8")
    assert "<h2>Comparison by direction" in text and "<h2>Claims for backward gait" in text
