"""MkDocs hook: fill the parts of the pages that come from the code.

Markers (HTML comments, so a page still reads well on GitHub):

``<!-- retrogait:schema NAME -->``
    The columns of ``retrogait.schema.NAME`` (e.g. ``EVENTS_COLUMNS``) as a table: name,
    dtype, unit (from the suffix), axis label and allowed values.
``<!-- retrogait:api MODULE ... -->``
    ``::: module`` blocks (mkdocstrings) for each module named that exists in
    ``src/``, and for a package also each public submodule; a note for those that do not
    exist yet.  The API pages therefore grow with the package.
``<!-- retrogait:api-rest -->``
    ``::: module`` blocks for every public module that no ``retrogait:api`` marker of a
    page in ``docs/api/`` covers, so a module added to the package is never missing.
``<!-- retrogait:validation [SECTION] -->``
    The tables of ``docs/validation/tables.md`` (written by
    ``python benchmarks/accuracy.py --write docs/validation/tables.md``), all of them or
    one section (``foot``, ``trunk``, ``spatial``, ``contact``); a note when they have not
    been generated.
``<!-- retrogait:targets -->``
    The accuracy targets of the project with the value measured in the generated tables
    and whether it is met; "not measured" when the table or row is absent.
``<!-- retrogait:cli -->``
    The ``--help`` of ``retrogait`` and of each sub-command.
``<!-- retrogait:formats -->``
    The formats registered in ``retrogait.io.FORMATS``.
``<!-- retrogait:if MODULE -->`` ... ``<!-- retrogait:else -->`` ... ``<!-- retrogait:endif -->``
    Keep the first part when ``MODULE`` exists in ``src/`` (or, when it contains a ``/``,
    when that file exists in the repository), else the second part.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
#: The generated accuracy tables (``RETROGAIT_VALIDATION_TABLES`` overrides, for previews).
TABLES = Path(os.environ.get("RETROGAIT_VALIDATION_TABLES") or ROOT / "docs" / "validation" / "tables.md")

_UNITS = {
    "_s": "s", "_hz": "Hz", "_m": "m", "_mps": "m/s", "_deg": "deg", "_spm": "steps/min",
    "_pct": "%", "_ms2": "m/s²", "_ms": "ms",
}


def _ensure_path() -> None:
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))


def module_path(name: str) -> Path | None:
    """The file of module ``name`` in ``src/`` (package ``__init__.py`` or ``.py``), if any."""
    base = SRC.joinpath(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None  # a folder without __init__.py is not (yet) an importable package


def public_modules(name: str) -> list[str]:
    """``name`` and, for a package or folder, its public submodules (recursively), sorted."""
    path = module_path(name)
    if path is None:
        return []
    found = [name]
    if path.name == "__init__.py":
        folder = path.parent
        for child in sorted(folder.iterdir()):
            if child.name.startswith("_"):
                continue
            if child.suffix == ".py":
                found.append(f"{name}.{child.stem}")
            elif child.is_dir() and module_path(f"{name}.{child.name}") is not None:
                found.extend(public_modules(f"{name}.{child.name}"))
    return found


#: What each contract column means (the schema gives names, dtypes and axis labels).
DESCRIPTIONS = {
    "sample": "sample number of the event in its recording (from 0)",
    "time_s": "time of the event from the recording's first sample",
    "event": "`ic` initial contact, `fc` final contact",
    "side": "body side of the foot, empty when unknown (phone, wrist)",
    "sensor": "name of the sensor (`Recording.name`, or the key given to `analyze`)",
    "stride_id": "number of the stride in the trial (from 0)",
    "bout_id": "bout the stride belongs to (see the bouts table)",
    "start_sample": "sample of the stride's initial contact",
    "end_sample": "sample of the next initial contact of the same foot",
    "start_s": "time of the stride's initial contact",
    "end_s": "time of the next initial contact of the same foot",
    "fc_s": "time of the stride's final contact",
    "stride_time_s": "end_s − start_s",
    "stance_time_s": "fc_s − start_s",
    "swing_time_s": "end_s − fc_s",
    "stance_pct": "100 · stance / stride time",
    "cadence_spm": "120 / stride time (two steps per stride)",
    "stride_length_m": "distance the foot travelled over the stride",
    "speed_mps": "stride length / stride time",
    "direction": "direction of travel relative to where the body faces",
    "gait": "`run` when stance < 50 % (flight), else `walk`; from cadence without stance",
    "contact_type": "part of the foot that lands first",
    "strike_angle_deg": "foot pitch at initial contact vs flat foot, + = toes up",
    "contact_confidence": "probability that the contact type is right (0-1)",
    "step_time_s": "from the other foot's last initial contact to this one",
    "double_support_s": "time within the stride with both feet on the ground",
    "double_support_pct": "double support in % of the stride time",
    "flight_time_s": "time within the stride with neither foot on the ground",
    "foot_clearance_m": "largest height of the foot over the ground in swing",
    "turning_angle_deg": "change of the foot's heading over the stride",
    "lateral_displacement_m": "sideways displacement of the foot over the stride",
    "peak_acc_ic_ms2": "largest acceleration norm around the initial contact",
    "trunk_tilt_deg": "lower-back sensor: angle of the stride's mean acceleration from the standing posture "
                      "(unsigned; NaN without 2 s of standing)",
    "n_strides": "number of strides",
    "n_bouts": "number of bouts",
    "duration_s": "duration",
}


def _unit(column: str) -> str:
    for suffix in sorted(_UNITS, key=len, reverse=True):
        if column.endswith(suffix):
            return _UNITS[suffix]
    return ""


def schema_table(name: str) -> str:
    _ensure_path()
    from retrogait import schema

    columns = getattr(schema, name, None)
    if not isinstance(columns, dict):
        raise ValueError(f"retrogait:schema {name}: not a column mapping in retrogait.schema")
    allowed = {
        "event": schema.EVENT_TYPES, "side": (*schema.SIDES, "None"), "direction": schema.DIRECTIONS,
        "gait": schema.GAITS, "contact_type": schema.CONTACT_TYPES,
    }
    rows = ["| column | dtype | unit | meaning | allowed values |", "|---|---|---|---|---|"]
    for column, dtype in columns.items():
        values = ", ".join(f"`{v}`" for v in allowed[column]) if column in allowed else ""
        meaning = DESCRIPTIONS.get(column, schema.LABELS.get(column, ""))
        rows.append(f"| `{column}` | {dtype} | {_unit(column)} | {meaning} | {values} |")
    return "\n".join(rows)


def api_blocks(names: list[str]) -> str:
    out: list[str] = []
    for name in names:
        modules = public_modules(name)
        if not modules:
            out.append(f"!!! note \"`{name}`\"\n    This module is not part of this version yet.")
            continue
        out.extend(f"::: {module}" for module in modules)
    return "\n\n".join(out)


_API_MARKER = re.compile(r"<!-- retrogait:api ([^>]*?)\s*-->")


def covered_modules() -> set[str]:
    """Modules documented by the ``retrogait:api`` markers of the pages in ``docs/api/``."""
    covered: set[str] = set()
    for page in (ROOT / "docs" / "api").glob("*.md"):
        for match in _API_MARKER.finditer(page.read_text(encoding="utf-8")):
            for name in match.group(1).split():
                covered.update(public_modules(name))
    return covered


def uncovered_modules() -> list[str]:
    """Public modules of the package that no API page names (the package root excluded)."""
    covered = covered_modules()
    return [m for m in public_modules("retrogait") if m != "retrogait" and m not in covered]


def api_rest() -> str:
    rest = uncovered_modules()
    if not rest:
        return "Every module of the package is on one of the pages above."
    return "\n\n".join(f"::: {module}" for module in rest)


def validation_sections() -> dict[str, list[str]] | None:
    """The generated tables by section (``foot``, ``trunk``, ...), or None when absent."""
    if not TABLES.is_file():
        return None
    sections: dict[str, list[str]] = {}
    pending: list[str] = []
    for chunk in re.split(r"\n\s*\n(?=### |## |_[a-z]+: )", TABLES.read_text(encoding="utf-8")):
        chunk = chunk.strip()
        timing = re.fullmatch(r"_([a-z_]+): [0-9.]+ s_", chunk)
        if timing:
            sections.setdefault(timing.group(1), []).extend(pending)
            pending = []
        elif chunk.startswith("## "):
            head, _, body = chunk.partition("\n")
            sections.setdefault(head[3:].strip(), []).append(body.strip())
        elif chunk.startswith("### "):
            pending.append("#" + chunk)  # one level deeper than the page's sections
    if pending:
        sections.setdefault("other", []).extend(pending)
    return sections


def validation_tables(section: str | None) -> str:
    sections = validation_sections()
    command = "`python benchmarks/accuracy.py --write docs/validation/tables.md` (or `make bench`)"
    if sections is None:
        return (f"!!! warning \"Tables not generated\"\n    The accuracy tables have not been generated in this "
                f"checkout. Run {command} with the reference data in `../shared/data` and rebuild the site.")
    stamp = re.search(r"generated by: ([^>]*?)\s*-->", TABLES.read_text(encoding="utf-8"))
    when = f" ({stamp.group(1)})" if stamp else ""
    if section is None:
        parts = [f"#### {name}\n\n" + "\n\n".join(chunks) for name, chunks in sections.items()]
    else:
        chunks = sections.get(section, [])
        if not chunks:
            return (f"!!! warning \"No `{section}` tables\"\n    The generated tables{when} have no `{section}` "
                    f"section: the benchmark has not been written or its data were absent. Regenerate with "
                    f"{command}.")
        parts = chunks
    return f"_Generated tables{when}._\n\n" + "\n\n".join(parts)


def parsed_tables() -> dict[str, list[dict[str, str]]]:
    """The generated tables as {title: rows}, each row a dict column -> cell text."""
    if not TABLES.is_file():
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    title = None
    header: list[str] | None = None
    for line in TABLES.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            title, header = line[4:].strip(), None
            out[title] = []
        elif title is not None and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set(line.replace("|", "").strip()) <= {"-", ":", " "}:
                out[title].append(dict(zip(header, cells, strict=False)))
    return out


def _table(tables: dict[str, list[dict[str, str]]], *words: str) -> list[dict[str, str]]:
    for title, rows in tables.items():
        if all(w.lower() in title.lower() for w in words):
            return rows
    raise LookupError(" ".join(words))


def _num(text: str) -> float:
    return float(text) if text not in ("", "nan") else float("nan")


def _fmt(value: float, unit: str = "") -> str:
    return f"{value:.3g}{unit}"


def _gaitmap_events(t):
    rows = [r for r in _table(t, "foot events", "gaitmap")
            if r.get("frame") == "gaitmap" and r.get("time") == "as recorded" and r.get("method") == "pitch_lobes"]
    if not rows:
        raise LookupError("gaitmap pitch_lobes rows")
    worst_ms = max(_num(r["median_abs_ms"]) for r in rows)
    worst_f1 = min(_num(r["f1"]) for r in rows)
    detail = ", ".join(f"{r['sensor']} {r['event']} F1 {_num(r['f1']):.3g}" for r in rows)
    met = worst_ms <= 10 and worst_f1 >= 0.99
    if "f1_without_turn" in rows[0]:
        without = min(_num(r["f1_without_turn"]) for r in rows)
        detail += f"; strides of the turn left out: F1 ≥ {without:.3g}"
        if not met and worst_ms <= 10 and without >= 0.99:
            return False, f"median abs error ≤ {worst_ms:.3g} ms; {detail} (target met without the turn)"
    return met, f"median abs error ≤ {worst_ms:.3g} ms; {detail}"


def _mobgap_events(t):
    row = next(r for r in _table(t, "mobgap", "lower back") if r.get("trial") == "POOLED" and r.get("subset") == "all")
    f1, mae = _num(row["f1"]), _num(row["cadence_mae_spm"])
    return f1 >= 0.90 and mae <= 2, f"pooled F1 {f1:.3g}, cadence MAE {mae:.3g} steps/min"


def _oxford(t):
    rows = _table(t, "oxford")
    worst = max(abs(_num(r["count_error_pct"])) for r in rows)
    return worst <= 3, f"largest absolute count error {worst:.3g} % over {len(rows)} files"


def _gdin_counts(t):
    rows = _table(t, "stride counts", "gdin")
    bad = [r["exp"] for r in rows if r.get("within_1") != "True"]
    return not bad, f"{len(rows) - len(bad)} of {len(rows)} walks within ±1" + (f" (not: {', '.join(bad)})" if bad else "")


def _gdin_length(t):
    row = next(r for r in _table(t, "stride length", "gdin") if r.get("experiment") == "all")
    mape = _num(row["mape_pct"])
    return mape <= 2, f"MAPE {mape:.3g} % over {row['n_matched']} strides"


def _gaitmap_length(t):
    rows = _table(t, "stride length", "gaitmap")
    dedrifts = {r.get("dedrift") for r in rows}
    # what a user gets (the pipeline's own events) when the table has it
    chosen = next((d for d in ("pipeline (own events)", "default", "impact") if d in dedrifts), None)
    rows = [r for r in rows if r.get("dedrift") == chosen]
    worst = max(_num(r["mae_cm"]) for r in rows)
    return worst <= 3, f"MAE ≤ {worst:.3g} cm ({chosen or 'only'} dedrifting, per foot)"


def _mobgap_length(t):
    row = next(r for r in _table(t, "pendulum") if r.get("trial") == "all")
    mape = _num(row["mape_pct"])
    return mape <= 10, f"MAPE {mape:.3g} % over {row['n_strides']} strides"


def _uci_distance(t):
    rows = _table(t, "course distances", "uci")
    bw = [abs(_num(r["backward_err_pct"])) for r in rows]
    columns = [c for c in ("walk_err_pct", "run_err_pct") if c in rows[0]] or ["forward_err_pct"]
    fw = [abs(_num(r[c])) for r in rows for c in columns]
    ok = max(bw) <= 5 and max(fw) <= 3
    segments = " and ".join(c.replace("_err_pct", "") for c in columns).replace("forward", "all forward strides")
    return ok, (f"backward within 5 % in {sum(e <= 5 for e in bw)} of {len(bw)} trials (absolute error up to "
                f"{max(bw):.3g} %); forward ({segments}) within 3 % in {sum(e <= 3 for e in fw)} of {len(fw)} "
                f"segments (up to {max(fw):.3g} %)")


def _uci_direction(t):
    row = next(r for r in _table(t, "direction", "uci") if r.get("segment") == "all")
    pct = _num(row["right_pct"])
    return pct >= 99, f"{pct:.3g} % of {row['n_strides']} strides"


def _heel_first(t):
    rows = [r for r in _table(t, "contact type") if r.get("condition", "").startswith("forward walk")]
    if not rows:
        raise LookupError("forward walk rows")
    worst = min(_num(r["expected_pct"]) for r in rows)
    detail = ", ".join(f"{r['dataset']} ({r['condition']}) {_num(r['expected_pct']):.3g} %" for r in rows)
    return worst >= 97, detail


def _toe_first(t):
    rows = [r for r in _table(t, "contact type") if r.get("condition", "").startswith("backward walk")]
    main = next(r for r in rows if r.get("condition") == "backward walk")
    pct = _num(main["expected_pct"])
    detail = f"{pct:.3g} % of {main['n_strides']} strides"
    others = [r for r in rows if r is not main]
    if others:
        detail += "; " + ", ".join(f"{r['condition']}: {_num(r['expected_pct']):.3g} % of {r['n_strides']}"
                                   for r in others)
    return pct >= 97, detail


def _bouts(t):
    row = _table(t, "bouts", "pooled")[0]
    direction, within = _num(row["direction_ok_pct"]), _num(row["boundaries_within_2s_pct"])
    return direction >= 99 and within >= 100, (
        f"bout direction right for {direction:.3g} % of {row['strides_in_segments']} strides; "
        f"{within:.3g} % of {row['boundaries']} changes of activity have a bout edge within 2 s")


#: (area, target as stated in the issue, check) -- the check reads the generated tables.
TARGETS = (
    ("foot events", "gaitmap: ic and fc median absolute error ≤ 10 ms, F1 ≥ 0.99", _gaitmap_events),
    ("foot events", "gdin 31-38: stride count within ±1 of the annotation for every walk", _gdin_counts),
    ("lower back events", "mobgap: ic F1 ≥ 0.90 and cadence MAE ≤ 2 steps/min", _mobgap_events),
    ("phone steps", "oxford: step count error ≤ 3 % for every file", _oxford),
    ("stride length", "gdin 31-38: per-stride MAPE ≤ 2 %", _gdin_length),
    ("stride length", "gaitmap: MAE ≤ 3 cm", _gaitmap_length),
    ("stride length", "mobgap lower back: MAPE ≤ 10 %", _mobgap_length),
    ("distance", "uci subject II: backward segment within 5 % of 15.24 m, each forward segment within 3 %",
     _uci_distance),
    ("direction", "uci subject II: direction right for ≥ 99 % of strides", _uci_direction),
    ("contact type", "forward walking (gaitmap, gdin, uci): heel_first ≥ 97 %", _heel_first),
    ("contact type", "uci subject II backward walking: toe_first ≥ 97 %", _toe_first),
    ("bouts", "uci subject II: bout direction right for ≥ 99 % of strides, bout boundaries within 2 s of the "
     "real change of activity", _bouts),
)


def targets_table() -> str:
    tables = parsed_tables()
    if not tables:
        return validation_tables(None)
    rows = ["| area | target | measured | met? |", "|---|---|---|---|"]
    for area, target, check in TARGETS:
        try:
            met, measured = check(tables)
            verdict = "**yes**" if met else "**no**"
        except (LookupError, KeyError, StopIteration, ValueError):
            measured, verdict = "not in the generated tables", "not measured"
        rows.append(f"| {area} | {target} | {measured} | {verdict} |")
    return "\n".join(rows)


def cli_reference() -> str:
    if module_path("retrogait.cli") is None:
        return "!!! note \"Command line\"\n    The command line (`retrogait.cli`) is not part of this version yet."
    _ensure_path()
    import argparse

    os.environ.setdefault("COLUMNS", "100")
    from retrogait import cli

    parser = None
    for attr in ("build_parser", "make_parser", "get_parser", "parser", "_parser", "_build_parser"):
        candidate = getattr(cli, attr, None)
        if isinstance(candidate, argparse.ArgumentParser):
            parser = candidate
        elif callable(candidate):
            with contextlib.suppress(TypeError):
                result = candidate()
                if isinstance(result, argparse.ArgumentParser):
                    parser = result
        if parser is not None:
            break
    if parser is None:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
            cli.main(["--help"])
        return f"```text\n{buffer.getvalue().rstrip()}\n```"
    parser.prog = "retrogait"
    out = [f"```text\n{parser.format_help().rstrip()}\n```"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                sub.prog = f"retrogait {name}"
                out.append(f"## `retrogait {name}`\n\n```text\n{sub.format_help().rstrip()}\n```")
    return "\n\n".join(out)


def formats_table() -> str:
    _ensure_path()
    from retrogait.io import FORMATS

    rows = ["| `format=` | what it reads |", "|---|---|"]
    rows += [f"| `{f.name}` | {f.description} |" for f in FORMATS.values()]
    return "\n".join(rows)


_IF = re.compile(
    r"<!-- retrogait:if ([\w./-]+) -->(.*?)(?:<!-- retrogait:else -->(.*?))?<!-- retrogait:endif -->", re.S
)


def _exists(name: str) -> bool:
    return (ROOT / name).is_file() if "/" in name else module_path(name) is not None
_MARKER = re.compile(r"<!-- retrogait:(schema|api-rest|api|validation|targets|cli|formats)\b([^>]*?)\s*-->")


def render(markdown: str) -> str:
    """Replace every marker of ``markdown`` (see the module docstring)."""
    markdown = _IF.sub(lambda m: m.group(2) if _exists(m.group(1)) else (m.group(3) or ""), markdown)

    def replace(match: re.Match[str]) -> str:
        kind, args = match.group(1), match.group(2).split()
        if kind == "schema":
            return schema_table(args[0])
        if kind == "api":
            return api_blocks(args)
        if kind == "api-rest":
            return api_rest()
        if kind == "validation":
            return validation_tables(args[0] if args else None)
        if kind == "targets":
            return targets_table()
        if kind == "cli":
            return cli_reference()
        return formats_table()

    return _MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return render(markdown)


_SPHINX_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|obj|exc|const):<code>(~?)([\w.]+)(\(\))?</code>")


def sphinx_roles_to_links(html: str) -> str:
    """Turn the Sphinx roles left in docstrings (``:func:`x.y```) into optional cross-references.

    mkdocstrings renders ``:func:`retrogait.io.read``` as ``:func:<code>retrogait.io.read</code>``;
    this drops the role and lets mkdocs-autorefs link the name when the site documents it
    (``~`` shows only the last part of the name, as in Sphinx).
    """

    def replace(match: re.Match[str]) -> str:
        tilde, name, call = match.group(1), match.group(2), match.group(3) or ""
        shown = (name.rsplit(".", 1)[-1] if tilde else name) + call
        return f'<autoref identifier="{name}" optional><code>{shown}</code></autoref>'

    return _SPHINX_ROLE.sub(replace, html)


def on_page_content(html: str, **kwargs: Any) -> str:
    return sphinx_roles_to_links(html)
