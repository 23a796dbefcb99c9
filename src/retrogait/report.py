"""A self-contained HTML report: summary, comparison, claims, plots and provenance.

:func:`make_report` writes one HTML file with inline CSS and the figures embedded as
base64 PNG, so it can be mailed or archived on its own: it loads nothing from the
network and needs no other file.  The file is written to a temporary name in the target
folder and renamed, so a half-written report never exists under the final name.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import io
import os
import platform
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from retrogait import plotting
from retrogait.claims import check_claims
from retrogait.compare import collect, compare
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.normalize import curves_from_results

__all__ = ["make_report"]

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1150px;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { border-bottom: 2px solid #1f77b4; padding-bottom: .2em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 12px; margin: .6em 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; }
td.num { white-space: nowrap; }
th { background: #f0f4f8; }
td.text, th.text { text-align: left; }
tr:nth-child(even) td { background: #fafafa; }
tr.supported td { background: #d9f2d9; }
tr.contradicted td { background: #f8d7da; }
tr.cant td { background: #fff3cd; }
.note { color: #555; font-size: 13px; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 13px; color: #444; }
.scroll { overflow-x: auto; }
code { background: #f4f4f4; padding: 0 3px; }
"""

_SUMMARY_COLUMNS = ("n_strides", "n_bouts", "duration_s", "direction_majority", "gait_majority",
                    "cadence_spm_mean", "stride_time_s_mean", "stance_pct_mean", "stride_length_m_mean",
                    "speed_mps_mean", "strike_angle_deg_mean", "toe_first_pct", "heel_first_pct")

_COMPARISON_SHOWN = ("parameter", "group", "reference", "unit", "n_group", "n_reference", "mean_group",
                     "mean_reference", "difference", "difference_pct", "ci_low", "ci_high", "effect_size",
                     "effect_size_type", "test", "p", "p_adj", "note")


def _fmt(value: Any) -> str:
    if isinstance(value, float | np.floating):
        number = float(value)
        if not np.isfinite(number):
            return "–"
        return f"{number:.3g}" if abs(number) < 1e4 else f"{number:.0f}"
    if value is None:
        return "–"
    return str(value)


def _table(df: pd.DataFrame, *, row_class: Sequence[str] | None = None) -> str:
    """An escaped HTML table; text columns left-aligned."""
    heads = "".join(
        f'<th class="{"text" if not pd.api.types.is_numeric_dtype(df[c]) else "num"}">{html.escape(str(c))}</th>'
        for c in df.columns
    )
    body = []
    for i, (_, row) in enumerate(df.iterrows()):
        cells = "".join(
            f'<td class="{"text" if not pd.api.types.is_numeric_dtype(df[c]) else "num"}">'
            f"{html.escape(_fmt(row[c]))}</td>"
            for c in df.columns
        )
        cls = f' class="{row_class[i]}"' if row_class is not None else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{heads}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _png(fig: Figure, *, dpi: int = 90) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure_html(fig: Figure, caption: str) -> str:
    data = _png(fig)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _items(data: Any) -> list[tuple[str, Any]]:
    if isinstance(data, Mapping):
        return [(str(k), v) for k, v in data.items()]
    if isinstance(data, Sequence) and not isinstance(data, str | pd.DataFrame):
        return [(f"result {i}", v) for i, v in enumerate(data)]
    return [("result", data)]


def _is_result(obj: Any) -> bool:
    return isinstance(getattr(obj, "strides", None), pd.DataFrame)


def _placements(items: list[tuple[str, Any]]) -> set[str]:
    found = set()
    for _, item in items:
        for rec in (getattr(item, "recordings", {}) or {}).values():
            found.add(str(getattr(rec, "placement", "unknown")))
    found.discard("unknown")
    return found


def _summary_table(items: list[tuple[str, Any]]) -> pd.DataFrame | None:
    rows = []
    for key, item in items:
        summary = getattr(item, "summary", None) if _is_result(item) else None
        if summary is None and isinstance(item, pd.DataFrame) and "n_strides" in item.columns \
                and "stride_time_s" not in item.columns:
            summary = item
        if isinstance(summary, pd.DataFrame) and len(summary):
            rows.append(summary.assign(result=key) if "result" not in summary.columns else summary)
    if not rows:
        return None
    table = pd.concat(rows, ignore_index=True)
    shown = ["result"] + [c for c in _SUMMARY_COLUMNS if c in table.columns]
    return table[shown]


def _provenance(items: list[tuple[str, Any]]) -> str:
    from retrogait import __version__

    lines = [
        ("retrogait", __version__),
        ("python", platform.python_version()),
        ("numpy / pandas / matplotlib", f"{np.__version__} / {pd.__version__} / {matplotlib.__version__}"),
        ("created (UTC)", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")),
    ]
    out = ['<table><tbody>']
    out += [f'<tr><th class="text">{html.escape(k)}</th><td class="text">{html.escape(v)}</td></tr>'
            for k, v in lines]
    out.append("</tbody></table>")
    rows = []
    for key, item in items:
        if not _is_result(item):
            continue
        recordings = getattr(item, "recordings", {}) or {}
        for name, rec in recordings.items():
            rows.append({"result": key, "sensor": name, "placement": getattr(rec, "placement", ""),
                         "side": getattr(rec, "side", None) or "", "rate_hz": getattr(rec, "sampling_rate_hz", np.nan),
                         "duration_s": getattr(rec, "duration_s", np.nan),
                         "file": str(dict(getattr(rec, "meta", {})).get("source_file", ""))})
    if rows:
        out.append("<h3>Input files</h3>" + _table(pd.DataFrame(rows)))
    params = []
    for key, item in items:
        p = getattr(item, "params", None)
        if p is None:
            continue
        values = p.to_dict() if hasattr(p, "to_dict") else (
            dataclasses.asdict(p) if dataclasses.is_dataclass(p) and not isinstance(p, type) else {})
        params.append({"result": key, **{k: _fmt(v) for k, v in values.items()}})
    if params:
        out.append("<h3>Parameters</h3>" + _table(pd.DataFrame(params)))
    return "\n".join(out)


def _curves_figure(items: list[tuple[str, Any]], by: str) -> Figure | None:
    """Stride curves (acc norm) per group, from the first sensor with strides of each result."""
    results = {key: item for key, item in items if _is_result(item)}
    curves = curves_from_results(results, by=by, signal="acc_norm")
    if curves.empty:
        return None
    fig = Figure(figsize=(7, 4), layout="constrained")
    plotting.plot_stride_curves(curves, ylabel=plotting._label("acc_norm"), ax=fig.add_subplot())
    return fig


def _signal_figure(key: str, item: Any) -> Figure | None:
    recordings = getattr(item, "recordings", {}) or {}
    if not recordings or not len(item.strides):
        return None
    rec = next(iter(recordings.values()))
    start = float(item.strides["start_s"].min())
    fig = Figure(figsize=(11, 5), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    plotting.plot_signal(rec, events=getattr(item, "events", None), strides=item.strides, signal="acc_norm",
                         start_s=max(0.0, start - 0.5), end_s=start + 8.0, ax=ax1)
    plotting.plot_footfalls(item.strides, start_s=max(0.0, start - 0.5), end_s=start + 8.0, ax=ax2)
    ax1.set_title(f"{key}: {rec.name}")
    return fig


def make_report(
    results_or_tables: Any,
    *,
    out_path: str | os.PathLike[str],
    comparison: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
    by: str = "condition",
    title: str = "retrogait report",
) -> Path:
    """Write a self-contained HTML report and return its path.

    Parameters
    ----------
    results_or_tables : AnalysisResult, DataFrame, or list / dict of them
        What to report on: analysis results (their summary, strides, recordings, params
        and meta), or strides / summary tables.  Dict keys name the results and fill the
        ``by`` column when the meta has no such field.
    out_path : path
        The HTML file to write (its folder must exist).
    comparison : DataFrame, optional
        Output of :func:`retrogait.compare.compare`; computed here with ``by`` when not
        given and the data have at least two levels of ``by``.
    claims : DataFrame, optional
        Output of :func:`retrogait.claims.check_claims`; computed from the comparison
        when it contrasts backward with forward.
    by : str
        Grouping column for a comparison computed here; when the data have no such
        column but strides of several directions (one recording with forward and
        backward bouts), ``"direction"``.
    title : str
        Title of the page.

    Returns
    -------
    pathlib.Path
        ``out_path``: one self-contained HTML file holding the summary table, the
        comparison table of :func:`retrogait.compare.compare` (columns
        :data:`retrogait.compare.COMPARISON_COLUMNS`, as far as shown) with its forest plot
        (:func:`retrogait.plotting.plot_comparison`), the claims table
        (:data:`retrogait.claims.CLAIMS_COLUMNS`), the plots of
        :mod:`retrogait.plotting` embedded as base64 PNG, and the provenance (versions,
        parameters, meta).

    Raises
    ------
    InputError
        If the folder of ``out_path`` does not exist or the input holds no table.

    See Also
    --------
    retrogait.compare.compare, retrogait.claims.check_claims, retrogait.plotting.plot_overview

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from retrogait import schema
    >>> strides = schema.conform(pd.DataFrame({
    ...     "direction": ["forward"] * 4 + ["backward"] * 4,
    ...     "start_s": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    ...     "cadence_spm": [110.0, 112.0, 111.0, 113.0, 118.0, 120.0, 119.0, 121.0],
    ...     "stride_length_m": [1.30, 1.32, 1.28, 1.31, 0.90, 0.92, 0.88, 0.91],
    ... }), schema.STRIDES_COLUMNS)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = make_report(strides, out_path=Path(folder) / "report.html", title="Backward walk")
    ...     page = path.read_text(encoding="utf-8")
    >>> path.name
    'report.html'
    >>> "Backward walk" in page, "Claims for backward gait" in page, "data:image/png;base64," in page
    (True, True, True)
    """
    out = Path(out_path)
    if not out.parent.is_dir():
        raise InputError(f"out_path: folder {str(out.parent)!r} does not exist")
    items = _items(results_or_tables)
    sections: list[str] = []

    summary = _summary_table(items)
    if summary is not None:
        sections.append("<h2>Summary</h2>" + _table(summary))

    strides: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    try:
        table, kind = collect(results_or_tables, by=by)
        strides = table if kind == "strides" else None
        if kind == "summary" and summary is None:
            sections.append("<h2>Summary</h2>" + _table(table))
    except (InputError, TypeError) as exc:
        sections.append(f'<p class="note">No strides table: {html.escape(str(exc))}</p>')
    if comparison is None and table is not None and by not in table.columns and "direction" in table.columns:
        directions = set(table["direction"].astype(str)) - {"unknown", "nan", "None"}
        if len(directions) >= 2:
            by = "direction"  # one recording with forward and backward bouts
    if comparison is None and table is not None and by in table.columns:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RetrogaitWarning)
                comparison = compare(table, by=by)
        except InputError as exc:
            sections.append(f'<p class="note">No comparison: {html.escape(str(exc))}</p>')
    if comparison is not None and len(comparison):
        by = str(comparison["by"].iloc[0]) if "by" in comparison.columns else by
        shown = comparison[[c for c in _COMPARISON_SHOWN if c in comparison.columns and c != "note"]]
        # columns with one value for every row are said once above the table
        constant = [c for c in ("group", "reference", "unit", "effect_size_type", "test", "ci_method")
                    if c in shown.columns and shown[c].astype(str).nunique() == 1]
        said = "; ".join(f"{c}: <b>{html.escape(str(shown[c].iloc[0]))}</b>" for c in constant)
        shown = shown.drop(columns=constant)
        notes = sorted({str(n) for n in comparison.get("note", pd.Series(dtype=object)) if str(n)})
        sections.append(
            f"<h2>Comparison by {html.escape(by)}</h2>"
            '<p class="note">difference = group − reference; CI at 95 %; p adjusted across parameters '
            "(Holm). How units, tests and intervals are chosen: <code>retrogait.compare</code>.</p>"
            + (f'<p class="note">{said}</p>' if said else "")
            + _table(shown)
            + ("<ul class=\"note\">" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
               if notes else "")
        )
        if claims is None:
            try:
                claims = check_claims(comparison, placement=sorted(_placements(items)) or None)
            except InputError as exc:
                sections.append(f'<p class="note">Claims not checked: {html.escape(str(exc))}</p>')
    if claims is not None and len(claims):
        classes = ["supported" if v == "supported" else "contradicted" if v == "contradicted" else "cant"
                   for v in claims["verdict"]]
        cols = [c for c in ("claim", "gait", "difference", "difference_pct", "ci_low", "ci_high", "n_backward",
                            "n_forward", "verdict", "reason", "source") if c in claims.columns]
        sections.append("<h2>Claims for backward gait</h2>"
                        '<p class="note">backward − forward; supported / contradicted when the whole CI lies on '
                        "one side of 0.</p>" + _table(claims[cols], row_class=classes))

    figures: list[str] = []
    if comparison is not None and len(comparison):
        fig = plotting.plot_overview(comparison, strides=strides, by=by)
        figures.append(_figure_html(fig, "Comparison overview: differences with 95 % CI, stride length vs "
                                          "cadence, strike angle with the contact-type bands, distributions"))
    curves = _curves_figure(items, by)
    if curves is not None:
        figures.append(_figure_html(curves, "Stride-normalised acceleration norm, mean ± SD per group"))
    if strides is not None and len(strides) and "cadence_spm" in strides.columns:
        fig = Figure(figsize=(11, 3), layout="constrained")
        plotting.plot_over_time(strides.sort_values("start_s"), "cadence_spm",
                                by=by if by in strides.columns else None, ax=fig.add_subplot())
        figures.append(_figure_html(fig, "Cadence of every stride through the session(s)"))
    for key, item in items:
        if _is_result(item):
            fig_signal = _signal_figure(key, item)
            if fig_signal is not None:
                figures.append(_figure_html(fig_signal, f"{key}: signal with contacts and phases; footfalls"))
    if figures:
        sections.append("<h2>Plots</h2>" + "\n".join(figures))
    if not sections:
        raise InputError("results_or_tables: nothing to report (no summary, strides or comparison found)")
    sections.append("<h2>Provenance</h2>" + _provenance(items))

    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>" + "\n".join(sections) + "</body></html>\n"
    )
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return out

