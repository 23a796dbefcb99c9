"""Tests of retrogait.plotting: what each plot drew (Agg backend)."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection, PolyCollection  # noqa: E402
from matplotlib.patches import Polygon, Rectangle  # noqa: E402

from retrogait import plotting, schema  # noqa: E402
from retrogait.compare import compare  # noqa: E402
from retrogait.errors import InputError  # noqa: E402
from retrogait.normalize import curves_by, normalize_strides  # noqa: E402
from retrogait.recording import Recording  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def strides_fw_bw(seed: int = 0, n: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    t = 0.0
    for direction, cad, length, angle in (("forward", 110, 1.4, 15.0), ("backward", 118, 0.9, -8.0)):
        for side in ("left", "right") * (n // 2):
            stride_time = 120 / rng.normal(cad, 2)
            stance = 0.6 * stride_time
            rows.append({"start_s": t, "end_s": t + stride_time, "fc_s": t + stance, "stride_time_s": stride_time,
                         "stance_time_s": stance, "swing_time_s": stride_time - stance, "stance_pct": 60.0,
                         "cadence_spm": 120 / stride_time, "stride_length_m": rng.normal(length, 0.05),
                         "strike_angle_deg": rng.normal(angle, 3), "direction": direction, "side": side,
                         "sensor": f"foot_{side}", "start_sample": int(t * 100),
                         "end_sample": int((t + stride_time) * 100)})
            t += stride_time / 2
    df = pd.DataFrame(rows)
    df["stride_id"] = np.arange(len(df))
    return schema.conform(df, schema.STRIDES_COLUMNS)


def scatter_offsets(ax) -> list[np.ndarray]:
    return [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]


def test_import_retrogait_does_not_import_matplotlib() -> None:
    code = "import sys, retrogait, retrogait.compare, retrogait.claims; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_colors_fixed_and_consistent() -> None:
    assert plotting.colors_for(["backward", "forward"]) == {"backward": "#d62728", "forward": "#1f77b4"}
    a = plotting.colors_for(["cond B", "cond A", "cond C"])
    b = plotting.colors_for(["cond C", "cond A", "cond B"])
    assert a == b and len(set(a.values())) == 3


def test_plot_signal_marks_contacts_and_shades_phases() -> None:
    n = 1000
    rate = 100.0
    df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.sin(np.arange(n) / 10.0)})
    rec = Recording(data=df, sampling_rate_hz=rate, placement="foot", side="left", meta={"sensor": "foot_left"})
    strides = strides_fw_bw()
    left = strides[strides["side"] == "left"]
    events = schema.conform(pd.DataFrame({
        "sample": (left["start_s"] * rate).astype(int), "time_s": left["start_s"], "event": "ic",
        "side": "left", "sensor": "foot_left"}), schema.EVENTS_COLUMNS)
    ax = plotting.plot_signal(rec, events=events, strides=strides, signal="acc_z", start_s=0, end_s=5)
    line = ax.get_lines()[0]
    assert line.get_xdata().max() <= 5.0 and len(line.get_xdata()) == 501
    ic = scatter_offsets(ax)
    assert len(ic) == 1 and np.all(ic[0][:, 0] <= 5.0)
    assert len(ic[0]) == int((left["start_s"] <= 5).sum())
    stance_spans = [p for p in ax.patches if p.get_label() == "stance"]
    assert len(stance_spans) == 1  # only the first span carries the label
    assert len(ax.patches) >= 2 * len(ic[0]) - 2
    assert ax.get_xlabel() == "Time (s)" and ax.get_ylabel() == "acc z (m/s²)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"stance", "swing", "initial contact"} <= set(labels)


def test_plot_footfalls_bars_per_foot() -> None:
    strides = strides_fw_bw()
    ax = plotting.plot_footfalls(strides)
    bars = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bars) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["left", "right"]
    assert sum(len(b.get_paths()) for b in bars) == len(strides)


def test_plot_stride_curves_mean_and_band() -> None:
    n = 3000
    df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.arange(n, dtype=float)})
    rec = Recording(data=df, sampling_rate_hz=100.0, placement="foot", side="left", meta={"sensor": "foot_left"})
    strides = strides_fw_bw()
    curves = curves_by(normalize_strides(rec, strides, signal="acc_z"), strides, by="direction")
    ax = plotting.plot_stride_curves(curves, ylabel=schema.label("acc_z"))
    lines = ax.get_lines()
    assert len(lines) == 2
    assert {ln.get_label() for ln in lines} == {"backward (n=10)", "forward (n=10)"}
    fw = curves[curves["group"] == "forward"]
    fw_line = next(ln for ln in lines if ln.get_label().startswith("forward"))
    np.testing.assert_allclose(fw_line.get_ydata(), fw["mean"])
    assert fw_line.get_color() == "#1f77b4"
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert ax.get_xlim() == (0.0, 100.0)


def test_plot_distribution_points_over_boxes() -> None:
    strides = strides_fw_bw()
    ax = plotting.plot_distribution(strides, "cadence_spm", by="direction")
    pts = scatter_offsets(ax)
    assert [len(p) for p in pts] == [20, 20]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["backward", "forward"]
    np.testing.assert_allclose(np.sort(pts[0][:, 1]),
                               np.sort(strides.loc[strides["direction"] == "backward", "cadence_spm"]))
    assert ax.get_ylabel() == "Cadence (steps/min)"
    ax2 = plotting.plot_distribution(strides, "cadence_spm", by="direction", kind="violin")
    bodies = [c for c in ax2.collections if isinstance(c, PolyCollection)]
    assert len(bodies) == 2
    assert matplotlib.colors.to_hex(bodies[0].get_facecolor()[0]) == "#d62728"  # backward
    with pytest.raises(InputError, match="kind: expected 'box' or 'violin'"):
        plotting.plot_distribution(strides, "cadence_spm", kind="bar")
    with pytest.raises(InputError, match=r"missing column\(s\) \['speed_kmh'\]"):
        plotting.plot_distribution(strides, "speed_kmh")
    # a parameter the sensor could not give (stance time from a phone) gets a note, not a blank panel
    empty = plotting.plot_distribution(strides.assign(stance_time_s=np.nan), "stance_time_s")
    assert [t.get_text() for t in empty.texts] == ["no stance time (s) values"]
    assert not empty.collections


def test_plot_length_cadence() -> None:
    strides = strides_fw_bw()
    ax = plotting.plot_length_cadence(strides, by="direction")
    pts = scatter_offsets(ax)
    assert len(pts) == 2
    bw = strides[strides["direction"] == "backward"]
    np.testing.assert_allclose(pts[0][:, 0], bw["cadence_spm"])
    np.testing.assert_allclose(pts[0][:, 1], bw["stride_length_m"])
    assert ax.get_xlabel() == "Cadence (steps/min)" and ax.get_ylabel() == "Stride length (m)"


def test_plot_strike_angle_bands_and_histograms() -> None:
    strides = strides_fw_bw()
    ax = plotting.plot_strike_angle(strides, by="direction")
    texts = {t.get_text() for t in ax.texts}
    assert texts == {"toe-first", "flat", "heel-first"}
    bands = [p for p in ax.patches if isinstance(p, Rectangle | Polygon) and p.get_alpha() == 0.08]
    assert len(bands) == 3
    hists = [p for p in ax.patches if p.get_label().startswith(("forward", "backward"))]
    assert len(hists) == 2
    assert ax.get_xlabel() == "Strike angle (deg, + = toes up)"
    assert plotting.STRIKE_ANGLE_BANDS_DEG["flat"] == (-1.6, 8.0)


def test_plot_over_time() -> None:
    strides = strides_fw_bw()
    ax = plotting.plot_over_time(strides, "stride_length_m", by="direction")
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["backward", "forward"]
    fw = strides[strides["direction"] == "forward"]
    np.testing.assert_allclose(lines[1].get_xdata(), fw["start_s"])


def test_plot_bland_altman_lines_at_bias_and_limits() -> None:
    rng = np.random.default_rng(3)
    ref = rng.normal(1.3, 0.1, 50)
    meas = ref + 0.05 + rng.normal(0, 0.02, 50)
    ax = plotting.plot_bland_altman(meas, ref, quantity="stride_length_m")
    d = meas - ref
    hlines = sorted(ln.get_ydata()[0] for ln in ax.get_lines())
    np.testing.assert_allclose(hlines, [d.mean() - 1.959964 * d.std(ddof=1), d.mean(),
                                        d.mean() + 1.959964 * d.std(ddof=1)], rtol=1e-5)
    assert len(scatter_offsets(ax)[0]) == 50
    assert "Stride length (m)" in ax.get_ylabel()


def test_plot_comparison_forest() -> None:
    strides = strides_fw_bw()
    cmp = compare(strides, by="direction",
                  parameters=["cadence_spm", "stride_length_m", "stance_pct", "strike_angle_deg"])
    ax = plotting.plot_comparison(cmp)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert set(ticks) == {"Cadence", "Stride length", "Stance"}  # no % of a mean strike angle
    row = cmp[cmp["parameter"] == "stride_length_m"].iloc[0]
    i = ticks.index("Stride length")
    markers = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    marker = next(ln for ln in markers if ln.get_ydata()[0] == i)
    assert marker.get_xdata()[0] == pytest.approx(row["difference_pct"])
    assert marker.get_xdata()[0] < -30  # 0.9 vs 1.4 m


def test_plot_overview_figure_has_panels() -> None:
    strides = strides_fw_bw()
    cmp = compare(strides, by="direction")
    fig = plotting.plot_overview(cmp, strides=strides)
    assert len(fig.axes) == 5
    assert fig._suptitle is not None and fig._suptitle.get_text() == "retrogait comparison: backward vs forward"


def test_ax_given_is_used_and_returned() -> None:
    fig, ax = plt.subplots()
    out = plotting.plot_length_cadence(strides_fw_bw(), ax=ax)
    assert out is ax and len(fig.axes) == 1


def test_flight_periods_are_shaded() -> None:
    rows = []
    for k in range(4):
        for side, offset in (("left", 0.0), ("right", 0.35)):
            start = k * 0.7 + offset
            rows.append({"start_s": start, "end_s": start + 0.7, "fc_s": start + 0.25, "side": side,
                         "sensor": f"foot_{side}", "stride_time_s": 0.7, "stance_time_s": 0.25,
                         "swing_time_s": 0.45})
    strides = schema.conform(pd.DataFrame(rows).assign(stride_id=range(len(rows))), schema.STRIDES_COLUMNS)
    ax = plotting.plot_footfalls(strides)
    yellow = [p for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()) == "#ffd700"]
    assert len(yellow) == 7  # every foot in swing: 0.60-0.70, 0.95-1.05, ... (see test_plotting_normalize)
    assert yellow[0].get_label() == "flight"
    n = 400
    df = pd.DataFrame({"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.ones(n)})
    rec = Recording(data=df, sampling_rate_hz=100.0, placement="foot", side="left", meta={"sensor": "foot_left"})
    ax2 = plotting.plot_signal(rec, strides=strides, signal="acc_z")
    assert sum(p.get_label() == "flight" for p in ax2.patches) == 1
    assert sum(matplotlib.colors.to_hex(p.get_facecolor()) == "#ffd700" for p in ax2.patches) == 7
