"""Analyse whole studies: many files, every core or a Dask cluster, nothing lost.

:func:`batch` reads each file, groups the files of one trial, runs
:func:`retrogait.analyze` on each trial in parallel and stacks the tables with the
file's meta as extra columns.  Only this module catches errors broadly: a file that
cannot be read or analysed becomes one row of the ``errors`` table and never stops or
spoils the others.

What ``out_dir`` holds
----------------------
``events``, ``strides``, ``bouts``, ``summary`` (``.csv``, and ``.parquet`` when pyarrow
is installed), ``errors.csv`` (``file, error_type, message``), ``provenance.json``
(retrogait version, parameters, options, each input's size, SHA-256, status and the
units given for it — null when read from the column names or inferred — start and end
time) and ``files/<key>/`` — one cached result per trial.  The key is a SHA-256
of the retrogait version, the parameters, and each file's path, content hash and read
options (placement, side, format, rate, units), so ``resume=True`` reuses a cached result only when none of these changed.
The content hash of a phone export's accelerometer file covers the companion files that
:func:`retrogait.io.read` merges into it (gyroscope, gravity, metadata).

Phone exports
-------------
phyphox and Sensor Logger write one file per sensor.  The files of one export are
recognised as :func:`retrogait.io.read` recognises them
(:func:`retrogait.manifest.phone_exports`): the export is analysed once, through its
accelerometer file, and its other files are not inputs of their own: they are listed in
``provenance.json`` with ``status: "skipped"``, the file they go with
(``companion_of``), whether ``read`` merges them (``merged``) and a ``reason``.
Trials without any result (every file failed) are not cached and are tried again on
resume; a trial whose result is cached keeps the error rows of its failed files.  Every
file is written to a temporary name in its folder and renamed
(:func:`retrogait.io.write_table`), so a crash or Ctrl-C leaves the old file or none,
never half of one; the trials finished before an interruption stay in the cache.  How
the trials run is in :mod:`retrogait.executors`.

Parallelism
-----------
``jobs=1`` runs in this process; ``jobs > 1`` uses a
:class:`concurrent.futures.ProcessPoolExecutor` (the platform's default start method, or
the one set with :func:`multiprocessing.set_start_method`); ``client=`` (a ``dask.distributed.Client``) or
``scheduler=`` (an address such as ``tcp://10.0.0.5:8786``) runs the trials on a Dask
cluster, whose workers must have retrogait installed and see the input files.  The
tables come out in input order whatever the order in which trials finish, so every route
gives the same tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import logging
import os
import platform
import socket
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.executors import (
    Progress,
    TrialOutcome,
    TrialTask,
    available_cores,
    dask_client,
    file_sha256,
    load_cached,
    retrogait_version,
    run_dask,
    run_local,
    run_pool,
    store_outcome,
    trial_key,
)
from retrogait.manifest import (
    Companion,
    FilePattern,
    FileSpec,
    Trial,
    display_names,
    find_files,
    group_trials,
    make_specs,
    normalize_acc_unit,
    normalize_gyr_unit,
    parse_pattern,
    phone_exports,
    read_manifest,
)
from retrogait.pipeline import Params

log = logging.getLogger("retrogait.batch")

TABLES = ("events", "strides", "bouts", "summary")
#: Columns of the analysis tables that meta fields of the same name must not replace.
OWN_COLUMNS = ("sensor", "side", "trial", "file", "placement")
ERRORS_COLUMNS = ("file", "error_type", "message")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BatchResult:
    """The stacked tables of a batch.

    Attributes
    ----------
    events, strides, bouts, summary : pandas.DataFrame
        Tables of all trials, with meta columns first: ``trial``, ``file`` and the
        fields of the pattern/manifest (``subject``, ``condition``, ...), then the
        columns of ``retrogait.schema.EVENTS_COLUMNS``, ``STRIDES_COLUMNS``,
        ``BOUTS_COLUMNS`` and ``SUMMARY_COLUMNS`` (units in the column names: ``_s``,
        ``_m``, ``_mps``, ...).  Events and strides also carry ``placement``; their
        ``side`` is the sensor's.
    errors : pandas.DataFrame
        ``file``, ``error_type``, ``message``: one row per file that failed.
    provenance : dict
        What ``provenance.json`` holds.
    out_dir : pathlib.Path or None
        Where the outputs were written.

    Notes
    -----
    ``n_files`` (input files, companions of phone exports left out), ``n_skipped``
    (companion files of phone exports: gyroscope, gravity, metadata ... files analysed
    with their accelerometer file, ``status: "skipped"`` in the provenance),
    ``n_failed`` (files with at least one error row) and ``ok`` (no file failed)
    summarise the run.

    Examples
    --------
    ``n_failed`` counts files, not error rows:

    >>> import pandas as pd
    >>> errors = pd.DataFrame({"file": ["a.csv", "a.csv", "b.csv"],
    ...                        "error_type": ["InputError"] * 3, "message": ["..."] * 3})
    >>> empty = pd.DataFrame()
    >>> res = BatchResult(events=empty, strides=empty, bouts=empty, summary=empty, errors=errors,
    ...                   provenance={"inputs": [{"file": "a.csv"}, {"file": "b.csv"}, {"file": "c.csv"},
    ...                                          {"file": "Gyroscope.csv", "status": "skipped"}]})
    >>> res.n_files, res.n_skipped, res.n_failed, res.ok
    (3, 1, 2, False)
    """

    events: pd.DataFrame
    strides: pd.DataFrame
    bouts: pd.DataFrame
    summary: pd.DataFrame
    errors: pd.DataFrame
    provenance: Mapping[str, Any]
    out_dir: Path | None = None

    @property
    def n_files(self) -> int:
        """Number of input files, without the skipped companion files of phone exports."""
        return sum(entry.get("status") != "skipped" for entry in self.provenance.get("inputs", []))

    @property
    def n_skipped(self) -> int:
        """Number of companion files of phone exports, analysed with their accelerometer file."""
        return sum(entry.get("status") == "skipped" for entry in self.provenance.get("inputs", []))

    @property
    def n_failed(self) -> int:
        """Number of input files with an error row."""
        return int(self.errors["file"].nunique()) if len(self.errors) else 0

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return self.n_failed == 0

    def __repr__(self) -> str:
        return (f"BatchResult({self.n_files} files, {self.n_failed} failed, {len(self.strides)} strides, "
                f"{len(self.summary)} summary rows, out_dir={str(self.out_dir) if self.out_dir else None!r})")


# --------------------------------------------------------------------------- stacking


def _trial_meta(trial: Trial, specs: Sequence[FileSpec]) -> dict[str, Any]:
    """Meta of a trial-level row (bouts, summary): fields shared by its files."""
    out: dict[str, Any] = {"trial": trial.trial_id, "file": ";".join(s.name for s in specs)}
    placements = {s.placement for s in specs}
    sides = {s.side for s in specs}
    out["placement"] = specs[0].placement if len(placements) == 1 else None
    out["side"] = specs[0].side if len(sides) == 1 else None
    first = dict(specs[0].meta)
    out.update({k: v for k, v in first.items() if all(s.meta.get(k) == v for s in specs[1:])})
    return out


def _with_front(table: pd.DataFrame, columns: Mapping[str, list[np.ndarray]], order: Sequence[str]
                ) -> pd.DataFrame:
    """``table`` with the meta ``columns`` (lists of per-trial arrays) first, in ``order``."""
    n = len(table)
    front = pd.DataFrame({k: (np.concatenate(columns[k]) if columns[k] else np.empty(0, dtype=object))
                          if n else np.empty(0, dtype=object) for k in order}, index=table.index)
    rest = table.drop(columns=[c for c in order if c in table.columns])
    return pd.concat([front.astype(object), rest], axis=1)


def stack_outcomes(trials: Sequence[Trial], outcomes: Mapping[str, TrialOutcome]) -> dict[str, pd.DataFrame]:
    """Stack the per-trial tables in trial order with their meta columns, plus the errors table.

    Events and strides get ``trial, file, placement`` and the file's meta fields in front
    (their ``sensor`` and ``side`` stay as analysed); bouts and summary get ``trial,
    file, placement, side`` and the meta fields shared by the trial's files.

    Parameters
    ----------
    trials : sequence of retrogait.manifest.Trial
        The trials, in the order of the output rows.
    outcomes : mapping of str to TrialOutcome
        Outcome of each trial by ``trial_id``; trials without one are left out, and an
        outcome without tables contributes only its error rows.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``events``, ``strides``, ``bouts``, ``summary`` (the meta columns, then the
        columns of ``retrogait.schema.EVENTS_COLUMNS``, ``retrogait.schema.STRIDES_COLUMNS``,
        ``retrogait.schema.BOUTS_COLUMNS`` and ``retrogait.schema.SUMMARY_COLUMNS``; an
        empty table has the schema's columns) and ``errors`` (``file, error_type,
        message``, one row per failed file).

    Examples
    --------
    One simulated 23 s walk of 16 strides that was analysed, and one trial whose worker
    died:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.executors import TrialTask, crash_outcome, run_trial
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(placement="foot", side="left", n_strides=16, sampling_rate_hz=100.0, seed=1)
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = write_table(sim.recording.data, Path(tmp.name) / "s01_walk.csv")
    >>> walk = Trial("s01_walk", (FileSpec(path=path, name=path.name, placement="foot", side="left",
    ...                                    sampling_rate_hz=100.0, meta={"subject": "s01"}),))
    >>> lost = Trial("s02_walk", (FileSpec(path=Path("s02_walk.csv"), name="s02_walk.csv",
    ...                                    meta={"subject": "s02"}),))
    >>> outcomes = {"s01_walk": run_trial(TrialTask(walk, "1" * 32, Params())),
    ...             "s02_walk": crash_outcome(TrialTask(lost, "2" * 32, Params()), MemoryError("killed"))}
    >>> tables = stack_outcomes([walk, lost], outcomes)
    >>> tables["strides"].columns[:5].tolist()
    ['trial', 'file', 'placement', 'subject', 'stride_id']
    >>> len(tables["strides"]), tables["strides"]["subject"].unique().tolist()
    (16, ['s01'])
    >>> tables["errors"][["file", "error_type"]].values.tolist()
    [['s02_walk.csv', 'MemoryError']]
    >>> tmp.cleanup()
    """
    meta_keys: list[str] = []
    for trial in trials:
        for file_spec in trial.files:
            meta_keys.extend(k for k in file_spec.meta if k not in meta_keys and k not in OWN_COLUMNS)
    orders = {"events": ["trial", "file", "placement", *meta_keys],
              "strides": ["trial", "file", "placement", *meta_keys],
              "bouts": ["trial", "file", "placement", "side", *meta_keys],
              "summary": ["trial", "file", "placement", "side", *meta_keys]}
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    columns: dict[str, dict[str, list[np.ndarray]]] = {name: {k: [] for k in orders[name]} for name in TABLES}
    errors: list[dict[str, str]] = []
    for trial in trials:
        outcome = outcomes.get(trial.trial_id)
        if outcome is None:
            continue
        errors.extend(outcome.errors)
        if outcome.tables is None:
            continue
        by_name = {s.name: s for s in trial.files}
        used = [by_name[f] for f in outcome.sensors.values() if f in by_name] or list(trial.files)
        trial_meta = _trial_meta(trial, used)
        for name in TABLES:
            table = outcome.tables[name]
            if not len(table):
                continue
            frames[name].append(table)
            if name in ("events", "strides"):
                files = table["sensor"].map(outcome.sensors).to_numpy(dtype=object)
                lookup = {"trial": {f: trial.trial_id for f in by_name},
                          "file": {f: f for f in by_name},
                          "placement": {f: s.placement for f, s in by_name.items()}}
                for k in orders[name]:
                    values = lookup[k] if k in lookup else {f: s.meta.get(k) for f, s in by_name.items()}
                    columns[name][k].append(np.array([values.get(f) for f in files], dtype=object))
            else:
                for k in orders[name]:
                    columns[name][k].append(np.full(len(table), trial_meta.get(k), dtype=object))
    empties = {"events": schema.empty_events(), "strides": schema.empty_strides(), "bouts": schema.empty_bouts(),
               "summary": pd.DataFrame({k: pd.Series(dtype=v) for k, v in schema.SUMMARY_COLUMNS.items()})}
    out = {}
    for name in TABLES:
        table = pd.concat(frames[name], ignore_index=True, sort=False) if frames[name] else empties[name]
        out[name] = _with_front(table, columns[name], orders[name])
    out["errors"] = pd.DataFrame(errors, columns=list(ERRORS_COLUMNS)).astype(object)
    return out


# --------------------------------------------------------------------------- batch


def _resolve(
    paths: Any, *, out_path: Path | None, manifest: Any, pattern: str | None, trial_by: Sequence[str] | None,
    placement: str, side: str | None, format: str, sampling_rate_hz: float | None,
    acc_unit: str | float | None, gyr_unit: str | float | None,
) -> tuple[list[Path], list[FileSpec], list[dict[str, str]], list[dict[str, str]], list[Companion]]:
    """Input files, their specs, error rows (missing manifest files, undescribable files) and phone-export companions.

    The companions of phone exports (:func:`retrogait.manifest.phone_exports`) are
    recognised before the pattern is matched, so that a ``Gyroscope.csv`` next to its
    accelerometer file is skipped rather than reported as not matching the pattern.
    """
    # a wrong batch-wide unit is refused before any file is looked for
    normalize_acc_unit(acc_unit, where="acc_unit")
    normalize_gyr_unit(gyr_unit, where="gyr_unit")
    table = read_manifest(manifest) if manifest is not None else None
    compiled: FilePattern | None = parse_pattern(pattern) if pattern is not None else None
    missing_errors: list[dict[str, str]] = []
    explicit: set[Path] = set()
    if table is not None:
        explicit.update(Path(f) for f in table["file"])
    if paths is None:
        if table is None:
            raise InputError("batch: give paths, a manifest, or both")
        listed = [Path(f) for f in table["file"]]
        missing_errors = [{"file": str(f), "error_type": "InputError",
                           "message": f"{f}: listed in the manifest but not found"} for f in listed if not f.is_file()]
        present = [f for f in listed if f.is_file()]
        if not present:
            raise InputError(f"manifest {manifest if not isinstance(manifest, pd.DataFrame) else ''}: "
                             f"none of its {len(listed)} file(s) exists; first: {listed[0] if listed else None}")
        files = find_files(present)
    else:
        files = find_files(paths, exclude=out_path)
        items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        explicit.update(Path(os.fspath(p)).resolve() for p in items if Path(os.fspath(p)).is_file())
    names = display_names(files)
    if str(format or "auto") != "auto":
        fixed = list(files)
    else:
        given = {} if table is None or "format" not in table else dict(zip(table["file"], table["format"], strict=True))
        fixed = [f for f in files if not pd.isna(given.get(str(f))) and str(given[str(f)]).strip() not in ("", "auto")]
    kept, companions, lone_errors = phone_exports(files, names=names, explicit=explicit, fixed_format=fixed)
    name_of = dict(zip(files, names, strict=True))
    specs, spec_errors = make_specs(kept, manifest=table, pattern=compiled, placement=placement, side=side,
                                    format=format, sampling_rate_hz=sampling_rate_hz, trial_by=trial_by,
                                    acc_unit=acc_unit, gyr_unit=gyr_unit, names=[name_of[f] for f in kept])
    return files, specs, missing_errors, lone_errors + spec_errors, companions


def plan(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    manifest: str | os.PathLike[str] | pd.DataFrame | None = None,
    pattern: str | None = None,
    trial_by: Sequence[str] | None = None,
    placement: str = "unknown",
    side: str | None = None,
    format: str = "auto",
    sampling_rate_hz: float | None = None,
    acc_unit: str | float | None = None,
    gyr_unit: str | float | None = None,
) -> pd.DataFrame:
    """What :func:`batch` would do with these options, without reading or analysing anything.

    Takes the same input options as :func:`batch`; use it to check a pattern or manifest
    before a long run (``retrogait batch ... --dry-run``).  The files are found and their
    names matched, but not read: only the first lines of text files are looked at, to
    recognise the companion files of phone exports (phyphox, Sensor Logger; see
    :func:`retrogait.manifest.phone_exports`), which are listed as skipped.

    Parameters
    ----------
    paths : path, glob or list of them, or None
        Folders (searched recursively for data files), glob patterns and files; None to
        take the files from ``manifest``.
    out_dir : path, optional
        The output folder of the batch; files inside it are not inputs.
    manifest : path or DataFrame, optional
        One row per file (see :func:`retrogait.manifest.read_manifest`); its values win
        over ``pattern`` and the options below.
    pattern : str, optional
        File-name pattern such as ``"{subject}_{condition}_{side}.csv"``
        (:func:`retrogait.manifest.parse_pattern`).
    trial_by : sequence of str, optional
        Fields whose values name the trial (files analysed together).  Default: one
        file = one trial.
    placement : str
        Default sensor placement (``foot``, ``shank``, ``lower_back``, ..., default
        ``"unknown"``).
    side : {None, "left", "right"}
        Default body side of the sensors (None: no side, unless the pattern or manifest
        gives one).
    format : str
        Default file format (default ``"auto"``: detected; see :func:`retrogait.io.read`).
    sampling_rate_hz : float, optional
        Default sampling rate (Hz) for files without a time column.
    acc_unit : {None, "g", "mg", "m/s^2"} or float
        Default accelerometer unit (a float is a factor to m/s²; see :func:`batch`).
    gyr_unit : {None, "deg/s", "rad/s"} or float
        Default gyroscope unit (a float is a factor to deg/s; see :func:`batch`).

    Returns
    -------
    pandas.DataFrame
        One row per input file: ``file, trial, placement, side, format,
        sampling_rate_hz`` (Hz), ``acc_unit``, ``gyr_unit``, ``sensor``, the meta fields,
        ``skipped`` (why a companion file of a phone export is not analysed on its own:
        merged into its accelerometer file, or not used; missing for other files) and
        ``error`` (why the file would fail before being read; missing for a file that
        would be read).

    Raises
    ------
    InputError
        If no input file is found, the pattern or manifest is malformed or an option has
        a wrong value (the same checks as :func:`batch`).

    Examples
    --------
    The left and right foot of one walk become one trial; a file that does not match
    the pattern would fail:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("s01_fw_left.csv", "s01_fw_right.csv", "s01_bw_left.csv", "notes.csv"):
    ...         _ = (Path(folder) / name).write_text("")   # plan does not read the files
    ...     table = plan(folder, pattern="{subject}_{condition}_{side}.csv", placement="foot",
    ...                  trial_by=("subject", "condition"))
    >>> for row in table[["file", "trial", "side", "condition"]].iloc[:3].values.tolist():
    ...     print(row)
    ['s01_bw_left.csv', 's01_bw', 'left', 'bw']
    ['s01_fw_left.csv', 's01_fw', 'left', 'fw']
    ['s01_fw_right.csv', 's01_fw', 'right', 'fw']
    >>> print(table["error"].iloc[3])
    notes.csv: file name does not match pattern '{subject}_{condition}_{side}.csv'
    """
    out_path = Path(out_dir).resolve() if out_dir is not None else None
    files, specs, missing_errors, spec_errors, companions = _resolve(
        paths, out_path=out_path, manifest=manifest, pattern=pattern, trial_by=trial_by, placement=placement,
        side=side, format=format, sampling_rate_hz=sampling_rate_hz, acc_unit=acc_unit, gyr_unit=gyr_unit)
    rows: list[dict[str, Any]] = []
    for trial in group_trials(specs):
        for spec in trial.files:
            rows.append({"file": spec.name, "trial": trial.trial_id, "placement": spec.placement, "side": spec.side,
                         "format": spec.format, "sampling_rate_hz": spec.sampling_rate_hz,
                         "acc_unit": spec.acc_unit, "gyr_unit": spec.gyr_unit, "sensor": spec.sensor,
                         **spec.meta, "skipped": None, "error": None})
    rows += [{"file": c.name, "skipped": c.reason, "error": None} for c in companions]
    rows += [{"file": e["file"], "skipped": None, "error": e["message"]} for e in missing_errors + spec_errors]
    table = pd.DataFrame(rows)
    last = ["skipped", "error"]
    return table[[c for c in table.columns if c not in last] + last] if len(table) else table


def batch(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    client: Any = None,
    scheduler: str | None = None,
    manifest: str | os.PathLike[str] | pd.DataFrame | None = None,
    pattern: str | None = None,
    trial_by: Sequence[str] | None = None,
    placement: str = "unknown",
    side: str | None = None,
    format: str = "auto",
    sampling_rate_hz: float | None = None,
    acc_unit: str | float | None = None,
    gyr_unit: str | float | None = None,
    params: Params | None = None,
    resume: bool = False,
    progress: bool = True,
    on_result: Callable[[TrialOutcome], None] | None = None,
) -> BatchResult:
    """Analyse many files and stack the results; per-file failures are recorded, not raised.

    Parameters
    ----------
    paths : path, glob or list of them, or None
        Folders (searched recursively for data files), glob patterns and files; None to
        take the files from ``manifest``.
    out_dir : path, optional
        Output folder (see the module notes).  Without it nothing is written and nothing
        can be resumed.
    jobs : int, optional
        Worker processes on this machine (default: every core this process may use;
        1 = run in this process, no pool).
    client : dask.distributed.Client, optional
        Run on this Dask cluster instead of local processes.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to connect to.
    manifest : path or DataFrame, optional
        One row per file (see :func:`retrogait.manifest.read_manifest`); its values win
        over ``pattern`` and the options below.
    pattern : str, optional
        File-name pattern such as ``"{subject}_{condition}_{side}.csv"``
        (:func:`retrogait.manifest.parse_pattern`).
    trial_by : sequence of str, optional
        Fields whose values name the trial, so that e.g. ``("subject", "condition")``
        analyses the left and right foot of a walk together.  A ``trial`` field of the
        pattern or manifest does the same.  Default: one file = one trial.
    placement : str
        Default sensor placement of every file (``foot``, ``shank``, ``lower_back``, ...,
        default ``"unknown"``); the pattern or manifest wins.
    side : {None, "left", "right"}
        Default body side of every file (None: no side).
    format : str
        Default file format (default ``"auto"``: detected; see :func:`retrogait.io.read`).
    sampling_rate_hz : float, optional
        Default sampling rate in Hz, needed for files with neither a time column nor a
        rate in their header (see :func:`retrogait.io.read`).
    acc_unit : {None, "g", "mg", "m/s^2"} or float
        Default accelerometer unit of every file (also ``G``, ``mG``, ``m/s2`` ...; a
        float is a factor to m/s²); an ``acc_unit`` column of the manifest (or pattern
        field) wins.  None: each file's unit comes from its column names, else it is
        inferred from the magnitude at rest with a warning (:func:`retrogait.io.read`).
    gyr_unit : {None, "deg/s", "rad/s"} or float
        Default gyroscope unit of every file (a float is a factor to deg/s); a
        ``gyr_unit`` column or field wins.  None: from the column names, else inferred
        with a warning.
    params : Params, optional
        Analysis parameters (default ``Params()``).
    resume : bool
        Reuse the cached result of every trial whose files, options and parameters are
        unchanged since an earlier run into the same ``out_dir``.
    progress : bool
        Show a progress bar on stderr (files done, failures, time left).
    on_result : callable, optional
        Called in this process with each :class:`TrialOutcome` as soon as it is cached.

    Returns
    -------
    BatchResult
        Stacked ``events``, ``strides``, ``bouts``, ``summary`` (meta columns, then the
        columns of ``retrogait.schema.EVENTS_COLUMNS``, ``STRIDES_COLUMNS``,
        ``BOUTS_COLUMNS``, ``SUMMARY_COLUMNS``), the ``errors`` table (``file,
        error_type, message``) and the provenance.

    Raises
    ------
    InputError
        If no input file is found, the pattern or manifest is malformed, an option has a
        wrong value, ``resume`` is asked without ``out_dir``, or another running batch
        holds ``out_dir`` (its lock file ``.retrogait-batch.lock``).
    ImportError
        If a Dask cluster is asked for and dask.distributed is not installed.
    KeyboardInterrupt
        Passed on after stopping the workers; finished trials stay in the cache.

    Examples
    --------
    A study folder with a simulated forward and backward walk (23 s, 16 strides of
    1.35 m and 0.85 m) of one left foot sensor, and an empty file:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.simulate import simulate_gait
    >>> tmp = tempfile.TemporaryDirectory()
    >>> study = Path(tmp.name) / "study"
    >>> for direction in ("forward", "backward"):
    ...     sim = simulate_gait(placement="foot", side="left", direction=direction, n_strides=16,
    ...                         sampling_rate_hz=100.0, seed=1)
    ...     _ = write_table(sim.recording.data, study / f"s01_{direction}.csv")
    >>> _ = (study / "s02_forward.csv").write_text("")
    >>> res = batch(study, out_dir=Path(tmp.name) / "results", pattern="{subject}_{condition}.csv",
    ...             placement="foot", side="left", sampling_rate_hz=100.0, jobs=1, progress=False)
    >>> res.n_files, res.n_failed, len(res.summary)
    (3, 1, 2)
    >>> res.strides.groupby("condition")["stride_length_m"].mean().round(2).to_dict()
    {'backward': 0.85, 'forward': 1.35}
    >>> res.errors["file"].tolist()
    ['s02_forward.csv']
    >>> (res.out_dir / "provenance.json").is_file()
    True
    >>> tmp.cleanup()
    """
    started = dt.datetime.now(dt.UTC)
    params = params if params is not None else Params()
    if not isinstance(params, Params):
        raise TypeError(f"batch: params must be a retrogait.Params, found {type(params).__name__}")
    if jobs is None:
        jobs = available_cores()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise InputError(f"jobs: expected an integer >= 1, found {jobs!r}")
    if client is not None and scheduler is not None:
        raise InputError("give either client= or scheduler=, not both")
    out_path = Path(out_dir).resolve() if out_dir is not None else None
    if resume and out_path is None:
        raise InputError("resume=True needs out_dir= (the folder holding the earlier results)")

    files, specs, missing_errors, spec_errors, companions = _resolve(
        paths, out_path=out_path, manifest=manifest, pattern=pattern, trial_by=trial_by, placement=placement,
        side=side, format=format, sampling_rate_hz=sampling_rate_hz, acc_unit=acc_unit, gyr_unit=gyr_unit)
    trials = group_trials(specs)

    with _output_lock(out_path):
        inputs: dict[str, dict[str, Any]] = {}
        hashes: dict[Path, str] = {}
        for path, name in zip(files, display_names(files), strict=True):
            entry: dict[str, Any] = {"file": name, "path": str(path)}
            try:
                entry["size_bytes"] = path.stat().st_size
                entry["sha256"] = hashes[path] = file_sha256(path)
            except OSError as err:
                entry["sha256"] = None
                entry["error"] = f"{type(err).__name__}: {err}"
            inputs[str(path)] = entry

        # read(accelerometer file) also reads the companions merged into it (gyroscope, gravity,
        # metadata): their content is part of the trial's cache key, so --resume recomputes when they change
        key_hashes = dict(hashes)
        merged: dict[Path, list[str]] = {}
        for companion in companions:
            if companion.merged:
                merged.setdefault(companion.accelerometer, []).append(hashes.get(companion.path, "unreadable"))
        for path, extra in merged.items():
            if path in key_hashes:
                key_hashes[path] = hashlib.sha256("+".join([key_hashes[path], *extra]).encode()).hexdigest()

        tasks: list[TrialTask] = []
        hash_errors: list[dict[str, str]] = []
        for trial in trials:
            unreadable = [s for s in trial.files if s.path not in hashes]
            if unreadable:
                hash_errors.extend({"file": s.name, "error_type": "OSError",
                                    "message": f"{s.name}: {inputs[str(s.path)]['error']}"} for s in unreadable)
                trial = Trial(trial.trial_id, tuple(s for s in trial.files if s.path in hashes))
                if not trial.files:
                    continue
            tasks.append(TrialTask(trial=trial, key=trial_key(trial, key_hashes, params), params=params))
        trials = [t.trial for t in tasks]

        outcomes: dict[str, TrialOutcome] = {}
        todo: list[TrialTask] = []
        for task in tasks:
            cached = load_cached(out_path, task) if (resume and out_path is not None) else None
            if cached is not None:
                outcomes[task.trial.trial_id] = cached
            else:
                todo.append(task)
        n_files_total = sum(len(t.trial.files) for t in tasks)
        n_cached_files = sum(len(t.trial.files) for t in tasks if t.trial.trial_id in outcomes)
        if resume:
            log.info("resume: %d of %d trial(s) found in the cache, %d to analyse", len(outcomes), len(tasks), len(todo))

        own_client = False
        runner: Iterable[TrialOutcome]
        if not todo:
            runner, where = run_local(todo), "none (every trial was cached)"
        elif client is not None or scheduler is not None:
            client, own_client = dask_client(client, scheduler)
            runner = run_dask(todo, client)
            where = f"dask scheduler {getattr(getattr(client, 'scheduler', None), 'address', scheduler)}"
        elif jobs == 1 or len(todo) <= 1:
            runner = run_local(todo)
            where = "local, 1 process"
        else:
            runner = run_pool(todo, jobs)
            where = f"local, {min(jobs, len(todo))} processes"
        log.info("analysing %d trial(s) (%d file(s)) on %s", len(todo), n_files_total - n_cached_files, where)

        bar = Progress(n_files_total, enabled=progress, done=n_cached_files)
        by_id = {t.trial.trial_id: t for t in tasks}
        try:
            for outcome in runner:
                task = by_id[outcome.trial_id]
                if out_path is not None and outcome.tables is not None:
                    store_outcome(out_path, task, outcome)
                outcomes[outcome.trial_id] = outcome
                for row in outcome.errors:
                    log.info("failed: %s: %s", row["error_type"], row["message"])
                if outcome.n_warnings:
                    log.info("%s: %d warning(s): %s", outcome.trial_id, outcome.n_warnings, "; ".join(outcome.warnings))
                bar.update(len(task.trial.files), len({e["file"] for e in outcome.errors}))
                if on_result is not None:
                    on_result(outcome)
        finally:
            bar.close()
            close = getattr(runner, "close", None)
            if close is not None:
                close()
            if own_client:
                client.close()

        stacked = stack_outcomes(trials, outcomes)
        early = missing_errors + spec_errors + hash_errors
        errors = pd.concat([pd.DataFrame(early, columns=list(ERRORS_COLUMNS)).astype(object), stacked["errors"]],
                           ignore_index=True) if early else stacked["errors"]
        failed_files = set(errors["file"])
        for task in tasks:
            outcome = outcomes[task.trial.trial_id]
            for spec in task.trial.files:
                entry = inputs[str(spec.path)]
                entry.update(trial=task.trial.trial_id, key=task.key, acc_unit=spec.acc_unit, gyr_unit=spec.gyr_unit,
                             status="failed" if spec.name in failed_files else ("cached" if outcome.cached else "analysed"),
                             n_warnings=outcome.n_warnings, warnings=outcome.warnings)
        for companion in companions:
            inputs[str(companion.path)].update(status="skipped", companion_of=companion.accelerometer_name,
                                               merged=companion.merged, reason=companion.reason)
        for entry in inputs.values():
            entry.setdefault("status", "failed")
        for row in missing_errors:
            inputs[row["file"]] = {"file": row["file"], "path": row["file"], "size_bytes": None, "sha256": None,
                                   "status": "failed"}
        finished = dt.datetime.now(dt.UTC)
        provenance = {
            "retrogait_version": retrogait_version(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "pandas": pd.__version__,
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "duration_s": round((finished - started).total_seconds(), 3),
            "params": params.to_dict(),
            "options": {"placement": placement, "side": side, "format": format, "sampling_rate_hz": sampling_rate_hz,
                        "acc_unit": normalize_acc_unit(acc_unit), "gyr_unit": normalize_gyr_unit(gyr_unit),
                        "pattern": pattern, "trial_by": list(trial_by) if trial_by else None,
                        "manifest": None if manifest is None or isinstance(manifest, pd.DataFrame)
                        else str(Path(manifest).resolve()),
                        "jobs": jobs, "executor": where, "resume": resume},
            "n_files": len(files),
            "n_skipped_files": len(companions),
            "n_trials": len(tasks),
            "n_failed_files": len(failed_files),
            "n_cached_trials": sum(o.cached for o in outcomes.values()),
            "inputs": list(inputs.values()),
        }
        result = BatchResult(events=stacked["events"], strides=stacked["strides"], bouts=stacked["bouts"],
                             summary=stacked["summary"], errors=errors, provenance=provenance, out_dir=out_path)
        if out_path is not None:
            write_outputs(result, out_path)
        return result


#: Lock file that keeps two batches from writing into one output folder at once.
LOCK_FILE = ".retrogait-batch.lock"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextlib.contextmanager
def _output_lock(out_path: Path | None) -> Iterator[None]:
    """Hold ``out_path/.retrogait-batch.lock`` while the batch runs (a stale lock of a dead process is taken over)."""
    if out_path is None:
        yield
        return
    out_path.mkdir(parents=True, exist_ok=True)
    lock = out_path / LOCK_FILE
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid_text, host = (lock.read_text().split() + ["", ""])[:2]
                owner = int(pid_text)
            except (OSError, ValueError):
                owner, host = -1, ""
            # a lock of another machine (shared disk) cannot be checked: it counts as held
            if owner > 0 and (host != socket.gethostname() or _pid_alive(owner)):
                raise InputError(
                    f"out_dir {out_path}: another batch (process {owner}) is writing into it; wait for it to "
                    f"finish or choose another folder (if no batch runs, delete {lock})"
                ) from None
            lock.unlink(missing_ok=True)  # left behind by a process that no longer runs
            continue
        with os.fdopen(handle, "w") as stream:
            stream.write(f"{os.getpid()} {socket.gethostname()}\n")
        break
    else:
        raise InputError(f"out_dir {out_path}: could not create the lock file {lock}")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _have_pyarrow() -> bool:
    """True when pyarrow (the ``fast`` extra) can be imported, so Parquet can be written."""
    return importlib.util.find_spec("pyarrow") is not None


def write_outputs(result: BatchResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write a batch's tables (CSV, and Parquet when pyarrow is installed), errors and provenance.

    Every file is written atomically.  ``provenance.json`` is removed first and written
    last, so when it exists the tables beside it are complete and of one run; after an
    interruption while writing, some tables may be of the new run and some of the old
    one, and ``provenance.json`` is missing until the batch is run again (``resume``
    makes that quick).  In Parquet files, object columns that mix types are written as
    text.

    Parameters
    ----------
    result : BatchResult
        The stacked tables and provenance (what :func:`batch` returns).
    out_dir : str or path-like
        The output folder (created if missing).

    Returns
    -------
    dict of str to pathlib.Path
        The written files by name: ``events.csv``, ``strides.csv``, ``bouts.csv``,
        ``summary.csv`` (and the same ``.parquet`` with pyarrow), ``errors.csv``,
        ``provenance.json``.

    Examples
    --------
    Tables written and read back (:func:`read_results`) give the same values:

    >>> import tempfile
    >>> import pandas as pd
    >>> strides = pd.DataFrame({"trial": ["s01_walk", "s01_walk"], "stride_time_s": [1.08, 1.1]})
    >>> empty = pd.DataFrame({"trial": pd.Series([], dtype=object)})
    >>> errors = pd.DataFrame({"file": ["s02_walk.csv"], "error_type": ["InputError"],
    ...                        "message": ["s02_walk.csv: the file is empty"]})
    >>> res = BatchResult(events=empty, strides=strides, bouts=empty, summary=empty, errors=errors,
    ...                   provenance={"retrogait_version": "0.0"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_outputs(res, folder)
    ...     back = read_results(folder, "strides")
    ...     failed = read_results(folder, "errors")
    >>> sorted(name for name in written if not name.endswith(".parquet"))
    ['bouts.csv', 'errors.csv', 'events.csv', 'provenance.json', 'strides.csv', 'summary.csv']
    >>> back["stride_time_s"].tolist(), failed["file"].tolist()
    ([1.08, 1.1], ['s02_walk.csv'])
    """
    from retrogait.io.writers import write_json, write_table

    out = Path(out_dir)
    (out / "provenance.json").unlink(missing_ok=True)
    suffixes: tuple[str, ...] = (".csv", ".parquet") if _have_pyarrow() else (".csv",)
    written: dict[str, Path] = {}
    for name in TABLES:
        table = getattr(result, name)
        for suffix in suffixes:
            written[name + suffix] = write_table(_for_file(table, suffix), out / f"{name}{suffix}")
        if ".parquet" not in suffixes:
            # a Parquet table of an earlier run would now be stale (and read_results prefers Parquet)
            (out / f"{name}.parquet").unlink(missing_ok=True)
    written["errors.csv"] = write_table(result.errors, out / "errors.csv")
    written["provenance.json"] = write_json(dict(result.provenance), out / "provenance.json")
    return written


def _for_file(table: pd.DataFrame, suffix: str) -> pd.DataFrame:
    if suffix != ".parquet":
        return table
    # Parquet needs one type per column: meta/label columns with mixed content become text.
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object:
            values = out[column]
            kinds = {type(v) for v in values if v is not None and v == v}
            if len(kinds) > 1 or (kinds and not kinds <= {str}):
                out[column] = values.map(lambda v: None if v is None or v != v else str(v)).astype(object)
    return out


def read_results(path: str | os.PathLike[str], table: str = "strides") -> pd.DataFrame:
    """Read one stacked table of a batch output folder (Parquet when present, else CSV).

    Parameters
    ----------
    path : path
        A batch output folder, or a table file (``.csv``/``.parquet``) itself.
    table : {"strides", "events", "bouts", "summary", "errors"}
        Which table of the folder (default ``"strides"``); ignored when ``path`` is a
        file.

    Returns
    -------
    pandas.DataFrame
        The stacked table as :func:`batch` wrote it: the meta columns (``trial, file,
        placement``, ...) then the columns of ``retrogait.schema.STRIDES_COLUMNS`` (or
        ``EVENTS_COLUMNS``, ``BOUTS_COLUMNS``, ``SUMMARY_COLUMNS``); for ``errors``,
        ``file, error_type, message``.

    Raises
    ------
    InputError
        If ``path`` does not exist, ``table`` is not one of the names above, or the
        folder holds no such table.

    Warns
    -----
    RetrogaitWarning
        If the folder has a ``files/`` cache but no ``provenance.json``: the batch that
        wrote it did not finish, and its tables may mix two runs.

    Examples
    --------
    The strides of a batch of one simulated 23 s walk (16 strides), read back from its
    output folder:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(placement="foot", side="left", n_strides=16, sampling_rate_hz=100.0, seed=1)
    >>> tmp = tempfile.TemporaryDirectory()
    >>> _ = write_table(sim.recording.data, Path(tmp.name) / "study" / "s01_walk.csv")
    >>> res = batch(Path(tmp.name) / "study", out_dir=Path(tmp.name) / "results", placement="foot",
    ...             side="left", sampling_rate_hz=100.0, jobs=1, progress=False)
    >>> strides = read_results(Path(tmp.name) / "results", "strides")
    >>> len(strides), strides.columns[:3].tolist()
    (16, ['trial', 'file', 'placement'])
    >>> strides["stride_time_s"].round(6).tolist() == res.strides["stride_time_s"].round(6).tolist()
    True
    >>> len(read_results(Path(tmp.name) / "results", "errors"))
    0
    >>> read_results(Path(tmp.name) / "results", "steps")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: table: expected one of ['events', 'strides', ...], found 'steps'
    >>> tmp.cleanup()
    """
    p = Path(path)
    if p.is_file():
        return pd.read_parquet(p) if p.suffix.lower() in (".parquet", ".pq") else pd.read_csv(p)
    if not p.is_dir():
        raise InputError(f"{p}: no such results folder or table file")
    if table not in (*TABLES, "errors"):
        raise InputError(f"table: expected one of {[*TABLES, 'errors']}, found {table!r}")
    if (p / "files").is_dir() and not (p / "provenance.json").is_file():
        warnings.warn(f"{p}: no provenance.json, so the batch that wrote these tables did not finish and they "
                      "may mix two runs; run the batch again with --resume to complete them",
                      RetrogaitWarning, stacklevel=2)
    parquet, csv = p / f"{table}.parquet", p / f"{table}.csv"
    if parquet.is_file():
        try:
            return pd.read_parquet(parquet)
        except ImportError:
            pass
    if csv.is_file():
        return pd.read_csv(csv)
    nested = sorted(d.name for d in p.iterdir() if (d / f"{table}.csv").is_file()) if p.is_dir() else []
    hint = (f"; its sub-folders {nested[:5]} hold one file's tables each ('retrogait analyze --out' writes one "
            "per file): pass one of them, or run 'retrogait batch FILES --pattern \"{condition}.csv\" --out DIR' "
            "to get tables that compare() can group") if nested else ""
    raise InputError(f"{p}: holds no {table}.parquet or {table}.csv; expected the output folder of "
                     f"'retrogait batch' or of one file of 'retrogait analyze'{hint}")
