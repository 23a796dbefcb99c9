"""Griffe extension: render the reStructuredText habits of retrogait's docstrings as Markdown.

The docstrings are numpydoc (read by Sphinx-minded people and by ``help()``), but
mkdocstrings renders their text as Markdown.  Three reST constructs would come out
garbled, so they are rewritten before rendering (the source is not changed):

* simple tables (columns delimited by ``=====  =====`` rules) become Markdown tables;
* in module docstrings, underlined headings other than the numpydoc sections that make
  sense for a module (``References``, ``Notes``, ``Examples``, ``See Also``) become bold
  paragraphs -- otherwise ``Methods`` would be read as a list of class methods;
* in module docstrings, definition lists (a term line followed by a block indented by
  four spaces) become Markdown definition lists (``def_list`` extension).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_RULE = re.compile(r"^(\s*)(=+)(\s+=+)+\s*$")
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_MODULE_SECTIONS = {"References", "Notes", "Examples", "See Also", "Warnings"}


def _spans(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    cells = []
    for i, (start, _end) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
        cells.append(line[start:stop].strip())
    return cells


def simple_tables_to_markdown(text: str) -> str:
    """Rewrite every reST simple table of ``text`` as a Markdown table."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _RULE.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        spans = _spans(lines[i])
        rules = [i]
        j = i + 1
        while j < len(lines) and lines[j].strip():
            if _RULE.match(lines[j]):
                rules.append(j)
            j += 1
        if len(rules) < 2:
            out.append(lines[i])
            i += 1
            continue
        body_rules = rules[1:]
        header: list[str] | None = None
        start = i + 1
        if len(rules) >= 3:  # rule, header, rule, body..., rule
            header = _cells(" ".join(lines[i + 1:rules[1]]), spans) if rules[1] == i + 2 else None
            if header is not None:
                start = rules[1] + 1
                body_rules = rules[2:]
        rows: list[list[str]] = []
        for k in range(start, body_rules[-1]):
            if _RULE.match(lines[k]):
                continue
            cells = _cells(lines[k], spans)
            if rows and not cells[0]:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
        width = len(spans)
        out.append("")
        out.append("| " + " | ".join(header or [" "] * width) + " |")
        out.append("|" + "---|" * width)
        out.extend("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows)
        out.append("")
        i = j
    return "\n".join(out)


def headings_to_bold(text: str) -> str:
    """Underlined headings that are not module sections become bold paragraphs."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        title = lines[i].strip()
        if (i + 1 < len(lines) and title and _UNDERLINE.match(lines[i + 1])
                and len(lines[i + 1].strip()) >= len(title) * 0.6 and title not in _MODULE_SECTIONS):
            out.extend([f"**{title}**", ""])
            i += 2
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def definition_lists(text: str) -> str:
    """``term`` followed by a 4-space indented block becomes a Markdown definition list."""
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1].strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        is_term = (prev_blank and line.strip() and not line.startswith(" ") and nxt.startswith("    ")
                   and nxt.strip() and not line.lstrip().startswith((">>>", "-", "*", "|", "#"))
                   and not line.rstrip().endswith("::"))
        out.append(line)
        if is_term:
            lines[i + 1] = ":   " + nxt[4:]
    return "\n".join(out)


def convert(text: str, *, module: bool) -> str:
    """The docstring ``text`` with its reST constructs rewritten (see the module notes)."""
    text = simple_tables_to_markdown(text)
    if module:
        text = definition_lists(headings_to_bold(text))
    return text


class RstToMarkdown(griffe.Extension):
    """Apply :func:`convert` to every docstring griffe loads."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value, module=obj.is_module)
