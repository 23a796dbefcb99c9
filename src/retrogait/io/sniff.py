"""Look at the first lines of a text file: delimiter, decimal mark, preamble, header, units row.

The dialect is read from the *end* of the peeked block, where the data rows are: for each
candidate delimiter (tab, semicolon, comma, space — in that priority) the lines must split
into the same number of fields (>= 2) and most cells must be numbers.  A decimal comma is
assumed when the delimiter is not a comma and numeric cells use ``,`` as decimal mark.
The data start is the first of three consecutive data rows; the non-numeric line just
before it holds the column names, and a second non-numeric line under the names whose
cells are units (``s``, ``m/s^2``, ``deg/s`` ...) is a units row (Shimmer, APDM).
Everything above is the preamble, searched for a sampling rate (``Sample Rate:,128,Hz``,
``// Update Rate: 100.0Hz``, ``at 40 Hz``, ``Measurement Frequency,100 Hz``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from retrogait.errors import InputError
from retrogait.io import units as _units

PEEK_BYTES = 1 << 16
PEEK_LINES = 160
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DATEISH = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T_]\d{1,2}[:.\-]\d{2}([:.\-]\d{2})?([:.,]\d+)?)?")
_MISSING = {"", "nan", "na", "n/a", "null", "none", "-nan", "inf", "-inf"}
_SEP_LINE = re.compile(r'^\W?"?sep=(.)"?\s*$', re.IGNORECASE)
_RATE = re.compile(
    r"(?:(?:sample|sampling|update|measurement|acquisition|output)\s*(?:rate|frequency|freq)"
    r"|\bat)[\s:=,;\t]*([0-9]+(?:[.,][0-9]+)?)[\s,;\t]*hz",
    re.IGNORECASE,
)
_UNITISH = {"s", "ms", "us", "ns", "sec", "g", "mg", "m/s^2", "m/(s^2)", "deg/s", "rad/s", "ut", "µt", "mv",
            "kpa", "hpa", "deg", "degc", "degreescelsius", "no_units", "local_flux", "kohms", "a.u.",
            "deg c", "lux", "%"}


@dataclass
class Dialect:
    """Layout of the table in a text file (line numbers are 0-based).

    Built by `sniff` from the first lines of a file and passed on to `read_block`.

    Attributes
    ----------
    delimiter : str
        Field separator: ``'\\t'``, ``';'``, ``','`` or ``' '`` (or the one a ``sep=`` line forces).
    decimal : str
        Decimal mark of the numbers, ``'.'`` or ``','`` (a comma only when the delimiter is not one).
    data_start : int
        Index (0-based) of the first data row in the lines given to `sniff`.
    n_fields : int
        Number of fields of a data row (at least the number of column names).
    names : list of str or None, default None
        Column names from the header line, or None when the file has no header.
    units : list of (str or None) or None, default None
        Cells of the units row under the names (``'s'``, ``'g'``, ``'deg/s'`` ...; None for an
        empty cell), or None when the file has no units row.
    preamble : list of str, default []
        Lines above the header (device, subject, settings ...).
    rate_hz : float or None, default None
        Sampling rate announced in the preamble, in Hz, or None.

    Examples
    --------
    >>> from retrogait.io.sniff import Dialect
    >>> d = Dialect(delimiter=";", decimal=",", data_start=1, n_fields=3, names=["t", "x", "y"])
    >>> d.units is None, d.preamble, d.rate_hz is None
    (True, [], True)
    """

    delimiter: str
    decimal: str
    data_start: int
    n_fields: int
    names: list[str] | None = None
    units: list[str | None] | None = None
    preamble: list[str] = field(default_factory=list)
    rate_hz: float | None = None


def read_head(path: Path) -> tuple[bytes, str]:
    r"""First bytes of ``path`` and the encoding to read it with (UTF-8, else latin-1).

    At most `PEEK_BYTES` (64 KiB) are read.  A few NUL bytes (padding in some headers) are
    removed; more than 1 % NUL bytes means a binary file.

    Parameters
    ----------
    path : pathlib.Path
        The text file to peek into.

    Returns
    -------
    head : bytes
        The first bytes of the file (fewer than `PEEK_BYTES` when the file is shorter),
        without NUL bytes.
    encoding : str
        ``'utf-8'`` when the bytes decode as UTF-8 (a multi-byte character cut at the end
        of the peek allowed), else ``'latin-1'``.

    Raises
    ------
    InputError
        If ``path`` does not exist, is a directory, is empty (or blank), or holds binary
        data (NUL bytes).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.sniff import read_head
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "walk.csv"
    ...     _ = path.write_bytes("time,ax\n0.0,0.98\n".encode("latin-1"))
    ...     read_head(path)
    (b'time,ax\n0.0,0.98\n', 'utf-8')

    Text that is not UTF-8 (here a latin-1 ``°``) is read as latin-1:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "gyro.csv"
    ...     _ = path.write_bytes("gx (°/s)\n1.5\n".encode("latin-1"))
    ...     read_head(path)[1]
    'latin-1'

    A missing file is an `InputError`:

    >>> read_head(Path("no-such-file.csv"))
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: no-such-file.csv: file not found
    """
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a data file")
    with open(path, "rb") as handle:
        head = handle.read(PEEK_BYTES)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    if head.count(b"\x00") > 0.01 * len(head):  # a few NULs pad some headers (GENEActiv); more is binary
        raise InputError(f"{path}: binary data (NUL bytes) found; expected a text table (CSV/TXT)")
    head = head.replace(b"\x00", b"")
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the peek is still UTF-8
        encoding = "utf-8" if err.start >= len(head) - 4 else "latin-1"
    return head, encoding


def head_lines(head: bytes, encoding: str, *, complete: bool) -> list[str]:
    r"""Decode the peeked bytes into lines; drop the last line if the peek cut it.

    A UTF-8 byte-order mark is removed and undecodable bytes are replaced; at most
    `PEEK_LINES` (160) lines are returned.

    Parameters
    ----------
    head : bytes
        Bytes from `read_head`.
    encoding : str
        Encoding from `read_head` (``'utf-8'`` or ``'latin-1'``).
    complete : bool, keyword-only
        True when ``head`` holds the whole file; False when the peek may have cut the
        last line, which is then dropped (unless it is the only line).

    Returns
    -------
    list of str
        The lines, without line terminators.

    Examples
    --------
    >>> from retrogait.io.sniff import head_lines
    >>> raw = "\ufefftime,ax\n0.00,0.98\n0.01,0.9".encode("utf-8")
    >>> head_lines(raw, "utf-8", complete=True)
    ['time,ax', '0.00,0.98', '0.01,0.9']
    >>> head_lines(raw, "utf-8", complete=False)  # '0.01,0.9' may be cut: dropped
    ['time,ax', '0.00,0.98']
    """
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    return lines[:PEEK_LINES]


def split(line: str, delimiter: str) -> list[str]:
    """Split one line into stripped, unquoted cells.

    Lines with double quotes are split with the `csv` module, so a quoted cell may contain
    the delimiter.

    Parameters
    ----------
    line : str
        One line of the file, without its line terminator.
    delimiter : str
        Field separator (one character, e.g. ``','``, ``';'``, ``'\\t'``, ``' '``).

    Returns
    -------
    list of str
        The cells, with surrounding spaces and quotes removed.

    Examples
    --------
    >>> from retrogait.io.sniff import split
    >>> split(' 0.01 ; 9,81 ;"ok"', ";")
    ['0.01', '9,81', 'ok']
    >>> split('1,"Walk, backward",3', ",")
    ['1', 'Walk, backward', '3']
    """
    if '"' in line:
        cells = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
    else:
        cells = line.split(delimiter)
    return [c.strip().strip('"').strip() for c in cells]


def is_number(cell: str) -> bool:
    """True for a number with '.' or ',' decimal mark, scientific notation, or a NaN token.

    Missing-value tokens (empty, ``nan``, ``NA``, ``null``, ``none``, ``inf`` ...; any case)
    count as numbers, so a gap does not make a data row look like a header.

    Parameters
    ----------
    cell : str
        One stripped cell (see `split`).

    Returns
    -------
    bool
        True if the cell is a number or a missing-value token.

    Examples
    --------
    >>> from retrogait.io.sniff import is_number
    >>> [is_number(c) for c in ["9.81", "9,81", "-2e-3", ".5", "NaN", ""]]
    [True, True, True, True, True, True]
    >>> [is_number(c) for c in ["ax", "12:00:01", "1.2.3"]]
    [False, False, False]
    """
    return bool(_NUMBER.match(cell)) or cell.lower() in _MISSING


def _data_like(cells: list[str]) -> bool:
    filled = [c for c in cells if c and c.lower() not in _MISSING]
    if not filled:
        return False
    numeric = sum(1 for c in filled if _NUMBER.match(c) or _DATEISH.match(c))
    return numeric >= 1 and numeric >= 0.5 * len(filled) and any(_NUMBER.match(c) for c in filled)


def is_comment(line: str) -> bool:
    """Comment/preamble line of MT Manager (``//``) or ``#``-commented exports.

    Parameters
    ----------
    line : str
        One line of the file; leading spaces are ignored.

    Returns
    -------
    bool
        True if the line starts with ``//`` or ``#``.

    Examples
    --------
    >>> from retrogait.io.sniff import is_comment
    >>> is_comment("// Update Rate: 100.0Hz"), is_comment("  # subject 7"), is_comment("time,ax")
    (True, True, False)
    """
    stripped = line.lstrip()
    return stripped.startswith("//") or stripped.startswith("#")


def _choose_delimiter(lines: list[str], forced: str | None) -> tuple[str, int]:
    tail = [ln for ln in lines if ln.strip() and not is_comment(ln)][-40:]
    candidates = [forced] if forced else ["\t", ";", ",", " "]
    best: tuple[float, str, int] = (0.0, "", 1)
    for delim in candidates:
        cells = [split(ln, delim) for ln in tail]
        data = [len(c) for c in cells if _data_like(c)]
        if len(data) < max(1, len(tail) // 2):
            continue
        mode = max(set(data), key=data.count)
        if (mode >= 2 or forced) and data.count(mode) >= 0.8 * len(data):
            filled = [x for c in cells for x in c if x]
            score = sum(1 for x in filled if is_number(x) or _DATEISH.match(x)) / max(len(filled), 1)
            if score > best[0] + 1e-9:
                best = (score, delim, mode)
    return best[1], best[2]


def _decimal(lines: list[str], delimiter: str) -> str:
    if delimiter == ",":
        return "."
    comma = dot = 0
    for ln in lines[-40:]:
        for cell in split(ln, delimiter):
            if _NUMBER.match(cell):
                comma += "," in cell
                dot += "." in cell
    return "," if comma > dot else "."


def _unit_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled:
        return False
    known = sum(
        1 for c in filled
        if c.lower() in _UNITISH or _units.canonical_acc_unit(c) or _units.canonical_gyr_unit(c)
        or _units.canonical_time_unit(c)
    )
    return known >= 0.5 * len(filled)


def preamble_rate(lines: list[str]) -> float | None:
    """Sampling rate announced in header lines, in Hz (None if none is found).

    Recognised: ``Sample Rate:,128,Hz``, ``// Update Rate: 100.0Hz``, ``at 40 Hz``,
    ``Measurement Frequency,100 Hz`` and the like (sample/sampling/update/measurement/
    acquisition/output rate or frequency, any case; a decimal comma is accepted).

    Parameters
    ----------
    lines : list of str
        Preamble lines, searched in order.

    Returns
    -------
    float or None
        The first positive rate found, in Hz, or None.

    Examples
    --------
    >>> from retrogait.io.sniff import preamble_rate
    >>> preamble_rate(["Device: GT3X", "Sample Rate:,128,Hz"])
    128.0
    >>> preamble_rate(["// Update Rate: 100.0Hz"]), preamble_rate(["Sampling rate: 51,2 Hz"])
    (100.0, 51.2)
    >>> preamble_rate(["Subject: 7"]) is None
    True
    """
    for line in lines:
        match = _RATE.search(line)
        if match:
            value = float(match.group(1).replace(",", "."))
            if value > 0:
                return value
    return None


def sniff(lines: list[str], *, where: str, forced_delimiter: str | None = None) -> Dialect:
    """Find delimiter, decimal mark, data start, column names and units row.

    The rules are in the module docstring: the delimiter (tab, ``;``, ``,``, space, in that
    priority) is chosen on the last 40 lines, where the data are; the data start at the
    first of three consecutive numeric rows; the line above is the header, or a units row
    under the header; the rest above is the preamble, searched for a sampling rate.  A first
    line ``sep=;`` (Excel) forces the delimiter.

    Parameters
    ----------
    lines : list of str
        The first lines of the file (from `head_lines`).
    where : str, keyword-only
        Name of the file, used in error messages.
    forced_delimiter : str or None, keyword-only, default None
        Use this delimiter instead of guessing one.

    Returns
    -------
    Dialect
        The layout; ``data_start`` indexes ``lines``.

    Raises
    ------
    InputError
        If no delimiter splits the rows into a table of numbers, or no block of three
        numeric rows is found.

    Examples
    --------
    A CSV with a preamble, a header and a units row (Shimmer-like):

    >>> from retrogait.io.sniff import sniff
    >>> lines = ["Sample Rate:,128,Hz", "time,ax,ay,az", "s,g,g,g",
    ...          "0.0000,0.01,0.02,1.00", "0.0078,0.01,0.02,0.99", "0.0156,0.02,0.01,1.01"]
    >>> d = sniff(lines, where="walk.csv")
    >>> d.delimiter, d.decimal, d.data_start, d.names, d.units, d.rate_hz
    (',', '.', 3, ['time', 'ax', 'ay', 'az'], ['s', 'g', 'g', 'g'], 128.0)

    A European export, semicolon-separated with decimal commas:

    >>> d = sniff(["Zeit;AccX;AccY;AccZ", "0;0,01;0,02;9,81", "10;0,02;0,01;9,80",
    ...            "20;0,01;0,01;9,82"], where="lauf.csv")
    >>> d.delimiter, d.decimal, d.data_start, d.n_fields
    (';', ',', 1, 4)

    Text without a table of numbers is refused:

    >>> sniff(["Notes of the session", "subject walked backward"], where="notes.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: notes.txt: no table of numbers found ...
    """
    body = list(lines)
    offset = 0
    if body and _SEP_LINE.match(body[0]):
        forced_delimiter = forced_delimiter or _SEP_LINE.match(body[0]).group(1)  # type: ignore[union-attr]
    delim, n_fields = _choose_delimiter(body, forced_delimiter)
    if not delim:
        raise InputError(
            f"{where}: no table of numbers found (tried delimiters tab, ';', ',', space); "
            "expected rows of numeric values after an optional header"
        )
    decimal = _decimal(body, delim)
    start = None
    for i in range(offset, len(body)):
        rows = body[i:i + 3]
        if len(rows) and all(ln.strip() and not is_comment(ln) for ln in rows) and all(
            _data_like(split(ln, delim)) and len(split(ln, delim)) >= min(n_fields, 2) for ln in rows
        ):
            start = i
            break
    if start is None:
        raise InputError(f"{where}: no block of numeric rows found with delimiter {delim!r}")
    names: list[str] | None = None
    units_row: list[str | None] | None = None
    header_at = start
    above = [i for i in range(start) if body[i].strip() and not _SEP_LINE.match(body[i]) and not is_comment(body[i])]
    if above:
        j = above[-1]
        cells = split(body[j], delim)
        if len(cells) >= 2 and not _data_like(cells):
            if _unit_row(cells) and len(above) >= 2 and len(split(body[above[-2]], delim)) == len(cells):
                units_row = [c or None for c in cells]
                names = split(body[above[-2]], delim)
                header_at = above[-2]
            else:
                names = cells
                header_at = j
    n_data = max(n_fields, len(names) if names else 0)
    preamble = body[:header_at]
    return Dialect(
        delimiter=delim,
        decimal=decimal,
        data_start=start,
        n_fields=n_data,
        names=names,
        units=units_row,
        preamble=preamble,
        rate_hz=preamble_rate(preamble),
    )
