"""Format registry: each device family module registers a detector and a reader.

A detector looks at the file name and its first lines and answers whether the file is
in its format; the first detector that says yes wins (most specific first), and the
generic CSV reader takes everything else.  A reader returns one :class:`RawSignals` or a
mapping sensor name -> RawSignals for multi-sensor files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrogait.io.assemble import RawSignals


@dataclass(frozen=True)
class Context:
    """What a reader gets besides the path."""

    where: str
    lines: list[str]
    encoding: str
    columns: Mapping[Any, str] | None
    sensor: str | None
    acc_unit: str | float | None
    gyr_unit: str | float | None
    sampling_rate_hz: float | None = None


Detector = Callable[[Path, list[str]], bool]
Reader = Callable[[Path, Context], "RawSignals | dict[str, RawSignals]"]


@dataclass(frozen=True)
class Format:
    """One registered format."""

    name: str
    detect: Detector
    read: Reader
    description: str
    priority: int


FORMATS: dict[str, Format] = {}


def register(name: str, detect: Detector, read: Reader, description: str, *, priority: int = 50) -> None:
    """Add a format; detectors run by ascending ``priority`` (specific layouts first)."""
    FORMATS[name] = Format(name, detect, read, description, priority)
    ordered = sorted(FORMATS.values(), key=lambda f: f.priority)  # keep FORMATS in detection order
    FORMATS.clear()
    FORMATS.update((f.name, f) for f in ordered)


def detect(path: Path, lines: list[str]) -> str:
    """Name of the first registered format whose detector accepts the file (else ``'csv'``)."""
    for fmt in sorted(FORMATS.values(), key=lambda f: f.priority):
        try:
            accepted = fmt.name != "csv" and fmt.detect(path, lines)
        except (ValueError, IndexError, KeyError, TypeError, OSError):  # a detector never fails a read
            accepted = False
        if accepted:
            return fmt.name
    return "csv"
