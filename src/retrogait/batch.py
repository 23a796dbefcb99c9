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
(retrogait version, parameters, options, each input's size, SHA-256 and status, start
and end time) and ``files/<key>/`` — one cached result per trial.  The key is a SHA-256
of the retrogait version, the parameters, and each file's path, content hash and read
options, so ``resume=True`` reuses a cached result only when none of these changed.
Trials without any result (every file failed) are not cached and are tried again on
resume; a trial whose result is cached keeps the error rows of its failed files.  Every file is written to
a temporary name in its folder and renamed (:func:`retrogait.io.write_table`), so a
crash or Ctrl-C leaves the old file or none, never half of one; the trials finished
before an interruption stay in the cache.

Parallelism
-----------
``jobs=1`` runs in this process; ``jobs > 1`` uses a
:class:`concurrent.futures.ProcessPoolExecutor` (``forkserver`` start method on POSIX, so
no thread state of the parent is copied); ``client=`` (a ``dask.distributed.Client``) or
``scheduler=`` (an address such as ``tcp://10.0.0.5:8786``) runs the trials on a Dask
cluster, whose workers must have retrogait installed and see the input files.  The
tables come out in input order whatever the order in which trials finish, so every route
gives the same tables.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import logging
import multiprocessing
import os
import pickle
import platform
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError, RetrogaitError
from retrogait.manifest import (
    FilePattern,
    FileSpec,
    Trial,
    display_names,
    find_files,
    group_trials,
    make_specs,
    parse_pattern,
    read_manifest,
)
from retrogait.pipeline import Params

log = logging.getLogger("retrogait.batch")

TABLES = ("events", "strides", "bouts", "summary")
#: Columns of the analysis tables that meta fields of the same name must not replace.
OWN_COLUMNS = ("sensor", "side", "trial", "file", "placement")
ERRORS_COLUMNS = ("file", "error_type", "message")
_CACHE_FILE = "result.pkl"
_UMASK = os.umask(0)
os.umask(_UMASK)
#: Warnings kept per trial in provenance.json (the count is always complete).
MAX_WARNINGS_KEPT = 5


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TrialOutcome:
    """What one trial gave: its tables, or errors, and how it was obtained.

    Attributes
    ----------
    trial_id : str
        The trial.
    key : str
        Cache key (hash of version, parameters, files, content and options).
    tables : dict of str to DataFrame or None
        ``events``, ``strides``, ``bouts``, ``summary`` of :func:`retrogait.analyze`,
        without the batch meta columns; None when the trial failed.
    errors : list of dict
        ``file``, ``error_type``, ``message`` of each failed file.
    warnings : list of str
        Warning messages raised while reading and analysing.
    n_warnings : int
        Number of warnings (``warnings`` keeps the first few).  On threaded workers
        (Dask) only the warnings that the worker's filters let through are counted (the
        ``default`` filter shows a repeated warning once per code location).
    elapsed_s : float
        Time spent on the trial (s).
    cached : bool
        True when the result came from the cache of an earlier run.
    sensors : dict of str to str
        Sensor name in the tables -> the file it was read from.
    """

    trial_id: str
    key: str
    tables: dict[str, pd.DataFrame] | None
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_warnings: int = 0
    elapsed_s: float = 0.0
    cached: bool = False
    sensors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchResult:
    """The stacked tables of a batch.

    Attributes
    ----------
    events, strides, bouts, summary : pandas.DataFrame
        Tables of all trials, with meta columns first: ``trial``, ``file`` and the
        fields of the pattern/manifest (``subject``, ``condition``, ...).  Events and
        strides also carry ``placement``; their ``side`` is the sensor's.
    errors : pandas.DataFrame
        ``file``, ``error_type``, ``message``: one row per file that failed.
    provenance : dict
        What ``provenance.json`` holds.
    out_dir : pathlib.Path or None
        Where the outputs were written.
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
        """Number of input files."""
        return len(self.provenance.get("inputs", []))

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


# --------------------------------------------------------------------------- hashing


def available_cores() -> int:
    """Cores this process may run on (CPU affinity where the OS tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def file_sha256(path: str | os.PathLike[str], *, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 of a file's content (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    import retrogait

    return str(retrogait.__version__)


def trial_key(trial: Trial, hashes: Mapping[Path, str], params: Params) -> str:
    """Cache key of a trial: SHA-256 of version, parameters, each file's path, content and options."""
    doc = {
        "version": _version(),
        "params": params.to_dict(),
        "files": [
            {"path": str(s.path), "sha256": hashes[s.path], "placement": s.placement, "side": s.side,
             "format": s.format, "sampling_rate_hz": s.sampling_rate_hz, "sensor": s.sensor,
             "meta": dict(sorted(s.meta.items()))}
            for s in trial.files
        ],
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- one trial


@dataclass(frozen=True)
class _Task:
    trial: Trial
    key: str
    params: Params


def _error_row(spec: FileSpec, err: BaseException) -> dict[str, str]:
    message = str(err) or repr(err)
    if not isinstance(err, RetrogaitError):
        # not a failure retrogait anticipated: say where it happened, for the bug report
        frames = traceback.extract_tb(err.__traceback__)
        if frames:
            last = frames[-1]
            message = f"{message} (at {Path(last.filename).name}:{last.lineno} in {last.name})"
        if spec.name not in message:
            message = f"{spec.name}: {message}"
    return {"file": spec.name, "error_type": type(err).__name__, "message": message}


_THREAD = threading.local()
_HOOK_LOCK = threading.Lock()


def _install_thread_hook() -> None:
    """Route warnings of threads that asked for it (``_THREAD.sink``) into their own list.

    ``warnings.catch_warnings`` swaps process-wide state, which is unsafe when several
    threads analyse at once (threaded Dask workers): one thread would restore another's
    filters or lose its warnings.  This hook is installed once per process and passes
    every other warning on to the handler it replaced.
    """
    with _HOOK_LOCK:
        if getattr(warnings.showwarning, "_retrogait_hook", False):
            return
        previous = warnings.showwarning

        def hook(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: str | None = None) -> None:
            sink = getattr(_THREAD, "sink", None)
            if sink is None:
                previous(message, category, filename, lineno, file, line)
            else:
                sink.append(warnings.WarningMessage(message, category, filename, lineno, file, line))

        hook._retrogait_hook = True  # type: ignore[attr-defined]
        warnings.showwarning = hook


@contextlib.contextmanager
def _recorded_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Collect the warnings raised inside the block (every one on the main thread; on other
    threads those that the process's warning filters let through)."""
    if threading.current_thread() is threading.main_thread():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
        return
    _install_thread_hook()
    sink: list[warnings.WarningMessage] = []
    _THREAD.sink = sink
    try:
        yield sink
    finally:
        _THREAD.sink = None


def run_trial(task: _Task) -> TrialOutcome:
    """Read and analyse one trial; never raises for bad data (errors go into the outcome).

    Runs in a worker process (or Dask worker); module level so that it pickles by name.
    """
    from retrogait.io import read
    from retrogait.pipeline import analyze

    start = time.perf_counter()
    errors: list[dict[str, str]] = []
    tables: dict[str, pd.DataFrame] | None = None
    with _recorded_warnings() as caught:
        recordings = {}
        sensors: dict[str, str] = {}
        for spec in task.trial.files:
            try:
                rec = read(spec.path, format=spec.format, sampling_rate_hz=spec.sampling_rate_hz,
                           placement=spec.placement, side=spec.side, meta=dict(spec.meta))
                name = spec.sensor or rec.name
                if name in recordings:
                    raise InputError(
                        f"{spec.name}: trial {task.trial.trial_id!r} already has a sensor {name!r}; "
                        "give the files of one trial distinct side/placement or a 'sensor' column in the manifest"
                    )
                recordings[name] = rec if rec.name == name else rec.replace(meta={**rec.meta, "sensor": name})
                sensors[name] = spec.name
            except Exception as err:  # noqa: BLE001 - batch records every failure per file
                errors.append(_error_row(spec, err))
        if recordings:
            try:
                result = analyze(recordings, params=task.params)
                tables = {"events": result.events, "strides": result.strides, "bouts": result.bouts,
                          "summary": result.summary}
            except Exception as err:  # noqa: BLE001 - batch records every failure per file
                errors.extend(_error_row(s, err) for s in task.trial.files if s.name in sensors.values())
    messages = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    return TrialOutcome(trial_id=task.trial.trial_id, key=task.key, tables=tables, errors=errors,
                        warnings=messages[:MAX_WARNINGS_KEPT], n_warnings=len(caught),
                        elapsed_s=time.perf_counter() - start, sensors=sensors)


# --------------------------------------------------------------------------- cache


def _cache_dir(out_dir: Path, key: str) -> Path:
    return out_dir / "files" / key


def _load_cached(out_dir: Path, task: _Task) -> TrialOutcome | None:
    path = _cache_dir(out_dir, task.key) / _CACHE_FILE
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as err:
        log.warning("cache entry %s unreadable (%s); analysing the trial again", path, err)
        return None
    if not isinstance(stored, TrialOutcome) or stored.key != task.key or stored.tables is None:
        return None
    return TrialOutcome(trial_id=task.trial.trial_id, key=task.key, tables=stored.tables, errors=stored.errors,
                        warnings=stored.warnings, n_warnings=stored.n_warnings, elapsed_s=0.0, cached=True,
                        sensors=stored.sensors)


def _write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to a temporary file next to ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(tmp_name, 0o666 & ~_UMASK)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _store(out_dir: Path, task: _Task, outcome: TrialOutcome) -> None:
    folder = _cache_dir(out_dir, task.key)
    info = {"trial": task.trial.trial_id, "files": [s.name for s in task.trial.files], "key": task.key,
            "elapsed_s": outcome.elapsed_s}
    _write_bytes_atomic(folder / "trial.json", json.dumps(info, indent=2).encode())
    _write_bytes_atomic(folder / _CACHE_FILE, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


# --------------------------------------------------------------------------- progress


class _Progress:
    """Files done, failures and time left: a tqdm bar when installed, else a plain line."""

    def __init__(self, total: int, *, enabled: bool, done: int = 0) -> None:
        self.total, self.done, self.failed = total, done, 0
        self.enabled = enabled and total > 0
        self.start = time.monotonic()
        self.start_done = done
        self._last = 0.0
        self.bar: Any = None
        if self.enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                # no monitor thread: worker processes may be forked after the bar exists
                tqdm.monitor_interval = 0
                self.bar = tqdm(total=total, initial=done, unit="file", desc="retrogait batch", file=sys.stderr,
                                dynamic_ncols=True)
                self.bar.set_postfix(failed=0)

    def update(self, n_files: int, n_failed: int) -> None:
        self.done += n_files
        self.failed += n_failed
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(n_files)
            if n_failed:
                self.bar.set_postfix(failed=self.failed)
            return
        now = time.monotonic()
        if now - self._last < 1.0 and self.done < self.total:
            return
        self._last = now
        rate = (self.done - self.start_done) / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        left_text = "?" if left != left else time.strftime("%H:%M:%S", time.gmtime(left))
        end = "\n" if self.done >= self.total or not sys.stderr.isatty() else ""
        print(f"\rretrogait batch: {self.done}/{self.total} files, {self.failed} failed, {left_text} left",
              end=end, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------- executors


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> Any:
    # The platform's default start method (fork on Linux, spawn on macOS/Windows) or the one
    # the caller chose with multiprocessing.set_start_method.  Spawn-like methods re-import
    # the caller's __main__, which needs a script file and an ``if __name__ == "__main__"``.
    return multiprocessing.get_context()


def _crash_outcome(task: _Task, err: BaseException) -> TrialOutcome:
    return TrialOutcome(
        trial_id=task.trial.trial_id, key=task.key, tables=None,
        errors=[{"file": s.name, "error_type": type(err).__name__,
                 "message": f"{s.name}: the worker analysing this file died ({err}); "
                            "it may need more memory than a worker has"} for s in task.trial.files],
    )


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_ignore_sigint)


def _run_pool(tasks: Sequence[_Task], jobs: int) -> Iterable[TrialOutcome]:
    """Run the tasks on a process pool.

    When a worker dies (killed for memory, a crash in compiled code) the pool breaks and
    every unfinished task fails with it; those tasks are then run one per worker process
    (:func:`_run_isolated`), so that only the task that kills its worker gets an error row.
    """
    executor = _new_pool(min(jobs, len(tasks)))
    futures: dict[cf.Future[TrialOutcome], _Task] = {}
    broken: list[_Task] = []
    try:
        for task in tasks:
            try:
                futures[executor.submit(run_trial, task)] = task
            except cf.process.BrokenProcessPool:
                broken.append(task)
        for future in cf.as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except cf.process.BrokenProcessPool:
                broken.append(task)
                continue
            except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
                outcome = _crash_outcome(task, err)
            yield outcome
    finally:
        executor.shutdown(wait=not broken and sys.exc_info()[0] is None, cancel_futures=True)
    if broken:
        log.warning("a worker process died; analysing the %d unfinished trial(s) one per process", len(broken))
        yield from _run_isolated(broken, jobs)


def _run_isolated(tasks: Sequence[_Task], jobs: int) -> Iterable[TrialOutcome]:
    """Run each task alone in a one-worker pool (``jobs`` such pools at a time)."""
    queue = list(reversed(tasks))
    slots: list[cf.ProcessPoolExecutor | None] = [None] * min(jobs, len(tasks))
    running: dict[cf.Future[TrialOutcome], tuple[int, _Task]] = {}

    unstarted: list[TrialOutcome] = []

    def start(slot: int) -> None:
        while queue:
            task = queue.pop()
            pool = slots[slot] or _new_pool(1)
            slots[slot] = pool
            try:
                running[pool.submit(run_trial, task)] = (slot, task)
                return
            except cf.process.BrokenProcessPool as err:
                unstarted.append(_crash_outcome(task, err))
                slots[slot] = None

    try:
        for slot in range(len(slots)):
            start(slot)
        while running or unstarted:
            while unstarted:
                yield unstarted.pop()
            if not running:
                break
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in done:
                slot, task = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as err:  # noqa: BLE001 - this task killed its own worker
                    outcome = _crash_outcome(task, err)
                    pool = slots[slot]
                    if pool is not None:
                        pool.shutdown(wait=False, cancel_futures=True)
                    slots[slot] = None
                yield outcome
                start(slot)
    finally:
        for pool in slots:
            if pool is not None:
                pool.shutdown(wait=sys.exc_info()[0] is None, cancel_futures=True)


def _dask_client(client: Any, scheduler: str | None) -> tuple[Any, bool]:
    if client is not None:
        return client, False
    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError(
            "running on a Dask cluster needs dask.distributed, which is not installed; "
            "install it with: pip install 'retrogait[dask]'"
        ) from None
    try:
        return Client(scheduler, timeout="30s"), True
    except (OSError, TimeoutError) as err:
        raise InputError(f"scheduler {scheduler!r}: could not connect to the Dask scheduler: {err}") from None


def _run_dask(tasks: Sequence[_Task], client: Any) -> Iterable[TrialOutcome]:
    from dask.distributed import as_completed

    futures = client.map(run_trial, list(tasks), pure=False, key=[f"retrogait-trial-{t.key}" for t in tasks])
    by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
    try:
        for future in as_completed(futures):
            task = by_key[future.key]
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - KilledWorker and the like become error rows
                outcome = _crash_outcome(task, err)
            yield outcome
    finally:
        client.cancel(futures)


def _run_local(tasks: Sequence[_Task]) -> Iterable[TrialOutcome]:
    for task in tasks:
        yield run_trial(task)


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
) -> tuple[list[Path], list[FileSpec], list[dict[str, str]], list[dict[str, str]]]:
    """Input files, their specs, and error rows for missing manifest files and undescribable files."""
    table = read_manifest(manifest) if manifest is not None else None
    compiled: FilePattern | None = parse_pattern(pattern) if pattern is not None else None
    missing_errors: list[dict[str, str]] = []
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
    specs, spec_errors = make_specs(files, manifest=table, pattern=compiled, placement=placement, side=side,
                                    format=format, sampling_rate_hz=sampling_rate_hz, trial_by=trial_by)
    return files, specs, missing_errors, spec_errors


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
) -> pd.DataFrame:
    """What :func:`batch` would do with these options, without reading or analysing anything.

    Takes the same input options as :func:`batch`; use it to check a pattern or manifest
    before a long run (``retrogait batch ... --dry-run``).

    Returns
    -------
    pandas.DataFrame
        One row per input file: ``file, trial, placement, side, format,
        sampling_rate_hz, sensor``, the meta fields, and ``error`` (why the file would
        fail before being read, else None).
    """
    out_path = Path(out_dir).resolve() if out_dir is not None else None
    files, specs, missing_errors, spec_errors = _resolve(
        paths, out_path=out_path, manifest=manifest, pattern=pattern, trial_by=trial_by, placement=placement,
        side=side, format=format, sampling_rate_hz=sampling_rate_hz)
    rows: list[dict[str, Any]] = []
    for trial in group_trials(specs):
        for spec in trial.files:
            rows.append({"file": spec.name, "trial": trial.trial_id, "placement": spec.placement, "side": spec.side,
                         "format": spec.format, "sampling_rate_hz": spec.sampling_rate_hz, "sensor": spec.sensor,
                         **spec.meta, "error": None})
    rows += [{"file": e["file"], "error": e["message"]} for e in missing_errors + spec_errors]
    table = pd.DataFrame(rows)
    return table[[c for c in table.columns if c != "error"] + ["error"]] if len(table) else table


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
    placement, side, format, sampling_rate_hz :
        Defaults for every file (see :func:`retrogait.io.read`).
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
        Stacked ``events``, ``strides``, ``bouts``, ``summary``, the ``errors`` table and
        the provenance.

    Raises
    ------
    InputError
        If no input file is found, the pattern or manifest is malformed, an option has a
        wrong value, or ``resume`` is asked without ``out_dir``.
    ImportError
        If a Dask cluster is asked for and dask.distributed is not installed.
    KeyboardInterrupt
        Passed on after stopping the workers; finished trials stay in the cache.

    Examples
    --------
    >>> import retrogait as rg                                          # doctest: +SKIP
    >>> res = rg.batch("study/", out_dir="results", pattern="{subject}_{condition}_{side}.csv",
    ...                placement="foot", trial_by=("subject", "condition"))  # doctest: +SKIP
    >>> res.summary.groupby("condition")["speed_mps_mean"].mean()       # doctest: +SKIP
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

    files, specs, missing_errors, spec_errors = _resolve(
        paths, out_path=out_path, manifest=manifest, pattern=pattern, trial_by=trial_by, placement=placement,
        side=side, format=format, sampling_rate_hz=sampling_rate_hz)
    trials = group_trials(specs)

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

    tasks: list[_Task] = []
    hash_errors: list[dict[str, str]] = []
    for trial in trials:
        unreadable = [s for s in trial.files if s.path not in hashes]
        if unreadable:
            hash_errors.extend({"file": s.name, "error_type": "OSError",
                                "message": f"{s.name}: {inputs[str(s.path)]['error']}"} for s in unreadable)
            trial = Trial(trial.trial_id, tuple(s for s in trial.files if s.path in hashes))
            if not trial.files:
                continue
        tasks.append(_Task(trial=trial, key=trial_key(trial, hashes, params), params=params))
    trials = [t.trial for t in tasks]

    outcomes: dict[str, TrialOutcome] = {}
    todo: list[_Task] = []
    for task in tasks:
        cached = _load_cached(out_path, task) if (resume and out_path is not None) else None
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
    if client is not None or scheduler is not None:
        client, own_client = _dask_client(client, scheduler)
        runner = _run_dask(todo, client)
        where = f"dask scheduler {getattr(getattr(client, 'scheduler', None), 'address', scheduler)}"
    elif jobs == 1 or len(todo) <= 1:
        runner = _run_local(todo)
        where = "local, 1 process"
    else:
        runner = _run_pool(todo, jobs)
        where = f"local, {min(jobs, len(todo))} processes"
    log.info("analysing %d trial(s) (%d file(s)) on %s", len(todo), n_files_total - n_cached_files, where)

    bar = _Progress(n_files_total, enabled=progress, done=n_cached_files)
    by_id = {t.trial.trial_id: t for t in tasks}
    try:
        for outcome in runner:
            task = by_id[outcome.trial_id]
            if out_path is not None and outcome.tables is not None:
                _store(out_path, task, outcome)
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
            entry.update(trial=task.trial.trial_id, key=task.key,
                         status="failed" if spec.name in failed_files else ("cached" if outcome.cached else "analysed"),
                         n_warnings=outcome.n_warnings, warnings=outcome.warnings)
    for entry in inputs.values():
        entry.setdefault("status", "failed")
    for row in missing_errors:
        inputs[row["file"]] = {"file": row["file"], "path": row["file"], "size_bytes": None, "sha256": None,
                               "status": "failed"}
    finished = dt.datetime.now(dt.UTC)
    provenance = {
        "retrogait_version": _version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pandas": pd.__version__,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "params": params.to_dict(),
        "options": {"placement": placement, "side": side, "format": format, "sampling_rate_hz": sampling_rate_hz,
                    "pattern": pattern, "trial_by": list(trial_by) if trial_by else None,
                    "manifest": None if manifest is None or isinstance(manifest, pd.DataFrame)
                    else str(Path(manifest).resolve()),
                    "jobs": jobs, "executor": where, "resume": resume},
        "n_files": len(files),
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


def _have_pyarrow() -> bool:
    """True when pyarrow (the ``fast`` extra) can be imported, so Parquet can be written."""
    return importlib.util.find_spec("pyarrow") is not None


def write_outputs(result: BatchResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write a batch's tables (CSV, and Parquet when pyarrow is installed), errors and provenance.

    Every file is written atomically; provenance.json is written last, so its presence
    says the other outputs are complete.

    Returns
    -------
    dict of str to pathlib.Path
        The written files by name (``"strides.csv"``, ...).
    """
    from retrogait.io.writers import write_json, write_table

    out = Path(out_dir)
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
    table : {"events", "strides", "bouts", "summary", "errors"}
        Which table of the folder.

    Raises
    ------
    InputError
        If the folder has no such table or the file does not exist.
    """
    p = Path(path)
    if p.is_file():
        return pd.read_parquet(p) if p.suffix.lower() in (".parquet", ".pq") else pd.read_csv(p)
    if not p.is_dir():
        raise InputError(f"{p}: no such results folder or table file")
    if table not in (*TABLES, "errors"):
        raise InputError(f"table: expected one of {[*TABLES, 'errors']}, found {table!r}")
    parquet, csv = p / f"{table}.parquet", p / f"{table}.csv"
    if parquet.is_file():
        try:
            return pd.read_parquet(parquet)
        except ImportError:
            pass
    if csv.is_file():
        return pd.read_csv(csv)
    raise InputError(f"{p}: holds no {table}.parquet or {table}.csv; expected the output folder of "
                     "'retrogait batch' or 'retrogait analyze'")
