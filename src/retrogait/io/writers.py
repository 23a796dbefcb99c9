"""Write tables atomically: a temporary file in the target folder, then ``os.replace``.

A crash or a kill during writing leaves either the old file or none, never half a file,
which batch processing relies on to resume safely.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd


def _atomic(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates the file readable by its owner only; give it the permissions an
        # ordinary new file gets (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_table(df: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False) -> Path:
    """Write ``df`` to CSV or Parquet (chosen by the suffix) atomically.

    The table is written to a temporary file in the target folder, then moved over
    ``path`` with `os.replace`: a crash leaves the old file or none, never half a file.
    Missing parent folders are created.  Any table contract (e.g. a strides table,
    columns `retrogait.schema.STRIDES_COLUMNS`) is written as it is; column names are the
    header of the CSV.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; it is not modified.
    path : str or path-like
        Target file; ``.parquet``/``.pq`` writes Parquet (needs pyarrow), anything else CSV.
    index : bool, keyword-only
        Write the index as well (default False).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.

    Examples
    --------
    A small strides table written to a new folder, then read back equal; no temporary
    file is left behind:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from retrogait.io.writers import write_table
    >>> strides = pd.DataFrame({"stride": [1, 2], "stride_time_s": [1.12, 1.08],
    ...                         "direction": ["backward", "backward"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_table(strides, Path(tmp) / "out" / "strides.csv")
    ...     back = pd.read_csv(path)
    ...     files = sorted(p.name for p in path.parent.iterdir())
    >>> back.equals(strides), files
    (True, ['strides.csv'])

    >>> write_table({"stride": [1]}, "strides.csv")
    Traceback (most recent call last):
    ...
    TypeError: write_table: expected a pandas DataFrame, found dict
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"write_table: expected a pandas DataFrame, found {type(df).__name__}")
    suffix = Path(path).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _atomic(path, lambda tmp: df.to_parquet(tmp, index=index))
    return _atomic(path, lambda tmp: df.to_csv(tmp, index=index))


def write_json(obj: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write a JSON document atomically (values that JSON lacks are written with ``str``).

    The document is indented by 2 spaces and written as UTF-8, through a temporary file in
    the target folder like `write_table`.  Values JSON lacks (timestamps, paths, numpy
    integers ...) become their ``str`` text; Python and numpy floats stay numbers.

    Parameters
    ----------
    obj : Mapping
        The document, e.g. the provenance of a batch run.
    path : str or path-like
        Target file; missing parent folders are created.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from retrogait.io.writers import write_json
    >>> meta = {"sampling_rate_hz": 100.0, "start_time": pd.Timestamp("2024-03-01 12:00")}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_json(meta, Path(tmp) / "meta.json")
    ...     json.loads(path.read_text(encoding="utf-8"))
    {'sampling_rate_hz': 100.0, 'start_time': '2024-03-01 12:00:00'}
    """
    text = json.dumps(obj, indent=2, default=str)

    def _write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return _atomic(path, _write)
