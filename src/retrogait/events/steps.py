"""Steps (initial contacts without side) from a phone, wrist, thigh or unknown placement.

Method ``"hps_cycles"`` (default), orientation-free:

1. The acceleration **norm** minus its moving mean over
   :data:`retrogait.events.trunk.GRAVITY_WINDOW_S` (gravity and slow posture changes
   removed), so the carrying position (hand, pocket, bag, armband, neck pouch) and the
   phone's orientation do not matter.
2. The **step frequency** per block of at most 10 s from the harmonic product spectrum
   (Noll 1969) in 0.5-4.5 Hz: the frequency whose first three harmonics carry the most
   power together (its own power within -20 dB of the strongest component).  A phone
   in a pocket or on a swinging arm sees the *stride* as the fundamental: a fundamental
   below :data:`MIN_STEP_FREQUENCY_HZ` (72 steps/min) is taken as the stride frequency
   and doubled.  This resists the two classic errors of peak counters: counting
   harmonics (double steps) and counting strides.  Limitation: true cadences below
   72 steps/min are counted double.
3. The norm is **band-passed** around the step frequency (0.65-1.5 f_step, 2nd-order
   zero-phase Butterworth); each cycle between two troughs is one step, placed at the
   cycle's maximum of the band-passed norm.
4. **No steps at rest or in irregular movement**: a cycle counts only if its band-passed
   peak-to-peak amplitude, and the peak-to-peak of the unfiltered norm within a quarter
   step of the step, are at least :data:`retrogait.events.trunk.MIN_STEP_AMPLITUDE_MS2`
   (0.3 m/s^2, well above the 0.01-0.05 m/s^2 noise of a phone lying still); the two
   strides around the step repeat the two strides one stride earlier or later
   (correlation >= :data:`MIN_STRIDE_CORRELATION`, or half of it next to such a step:
   hysteresis); and the step belongs to a run of at least :data:`MIN_RUN_STEPS`
   consecutive steps.

This is the windowed, frequency-adaptive peak detection of Brajdic & Harle (2013) with the
fixed window length replaced by the per-block step frequency, and the one-peak-per-cycle
rule of the Mobilise-D implementation (Paraschiv-Ionescu et al. 2020) replacing their
peak thresholds.  It departs from the Oxford step counter (Salvi et al. 2018), whose
thresholds were optimised on a dataset: here the limits come from physics and from the
rules stated above.

Limitation: the stride-repeat gate is conservative.  Short, irregular walking (daily-life
bouts of a few steps, turns, halting gait) is partly missed: on the mobgap lower-back
daily-life courses the counter found 0.1-0.4 of the INDIP contacts (0.9-1.0 on straight
walks).  Use :func:`retrogait.events.trunk.detect_trunk_events` for lower-back sensors.

Backward walking and running: the norm of the acceleration does not depend on the
direction of progression, so steps are counted the same way.

References
----------
Brajdic A, Harle R (2013). Walk detection and step counting on unconstrained smartphones.
Proc. ACM UbiComp, 225-234.

Salvi D, Velardo C, Brynes J, Tarassenko L (2018). An optimised algorithm for accurate
steps counting from smart-phone accelerometry. IEEE EMBC, 4423-4427.

Noll AM (1969). Pitch determination of human speech by the harmonic product spectrum,
the harmonic sum spectrum and a maximum likelihood estimate.

Paraschiv-Ionescu A et al. (2020). Real-world speed estimation using single trunk IMU.
IEEE EMBC 4596-4599.

Gu F, Khoshelham K, Shang J, Yu F, Wei Z (2017). Robust and accurate smartphone-based
step counting for indoor localization. IEEE Sensors J 17:3453-3460 [details from memory].

Canny J (1986). A computational approach to edge detection. IEEE TPAMI 8:679-698
(hysteresis thresholding).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.ndimage import uniform_filter1d

from retrogait import schema
from retrogait.errors import InputError
from retrogait.events.trunk import (
    GRAVITY_WINDOW_S,
    MIN_STEP_AMPLITUDE_MS2,
    SEQUENCE_GAP_STEPS,
    check_activity,
    checked_acc,
    drop_duplicates,
    iter_blocks,
    step_cycles,
)
from retrogait.recording import Recording

METHODS = ("hps_cycles",)

#: Below this step frequency (72 steps/min) the fundamental found in the norm is taken to
#: be the *stride* frequency (arm swing, thigh swing in a pocket), and doubled.
MIN_STEP_FREQUENCY_HZ = 1.2
#: Smallest correlation between the strides around a step and the same window one stride
#: earlier or later: at 0.5 the neighbour explains at least a quarter of the variance.
#: Walking and running repeat each stride; handling the phone or stumbling do not.
MIN_STRIDE_CORRELATION = 0.5
#: Fewest consecutive steps that count as walking (the "continuity" rule of step counters,
#: e.g. Gu et al. 2017 (Verisense): isolated peaks from handling the phone are not steps).
MIN_RUN_STEPS = 4
#: Length of the window compared with its neighbour one stride away, in strides.
STRIDE_WINDOW = 2


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    sa, sb = np.std(a), np.std(b)
    if a.size < 4 or sa == 0 or sb == 0:
        return float("nan")
    return float(np.mean((a - a.mean()) * (b - b.mean())) / (sa * sb))


def _stride_correlation(x: np.ndarray, centre: int, lag: int) -> float:
    """How well the stride around ``centre`` repeats the stride before or after it.

    Pearson correlation of the window of STRIDE_WINDOW strides centred on ``centre`` with
    the same window one stride (``lag`` samples) earlier and one stride later; the larger of the
    two, so the first and last steps of a walk are judged by their walking neighbour.
    Windows are cut at the ends of ``x``; NaN when less than one stride is left.
    """
    lo, hi = centre - STRIDE_WINDOW * lag // 2, centre + STRIDE_WINDOW * lag // 2
    best = float("nan")
    for shift in (-lag, lag):
        a = max(lo, 0, -shift)
        b = min(hi, x.size, x.size - shift)
        if b - a < lag:  # less than one stride of overlap near the ends of the recording
            continue
        c = _corr(x[a:b], x[a + shift : b + shift])
        if np.isnan(best) or c > best:
            best = c
    return best


def _in_long_runs(times_s: np.ndarray, periods_s: np.ndarray) -> np.ndarray:
    """Mask of steps that belong to a run of at least MIN_RUN_STEPS consecutive steps
    (consecutive: less than SEQUENCE_GAP_STEPS step periods apart)."""
    mask = np.zeros(times_s.size, dtype=bool)
    breaks = np.flatnonzero(np.diff(times_s) > SEQUENCE_GAP_STEPS * periods_s[1:]) + 1
    for run in np.split(np.arange(times_s.size), breaks):
        if run.size >= MIN_RUN_STEPS:
            mask[run] = True
    return mask


def _hysteresis(times_s: np.ndarray, periods_s: np.ndarray, corr: np.ndarray) -> np.ndarray:
    """Steps kept by the stride-repeat test, with hysteresis (as in Canny edge linking).

    A step whose stride correlation reaches MIN_STRIDE_CORRELATION is walking; a
    neighbouring candidate step (less than SEQUENCE_GAP_STEPS step periods away) joins the
    walk while its correlation is at least half of that (Canny's 2:1 ratio of the high to
    the low threshold), so the less regular first and last strides of a walk (speeding
    up, slowing down) are kept next to the steady ones.
    """
    keep = corr >= MIN_STRIDE_CORRELATION
    eligible = corr >= 0.5 * MIN_STRIDE_CORRELATION
    n = times_s.size
    linked = np.zeros(n, dtype=bool)
    linked[:-1] = np.diff(times_s) <= SEQUENCE_GAP_STEPS * periods_s[1:]  # i linked to i+1
    # Reachability along a chain is monotone in time: one forward and one backward sweep.
    for i in range(1, n):
        if not keep[i] and eligible[i] and linked[i - 1] and keep[i - 1]:
            keep[i] = True
    for i in range(n - 2, -1, -1):
        if not keep[i] and eligible[i] and linked[i] and keep[i + 1]:
            keep[i] = True
    return keep


def detect_steps(
    rec: Recording,
    *,
    activity: pd.DataFrame | None = None,
    method: str = "hps_cycles",
) -> pd.DataFrame:
    """Steps (``ic`` events, side None) from the acceleration norm of any placement.

    Parameters
    ----------
    rec : Recording
        Phone, wrist, thigh, unknown (any placement works; only the accelerometer is
        used, in any orientation).
    activity : pandas.DataFrame, optional
        Periods of movement with columns ``start_s`` and ``end_s`` (s); steps are searched
        only inside them.  None: the whole recording.
    method : {"hps_cycles"}
        Step detector (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``) with one ``ic`` row per step (``sample``,
        ``time_s`` in s), side None, ``sensor`` = ``rec.name``; empty (with every column)
        when there are no steps.

    Raises
    ------
    TypeError
        If ``rec`` is not a Recording or ``activity`` not a DataFrame.
    InputError
        If ``method`` is unknown, the rate is below 10 Hz, the acceleration is not finite
        or ``activity`` lacks ``start_s`` / ``end_s``.

    References
    ----------
    Brajdic A, Harle R (2013). Walk detection and step counting on unconstrained
    smartphones. Proc. ACM UbiComp, 225-234 (windowed, frequency-adaptive peak detection).

    Noll AM (1969). Pitch determination of human speech by the harmonic product spectrum,
    the harmonic sum spectrum and a maximum likelihood estimate (step frequency).

    Paraschiv-Ionescu A et al. (2020). Real-world speed estimation using single trunk IMU.
    IEEE EMBC 4596-4599 (one peak per cycle).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> fs = 50.0
    >>> t = np.arange(0, 30, 1 / fs)
    >>> bump = 3.0 * np.exp(-0.5 * ((t % 0.5) - 0.25) ** 2 / 0.04**2)   # 2 steps/s
    >>> df = pd.DataFrame({"acc_x": 9.81 + bump, "acc_y": 0 * t, "acc_z": 0 * t})
    >>> ev = detect_steps(Recording(df, sampling_rate_hz=fs, placement="phone"))
    >>> abs(len(ev) - 60) <= 2
    True
    """
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a retrogait Recording, found {type(rec).__name__}")
    if method not in METHODS:
        raise InputError(f"method: expected one of {list(METHODS)} for step detection, found {method!r}")
    periods = check_activity(activity, rec)
    if rec.n_samples == 0:
        return schema.empty_events()
    acc = checked_acc(rec, what="detect_steps")
    fs = rec.sampling_rate_hz
    norm = np.linalg.norm(acc, axis=1)
    window = max(1, min(norm.size, round(GRAVITY_WINDOW_S * fs)))
    dyn = norm - uniform_filter1d(norm, size=window, mode="nearest")

    samples: list[int] = []
    periods_s: list[float] = []
    corr: list[float] = []
    for block in iter_blocks(periods, fs, rec.n_samples):
        x = dyn[block.lo : block.hi]
        cycles = step_cycles(x, fs, stride_below_hz=MIN_STEP_FREQUENCY_HZ)
        if cycles is None:
            continue
        band, b = cycles.band, cycles.bounds
        for b0, b1 in zip(b[:-1], b[1:], strict=True):
            if b1 - b0 < 2 or np.ptp(band[b0 : b1 + 1]) < MIN_STEP_AMPLITUDE_MS2:
                continue
            i = block.lo + b0 + int(np.argmax(band[b0:b1]))
            lag = round(2.0 / cycles.f_step_hz * fs)
            # the unfiltered norm must move around the step too (band-pass ringing next to
            # a walk has a step-band amplitude but no movement behind it)
            h = max(1, round(0.25 / cycles.f_step_hz * fs))
            moving = np.ptp(dyn[max(0, i - h) : i + h + 1]) >= MIN_STEP_AMPLITUDE_MS2
            if block.core_lo <= i < block.core_hi and moving:
                samples.append(i)
                periods_s.append(1.0 / cycles.f_step_hz)
                corr.append(_stride_correlation(dyn, i, lag))
    if not samples:
        return schema.empty_events()
    order = np.argsort(samples, kind="stable")
    s = np.asarray(samples)[order]
    p = np.asarray(periods_s)[order]
    c = np.nan_to_num(np.asarray(corr)[order], nan=-1.0)
    keep = drop_duplicates(s / fs, p)
    s, p, c = s[keep], p[keep], c[keep]
    ok = _hysteresis(s / fs, p, c)
    s, p = s[ok], p[ok]
    s = s[_in_long_runs(s / fs, p)]
    if s.size == 0:
        return schema.empty_events()
    table = pd.DataFrame({"sample": s, "time_s": s / fs, "event": "ic", "side": None, "sensor": rec.name})
    return schema.conform(table, schema.EVENTS_COLUMNS)
