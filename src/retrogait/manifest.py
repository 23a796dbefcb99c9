"""Which files a batch analyses, and what each file is: placement, side, format, subject, condition.

Three sources, from weakest to strongest (a stronger one overrides a weaker one field by
field):

1. options given once for the whole batch (``placement="foot"``, ``side=None``, ...);
2. a **file-name pattern** such as ``"{subject}_{condition}_{side}.csv"``;
3. a **manifest** CSV with one row per file (column ``file``, plus any of ``placement``,
   ``side``, ``format``, ``sampling_rate_hz``, ``acc_unit``, ``gyr_unit``, ``trial``,
   ``sensor`` and free meta columns such as ``subject`` or ``condition``).

The fields ``placement``, ``side``, ``format``, ``sampling_rate_hz``, ``acc_unit``,
``gyr_unit``, ``sensor`` and ``trial`` steer the analysis (the units are those of
:func:`retrogait.io.read`: ``g``, ``mg`` or ``m/s^2`` and ``deg/s`` or ``rad/s``, or a
positive scale factor to m/s² or deg/s); every other field is *meta* and becomes a column of the
batch outputs, so that :func:`retrogait.compare.compare` can group by it.  Files that share
a ``trial`` value (e.g. the left and right foot of one walk) are analysed together.

Pattern syntax
--------------
``{name}`` captures a field (letters, digits and underscores in the name), ``{}`` or
``{_}`` skips a part, ``*`` matches any run of characters; everything else must appear
literally (compared without regard to case).  Fields and ``*`` must be separated by
literal text, and a field name may appear only once.  Fields never span a ``/``; a pattern
with ``/`` is matched against as many trailing path parts as it has, so
``"{subject}/{condition}_{side}.csv"`` takes the subject from the folder name.  When a
part could be split in several ways, each field takes the shortest text that lets the
rest match (so ``{subject}_{condition}`` on ``s_01_fast`` gives subject ``s``): choose
separators that the values do not contain, or use a manifest.
"""

from __future__ import annotations

import glob
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.schema import PLACEMENTS

#: File name suffixes taken from a folder (compared in lower case).
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".parquet", ".pq", ".mat", ".json")

#: Fields that steer the analysis rather than label the file.
OPTION_FIELDS = ("placement", "side", "format", "sampling_rate_hz", "acc_unit", "gyr_unit", "sensor", "trial")

#: Accelerometer and gyroscope unit names of :func:`retrogait.io.read` (the keys of
#: ``retrogait.io.units.ACC_UNITS`` and ``GYR_UNITS``), in the order error messages list them.
ACC_UNIT_NAMES = ("g", "mg", "m/s^2")
GYR_UNIT_NAMES = ("deg/s", "rad/s")

#: Names a meta field may not take: columns that the analysis itself fills.
RESERVED_FIELDS = frozenset(
    set(schema.EVENTS_COLUMNS) | set(schema.STRIDES_COLUMNS) | set(schema.STRIDES_OPTIONAL_COLUMNS)
    | set(schema.BOUTS_COLUMNS) | set(schema.SUMMARY_COLUMNS) | {"file", "n_steps"}
) - set(OPTION_FIELDS)

_SIDE_WORDS = {
    "left": "left", "l": "left", "lt": "left", "lft": "left",
    "right": "right", "r": "right", "rt": "right", "rgt": "right",
}
_NO_SIDE = {"", "none", "na", "n/a", "nan", "-", "both", "center", "centre", "middle"}
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?\}")
_MANIFEST_ALIASES = {"path": "file", "filename": "file", "file_name": "file", "rate": "sampling_rate_hz",
                     "sampling_rate": "sampling_rate_hz", "fs": "sampling_rate_hz", "acc_units": "acc_unit",
                     "gyr_units": "gyr_unit", "gyro_unit": "gyr_unit"}


# --------------------------------------------------------------------------- pattern


@dataclass(frozen=True)
class FilePattern:
    """A compiled file-name pattern (see the module notes); build it with :func:`parse_pattern`.

    Attributes
    ----------
    pattern : str
        The pattern as given (``\\`` turned into ``/``, leading and trailing ``/`` removed).
    fields : tuple of str
        Names of the captured fields, in order (skipped parts ``{}`` are not listed).
    regex : re.Pattern
        The compiled regular expression (case-insensitive), matched against the last
        ``n_parts`` path parts joined by ``/``.
    n_parts : int
        Number of trailing path parts compared: 1 plus the number of ``/`` in the pattern.

    Examples
    --------
    A pattern with a folder part takes the subject from the folder name; literal text is
    compared without regard to case, and the values keep the case of the file name:

    >>> from retrogait.manifest import parse_pattern
    >>> p = parse_pattern("{subject}/{condition}_{side}.csv")
    >>> p.fields, p.n_parts
    (('subject', 'condition', 'side'), 2)
    >>> p.match("study/s07/Backward_L.CSV")
    {'subject': 's07', 'condition': 'Backward', 'side': 'L'}
    >>> p.match("study/s07/backward.csv") is None
    True

    Each field takes the shortest text that lets the rest match, so a value containing the
    separator is split at its first occurrence:

    >>> parse_pattern("{subject}_{condition}.csv").match("s_01_fast.csv")
    {'subject': 's', 'condition': '01_fast'}
    """

    pattern: str
    fields: tuple[str, ...]
    regex: re.Pattern[str] = field(repr=False)
    n_parts: int = 1

    def match(self, path: str | os.PathLike[str]) -> dict[str, str] | None:
        """Fields of ``path`` as a dict, or None when the name does not fit the pattern.

        Parameters
        ----------
        path : str or path-like
            A file path; only its last ``n_parts`` parts (the file name, plus folders when
            the pattern has ``/``) are compared.

        Returns
        -------
        dict of str to str or None
            Field name to the text it captured (skipped parts left out), or None when the
            path does not fit.

        Examples
        --------
        >>> from retrogait.manifest import parse_pattern
        >>> parse_pattern("{subject}_{}_{side}.csv").match("/data/s01_trial3_right.csv")
        {'subject': 's01', 'side': 'right'}
        >>> parse_pattern("{subject}_{side}.csv").match("/data/s01.csv") is None
        True
        """
        parts = Path(path).parts
        tail = "/".join(parts[-self.n_parts:])
        found = self.regex.fullmatch(tail)
        return None if found is None else {k: v for k, v in found.groupdict().items() if not k.startswith("_")}


def parse_pattern(pattern: str) -> FilePattern:
    """Compile a file-name pattern such as ``"{subject}_{condition}_{side}.csv"``.

    Parameters
    ----------
    pattern : str
        The pattern (syntax in the module notes).

    Returns
    -------
    FilePattern
        Use ``.match(path)`` to get the fields of a file.

    Raises
    ------
    InputError
        If the pattern has no field, two fields touch without literal text between them,
        a field name repeats, or a brace is unbalanced.

    Examples
    --------
    >>> parse_pattern("{subject}_{condition}_{side}.csv").match("data/s01_backward_left.csv")
    {'subject': 's01', 'condition': 'backward', 'side': 'left'}
    """
    if not isinstance(pattern, str) or not pattern:
        raise InputError(f"pattern: expected a non-empty string such as '{{subject}}_{{side}}.csv', found {pattern!r}")
    pattern = pattern.replace("\\", "/").strip("/")
    regex_parts: list[str] = []
    names: list[str] = []
    pos = 0
    previous_was_field = False
    n_anonymous = 0
    for found in _FIELD.finditer(pattern):
        literal = pattern[pos:found.start()]
        if "{" in literal or "}" in literal:
            raise InputError(f"pattern {pattern!r}: unbalanced or invalid brace near {literal!r}; "
                             "fields look like {subject} (letters, digits, underscore)")
        if previous_was_field and (not literal or literal.startswith("*")) or literal.endswith("*"):
            raise InputError(f"pattern {pattern!r}: two fields (or a field and '*') touch without literal "
                             "text between them, so the name cannot be split; put a separator such as '_' "
                             "between them")
        regex_parts.append(_literal_regex(literal))
        name = found.group(1)
        if name is None or name == "_":
            n_anonymous += 1
            group = f"_skip{n_anonymous}"
        else:
            if name in names:
                raise InputError(f"pattern {pattern!r}: field {{{name}}} appears twice; each field may appear once")
            names.append(name)
            group = name
        regex_parts.append(f"(?P<{group}>[^/]+?)")
        previous_was_field = True
        pos = found.end()
    literal = pattern[pos:]
    if previous_was_field and literal.startswith("*"):
        raise InputError(f"pattern {pattern!r}: a field and '*' touch without literal text between them, so "
                         "the name cannot be split; put a separator such as '_' between them")
    if "{" in literal or "}" in literal:
        raise InputError(f"pattern {pattern!r}: unbalanced or invalid brace near {literal!r}; "
                         "fields look like {subject} (letters, digits, underscore)")
    regex_parts.append(_literal_regex(literal))
    if not names:
        raise InputError(f"pattern {pattern!r}: has no field; expected e.g. '{{subject}}_{{condition}}_{{side}}.csv'")
    regex = re.compile("".join(regex_parts), re.IGNORECASE)
    return FilePattern(pattern=pattern, fields=tuple(names), regex=regex, n_parts=pattern.count("/") + 1)


def _literal_regex(text: str) -> str:
    return "[^/]*".join(re.escape(piece) for piece in text.split("*"))


# --------------------------------------------------------------------------- values


def normalize_side(value: Any, *, where: str = "side") -> str | None:
    """``'left'``, ``'right'`` or None from the many ways files spell a side.

    Accepts ``left/l/lt/lft`` and ``right/r/rt/rgt`` in any case; empty, ``none``, ``na``,
    ``both`` and ``center`` give None.

    Parameters
    ----------
    value : object
        The side as written in a file name, manifest cell or option: a string (surrounding
        spaces ignored), None or NaN (an empty manifest cell; gives None).
    where : str, keyword-only, default ``"side"``
        What the value is, for the error message (e.g. ``"s01.csv: side"``).

    Returns
    -------
    str or None
        ``"left"``, ``"right"``, or None for no side (a sensor on the body midline).

    Raises
    ------
    InputError
        For any other value (the message names ``where``).

    Examples
    --------
    >>> from retrogait.manifest import normalize_side
    >>> [normalize_side(v) for v in ("L", " rt ", "Right", "LFT", "", "both", None, float("nan"))]
    ['left', 'right', 'right', 'left', None, None, None, None]
    >>> normalize_side("up", where="s01_up.csv: side")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: s01_up.csv: side: expected left/right (or l/r), found 'up'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().lower()
    if text in _SIDE_WORDS:
        return _SIDE_WORDS[text]
    if text in _NO_SIDE:
        return None
    raise InputError(f"{where}: expected left/right (or l/r), found {value!r}")


def normalize_placement(value: Any, *, where: str = "placement") -> str:
    """A placement name of :data:`retrogait.schema.PLACEMENTS` (case and ``-``/space tolerant).

    Common synonyms are mapped too: ``back``, ``lowerback``, ``trunk``, ``pelvis``,
    ``waist`` and ``sacrum`` give ``lower_back``; ``ankle`` gives ``shank``; ``feet`` gives
    ``foot``.

    Parameters
    ----------
    value : object
        The placement as written (turned into text; case, surrounding spaces, ``-`` and
        spaces between words do not matter).
    where : str, keyword-only, default ``"placement"``
        What the value is, for the error message.

    Returns
    -------
    str
        One of ``retrogait.schema.PLACEMENTS``: ``foot``, ``shank``, ``thigh``,
        ``lower_back``, ``wrist``, ``phone`` or ``unknown``.

    Raises
    ------
    InputError
        If the value names no known placement.

    Examples
    --------
    >>> from retrogait.manifest import normalize_placement
    >>> [normalize_placement(v) for v in ("Foot", "lower back", "Lower-Back", "pelvis", "ankle")]
    ['foot', 'lower_back', 'lower_back', 'lower_back', 'shank']
    >>> normalize_placement("hip")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: placement: expected one of ['foot', 'shank', ...], found 'hip'
    """
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    text = {"lowerback": "lower_back", "back": "lower_back", "trunk": "lower_back", "pelvis": "lower_back",
            "waist": "lower_back", "sacrum": "lower_back", "ankle": "shank", "feet": "foot"}.get(text, text)
    if text not in PLACEMENTS:
        raise InputError(f"{where}: expected one of {list(PLACEMENTS)}, found {value!r}")
    return text


def _unit(value: Any, *, canonical: Callable[[str], str | None], allowed: Sequence[str], to: str,
          where: str) -> str | float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    expected = f"expected one of {', '.join(repr(u) for u in allowed)} or a positive factor to {to}"
    if isinstance(value, bool):
        raise InputError(f"{where}: {expected}, found {value!r}")
    if isinstance(value, int | float):
        factor = float(value)
    else:
        name = canonical(str(value))
        if name is not None:
            return name
        try:
            factor = float(str(value).strip())
        except ValueError:
            raise InputError(f"{where}: {expected}, found {value!r}") from None
    if not math.isfinite(factor) or factor <= 0:
        raise InputError(f"{where}: {expected}, found {value!r}")
    return factor


def normalize_acc_unit(value: Any, *, where: str = "acc_unit") -> str | float | None:
    """The accelerometer unit of :func:`retrogait.io.read` (``'g'``, ``'mg'``, ``'m/s^2'``) from a text.

    Accepts every spelling ``read`` accepts (:func:`retrogait.io.units.canonical_acc_unit`:
    ``G``, ``mG``, ``m/s2``, ``m/s²`` ...) and a positive number, a scale factor from the
    file's unit to m/s² (``9.80665`` for g).

    Parameters
    ----------
    value : object
        The unit as written in a manifest cell, file-name field or option: a string
        (surrounding spaces ignored), a number, None or NaN / an empty string (not given).
    where : str, keyword-only, default ``"acc_unit"``
        What the value is, for the error message (e.g. ``"s01.csv: acc_unit"``).

    Returns
    -------
    str, float or None
        ``'g'``, ``'mg'`` or ``'m/s^2'``; a factor to m/s² as a float; None when not given
        (``read`` then takes the unit from the column names or infers it, with a warning).

    Raises
    ------
    InputError
        For any other value (the message names ``where`` and the allowed units).

    Examples
    --------
    >>> from retrogait.manifest import normalize_acc_unit
    >>> [normalize_acc_unit(v) for v in ("g", " G ", "mG", "m/s2", "9.80665", 1000, "", None)]
    ['g', 'g', 'mg', 'm/s^2', 9.80665, 1000.0, None, None]
    >>> normalize_acc_unit("deg/s", where="s01.csv: acc_unit")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: s01.csv: acc_unit: expected one of 'g', 'mg', 'm/s^2' or ..., found 'deg/s'
    """
    from retrogait.io.units import canonical_acc_unit

    return _unit(value, canonical=canonical_acc_unit, allowed=ACC_UNIT_NAMES, to="m/s^2", where=where)


def normalize_gyr_unit(value: Any, *, where: str = "gyr_unit") -> str | float | None:
    """The gyroscope unit of :func:`retrogait.io.read` (``'deg/s'``, ``'rad/s'``) from a text.

    Accepts every spelling ``read`` accepts (:func:`retrogait.io.units.canonical_gyr_unit`:
    ``dps``, ``°/s``, ``rad/sec`` ...) and a positive number, a scale factor from the
    file's unit to deg/s (``57.29578`` for rad/s).

    Parameters
    ----------
    value : object
        The unit as written in a manifest cell, file-name field or option: a string
        (surrounding spaces ignored), a number, None or NaN / an empty string (not given).
    where : str, keyword-only, default ``"gyr_unit"``
        What the value is, for the error message (e.g. ``"s01.csv: gyr_unit"``).

    Returns
    -------
    str, float or None
        ``'deg/s'`` or ``'rad/s'``; a factor to deg/s as a float; None when not given
        (``read`` then takes the unit from the column names or infers it, with a warning).

    Raises
    ------
    InputError
        For any other value (the message names ``where`` and the allowed units).

    Examples
    --------
    >>> from retrogait.manifest import normalize_gyr_unit
    >>> [normalize_gyr_unit(v) for v in ("deg/s", "dps", "RAD/S", "rad/sec", "", None)]
    ['deg/s', 'deg/s', 'rad/s', 'rad/s', None, None]
    >>> normalize_gyr_unit("rpm")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: gyr_unit: expected one of 'deg/s', 'rad/s' or a positive ..., found 'rpm'
    """
    from retrogait.io.units import canonical_gyr_unit

    return _unit(value, canonical=canonical_gyr_unit, allowed=GYR_UNIT_NAMES, to="deg/s", where=where)


def _rate(value: Any, *, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: expected a sampling rate in Hz, found {value!r}") from None
    if math.isnan(rate):
        return None
    if not math.isfinite(rate) or rate <= 0:
        raise InputError(f"{where}: expected a positive sampling rate in Hz, found {value!r}")
    return rate


# --------------------------------------------------------------------------- file specs


@dataclass(frozen=True)
class FileSpec:
    """One input file and how to read it.

    Attributes
    ----------
    path : pathlib.Path
        Absolute path of the file.
    name : str
        The file as shown in outputs (relative to the common folder of the inputs).
    placement : str
        Sensor placement (``foot``, ``shank``, ``lower_back``, ...), an option of
        :func:`retrogait.io.read`.
    side : {None, "left", "right"}
        Body side of the sensor (None: no side).
    format : str
        File format (``"auto"``: detected), an option of :func:`retrogait.io.read`.
    sampling_rate_hz : float or None
        Sampling rate in Hz for files with neither a time column nor a rate in the header.
    acc_unit : {None, "g", "mg", "m/s^2"} or float
        Accelerometer unit of the file, an option of :func:`retrogait.io.read` (a float is a
        factor to m/s²); None: from the column names, else inferred with a warning.
    gyr_unit : {None, "deg/s", "rad/s"} or float
        Gyroscope unit of the file (a float is a factor to deg/s); None: from the column
        names, else inferred with a warning.
    sensor : str or None
        Which sensor of a multi-sensor file to read; also names the sensor in the trial.
    trial : str or None
        Files with the same trial are analysed together; None = the file alone.
    meta : dict of str to str
        Labels (subject, condition, ...) that become output columns.

    Examples
    --------
    Usually built by :func:`make_specs`; fields left out take the batch defaults:

    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec
    >>> spec = FileSpec(path=Path("/study/s01_backward_left.csv"), name="s01_backward_left.csv",
    ...                 placement="foot", side="left", meta={"subject": "s01", "condition": "backward"})
    >>> spec.format, spec.sampling_rate_hz, spec.trial, spec.meta["condition"]
    ('auto', None, None, 'backward')
    """

    path: Path
    name: str
    placement: str = "unknown"
    side: str | None = None
    format: str = "auto"
    sampling_rate_hz: float | None = None
    sensor: str | None = None
    trial: str | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
    acc_unit: str | float | None = None
    gyr_unit: str | float | None = None


def find_files(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
               exclude: str | os.PathLike[str] | None = None) -> list[Path]:
    """Expand folders, glob patterns and file names into a sorted list of files.

    Parameters
    ----------
    inputs : path, glob pattern or a list of them
        A folder gives its files with a suffix of :data:`DATA_SUFFIXES`, searched
        recursively (hidden files and folders, and the output folders of earlier batches,
        skipped); a glob (``data/*/*.csv``,
        ``**`` allowed) gives the files it matches; a file gives itself.
    exclude : path, optional
        A folder whose files are left out (the batch output folder).

    Returns
    -------
    list of pathlib.Path
        Absolute paths without duplicates, in sorted order within each input.

    Raises
    ------
    InputError
        If an input is neither an existing file, a folder nor a glob matching a file, or
        nothing is found at all.

    Examples
    --------
    A folder is searched recursively for data files; other suffixes, hidden folders and
    the output folder of an earlier batch (``provenance.json`` and ``files/``) are skipped:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import find_files
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     for name in ("s01/left.csv", "s01/right.csv", "s02/left.TSV", "s02/notes.md",
    ...                  ".cache/old.csv", "out/files/s01.csv", "out/provenance.json"):
    ...         (root / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (root / name).write_text("time_s,acc_x\\n")
    ...     print([f.relative_to(root).as_posix() for f in find_files(root)])
    ...     print([f.relative_to(root).as_posix() for f in find_files(str(root / "*" / "left.*"))])
    ...     print(len(find_files(root, exclude=root / "s02")))
    ['s01/left.csv', 's01/right.csv', 's02/left.TSV']
    ['s01/left.csv', 's02/left.TSV']
    2

    >>> find_files("no/such/file.csv")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: input 'no/such/file.csv': no such file or folder
    """
    items = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    excluded = Path(exclude).resolve() if exclude is not None else None
    found: dict[Path, None] = {}
    for item in items:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            candidates = _data_files(path)
        elif path.is_file():
            candidates = [path]
        elif any(ch in text for ch in "*?["):
            candidates = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not candidates:
                raise InputError(f"input {text!r}: the pattern matches no file")
        else:
            raise InputError(f"input {text!r}: no such file or folder")
        for candidate in candidates:
            resolved = candidate.resolve()
            if excluded is not None and resolved.is_relative_to(excluded):
                continue
            found.setdefault(resolved, None)
    if not found:
        raise InputError(f"inputs {[os.fspath(i) for i in items]}: no data file found "
                         f"(folders are searched for {', '.join(DATA_SUFFIXES)})")
    return list(found)


def is_batch_output(folder: Path) -> bool:
    """True for an output folder of :func:`retrogait.batch.batch` (``provenance.json`` or a lock, and ``files/``).

    :func:`find_files` uses it to skip earlier outputs when it searches a folder.

    Parameters
    ----------
    folder : pathlib.Path
        The folder to test (need not exist).

    Returns
    -------
    bool
        True when ``folder/files`` is a folder and ``folder/provenance.json`` or the batch
        lock file ``folder/.retrogait-batch.lock`` is a file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import is_batch_output
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp)
    ...     (out / "files").mkdir()
    ...     before = is_batch_output(out)
    ...     _ = (out / "provenance.json").write_text("{}")
    ...     print(before, is_batch_output(out))
    False True
    """
    return (folder / "files").is_dir() and any((folder / name).is_file()
                                               for name in ("provenance.json", ".retrogait-batch.lock"))


def _data_files(root: Path) -> list[Path]:
    """Data files under ``root``, skipping hidden files and folders and batch output folders."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not is_batch_output(here / d))
        found.extend(here / n for n in names if not n.startswith(".") and Path(n).suffix.lower() in DATA_SUFFIXES)
    return sorted(found)


def read_manifest(manifest: str | os.PathLike[str] | pd.DataFrame, *,
                  base_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a manifest: one row per file with its options and meta.

    Parameters
    ----------
    manifest : path or DataFrame
        CSV (or a DataFrame) with a ``file`` column (aliases ``path``, ``filename``) and
        optionally ``placement``, ``side``, ``format``, ``sampling_rate_hz`` (alias
        ``rate``, ``fs``), ``acc_unit`` (``g``, ``mg``, ``m/s^2``; alias ``acc_units``),
        ``gyr_unit`` (``deg/s``, ``rad/s``; alias ``gyr_units``, ``gyro_unit``), ``trial``,
        ``sensor`` and meta columns.  Cells are read as text (``"01"`` stays ``"01"``);
        empty cells mean "not given".
    base_dir : path, optional
        Folder that relative ``file`` entries are relative to; default: the manifest's
        folder (or the current folder for a DataFrame).

    Returns
    -------
    pandas.DataFrame
        The manifest with lower-case column names, aliases resolved and ``file`` turned
        into absolute paths.  The input is not modified.

    Raises
    ------
    InputError
        If the file cannot be read, has no ``file`` column, or lists a file twice.

    Examples
    --------
    Column names are matched without regard to case and aliases are resolved; relative file
    names become absolute (relative to the manifest's folder) and codes such as ``"02"``
    stay text:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import read_manifest
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     _ = (root / "manifest.csv").write_text(
    ...         "File,Side,fs,subject\\nwalk1.csv,L,100,02\\nwalk2.csv,,,02\\n")
    ...     table = read_manifest(root / "manifest.csv")
    ...     print(table.columns.tolist())
    ...     print(table["subject"].tolist(), table["side"].tolist(), table["sampling_rate_hz"].tolist())
    ...     print(Path(table["file"][0]) == root / "walk1.csv")
    ['file', 'side', 'sampling_rate_hz', 'subject']
    ['02', '02'] ['L', ''] ['100', '']
    True

    A file listed twice is an error (the message names it):

    >>> import pandas as pd
    >>> read_manifest(pd.DataFrame({"path": ["a.csv", "./a.csv"]}), base_dir="/study")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: manifest: file '...a.csv' is listed more than once
    """
    if isinstance(manifest, pd.DataFrame):
        table = manifest.copy().astype(object)
        where = "manifest"
        base = Path(base_dir) if base_dir is not None else Path.cwd()
    else:
        where = f"manifest {os.fspath(manifest)}"
        try:
            table = pd.read_csv(manifest, dtype=str, keep_default_na=False, skipinitialspace=True,
                                sep=None, engine="python")
        except FileNotFoundError:
            raise InputError(f"{where}: file not found") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as err:
            raise InputError(f"{where}: could not read as CSV: {err}") from None
        base = Path(base_dir) if base_dir is not None else Path(manifest).resolve().parent
    table.columns = [_MANIFEST_ALIASES.get(str(c).strip().lower(), str(c).strip().lower()) for c in table.columns]
    if "file" not in table.columns:
        raise InputError(f"{where}: needs a 'file' column naming each input; found columns {list(table.columns)}")
    if table.columns.duplicated().any():
        raise InputError(f"{where}: column(s) {sorted(set(table.columns[table.columns.duplicated()]))} repeat")
    table = table[table["file"].astype(str).str.strip() != ""].reset_index(drop=True)
    table["file"] = [str((base / str(f).strip()).resolve()) for f in table["file"]]
    repeated = table["file"][table["file"].duplicated()]
    if len(repeated):
        raise InputError(f"{where}: file {repeated.iloc[0]!r} is listed more than once")
    return table


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def make_specs(
    files: Sequence[Path],
    *,
    manifest: pd.DataFrame | None = None,
    pattern: FilePattern | None = None,
    placement: str = "unknown",
    side: str | None = None,
    format: str = "auto",
    sampling_rate_hz: float | None = None,
    trial_by: Sequence[str] | None = None,
    acc_unit: str | float | None = None,
    gyr_unit: str | float | None = None,
    names: Sequence[str] | None = None,
) -> tuple[list[FileSpec], list[dict[str, str]]]:
    """Combine batch options, pattern fields and manifest rows into one :class:`FileSpec` per file.

    Parameters
    ----------
    files : sequence of pathlib.Path
        Absolute paths of the inputs.
    manifest : DataFrame, optional
        From :func:`read_manifest`; its rows override pattern and options.
    pattern : FilePattern, optional
        From :func:`parse_pattern`.
    placement : str
        Default sensor placement of every file (default ``"unknown"``).
    side : {None, "left", "right"}
        Default body side of every file (None: no side).
    format : str
        Default file format (default ``"auto"``: detected).
    sampling_rate_hz : float, optional
        Default sampling rate in Hz, for files with neither a time column nor a rate in
        their header.
    trial_by : sequence of str, optional
        Fields whose values together name the trial (e.g. ``("subject", "condition")``
        groups the left and right foot of one walk), used when a file has no ``trial``.
    acc_unit : {None, "g", "mg", "m/s^2"} or float
        Default accelerometer unit of every file (any spelling of
        :func:`normalize_acc_unit`; a float is a factor to m/s²); an ``acc_unit`` column
        of the manifest or pattern field wins.  None: from the column names, else inferred.
    gyr_unit : {None, "deg/s", "rad/s"} or float
        Default gyroscope unit of every file (:func:`normalize_gyr_unit`; a float is a
        factor to deg/s); a ``gyr_unit`` column or field wins.
    names : sequence of str, optional
        The files' names in outputs, one per file (default :func:`display_names` of
        ``files``); batch passes the names among all files found, companions of phone
        exports included, so that names do not change when companions are left out.

    Returns
    -------
    specs : list of FileSpec
        The files that could be described, in input order.
    errors : list of dict
        ``file``, ``error_type``, ``message`` for files that could not (name not matching
        the pattern, unknown side, ...).

    Raises
    ------
    InputError
        If a pattern field or manifest column is named like a column the analysis fills
        (:data:`RESERVED_FIELDS`, e.g. ``direction``), or ``acc_unit``/``gyr_unit`` is not
        a unit (a bad unit in a manifest row is an error row of that file).

    Examples
    --------
    Four files named ``{subject}_{condition}_{side}.csv``, a manifest that gives one file
    its sampling rate, the left and right foot of one walk grouped into one trial, and a
    file whose name does not fit the pattern:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import find_files, make_specs, parse_pattern, read_manifest
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     for name in ("s01_backward_L.csv", "s01_backward_R.csv", "s02_forward_left.csv",
    ...                  "calibration.csv"):
    ...         _ = (root / name).write_text("time_s,acc_x\\n0.00,9.81\\n")
    ...     _ = (root / "manifest.txt").write_text("file,rate\\ns02_forward_left.csv,200\\n")
    ...     specs, errors = make_specs(
    ...         find_files(str(root / "*.csv")), manifest=read_manifest(root / "manifest.txt"),
    ...         pattern=parse_pattern("{subject}_{condition}_{side}.csv"),
    ...         placement="foot", trial_by=("subject", "condition"))
    >>> for spec in specs:
    ...     print(spec.name, spec.placement, spec.side, spec.sampling_rate_hz, spec.trial, dict(spec.meta))
    s01_backward_L.csv foot left None s01_backward {'subject': 's01', 'condition': 'backward'}
    s01_backward_R.csv foot right None s01_backward {'subject': 's01', 'condition': 'backward'}
    s02_forward_left.csv foot left 200.0 s02_forward {'subject': 's02', 'condition': 'forward'}
    >>> [(e["file"], e["error_type"]) for e in errors]
    [('calibration.csv', 'InputError')]
    >>> print(errors[0]["message"])
    calibration.csv: file name does not match pattern '{subject}_{condition}_{side}.csv'

    A field named like an output column is refused before any file is looked at:

    >>> make_specs([], pattern=parse_pattern("{subject}_{direction}.csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: field name(s) ['direction'] of the pattern/manifest are columns ...
    """
    acc_unit = normalize_acc_unit(acc_unit, where="acc_unit")
    gyr_unit = normalize_gyr_unit(gyr_unit, where="gyr_unit")
    given = list(pattern.fields) if pattern is not None else []
    given += [c for c in manifest.columns if c != "file"] if manifest is not None else []
    clash = sorted(set(given) & RESERVED_FIELDS)
    if clash:
        raise InputError(
            f"field name(s) {clash} of the pattern/manifest are columns that the analysis fills; "
            "rename them (e.g. {condition} instead of {direction})"
        )
    names = list(names) if names is not None else display_names(files)
    if len(names) != len(files):
        raise InputError(f"names: expected one name per file ({len(files)}), found {len(names)}")
    rows: dict[str, Mapping[str, Any]] = {}
    if manifest is not None:
        rows = {str(r["file"]): r for r in manifest.to_dict("records")}
    specs: list[FileSpec] = []
    errors: list[dict[str, str]] = []
    for path, name in zip(files, names, strict=True):
        values: dict[str, Any] = {"placement": placement, "side": side, "format": format,
                                  "sampling_rate_hz": sampling_rate_hz, "acc_unit": acc_unit, "gyr_unit": gyr_unit}
        try:
            if pattern is not None:
                fields = pattern.match(path)
                if fields is None and str(path) not in rows:
                    raise InputError(f"{name}: file name does not match pattern {pattern.pattern!r}")
                values.update(fields or {})
            for key, value in rows.get(str(path), {}).items():
                if key != "file" and _clean(value) is not None:
                    values[key] = _clean(value)
            spec = _spec(path, name, values, trial_by)
        except InputError as err:
            errors.append({"file": name, "error_type": type(err).__name__, "message": str(err)})
            continue
        specs.append(spec)
    return specs, errors


def _spec(path: Path, name: str, values: dict[str, Any], trial_by: Sequence[str] | None) -> FileSpec:
    placement = normalize_placement(values.pop("placement") or "unknown", where=f"{name}: placement")
    side = normalize_side(values.pop("side"), where=f"{name}: side")
    fmt = str(values.pop("format") or "auto")
    rate = _rate(values.pop("sampling_rate_hz"), where=f"{name}: sampling_rate_hz")
    acc_unit = normalize_acc_unit(values.pop("acc_unit"), where=f"{name}: acc_unit")
    gyr_unit = normalize_gyr_unit(values.pop("gyr_unit"), where=f"{name}: gyr_unit")
    sensor = _clean(values.pop("sensor", None))
    trial = _clean(values.pop("trial", None))
    meta = {str(k): str(v) for k, v in values.items() if _clean(v) is not None}
    if trial is None and trial_by:
        missing = [k for k in trial_by if k not in meta]
        if missing:
            raise InputError(f"{name}: trial_by field(s) {missing} not given by the pattern or manifest; "
                             f"known fields: {sorted(meta)}")
        trial = "_".join(meta[k] for k in trial_by)
    return FileSpec(path=path, name=name, placement=placement, side=side, format=fmt, sampling_rate_hz=rate,
                    sensor=sensor, trial=trial, meta=meta, acc_unit=acc_unit, gyr_unit=gyr_unit)


def display_names(files: Sequence[Path]) -> list[str]:
    """Names of ``files`` relative to their common folder, with ``/`` separators.

    These are the names shown in batch outputs: short, yet unique when two folders hold
    files of the same name.

    Parameters
    ----------
    files : sequence of pathlib.Path
        Absolute paths (they need not exist).

    Returns
    -------
    list of str
        One name per file, in the same order; a single file gives its file name alone, no
        file gives an empty list.

    Examples
    --------
    >>> from pathlib import Path
    >>> from retrogait.manifest import display_names
    >>> display_names([Path("/study/s01/left.csv"), Path("/study/s02/left.csv")])
    ['s01/left.csv', 's02/left.csv']
    >>> display_names([Path("/study/s01/left.csv")])
    ['left.csv']
    """
    if not files:
        return []
    if len(files) == 1:
        return [files[0].name]
    root = Path(os.path.commonpath([str(f.parent) for f in files]))
    return [f.relative_to(root).as_posix() for f in files]


@dataclass(frozen=True)
class Trial:
    """Files analysed together (one call of :func:`retrogait.analyze`).

    Attributes
    ----------
    trial_id : str
        The shared ``trial`` value of the files, or the file's display name for a file
        analysed alone.
    files : tuple of FileSpec
        The files of the trial, in input order (e.g. the left and right foot of one walk).

    Examples
    --------
    Built by :func:`group_trials`:

    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, group_trials
    >>> specs = [FileSpec(Path(f"/study/s01_{side}.csv"), f"s01_{side}.csv", side=side, trial="s01")
    ...          for side in ("left", "right")]
    >>> (trial,) = group_trials(specs)
    >>> trial.trial_id, [spec.side for spec in trial.files]
    ('s01', ['left', 'right'])
    """

    trial_id: str
    files: tuple[FileSpec, ...]


def group_trials(specs: Sequence[FileSpec]) -> list[Trial]:
    """Group files by their ``trial`` (files without one are trials of their own), in input order.

    Parameters
    ----------
    specs : sequence of FileSpec
        From :func:`make_specs`.

    Returns
    -------
    list of Trial
        One per distinct ``trial`` value, in order of first appearance, plus one per file
        without a ``trial`` (its ``trial_id`` is the file's name, made unique with a
        ``#<n>`` suffix if needed).

    Examples
    --------
    The left and right foot of subject 1 share a trial; the lower-back file of subject 2
    has none and is analysed alone:

    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, group_trials
    >>> specs = [
    ...     FileSpec(Path("/study/s01_L.csv"), "s01_L.csv", placement="foot", side="left", trial="s01"),
    ...     FileSpec(Path("/study/s02_back.csv"), "s02_back.csv", placement="lower_back"),
    ...     FileSpec(Path("/study/s01_R.csv"), "s01_R.csv", placement="foot", side="right", trial="s01"),
    ... ]
    >>> [(t.trial_id, [f.name for f in t.files]) for t in group_trials(specs)]
    [('s01', ['s01_L.csv', 's01_R.csv']), ('s02_back.csv', ['s02_back.csv'])]
    """
    groups: dict[str, list[FileSpec]] = {}
    for spec in specs:
        key = spec.trial if spec.trial is not None else spec.name
        if spec.trial is None and key in groups:
            key = f"{key}#{len(groups)}"
        groups.setdefault(key, []).append(spec if spec.trial is not None else replace(spec, trial=None))
    return [Trial(trial_id=k, files=tuple(v)) for k, v in groups.items()]


# --------------------------------------------------------------------------- phone exports

#: Sensor Logger accelerometer streams, in the order batch prefers one of them as the file an
#: export is analysed through: calibrated acceleration including gravity in one file
#: (``TotalAcceleration``, Android) before the same quantity summed by the reader from two
#: calibrated files (``Accelerometer`` + ``Gravity``) before the uncalibrated stream (bias not
#: removed by the phone); on a watch ``WristMotion`` (acceleration, gravity and rotation rate)
#: before ``WatchAccelerometerUncalibrated`` (acceleration only).  ``Accelerometer`` without its
#: ``Gravity`` file, which the reader refuses as gravity-free, comes after all of them.
SENSOR_LOGGER_PREFERENCE = ("TotalAcceleration", "Accelerometer", "AccelerometerUncalibrated", "WristMotion",
                            "WatchAccelerometerUncalibrated")
_WATCH_KINDS = ("WristMotion", "WatchAccelerometerUncalibrated")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Companion:
    """A file of a phone-app export that batch does not analyse on its own.

    Phone apps (phyphox, Sensor Logger) write one file per sensor; :func:`retrogait.io.read`
    reads the accelerometer file and merges its gyroscope (and, for Sensor Logger, gravity
    and metadata) files.  Built by :func:`phone_exports`.

    Attributes
    ----------
    path : pathlib.Path
        The companion file.
    name : str
        Its name as shown in batch outputs.
    accelerometer : pathlib.Path
        The file of the same export that is analysed (its accelerometer file).
    accelerometer_name : str
        That file's name as shown in batch outputs.
    merged : bool
        True when ``read(accelerometer)`` reads this file too (gyroscope, gravity,
        metadata); its content is then part of the accelerometer file's cache key.
    reason : str
        Why the file is skipped, for the dry-run plan, ``provenance.json`` and the CLI.

    Examples
    --------
    >>> from pathlib import Path
    >>> from retrogait.manifest import Companion
    >>> c = Companion(Path("/s/Gyroscope.csv"), "Gyroscope.csv", Path("/s/Accelerometer.csv"),
    ...               "Accelerometer.csv", True, "merged into Accelerometer.csv when it is read")
    >>> c.merged, c.accelerometer_name
    (True, 'Accelerometer.csv')
    """

    path: Path
    name: str
    accelerometer: Path
    accelerometer_name: str
    merged: bool
    reason: str


@dataclass(frozen=True)
class _PhoneFile:
    path: Path
    app: str  # 'phyphox' or 'sensor_logger'
    role: str  # 'acc' (readable accelerometer), 'linear' (gravity-free, refused by read), 'companion', 'meta'
    kind: str  # sensor named in messages
    group: tuple[Any, ...]  # files of one export share it
    rank: int  # preference among the accelerometer files of an export (lower first)


def _phone_file(path: Path) -> _PhoneFile | None:
    """What a file is in a phone export, from its name and first lines (as ``read`` detects it)."""
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        return None
    from retrogait.io import phones
    from retrogait.io import registry as io_registry
    from retrogait.io.csv_generic import peek

    try:
        lines, _ = peek(path)
    except (InputError, OSError):
        return None
    fmt = io_registry.detect(path, lines)
    if fmt == "sensor_logger":
        kind = phones._sl_kind(path)
        if kind is None:
            return None
        # the reader finds an export's other files by replacing the sensor word in the name;
        # watch files of a phone+watch export are named Watch<Sensor> or WristMotion
        token = f"Watch{kind}" if f"Watch{kind}" in path.name else kind
        device = "watch" if kind in _WATCH_KINDS or token != kind else "phone"
        stem = path.name.replace(token, "\0") if token in path.name else path.name
        role = "acc" if kind in phones._SL_ACC else "companion"
        rank = SENSOR_LOGGER_PREFERENCE.index(kind) if kind in SENSOR_LOGGER_PREFERENCE else 99
        if kind == "Accelerometer" and phones._sibling(path, "Accelerometer", "Gravity") is None:
            rank, role = len(SENSOR_LOGGER_PREFERENCE), "linear"  # read refuses it as gravity-free
        return _PhoneFile(path, "sensor_logger", role, kind, ("sensor_logger", path.parent, stem, device), rank)
    if fmt == "phyphox":
        first = lines[0].strip() if lines else ""
        if not first.startswith('"Time (s)"'):  # meta/device.csv, meta/time.csv
            folder = path.parent.parent if path.parent.name.lower() == "meta" else path.parent
            return _PhoneFile(path, "phyphox", "meta", "metadata", ("phyphox", folder), 99)
        acceleration = "m/s^2" in first or "m/s²" in first
        if not acceleration:
            kind = "gyroscope" if "rad/s" in first else "sensor"
            return _PhoneFile(path, "phyphox", "companion", kind, ("phyphox", path.parent), 99)
        linear = "linear" in path.name.lower()  # the reader's rule for phyphox "Linear Accelerometer"
        return _PhoneFile(path, "phyphox", "linear" if linear else "acc", "accelerometer", ("phyphox", path.parent),
                          1 if linear else 0)
    return None


def _merged_by_read(item: _PhoneFile) -> list[Path]:
    """The sibling files ``read(item.path)`` reads besides the file itself (retrogait.io.phones)."""
    from retrogait.io import phones

    found: list[Path | None] = []
    if item.app == "phyphox":
        if item.role == "acc":
            found.append(phones._sibling(item.path, "Accelerometer", "Gyroscope"))
    else:
        found.extend(phones.sensor_logger_siblings(item.path, item.kind).values())
    return [p.resolve() for p in found if p is not None]


def _lone_message(item: _PhoneFile, name: str) -> str:
    if item.app == "sensor_logger":
        return (f"{name}: Sensor Logger {item.kind} file, and no accelerometer file of its export is among the "
                "inputs (TotalAcceleration.csv, Accelerometer.csv with Gravity.csv, AccelerometerUncalibrated.csv, "
                "or WristMotion.csv on a watch, named like this file with the sensor replaced); it holds no "
                "acceleration to analyse")
    if item.role == "meta":
        return (f"{name}: phyphox metadata file (meta/device.csv or meta/time.csv), and no phyphox recording is "
                "in its export folder among the inputs; it holds no samples")
    return (f"{name}: phyphox {item.kind} file without acceleration, and no phyphox accelerometer file is next "
            "to it among the inputs (Accelerometer.csv, whose Gyroscope.csv is merged when it is read)")


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def phone_exports(
    files: Sequence[Path],
    *,
    names: Sequence[str] | None = None,
    explicit: Iterable[Path] = (),
    fixed_format: Iterable[Path] = (),
) -> tuple[list[Path], list[Companion], list[dict[str, str]]]:
    """Split phone-app exports into the file each is analysed through and its companion files.

    phyphox and Sensor Logger write one CSV per sensor.  :func:`retrogait.io.read` reads an
    export through its accelerometer file and merges the files it needs (phyphox
    ``Gyroscope.csv``; Sensor Logger ``Gyroscope.csv``, ``Gravity.csv`` and
    ``Metadata.csv``); it refuses the other files on their own.  This function recognises
    the files the way ``read`` does — the same format detectors (``retrogait.io.registry``)
    on each file's first lines, the same sensor names and sibling rule
    (``retrogait.io.phones``: a sibling is named like the file with the sensor word
    replaced) — so that batch analyses each export once and lists the rest as companions.

    * Sensor Logger: the files named alike except for the sensor word form one export
      (phone and watch files apart).  Of its accelerometer streams, the first in
      :data:`SENSOR_LOGGER_PREFERENCE` is analysed; the others are companions, unless named
      in ``explicit``.
    * phyphox: an export is a folder (its ``meta/`` sub-folder included).  Every file with
      acceleration in m/s² is analysed, except gravity-free "Linear Accelerometer" files
      next to one that has gravity; gyroscope, other sensors and metadata are companions.
    * A Sensor Logger file without acceleration, a phyphox gyroscope or a phyphox metadata
      file whose export has no accelerometer file among ``files`` gets an error row
      (``read`` could not analyse it either).

    Only the first 64 KiB of each ``.csv``, ``.tsv`` or ``.txt`` file are read; other
    files, and files in no phone format, are kept as they are.

    Parameters
    ----------
    files : sequence of pathlib.Path
        Absolute paths of the inputs (from :func:`find_files`).
    names : sequence of str, optional
        The files' names in outputs, in the same order (default :func:`display_names`).
    explicit : iterable of pathlib.Path, keyword-only
        Files named one by one by the user: an accelerometer stream among them is
        analysed even when another stream of its export is preferred.
    fixed_format : iterable of pathlib.Path, keyword-only
        Files whose format is given (not ``"auto"``): kept as they are, never looked at.

    Returns
    -------
    files : list of pathlib.Path
        The files to analyse, in input order.
    companions : list of Companion
        The skipped files, in input order, each with the file it goes with and why.
    errors : list of dict
        ``file``, ``error_type`` (``"InputError"``), ``message`` for companion files of
        no analysed export.

    Raises
    ------
    InputError
        If ``names`` does not hold one name per file.  Unreadable files raise nothing:
        they are kept, and reading them reports what is wrong.

    Examples
    --------
    A Sensor Logger export (the gyroscope, gravity and metadata files are merged into the
    accelerometer file, the orientation is not used) and a lone phyphox gyroscope file:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import phone_exports
    >>> rows = "".join(f"{1700000000000000000 + i * 10**7},{i / 100},0.1,0.2,0.3\\n" for i in range(5))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp).resolve()
    ...     for sensor in ("Accelerometer", "Gravity", "Gyroscope", "Orientation"):
    ...         _ = (root / f"walk_{sensor}.csv").write_text("time,seconds_elapsed,z,y,x\\n" + rows)
    ...     _ = (root / "walk_Metadata.csv").write_text("version,device name,platform\\n3,Pixel,android\\n")
    ...     (root / "lab").mkdir()
    ...     _ = (root / "lab" / "Gyroscope.csv").write_text('"Time (s)","X (rad/s)","Y (rad/s)","Z (rad/s)"\\n'
    ...                                                      "0.0,0.1,0.2,0.3\\n")
    ...     files = sorted(root.rglob("*.csv"))
    ...     keep, companions, errors = phone_exports(files)
    >>> [p.name for p in keep]
    ['walk_Accelerometer.csv']
    >>> [(c.name, c.merged) for c in companions]
    [('walk_Gravity.csv', True), ('walk_Gyroscope.csv', True), ('walk_Metadata.csv', True), \
('walk_Orientation.csv', False)]
    >>> print(companions[-1].reason)
    Orientation file of the Sensor Logger export analysed through walk_Accelerometer.csv; not used
    >>> errors[0]["file"], errors[0]["message"].split(",")[0]
    ('lab/Gyroscope.csv', 'lab/Gyroscope.csv: phyphox gyroscope file without acceleration')
    """
    files = list(files)
    shown = list(names) if names is not None else display_names(files)
    if len(shown) != len(files):
        raise InputError(f"names: expected one name per file ({len(files)}), found {len(shown)}")
    name_of = dict(zip(files, shown, strict=True))
    explicit_set = {Path(p).resolve() for p in explicit}
    fixed = {Path(p).resolve() for p in fixed_format}
    items = {f: item for f in files if f not in fixed and (item := _phone_file(f)) is not None}
    groups: dict[tuple[Any, ...], list[_PhoneFile]] = {}
    for item in items.values():
        groups.setdefault(item.group, []).append(item)

    analysed: dict[Path, _PhoneFile] = {}
    for members in groups.values():
        readable = sorted((m for m in members if m.role in ("acc", "linear")), key=lambda m: m.rank)
        if not readable:
            continue
        if readable[0].app == "phyphox":
            chosen = [m for m in readable if m.role == "acc"] or readable
        else:
            chosen = [readable[0]]
        chosen += [m for m in readable if m not in chosen and m.path.resolve() in explicit_set]
        analysed.update((m.path, m) for m in chosen)

    merged_into: dict[Path, Path] = {}
    for path, item in analysed.items():
        for sibling in _merged_by_read(item):
            merged_into.setdefault(sibling, path)

    keep: list[Path] = []
    companions: list[Companion] = []
    errors: list[dict[str, str]] = []
    for path in files:
        item = items.get(path)
        if item is None or path in analysed:
            keep.append(path)
            continue
        app = "Sensor Logger" if item.app == "sensor_logger" else "phyphox"
        if path.resolve() in merged_into:
            acc = merged_into[path.resolve()]
            reason = f"merged into {name_of.get(acc, acc.name)} when it is read ({app} {item.kind})"
            companions.append(Companion(path, name_of[path], acc, name_of.get(acc, acc.name), True, reason))
            continue
        heads = [m.path for m in groups[item.group] if m.path in analysed]
        if not heads:
            if item.role in ("acc", "linear") or (item.app == "phyphox" and item.kind == "sensor"):
                keep.append(path)  # read decides (it reads or refuses the file with its own message)
            else:
                errors.append({"file": name_of[path], "error_type": "InputError",
                               "message": _lone_message(item, name_of[path])})
            continue
        acc = max(heads, key=lambda h: _common_prefix(h.name, path.name))
        acc_name = name_of.get(acc, acc.name)
        if item.role in ("acc", "linear"):
            what = "gravity-free acceleration" if item.role == "linear" else "another accelerometer stream"
            reason = (f"{what} of the {app} export analysed through {acc_name}; name the file itself "
                      "(or list it in a manifest) to analyse it too")
        else:
            reason = f"{item.kind} file of the {app} export analysed through {acc_name}; not used"
        companions.append(Companion(path, name_of[path], acc, acc_name, False, reason))
    return keep, companions, errors
