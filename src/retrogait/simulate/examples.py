"""A tiny hand-written strides table for documentation examples and quick tests."""

from __future__ import annotations

import pandas as pd

from retrogait import schema


def example_strides() -> pd.DataFrame:
    """Eight strides: four forward walking, four backward walking (made-up, plausible values).

    Backward strides are shorter (0.9 vs 1.3 m), a little faster in cadence and longer in
    stance, and land toes-down — the pattern reported for backward walking.  Enough for a
    plot or a comparison in an example; not a simulation of any signal.

    Returns
    -------
    pandas.DataFrame
        A strides table (``schema.STRIDES_COLUMNS``) with ``direction``, ``start_s`` (s),
        ``cadence_spm``, ``stance_time_s`` (s), ``stride_length_m`` (m) and
        ``strike_angle_deg`` (deg) filled; the rest NaN / ``unknown``.

    Examples
    --------
    >>> strides = example_strides()
    >>> strides.groupby("direction")["stride_length_m"].mean().round(2).to_dict()
    {'backward': 0.9, 'forward': 1.3}
    """
    return schema.conform(pd.DataFrame({
        "direction": ["forward"] * 4 + ["backward"] * 4,
        "start_s": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        "cadence_spm": [110.0, 112.0, 111.0, 113.0, 118.0, 120.0, 119.0, 121.0],
        "stance_time_s": [0.60, 0.61, 0.59, 0.60, 0.66, 0.65, 0.67, 0.66],
        "stride_length_m": [1.30, 1.32, 1.28, 1.31, 0.90, 0.92, 0.88, 0.91],
        "strike_angle_deg": [15.0, 14.0, 16.0, 15.5, -8.0, -7.0, -9.0, -6.5],
    }), schema.STRIDES_COLUMNS)
