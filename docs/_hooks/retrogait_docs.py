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
``<!-- retrogait:cli -->``
    The ``--help`` of ``retrogait`` and of each sub-command.
``<!-- retrogait:formats -->``
    The formats registered in ``retrogait.io.FORMATS``.
``<!-- retrogait:if MODULE -->`` ... ``<!-- retrogait:else -->`` ... ``<!-- retrogait:endif -->``
    Keep the first part when ``MODULE`` exists in ``src/``, else the second part.
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
TABLES = ROOT / "docs" / "validation" / "tables.md"

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
    rows = ["| column | dtype | unit | label / allowed values |", "|---|---|---|---|"]
    for column, dtype in columns.items():
        note = ", ".join(f"`{v}`" for v in allowed[column]) if column in allowed else schema.LABELS.get(column, "")
        rows.append(f"| `{column}` | {dtype} | {_unit(column)} | {note} |")
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
    r"<!-- retrogait:if ([\w.]+) -->(.*?)(?:<!-- retrogait:else -->(.*?))?<!-- retrogait:endif -->", re.S
)
_MARKER = re.compile(r"<!-- retrogait:(schema|api-rest|api|validation|cli|formats)\b([^>]*?)\s*-->")


def render(markdown: str) -> str:
    """Replace every marker of ``markdown`` (see the module docstring)."""
    markdown = _IF.sub(lambda m: m.group(2) if module_path(m.group(1)) else (m.group(3) or ""), markdown)

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
