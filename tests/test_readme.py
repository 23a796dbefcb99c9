"""The README's Python quickstart runs as written (from the repository root)."""

from __future__ import annotations

import re
import warnings

import pytest

from tests.conftest import REPO


def test_readme_quickstart_runs(tmp_path, monkeypatch):
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "README has no Python block"
    monkeypatch.chdir(REPO)
    code = blocks[0].replace('fig.savefig("comparison.png")', f'fig.savefig(r"{tmp_path / "c.png"}")')
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    claims = namespace["claims"]
    verdict = dict(zip(claims["claim"], claims["verdict"], strict=False))
    assert verdict.get("toe-first contact") == "supported"
    assert (tmp_path / "c.png").stat().st_size > 10_000
    assert len(namespace["res"].strides) >= 50


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
