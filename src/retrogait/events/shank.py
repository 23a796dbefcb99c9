"""Initial and final contact from a shank-mounted gyroscope, forward and backward.

Method ``"salarian2004"`` (the default; needs a gyroscope)
    The shank's sagittal angular rate has one large peak per stride, at mid-swing, with
    a sharp minimum on either side: initial contact after it, final contact before it
    (Aminian et al. 2002; Salarian et al. 2004; Greene et al. 2010).

    Departures from the papers, so that the rule holds for any mounting and for
    backward gait:

    * the sagittal axis is the principal axis of the angular rate (most energy), not a
      fixed sensor axis;
    * its sign is fixed per stride by the swing lobe, the lobe whose peak rate is
      higher than that of its neighbours (the shank swings several times faster than it
      rotates over the foot in stance).  In backward gait the shank swings the other
      way, the sign flips with it and the shape of the stride is the same: the rule is
      symmetric under time reversal (ic <-> fc);
    * the contact minima are the first local minimum after and the last one before
      the swing lobe, searched within ``PIVOT_WINDOW_S`` of its zero crossings, instead
      of with the papers' amplitude thresholds.

Accelerometer-only shank sensors are not supported (``InputError``): tibial
acceleration methods (Purcell et al. 2006) depend on the axis and sign of the tibial
acceleration and were not validated here.

References
----------
Aminian K, Najafi B, Buela C, Leyvraz PF, Robert P (2002). Spatio-temporal parameters of
gait measured by an ambulatory system using miniature gyroscopes. J Biomech 35:689-699.

Salarian A, Russmann H, Vingerhoets FJG, et al. (2004). Gait assessment in Parkinson's
disease: toward an ambulatory system for long-term monitoring. IEEE Trans Biomed Eng
51:1434-1443.

Greene BR, McGrath D, O'Neill R, et al. (2010). An adaptive gyroscope-based algorithm for
temporal gait analysis. Med Biol Eng Comput 48:1251-1260.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.events import _signal as sig
from retrogait.recording import Recording

#: Segmentation filter (Hz): gait segment kinematics lie below about 6 Hz (Winter 2009).
SEGMENT_CUTOFF_HZ = 6.0
#: Event filter (Hz): keeps the sharp contact minima, removes vibration.
EVENT_CUTOFF_HZ = 30.0
#: Smallest mid-swing peak (deg/s).  The shank swings at 250-400 deg/s in walking
#: (Aminian 2002; Salarian 2004 use a 50 deg/s floor for slow Parkinsonian gait); 100
#: deg/s keeps shuffling steps and rejects sway while standing.
MIN_SWING_PEAK_DPS = 100.0
#: Lobes whose peak stays below this are ignored (deg/s).
MIN_LOBE_PEAK_DPS = 20.0
#: Search window for the contact minima beyond the zero crossings of the swing lobe (s):
#: terminal swing to loading response and pre-swing each last about 10-20 % of a
#: 1-1.2 s stride.
PIVOT_WINDOW_S = 0.2
#: Shortest contact of a foot (s), as in :mod:`retrogait.events.foot`.
MIN_CONTACT_S = 0.06

METHODS = ("auto", "salarian2004")


def _swing_lobes(omega_seg: np.ndarray, fs: float) -> list[tuple[int, int, int]]:
    lobes = sig.sign_lobes(omega_seg, sampling_rate_hz=fs, min_peak=MIN_LOBE_PEAK_DPS)
    peak = np.abs(lobes.peak_value)
    out = []
    for i in range(len(lobes)):
        if peak[i] < MIN_SWING_PEAK_DPS:
            continue
        if all(peak[j] < peak[i] for j in (i - 1, i + 1) if 0 <= j < len(lobes) and lobes.sign[j] != lobes.sign[i]):
            out.append((int(lobes.start[i]), int(lobes.end[i]), int(lobes.sign[i])))
    return out


def detect_shank_events(
    rec: Recording,
    *,
    activity: pd.DataFrame | None = None,
    method: str = "auto",
) -> pd.DataFrame:
    """Detect initial (``ic``) and final (``fc``) contacts of one shank-mounted sensor.

    Parameters
    ----------
    rec : Recording
        Shank sensor with gyroscope (deg/s), any mounting and sampling rate.
    activity : pandas.DataFrame, optional
        Active periods (``start_sample``, ``end_sample`` exclusive); events outside
        them are dropped.
    method : {"auto", "salarian2004"}
        See the module docstring.

    Returns
    -------
    pandas.DataFrame
        Events table, ``schema.EVENTS_COLUMNS`` (``sample``, ``time_s`` in s, ``event``
        ``"ic"``/``"fc"``, ``side`` of the recording, ``sensor``) sorted by time; empty
        with its columns when no stride is found.

    Raises
    ------
    InputError
        If ``method`` is unknown or the recording has no gyroscope.
    TypeError
        If ``rec`` is not a Recording.

    References
    ----------
    Salarian A, Russmann H, Vingerhoets FJG, et al. (2004). Gait assessment in
    Parkinson's disease: toward an ambulatory system for long-term monitoring. IEEE
    Trans Biomed Eng 51:1434-1443.

    Aminian K, Najafi B, Buela C, Leyvraz PF, Robert P (2002). Spatio-temporal
    parameters of gait measured by an ambulatory system using miniature gyroscopes.
    J Biomech 35:689-699.

    Examples
    --------
    A simulated shank sensor, forward and backward walking: every contact of the
    simulator's truth is found, within 40 ms:

    >>> import numpy as np
    >>> from retrogait.simulate import simulate_gait
    >>> for direction in ("forward", "backward"):
    ...     trial = simulate_gait(placement="shank", direction=direction, n_strides=5,
    ...                           sampling_rate_hz=100.0, seed=1)
    ...     ev = detect_shank_events(trial.recording)
    ...     for kind in ("ic", "fc"):
    ...         found = ev.loc[ev["event"] == kind, "time_s"].to_numpy()
    ...         truth = trial.events.loc[trial.events["event"] == kind, "time_s"].to_numpy()
    ...         print(direction, kind, len(found) == len(truth), bool(np.abs(found - truth).max() < 0.04))
    forward ic True True
    forward fc True True
    backward ic True True
    backward fc True True

    Accelerometer-only shank sensors are not supported:

    >>> acc_only = trial.recording.replace(data=trial.recording.data[["acc_x", "acc_y", "acc_z"]])
    >>> detect_shank_events(acc_only)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: detect_shank_events needs a gyroscope (gyr_x, gyr_y, gyr_z); recording ...
    """
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a retrogait Recording, found {type(rec).__name__}")
    if method not in METHODS:
        raise InputError(f"method: expected one of {list(METHODS)}, found {method!r}")
    if not rec.has_gyro:
        raise InputError(
            f"detect_shank_events needs a gyroscope (gyr_x, gyr_y, gyr_z); recording {rec.name!r} has none"
        )
    fs = rec.sampling_rate_hz
    n = rec.n_samples
    if n < 3:
        return schema.empty_events()
    sig.warn_gaps(rec, "detect_shank_events")
    gyr = sig.fill_gaps(rec.gyr())
    axis = sig.principal_axis(gyr, min_norm=MIN_LOBE_PEAK_DPS)
    if axis is None:
        return schema.empty_events()
    omega = gyr @ axis
    omega_seg = sig.lowpass(omega, cutoff_hz=SEGMENT_CUTOFF_HZ, sampling_rate_hz=fs)
    omega_ev = sig.lowpass(omega, cutoff_hz=EVENT_CUTOFF_HZ, sampling_rate_hz=fs)
    swings = _swing_lobes(omega_seg, fs)
    pivot = round(PIVOT_WINDOW_S * fs)
    ic: list[int] = []
    fc: list[int] = []
    last_ic = -n
    for k, (start, end, sign) in enumerate(swings):
        w = sign * omega_ev
        prev_end = swings[k - 1][1] if k > 0 else 0
        next_start = swings[k + 1][0] if k + 1 < len(swings) else n
        # the contact minima: the last local minimum before the swing lobe and the
        # first one after it (not the deepest: in running the stance rotation is deeper)
        pre = sig.first_local_min(w, max(start - pivot, prev_end), start + 1, reverse=True)
        post = sig.first_local_min(w, end - 1, min(end + pivot, next_start))
        pre_i = int(pre) if pre is not None and w[pre] < 0 else start
        post_i = int(post) if post is not None and w[post] < 0 else min(end, n - 1)
        if pre_i - last_ic < MIN_CONTACT_S * fs:
            continue
        fc.append(pre_i)
        ic.append(post_i)
        last_ic = post_i
    samples = np.array(ic + fc, dtype=np.int64)
    kinds = np.array(["ic"] * len(ic) + ["fc"] * len(fc), dtype=object)
    if samples.size == 0:
        return schema.empty_events()
    keep = sig.in_periods(samples, activity, n_samples=n)
    samples, kinds = samples[keep], kinds[keep]
    order = np.lexsort((kinds, samples))
    table = pd.DataFrame({"sample": samples[order], "time_s": samples[order] / fs, "event": kinds[order],
                          "side": rec.side, "sensor": rec.name})
    if len(table) == 0:
        return schema.empty_events()
    return schema.conform(table, schema.EVENTS_COLUMNS)
