"""Shared fixtures: the location of the shared reference data and small synthetic signals."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# CI runs the property tests with a fixed seed so that a submission's result does not
# depend on luck; developers' runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
# benchmarks/ holds the dataset loaders that the real-data tests share with the benchmarks.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: The shared reference recordings live next to the repository (../shared/data) unless
#: RETROGAIT_SHARED_DATA points elsewhere.
SHARED_DATA = Path(os.environ.get("RETROGAIT_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The bundled samples (data/samples)."""
    return REPO / "data" / "samples"


def make_acc_frame(n: int, *, acc_z: float = 9.80665, gyro: bool = False) -> pd.DataFrame:
    """A resting sensor: gravity on z, zeros elsewhere."""
    data = {"acc_x": np.zeros(n), "acc_y": np.zeros(n), "acc_z": np.full(n, acc_z)}
    if gyro:
        data.update({"gyr_x": np.zeros(n), "gyr_y": np.zeros(n), "gyr_z": np.zeros(n)})
    return pd.DataFrame(data)
