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

    See Also
    --------
    run_trial : makes the outcome of a trial.
    crash_outcome : the outcome of a trial whose worker died.

    Examples
    --------
    A failed trial has no tables, one error row per file, and is not from the cache:

    >>> outcome = TrialOutcome(trial_id="s01_walk", key="0" * 32, tables=None,
    ...                        errors=[{"file": "s01_walk.csv", "error_type": "InputError",
    ...                                 "message": "s01_walk.csv: the file is empty"}])
    >>> outcome.tables is None, len(outcome.errors), outcome.cached, outcome.n_warnings
    (True, 1, False, 0)
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
    """Cores this process may run on (CPU affinity where the OS tells it, else ``os.cpu_count()``).

    This is the default number of worker processes of :func:`retrogait.batch`; on a
    cluster node or in a container restricted to some cores it is fewer than the cores
    of the machine.

    Returns
    -------
    int
        Number of usable cores, at least 1.

    Examples
    --------
    >>> import os
    >>> 1 <= available_cores() <= (os.cpu_count() or 1)
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def file_sha256(path: str | os.PathLike[str], *, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 of a file's content (hex).

    The file is read in chunks, so its size does not matter.  Used in the cache key of a
    trial (:func:`trial_key`) and in ``provenance.json``.

    Parameters
    ----------
    path : str or path-like
        The file.
    chunk_bytes : int, keyword-only
        Bytes read at a time (default 1 MiB = 1048576); does not change the result.

    Returns
    -------
    str
        The 64 hexadecimal digits of the SHA-256 digest, lower case.

    Raises
    ------
    OSError
        If the file cannot be opened or read (``FileNotFoundError``, ``IsADirectoryError``, ...).

    Examples
    --------
    The SHA-256 of ``b"abc"`` (the FIPS 180-2 test vector), whatever the chunk size:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "abc.txt"
    ...     _ = path.write_bytes(b"abc")
    ...     digest, in_bytes = file_sha256(path), file_sha256(path, chunk_bytes=1)
    >>> digest
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    >>> digest == in_bytes
    True
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


def retrogait_version() -> str:
    """The installed retrogait version (recorded in cache keys and provenance).

    A new version changes every cache key, so ``resume=True`` analyses everything again
    after an upgrade.

    Returns
    -------
    str
        ``retrogait.__version__``.

    Examples
    --------
    >>> import retrogait
    >>> retrogait_version() == retrogait.__version__
    True
    """
    import retrogait

    return str(retrogait.__version__)


def trial_key(trial: Trial, hashes: Mapping[Path, str], params: Params) -> str:
    """Cache key of a trial: SHA-256 of version, parameters, each file's path, content and options.

    Two runs reuse each other's cached result only when the key is the same, i.e. when
    neither the retrogait version, the analysis parameters, nor any file of the trial
    (path, content hash, placement, side, format, sampling rate, accelerometer and
    gyroscope unit, sensor name, meta) changed.

    Parameters
    ----------
    trial : retrogait.manifest.Trial
        The files analysed together.
    hashes : mapping of pathlib.Path to str
        SHA-256 (hex, :func:`file_sha256`) of each file's content, keyed by
        ``FileSpec.path``; must hold every file of ``trial`` (else ``KeyError``).
    params : retrogait.Params
        The analysis parameters.

    Returns
    -------
    str
        32 hexadecimal digits (the first half of the SHA-256 of a JSON document of the
        above); the name of the trial's cache folder ``out_dir/files/<key>/``.

    Examples
    --------
    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> spec = FileSpec(path=Path("s01_walk.csv"), name="s01_walk.csv", placement="foot", side="left")
    >>> trial = Trial("s01_walk", (spec,))
    >>> hashes = {spec.path: "ab" * 32}
    >>> key = trial_key(trial, hashes, Params())
    >>> len(key), key == trial_key(trial, hashes, Params())
    (32, True)

    Other parameters or other file content give another key:

    >>> key == trial_key(trial, hashes, Params(min_bout_strides=5))
    False
    >>> key == trial_key(trial, {spec.path: "cd" * 32}, Params())
    False

    So does a unit given for the file (here the accelerometer in g):

    >>> from dataclasses import replace
    >>> key == trial_key(Trial("s01_walk", (replace(spec, acc_unit="g"),)), hashes, Params())
    False
    """
    doc = {
        "version": retrogait_version(),
        "params": params.to_dict(),
        "files": [
            {"path": str(s.path), "sha256": hashes[s.path], "placement": s.placement, "side": s.side,
             "format": s.format, "sampling_rate_hz": s.sampling_rate_hz, "acc_unit": s.acc_unit,
             "gyr_unit": s.gyr_unit, "sensor": s.sensor, "meta": dict(sorted(s.meta.items()))}
            for s in trial.files
        ],
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- one trial


@dataclass(frozen=True)
class TrialTask:
    """One trial to analyse: its files, cache key and parameters (pickled to the worker).

    Attributes
    ----------
    trial : retrogait.manifest.Trial
        The files analysed together (one call of :func:`retrogait.analyze`).
    key : str
        Cache key of the trial (:func:`trial_key`).
    params : retrogait.Params
        Analysis parameters.

    Examples
    --------
    >>> import pickle
    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> spec = FileSpec(path=Path("s01_walk.csv"), name="s01_walk.csv", placement="foot")
    >>> task = TrialTask(trial=Trial("s01_walk", (spec,)), key="0" * 32, params=Params())
    >>> pickle.loads(pickle.dumps(task)) == task   # what a worker process receives
    True
    """

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

    Each file is read with :func:`retrogait.io.read` (with its ``FileSpec`` options) and
    the recordings are analysed together with :func:`retrogait.analyze`.  A file that
    cannot be read becomes an error row and the others are still analysed; when the
    analysis itself fails, every file read becomes an error row.  Warnings are recorded
    in the outcome instead of being shown.  Runs in a worker process (or Dask worker);
    module level so that it pickles by name.

    Parameters
    ----------
    task : TrialTask
        The trial, its cache key and the analysis parameters.

    Returns
    -------
    TrialOutcome
        ``tables`` (``events``, ``strides``, ``bouts``, ``summary`` of
        :func:`retrogait.analyze`, columns ``retrogait.schema.EVENTS_COLUMNS``,
        ``retrogait.schema.STRIDES_COLUMNS``, ...) or None when no file could be analysed;
        ``errors`` with one row (``file, error_type, message``) per failed file;
        ``sensors`` (sensor name -> file); ``elapsed_s`` in s.

    Raises
    ------
    KeyboardInterrupt
        Passed on, like every ``BaseException`` that is not an ``Exception``.  Every
        ``Exception`` while reading or analysing, such as the ``InputError`` for two
        files of the trial that give the same sensor name, becomes an error row instead.

    Examples
    --------
    A simulated 23 s walk with 16 strides per foot, written as CSV and analysed: the
    16 strides come back with the simulated stride time.  A second file that is also a
    left foot sensor cannot join the trial and gets an error row:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> from retrogait.simulate import simulate_gait
    >>> sim = simulate_gait(placement="foot", side="left", n_strides=16, sampling_rate_hz=100.0, seed=1)
    >>> tmp = tempfile.TemporaryDirectory()
    >>> paths = [write_table(sim.recording.data, Path(tmp.name) / name) for name in ("walk.csv", "again.csv")]
    >>> specs = tuple(FileSpec(path=p, name=p.name, placement="foot", side="left", sampling_rate_hz=100.0)
    ...               for p in paths)
    >>> outcome = run_trial(TrialTask(trial=Trial("s01_walk", specs), key="0" * 32, params=Params()))
    >>> outcome.sensors
    {'foot_left': 'walk.csv'}
    >>> len(outcome.tables["strides"]), len(sim.strides)
    (16, 16)
    >>> round(float(outcome.tables["strides"]["stride_time_s"].mean()), 2)
    1.09
    >>> round(float(sim.strides["stride_time_s"].mean()), 2)
    1.09
    >>> print(outcome.errors[0]["message"])  # doctest: +ELLIPSIS
    again.csv: trial 's01_walk' already has a sensor 'foot_left'; give the files ...
    >>> tmp.cleanup()
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
                           placement=spec.placement, side=spec.side, acc_unit=spec.acc_unit,
                           gyr_unit=spec.gyr_unit, meta=dict(spec.meta))
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
    """The cached outcome of ``task`` in ``out_dir/files/<key>/``, or None if absent or unreadable.

    An unreadable cache entry (truncated, written by an incompatible version) is logged
    and treated as absent, so the trial is analysed again.

    Parameters
    ----------
    out_dir : pathlib.Path
        The batch output folder.
    task : TrialTask
        The trial; its ``key`` names the cache folder.

    Returns
    -------
    TrialOutcome or None
        The stored outcome with ``cached=True``, ``elapsed_s=0.0`` and the trial id of
        ``task``; None when there is no entry, it cannot be read, its key differs or it
        holds no tables.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> trial = Trial("s01_walk", (FileSpec(path=Path("s01_walk.csv"), name="s01_walk.csv"),))
    >>> task = TrialTask(trial=trial, key="a" * 32, params=Params())
    >>> outcome = TrialOutcome(trial_id="s01_walk", key=task.key, elapsed_s=1.5,
    ...                        tables={"strides": pd.DataFrame({"stride_time_s": [1.08, 1.10]})})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     before = load_cached(Path(folder), task)
    ...     store_outcome(Path(folder), task, outcome)
    ...     after = load_cached(Path(folder), task)
    ...     other = load_cached(Path(folder), TrialTask(trial=trial, key="b" * 32, params=Params()))
    >>> before is None, other is None
    (True, True)
    >>> after.cached, after.elapsed_s, after.tables["strides"]["stride_time_s"].tolist()
    (True, 0.0, [1.08, 1.1])
    """
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
    """Cache an outcome atomically in ``out_dir/files/<key>/`` (``result.pkl`` and a readable ``trial.json``).

    Each file is written to a temporary name and renamed, so an interruption leaves the
    old entry or none.  :func:`load_cached` reads the entry back.

    Parameters
    ----------
    out_dir : pathlib.Path
        The batch output folder (created if missing).
    task : TrialTask
        The trial; its ``key`` names the cache folder.
    outcome : TrialOutcome
        What :func:`run_trial` gave for ``task`` (pickled into ``result.pkl``).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> trial = Trial("s01_walk", (FileSpec(path=Path("s01_walk.csv"), name="s01_walk.csv"),))
    >>> task = TrialTask(trial=trial, key="a" * 32, params=Params())
    >>> outcome = TrialOutcome(trial_id="s01_walk", key=task.key, tables={}, elapsed_s=1.5)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store_outcome(Path(folder), task, outcome)
    ...     entry = Path(folder) / "files" / task.key
    ...     names = sorted(p.name for p in entry.iterdir())
    ...     info = json.loads((entry / "trial.json").read_text())
    >>> names
    ['result.pkl', 'trial.json']
    >>> info["trial"], info["files"], info["elapsed_s"]
    ('s01_walk', ['s01_walk.csv'], 1.5)
    """
    folder = _cache_dir(out_dir, task.key)
    info = {"trial": task.trial.trial_id, "files": [s.name for s in task.trial.files], "key": task.key,
            "elapsed_s": outcome.elapsed_s}
    _write_bytes_atomic(folder / "trial.json", json.dumps(info, indent=2).encode())
    _write_bytes_atomic(folder / _CACHE_FILE, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


# --------------------------------------------------------------------------- progress


class Progress:
    """Files done, failures and time left on stderr.

    A tqdm bar when tqdm is installed and stderr is a terminal; otherwise a plain line,
    redrawn every second on a terminal and written at most every 10 s to a log file
    (and always when the last file is done).  ``update(n_files, n_failed)`` counts
    finished files and failed ones; ``close()`` ends the bar.

    Parameters
    ----------
    total : int
        Number of files of the batch.
    enabled : bool, keyword-only
        Show anything at all (off when ``total`` is 0).
    done : int, keyword-only
        Files already done when the bar starts (taken from the cache by a resumed batch);
        the time left is estimated from the files done after the start.

    Examples
    --------
    Written to a file (not a terminal): a line with the counts, time left as ``H:M:S``:

    >>> import contextlib, io
    >>> stream = io.StringIO()
    >>> with contextlib.redirect_stderr(stream):
    ...     bar = Progress(3, enabled=True, done=1)
    ...     bar.update(1, 0)
    ...     bar.update(1, 1)
    ...     bar.close()
    >>> bar.done, bar.failed
    (3, 1)
    >>> stream.getvalue().splitlines()[-1]
    'retrogait batch: 3/3 files, 1 failed, 00:00:00 left'
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
    """Error rows for every file of a trial whose worker died (``died``) or could not run it.

    Parameters
    ----------
    task : TrialTask
        The trial that was lost.
    err : BaseException
        What the executor raised for it (``BrokenProcessPool``, Dask's ``KilledWorker``, an
        unpicklable result, ...); its text goes into every message.
    died : bool, keyword-only
        The worker process died (default True): the message suggests it ran out of memory.
    cluster : bool, keyword-only
        The trial ran on a Dask cluster (used when ``died`` is False): the message asks
        whether the workers have retrogait installed and can read the file.

    Returns
    -------
    TrialOutcome
        No tables; one error row (``file, error_type, message``) per file of the trial,
        with ``error_type`` the class name of ``err``.

    Examples
    --------
    >>> from pathlib import Path
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> specs = tuple(FileSpec(path=Path(n), name=n) for n in ("s01_left.csv", "s01_right.csv"))
    >>> task = TrialTask(trial=Trial("s01", specs), key="0" * 32, params=Params())
    >>> outcome = crash_outcome(task, MemoryError("killed"))
    >>> outcome.tables is None, [row["file"] for row in outcome.errors]
    (True, ['s01_left.csv', 's01_right.csv'])
    >>> print(outcome.errors[0]["message"])
    s01_left.csv: the worker analysing this file died (killed); it may need more memory than a worker has
    >>> row = crash_outcome(task, OSError("no such file"), died=False, cluster=True).errors[1]
    >>> row["error_type"], "can they read the file" in row["message"]
    ('OSError', True)
    """
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
    (``_run_isolated``), so that only the task that kills its worker gets an error row
    (:func:`crash_outcome`).  Workers ignore Ctrl-C; the caller stops the pool by closing
    the generator.  The pool uses the platform's default start method (or the one set with
    ``multiprocessing.set_start_method``): with ``spawn`` (macOS, Windows) the calling
    script needs an ``if __name__ == "__main__":`` guard.

    Parameters
    ----------
    tasks : sequence of TrialTask
        The trials to analyse (pickled to the workers).
    jobs : int
        Worker processes (>= 1); no more than ``len(tasks)`` are started.

    Yields
    ------
    TrialOutcome
        One per task, in the order the trials finish (not the input order).

    Examples
    --------
    Two simulated 23 s walks of 16 strides, one per worker process:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> from retrogait.simulate import simulate_gait
    >>> tmp = tempfile.TemporaryDirectory()
    >>> tasks, truth = [], {}
    >>> for seed, side in enumerate(("left", "right")):
    ...     sim = simulate_gait(placement="foot", side=side, n_strides=16, sampling_rate_hz=100.0, seed=seed)
    ...     path = write_table(sim.recording.data, Path(tmp.name) / f"s01_{side}.csv")
    ...     truth[path.stem] = float(sim.strides["stride_time_s"].mean())
    ...     spec = FileSpec(path=path, name=path.name, placement="foot", side=side, sampling_rate_hz=100.0)
    ...     tasks.append(TrialTask(trial=Trial(path.stem, (spec,)), key=f"{seed:032d}", params=Params()))
    >>> outcomes = sorted(run_pool(tasks, jobs=2), key=lambda o: o.trial_id)
    >>> [(o.trial_id, len(o.tables["strides"]), o.errors) for o in outcomes]
    [('s01_left', 16, []), ('s01_right', 16, [])]
    >>> tmp.cleanup()
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
    """The client to use and whether we opened it (and must close it); ``scheduler`` is an address.

    Parameters
    ----------
    client : dask.distributed.Client or None
        A client made by the caller; used as it is and left open.
    scheduler : str or None
        Address of a running Dask scheduler (``tcp://10.0.0.5:8786``), used when
        ``client`` is None; the connection waits at most 30 s.

    Returns
    -------
    client : dask.distributed.Client
        ``client``, or a new client connected to ``scheduler``.
    opened : bool
        True when the client was made here, so the caller must ``close()`` it.

    Raises
    ------
    ImportError
        If a client must be made and dask.distributed is not installed (the ``dask``
        extra).
    InputError
        If ``scheduler`` is not a Dask address or no scheduler answers there within 30 s.

    Examples
    --------
    A client of the caller is used as it is and is not closed afterwards:

    >>> mine = object()   # stands for a dask.distributed.Client made by the caller
    >>> dask_client(mine, None) == (mine, False)
    True

    A malformed address fails at once (without waiting for the 30 s timeout):

    >>> dask_client(None, "htp://10.0.0.5:8786")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: scheduler 'htp://10.0.0.5:8786': not a Dask scheduler address: ...
    """
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
    except ValueError as err:  # a malformed address: unknown scheme, missing or bad port
        raise InputError(f"scheduler {scheduler!r}: not a Dask scheduler address: {err}") from None


def run_dask(tasks: Sequence[TrialTask], client: Any) -> Iterable[TrialOutcome]:
    """Run the tasks on a Dask cluster; yields outcomes as they finish; cancels the rest when stopped.

    Each task becomes one Dask future named ``retrogait-trial-<key>``.  A trial whose
    worker was killed (``KilledWorker``) or that failed on the cluster (retrogait missing
    on the workers, a file they cannot read) gets error rows (:func:`crash_outcome`)
    instead of stopping the batch.  Nothing is sent before the generator is iterated;
    closing it cancels the unfinished futures.

    Parameters
    ----------
    tasks : sequence of TrialTask
        The trials to analyse; the workers must see the files at the same paths.
    client : dask.distributed.Client
        Connected client (:func:`dask_client`).

    Yields
    ------
    TrialOutcome
        One per task, in the order the trials finish (not the input order).

    Examples
    --------
    Starting a cluster is too slow for an example; a stand-in for the client shows what
    is sent and that the futures are cancelled at the end (here there is nothing to run):

    >>> class FakeClient:
    ...     def map(self, func, tasks, **options):
    ...         print(f"map {func.__name__} over {len(tasks)} task(s), keys {options['key']}")
    ...         return []
    ...     def cancel(self, futures):
    ...         print(f"cancel {len(futures)} future(s)")
    >>> runner = run_dask([], FakeClient())   # nothing sent yet
    >>> list(runner)
    map run_trial over 0 task(s), keys []
    cancel 0 future(s)
    []
    """
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
    """Run the tasks one after the other in this process.

    No worker process and no pickling: the simplest route (``jobs=1``) and the one to use
    in a debugger.

    Parameters
    ----------
    tasks : sequence of TrialTask
        The trials to analyse.

    Yields
    ------
    TrialOutcome
        One per task, in the order of ``tasks``.

    Examples
    --------
    Two simulated 23 s walks of 16 strides (left and right foot), analysed in turn: each
    gives its 16 strides and the simulated mean stride time (about 1.1 s) within 10 ms:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.io.writers import write_table
    >>> from retrogait.manifest import FileSpec, Trial
    >>> from retrogait.pipeline import Params
    >>> from retrogait.simulate import simulate_gait
    >>> tmp = tempfile.TemporaryDirectory()
    >>> tasks, truth = [], {}
    >>> for seed, side in enumerate(("left", "right")):
    ...     sim = simulate_gait(placement="foot", side=side, n_strides=16, sampling_rate_hz=100.0, seed=seed)
    ...     path = write_table(sim.recording.data, Path(tmp.name) / f"s01_{side}.csv")
    ...     truth[path.stem] = float(sim.strides["stride_time_s"].mean())
    ...     spec = FileSpec(path=path, name=path.name, placement="foot", side=side, sampling_rate_hz=100.0)
    ...     tasks.append(TrialTask(trial=Trial(path.stem, (spec,)), key=f"{seed:032d}", params=Params()))
    >>> outcomes = list(run_local(tasks))
    >>> [o.trial_id for o in outcomes]
    ['s01_left', 's01_right']
    >>> [len(o.tables["strides"]) for o in outcomes]
    [16, 16]
    >>> [abs(float(o.tables["strides"]["stride_time_s"].mean()) - truth[o.trial_id]) < 0.01 for o in outcomes]
    [True, True]
    >>> tmp.cleanup()
    """
    for task in tasks:
        yield run_trial(task)
