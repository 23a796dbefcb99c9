"""Trunk inclination per stride from a lower-back accelerometer (``trunk_tilt_deg``).

Method (static-tilt inclinometry, the accelerometer used as an inclinometer: the mean
specific force over a period with no net change of velocity is gravity seen in the
sensor frame; e.g. Moe-Nilssen 1998, *Clin Biomech* 13:320, who uses this to find the
trunk inclination of a lower-back accelerometer during walking):

1. **Upright reference.**  The rest periods of the recording are the stretches between
   the active periods of :func:`retrogait.bouts.detect_activity`; those of at least
   ``min_rest_s`` (2 s) give one mean acceleration vector each.  Rest periods whose
   vector lies more than ``max_standing_deviation_deg`` (20 deg) from the walking
   posture of the same recording (the mean direction of its strides' vectors) are taken
   for sitting or lying and left out: sitting rotates the pelvis backward by about
   30 deg relative to standing (Keegan 1953, *J Bone Joint Surg Am* 35:589; value from
   memory, not re-read), while the forward lean of walking is a few degrees.  The mean
   acceleration over all samples of the remaining rest periods is the standing
   reference ``g_stand``.
2. **Per stride.**  The mean acceleration ``g_i`` over the samples of stride ``i``
   (initial contact to the next initial contact of the same foot).  With the speed
   steady over the stride the linear acceleration averages out and ``g_i`` is gravity
   in the sensor frame.
3. ``trunk_tilt_deg`` = angle between ``g_i`` and ``g_stand`` (deg, 0-180).

The angle between two vectors measured in the same sensor frame does not depend on
how the sensor is mounted, so no axis convention and no calibration of the mounting
is needed.

Assumptions and limits
----------------------
* **Unsigned.**  The angle says how far the trunk (the sensor) deviates from its
  standing orientation, not in which direction: forward and backward lean of the
  same size give the same value, and sideways lean counts as well.  The sign of the
  sagittal lean needs the anterior axis of the sensor, which a lone accelerometer does
  not give.
* **The rest periods are standing.**  Rest periods within 20 deg of the walking posture
  are assumed to be standing; a recording that starts seated and never stands still
  for 2 s has no valid reference (NaN).  Tilts of the walking posture beyond about
  20 deg from standing cannot be told from sitting and leave the reference out.
* **Speed steady over the stride.**  A change of speed ``dv`` over a stride of duration
  ``T`` adds ``dv / T`` to ``g_i``: speeding up from rest to 1.2 m/s within one 1.1 s
  stride tilts the vector by about 6 deg.  Therefore the first and the last stride of
  each chain of strides (a stride whose initial contact ends no other stride of the
  sensor, or whose closing contact starts none: gait initiation and termination) are
  left NaN by default (``exclude_chain_ends``).  Speed changes within a walk, strides on
  stairs or slopes still read too high, and turns add a centripetal acceleration
  ``v**2 / r`` (1.2 m/s on a 2 m radius: about 4 deg).
* **The sensor follows the trunk.**  A sensor that slides or rocks on the skin or the
  belt, or is knocked between the rest period and the walk, changes ``g_i`` without
  any change of posture.  The value is the inclination of the sensor at L4-S1 (pelvis
  and lumbar spine), not of the thorax.
* **Biased upward near 0.**  An angle between two vectors is never negative, so the
  trunk's rocking within the stride and noise give a few tenths of a degree in an
  upright walk (about 1 deg in simulated running) where the truth is 0.
* An accelerometer offset ``b`` (m/s^2, the same while standing and walking) mostly
  cancels: it changes the angle by about the fraction ``b / g`` of the angle itself.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from retrogait import bouts as bouts_mod
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.recording import Recording

__all__ = ["MIN_REST_S", "MAX_STANDING_DEVIATION_DEG", "TRUNK_PLACEMENTS", "rest_periods", "standing_periods",
           "standing_reference",
           "chain_ends", "trunk_tilt", "add_posture"]

#: Shortest rest period (s) that gives an upright reference: long enough to average out
#: postural sway (its dominant frequencies are below 1 Hz) over a few cycles.
MIN_REST_S = 2.0

#: Largest angle (deg) between a rest period and the walking posture for the rest period
#: to count as standing: sitting rotates the pelvis back about 30 deg (Keegan 1953), the
#: walking trunk leans forward a few degrees; 20 deg lies between the two.
MAX_STANDING_DEVIATION_DEG = 20.0

#: Placements whose sensor sits on the trunk and gives ``trunk_tilt_deg``.
TRUNK_PLACEMENTS = ("lower_back",)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle (deg) between the rows of ``a`` and the vector ``b`` (NaN for a zero vector)."""
    a = np.atleast_2d(a)
    na = np.linalg.norm(a, axis=1)
    nb = float(np.linalg.norm(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = (a @ b) / (na * nb)
        # atan2 of |a x b| and a . b keeps full precision for small angles (arccos does not)
        sin = np.linalg.norm(np.cross(a, b), axis=1) / (na * nb)
    return np.degrees(np.arctan2(sin, cos))


def _check_positive(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and np.isfinite(value) and value > 0):
        raise InputError(f"{name}: expected a positive number, found {value!r}")


def rest_periods(rec: Recording, *, activity: pd.DataFrame | None = None,
                 min_rest_s: float = MIN_REST_S) -> pd.DataFrame:
    """The stretches of ``rec`` without movement that last at least ``min_rest_s``.

    Parameters
    ----------
    rec : Recording
        Any placement.
    activity : pandas.DataFrame, optional
        Active periods (``start_sample``, ``end_sample``) as returned by
        :func:`retrogait.bouts.detect_activity`; computed with its defaults when not given.
    min_rest_s : float
        Shortest rest period kept, in s.

    Returns
    -------
    pandas.DataFrame
        One row per rest period: ``start_sample``, ``end_sample`` (exclusive),
        ``start_s``, ``end_s``, and ``acc_x``, ``acc_y``, ``acc_z``: the mean
        acceleration over the period in m/s^2.

    Raises
    ------
    InputError
        If ``min_rest_s`` is not positive, or ``activity`` lacks ``start_sample`` /
        ``end_sample``.

    Examples
    --------
    Three seconds of standing, four of movement, three of standing:

    >>> import numpy as np, pandas as pd
    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> z = 9.81 + np.where((t > 3) & (t < 7), 3 * np.sin(2 * np.pi * 2 * t), 0.0)
    >>> rec = Recording(pd.DataFrame({"acc_x": 0 * t, "acc_y": 0 * t, "acc_z": z}), fs)
    >>> rest = rest_periods(rec)
    >>> len(rest), rest["acc_z"].round(2).tolist()
    (2, [9.81, 9.81])
    >>> bool(rest.loc[0, "end_s"] <= 3.0 and rest.loc[1, "start_s"] >= 7.0)
    True
    """
    _check_positive("min_rest_s", min_rest_s)
    if activity is None:
        activity = bouts_mod.detect_activity(rec)
    missing = [c for c in ("start_sample", "end_sample") if c not in activity.columns]
    if missing:
        raise InputError(f"activity: missing column(s) {missing}; found {list(activity.columns)}")
    fs = rec.sampling_rate_hz
    n = rec.n_samples
    moving = np.zeros(n, dtype=bool)
    for a, b in zip(activity["start_sample"].to_numpy(np.int64), activity["end_sample"].to_numpy(np.int64),
                    strict=True):
        moving[max(int(a), 0):min(int(b), n)] = True
    padded = np.concatenate([[False], ~moving, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    acc = rec.acc()
    rows = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if b - a < min_rest_s * fs:
            continue
        mean = np.nanmean(acc[a:b], axis=0)
        rows.append({"start_sample": int(a), "end_sample": int(b), "start_s": a / fs, "end_s": b / fs,
                     "acc_x": mean[0], "acc_y": mean[1], "acc_z": mean[2]})
    columns = {"start_sample": "int64", "end_sample": "int64", "start_s": "float64", "end_s": "float64",
               "acc_x": "float64", "acc_y": "float64", "acc_z": "float64"}
    out = pd.DataFrame(rows, columns=list(columns))
    return out.astype(columns)


def _stride_means(rec: Recording, strides: pd.DataFrame) -> np.ndarray:
    missing = [c for c in ("start_sample", "end_sample") if c not in strides.columns]
    if missing:
        raise InputError(f"strides table is missing column(s) {missing}; found {list(strides.columns)}")
    acc = rec.acc()
    n = rec.n_samples
    out = np.full((len(strides), 3), np.nan)
    starts = strides["start_sample"].to_numpy(np.int64)
    ends = strides["end_sample"].to_numpy(np.int64)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        a, b = max(int(a), 0), min(int(b), n)
        if b > a:
            out[i] = np.nanmean(acc[a:b], axis=0)
    return out


def standing_periods(rec: Recording, strides: pd.DataFrame, *, activity: pd.DataFrame | None = None,
                     min_rest_s: float = MIN_REST_S,
                     max_standing_deviation_deg: float = MAX_STANDING_DEVIATION_DEG) -> pd.DataFrame:
    """The rest periods of ``rec``, each marked as standing or not (sitting, lying).

    Parameters
    ----------
    rec : Recording
        The recording.
    strides : pandas.DataFrame
        Strides of ``rec`` (``start_sample``, ``end_sample``): the mean direction of their
        mean accelerations is the walking posture.
    activity : pandas.DataFrame, optional
        Active periods from :func:`retrogait.bouts.detect_activity` (computed when not given).
    min_rest_s : float
        Shortest rest period, in s.
    max_standing_deviation_deg : float
        Largest angle (deg) from the walking posture of a standing rest period.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`rest_periods`, ``deviation_deg`` (angle between the rest
        period's mean acceleration and the walking posture, deg; NaN without strides) and
        ``standing`` (bool: ``deviation_deg <= max_standing_deviation_deg``, every rest
        period when there are no strides).

    Raises
    ------
    InputError
        If an option is not positive or a needed column is missing.

    Examples
    --------
    Standing before a simulated walk, then 3 s with the sensor tilted 40 deg (as when
    seated):

    >>> import numpy as np
    >>> import retrogait as rg
    >>> sim = rg.simulate.simulate_gait(placement="lower_back", n_strides=8, sampling_rate_hz=100.0,
    ...                                 rest_before_s=3.0, rest_after_s=3.0, seed=1)
    >>> data = sim.recording.data.copy()
    >>> end = data.index >= len(data) - 300
    >>> tilt = np.deg2rad(40.0)
    >>> data.loc[end, "acc_x"], data.loc[end, "acc_z"] = 9.81 * np.sin(tilt), 9.81 * np.cos(tilt)
    >>> rest = standing_periods(sim.recording.replace(data=data), sim.strides)
    >>> rest["standing"].tolist(), rest["deviation_deg"].round(-1).tolist()
    ([True, False], [0.0, 40.0])
    """
    _check_positive("min_rest_s", min_rest_s)
    _check_positive("max_standing_deviation_deg", max_standing_deviation_deg)
    rest = rest_periods(rec, activity=activity, min_rest_s=min_rest_s)
    vectors = rest[["acc_x", "acc_y", "acc_z"]].to_numpy(float)
    deviation = np.full(len(rest), np.nan)
    means = _stride_means(rec, strides)
    finite = np.isfinite(means).all(axis=1)
    if finite.any() and len(rest):
        unit = means[finite] / np.linalg.norm(means[finite], axis=1, keepdims=True)
        deviation = _angle_deg(vectors, unit.mean(axis=0))
    standing = np.where(np.isnan(deviation), True, deviation <= max_standing_deviation_deg)
    return rest.assign(deviation_deg=deviation.astype(float), standing=standing.astype(bool))


def standing_reference(rec: Recording, strides: pd.DataFrame, *, activity: pd.DataFrame | None = None,
                       min_rest_s: float = MIN_REST_S,
                       max_standing_deviation_deg: float = MAX_STANDING_DEVIATION_DEG) -> np.ndarray:
    """Mean acceleration (m/s^2, sensor frame) over the standing rest periods of ``rec``.

    Parameters
    ----------
    rec : Recording
        The recording (any placement; the choice of rest periods assumes a trunk sensor).
    strides : pandas.DataFrame
        Strides of ``rec`` (``start_sample``, ``end_sample``): their mean direction is the
        walking posture that standing rest periods must lie near.
    activity : pandas.DataFrame, optional
        Active periods from :func:`retrogait.bouts.detect_activity` (computed when not given).
    min_rest_s : float
        Shortest rest period used, in s (default 2 s).
    max_standing_deviation_deg : float
        Rest periods farther than this (deg) from the walking posture are taken for
        sitting or lying and left out.

    Returns
    -------
    numpy.ndarray of shape (3,)
        The reference vector in m/s^2, or NaN (with a warning) when no rest period
        qualifies.

    Raises
    ------
    InputError
        If an option is not positive or a needed column is missing.

    Warns
    -----
    RetrogaitWarning
        No rest period of ``min_rest_s``, or none within ``max_standing_deviation_deg``
        of the walking posture.

    Examples
    --------
    A simulated lower-back walk with 3 s of standing before and after it; the reference
    is gravity along the sensor's vertical axis:

    >>> import retrogait as rg
    >>> sim = rg.simulate.simulate_gait(placement="lower_back", n_strides=8, sampling_rate_hz=100.0,
    ...                                 rest_before_s=3.0, rest_after_s=3.0, seed=1)
    >>> ref = standing_reference(sim.recording, sim.strides)
    >>> (ref.round(1) + 0.0).tolist()
    [0.0, 0.0, 9.8]
    """
    nan = np.full(3, np.nan)
    rest = standing_periods(rec, strides, activity=activity, min_rest_s=min_rest_s,
                            max_standing_deviation_deg=max_standing_deviation_deg)
    if rest.empty:
        warnings.warn(
            f"{rec.name}: no rest period of at least {min_rest_s:g} s (standing still) in "
            f"{rec.duration_s:.1f} s; trunk_tilt_deg needs one as its upright reference and is NaN",
            RetrogaitWarning, stacklevel=3,
        )
        return nan
    if not rest["standing"].any():
        warnings.warn(
            f"{rec.name}: none of the {len(rest)} rest period(s) of at least {min_rest_s:g} s lies within "
            f"{max_standing_deviation_deg:g} deg of the walking posture (sitting or lying?); trunk_tilt_deg "
            "needs a standing period as its upright reference and is NaN",
            RetrogaitWarning, stacklevel=3,
        )
        return nan
    acc = rec.acc()
    chosen = rest[rest["standing"]]
    samples = np.concatenate([acc[a:b] for a, b in zip(chosen["start_sample"], chosen["end_sample"], strict=True)])
    return np.nanmean(samples, axis=0)


def chain_ends(strides: pd.DataFrame) -> np.ndarray:
    """True for the strides that start or end a chain of strides (gait initiation, termination).

    A stride runs from an initial contact to the next initial contact of the same foot,
    so in a walk each stride's closing contact opens the foot's next stride.  A stride
    whose ``start_sample`` closes no other stride of the table, or whose ``end_sample``
    opens none, is the first or the last of its chain: the speed changes within it.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides of one sensor with ``start_sample`` and ``end_sample``.

    Returns
    -------
    numpy.ndarray of bool, shape (len(strides),)
        True for strides at the start or end of a chain of consecutive strides.

    Raises
    ------
    InputError
        If a column is missing.

    Examples
    --------
    Two feet, three strides each, the right foot half a stride later:

    >>> import pandas as pd
    >>> st = pd.DataFrame({"start_sample": [0, 50, 100, 150, 200, 250],
    ...                    "end_sample": [100, 150, 200, 250, 300, 350]})
    >>> chain_ends(st).tolist()
    [True, True, False, False, True, True]
    """
    missing = [c for c in ("start_sample", "end_sample") if c not in strides.columns]
    if missing:
        raise InputError(f"strides table is missing column(s) {missing}; found {list(strides.columns)}")
    starts = strides["start_sample"].to_numpy(np.int64)
    ends = strides["end_sample"].to_numpy(np.int64)
    return ~np.isin(starts, ends) | ~np.isin(ends, starts)


def trunk_tilt(strides: pd.DataFrame, rec: Recording, *, activity: pd.DataFrame | None = None,
               min_rest_s: float = MIN_REST_S,
               max_standing_deviation_deg: float = MAX_STANDING_DEVIATION_DEG,
               exclude_chain_ends: bool = True) -> np.ndarray:
    """Trunk inclination of each stride relative to standing (deg, unsigned).

    The angle between the mean acceleration over the stride and the mean acceleration
    over the recording's standing rest periods (module notes: method, assumptions and
    limits).

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides of ``rec`` with ``start_sample`` and ``end_sample`` (every row is used).
    rec : Recording
        A lower-back recording (placement ``lower_back``).
    activity : pandas.DataFrame, optional
        Active periods from :func:`retrogait.bouts.detect_activity` (computed with its
        defaults when not given).
    min_rest_s : float
        Shortest rest period used as the upright reference, in s.
    max_standing_deviation_deg : float
        Rest periods farther than this (deg) from the walking posture do not count as
        standing.
    exclude_chain_ends : bool
        Leave the first and last stride of each chain (:func:`chain_ends`) NaN: the
        speed changes within them, which the method cannot tell from a tilt.

    Returns
    -------
    numpy.ndarray of float, shape (len(strides),)
        Tilt in deg (0 = as when standing), NaN when not measured.

    Raises
    ------
    InputError
        If a column is missing or an option is not positive.

    Warns
    -----
    RetrogaitWarning
        When ``rec`` is not a trunk sensor, or has no standing rest period of
        ``min_rest_s``: all values are NaN then.

    References
    ----------
    Moe-Nilssen R (1998). A new method for evaluating motor control in gait under
    real-life environmental conditions. Part 1: The instrument. *Clin Biomech*
    13:320-327 (trunk inclination from the mean of a lower-back accelerometer's signal;
    here the standing rest periods of the same recording replace a separate static
    calibration, and the angle is taken unsigned between two vectors instead of per
    axis).

    Examples
    --------
    A simulated lower-back walk, standing before and after: walking upright gives a tilt
    near 0 deg.

    >>> import numpy as np
    >>> import retrogait as rg
    >>> sim = rg.simulate.simulate_gait(placement="lower_back", n_strides=10, sampling_rate_hz=100.0,
    ...                                 rest_before_s=3.0, rest_after_s=3.0, seed=2)
    >>> tilt = trunk_tilt(sim.strides, sim.recording)
    >>> bool(np.nanmedian(tilt) < 1.0), int(np.isnan(tilt).sum())  # the 2 first and 2 last strides: NaN
    (True, 4)
    """
    if not isinstance(strides, pd.DataFrame):
        raise TypeError(f"trunk_tilt: strides must be a DataFrame, found {type(strides).__name__}")
    _check_positive("min_rest_s", min_rest_s)
    _check_positive("max_standing_deviation_deg", max_standing_deviation_deg)
    means = _stride_means(rec, strides)
    out = np.full(len(strides), np.nan)
    if rec.placement not in TRUNK_PLACEMENTS:
        warnings.warn(
            f"{rec.name}: trunk_tilt_deg needs a trunk sensor (placement {' or '.join(TRUNK_PLACEMENTS)}), "
            f"found placement {rec.placement!r}; the values are NaN",
            RetrogaitWarning, stacklevel=2,
        )
        return out
    if len(strides) == 0:
        return out
    reference = standing_reference(rec, strides, activity=activity, min_rest_s=min_rest_s,
                                   max_standing_deviation_deg=max_standing_deviation_deg)
    if not np.isfinite(reference).all():
        return out
    finite = np.isfinite(means).all(axis=1)
    if exclude_chain_ends:
        finite &= ~chain_ends(strides)
    out[finite] = _angle_deg(means[finite], reference)
    return out


def add_posture(strides: pd.DataFrame, rec: Recording, *, activity: pd.DataFrame | None = None,
                min_rest_s: float = MIN_REST_S,
                max_standing_deviation_deg: float = MAX_STANDING_DEVIATION_DEG,
                exclude_chain_ends: bool = True) -> pd.DataFrame:
    """Fill the ``trunk_tilt_deg`` column for the strides of a lower-back recording.

    Parameters
    ----------
    strides : pandas.DataFrame
        Strides table with ``sensor``, ``start_sample``, ``end_sample``; only rows whose
        ``sensor`` is ``rec.name`` change.
    rec : Recording
        The recording the strides come from.
    activity : pandas.DataFrame, optional
        Active periods from :func:`retrogait.bouts.detect_activity` (as :func:`analyze`
        computed them); computed with its defaults when not given.
    min_rest_s : float
        Shortest rest period used as the upright reference, in s (as in
        :func:`trunk_tilt`).
    max_standing_deviation_deg : float
        Rest periods farther than this from the walking posture, in deg, do not count as
        standing (as in :func:`trunk_tilt`).
    exclude_chain_ends : bool
        As in :func:`trunk_tilt`.

    Returns
    -------
    pandas.DataFrame
        A new strides table with a float ``trunk_tilt_deg`` column (deg).  Recordings of
        other placements leave it NaN without a warning: the tilt is not measured there.

    Raises
    ------
    TypeError
        If ``strides`` is not a DataFrame.
    InputError
        If a column is missing or an option is not positive.

    Warns
    -----
    RetrogaitWarning
        A lower-back recording without a standing rest period of ``min_rest_s``.

    Examples
    --------
    >>> import retrogait as rg
    >>> from retrogait.events import detect_events
    >>> from retrogait.strides import strides_from_events
    >>> sim = rg.simulate.simulate_gait(placement="lower_back", n_strides=10, sampling_rate_hz=100.0,
    ...                                 rest_before_s=3.0, rest_after_s=3.0, seed=3)
    >>> st = strides_from_events(detect_events(sim.recording), 100.0).assign(sensor=sim.recording.name)
    >>> out = add_posture(st, sim.recording)
    >>> bool(out["trunk_tilt_deg"].median() < 1.0), "trunk_tilt_deg" in st.columns
    (True, False)
    """
    if not isinstance(strides, pd.DataFrame):
        raise TypeError(f"add_posture: strides must be a DataFrame, found {type(strides).__name__}")
    if "sensor" not in strides.columns:
        raise InputError(f"add_posture: strides table is missing column 'sensor'; found {list(strides.columns)}")
    out = strides.copy()
    out.attrs = dict(strides.attrs)
    if "trunk_tilt_deg" not in out.columns:
        out["trunk_tilt_deg"] = np.nan
    out["trunk_tilt_deg"] = out["trunk_tilt_deg"].astype("float64")
    rows = np.flatnonzero((out["sensor"] == rec.name).to_numpy())
    if rows.size == 0 or rec.placement not in TRUNK_PLACEMENTS:
        return out
    tilt = trunk_tilt(out.iloc[rows], rec, activity=activity, min_rest_s=min_rest_s,
                      max_standing_deviation_deg=max_standing_deviation_deg, exclude_chain_ends=exclude_chain_ends)
    out.iloc[rows, out.columns.get_loc("trunk_tilt_deg")] = tilt
    return out
