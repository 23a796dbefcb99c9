"""Device family readers (imu)."""

from __future__ import annotations
