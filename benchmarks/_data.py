"""Where the shared reference recordings are: one definition for every loader."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path:
    """Folder of the shared recordings: ``$RETROGAIT_SHARED_DATA`` or ``<repo>/../shared/data``."""
    env = os.environ.get("RETROGAIT_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def dataset_available(name: str) -> bool:
    """True when the folder ``name`` (e.g. ``"gaitmap_example"``) exists in the shared data."""
    return (shared_data_dir() / name).is_dir()
