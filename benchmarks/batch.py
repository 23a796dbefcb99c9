"""Batch throughput: files per second with 1 and N local processes and on a local Dask cluster.

    python benchmarks/batch.py [--files 240] [--strides 8] [--jobs 2] [--repeat 1] [--no-dask]

A study of short simulated foot recordings (forward and backward walking, left and right
foot, 100 Hz, plain CSV) is written to a temporary folder; each route then runs the whole
``retrogait.batch`` on it: hashing, reading, analysing, caching and writing the stacked
tables.  Each run has a fresh output folder (no resume).  The Dask cluster is started
before the clock starts (a cluster is normally already running); the process pool's
start-up is inside the timing, as it is for a user.  The speed-up is relative to the
1-process run.  Reported with the machine's load average, since a busy machine (other
users' processes) takes cores away from the parallel runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from retrogait.batch import batch  # noqa: E402
from retrogait.simulate import simulate_gait  # noqa: E402

from benchmarks.accuracy import to_markdown  # noqa: E402


def make_study(folder: Path, n_files: int, n_strides: int) -> int:
    """Write ``n_files`` simulated foot recordings; returns the total size in bytes."""
    directions = ("forward", "backward")
    total = 0
    for k in range(n_files):
        direction = directions[k % 2]
        side = ("left", "right")[(k // 2) % 2]
        rec = simulate_gait(placement="foot", side=side, direction=direction, n_strides=n_strides,
                            sampling_rate_hz=100.0, seed=k).recording
        table = rec.data[["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]].copy()
        table.insert(0, "time_s", rec.time_s)
        path = folder / f"s{k // 4:03d}_{direction[:2]}_{side}.csv"
        table.to_csv(path, index=False, float_format="%.6g")
        total += path.stat().st_size
    return total


def run_once(study: Path, out: Path, **options: object) -> tuple[float, int]:
    shutil.rmtree(out, ignore_errors=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        result = batch(study, out_dir=out, pattern="{subject}_{condition}_{side}.csv", placement="foot",
                       progress=False, **options)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
    return elapsed, result.n_failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=240, help="recordings in the study")
    parser.add_argument("--strides", type=int, default=8, help="strides per recording")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes / Dask workers")
    parser.add_argument("--repeat", type=int, default=1, help="runs per route, interleaved (the fastest is kept)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask route")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="retrogait_bench_") as tmp:
        study = Path(tmp) / "study"
        study.mkdir()
        started = time.perf_counter()
        size = make_study(study, args.files, args.strides)
        print(f"study: {args.files} files, {size / 1e6:.1f} MB, {args.strides} strides each "
              f"(written in {time.perf_counter() - started:.1f} s); cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        routes: list[tuple[str, dict[str, object]]] = [("local, 1 process", {"jobs": 1}),
                                                       (f"local, {args.jobs} processes", {"jobs": args.jobs})]
        cluster = client = None
        if not args.no_dask:
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError:
                print("  dask.distributed not installed: Dask route skipped")
            else:
                cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
                client = Client(cluster)
                client.run(lambda: __import__("retrogait.pipeline"))  # warm the workers' imports
                routes.append((f"dask LocalCluster, {args.jobs} workers", {"client": client}))
        times: dict[str, list[float]] = {route: [] for route, _ in routes}
        loads: dict[str, list[float]] = {route: [] for route, _ in routes}
        try:
            for _ in range(args.repeat):  # routes interleaved, so a change of load hits them alike
                for route, options in routes:
                    elapsed, failed = run_once(study, Path(tmp) / "out", **options)
                    if failed:
                        raise RuntimeError(f"{route}: {failed} file(s) failed")
                    times[route].append(elapsed)
                    loads[route].append(os.getloadavg()[0])
                    print(f"  {route}: {elapsed:.2f} s (load average {loads[route][-1]:.2f})", flush=True)
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
        best = {route: min(range(len(times[route])), key=times[route].__getitem__) for route, _ in routes}
        rows = [{"route": route, "files": args.files, "time_s": times[route][best[route]],
                 "files_per_s": args.files / times[route][best[route]],
                 "load_avg_1min": loads[route][best[route]]}  # load right after the run kept
                for route, _ in routes]
        table = pd.DataFrame(rows)
        table["speed_up"] = table["time_s"].iloc[0] / table["time_s"]
    print(f"<!-- generated by: python benchmarks/batch.py --files {args.files} --strides {args.strides} "
          f"--jobs {args.jobs}, {time.strftime('%Y-%m-%d %H:%M')} -->")
    print(to_markdown(table))
    if len(table) > 1:
        print(f"\nspeed-up with {args.jobs} processes: {table['speed_up'].iloc[1]:.2f}x "
              f"(target >= 1.7x with 2 jobs on 2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
