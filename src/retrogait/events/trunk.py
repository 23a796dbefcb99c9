"""Initial and final contacts from a lower-back (L5 / sacrum) sensor, with left/right sides.

Method ``"mccamley2012"`` (McCamley et al. 2012), step by step:

1. **Vertical acceleration** without assuming the axis order or sign: gravity is the
   moving mean of the acceleration over :data:`GRAVITY_WINDOW_S`; the dynamic vertical
   acceleration ``a_V`` is the projection of the acceleration on the unit gravity vector
   minus its magnitude, positive upwards.
2. **Gait and step frequency** per block of at most :data:`BLOCK_S` (so the scale follows
   changes of pace).  A block is *running* when the trunk is airborne (vertical specific
   force below :data:`FLIGHT_FORCE_G` g) for at least :data:`FLIGHT_SHARE` of it, else
   *walking*.  ``f_step`` is the frequency in the gait's band (:data:`WALK_STEP_RANGE_HZ`,
   :data:`RUN_STEP_RANGE_HZ`) that maximises the harmonic product spectrum
   ``P(f) P(2f) P(3f)`` of ``a_V`` (Noll 1969), among frequencies whose own power is within
   :data:`TRUNK_MIN_FUNDAMENTAL_DB` of the band's strongest: this picks the fundamental
   of the step-periodic trunk acceleration rather than a strong harmonic (impaired gait)
   or a sub-harmonic (stride sway, turning).
3. **McCamley signal**: ``a_V`` integrated and differentiated by a Gaussian continuous
   wavelet transform (``gaus1``).  Integrating and then taking the ``gaus1`` CWT is the
   same as Gaussian smoothing of ``a_V``; it is computed that way, with standard
   deviation ``sigma = MCCAMLEY_SCALE_STEPS / f_step`` (Caramia et al. 2019: the best
   scale follows the step frequency).  ``MCCAMLEY_SCALE_STEPS = 0.127`` gives
   ``sigma = 64 ms`` at 2 steps/s, the fixed ``gaus1`` scale 9 at 100 Hz of the original
   (sigma = 9 / sqrt(2) samples) [scale from memory].  Caramia's own rule (as coded in
   scikit-digital-health: IC scale ``(-10 f + 56) fs / 250``) is about 0.2 step periods;
   measured here, the initial-contact bias does not depend on the scale (0.03, 0.127 and
   0.25 step periods give the same timing on the simulator and within 10-30 ms on mobgap),
   and 0.2 lowered mobgap recall (0.898 -> 0.818), so 0.127 is kept.
4. **Initial contact** = the minimum of the CWT signal, i.e. the peak of the smoothed
   upward ``a_V`` (the CWT of the original carries the opposite sign), one per step
   cycle.  **Final contact** = the maximum of the second CWT differentiation, i.e. the
   steepest fall of the smoothed ``a_V`` after that initial contact (the opposite
   foot leaving the ground).  In *running* blocks the peak of ``a_V`` is mid-stance
   (spring-mass bounce), so the initial contact is taken at the steepest *rise* before it
   (landing), the final contact still at the steepest fall after it (take-off).
5. **Left / right** from the side of the medio-lateral sway at mid-step, tilt-corrected
   with the gyroscope when there is one (see :func:`assign_sides`).  McCamley et al.
   used the sign of the trunk's filtered angular velocity around each contact (about the
   vertical, yaw, axis as we recall it; not re-read).  Pelvic yaw at contact reverses in
   backward walking (the landing foot's hip is behind, not ahead, of the other), so a yaw
   rule swaps every side in backward gait; the frontal-plane sway used here does not
   depend on the direction of progression.

Signs: with the CWT convention of MATLAB / PyWavelets (``gaus1`` CWT = minus the smoothed
derivative) and ``a_V`` positive upwards, the minima of the first CWT are the peaks of
``a_V``, as used here.  Read literally with the same convention, the maxima of the second
CWT would be the steepest *rises* of ``a_V``, which on the mobgap data fell before the
initial contact; the steepest *fall* after the peak matched the INDIP final contacts
(stride start + stance time) and the simulator, so that is what is used.

Departures from the paper: the scale adapts to the step frequency (above); exactly one
initial contact is taken per step cycle, the cycles being delimited by the troughs of
``a_V`` band-passed around ``f_step`` (in the spirit of the one-peak-between-zero-crossings
rule of the Mobilise-D implementation, Paraschiv-Ionescu et al. 2020); cycles whose
smoothed peak does not stand out by :data:`MIN_STEP_AMPLITUDE_MS2` are treated as
rest (no event).

Backward gait: the vertical acceleration has the same step-periodic shape whatever the
direction of progression, so steps 1-4 do not depend on the sign of the antero-posterior
axis (unlike the AP-peak rule of Zijlstra & Hof 2003, which flips in backward walking and
is therefore not offered).  The *timing* does depend on it: the ``a_V`` peak lies in the
double support, after the initial contact by part of the double-support time.  On
time-reversed real walks (a stand-in for backward walking, where ic and fc swap) the
initial contact came out 60-180 ms late instead of 40-90 ms in the forward walks; in the
simulator 83 instead of 60 ms (see ``benchmarks/accuracy_trunk.py``).

References
----------
McCamley J, Donati M, Grimpampi E, Mazzà C (2012). An enhanced estimate of initial
contact and final contact instants of time using lower trunk inertial sensor data.
Gait Posture 36:316-318.

Caramia C, De Marchis C, Schmid M (2019). Optimizing the scale of a wavelet-based method
for the detection of gait events from a waist-mounted accelerometer under different
walking speeds. Sensors 19:1869.

Paraschiv-Ionescu A et al. (2020). Real-world speed estimation using single trunk IMU:
methodological challenges for impaired gait patterns. IEEE EMBC 4596-4599.

Noll AM (1969). Pitch determination of human speech by the harmonic product spectrum,
the harmonic sum spectrum and a maximum likelihood estimate. Symposium on Computer
Processing in Communications, 779-797.

Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk
accelerations during human walking. Gait Posture 18:1-10.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.ndimage import gaussian_filter1d, uniform_filter1d
from scipy.signal import butter, find_peaks, sosfiltfilt

from retrogait import schema
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.recording import Recording

METHODS = ("mccamley2012",)
SIDE_METHODS = ("ml_sway", "none")

#: Window of the moving mean that estimates gravity, in s (several strides long, so the
#: gait accelerations average out while slow trunk tilts and turns are followed).
GRAVITY_WINDOW_S = 2.0
#: Default step frequencies searched, in Hz: 30 steps/min (very slow walking) to 270
#: steps/min (fast running; Cavagna et al. 2012: higher step frequency backward).  The
#: trunk detector narrows it per gait (WALK_/RUN_STEP_RANGE_HZ); the step counter uses it.
STEP_FREQUENCY_RANGE_HZ = (0.5, 4.5)
#: Longest stretch processed with one step-frequency estimate, in s.
BLOCK_S = 10.0
#: Extra signal on each side of a block for the filters, in s.
MARGIN_S = 2.0
#: Gaussian smoothing of the McCamley signal, as a fraction of the step period.
MCCAMLEY_SCALE_STEPS = 0.127
#: Band-pass around the step frequency that delimits step cycles, as multiples of f_step
#: (keeps the step fundamental, rejects the stride frequency f_step/2 and 2 f_step).
CYCLE_BAND = (0.65, 1.5)
#: Smallest rise or fall (one side; half of it on the other side) of the Gaussian-smoothed
#: acceleration around the peak of a step cycle, in m/s^2.
#: Standing still gives ~0.01-0.05 m/s^2 of sensor noise; slow walking gives > 0.5 m/s^2
#: at the trunk (Moe-Nilssen 1998, trunk RMS 0.9-2.3 m/s^2 while walking).
MIN_STEP_AMPLITUDE_MS2 = 0.3
#: Vertical specific force (fraction of g) below which the trunk counts as airborne.
FLIGHT_FORCE_G = 0.25
#: Share of airborne samples that makes a block "running" (flight is 10-40 % of the step
#: in running: Cavagna et al. 2012 report 0.07-0.10 s of flight per ~0.33 s step).
FLIGHT_SHARE = 0.05
#: Step-frequency search bands in Hz: walking 60-150 steps/min (below 60 steps/min,
#: "incidental movement" in the cadence bands of Tudor-Locke et al. 2018, shuffling and
#: turning on the spot are not told apart from steps), running 120-270 steps/min.
WALK_STEP_RANGE_HZ = (1.0, 2.5)
RUN_STEP_RANGE_HZ = (2.0, 4.5)
#: A fundamental this far below the strongest step-band component is not a candidate
#: step frequency (the trunk's vertical acceleration is step-periodic: its fundamental is
#: strong, Zijlstra & Hof 2003).
TRUNK_MIN_FUNDAMENTAL_DB = -10.0
#: Shortest step cycle, as a fraction of the step period.
MIN_CYCLE_STEPS = 0.5
#: Events closer than this fraction of the step period are duplicates (block seams).
DUPLICATE_STEPS = 0.35
#: Consecutive contacts further apart than this many step periods start a new sequence
#: for the left/right alternation.
SEQUENCE_GAP_STEPS = 1.75


# --- signal helpers (also used by events.steps) -----------------------------------------


def checked_acc(rec: Recording, *, what: str) -> np.ndarray:
    """The (n, 3) acceleration, after checking the rate resolves step-frequency harmonics
    and every value is finite (InputError otherwise).

    Shared by :func:`detect_trunk_events` and the step counter
    (``retrogait.events.steps``).

    Parameters
    ----------
    rec : Recording
        Any sensor; its accelerometer (m/s^2) is returned.
    what : str
        Name of the calling function, used at the start of the rate error message.

    Returns
    -------
    numpy.ndarray
        ``rec.acc()``: (n, 3) acceleration in m/s^2, sensor frame, all finite.

    Raises
    ------
    InputError
        If ``rec.sampling_rate_hz`` is below 10 Hz (the harmonics of a 2-4.5 Hz step
        frequency would not be resolved), or the acceleration holds NaN or infinite
        values.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"acc_x": np.zeros(50), "acc_y": np.zeros(50), "acc_z": np.full(50, 9.81)})
    >>> rec = Recording(df, sampling_rate_hz=100.0, placement="lower_back")
    >>> checked_acc(rec, what="demo").shape
    (50, 3)
    >>> checked_acc(rec.replace(sampling_rate_hz=5.0), what="demo")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: demo: sampling_rate_hz of recording 'lower_back' must be at least 10 Hz ...
    """
    if rec.sampling_rate_hz < 10.0:
        raise InputError(
            f"{what}: sampling_rate_hz of recording {rec.name!r} must be at least 10 Hz to resolve steps, "
            f"found {rec.sampling_rate_hz:g}"
        )
    acc = rec.acc()
    if not np.all(np.isfinite(acc)):
        raise InputError(f"recording {rec.name!r}: acceleration contains NaN or infinite values")
    return acc


def check_activity(activity: pd.DataFrame | None, rec: Recording) -> list[tuple[float, float]]:
    """Active periods as (start_s, end_s) pairs; the whole recording when None.

    Rows whose optional ``activity`` column reads ``"rest"`` are ignored, empty periods
    (``end_s == start_s``) dropped, and the rest sorted by start.

    Parameters
    ----------
    activity : pandas.DataFrame or None
        Periods with columns ``start_s`` and ``end_s`` (s from the first sample) and
        optionally ``activity``, e.g. from ``retrogait.bouts.detect_activity``.  None:
        the whole recording is active.
    rec : Recording
        The recording the periods belong to (its duration is used when ``activity`` is
        None).

    Returns
    -------
    list of tuple of float
        ``(start_s, end_s)`` pairs in s, sorted by ``start_s``.

    Raises
    ------
    TypeError
        If ``activity`` is neither None nor a DataFrame.
    InputError
        If ``activity`` lacks ``start_s`` or ``end_s``, or a value is not finite or
        ``end_s < start_s``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"acc_x": np.zeros(50), "acc_y": np.zeros(50), "acc_z": np.full(50, 9.81)})
    >>> rec = Recording(df, sampling_rate_hz=100.0, placement="lower_back")
    >>> check_activity(None, rec)
    [(0.0, 0.5)]

    The rest row and the empty period are dropped:

    >>> act = pd.DataFrame({"start_s": [0.3, 0.0, 0.45], "end_s": [0.4, 0.2, 0.45],
    ...                     "activity": ["walk", "rest", "walk"]})
    >>> check_activity(act, rec)
    [(0.3, 0.4)]
    >>> check_activity(pd.DataFrame({"start": [0.0]}), rec)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: activity: missing column(s) ['start_s', 'end_s']; ...
    """
    if activity is None:
        return [(0.0, rec.duration_s)]
    if not isinstance(activity, pd.DataFrame):
        raise TypeError(f"activity: expected a pandas DataFrame or None, found {type(activity).__name__}")
    missing = [c for c in ("start_s", "end_s") if c not in activity.columns]
    if missing:
        raise InputError(
            f"activity: missing column(s) {missing}; expected start_s and end_s in s, found {list(activity.columns)}"
        )
    rows = activity
    if "activity" in rows.columns:
        rows = rows[rows["activity"].astype(str) != "rest"]
    starts = rows["start_s"].to_numpy(dtype=float)
    ends = rows["end_s"].to_numpy(dtype=float)
    if np.any(~np.isfinite(starts)) or np.any(~np.isfinite(ends)) or np.any(ends < starts):
        raise InputError("activity: start_s and end_s must be finite with end_s >= start_s")
    return [(float(a), float(b)) for a, b in sorted(zip(starts, ends, strict=True)) if b > a]


def gravity_and_vertical(acc: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit gravity ("up") vectors and the dynamic vertical acceleration.

    Gravity is the moving mean of the acceleration over ``GRAVITY_WINDOW_S`` (2 s), so
    neither the axis order nor the sign of the sensor's vertical axis is assumed
    (step 1 of the module's method).

    Parameters
    ----------
    acc : numpy.ndarray
        (n, 3) acceleration in m/s^2 (specific force: reads +g upwards at rest).
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    up : numpy.ndarray
        (n, 3) unit vectors along the moving-mean acceleration (pointing up).
    a_v_ms2 : numpy.ndarray
        Projection of the acceleration on ``up`` minus the moving-mean magnitude, in
        m/s^2, positive upwards.

    References
    ----------
    McCamley J, Donati M, Grimpampi E, Mazzà C (2012). An enhanced estimate of initial
    contact and final contact instants of time using lower trunk inertial sensor data.
    Gait Posture 36:316-318 (the vertical acceleration is the input of the method).

    Examples
    --------
    A tilted sensor (gravity along ``(0, 0.6, 0.8)``) bouncing up and down at 2 Hz by
    1 m/s^2: ``up`` is the tilted axis and ``a_v_ms2`` the bounce (away from the ends,
    where the 2 s moving mean is cut):

    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> bounce = np.sin(2 * np.pi * 2.0 * t)
    >>> acc = (9.81 + bounce)[:, None] * np.array([0.0, 0.6, 0.8])
    >>> up, a_v = gravity_and_vertical(acc, fs)
    >>> np.round(up[500], 3).tolist()
    [0.0, 0.6, 0.8]
    >>> bool(np.allclose(a_v[200:800], bounce[200:800], atol=1e-6))
    True
    """
    window = max(1, min(len(acc), round(GRAVITY_WINDOW_S * fs)))
    g = uniform_filter1d(acc, size=window, axis=0, mode="nearest")
    norm = np.linalg.norm(g, axis=1, keepdims=True)
    up = g / np.where(norm > 0, norm, 1.0)
    a_v = np.einsum("ij,ij->i", acc, up) - norm[:, 0]
    return up, a_v


def harmonic_product_frequency(x: np.ndarray, fs: float, *, band_hz: tuple[float, float],
                               min_fundamental_db: float = -20.0) -> float:
    """Fundamental frequency of a periodic signal by the harmonic product spectrum.

    The periodogram (Hann window, zero-padded to 0.02 Hz resolution, smoothed over
    0.1 Hz) is evaluated at ``f``, ``2f`` and ``3f`` for every ``f`` in ``band_hz`` whose
    own power is within ``min_fundamental_db`` of the band maximum; the sum of the log
    powers (floored at -30 dB) is maximised.  Harmonics above the Nyquist frequency count
    as the floor.  Returns NaN for a flat signal.  (Noll 1969; the candidate rule is ours:
    a sub-harmonic with little power of its own cannot win on its harmonics.)

    The frequency grid is that of the zero-padded FFT: ``fs / nfft`` with ``nfft`` the
    power of two at or above ``fs / 0.02`` (0.0122 Hz at 100 Hz), so the result is the
    grid frequency nearest the peak.

    Parameters
    ----------
    x : array_like of float
        The signal, e.g. the vertical trunk acceleration (m/s^2; any unit, the mean is
        removed).
    fs : float
        Sampling rate (Hz).
    band_hz : tuple of float
        ``(low, high)``: the candidate fundamentals (Hz), e.g. ``WALK_STEP_RANGE_HZ``
        (1.0, 2.5) or ``STEP_FREQUENCY_RANGE_HZ`` (0.5, 4.5).
    min_fundamental_db : float
        Candidates whose own (smoothed) power is more than this many dB below the band's
        strongest component are excluded (dB, <= 0; default -20).

    Returns
    -------
    float
        The fundamental frequency (Hz), or NaN for a flat or too short (< 4 samples)
        signal or a band without any FFT frequency.

    References
    ----------
    Noll AM (1969). Pitch determination of human speech by the harmonic product
    spectrum, the harmonic sum spectrum and a maximum likelihood estimate. Symposium on
    Computer Processing in Communications, 779-797.

    Examples
    --------
    A synthetic step signal at 1.8 Hz (108 steps/min) with a weaker second harmonic,
    and one whose second and third harmonics are stronger than the fundamental: both
    give 1.8 Hz, not the 3.6 Hz harmonic:

    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> steps = np.cos(2 * np.pi * 1.8 * t) + 0.5 * np.cos(2 * np.pi * 3.6 * t)
    >>> round(harmonic_product_frequency(steps, fs, band_hz=(0.5, 4.5)), 1)
    1.8
    >>> impaired = (0.6 * np.cos(2 * np.pi * 1.8 * t) + np.cos(2 * np.pi * 3.6 * t)
    ...             + 0.5 * np.cos(2 * np.pi * 5.4 * t))
    >>> f = harmonic_product_frequency(impaired, fs, band_hz=(0.5, 4.5))
    >>> abs(f - 1.8) < 0.0122
    True
    >>> harmonic_product_frequency(np.zeros(100), fs, band_hz=(0.5, 4.5))
    nan
    """
    x = np.asarray(x, dtype=float) - np.mean(x)
    if x.size < 4 or not np.any(np.abs(x) > 0):
        return float("nan")
    nfft = max(int(2 ** np.ceil(np.log2(fs / 0.02))), x.size)
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size), n=nfft)) ** 2
    freqs = np.fft.rfftfreq(nfft, d=1.0 / fs)
    df = freqs[1]
    cand = freqs[(freqs >= band_hz[0]) & (freqs <= band_hz[1])]
    if cand.size == 0:
        return float("nan")
    # Smooth the spectrum over +-0.05 Hz so harmonics of a slightly varying pace still add up.
    spec = uniform_filter1d(spec, size=max(1, int(round(0.1 / df)) | 1))
    band_max = float(spec[np.round(cand / df).astype(int)].max())
    if band_max <= 0:
        return float("nan")
    # Power floor (-30 dB of the band maximum): harmonics lost in noise all count the same.
    log_p = np.log(spec + 1e-3 * band_max)
    score = np.zeros(cand.size)
    for k in (1, 2, 3):
        fk = k * cand
        ok = fk < fs / 2
        idx = np.clip(np.round(fk / df).astype(int), 0, spec.size - 1)
        score += np.where(ok, log_p[idx], np.log(1e-3 * band_max))
    # The fundamental itself must be a real spectral component (within min_fundamental_db
    # of the strongest one in the band); otherwise a sub-harmonic could win on its harmonics.
    fundamental_ok = spec[np.round(cand / df).astype(int)] >= 10 ** (min_fundamental_db / 10) * band_max
    score = np.where(fundamental_ok, score, -np.inf)
    return float(cand[int(np.argmax(score))])


def _bandpass(x: np.ndarray, fs: float, low_hz: float, high_hz: float) -> np.ndarray:
    high_hz = min(high_hz, 0.45 * fs)
    sos = butter(2, [low_hz, high_hz], btype="bandpass", fs=fs, output="sos")
    padlen = min(x.size - 1, 3 * 7)
    return sosfiltfilt(sos, x, padlen=max(padlen, 0))


@dataclass(frozen=True)
class Block:
    """One stretch of signal analysed with one step frequency (indices in the recording).

    Events are searched in ``[lo, hi)`` but only those in the core ``[core_lo, core_hi)``
    are kept: the margins give the filters signal on both sides and belong to the
    neighbouring blocks.

    Attributes
    ----------
    lo : int
        First sample of the analysed signal (core minus margin, cut at the period's
        start; samples).
    core_lo : int
        First sample of the core (samples).
    core_hi : int
        End of the core, exclusive (samples).
    hi : int
        End of the analysed signal, exclusive (core plus margin, cut at the period's
        end; samples).

    Examples
    --------
    >>> b = Block(lo=800, core_lo=1000, core_hi=2000, hi=2200)
    >>> b.core_hi - b.core_lo, b.hi - b.lo
    (1000, 1400)
    """

    lo: int  # first sample of the analysed signal (core + margin)
    core_lo: int
    core_hi: int  # exclusive
    hi: int  # exclusive


def iter_blocks(periods: list[tuple[float, float]], fs: float, n: int) -> Iterator[Block]:
    """Split active periods into blocks of at most :data:`BLOCK_S` with margins.

    Each period is cut into the fewest equal cores of at most ``BLOCK_S`` (10 s); each
    core gets ``MARGIN_S`` (2 s) of extra signal on both sides, within the period.
    Periods shorter than 2 samples are skipped.

    Parameters
    ----------
    periods : list of tuple of float
        Active periods as ``(start_s, end_s)`` in s (e.g. from :func:`check_activity`).
    fs : float
        Sampling rate (Hz).
    n : int
        Number of samples of the recording (periods are cut at it).

    Yields
    ------
    Block
        Sample indices of one block (analysed stretch and its core).

    Examples
    --------
    A 25 s period at 100 Hz gives three cores of 8.33 s with 2 s (200-sample) margins:

    >>> for b in iter_blocks([(0.0, 25.0)], 100.0, 2500):
    ...     print(b.lo, b.core_lo, b.core_hi, b.hi)
    0 0 833 1033
    633 833 1667 1867
    1467 1667 2500 2500
    """
    margin = round(MARGIN_S * fs)
    for start_s, end_s in periods:
        a = max(0, round(start_s * fs))
        b = min(n, round(end_s * fs))
        if b - a < 2:
            continue
        n_blocks = max(1, int(np.ceil((b - a) / (BLOCK_S * fs))))
        edges = np.linspace(a, b, n_blocks + 1).round().astype(int)
        for c0, c1 in zip(edges[:-1], edges[1:], strict=True):
            yield Block(int(max(a, c0 - margin)), int(c0), int(c1), int(min(b, c1 + margin)))


@dataclass(frozen=True)
class StepCycles:
    """Step cycles of one block (indices into the block signal).

    ``bounds`` are the cycle boundaries (troughs of the step-band signal), ``peaks`` the
    maximum of the smoothed signal in each cycle, ``amplitude_ok`` whether that peak
    stands out of the cycle: at least :data:`MIN_STEP_AMPLITUDE_MS2` above the lowest
    point on one side and half of it on the other side, ``smooth`` the Gaussian-smoothed
    signal (sigma = 0.127 step periods), ``band`` the step-band signal.

    Attributes
    ----------
    bounds : numpy.ndarray of int
        Cycle boundaries (samples into the block signal), starting at 0 and ending at
        its length; cycle ``k`` is ``[bounds[k], bounds[k + 1])``.
    peaks : numpy.ndarray of int
        Sample of the maximum of ``smooth`` in each cycle (``len(bounds) - 1`` values).
    amplitude_ok : numpy.ndarray of bool
        Per cycle: the peak rises at least ``MIN_STEP_AMPLITUDE_MS2`` (0.3 m/s^2) above
        the cycle's lowest point on one side and half of that on the other (False:
        rest, or a cycle cut by the block's ends).
    f_step_hz : float
        Step frequency of the block (Hz), from :func:`harmonic_product_frequency`.
    smooth : numpy.ndarray of float
        The signal smoothed by a Gaussian of SD ``MCCAMLEY_SCALE_STEPS / f_step_hz``
        (same unit as the input, m/s^2 for the trunk).
    band : numpy.ndarray of float
        The signal band-passed around the step frequency (``CYCLE_BAND`` times
        ``f_step_hz``), whose troughs are the ``bounds``.

    Examples
    --------
    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> cycles = step_cycles(np.cos(2 * np.pi * 1.8 * t), fs)
    >>> isinstance(cycles, StepCycles), len(cycles.peaks) == len(cycles.bounds) - 1
    (True, True)
    """

    bounds: np.ndarray
    peaks: np.ndarray
    amplitude_ok: np.ndarray
    f_step_hz: float
    smooth: np.ndarray
    band: np.ndarray


def step_cycles(x: np.ndarray, fs: float, *, stride_below_hz: float | None = None,
                band_hz: tuple[float, float] = STEP_FREQUENCY_RANGE_HZ,
                min_fundamental_db: float = -20.0) -> StepCycles | None:
    """Delimit step cycles in ``x`` (one block) by the troughs of its step-band signal.

    ``stride_below_hz``: a fundamental below this frequency is taken to be the stride
    frequency and doubled (for stride-periodic signals).  ``band_hz`` and
    ``min_fundamental_db`` go to :func:`harmonic_product_frequency`.  Returns None when no
    step frequency can be found (flat or too short signal).

    The troughs of the band-passed signal (``CYCLE_BAND`` times the step frequency) at
    least ``MIN_CYCLE_STEPS`` step periods apart delimit the cycles; in each, the peak of
    the Gaussian-smoothed signal (SD ``MCCAMLEY_SCALE_STEPS`` step periods, as in the
    McCamley signal) is found and checked to stand out (``MIN_STEP_AMPLITUDE_MS2``).

    Parameters
    ----------
    x : numpy.ndarray
        One block of signal, e.g. the vertical trunk acceleration (m/s^2).
    fs : float
        Sampling rate (Hz).
    stride_below_hz : float, optional
        Fundamentals below this (Hz) are strides and are doubled; None (default): never.
    band_hz : tuple of float
        Candidate step frequencies ``(low, high)`` (Hz); default
        ``STEP_FREQUENCY_RANGE_HZ`` (0.5, 4.5).
    min_fundamental_db : float
        Passed to :func:`harmonic_product_frequency` (dB, default -20).

    Returns
    -------
    StepCycles or None
        The cycles, or None when ``x`` is shorter than 0.6 s or has no step frequency.

    References
    ----------
    McCamley J, et al. (2012). An enhanced estimate of initial contact and final contact
    instants of time using lower trunk inertial sensor data. Gait Posture 36:316-318.

    Paraschiv-Ionescu A et al. (2020). Real-world speed estimation using single trunk
    IMU: methodological challenges for impaired gait patterns. IEEE EMBC 4596-4599 (one
    peak per cycle).

    Examples
    --------
    10 s of a 1.8 Hz step signal: 19 cycles one step period (0.556 s) apart; the two
    cycles cut by the ends of the block have no clear peak:

    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> steps = np.cos(2 * np.pi * 1.8 * t) + 0.5 * np.cos(2 * np.pi * 3.6 * t)
    >>> cycles = step_cycles(steps, fs)
    >>> round(cycles.f_step_hz, 1), len(cycles.peaks), int(cycles.amplitude_ok.sum())
    (1.8, 19, 17)
    >>> bool(np.allclose(np.diff(cycles.peaks) / fs, 1 / 1.8, atol=0.01))
    True

    A stride-periodic signal (0.9 Hz) is read as steps at twice its frequency:

    >>> round(step_cycles(np.cos(2 * np.pi * 0.9 * t), fs, stride_below_hz=1.0).f_step_hz, 1)
    1.8
    >>> step_cycles(steps[:50], fs) is None
    True
    """
    if x.size < round(0.6 * fs):
        return None
    f_step = harmonic_product_frequency(x, fs, band_hz=band_hz, min_fundamental_db=min_fundamental_db)
    if not np.isfinite(f_step):
        return None
    if stride_below_hz is not None and f_step < stride_below_hz:
        f_step *= 2.0
    band = _bandpass(x, fs, CYCLE_BAND[0] * f_step, CYCLE_BAND[1] * f_step)
    # Troughs at least half a step period apart (scipy keeps the deeper of two close ones):
    # broadband movement (turning) must not split a step into two cycles.
    troughs, _ = find_peaks(-band, distance=max(1, int(MIN_CYCLE_STEPS * fs / f_step)))
    bounds = np.unique(np.concatenate([[0], troughs, [x.size]]).astype(int))
    # Peaks and their rise from the Gaussian-smoothed signal: a Gaussian does not ring
    # (unlike the band-pass), so rest next to a walk stays below the threshold, and a
    # cycle that only catches the edge of a walk has no real peak (no rise on one side).
    smooth = gaussian_filter1d(x, MCCAMLEY_SCALE_STEPS / f_step * fs)
    peaks, ok = [], []
    for b0, b1 in zip(bounds[:-1], bounds[1:], strict=True):
        if b1 - b0 < 2:
            peaks.append(b0)
            ok.append(False)
            continue
        k = b0 + int(np.argmax(smooth[b0:b1]))
        rise = smooth[k] - np.min(smooth[b0 : k + 1])
        fall = smooth[k] - np.min(smooth[k:b1])
        peaks.append(k)
        ok.append(bool(max(rise, fall) >= MIN_STEP_AMPLITUDE_MS2 and min(rise, fall) >= 0.5 * MIN_STEP_AMPLITUDE_MS2))
    return StepCycles(bounds=bounds, peaks=np.asarray(peaks, dtype=int), amplitude_ok=np.asarray(ok, dtype=bool),
                      f_step_hz=f_step, smooth=smooth, band=band)


def drop_duplicates(times_s: np.ndarray, periods_s: np.ndarray) -> np.ndarray:
    """Indices of events to keep: an event closer than DUPLICATE_STEPS step periods to the
    previous kept one is a duplicate from a block seam.

    The events are scanned in time order; the first of a close pair is kept.

    Parameters
    ----------
    times_s : numpy.ndarray of float
        Event times (s), sorted.
    periods_s : numpy.ndarray of float
        Step period at each event (s, same length): an event closer than
        ``DUPLICATE_STEPS`` (0.35) times its own period to the last kept event is
        dropped, so the first event of a close pair is the one kept.

    Returns
    -------
    numpy.ndarray of int
        Indices into ``times_s`` of the events kept, increasing.

    Examples
    --------
    With 0.55 s steps, events less than 0.19 s apart are one event:

    >>> drop_duplicates(np.array([1.0, 1.1, 1.6, 2.2]), np.full(4, 0.55)).tolist()
    [0, 2, 3]
    """
    keep: list[int] = []
    for i, t in enumerate(times_s):
        if keep and t - times_s[keep[-1]] < DUPLICATE_STEPS * periods_s[i]:
            continue
        keep.append(i)
    return np.asarray(keep, dtype=int)


def _has_flight(x: np.ndarray, fs: float, *, g_ms2: float) -> bool:
    """True when the trunk is airborne for a noticeable part of ``x`` (running).

    In flight the trunk falls freely and its vertical specific force ``a_V + g`` drops to
    about 0; in walking one foot is always on the ground and it stays above about 0.5 g
    (Zijlstra & Hof 2003; Cavagna et al. 2012 for the flight phase of running).  Running is
    declared when at least :data:`FLIGHT_SHARE` of the samples (20 ms smoothing) lie below
    :data:`FLIGHT_FORCE_G` g.
    """
    force = gaussian_filter1d(x, 0.02 * fs) + g_ms2
    return bool(np.mean(force < FLIGHT_FORCE_G * g_ms2) >= FLIGHT_SHARE)


# --- sides --------------------------------------------------------------------------


def _ml_signal(acc: np.ndarray, up: np.ndarray, fs: float, f_stride: float, left_axis: np.ndarray | None,
               gyr_dps: np.ndarray | None = None) -> np.ndarray:
    """Stride-band medio-lateral acceleration of the trunk (positive to the left when
    ``left_axis`` is known), corrected for the trunk's roll when a gyroscope is present.

    The accelerometer's ML axis tilts with the pelvis (about 3-5 deg of obliquity per
    stride), which adds ``g sin(roll)`` in phase with the sway *position*, i.e. opposite
    to the sway *acceleration*; both are of similar size (g sin 4 deg = 0.7 m/s^2 vs
    omega^2 * 2-4 cm = 0.7-1.4 m/s^2).  With a gyroscope the roll angle about the forward
    axis (``left x up``) is integrated in the stride band and ``g * roll`` removed.
    """
    horiz = acc - np.einsum("ij,ij->i", acc, up)[:, None] * up
    band = np.column_stack([_bandpass(horiz[:, k], fs, 0.5 * f_stride, 1.5 * f_stride) for k in range(3)])
    mean_up = np.mean(up, axis=0)
    if left_axis is not None:
        direction = left_axis - mean_up * float(np.dot(left_axis, mean_up))
    else:
        # Principal horizontal direction of the stride-band acceleration (the sway axis).
        _, _, vt = np.linalg.svd(band - band.mean(axis=0), full_matrices=False)
        direction = vt[0]
    norm = np.linalg.norm(direction)
    if norm == 0:
        return np.zeros(len(acc))
    direction = direction / norm
    ml = band @ direction
    if gyr_dps is not None:
        forward = np.cross(direction, mean_up)
        forward /= np.linalg.norm(forward)
        rate = np.deg2rad(gyr_dps @ forward)
        roll = np.cumsum(rate) / fs
        roll = _bandpass(roll - roll.mean(), fs, 0.5 * f_stride, 1.5 * f_stride)
        g_ms2 = float(np.mean(np.linalg.norm(acc, axis=1)))
        ml = ml - g_ms2 * np.sin(roll)
    return ml


def parse_axis(axis: str | None, *, name: str) -> np.ndarray | None:
    """Turn ``"+x"``, ``"-y"``, ... into a unit vector in the sensor frame (None stays None).

    Parameters
    ----------
    axis : str or None
        ``"x"``, ``"+x"``, ``"-x"``, ... ``"-z"`` (case and surrounding spaces ignored;
        no sign means ``+``), or None.
    name : str
        Name of the option, used in the error message (e.g. ``"left_axis"``).

    Returns
    -------
    numpy.ndarray or None
        Unit vector of shape (3,) along the signed sensor axis, or None when ``axis``
        is None.

    Raises
    ------
    InputError
        If ``axis`` is not a signed sensor axis.

    Examples
    --------
    >>> parse_axis("+x", name="left_axis").tolist(), parse_axis(" -Y", name="left_axis").tolist()
    ([1.0, 0.0, 0.0], [0.0, -1.0, 0.0])
    >>> parse_axis(None, name="left_axis") is None
    True
    >>> parse_axis("left", name="left_axis")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: left_axis: expected a sensor axis such as '+y' or '-z', found 'left'
    """
    if axis is None:
        return None
    text = str(axis).strip().lower()
    sign = -1.0 if text.startswith("-") else 1.0
    letter = text.lstrip("+-")
    if letter not in ("x", "y", "z") or len(text) > 2:
        raise InputError(f"{name}: expected a sensor axis such as '+y' or '-z', found {axis!r}")
    vec = np.zeros(3)
    vec["xyz".index(letter)] = sign
    return vec


def assign_sides(
    ic_samples: np.ndarray,
    acc: np.ndarray,
    up: np.ndarray,
    fs: float,
    step_periods_s: np.ndarray,
    *,
    left_axis: np.ndarray | None,
    gyr_dps: np.ndarray | None = None,
) -> np.ndarray:
    """Left/right label of each initial contact from the medio-lateral sway.

    Physics: after a foot lands, the centre of mass sways over that foot during its single
    support; the inverted pendulum then accelerates it back toward the midline, i.e.
    *away from the stance foot*.  So at mid-step (halfway to the next contact) the
    stride-band medio-lateral acceleration points to the left after a right contact and to
    the right after a left contact.  Sway happens in the frontal plane and does not change
    sign with the direction of progression, so the rule holds for backward walking too
    (unlike antero-posterior or yaw rules).  Each run of regular steps is labelled
    alternately, with the phase that agrees with the sum of the mid-step ML values
    (one vote per step), so a single noisy step cannot break the alternation.

    The accelerometer's ML reading also carries ``g sin(roll)`` from the pelvic obliquity,
    of similar size and opposite phase to the sway acceleration; with a gyroscope it is
    removed (:func:`_ml_signal`).  Without a gyroscope a wearer with little sway and much
    obliquity gets all sides swapped (seen in the simulator's backward running).

    Without ``left_axis`` (which sensor axis points to the subject's left) the sway axis
    is found from the data but its sign is not: the labels then alternate correctly but
    may be swapped as a whole.

    Parameters
    ----------
    ic_samples : numpy.ndarray of int
        Initial contacts (samples), sorted.
    acc : numpy.ndarray
        (n, 3) acceleration of the lower-back sensor (m/s^2, sensor frame).
    up : numpy.ndarray
        (n, 3) unit vertical vectors (from :func:`gravity_and_vertical`).
    fs : float
        Sampling rate (Hz).
    step_periods_s : numpy.ndarray of float
        Step period at each contact (s); their median sets the stride band, and a gap
        longer than ``SEQUENCE_GAP_STEPS`` (1.75) periods starts a new run.
    left_axis : numpy.ndarray or None
        Unit vector (sensor frame) pointing to the wearer's left (from
        :func:`parse_axis`), or None when unknown.
    gyr_dps : numpy.ndarray, optional
        (n, 3) angular rate (deg/s) to remove the pelvic roll from the sway; None:
        no correction.

    Returns
    -------
    numpy.ndarray of object
        ``"left"`` / ``"right"`` per contact (the ``side`` of the events table),
        alternating within each run.

    References
    ----------
    McCamley J, et al. (2012). An enhanced estimate of initial contact and final contact
    instants of time using lower trunk inertial sensor data. Gait Posture 36:316-318
    (sides from the trunk; retrogait uses the frontal-plane sway instead of yaw).

    Examples
    --------
    Synthetic sway at a 1 Hz stride frequency, sensor y axis to the left: the trunk
    accelerates to the left (+y) half a step after the contacts at 1.0, 2.0, ... s, so
    those are right contacts:

    >>> fs = 100.0
    >>> t = np.arange(0, 10, 1 / fs)
    >>> acc = np.column_stack([0 * t, np.sin(2 * np.pi * 1.0 * t), np.full(t.size, 9.81)])
    >>> up = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    >>> ic = np.arange(100, 500, 50)
    >>> periods = np.full(ic.size, 0.5)
    >>> assign_sides(ic, acc, up, fs, periods, left_axis=np.array([0.0, 1.0, 0.0])).tolist()
    ['right', 'left', 'right', 'left', 'right', 'left', 'right', 'left']

    With the sensor axis pointing the other way every side swaps:

    >>> assign_sides(ic, acc, up, fs, periods, left_axis=parse_axis("-y", name="left_axis")).tolist()
    ['left', 'right', 'left', 'right', 'left', 'right', 'left', 'right']
    """
    n = ic_samples.size
    sides = np.full(n, None, dtype=object)
    if n == 0:
        return sides
    f_stride = 0.5 / float(np.median(step_periods_s))
    ml = _ml_signal(acc, up, fs, f_stride, left_axis, gyr_dps)
    mid = ic_samples + np.round(0.5 * step_periods_s * fs).astype(int)
    mid = np.clip(mid, 0, len(acc) - 1)
    votes = ml[mid]  # > 0: acceleration to the left -> a right contact
    # runs of regular steps
    gaps = np.diff(ic_samples) / fs
    breaks = np.flatnonzero(gaps > SEQUENCE_GAP_STEPS * step_periods_s[1:]) + 1
    for run in np.split(np.arange(n), breaks):
        parity = np.arange(run.size) % 2
        score = float(np.sum(np.where(parity == 0, votes[run], -votes[run])))
        first_right = score >= 0
        sides[run] = np.where((parity == 0) == first_right, "right", "left")
    return sides


# --- public -------------------------------------------------------------------------


def detect_trunk_events(
    rec: Recording,
    *,
    activity: pd.DataFrame | None = None,
    method: str = "mccamley2012",
    sides: str = "ml_sway",
    left_axis: str | None = "auto",
) -> pd.DataFrame:
    """Initial (ic) and final (fc) contacts from a lower-back accelerometer.

    Parameters
    ----------
    rec : Recording
        Lower-back (L5 / sacrum) sensor.  Contacts come from the accelerometer alone (any
        axis order and sign: the vertical is found from gravity); the gyroscope, when
        present, only corrects the sway used for the sides.
    activity : pandas.DataFrame, optional
        Periods of movement with columns ``start_s`` and ``end_s`` (s), e.g. from
        :func:`retrogait.bouts.detect_activity`; events are searched only inside them.
        Rows with ``activity == "rest"`` are ignored.  None: the whole recording.
    method : {"mccamley2012"}
        Event detector (see the module docstring).
    sides : {"ml_sway", "none"}
        ``"ml_sway"``: left/right of each contact from the medio-lateral sway
        (:func:`assign_sides`); ``"none"``: side None.
    left_axis : str or None
        Sensor axis pointing to the wearer's left, e.g. ``"+y"`` or ``"-z"`` (for the
        Mobilise-D / McRoberts MM+ lower-back frame of the mobgap data: ``"-y"``).
        ``"auto"`` (default): ``rec.meta["left_axis"]`` when present, else None.  None: the
        sway axis is found from the data but not its sign, so the labels alternate
        correctly but may be swapped as a whole.

    Returns
    -------
    pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``): ``sample``, ``time_s`` (s), ``event``
        (``ic`` / ``fc``), ``side``, ``sensor`` (= ``rec.name``), sorted by time.  Empty
        (with every column) when no steps are found.

    Raises
    ------
    TypeError
        If ``rec`` is not a Recording or ``activity`` not a DataFrame.
    InputError
        If ``method`` or ``sides`` is unknown, ``left_axis`` is malformed, the rate is
        below 10 Hz, or ``activity`` lacks ``start_s`` / ``end_s``.

    Warns
    -----
    RetrogaitWarning
        When sides are assigned without a known ``left_axis`` (they may be swapped).

    Notes
    -----
    The final contact found after an initial contact belongs to the *opposite* foot (its
    toe-off ends the double support), so it carries the opposite side label.

    References
    ----------
    McCamley J, Donati M, Grimpampi E, Mazzà C (2012). An enhanced estimate of initial
    contact and final contact instants of time using lower trunk inertial sensor data.
    Gait Posture 36:316-318 (``method="mccamley2012"``; departures in the module notes).

    Caramia C, De Marchis C, Schmid M (2019). Optimizing the scale of a wavelet-based
    method for the detection of gait events from a waist-mounted accelerometer under
    different walking speeds. Sensors 19:1869 (scale following the step frequency).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> fs = 100.0
    >>> t = np.arange(0, 20, 1 / fs)
    >>> z = 9.81 + 2.0 * np.cos(2 * np.pi * 1.8 * t)        # one vertical peak per step
    >>> df = pd.DataFrame({"acc_x": 0 * t, "acc_y": 0 * t, "acc_z": z})
    >>> rec = Recording(df, sampling_rate_hz=fs, placement="lower_back")
    >>> ev = detect_trunk_events(rec, sides="none")
    >>> ic = ev.time_s[ev.event == "ic"].to_numpy()
    >>> bool(np.allclose(np.diff(ic), 1 / 1.8, atol=0.02))
    True
    """
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a retrogait Recording, found {type(rec).__name__}")
    if method not in METHODS:
        raise InputError(f"method: expected one of {list(METHODS)} for a lower-back sensor, found {method!r}")
    if sides not in SIDE_METHODS:
        raise InputError(f"sides: expected one of {list(SIDE_METHODS)}, found {sides!r}")
    if left_axis == "auto":
        left_axis = rec.meta.get("left_axis")
    left_vec = parse_axis(left_axis, name="left_axis")
    periods = check_activity(activity, rec)
    if rec.n_samples == 0:
        return schema.empty_events()
    acc = checked_acc(rec, what="detect_trunk_events")
    fs = rec.sampling_rate_hz
    up, a_v = gravity_and_vertical(acc, fs)

    ic_list: list[int] = []
    fc_list: list[int] = []
    period_list: list[float] = []
    for block in iter_blocks(periods, fs, rec.n_samples):
        x = a_v[block.lo : block.hi]
        g_ms2 = float(np.mean(np.linalg.norm(acc[block.lo : block.hi], axis=1)))
        running = _has_flight(x, fs, g_ms2=g_ms2)
        cycles = step_cycles(x, fs, band_hz=RUN_STEP_RANGE_HZ if running else WALK_STEP_RANGE_HZ,
                             min_fundamental_db=TRUNK_MIN_FUNDAMENTAL_DB)
        if cycles is None:
            continue
        f_step = cycles.f_step_hz
        sigma = MCCAMLEY_SCALE_STEPS / f_step * fs
        # McCamley: CWT(gaus1) of the integrated a_V == -(Gaussian-smoothed a_V); IC = its minima.
        cwt1 = -cycles.smooth
        # Second differentiation, signed so that its maxima are the steepest falls of the
        # smoothed upward a_V (FC) and its minima the steepest rises (landing in running).
        cwt2 = gaussian_filter1d(cwt1, sigma, order=1)
        b = cycles.bounds
        ics_block = []
        for k, (b0, b1) in enumerate(zip(b[:-1], b[1:], strict=True)):
            if not cycles.amplitude_ok[k] or b1 - b0 < 2:
                continue
            peak = int(cycles.peaks[k])  # minimum of cwt1 in the cycle
            if running:
                # landing: steepest rise of the vertical force before its mid-stance peak
                peak = b0 + int(np.argmin(cwt2[b0 : peak + 1]))
            ics_block.append(peak)
        for j, i in enumerate(ics_block):
            nxt = ics_block[j + 1] if j + 1 < len(ics_block) else min(x.size, i + round(fs / f_step))
            if nxt - i < 2:
                continue
            fc_local = i + 1 + int(np.argmax(cwt2[i + 1 : nxt]))
            # keep only events of the core (the margins belong to the neighbouring block)
            if block.core_lo <= block.lo + i < block.core_hi:
                ic_list.append(block.lo + i)
                period_list.append(1.0 / f_step)
                if fc_local < nxt - 1:
                    fc_list.append(block.lo + fc_local)
                else:
                    fc_list.append(-1)

    if not ic_list:
        return schema.empty_events()
    order = np.argsort(ic_list, kind="stable")
    ic = np.asarray(ic_list)[order]
    fc = np.asarray(fc_list)[order]
    per = np.asarray(period_list)[order]
    keep = drop_duplicates(ic / fs, per)
    ic, fc, per = ic[keep], fc[keep], per[keep]
    if sides == "ml_sway":
        if left_vec is None:
            warnings.warn(
                f"detect_trunk_events: recording {rec.name!r} has no left_axis (the sensor axis pointing to the "
                "wearer's left); left/right alternate correctly but may be swapped as a whole. Give the sensor axis "
                "that points to the wearer's left: rg.analyze(..., left_axis='+y'), rg.read(..., "
                "meta={'left_axis': '+y'}) or --left-axis=+y on the command line",
                RetrogaitWarning,
                stacklevel=2,
            )
        gyr = rec.gyr() if rec.has_gyro else None
        if gyr is not None and not np.all(np.isfinite(gyr)):
            gyr = None
        side = assign_sides(ic, acc, up, fs, per, left_axis=left_vec, gyr_dps=gyr)
    else:
        side = np.full(ic.size, None, dtype=object)
    opposite = {"left": "right", "right": "left", None: None}
    rows = [(int(s), "ic", sd) for s, sd in zip(ic, side, strict=True)]
    rows += [(int(f), "fc", opposite[sd]) for f, sd in zip(fc, side, strict=True) if f >= 0]
    table = pd.DataFrame(rows, columns=["sample", "event", "side"])
    table["time_s"] = table["sample"] / fs
    table["sensor"] = rec.name
    table = table.sort_values(["sample", "event"], kind="stable")
    return schema.conform(table[list(schema.EVENTS_COLUMNS)], schema.EVENTS_COLUMNS)
