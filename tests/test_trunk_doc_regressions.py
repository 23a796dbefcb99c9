"""Regressions found while writing the docstring examples of ``retrogait.events.trunk``."""

from __future__ import annotations

from retrogait.events.trunk import iter_blocks


def test_iter_blocks_yields_python_ints() -> None:
    """``Block`` fields are annotated ``int``; ``lo`` and ``hi`` used to be ``numpy.int64``
    whenever the margin was not cut at the period's ends (their repr then depended on the
    numpy version)."""
    blocks = list(iter_blocks([(0.0, 25.0)], 100.0, 2500))
    assert [(b.lo, b.core_lo, b.core_hi, b.hi) for b in blocks] == [
        (0, 0, 833, 1033),
        (633, 833, 1667, 1867),
        (1467, 1667, 2500, 2500),
    ]
    for b in blocks:
        for value in (b.lo, b.core_lo, b.core_hi, b.hi):
            assert type(value) is int
