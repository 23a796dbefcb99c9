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
    """What a reader gets besides the path: the peeked head and the caller's options.

    :func:`retrogait.io.read` builds one per file and passes it to the detected
    format's reader.

    Parameters
    ----------
    where : str
        The file as named in error and warning messages (its path).
    lines : list of str
        First lines of the file (at most 160), decoded, without line ends; empty for
        binary containers (Parquet, MATLAB).
    encoding : str
        Text encoding the lines were decoded with (``'utf-8'`` or ``'latin-1'``).
    columns : mapping or None
        The caller's ``columns=`` of :func:`retrogait.io.read`: file column (or 0-based
        position) -> ``time``/``acc_x`` ... ``gyr_z``.
    sensor : str or None
        The caller's ``sensor=``: which sensor of a multi-sensor file to read.
    acc_unit : {'g', 'mg', 'm/s^2'}, float or None
        The caller's accelerometer unit (a float is a factor to m/s²).
    gyr_unit : {'deg/s', 'rad/s'}, float or None
        The caller's gyroscope unit (a float is a factor to deg/s).
    sampling_rate_hz : float or None, default None
        The caller's sampling rate in Hz.

    Examples
    --------
    >>> from retrogait.io.registry import Context
    >>> ctx = Context(where="walk.csv", lines=["time,acc_x,acc_y,acc_z", "0.00,0,0,1"], encoding="utf-8",
    ...               columns=None, sensor=None, acc_unit="g", gyr_unit=None)
    >>> ctx.acc_unit, ctx.sampling_rate_hz, len(ctx.lines)
    ('g', None, 2)
    """

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
    """One registered format: its name, detector, reader and detection priority.

    Instances live in ``retrogait.io.FORMATS`` (name -> Format, in detection order);
    make them with :func:`register`.

    Parameters
    ----------
    name : str
        Key in ``FORMATS`` and value of ``meta['format']`` (e.g. ``'phyphox'``).
    detect : callable
        ``detect(path, lines) -> bool``: whether the file (its path and first lines) is
        in this format.  A ``ValueError``, ``IndexError``, ``KeyError``, ``TypeError``
        or ``OSError`` it raises counts as no.
    read : callable
        ``read(path, context) -> RawSignals`` or a dict sensor name -> ``RawSignals``
        for multi-sensor files (file units, time in s).
    description : str
        One line for users (device, layout, units).
    priority : int
        Detectors run by ascending priority: 10 device exports with a fixed header,
        40 phone apps, 50 containers by suffix, 1000 the generic CSV reader.

    Examples
    --------
    >>> from retrogait.io import FORMATS
    >>> fmt = FORMATS["phyphox"]
    >>> fmt.name, fmt.priority
    ('phyphox', 40)
    >>> list(FORMATS)[-1]  # the generic reader comes last
    'csv'
    """

    name: str
    detect: Detector
    read: Reader
    description: str
    priority: int


FORMATS: dict[str, Format] = {}


def register(name: str, detect: Detector, read: Reader, description: str, *, priority: int = 50) -> None:
    """Add a format; detectors run by ascending ``priority`` (specific layouts first).

    Registering a name again replaces the earlier entry.  ``FORMATS`` is kept sorted by
    priority (ties in registration order), so listing it shows the detection order.

    Parameters
    ----------
    name : str
        Format name: key in ``FORMATS``, value of ``meta['format']`` and of
        ``read(format=...)``.
    detect : callable
        ``detect(path, lines) -> bool`` with ``path`` a ``pathlib.Path`` and ``lines``
        the file's first lines (empty for Parquet and MATLAB).  It should look only, never
        raise; a ``ValueError``, ``IndexError``, ``KeyError``, ``TypeError`` or
        ``OSError`` it raises counts as False.
    read : callable
        ``read(path, context) -> RawSignals`` (or a dict sensor name -> RawSignals),
        given a :class:`Context`; it raises ``InputError`` for a file it cannot read.
    description : str
        One line for users (device, layout, units).
    priority : int, keyword-only, default 50
        Detection order, ascending: 10 fixed-header device exports, 20-30 other
        devices, 40 phone apps, 50 by suffix; the generic ``'csv'`` reader has 1000.

    Examples
    --------
    A detector for a made-up logger whose files start with ``# demo``; the registry is
    restored afterwards:

    >>> import pathlib
    >>> from retrogait.io import registry
    >>> saved = dict(registry.FORMATS)
    >>> registry.register("demo", lambda path, lines: bool(lines) and lines[0].startswith("# demo"),
    ...                   lambda path, ctx: None, "demo logger", priority=5)
    >>> list(registry.FORMATS)[0]
    'demo'
    >>> registry.detect(pathlib.Path("log.txt"), ["# demo v1", "1,2,3"])
    'demo'
    >>> registry.FORMATS.clear(); registry.FORMATS.update(saved)
    >>> "demo" in registry.FORMATS
    False
    """
    FORMATS[name] = Format(name, detect, read, description, priority)
    ordered = sorted(FORMATS.values(), key=lambda f: f.priority)  # keep FORMATS in detection order
    FORMATS.clear()
    FORMATS.update((f.name, f) for f in ordered)


def detect(path: Path, lines: list[str]) -> str:
    """Name of the first registered format whose detector accepts the file (else ``'csv'``).

    Detectors run by ascending priority; one that raises counts as a no, so a strange
    file never fails here (the reader reports what is wrong).

    Parameters
    ----------
    path : pathlib.Path
        The file; detectors for containers look at its suffix only.
    lines : list of str
        The file's first lines, decoded, without line ends (what
        ``retrogait.io.csv_generic.peek`` returns).

    Returns
    -------
    str
        A key of ``FORMATS``; ``'csv'`` (the generic reader) when no detector accepts.

    Examples
    --------
    >>> from pathlib import Path
    >>> from retrogait.io.registry import detect
    >>> head = ["time,seconds_elapsed,z,y,x", "1700000000000000000,0.0,0.1,0.2,9.8"]
    >>> detect(Path("TotalAcceleration.csv"), head)  # Sensor Logger (Android)
    'sensor_logger'
    >>> detect(Path("walk.csv"), ["time,acc_x,acc_y,acc_z", "0.00,0.0,0.0,9.81"])
    'csv'
    >>> detect(Path("trial.parquet"), [])
    'parquet'
    """
    for fmt in sorted(FORMATS.values(), key=lambda f: f.priority):
        try:
            accepted = fmt.name != "csv" and fmt.detect(path, lines)
        except (ValueError, IndexError, KeyError, TypeError, OSError):  # a detector never fails a read
            accepted = False
        if accepted:
            return fmt.name
    return "csv"
