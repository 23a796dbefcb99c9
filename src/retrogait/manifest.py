"""Which files a batch analyses, and what each file is: placement, side, format, subject, condition.

Three sources, from weakest to strongest (a stronger one overrides a weaker one field by
field):

1. options given once for the whole batch (``placement="foot"``, ``side=None``, ...);
2. a **file-name pattern** such as ``"{subject}_{condition}_{side}.csv"``;
3. a **manifest** CSV with one row per file (column ``file``, plus any of ``placement``,
   ``side``, ``format``, ``sampling_rate_hz``, ``trial``, ``sensor`` and free meta columns
   such as ``subject`` or ``condition``).

The fields ``placement``, ``side``, ``format``, ``sampling_rate_hz``, ``sensor`` and
``trial`` steer the analysis; every other field is *meta* and becomes a column of the
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
from collections.abc import Iterable, Mapping, Sequence
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
OPTION_FIELDS = ("placement", "side", "format", "sampling_rate_hz", "sensor", "trial")

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
                     "sampling_rate": "sampling_rate_hz", "fs": "sampling_rate_hz"}


# --------------------------------------------------------------------------- pattern


@dataclass(frozen=True)
class FilePattern:
    """A compiled file-name pattern (see the module notes); build it with :func:`parse_pattern`.

    Attributes
    ----------
    pattern : str
        The pattern as given.
    fields : tuple of str
        Names of the captured fields, in order.
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

    Raises
    ------
    InputError
        For any other value (the message names ``where``).
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

    Raises
    ------
    InputError
        If the value names no known placement.
    """
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    text = {"lowerback": "lower_back", "back": "lower_back", "trunk": "lower_back", "pelvis": "lower_back",
            "waist": "lower_back", "sacrum": "lower_back", "ankle": "shank", "feet": "foot"}.get(text, text)
    if text not in PLACEMENTS:
        raise InputError(f"{where}: expected one of {list(PLACEMENTS)}, found {value!r}")
    return text


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
    placement, side, format, sampling_rate_hz, sensor :
        Options of :func:`retrogait.io.read` (``sensor`` also names the sensor in the trial).
    trial : str or None
        Files with the same trial are analysed together; None = the file alone.
    meta : dict of str to str
        Labels (subject, condition, ...) that become output columns.
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
    """True for an output folder of :func:`retrogait.batch.batch` (``provenance.json`` or a lock, and ``files/``)."""
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
        ``rate``, ``fs``), ``trial``, ``sensor`` and meta columns.  Cells are read as text
        (``"01"`` stays ``"01"``); empty cells mean "not given".
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
    placement, side, format, sampling_rate_hz :
        Defaults for every file.
    trial_by : sequence of str, optional
        Fields whose values together name the trial (e.g. ``("subject", "condition")``
        groups the left and right foot of one walk), used when a file has no ``trial``.

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
        (:data:`RESERVED_FIELDS`, e.g. ``direction``).
    """
    given = list(pattern.fields) if pattern is not None else []
    given += [c for c in manifest.columns if c != "file"] if manifest is not None else []
    clash = sorted(set(given) & RESERVED_FIELDS)
    if clash:
        raise InputError(
            f"field name(s) {clash} of the pattern/manifest are columns that the analysis fills; "
            "rename them (e.g. {condition} instead of {direction})"
        )
    names = display_names(files)
    rows: dict[str, Mapping[str, Any]] = {}
    if manifest is not None:
        rows = {str(r["file"]): r for r in manifest.to_dict("records")}
    specs: list[FileSpec] = []
    errors: list[dict[str, str]] = []
    for path, name in zip(files, names, strict=True):
        values: dict[str, Any] = {"placement": placement, "side": side, "format": format,
                                  "sampling_rate_hz": sampling_rate_hz}
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
                    sensor=sensor, trial=trial, meta=meta)


def display_names(files: Sequence[Path]) -> list[str]:
    """Names of ``files`` relative to their common folder, with ``/`` separators."""
    if not files:
        return []
    if len(files) == 1:
        return [files[0].name]
    root = Path(os.path.commonpath([str(f.parent) for f in files]))
    return [f.relative_to(root).as_posix() for f in files]


@dataclass(frozen=True)
class Trial:
    """Files analysed together (one call of :func:`retrogait.analyze`)."""

    trial_id: str
    files: tuple[FileSpec, ...]


def group_trials(specs: Sequence[FileSpec]) -> list[Trial]:
    """Group files by their ``trial`` (files without one are trials of their own), in input order."""
    groups: dict[str, list[FileSpec]] = {}
    for spec in specs:
        key = spec.trial if spec.trial is not None else spec.name
        if spec.trial is None and key in groups:
            key = f"{key}#{len(groups)}"
        groups.setdefault(key, []).append(spec if spec.trial is not None else replace(spec, trial=None))
    return [Trial(trial_id=k, files=tuple(v)) for k, v in groups.items()]
