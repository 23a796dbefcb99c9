"""Where the trials of a batch run: this process, a process pool or a Dask cluster.

:func:`run_trial` reads and analyses one trial and never raises for bad data; the
``run_*`` generators yield one :class:`TrialOutcome` per trial as it finishes.  A worker
process that dies (killed for memory, a crash in compiled code) costs only the trial it
was running: the unfinished trials are run again one per process.  Results are cached per
trial in ``out_dir/files/<key>/`` (:func:`store_outcome`, :func:`load_cached`).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from retrogait.errors import InputError, RetrogaitError
from retrogait.manifest import FileSpec, Trial
from retrogait.pipeline import Params

log = logging.getLogger("retrogait.batch")

_CACHE_FILE = "result.pkl"
#: Warnings kept per trial in provenance.json (the count is always complete).
MAX_WARNINGS_KEPT = 5



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


def retrogait_version() -> str:
    """The installed retrogait version (recorded in cache keys and provenance)."""
    import retrogait

    return str(retrogait.__version__)


def trial_key(trial: Trial, hashes: Mapping[Path, str], params: Params) -> str:
    """Cache key of a trial: SHA-256 of version, parameters, each file's path, content and options."""
    doc = {
        "version": retrogait_version(),
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
class TrialTask:
    """One trial to analyse: its files, cache key and parameters (pickled to the worker)."""

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


def run_trial(task: TrialTask) -> TrialOutcome:
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


def load_cached(out_dir: Path, task: TrialTask) -> TrialOutcome | None:
    """The cached outcome of ``task`` in ``out_dir/files/<key>/``, or None if absent or unreadable."""
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
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def store_outcome(out_dir: Path, task: TrialTask, outcome: TrialOutcome) -> None:
    """Cache an outcome atomically in ``out_dir/files/<key>/`` (``result.pkl`` and a readable ``trial.json``)."""
    folder = _cache_dir(out_dir, task.key)
    info = {"trial": task.trial.trial_id, "files": [s.name for s in task.trial.files], "key": task.key,
            "elapsed_s": outcome.elapsed_s}
    _write_bytes_atomic(folder / "trial.json", json.dumps(info, indent=2).encode())
    _write_bytes_atomic(folder / _CACHE_FILE, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


# --------------------------------------------------------------------------- progress


class Progress:
    """Files done, failures and time left on stderr.

    A tqdm bar when tqdm is installed and stderr is a terminal; otherwise a plain line,
    redrawn every second on a terminal and written at most every 10 s to a log file.
    """

    def __init__(self, total: int, *, enabled: bool, done: int = 0) -> None:
        self.total, self.done, self.failed = total, done, 0
        self.enabled = enabled and total > 0
        self.start = time.monotonic()
        self.start_done = done
        self._last = 0.0
        self.bar: Any = None
        self.tty = _isatty(sys.stderr)
        if self.enabled and self.tty:
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
        if now - self._last < (1.0 if self.tty else 10.0) and self.done < self.total:
            return
        self._last = now
        rate = (self.done - self.start_done) / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        left_text = "?" if left != left else time.strftime("%H:%M:%S", time.gmtime(left))
        end = "\n" if self.done >= self.total or not self.tty else ""
        print(f"{chr(13) if self.tty else ''}retrogait batch: {self.done}/{self.total} files, {self.failed} failed, {left_text} left",
              end=end, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- executors


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> Any:
    # The platform's default start method (fork on Linux, spawn on macOS/Windows) or the one
    # the caller chose with multiprocessing.set_start_method.  Spawn-like methods re-import
    # the caller's __main__, which needs a script file and an ``if __name__ == "__main__"``.
    return multiprocessing.get_context()


def crash_outcome(task: TrialTask, err: BaseException, *, died: bool = True, cluster: bool = False
                  ) -> TrialOutcome:
    """Error rows for every file of a trial whose worker died (``died``) or could not run it."""
    if died:
        why = f"the worker analysing this file died ({err}); it may need more memory than a worker has"
    elif cluster:
        why = (f"could not be analysed on the cluster ({type(err).__name__}: {err}); do the workers have "
               "retrogait installed, and can they read the file at this path?")
    else:
        why = f"could not be run in a worker process ({type(err).__name__}: {err})"
    return TrialOutcome(
        trial_id=task.trial.trial_id, key=task.key, tables=None,
        errors=[{"file": s.name, "error_type": type(err).__name__, "message": f"{s.name}: {why}"}
                for s in task.trial.files],
    )


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_ignore_sigint)


def run_pool(tasks: Sequence[TrialTask], jobs: int) -> Iterable[TrialOutcome]:
    """Run the tasks on a process pool.

    When a worker dies (killed for memory, a crash in compiled code) the pool breaks and
    every unfinished task fails with it; those tasks are then run one per worker process
    (:func:`_run_isolated`), so that only the task that kills its worker gets an error row.
    """
    executor = _new_pool(min(jobs, len(tasks)))
    futures: dict[cf.Future[TrialOutcome], TrialTask] = {}
    broken: list[TrialTask] = []
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
                outcome = crash_outcome(task, err, died=False)
            yield outcome
    finally:
        executor.shutdown(wait=not broken and sys.exc_info()[0] is None, cancel_futures=True)
    if broken:
        log.warning("a worker process died; analysing the %d unfinished trial(s) one per process", len(broken))
        yield from _run_isolated(broken, jobs)


def _run_isolated(tasks: Sequence[TrialTask], jobs: int) -> Iterable[TrialOutcome]:
    """Run each task alone in a one-worker pool (``jobs`` such pools at a time)."""
    queue = list(reversed(tasks))
    slots: list[cf.ProcessPoolExecutor | None] = [None] * min(jobs, len(tasks))
    running: dict[cf.Future[TrialOutcome], tuple[int, TrialTask]] = {}

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
                unstarted.append(crash_outcome(task, err))
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
                    outcome = crash_outcome(task, err)
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


def dask_client(client: Any, scheduler: str | None) -> tuple[Any, bool]:
    """The client to use and whether we opened it (and must close it); ``scheduler`` is an address."""
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


def run_dask(tasks: Sequence[TrialTask], client: Any) -> Iterable[TrialOutcome]:
    """Run the tasks on a Dask cluster; yields outcomes as they finish; cancels the rest when stopped."""
    from dask.distributed import as_completed

    futures = client.map(run_trial, list(tasks), pure=False, key=[f"retrogait-trial-{t.key}" for t in tasks])
    by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
    try:
        for future in as_completed(futures):
            task = by_key[future.key]
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - KilledWorker and the like become error rows
                outcome = crash_outcome(task, err, died=type(err).__name__ == "KilledWorker", cluster=True)
            yield outcome
    finally:
        client.cancel(futures)


def run_local(tasks: Sequence[TrialTask]) -> Iterable[TrialOutcome]:
    """Run the tasks one after the other in this process."""
    for task in tasks:
        yield run_trial(task)
