"""Device family readers (phones)."""

from __future__ import annotations
