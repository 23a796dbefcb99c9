"""Device family readers (research)."""

from __future__ import annotations
