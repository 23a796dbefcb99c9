"""Reading speed of retrogait.io.read against pyarrow and pandas on one hour of 100 Hz IMU data.

Generates a 360 000-row CSV (time in s + 3 acc in g + 3 gyr in deg/s, 6 decimals) in a
temporary folder and prints the median wall time of each reader (warm page cache).

Run: ``python benchmarks/speed_io.py [--rows 360000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import retrogait.io as rio


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


def _time_interleaved(readers: dict, repeat: int) -> dict[str, list[float]]:
    """Run every reader once per round, in rotating order, so machine load hits all alike."""
    for fn in readers.values():
        fn()  # warm-up (page cache, imports)
    runs: dict[str, list[float]] = {name: [] for name in readers}
    names = list(readers)
    for round_ in range(repeat):
        order = names[round_ % len(names):] + names[: round_ % len(names)]
        for name in order:
            start = time.perf_counter()
            readers[name]()
            runs[name].append(time.perf_counter() - start)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=360_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--iso-time", action="store_true", help="time column as ISO 8601 text instead of seconds")
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
        runs = _time_interleaved(readers, args.repeat)
    base_name = "pyarrow.csv.read_csv" if "pyarrow.csv.read_csv" in runs else "pandas.read_csv (C engine)"
    base = np.array(runs[base_name])
    time_kind = "ISO 8601 text" if args.iso_time else "seconds"
    print(f"{args.rows} rows x 7 columns (time as {time_kind}), {size_mb:.1f} MB, {args.repeat} interleaved rounds")
    print(f"{'reader':40s} {'median s':>9s} {'min s':>7s} {'MB/s':>6s} {'median ratio':>12s} {'min ratio':>9s}")
    for name, values in runs.items():
        arr = np.array(values)
        ratio = float(np.median(arr / base))  # per-round ratio: robust to load drifting between rounds
        best = float(arr.min() / base.min())  # best-of-N ratio (timeit's convention: least disturbed runs)
        print(f"{name:40s} {np.median(arr):9.3f} {arr.min():7.3f} {size_mb / np.median(arr):6.0f} {ratio:12.2f} "
              f"{best:9.2f}")
    print(f"ratios are to {base_name}")


if __name__ == "__main__":
    main()
