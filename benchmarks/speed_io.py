"""Reading speed of retrogait.io.read against pyarrow and pandas on one hour of 100 Hz IMU data.

Generates a 360 000-row CSV (time in s + 3 acc in g + 3 gyr in deg/s, 6 decimals) in a
temporary folder and prints, per reader, the median and best wall time (warm page cache)
and the median CPU time of the process (all threads).  Wall-time ratios swing with the load
of a shared machine; the CPU time moves much less.

``--stages`` adds the time of each stage of ``retrogait.io.read`` (median over the rounds):
elapsed time and CPU time of the calling thread, which load from other processes hardly
changes (pyarrow parses in worker threads, so its CPU does not show there), and the page
faults per read.

Run: ``python benchmarks/speed_io.py [--rows 360000] [--repeat 5] [--iso-time] [--stages]``
"""

from __future__ import annotations

import argparse
import functools
import resource
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import retrogait.io as rio
from retrogait import recording
from retrogait.io import assemble, columns, csv_generic, registry, sniff, table, timeconv


def make_file(folder: Path, rows: int, *, iso_time: bool = False) -> Path:
    t = np.arange(rows) / 100.0
    rng = np.random.default_rng(0)
    data: dict[str, object] = {"time": t}
    if iso_time:
        stamps = pd.Timestamp("2024-05-01 08:00:00") + pd.to_timedelta(np.round(t * 1000), unit="ms")
        data["time"] = stamps.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3]
    for k, axis in enumerate("xyz"):
        data[f"acc_{axis}"] = 0.3 * np.sin(2 * np.pi * 1.8 * t + k) + (1.0 if axis == "z" else 0.0) + rng.normal(
            0, 0.01, rows)
    for k, axis in enumerate("xyz"):
        data[f"gyr_{axis}"] = 200 * np.sin(2 * np.pi * 0.9 * t + k) + rng.normal(0, 1, rows)
    path = folder / "imu_1h_100hz.csv"
    pd.DataFrame(data).to_csv(path, index=False, float_format="%.6f")
    return path


def _time_interleaved(readers: dict, repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Run every reader once per round, in rotating order, so machine load hits all alike.

    Returns the wall times and the process CPU times (s) of each reader.
    """
    for fn in readers.values():
        fn()  # warm-up (page cache, imports)
    runs: dict[str, list[float]] = {name: [] for name in readers}
    cpu: dict[str, list[float]] = {name: [] for name in readers}
    names = list(readers)
    for round_ in range(repeat):
        order = names[round_ % len(names):] + names[: round_ % len(names)]
        for name in order:
            start, start_cpu = time.perf_counter(), time.process_time()
            readers[name]()
            runs[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return runs, cpu


#: Stages of ``retrogait.io.read`` on a generic CSV: (label, module, function name).
#: Nested stages are indented; their parent's time includes them.  Stages a version of the
#: code does not have, or does not reach, are left out of the table.
STAGES: tuple[tuple[str, Any, str], ...] = (
    ("head read (peek)", rio, "peek"),
    ("format detection", registry, "detect"),
    ("dialect sniffing", sniff, "sniff"),
    ("column classification", columns, "choose_columns"),
    ("read_block: parse + columns", csv_generic, "read_block"),
    ("  pyarrow parse + float block", table, "_read_arrow"),
    ("time: numbers -> s", timeconv, "numeric_to_seconds"),
    ("time: text -> datetime", timeconv, "text_to_datetime"),
    ("time: datetime -> s", timeconv, "datetime_to_seconds"),
    ("assembly (build_recording)", assemble, "_build"),
    ("  time checks (order, repeats)", assemble, "_fix_time"),
    ("  rate from intervals", assemble, "_rate_from_steps"),
    ("  unit checks", assemble, "_convert_units"),
    ("  range check (_check_range)", assemble, "_check_range"),
    ("  Recording checks (_adopt)", recording.Recording, "_adopt"),
    ("  Recording checks + copy", recording.Recording, "__post_init__"),
)


@contextmanager
def _stage_timers(wall: dict[str, float], cpu: dict[str, float]) -> Iterator[None]:
    """Wrap each stage function so that its elapsed and thread CPU time add up in ``wall``/``cpu``."""
    saved = []
    for label, owner, name in STAGES:
        raw = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
        if raw is None:
            continue
        fn = raw.__func__ if isinstance(raw, classmethod) else raw

        def timed(*args: Any, _fn: Callable = fn, _label: str = label, **kwargs: Any) -> Any:
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                wall[_label] = wall.get(_label, 0.0) + time.perf_counter() - start
                cpu[_label] = cpu.get(_label, 0.0) + time.thread_time() - start_cpu

        wrapped = functools.wraps(fn)(timed)
        setattr(owner, name, classmethod(wrapped) if isinstance(raw, classmethod) else wrapped)
        saved.append((owner, name, raw))
    try:
        yield
    finally:
        for owner, name, raw in saved:
            setattr(owner, name, raw)


def _stages(read: Callable[[], None], repeat: int) -> None:
    runs: list[tuple[dict[str, float], dict[str, float], int]] = []
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with _stage_timers(wall, cpu):
        read()
        for _ in range(repeat):
            wall.clear()
            cpu.clear()
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start, start_cpu = time.perf_counter(), time.thread_time()
            read()
            wall["total"], cpu["total"] = time.perf_counter() - start, time.thread_time() - start_cpu
            runs.append((dict(wall), dict(cpu), resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults))
    print(f"\nstages of retrogait.io.read, median of {repeat} reads (cpu = CPU time of the calling thread)")
    print(f"{'stage':34s} {'wall ms':>8s} {'cpu ms':>7s}")
    for label in ["total"] + [s[0] for s in STAGES]:
        if all(label not in w for w, _, _ in runs):
            continue
        w = np.median([w.get(label, 0.0) for w, _, _ in runs]) * 1000
        c = np.median([c.get(label, 0.0) for _, c, _ in runs]) * 1000
        print(f"{label:34s} {w:8.2f} {c:7.2f}")
    print(f"page faults per read: {int(np.median([f for _, _, f in runs]))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=360_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--iso-time", action="store_true", help="time column as ISO 8601 text instead of seconds")
    parser.add_argument("--stages", action="store_true", help="also time each stage of retrogait.io.read")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = make_file(Path(folder), args.rows, iso_time=args.iso_time)
        size_mb = path.stat().st_size / 1e6

        def read_retrogait() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rio.read(path, acc_unit="g", gyr_unit="deg/s")

        readers = {"retrogait.io.read": read_retrogait,
                   "pandas.read_csv (C engine)": lambda: pd.read_csv(path)}
        try:
            import pyarrow.csv as pacsv

            readers["pyarrow.csv.read_csv"] = lambda: pacsv.read_csv(path)
            readers["pyarrow.csv.read_csv().to_pandas()"] = lambda: pacsv.read_csv(path).to_pandas()
        except ImportError:
            pass
        runs, cpu = _time_interleaved(readers, args.repeat)
        base_name = "pyarrow.csv.read_csv" if "pyarrow.csv.read_csv" in runs else "pandas.read_csv (C engine)"
        base = np.array(runs[base_name])
        time_kind = "ISO 8601 text" if args.iso_time else "seconds"
        print(f"{args.rows} rows x 7 columns (time as {time_kind}), {size_mb:.1f} MB, {args.repeat} interleaved rounds")
        print(f"{'reader':40s} {'median s':>9s} {'min s':>7s} {'MB/s':>6s} {'median ratio':>12s} {'min ratio':>9s} "
              f"{'cpu s':>6s} {'cpu ratio':>9s}")
        for name, values in runs.items():
            arr = np.array(values)
            ratio = float(np.median(arr / base))  # per-round ratio: robust to load drifting between rounds
            best = float(arr.min() / base.min())  # best-of-N ratio (timeit's convention: least disturbed runs)
            cpu_s = float(np.median(cpu[name]))
            print(f"{name:40s} {np.median(arr):9.3f} {arr.min():7.3f} {size_mb / np.median(arr):6.0f} {ratio:12.2f} "
                  f"{best:9.2f} {cpu_s:6.3f} {cpu_s / float(np.median(cpu[base_name])):9.2f}")
        print(f"ratios are to {base_name}; cpu = CPU time of the process (all threads)")
        if args.stages:
            _stages(read_retrogait, args.repeat)


if __name__ == "__main__":
    main()
