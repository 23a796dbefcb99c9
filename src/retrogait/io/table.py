"""Read the numeric block of a delimited text file into columns, fast.

pyarrow's multi-threaded CSV reader is used when it is installed (the ``fast`` extra),
otherwise pandas' C engine.  Only the requested columns are converted.  Rows with the
wrong number of fields (a truncated last line, ragged exports) are skipped and counted.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.io.sniff import Dialect
from retrogait.io.warn import warn

try:  # pragma: no cover - exercised when pyarrow is installed
    import pyarrow as pa
    import pyarrow.csv as pacsv

    HAVE_PYARROW = True
    _ARROW_ERRORS: tuple[type[Exception], ...] = (pa.ArrowInvalid, ImportError)
except ImportError:  # pragma: no cover
    HAVE_PYARROW = False
    _ARROW_ERRORS = (ImportError,)

#: Share of cells in a numeric column that may be unreadable (turned into NaN, with a
#: warning) before the column is refused.
MAX_BAD_CELL_FRACTION = 0.01


def _line_offset(raw: bytes, line: int) -> int:
    pos = 0
    for _ in range(line):
        nxt = raw.find(b"\n", pos)
        if nxt < 0:
            return len(raw)
        pos = nxt + 1
    return pos


def _pool_array(n_columns: int, n_rows: int) -> np.ndarray:
    """Uninitialised, writable float64 array of shape (n_columns, n_rows) in Arrow's memory pool."""
    buffer = pa.allocate_buffer(8 * n_columns * n_rows)
    return np.frombuffer(buffer, dtype=np.float64).reshape(n_columns, n_rows)


def _read_arrow(buffer: object, dialect: Dialect, usecols: list[int], text_cols: set[int],
                encoding: str) -> tuple[dict[int, object], int]:
    skipped = [0]

    def on_invalid(row: object) -> str:
        skipped[0] += 1
        return "skip"

    names = [f"c{i}" for i in range(dialect.n_fields)]
    table = pacsv.read_csv(
        pa.BufferReader(buffer),  # type: ignore[arg-type]
        read_options=pacsv.ReadOptions(column_names=names, encoding=encoding, block_size=1 << 22),
        parse_options=pacsv.ParseOptions(
            delimiter=dialect.delimiter, ignore_empty_lines=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=[names[i] for i in usecols],
            decimal_point=dialect.decimal,
            column_types={names[i]: pa.string() for i in text_cols},
            strings_can_be_null=True,
        ),
    )
    out: dict[int, object] = {}
    floats: list[int] = []
    for i in usecols:
        column = table.column(names[i])
        if i in text_cols or pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            out[i] = column.to_pandas()
        elif pa.types.is_null(column.type):
            out[i] = np.full(len(column), np.nan)
        elif pa.types.is_integer(column.type) and column.null_count == 0:
            out[i] = column.to_numpy()
        elif pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            out[i] = column.to_pandas()
        elif pa.types.is_float64(column.type):
            floats.append(i)
        else:
            out[i] = np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)
    if floats:
        # the float64 columns are copied chunk by chunk into the rows of one block: a single
        # copy from Arrow's buffers (ChunkedArray.to_numpy concatenates at half the speed).  The
        # block comes from Arrow's memory pool, which keeps freed pages for the next read,
        # where a fresh numpy allocation of this size page-faults on every read (~4000 faults
        # for an hour at 100 Hz).  Empty cells (nulls) become NaN as with to_numpy.
        block = _pool_array(len(floats), table.num_rows)
        for row, i in enumerate(floats):
            pos = 0
            for chunk in table.column(names[i]).chunks:
                block[row, pos:pos + len(chunk)] = chunk.to_numpy(zero_copy_only=False)
                pos += len(chunk)
            out[i] = block[row]
    return {i: out[i] for i in usecols}, skipped[0]


def _rows_with_all_fields(buffer: bytes, dialect: Dialect, encoding: str) -> tuple[bytes, int]:
    """The non-blank lines that have exactly ``dialect.n_fields`` fields, and how many did not.

    pandas skips rows with too many fields but pads rows with too few with NaN; pyarrow
    skips both.  Counting delimiters per line gives the pandas path pyarrow's behaviour.
    Quoted text may hide delimiters, so a buffer with quotes is returned unchanged.
    """
    delimiter = dialect.delimiter.encode(encoding)
    if b'"' in buffer or len(delimiter) != 1 or encoding.replace("-", "").lower() not in ("utf8", "ascii", "latin1"):
        return buffer, 0
    lines = [line for line in buffer.split(b"\n") if line.strip()]
    good = [line for line in lines if line.count(delimiter) == dialect.n_fields - 1]
    return b"\n".join(good), len(lines) - len(good)


def _read_pandas(buffer: bytes, dialect: Dialect, usecols: list[int], text_cols: set[int],
                 encoding: str) -> tuple[dict[int, object], int]:
    buffer, skipped = _rows_with_all_fields(buffer, dialect, encoding)
    frame = pd.read_csv(
        io.BytesIO(buffer),
        sep=dialect.delimiter,
        decimal=dialect.decimal,
        header=None,
        names=list(range(dialect.n_fields)),
        usecols=usecols,
        dtype={i: str for i in text_cols},
        engine="c",
        on_bad_lines="skip",
        skip_blank_lines=True,
        encoding=encoding,
        low_memory=False,
    )
    return {i: (frame[i] if (i in text_cols or frame[i].dtype == object or pd.api.types.is_string_dtype(frame[i]))
                else frame[i].to_numpy()) for i in usecols}, skipped


def read_block(path: Path, dialect: Dialect, usecols: list[int], *, text_cols: set[int] = frozenset(),  # type: ignore[assignment]
               encoding: str = "utf-8", where: str, names: list[str] | None = None,
               passthrough: set[int] = frozenset()) -> dict[int, object]:  # type: ignore[assignment]
    r"""Read columns ``usecols`` (0-based) of the data block; numeric ones as float arrays.

    Text columns (``text_cols``) come back as pandas Series of strings; ``passthrough``
    columns as the reader typed them (numbers, ISO timestamps parsed by pyarrow, or text).
    Up to `MAX_BAD_CELL_FRACTION` (1 %) of the cells of a numeric column may be
    unreadable: they become NaN with a `retrogait.errors.RetrogaitWarning` naming the
    column, the first such data row and its text.  Rows with the wrong number of fields
    are skipped with a warning (both readers; without pyarrow only when the file has no quotes).

    Parameters
    ----------
    path : pathlib.Path
        The delimited text file.
    dialect : Dialect
        Its layout, from `retrogait.io.sniff.sniff` (delimiter, decimal mark, first data
        line ``data_start``, number of fields).
    usecols : list of int
        0-based positions of the columns to read.
    text_cols : set of int, keyword-only, default empty
        Positions (among ``usecols``) to keep as text, e.g. date-time stamps to parse with
        `retrogait.io.timeconv.text_to_datetime`.
    encoding : str, keyword-only, default ``'utf-8'``
        Text encoding (from `retrogait.io.sniff.read_head`).
    where : str, keyword-only
        Name of the file, used in error and warning messages.
    names : list of str or None, keyword-only, default None
        Column names (``dialect.names``), used in messages; ``#<position + 1>`` otherwise.
    passthrough : set of int, keyword-only, default empty
        Positions returned as the reader typed them, without the numeric check.

    Returns
    -------
    dict of int to ndarray or pandas.Series
        One entry per position of ``usecols``: numeric columns as numpy arrays (float64;
        int64 when every cell is an integer, which keeps nanosecond epochs exact), in the
        file's units; text and passthrough columns as pandas Series.

    Raises
    ------
    InputError
        If a numeric column holds more than 1 % unreadable cells (naming column, row and
        value), the table cannot be parsed, or no rows could be read.

    Examples
    --------
    A semicolon-separated file with decimal commas, sniffed then read; the integer time
    column stays integer (ms), the acceleration is float (m/s^2):

    >>> import tempfile, warnings
    >>> from pathlib import Path
    >>> from retrogait.io.sniff import sniff
    >>> from retrogait.io.table import read_block
    >>> text = "Zeit;AccX;AccY;AccZ\n0;0,01;0,02;9,81\n10;0,02;0,01;9,80\n20;0,01;0,01;9,82\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "lauf.csv"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     dialect = sniff(text.splitlines(), where="lauf.csv")
    ...     cols = read_block(path, dialect, [0, 3], where="lauf.csv", names=dialect.names)
    >>> cols[0].tolist(), cols[3].tolist()
    ([0, 10, 20], [9.81, 9.8, 9.82])

    One unreadable cell in 200 becomes NaN with a warning; a column of text is refused:

    >>> rows = "".join(f"{i / 100},{'oops' if i == 50 else 0.98}\n" for i in range(200))
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     path = Path(tmp) / "walk.csv"
    ...     _ = path.write_text("time,ax\n" + rows, encoding="utf-8")
    ...     dialect = sniff(path.read_text().splitlines()[:20], where="walk.csv")
    ...     with warnings.catch_warnings(record=True) as caught:
    ...         warnings.simplefilter("always")
    ...         cols = read_block(path, dialect, [0, 1], where="walk.csv", names=dialect.names)
    ...     _ = path.write_text("time,ax\n0.00,a\n0.01,b\n", encoding="utf-8")
    ...     read_block(path, dialect, [0, 1], where="walk.csv", names=dialect.names)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: walk.csv: column 'ax' is not numeric: 2 of 2 cells could not be read ...
    >>> cols[1][49:52].tolist()
    [0.98, nan, 0.98]
    >>> str(caught[0].message)
    "walk.csv: column 'ax': 1 unreadable cell(s) set to NaN (first at data row 51: 'oops')"
    """
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)  # the header lines fit in the head sniffed (64 KiB)
        if head.count(b"\n") < dialect.data_start and len(head) == 1 << 16:
            head += handle.read((1 << 20) - len(head))
        offset = _line_offset(head, dialect.data_start)
    skipped = 0
    try:
        if not HAVE_PYARROW:
            raise ImportError("pyarrow not installed")
        with pa.memory_map(str(path)) as source:
            out, skipped = _read_arrow(source.read_buffer().slice(offset), dialect, usecols, text_cols, encoding)
    except _ARROW_ERRORS:
        try:
            out, skipped = _read_pandas(path.read_bytes()[offset:], dialect, usecols, text_cols, encoding)
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
            raise InputError(f"{where}: could not parse the table ({err})") from None
    if skipped:
        warn(f"{where}: skipped {skipped} malformed row(s) with the wrong number of fields")
    result: dict[int, object] = {}
    for i, values in out.items():
        if i in text_cols or i in passthrough:
            result[i] = values
            continue
        result[i] = _numeric(values, name=(names[i] if names and i < len(names) else f"#{i + 1}"),
                             where=where, decimal=dialect.decimal)
    if result and all(len(v) == 0 for v in result.values()):  # type: ignore[arg-type]
        raise InputError(f"{where}: no data rows after the header")
    return result


def _numeric(values: object, *, name: str, where: str, decimal: str) -> object:
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        return values
    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values):
        return values
    series = pd.Series(values)
    if decimal == ",":
        series = series.astype(str).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(series, errors="coerce")
    original_missing = pd.Series(values).isna() | pd.Series(values).astype(str).str.strip().str.lower().isin(
        ["", "nan", "na", "null", "none", "n/a"])
    bad = numbers.isna() & ~original_missing.to_numpy()
    n_bad = int(bad.sum())
    if n_bad:
        first = int(np.flatnonzero(bad.to_numpy())[0])
        example = pd.Series(values).iloc[first]
        if n_bad > MAX_BAD_CELL_FRACTION * len(numbers):
            raise InputError(
                f"{where}: column {name!r} is not numeric: {n_bad} of {len(numbers)} cells could not be "
                f"read as numbers (first at data row {first + 1}: {str(example)[:40]!r})"
            )
        warn(f"{where}: column {name!r}: {n_bad} unreadable cell(s) set to NaN "
             f"(first at data row {first + 1}: {str(example)[:40]!r})")
    return numbers.to_numpy(dtype=float)
