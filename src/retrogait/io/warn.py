"""Warnings of the readers, attributed to the caller's line rather than to retrogait's own."""

from __future__ import annotations

import sys
import warnings

from retrogait.errors import RetrogaitWarning


def warn(message: str) -> None:
    """Issue a :class:`~retrogait.errors.RetrogaitWarning` at the first frame outside ``retrogait.io``."""
    level = 2  # stacklevel 2 is the caller of warn()
    frame = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("retrogait.io"):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, RetrogaitWarning, stacklevel=level)
