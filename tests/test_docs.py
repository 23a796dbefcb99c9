"""The documentation builds in strict mode, its code runs, and it follows the code.

* ``mkdocs build --strict`` succeeds (no broken link, no missing API object, no warning);
* every ``python`` code block of the getting-started page and of the guides runs, in
  page order, from a scratch folder where ``data/`` is the repository's data folder and
  the placeholder files of the getting-started page (``my_walk.csv``, ``forward.csv``,
  ...) are bundled samples or a simulated backward walk;
* the build hook renders the data contracts from ``retrogait.schema``, lists every public
  module on some API page, and splits the generated validation tables by section.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SAMPLES = ROOT / "data" / "samples"

pytest.importorskip("mkdocs")


def _hook():
    spec = importlib.util.spec_from_file_location("retrogait_docs_hook", DOCS / "_hooks" / "retrogait_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _python_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M)]


# --------------------------------------------------------------------------- the build


@pytest.mark.slow
def test_site_builds_strict(tmp_path):
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("material")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    warnings_logged = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings_logged, warnings_logged
    assert (tmp_path / "site" / "concepts" / "data-contracts" / "index.html").is_file()


def test_every_nav_page_exists():
    nav = re.findall(r":\s*([\w/.-]+\.md)\s*$|^\s*-\s*([\w/.-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(),
                     flags=re.M)
    pages = [a or b for a, b in nav]
    assert pages, "no pages found in mkdocs.yml nav"
    missing = [p for p in pages if not (DOCS / p).is_file()]
    assert not missing, missing


# --------------------------------------------------------------------------- code on the pages


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A working folder like the repository's, with the getting-started placeholders."""
    import matplotlib

    matplotlib.use("Agg")
    from retrogait.simulate import simulate_gait

    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    for name, sample in (("my_walk.csv", "gaitmap_left_foot.csv"), ("forward.csv", "gaitmap_left_foot.csv"),
                         ("left.csv", "gaitmap_left_foot.csv"), ("right.csv", "gaitmap_right_foot.csv")):
        shutil.copy(SAMPLES / sample, tmp_path / name)
    rec = simulate_gait(placement="foot", side="left", direction="backward", n_strides=30,
                        sampling_rate_hz=200.0, seed=7).recording
    rec.data.assign(time_s=rec.time_s)[["time_s", *rec.data.columns]].to_csv(tmp_path / "backward.csv", index=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run_page(page: Path) -> dict:
    import matplotlib.pyplot as plt

    blocks = _python_blocks(page)
    assert blocks, f"{page.name}: no python code block"
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # inferred units etc.: the pages show them on purpose
        for i, code in enumerate(blocks):
            try:
                exec(compile(code, f"{page.relative_to(DOCS)}[block {i}]", "exec"), namespace)
            except Exception as err:  # noqa: BLE001 - report which block failed
                raise AssertionError(f"{page.relative_to(DOCS)}, code block {i} failed: {err!r}\n{code}") from err
    plt.close("all")
    return namespace


def test_getting_started_code_runs_to_a_comparison_plot(scratch):
    ns = _run_page(DOCS / "getting-started.md")
    assert (scratch / "comparison.png").stat().st_size > 10_000
    cmp = ns["cmp"]
    assert set(cmp["group"]) == {"backward"} and set(cmp["reference"]) == {"forward"}
    assert "stride_length_m" in set(cmp["parameter"])


GUIDES = sorted(p for p in (DOCS / "guides").glob("*.md") if _python_blocks(p))


@pytest.mark.slow
@pytest.mark.parametrize("page", GUIDES, ids=[p.stem for p in GUIDES])
def test_guide_code_runs(scratch, page):
    _run_page(page)


# --------------------------------------------------------------------------- the build hook


def test_schema_tables_follow_the_contract():
    from retrogait import schema

    table = _hook().schema_table("STRIDES_COLUMNS")
    rows = [line for line in table.splitlines()[2:]]
    assert [re.match(r"\| `(\w+)`", r).group(1) for r in rows] == list(schema.STRIDES_COLUMNS)
    stride_length = next(r for r in rows if r.startswith("| `stride_length_m`"))
    assert "| m |" in stride_length
    direction = next(r for r in rows if r.startswith("| `direction`"))
    assert all(f"`{d}`" in direction for d in schema.DIRECTIONS)


def test_schema_marker_rejects_unknown_table():
    with pytest.raises(ValueError, match="NOT_A_TABLE"):
        _hook().schema_table("NOT_A_TABLE")


def test_every_public_module_is_on_an_api_page():
    hook = _hook()
    rendered = hook.render((DOCS / "api" / "other.md").read_text())
    listed = hook.covered_modules() | set(re.findall(r"^::: ([\w.]+)", rendered, flags=re.M))
    missing = [m for m in hook.public_modules("retrogait") if m != "retrogait" and m not in listed]
    assert not missing, missing


def test_if_marker_keeps_the_branch_of_existing_modules():
    hook = _hook()
    text = "<!-- retrogait:if retrogait.schema -->yes<!-- retrogait:else -->no<!-- retrogait:endif -->"
    assert hook.render(text) == "yes"
    text = text.replace("retrogait.schema", "retrogait.no_such_module")
    assert hook.render(text) == "no"


def test_validation_tables_split_by_section(tmp_path, monkeypatch):
    hook = _hook()
    generated = "\n\n".join([
        "<!-- generated by: python benchmarks/accuracy.py, 2026-01-01 -->",
        "### foot: events\n\n| a |\n|---|\n| 1 |",
        "### foot: strides\n\n| b |\n|---|\n| 2 |",
        "_foot: 1.0 s_",
        "## spatial\n\nnot available: No module named 'benchmarks.accuracy_spatial'",
        "### trunk: mobgap\n\n| c |\n|---|\n| 3 |",
        "_trunk: 2.5 s_",
    ]) + "\n"
    path = tmp_path / "tables.md"
    path.write_text(generated)
    monkeypatch.setattr(hook, "TABLES", path)
    sections = hook.validation_sections()
    assert list(sections) == ["foot", "spatial", "trunk"]
    assert [c.splitlines()[0] for c in sections["foot"]] == ["#### foot: events", "#### foot: strides"]
    assert "not available" in sections["spatial"][0]
    assert "| 3 |" in hook.validation_tables("trunk")
    assert "2026-01-01" in hook.validation_tables("trunk")
    assert "No `contact` tables" in hook.validation_tables("contact")
    monkeypatch.setattr(hook, "TABLES", tmp_path / "absent.md")
    assert "Tables not generated" in hook.validation_tables(None)


def test_sphinx_roles_become_optional_links():
    html = "see :func:<code>retrogait.io.read</code> and :class:<code>~retrogait.errors.InputError</code>"
    out = _hook().sphinx_roles_to_links(html)
    assert ':func:' not in out and ':class:' not in out
    assert '<autoref identifier="retrogait.io.read" optional><code>retrogait.io.read</code></autoref>' in out
    assert '<autoref identifier="retrogait.errors.InputError" optional><code>InputError</code></autoref>' in out


def test_targets_are_judged_from_the_generated_tables(tmp_path, monkeypatch):
    hook = _hook()
    generated = "\n\n".join([
        "### oxford phone steps (step times within 0.25 s)",
        "| file | count_error_pct |\n|---|---|\n| a | 1.5 |\n| b | -2.9 |",
        "### mobgap lower back vs INDIP (ic within 0.25 s)",
        "| trial | subset | f1 | cadence_mae_spm |\n|---|---|---|---|\n| POOLED | all | 0.95 | 2.5 |",
        "_trunk: 1.0 s_",
    ]) + "\n"
    path = tmp_path / "tables.md"
    path.write_text(generated)
    monkeypatch.setattr(hook, "TABLES", path)
    rows = {line.split("|")[2].strip(): line for line in hook.targets_table().splitlines()[2:]}
    oxford = rows["oxford: step count error ≤ 3 % for every file"]
    assert "2.9 %" in oxford and oxford.rstrip().endswith("**yes** |")
    mobgap = rows["mobgap: ic F1 ≥ 0.90 and cadence MAE ≤ 2 steps/min"]   # cadence misses the target
    assert "F1 0.95" in mobgap and mobgap.rstrip().endswith("**no** |")
    gaitmap = next(v for k, v in rows.items() if k.startswith("gaitmap: ic and fc"))
    assert "not measured" in gaitmap


def _griffe_rst():
    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location("griffe_rst_ext", DOCS / "_hooks" / "griffe_rst.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rst_simple_table_becomes_markdown():
    text = ("Intro:\n\n"
            "=======  ==========\n"
            "place    detector\n"
            "=======  ==========\n"
            "foot     one\n"
            "         more\n"
            "shank    two\n"
            "=======  ==========\n\nAfter.")
    out = _griffe_rst().simple_tables_to_markdown(text)
    assert "| place | detector |" in out
    assert "| foot | one more |" in out and "| shank | two |" in out
    assert "====" not in out and out.endswith("After.")


def test_module_headings_and_definition_lists():
    text = "Title line.\n\nMethods\n-------\n``\"a\"`` (default)\n    What a does.\n\nReferences\n----------\nX (2000)."
    out = _griffe_rst().convert(text, module=True)
    assert "**Methods**" in out and "References\n----------" in out
    assert '``"a"`` (default)\n:   What a does.' in out
    assert _griffe_rst().convert(text, module=False) == text


def test_committed_figures_are_small_and_used():
    figures = sorted((DOCS / "figures").glob("*.png"))
    assert figures
    pages = "".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    for fig in figures:
        assert fig.stat().st_size < 200_000, f"{fig.name}: {fig.stat().st_size} bytes"
        assert f"figures/{fig.name}" in pages, f"{fig.name} is not shown on any page"
