"""Speed and peak memory of ``analyze()`` on long recordings, and how both grow with length.

    python benchmarks/speed.py [--minutes 1,5,15,30,60] [--repeat 1]

The signal is a real foot recording (the bundled gaitmap sample, 204.8 Hz) resampled
to 100 Hz and tiled to the wanted length, so the detectors see real gait all along.
Time is measured on a run without tracemalloc (which slows Python-heavy code), best of
``--repeat`` runs; peak memory is the tracemalloc peak (NumPy and pandas buffers
included) of a separate run, relative to the size of the raw six-axis float64 samples.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.signal import resample_poly

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import retrogait as rg  # noqa: E402

from benchmarks.accuracy import to_markdown  # noqa: E402

SAMPLE = HERE.parent / "data" / "samples" / "gaitmap_left_foot.csv"
COLUMNS = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]


def long_recording(minutes: float, *, rate_hz: float = 100.0) -> rg.Recording:
    """The sample resampled to ``rate_hz`` and tiled to ``minutes`` of data."""
    raw = pd.read_csv(SAMPLE)
    # 204.8 Hz -> 100 Hz is the rational factor 125/256
    one = resample_poly(raw[COLUMNS].to_numpy(), 125, 256, axis=0)
    n = int(minutes * 60 * rate_hz)
    reps = int(np.ceil(n / len(one)))
    data = np.tile(one, (reps, 1))[:n]
    return rg.Recording(pd.DataFrame(data, columns=COLUMNS), rate_hz, placement="foot", side="left")


def measure(rec: rg.Recording, *, repeat: int = 1) -> dict[str, float]:
    """Time of ``analyze(rec)`` (best of ``repeat`` runs, no tracing) and its traced peak memory."""
    times = []
    for _ in range(max(repeat, 1)):
        gc.collect()
        started = time.perf_counter()
        result = rg.analyze(rec)
        times.append(time.perf_counter() - started)
        del result
    gc.collect()
    tracemalloc.start()
    result = rg.analyze(rec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    elapsed = min(times)
    raw_mb = rec.n_samples * 6 * 8 / 1e6
    return {
        "minutes": rec.duration_s / 60,
        "samples": rec.n_samples,
        "strides": len(result.strides),
        "time_s": elapsed,
        "samples_per_s": rec.n_samples / elapsed,
        "raw_mb": raw_mb,
        "peak_mb": peak / 1e6,
        "peak_over_raw": peak / 1e6 / raw_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", default="1,5,15,30,60")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per length (the best is kept)")
    args = parser.parse_args(argv)
    rg.analyze(long_recording(1))  # warm-up: imports, caches
    rows = []
    for minutes in map(float, args.minutes.split(",")):
        rec = long_recording(minutes)
        rows.append(measure(rec, repeat=args.repeat))
        del rec
    table = pd.DataFrame(rows)
    print("### analyze() on a foot IMU, 100 Hz six-axis\n")
    print(to_markdown(table))
    # growth: time and memory per minute of data should stay flat if both are linear
    if len(table) > 1:
        slope_t = np.polyfit(table["minutes"], table["time_s"], 1)[0]
        print(f"\ntime grows by {slope_t * 60:.2f} s per hour of data (linear fit)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
