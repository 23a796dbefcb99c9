"""Stride-normalised signals and gait-phase intervals (the computation behind the plots).

* :func:`normalize_strides` resamples each stride's signal (initial contact to the next
  initial contact of the same foot) onto 0–100 % of the stride by linear interpolation,
  the usual time normalisation of gait curves (e.g. Winter 1991, *The Biomechanics and
  Motor Control of Human Gait*).
* :func:`curves_by` gives the mean ± SD curve per group (e.g. forward vs backward).
* :func:`phase_intervals` and :func:`flight_intervals` give the stance / swing periods of
  each foot and the flight periods (no foot on the ground: every foot in swing).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError, RetrogaitWarning
from retrogait.recording import Recording

__all__ = ["normalize_strides", "curves_by", "curves_from_results", "phase_intervals", "flight_intervals",
           "signal_of"]

_UNNAMED_SENSORS = ("unknown", "", "None", "nan")


def signal_of(recording: Recording, signal: str) -> np.ndarray:
    """One signal of ``recording`` as a float array: a data column, ``acc_norm`` or ``gyr_norm``.

    Parameters
    ----------
    recording : Recording
        The sensor.
    signal : str
        A column of ``recording.data`` (``acc_x`` ... ``gyr_z``, or any other numeric
        column), ``acc_norm`` (Euclidean norm of the three accelerometer axes) or
        ``gyr_norm`` (of the three gyroscope axes).

    Returns
    -------
    numpy.ndarray
        Float array of ``recording.n_samples`` values in the signal's unit: m/s² for
        accelerations, deg/s for angular rates.

    Raises
    ------
    InputError
        If ``signal`` is neither a column nor a norm the recording can give (``gyr_norm``
        of a recording without gyroscope included).

    Examples
    --------
    The norm of (3, 4, 0) m/s² is 5 m/s²:

    >>> import pandas as pd
    >>> from retrogait.recording import Recording
    >>> from retrogait.normalize import signal_of
    >>> rec = Recording(pd.DataFrame({"acc_x": [3.0, 0.0], "acc_y": [4.0, 0.0], "acc_z": [0.0, 9.81]}),
    ...                 sampling_rate_hz=100.0, placement="foot", side="left")
    >>> signal_of(rec, "acc_norm").tolist(), signal_of(rec, "acc_z").tolist()
    ([5.0, 9.81], [0.0, 9.81])
    >>> signal_of(rec, "speed")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: signal: 'speed' is not a column of recording 'foot_left'; columns: ...
    """
    if signal == "acc_norm":
        return np.linalg.norm(recording.acc(), axis=1)
    if signal == "gyr_norm":
        return np.linalg.norm(recording.gyr(), axis=1)
    if signal not in recording.data.columns:
        raise InputError(
            f"signal: {signal!r} is not a column of recording {recording.name!r}; "
            f"columns: {list(map(str, recording.data.columns))} (or 'acc_norm', 'gyr_norm')"
        )
    return recording.data[signal].to_numpy(dtype=float)


def _strides_of(recording: Recording, strides: pd.DataFrame) -> pd.DataFrame:
    if "sensor" not in strides.columns:
        return strides
    sensors = strides["sensor"].astype(str)
    mine = strides[sensors == recording.name]
    if len(mine):
        return mine
    if sensors.isin(_UNNAMED_SENSORS).all():
        return strides
    raise InputError(
        f"strides: no stride of sensor {recording.name!r}; the table has sensors {sorted(sensors.unique())}"
    )


def normalize_strides(
    recording: Recording, strides: pd.DataFrame, *, signal: str = "acc_norm", n_points: int = 101
) -> pd.DataFrame:
    """Resample each stride of ``recording`` onto ``n_points`` points from 0 to 100 % of the stride.

    Parameters
    ----------
    recording : Recording
        The sensor the strides were found in.
    strides : DataFrame
        Strides table (``start_sample``, ``end_sample``; rows of other sensors are left
        out by the ``sensor`` column).
    signal : str
        A column of ``recording.data`` (``acc_z``, ``gyr_y``, ...) or ``acc_norm`` /
        ``gyr_norm``; the unit is the signal's (m/s² or deg/s).
    n_points : int
        Points per stride (101 gives 1 % steps).

    Returns
    -------
    DataFrame
        Index ``stride_id`` (or the row position), columns the percent of the stride
        (floats 0 … 100), values the interpolated signal.

    Raises
    ------
    InputError
        If a column is missing, ``n_points`` < 2, or no stride belongs to this sensor.

    Warns
    -----
    RetrogaitWarning
        For strides that do not lie inside the recording (they are left out).

    References
    ----------
    Time normalisation of gait curves to 0-100 % of the stride: Winter 1991, *The
    Biomechanics and Motor Control of Human Gait*.

    Examples
    --------
    A vertical acceleration of 9.81 + 2 sin(2 pi phase) m/s², one cycle per stride, with a
    1.0 s stride (100 samples at 100 Hz) followed by a 0.8 s stride (80 samples).  After
    time normalisation both strides give the same curve: the peak at 25 %, the trough at
    75 %:

    >>> import numpy as np
    >>> import pandas as pd
    >>> from retrogait.recording import Recording
    >>> from retrogait.normalize import normalize_strides
    >>> phase = np.concatenate([np.arange(100) / 100, np.arange(81) / 80])
    >>> acc_z = 9.81 + 2.0 * np.sin(2 * np.pi * phase)
    >>> rec = Recording(pd.DataFrame({"acc_x": 0.0, "acc_y": 0.0, "acc_z": acc_z}), sampling_rate_hz=100.0)
    >>> strides = pd.DataFrame({"stride_id": [1, 2], "start_sample": [0, 100], "end_sample": [100, 180]})
    >>> curves = normalize_strides(rec, strides, signal="acc_z", n_points=5)
    >>> curves.index.tolist(), curves.columns.tolist()
    ([1, 2], [0.0, 25.0, 50.0, 75.0, 100.0])
    >>> np.round(curves.to_numpy(), 3).tolist()
    [[9.81, 11.81, 9.81, 7.81, 9.81], [9.81, 11.81, 9.81, 7.81, 9.81]]

    A stride that runs past the end of the recording is left out, with a warning:

    >>> import warnings
    >>> late = pd.DataFrame({"start_sample": [0, 150], "end_sample": [100, 250]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     kept = normalize_strides(rec, late, signal="acc_z")
    >>> kept.shape, [type(w.message).__name__ for w in caught]
    ((1, 101), ['RetrogaitWarning'])
    >>> normalize_strides(rec, strides, n_points=1)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: n_points: expected at least 2, found 1
    """
    if n_points < 2:
        raise InputError(f"n_points: expected at least 2, found {n_points!r}")
    for column in ("start_sample", "end_sample"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    mine = _strides_of(recording, strides)
    values = signal_of(recording, signal)
    start = mine["start_sample"].to_numpy(dtype=float)
    end = mine["end_sample"].to_numpy(dtype=float)
    inside = (start >= 0) & (end <= recording.n_samples - 1) & (end > start)
    if not inside.all():
        warnings.warn(
            f"normalize_strides: {int((~inside).sum())} stride(s) outside recording {recording.name!r} "
            f"(0 to {recording.n_samples - 1} samples) left out",
            RetrogaitWarning,
            stacklevel=2,
        )
    frac = np.linspace(0.0, 1.0, n_points)
    positions = start[inside, None] + frac[None, :] * (end[inside] - start[inside])[:, None]
    curves = np.interp(positions.ravel(), np.arange(values.size), values).reshape(positions.shape)
    index = mine["stride_id"].to_numpy()[inside] if "stride_id" in mine.columns else np.flatnonzero(inside)
    return pd.DataFrame(curves, index=pd.Index(index, name="stride_id"), columns=100.0 * frac)


def curves_by(normalized: pd.DataFrame, strides: pd.DataFrame, *, by: str = "direction") -> pd.DataFrame:
    """Mean and SD of stride-normalised curves per level of ``by``.

    Parameters
    ----------
    normalized : DataFrame
        Output of :func:`normalize_strides` (index ``stride_id``).
    strides : DataFrame
        Strides table (``schema.STRIDES_COLUMNS``, or any table) with ``stride_id`` and
        ``by``; strides of ``normalized`` that it does not list belong to no group.
    by : str, default ``"direction"``
        Grouping column (``direction``, ``side``, ``condition``, ...); its values are
        compared as text.

    Returns
    -------
    DataFrame
        Tidy: ``group, pct, mean, sd, n`` (SD with ddof = 1; NaN for a single stride),
        one row per group and percent of the stride, groups in sorted order; ``pct`` in
        % of the stride, ``mean`` and ``sd`` in the signal's unit, ``n`` the number of
        strides of the group.

    Raises
    ------
    InputError
        If ``by`` or ``stride_id`` is not a column of ``strides``.

    Examples
    --------
    Two forward strides peaking at 1 and 3 and one backward stride peaking at 5: at 50 %
    the forward mean is 2 with SD sqrt(2) = 1.414; one backward stride has no SD:

    >>> import pandas as pd
    >>> from retrogait.normalize import curves_by
    >>> normalized = pd.DataFrame([[0.0, 1.0, 0.0], [0.0, 3.0, 0.0], [0.0, 5.0, 0.0]],
    ...                           index=pd.Index([1, 2, 3], name="stride_id"), columns=[0.0, 50.0, 100.0])
    >>> strides = pd.DataFrame({"stride_id": [1, 2, 3], "direction": ["forward", "forward", "backward"]})
    >>> curves = curves_by(normalized, strides, by="direction")
    >>> curves.round(3)
          group    pct  mean     sd  n
    0  backward    0.0   0.0    NaN  1
    1  backward   50.0   5.0    NaN  1
    2  backward  100.0   0.0    NaN  1
    3   forward    0.0   0.0  0.000  2
    4   forward   50.0   2.0  1.414  2
    5   forward  100.0   0.0  0.000  2
    >>> curves_by(normalized, strides, by="speed")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: strides: missing column 'speed'; found ['stride_id', 'direction']
    """
    for column in (by, "stride_id"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    labels = strides.drop_duplicates("stride_id").set_index("stride_id")[by].astype(str)
    groups = labels.reindex(normalized.index)
    rows = []
    for group in sorted(groups.dropna().unique()):
        block = normalized[(groups == group).to_numpy()].to_numpy(dtype=float)
        sd = block.std(axis=0, ddof=1) if len(block) > 1 else np.full(block.shape[1], np.nan)
        rows.append(pd.DataFrame({"group": group, "pct": normalized.columns.to_numpy(dtype=float),
                                  "mean": block.mean(axis=0), "sd": sd, "n": len(block)}))
    if not rows:
        return pd.DataFrame({"group": pd.Series(dtype=object), "pct": pd.Series(dtype=float),
                             "mean": pd.Series(dtype=float), "sd": pd.Series(dtype=float),
                             "n": pd.Series(dtype="int64")})
    return pd.concat(rows, ignore_index=True)


def curves_from_results(
    results: Any, *, by: str = "condition", signal: str = "acc_norm", n_points: int = 101
) -> pd.DataFrame:
    """Mean ± SD stride curves per group from analysis results (first sensor with strides of each).

    Parameters
    ----------
    results : AnalysisResult, or a list / dict of them
        Objects with ``.strides``, ``.recordings`` and ``.meta``.
    by : str, default ``"condition"``
        Group of a stride: its ``by`` column when the strides table has one (e.g.
        ``"direction"``), else the result's ``meta[by]``, else the dict key (``result0``,
        ``result1``, ... for a list).
    signal : str, default ``"acc_norm"``
        As in :func:`normalize_strides` (m/s² or deg/s).
    n_points : int, default 101
        As in :func:`normalize_strides`.

    Returns
    -------
    DataFrame
        As :func:`curves_by` (``group, pct, mean, sd, n``); empty when no result has
        strides.

    Examples
    --------
    Any object with ``strides``, ``recordings`` and ``meta`` works; here two stand-ins for
    analysis results, keyed by condition, whose vertical acceleration swings by 2 and by
    1 m/s² around 9.81 m/s² over each 1 s stride:

    >>> from types import SimpleNamespace
    >>> import numpy as np
    >>> import pandas as pd
    >>> from retrogait.recording import Recording
    >>> from retrogait.normalize import curves_from_results
    >>> def result(amplitude):
    ...     acc_z = 9.81 + amplitude * np.sin(2 * np.pi * np.arange(201) / 100)
    ...     rec = Recording(pd.DataFrame({"acc_x": 0.0, "acc_y": 0.0, "acc_z": acc_z}),
    ...                     sampling_rate_hz=100.0, placement="foot", side="left")
    ...     strides = pd.DataFrame({"stride_id": [0, 1], "sensor": "foot_left",
    ...                             "start_sample": [0, 100], "end_sample": [100, 200]})
    ...     return SimpleNamespace(strides=strides, recordings={rec.name: rec}, meta={})
    >>> curves = curves_from_results({"forward": result(2.0), "backward": result(1.0)},
    ...                              by="condition", signal="acc_z", n_points=5)
    >>> peak = curves[curves["pct"] == 25.0]
    >>> peak["group"].tolist(), peak["mean"].round(3).tolist(), peak["n"].tolist()
    (['backward', 'forward'], [10.81, 11.81], [2, 2])
    """
    if isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, Sequence) and not isinstance(results, str):
        items = [(f"result{i}", v) for i, v in enumerate(results)]
    else:
        items = [("result0", results)]
    parts_norm, parts_strides = [], []
    for key, item in items:
        strides = getattr(item, "strides", None)
        if not isinstance(strides, pd.DataFrame) or not len(strides):
            continue
        meta = getattr(item, "meta", None) or {}
        for rec in (getattr(item, "recordings", None) or {}).values():
            mine = strides[strides["sensor"].astype(str) == rec.name] if "sensor" in strides.columns else strides
            if not len(mine):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RetrogaitWarning)
                norm = normalize_strides(rec, mine, signal=signal, n_points=n_points)
            ids = pd.Index([f"{key}:{i}" for i in norm.index], name="stride_id")
            parts_norm.append(norm.set_axis(ids, axis=0))
            labelled = mine.assign(stride_id=[f"{key}:{i}" for i in mine["stride_id"]])
            if by not in labelled.columns:
                labelled = labelled.assign(**{by: str(meta.get(by, key))})
            parts_strides.append(labelled[["stride_id", by]])
            break
    if not parts_norm:
        return curves_by(pd.DataFrame(), pd.DataFrame({"stride_id": [], by: []}), by=by)
    return curves_by(pd.concat(parts_norm), pd.concat(parts_strides, ignore_index=True), by=by)


def _foot_key(strides: pd.DataFrame) -> pd.Series:
    side = strides["side"].astype(object) if "side" in strides.columns else pd.Series(None, index=strides.index)
    sensor = strides["sensor"].astype(str) if "sensor" in strides.columns else pd.Series("", index=strides.index)
    return pd.Series(
        [str(s) if s in ("left", "right") else str(n) for s, n in zip(side, sensor, strict=True)],
        index=strides.index,
    )


def phase_intervals(strides: pd.DataFrame) -> pd.DataFrame:
    """Stance and swing intervals of every stride with a final contact.

    Stance runs from ``start_s`` (initial contact) to ``fc_s`` (final contact), swing from
    ``fc_s`` to ``end_s``.  Strides without ``fc_s`` give no interval.

    Parameters
    ----------
    strides : DataFrame
        Strides table (``schema.STRIDES_COLUMNS``) with at least ``start_s``, ``fc_s``
        and ``end_s`` (s); ``side``, ``sensor`` and ``stride_id`` are used when present.

    Returns
    -------
    DataFrame
        ``foot`` (side, or the sensor when there is no side), ``phase`` (stance/swing),
        ``start_s``, ``end_s`` (s), ``stride_id`` (the row position when the table has
        no ``stride_id``); two rows per stride, sorted by foot and time.

    Raises
    ------
    InputError
        If ``start_s``, ``end_s`` or ``fc_s`` is not a column of ``strides``.

    Examples
    --------
    Running at 1 s strides with 0.35 s of contact, the right foot half a stride after the
    left:

    >>> import pandas as pd
    >>> from retrogait.normalize import phase_intervals
    >>> run = pd.DataFrame({"side": ["left", "right", "left", "right"], "start_s": [0.0, 0.5, 1.0, 1.5],
    ...                     "fc_s": [0.35, 0.85, 1.35, 1.85], "end_s": [1.0, 1.5, 2.0, 2.5]})
    >>> phase_intervals(run)
        foot   phase  start_s  end_s  stride_id
    0   left  stance     0.00   0.35          0
    1   left   swing     0.35   1.00          0
    2   left  stance     1.00   1.35          2
    3   left   swing     1.35   2.00          2
    4  right  stance     0.50   0.85          1
    5  right   swing     0.85   1.50          1
    6  right  stance     1.50   1.85          3
    7  right   swing     1.85   2.50          3
    """
    for column in ("start_s", "end_s", "fc_s"):
        if column not in strides.columns:
            raise InputError(f"strides: missing column {column!r}; found {list(strides.columns)}")
    ok = strides[np.isfinite(strides["fc_s"].to_numpy(dtype=float))]
    foot = _foot_key(ok)
    ids = ok["stride_id"].to_numpy() if "stride_id" in ok.columns else np.arange(len(ok))
    stance = pd.DataFrame({"foot": foot.to_numpy(), "phase": "stance", "start_s": ok["start_s"].to_numpy(float),
                           "end_s": ok["fc_s"].to_numpy(float), "stride_id": ids})
    swing = pd.DataFrame({"foot": foot.to_numpy(), "phase": "swing", "start_s": ok["fc_s"].to_numpy(float),
                          "end_s": ok["end_s"].to_numpy(float), "stride_id": ids})
    out = pd.concat([stance, swing], ignore_index=True)
    return out.sort_values(["foot", "start_s", "phase"], kind="stable").reset_index(drop=True)


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def flight_intervals(strides: pd.DataFrame) -> pd.DataFrame:
    """Flight periods: times when every foot is in swing (needs strides of ≥ 2 feet).

    Parameters
    ----------
    strides : DataFrame
        Strides table of both feet, as for :func:`phase_intervals` (``start_s``, ``fc_s``,
        ``end_s`` in s; feet told apart by ``side``, else ``sensor``).

    Returns
    -------
    DataFrame
        ``start_s, end_s, duration_s`` (s), one row per flight in time order; empty when
        fewer than two feet are present or the feet are never in swing together.

    Raises
    ------
    InputError
        If ``start_s``, ``end_s`` or ``fc_s`` is not a column of ``strides`` (from
        :func:`phase_intervals`).

    Examples
    --------
    Running with a step every 0.5 s and 0.35 s of contact leaves 0.5 - 0.35 = 0.15 s of
    flight per step; walking with 0.6 s of contact has none (double support instead):

    >>> import pandas as pd
    >>> from retrogait.normalize import flight_intervals
    >>> run = pd.DataFrame({"side": ["left", "right", "left", "right"], "start_s": [0.0, 0.5, 1.0, 1.5],
    ...                     "fc_s": [0.35, 0.85, 1.35, 1.85], "end_s": [1.0, 1.5, 2.0, 2.5]})
    >>> flight_intervals(run).round(3).to_numpy().tolist()
    [[0.85, 1.0, 0.15], [1.35, 1.5, 0.15], [1.85, 2.0, 0.15]]
    >>> walk = run.assign(fc_s=run["start_s"] + 0.6)
    >>> len(flight_intervals(walk))
    0
    """
    phases = phase_intervals(strides)
    swing = phases[phases["phase"] == "swing"]
    feet = sorted(swing["foot"].unique())
    empty = pd.DataFrame({"start_s": pd.Series(dtype=float), "end_s": pd.Series(dtype=float),
                          "duration_s": pd.Series(dtype=float)})
    if len(feet) < 2:
        return empty
    common: list[tuple[float, float]] | None = None
    for foot in feet:
        block = swing[swing["foot"] == foot].sort_values("start_s")
        intervals = list(zip(block["start_s"].to_numpy(float), block["end_s"].to_numpy(float), strict=True))
        common = intervals if common is None else _intersect(common, intervals)
    if not common:
        return empty
    arr = np.asarray(common, dtype=float)
    return pd.DataFrame({"start_s": arr[:, 0], "end_s": arr[:, 1], "duration_s": arr[:, 1] - arr[:, 0]})
