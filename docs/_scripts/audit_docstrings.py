"""List the public functions and classes of retrogait whose docstrings lack numpydoc sections.

    .venv/bin/python docs/_scripts/audit_docstrings.py [--markdown]

Issue 9 asks every public function for numpydoc ``Parameters`` (with units), ``Returns``
(naming the table contract), ``Raises``, ``References`` where an algorithm comes from a
paper, and an ``Examples`` section that runs (doctests run with the test suite).  This
script checks what can be checked mechanically:

* ``Parameters`` when the function takes arguments (besides ``self``), naming every
  argument of the signature (a class may list its fields under ``Attributes`` instead);
* ``Returns`` (or ``Yields``) unless the return annotation is ``None``;
* no entry whose default the API pages would show wrong (a combined ``a, b : type``
  entry whose names have different defaults, a ``{...}`` choice list that does not start
  with the default);
* ``Raises`` when the function's own source contains a ``raise`` statement;
* ``Examples`` always (with at least one ``>>>`` statement not marked ``+SKIP`` on any of
  its lines).

Public = named in the module's ``__all__`` when it has one, else not starting with ``_``,
and defined in that module (re-exports are checked where they are defined), or in a
private module whose objects it re-exports (``retrogait.simulate`` from ``simulate._core``).  Modules
whose name starts with ``_`` are private.  Units and references need a reader.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path

import retrogait

SECTION = re.compile(
    r"^\s*(Parameters|Attributes|Returns|Yields|Raises|Examples|References)\s*\n\s*-{3,}", re.M
)
ENTRY = re.compile(r"^(\*{0,2}[A-Za-z_][\w, *]*?)\s*(?::|$)")


def documented_names(doc: str) -> set[str]:
    """Names listed at the left margin of the ``Parameters`` / ``Other Parameters`` sections."""
    lines = doc.splitlines()
    names: set[str] = set()
    inside = False
    for i, line in enumerate(lines):
        underlined = i + 1 < len(lines) and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]) is not None
        if underlined:
            inside = line.strip() in ("Parameters", "Other Parameters")
            continue
        if inside and line and not line[0].isspace() and not line.startswith("-"):
            match = ENTRY.match(line)
            if match:
                names.update(name.strip().lstrip("*") for name in match.group(1).split(","))
    return names


def public_modules() -> list[str]:
    names = ["retrogait"]
    for info in pkgutil.walk_packages(retrogait.__path__, prefix="retrogait."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _defined_here(obj: object, module_name: str) -> bool:
    """Defined in this module, or in a private module it re-exports from (``simulate._core``)."""
    home = getattr(obj, "__module__", None) or ""
    if home == module_name:
        return True
    parts = home.split(".")
    private = [i for i, part in enumerate(parts) if part.startswith("_")]
    return bool(private) and ".".join(parts[: private[0]]) == module_name


def _public_objects(module) -> list[tuple[str, object]]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(module, name, None)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and _defined_here(obj, module.__name__):
            out.append((name, obj))
    return out


def parameter_entries(doc: str) -> list[tuple[list[str], str]]:
    """``(names, type)`` of each entry of the ``Parameters`` / ``Other Parameters`` sections."""
    lines = doc.splitlines()
    entries: list[tuple[list[str], str]] = []
    inside = False
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]) is not None:
            inside = line.strip() in ("Parameters", "Other Parameters")
            continue
        if inside and line and not line[0].isspace() and not line.startswith("-"):
            names, _, kind = line.partition(":")
            entries.append(([n.strip().lstrip("*") for n in names.split(",") if n.strip()], kind.strip()))
    return entries


def rendered_default_problems(doc: str, signature: inspect.Signature) -> list[str]:
    """Entries whose default the API pages would show wrong.

    The site's renderer (griffe) gives every name of a combined entry ``a, b : float`` the
    default of the first name, and takes the first value of a ``{...}`` choice list as
    the default; both are wrong when the signature says otherwise.
    """
    defaults = {name: p.default for name, p in signature.parameters.items()}
    problems = []
    for names, kind in parameter_entries(doc):
        known = [n for n in names if n in defaults]
        if len({repr(defaults[n]) for n in known}) > 1:
            problems.append("combined entry with different defaults: " + ", ".join(known))
        choices = re.match(r"\{([^}]*)\}", kind)
        if choices and len(known) == 1 and defaults[known[0]] is not inspect.Parameter.empty:
            first = choices.group(1).split(",")[0].strip().strip("'\"")
            if first != str(defaults[known[0]]):
                problems.append(f"{known[0]}: choice list starts with {first!r}, default is {defaults[known[0]]!r}")
    return problems


def runnable_statements(examples: str) -> list[str]:
    """The doctest statements (``>>>`` line and its ``...`` lines) not marked ``+SKIP``.

    A ``+SKIP`` directive on any line of a statement skips the whole statement.
    """
    statements: list[list[str]] = []
    for line in examples.splitlines():
        text = line.strip()
        if text.startswith(">>>"):
            statements.append([text])
        elif text.startswith("...") and statements:
            statements[-1].append(text)
    return ["\n".join(lines) for lines in statements if not any("+SKIP" in ln for ln in lines)]


def missing_sections(obj: object) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    if not doc:
        return ["docstring"]
    found = set(SECTION.findall(doc))
    missing = []
    target = obj.__init__ if inspect.isclass(obj) else obj  # type: ignore[misc]
    try:
        signature = inspect.signature(target)  # type: ignore[arg-type]
        params = [p for p in signature.parameters if p not in ("self", "cls")]
        returns_none = signature.return_annotation in (None, "None")
    except (TypeError, ValueError):
        params, returns_none = [], False
    documents_fields = inspect.isclass(obj) and "Attributes" in found
    if params and "Parameters" not in found and not documents_fields:
        missing.append("Parameters")
    elif params and not documents_fields:
        undocumented = [p for p in params if p.lstrip("*") not in documented_names(doc)]
        if undocumented:
            missing.append("Parameters (" + ", ".join(undocumented) + ")")
    if params and "Parameters" in found:
        missing.extend(f"Parameters ({problem})" for problem in rendered_default_problems(doc, signature))
    if inspect.isfunction(obj) and not returns_none and not ({"Returns", "Yields"} & found):
        missing.append("Returns")
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        source = ""
    if re.search(r"^\s+raise \w", source, re.M) and "Raises" not in found:
        missing.append("Raises")
    examples = doc.split("Examples", 1)[1] if "Examples" in found else ""
    if not runnable_statements(examples):
        missing.append("Examples" if "Examples" not in found else "Examples (all +SKIP)")
    return missing


def audit() -> list[tuple[str, str, list[str]]]:
    rows = []
    for name in public_modules():
        try:
            module = importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - report, do not stop
            rows.append((name, "(import failed)", [f"{type(err).__name__}: {err}"]))
            continue
        for obj_name, obj in _public_objects(module):
            missing = missing_sections(obj)
            if missing:
                rows.append((name, obj_name, missing))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    rows = audit()
    total = sum(len(_public_objects(importlib.import_module(m))) for m in public_modules())
    if args.markdown:
        print("| module | function / class | missing |\n|---|---|---|")
        for module, name, missing in rows:
            print(f"| `{module}` | `{name}` | {', '.join(missing)} |")
    else:
        for module, name, missing in rows:
            print(f"{module}.{name}: {', '.join(missing)}")
    print(f"\n{len(rows)} of {total} public functions/classes lack a section", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    raise SystemExit(main())
