"""How long each tutorial notebook takes to run from top to bottom (issue 9: under a minute each).

    python benchmarks/notebooks.py [--repeat 1] [--without-shared-data]

Each notebook in ``notebooks/`` is executed with nbclient in a fresh kernel whose working
folder is ``notebooks/`` (as ``tests/test_notebooks.py`` does, which checks that they run
and what they print, not how long they take).  The time includes kernel start-up and
imports.  ``04_validation`` runs the accuracy benchmark on ``../shared/data`` when it is
there; ``--without-shared-data`` points ``RETROGAIT_SHARED_DATA`` at an absent folder, so
that it skips those cells as on a machine without the data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.accuracy import to_markdown  # noqa: E402

NOTEBOOK_DIR = HERE.parent / "notebooks"
BUDGET_S = 60.0


def run_notebook(path: Path, env: dict[str, str]) -> float:
    """Execute one notebook in a fresh kernel and return the wall time in s."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    old = dict(os.environ)
    os.environ.update(env)
    try:
        client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
        started = time.perf_counter()
        client.execute()
        return time.perf_counter() - started
    finally:
        os.environ.clear()
        os.environ.update(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook; the best is reported")
    parser.add_argument("--without-shared-data", action="store_true",
                        help="run as on a machine without ../shared/data")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {"MPLBACKEND": "Agg"}
        if args.without_shared_data:
            env["RETROGAIT_SHARED_DATA"] = str(Path(scratch) / "absent")
        for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
            times = [run_notebook(path, env) for _ in range(args.repeat)]
            best = min(times)
            rows.append({"notebook": path.name, "best_s": round(best, 1),
                         "runs": args.repeat, "within_60_s": best < BUDGET_S})
    data = "absent" if args.without_shared_data else "present if found"
    print(f"### Notebook run times (shared data: {data}; {os.cpu_count()} cores)\n")
    print(to_markdown(pd.DataFrame(rows)))


if __name__ == "__main__":
    main()
