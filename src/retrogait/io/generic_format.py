"""Registration of the generic CSV/TXT reader (the fallback of format detection)."""

from __future__ import annotations

from pathlib import Path

from retrogait.io.assemble import RawSignals
from retrogait.io.csv_generic import read_table
from retrogait.io.registry import Context, register


def _read(path: Path, ctx: Context) -> RawSignals:
    return read_table(path, where=ctx.where, columns=ctx.columns, lines=ctx.lines, encoding=ctx.encoding,
                      sensor=ctx.sensor)


register("csv", lambda path, lines: True, _read,
         "any delimited table: header aliases, units in names, time column or sampling_rate_hz", priority=1000)
