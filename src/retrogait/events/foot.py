"""Initial and final contact from a foot-mounted IMU, forward and backward, walking and running.

Methods
-------
``"pitch_lobes"`` (default with a gyroscope)
    The foot's sagittal (pitch) angular rate is found from the data: the principal
    axis of the angular rate (most energy), whatever way the sensor is mounted.  Its
    sign is fixed per stride by the **swing lobe**, the sign lobe with the largest
    rotation: over a stride the foot returns to its orientation, so the swing rotation
    equals the sum of the rotations before (push-off) and after it (landing) and is
    the largest lobe in either walking direction.  When landing and push-off merge
    into one lobe (short running stance) the two rotations tie; the swing is then the
    lobe in which the foot is never still.  With the swing made positive every
    stride has the same shape forward and backward: pre-swing lobe (negative), swing
    (positive), post-swing lobe (negative).

    * final contact = the extremum of the pre-swing lobe: the foot pivots about its
      last contact point with a growing rate until it leaves the ground (Falbriard et
      al. 2018, "TC = minimum of the pitch angular velocity" before mid-swing).
    * initial contact = the zero crossing that ends the swing lobe: landing stops the
      swing rotation and turns the foot the other way (heel-first forward: the foot
      starts to plantar-flex onto the ground; toe-first backward: the heel comes
      down), so the pitch rate changes sign at contact in either direction.  This is
      the moment of greatest foot dorsiflexion, which is also where the gaitmap
      motion-capture reference puts initial contact (its toe marker peaks there).
      The crossing is placed on a 15 Hz signal so that the impact vibration does not
      shift it.
    * running (duty factor below 0.5 over the neighbouring strides): the foot lands fast and the pitch
      rate crosses zero ~50 ms before the impact, so initial contact is taken at the
      extremum of the landing lobe instead, as Falbriard et al. (2018) validated
      against force plates.
    * the stance between two swings is split in two halves: the landing extremum is
      searched in the first and the push-off extremum in the second.  A
      swing that would leave the ground less than ``MIN_CONTACT_S`` after the previous
      landing is not a step and is dropped.

    Measured (``python benchmarks/accuracy_foot.py``): gaitmap walking, both frames,
    median absolute error 4.9 ms for ic and fc (one sample at 204.8 Hz); gdin
    stride counts exact in 8/8 walks; the left foot's turn in gaitmap is split into
    its two real steps where the motion-capture reference has one stride.

    **Stillness fallback** (``stillness_fallback=True``).  Side-stepping hardly pitches
    the foot: it rolls and yaws (UCI subject II: pitch rate peaks of 100-250 deg/s with
    the roll rate at 350-450 deg/s), so the lobe rule finds no swing or takes the
    push-off pitch spike for one; closing steps into standing are also too flat for it.
    The stillness (zero-velocity) detector of :func:`detect_stance` sees every flat foot
    whatever the direction, and zero-velocity-aided foot navigation takes the stance
    boundaries as the contacts (Foxlin 2005; Skog et al. 2010).  Stances = still
    stretches of at least ``MIN_CONTACT_S`` joined across movements shorter than
    ``MIN_SWING_S``.  Between two consecutive stances the lobe events are kept when they
    hold a stride there (a final contact from the first stance to the middle of the
    swing, then an initial contact up to the end of the next stance).  Otherwise, if the
    movement is one real swing -- shorter than ``MAX_STRIDE_TIME_S``, without a lobe
    contact inside it that leaves a shortest swing on both sides (a running stance the
    stillness detector missed), and moving the foot horizontally by at least
    ``MIN_STEP_LENGTH_M`` (strapdown integration with zero velocity at both ends, so that
    a foot turned or shifted while standing is no step) -- the lobe events from the
    middle of the first stance to the middle of the next are replaced by final contact =
    end of the first stance and initial contact = onset of the landing impact (largest
    jerk burst from ``IMPACT_LOOKBACK_S`` before the next stance through its first
    half).  Limit: the final contact is the end of the still foot, before the last roll
    of the foot (about 0.1-0.15 s before the simulator's lift-off in side-stepping).
    Measured (``python benchmarks/accuracy_bouts.py``, UCI subject II): sideways
    direction right in 83-100 % of the strides per trial (was 67-75 %); the
    sideways -> standing bout edge within 0.4-1.2 s (was 2.9-7.8 s); gaitmap and gdin
    events unchanged except one mocap-confirmed closing step per foot at the end of the
    gaitmap walk (0.2-0.3 m).

    The detector is symmetric under time reversal.  The ground impact (jerk burst of
    the acceleration, Hanlon & Anderson 2009) marks which end of the swing lobes is
    the landing: the end in real forward and backward gait, the start in a
    time-reversed recording; there the roles of the two ends are swapped for the bout
    (initial contact = pivot extremum after the swing, final contact = zero crossing
    that starts it).  A bout is only treated as reversed when the impacts at the start
    are at least ``REVERSAL_EVIDENCE`` times stronger, so the symmetry holds for
    recordings with clear impacts (gaitmap, UCI) and not for sensors whose impact is
    damped (some gdin walks).

``"falbriard2018"``
    The paper's running rule on the sign-normalised pitch rate: initial contact =
    minimum of the pitch rate after mid-swing (post-swing lobe), final contact =
    minimum before mid-swing (pre-swing lobe).  Departure from the paper: the sign is
    fixed by the swing lobe (the paper assumes a known axis orientation and forward
    running).  In walking its initial contact lies after the true contact (foot
    slap).

``"impact_stillness"`` (default without a gyroscope)
    Accelerometer only: stance = the foot is still (acceleration norm close to g with
    a small moving standard deviation; still stretches less than ``MIN_SWING_S`` apart
    are one stance); initial contact = onset (half maximum) of the largest jerk burst
    in the 250 ms before a still period (impact, Hanlon & Anderson 2009); final contact
    = the end of the still period.  Limits: the final contact is early (heel-off, not
    toe-off: the foot rolls before it leaves the ground) and running, where the foot
    is never still, gives few or no events.

References
----------
Falbriard M, Meyer F, Mariani B, Millet GP, Aminian K (2018). Accurate estimation of
running temporal parameters using foot-worn inertial sensors. Front Physiol 9:610.

Foxlin E (2005). Pedestrian tracking with shoe-mounted inertial sensors. IEEE Comput
Graph Appl 25(6):38-46 (zero-velocity updates in the still stance).

Hanlon M, Anderson R (2009). Real-time gait event detection using wearable sensors.
Gait Posture 30:523-527.

Rampp A, Barth J, Schuelein S, Gassmann KG, Klucken J, Eskofier BM (2015). Inertial
sensor-based stride parameter calculation from gait sequences in geriatric patients.
IEEE Trans Biomed Eng 62:1089-1097.

Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley
(gait kinematics below about 6 Hz).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError
from retrogait.events import _signal as sig
from retrogait.orientation import gravity_alignment, integrate_gyroscope, quat_rotate
from retrogait.recording import Recording

#: Cut-off of the filter used to find the lobes and their zero crossings (Hz): gait
#: segment kinematics lie below about 6 Hz (Winter 2009).
SEGMENT_CUTOFF_HZ = 6.0
#: Cut-off of the filter used to place the pivot extrema (Hz): the push-off peak is sharp
#: and asymmetric (slow rise, fast fall once the foot is off the ground), so a lower
#: cut-off moves it earlier; 50 Hz removes only vibration.
EVENT_CUTOFF_HZ = 50.0
#: Cut-off of the filter used for the zero crossing at contact (Hz): above the ~6 Hz of the
#: segment kinematics, below the impact vibration (transients of 10-20 ms, > 25 Hz) that
#: starts at the same moment and would shift the crossing.
CROSSING_CUTOFF_HZ = 15.0
#: Lobes whose peak pitch rate stays below this are ignored (deg/s).  Sway while
#: standing stays well below it; the slowest walking swings peak above 150 deg/s.
MIN_LOBE_PEAK_DPS = 50.0
#: Smallest foot rotation of a swing (deg).  The foot's sagittal range in a walking
#: swing is 50-90 deg (plantar flexion at toe-off to dorsiflexion at heel strike, Perry
#: 1992); a quarter of that still counts as a (short, shuffling or turning) step.
MIN_SWING_ROTATION_DEG = 20.0
#: A lobe whose inner valley drops below this fraction of the peaks on both sides is two
#: rotations joined by a pause (landing, stance, push-off of the same sign without a zero
#: crossing because of a gyroscope offset or a short running stance).  A swing lobe is
#: one hump (its pitch rate stays above about half its peak between toe-off and landing).
SPLIT_RATIO = 0.25
#: Rotations of neighbouring lobes closer than this fraction are a tie: in running the
#: landing, the short stance and the push-off can merge into one lobe whose rotation
#: equals the swing's (the foot returns to its orientation every stride).  The tie goes
#: to the lobe that never passes through a still foot (the swing).
TIE_FRACTION = 0.2
#: Longest push-off / landing lobe searched for the extremum (s): heel-off to toe-off
#: lasts about 10-20 % of a 1-1.2 s walking stride.
PIVOT_WINDOW_S = 0.3
#: Windows (s before, s after the end of the swing lobe) in which the impact strength is
#: compared with the mirrored window at its start (which end carries the landing).
IMPACT_WINDOW_S = (0.05, 0.10)
#: The zero crossing of the event signal is searched this close (s) to the border of the
#: swing lobe found on the 6 Hz signal.
ZERO_CROSSING_WINDOW_S = 0.05
#: The impacts must be this many times stronger at the start of the swing lobes than at
#: their end before a bout is treated as time-reversed, so that a real recording is
#: never flipped on weak evidence.  Measured ratio landing / push-off on the shared
#: data (after this value was set to 2): gaitmap 3.0-3.4, UCI 3.4-17, gdin 1.0-7.0 (one
#: gdin walk has no clear landing impact, so its reversal would not be recognised).
REVERSAL_EVIDENCE = 2.0
#: Duty factor (contact time / stride time of one foot, median over the neighbouring
#: strides) below which a stride is running:
#: the textbook boundary between walking (> 0.5, double support) and running (< 0.5,
#: flight), Alexander 1989, Physiol Rev 69:1199.
RUNNING_DUTY_FACTOR = 0.5
#: Shortest ground contact of a foot (s): elite sprinters touch the ground for about
#: 80-100 ms (Weyand et al. 2000, J Appl Physiol 89:1991).
MIN_CONTACT_S = 0.06
#: Swings further apart than this (s) belong to different bouts; the longest plausible
#: stride (very slow walking) lasts about 2.5 s.
MAX_STRIDE_TIME_S = 2.5
#: Stillness thresholds (zero-velocity detection): angular-rate norm (deg/s) and
#: deviation of the acceleration norm from g (m/s^2), moving mean over STILL_WINDOW_S.
#: A flat foot only follows the slow sway of the leg (below ~30 deg/s) and carries body
#: weight without impacts (acceleration norm within ~0.2 g of g).
STILL_GYR_DPS = 40.0
STILL_ACC_MS2 = 2.0
STILL_WINDOW_S = 0.05
#: Accelerometer-only stillness: moving SD of the acceleration norm (m/s^2) over 0.1 s.
STILL_ACC_SD_MS2 = 0.5
MIN_STILL_S = 0.03
#: Shortest swing of a foot (s): about 0.3 s even in sprinting (swing ~ 60-70 % of a 0.45-0.5 s
#: stride); still stretches separated by less belong to one stance.
MIN_SWING_S = 0.3
#: Shortest horizontal displacement of the foot over one swing that counts as a step (m) in
#: the stillness fallback: the shortest reported walking strides are ~0.2 m (shuffling),
#: half of that separates a step from a foot shifted or turned while standing (the same
#: limit as ``retrogait.spatial.zupt.MIN_DIRECTION_LENGTH_M``).
MIN_STEP_LENGTH_M = 0.10
#: The landing impact of a stance is searched from this long (s) before the foot comes to
#: rest (Hanlon & Anderson 2009: the impact precedes the still foot by less than 250 ms).
IMPACT_LOOKBACK_S = 0.25

METHODS = ("auto", "pitch_lobes", "falbriard2018", "impact_stillness")


@dataclass(frozen=True)
class _Swing:
    start: int  # first sample of the swing lobe (zero crossing at its start)
    end: int  # end (exclusive) of the swing lobe (zero crossing at its end)
    sign: int
    rotation_deg: float


def _check_rec(rec: object) -> Recording:
    if not isinstance(rec, Recording):
        raise TypeError(f"rec: expected a retrogait Recording, found {type(rec).__name__}")
    return rec


def _events_table(rec: Recording, ic: list[int], fc: list[int], activity: pd.DataFrame | None) -> pd.DataFrame:
    samples = np.array(ic + fc, dtype=np.int64)
    kinds = np.array(["ic"] * len(ic) + ["fc"] * len(fc), dtype=object)
    if samples.size == 0:
        return schema.empty_events()
    keep = sig.in_periods(samples, activity, n_samples=rec.n_samples)
    samples, kinds = samples[keep], kinds[keep]
    order = np.lexsort((kinds, samples))
    samples, kinds = samples[order], kinds[order]
    table = pd.DataFrame(
        {
            "sample": samples,
            "time_s": samples / rec.sampling_rate_hz,
            "event": kinds,
            "side": rec.side,
            "sensor": rec.name,
        }
    )
    table = table.drop_duplicates(subset=["sample", "event"])
    if len(table) == 0:
        return schema.empty_events()
    return schema.conform(table, schema.EVENTS_COLUMNS)


def pitch_rate(rec: Recording) -> np.ndarray | None:
    """The foot's sagittal angular rate (deg/s), sign arbitrary, from the principal gyro axis.

    The foot rotates mostly about its medio-lateral axis, so the axis of the angular
    rate with the most energy (over the samples whose rate exceeds
    ``MIN_LOBE_PEAK_DPS``) is the pitch axis whatever way the sensor is mounted; the
    rate is projected on it.  :func:`detect_foot_events` fixes the sign per stride.

    Parameters
    ----------
    rec : Recording
        Foot sensor with gyroscope (deg/s), any mounting and sampling rate.

    Returns
    -------
    numpy.ndarray of float or None
        Pitch rate per sample (deg/s, shape ``(rec.n_samples,)``, sign arbitrary); None
        when the foot hardly rotates (fewer than 3 samples above ``MIN_LOBE_PEAK_DPS``),
        e.g. a recording of standing still.

    Raises
    ------
    TypeError
        If ``rec`` is not a Recording.
    InputError
        If the recording has no gyroscope.

    References
    ----------
    Falbriard M, Meyer F, Mariani B, Millet GP, Aminian K (2018). Accurate estimation of
    running temporal parameters using foot-worn inertial sensors. Front Physiol 9:610
    (events from the foot's pitch rate).

    Examples
    --------
    A simulated walk with the sensor aligned to the foot: the pitch axis is the
    sensor's y axis.  With a random mounting the same rate comes out (up to its sign):

    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=3, sampling_rate_hz=100.0, seed=1)
    >>> w = pitch_rate(trial.recording)
    >>> round(abs(float(np.corrcoef(w, trial.recording.gyr()[:, 1])[0, 1])), 3)
    1.0
    >>> turned = simulate_gait(placement="foot", n_strides=3, sampling_rate_hz=100.0, seed=1,
    ...                        mounting="random")
    >>> round(abs(float(np.corrcoef(w, pitch_rate(turned.recording))[0, 1])), 3)
    1.0

    Standing still: no rotation, no pitch axis:

    >>> import pandas as pd
    >>> still = pd.DataFrame(np.zeros((200, 6)), columns=list(schema.ACC_COLUMNS + schema.GYR_COLUMNS))
    >>> still["acc_z"] = 9.81
    >>> pitch_rate(Recording(still, 100.0, placement="foot")) is None
    True
    """
    gyr = sig.fill_gaps(_check_rec(rec).gyr())
    axis = sig.principal_axis(gyr, min_norm=MIN_LOBE_PEAK_DPS)
    if axis is None:
        return None
    return gyr @ axis


def _find_swings(omega_seg: np.ndarray, gyr_norm_seg: np.ndarray, fs: float, *,
                 min_rotation_deg: float) -> list[_Swing]:
    lobes = sig.sign_lobes(omega_seg, sampling_rate_hz=fs, min_peak=MIN_LOBE_PEAK_DPS, split_ratio=SPLIT_RATIO)
    swings: list[_Swing] = []
    n = len(lobes)
    rot = np.abs(lobes.area)
    # least rotation inside each lobe (middle 60 %): a stance lobe passes through the
    # still foot of mid-stance, a swing lobe never does
    inner = np.empty(n)
    for i in range(n):
        a, b = int(lobes.start[i]), int(lobes.end[i])
        margin = (b - a) // 5
        inner[i] = float(gyr_norm_seg[a + margin : max(b - margin, a + margin + 1)].min())
    for i in range(n):
        if rot[i] < min_rotation_deg:
            continue
        bigger = True
        for j in (i - 1, i + 1):
            if 0 <= j < n and lobes.sign[j] != lobes.sign[i]:
                adjacent = lobes.start[max(i, j)] - lobes.end[min(i, j)] <= PIVOT_WINDOW_S * fs
                if not adjacent:
                    continue
                tie = abs(rot[j] - rot[i]) <= TIE_FRACTION * max(rot[i], rot[j])
                if (tie and inner[j] > inner[i]) or (not tie and rot[j] > rot[i]):
                    bigger = False
        if bigger:
            swings.append(_Swing(int(lobes.start[i]), int(lobes.end[i]), int(lobes.sign[i]), float(rot[i])))
    # two swings of the same sign in a row cannot both be swings of one foot unless a
    # stance separates them; a same-sign pair closer than the pivot window is one lobe
    merged: list[_Swing] = []
    for s in swings:
        if merged and s.sign == merged[-1].sign and s.start - merged[-1].end <= 0.05 * fs:
            last = merged[-1]
            merged[-1] = _Swing(last.start, s.end, s.sign, last.rotation_deg + s.rotation_deg)
        else:
            merged.append(s)
    return merged


def _bouts(swings: list[_Swing], fs: float) -> list[list[int]]:
    groups: list[list[int]] = []
    for k, s in enumerate(swings):
        if groups and s.start - swings[groups[-1][-1]].end <= MAX_STRIDE_TIME_S * fs:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _impact_strength(jerk: np.ndarray, lo: int, hi: int) -> float:
    lo, hi = max(lo, 0), min(hi, jerk.size)
    return float(jerk[lo:hi].max()) if hi > lo else 0.0


def _pitch_events(rec: Recording, *, method: str, min_rotation_deg: float) -> tuple[list[int], list[int]]:
    fs = rec.sampling_rate_hz
    omega = pitch_rate(rec)
    if omega is None:
        return [], []
    omega_seg = sig.lowpass(omega, cutoff_hz=SEGMENT_CUTOFF_HZ, sampling_rate_hz=fs)
    omega_ev = sig.lowpass(omega, cutoff_hz=EVENT_CUTOFF_HZ, sampling_rate_hz=fs)
    omega_zc = sig.lowpass(omega, cutoff_hz=CROSSING_CUTOFF_HZ, sampling_rate_hz=fs)
    gyr_norm_seg = sig.lowpass(np.linalg.norm(sig.fill_gaps(rec.gyr()), axis=1), cutoff_hz=SEGMENT_CUTOFF_HZ,
                               sampling_rate_hz=fs)
    swings = _find_swings(omega_seg, gyr_norm_seg, fs, min_rotation_deg=min_rotation_deg)
    if not swings:
        return [], []
    acc = sig.fill_gaps(rec.acc())
    jerk = sig.jerk_norm(acc, sampling_rate_hz=fs)
    before, after = (round(w * fs) for w in IMPACT_WINDOW_S)
    pivot = round(PIVOT_WINDOW_S * fs)
    zc_win = max(1, round(ZERO_CROSSING_WINDOW_S * fs))
    n = rec.n_samples
    ic: list[int] = []
    fc: list[int] = []
    # the sign-normalised signals, made once per sign: multiplying the whole recording
    # for every swing made this loop quadratic in the recording's length
    signs = {sw.sign for sw in swings}
    signed_ev = {sign: sign * omega_ev for sign in signs}
    signed_zc = {sign: sign * omega_zc for sign in signs}
    for group in _bouts(swings, fs):
        # which end of the swing carries the impact?  Forward and backward gait: the
        # end (landing).  A time-reversed recording: the start.
        at_end = np.median([_impact_strength(jerk, swings[k].end - before, swings[k].end + after) for k in group])
        at_start = np.median(
            [_impact_strength(jerk, swings[k].start - after, swings[k].start + before) for k in group]
        )
        reversed_time = method == "pitch_lobes" and at_start > REVERSAL_EVIDENCE * at_end
        pre_l, post_l, start_l, end_l = [], [], [], []
        for k in group:
            s = swings[k]
            w = signed_ev[s.sign]
            # the stance between two swings is split in two halves (as Falbriard et al.
            # split the cycle): the landing extremum lies in the first, the next
            # push-off extremum in the second
            prev_end = (swings[k - 1].end + s.start) // 2 if k > 0 else 0
            next_start = (s.end + swings[k + 1].start) // 2 if k + 1 < len(swings) else n
            # pivot extrema: the opposite-sign lobes just before and after the swing
            lo = max(s.start - pivot, prev_end)
            pre = sig.argmin_in(w, lo, s.start + 1)
            pre_l.append(int(pre) if pre is not None and w[pre] < 0 else s.start)
            post = sig.argmin_in(w, s.end - 1, min(s.end + pivot, next_start))
            post_l.append(int(post) if post is not None and w[post] < 0 else min(s.end, n - 1))
            # contact reverses the swing rotation: the zero crossing that ends the swing
            wz = signed_zc[s.sign]
            end_zc = sig.zero_crossing_near(wz, s.end, lo=s.end - zc_win, hi=s.end + zc_win, falling=True)
            start_zc = sig.zero_crossing_near(wz, s.start, lo=s.start - zc_win, hi=s.start + zc_win, falling=False)
            end_l.append(min(s.end, n - 1) if end_zc is None else int(end_zc))
            start_l.append(s.start if start_zc is None else int(start_zc))
        if method == "falbriard2018":
            ic_g, fc_g = post_l, pre_l
        elif not reversed_time:
            ic_g, fc_g = end_l, pre_l
        else:
            ic_g, fc_g = post_l, start_l
        if method == "pitch_lobes":
            # running strides (Falbriard et al. 2018): contact at the sharp pitch-rate
            # extremum of landing, which follows the zero crossing when the foot lands
            # fast; in running the push-off extremum is final contact in either case
            running = _local_duty_factor(ic_g, fc_g) < RUNNING_DUTY_FACTOR
            ic_g = [post_l[k] if running[k] else ic_g[k] for k in range(len(ic_g))]
            fc_g = [pre_l[k] if running[k] else fc_g[k] for k in range(len(fc_g))]
        # a step must start from a contact: drop swings that leave the ground before (or
        # within the shortest human contact after) the previous landing
        last_ic = -n
        for ic_k, fc_k in zip(ic_g, fc_g, strict=True):
            if fc_k - last_ic < MIN_CONTACT_S * fs:
                continue
            ic.append(ic_k)
            fc.append(fc_k)
            last_ic = ic_k
    return ic, fc


def _local_duty_factor(ic: list[int], fc: list[int]) -> np.ndarray:
    """Duty factor around each swing: median over the neighbouring strides (+-2) of
    contact time / stride time (ic to the next fc over ic to the next ic).

    Local, so that a walk that turns into a run without a pause switches with it.
    Swings without a full stride on either side count as walking (1.0).
    """
    n = len(ic)
    ratios = np.full(n, np.nan)
    for k in range(n - 1):
        if ic[k + 1] > ic[k]:
            ratios[k] = (fc[k + 1] - ic[k]) / (ic[k + 1] - ic[k])
    out = np.ones(n)
    for k in range(n):
        near = ratios[max(0, k - 2) : k + 3]
        near = near[np.isfinite(near)]
        if near.size:
            out[k] = float(np.median(near))
    return out


def _still_mask_acc(rec: Recording) -> np.ndarray:
    fs = rec.sampling_rate_hz
    norm = np.linalg.norm(sig.fill_gaps(rec.acc()), axis=1)
    win = max(1, round(0.1 * fs))
    mean = sig.moving_mean(norm, win)
    sd = np.sqrt(np.clip(sig.moving_mean(norm**2, win) - mean**2, 0.0, None))
    return (sd < STILL_ACC_SD_MS2) & (np.abs(mean - schema.STANDARD_GRAVITY_MS2) < STILL_ACC_MS2)


def _stillness(rec: Recording, *, gyr_threshold_dps: float, acc_threshold_ms2: float,
               min_duration_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Still-foot mask (runs shorter than ``min_duration_s`` removed) and the score it was
    thresholded on (moving mean of the angular-rate norm in deg/s, or without gyroscope the
    deviation of the acceleration norm from g in m/s^2), as described in :func:`detect_stance`."""
    fs = rec.sampling_rate_hz
    win = max(1, round(STILL_WINDOW_S * fs))
    acc_norm = np.linalg.norm(sig.fill_gaps(rec.acc()), axis=1)
    acc_ok = np.abs(sig.moving_mean(acc_norm, win) - schema.STANDARD_GRAVITY_MS2) < acc_threshold_ms2
    if rec.has_gyro:
        score = sig.moving_mean(np.linalg.norm(sig.fill_gaps(rec.gyr()), axis=1), win)
        still = (score < gyr_threshold_dps) & acc_ok
    else:
        score = np.abs(acc_norm - schema.STANDARD_GRAVITY_MS2)
        still = _still_mask_acc(rec) & acc_ok
    min_len = max(1, round(min_duration_s * fs))
    for a, b in sig.runs(still):
        if b - a < min_len:
            still[a:b] = False
    return still, score


def _stances(still: np.ndarray, fs: float) -> list[tuple[int, int]]:
    """Stance periods (start, end exclusive): still stretches lasting at least the shortest
    ground contact (``MIN_CONTACT_S``; a shorter one is a pause of the foot in the air: at
    the top of a swing, or hovering before landing), joined across movements shorter than
    the shortest swing (``MIN_SWING_S``), which cannot have been a step."""
    joined = still.copy()
    for a, b in sig.runs(joined):
        if b - a < MIN_CONTACT_S * fs:
            joined[a:b] = False
    gap = round(MIN_SWING_S * fs)
    for a, b in sig.runs(~joined):
        if 0 < a and b < joined.size and b - a < gap:
            joined[a:b] = True
    return [(int(a), int(b)) for a, b in sig.runs(joined)]


def _swing_displacement_m(acc: np.ndarray, gyr_dps: np.ndarray, rest_lo: int, lo: int, hi: int,
                          fs: float) -> float:
    """Horizontal displacement (m) of the foot between two still periods, ``lo`` to ``hi``.

    Strapdown integration with zero velocity at both ends (Foxlin 2005; Skog et al. 2010):
    the tilt from the specific force at rest just before ``lo`` (from ``rest_lo`` on, at
    most ``STILL_WINDOW_S``), the gyroscope integrated from there, gravity (the norm at
    rest, which also absorbs an accelerometer scale error) removed in the world frame, the
    velocity de-drifted linearly so that it ends at zero, and integrated once more.
    """
    rest = acc[max(rest_lo, lo - max(1, round(STILL_WINDOW_S * fs))) : lo + 1].mean(axis=0)
    q = integrate_gyroscope(gravity_alignment(rest), np.deg2rad(gyr_dps[lo : hi + 1]), fs)
    free = quat_rotate(q, acc[lo : hi + 1]) - np.array([0.0, 0.0, float(np.linalg.norm(rest))])
    vel = np.cumsum(free, axis=0) / fs
    vel -= np.linspace(0.0, 1.0, len(vel))[:, None] * vel[-1]
    end = vel.sum(axis=0) / fs
    return float(np.hypot(end[0], end[1]))


def _landing_edge(jerk: np.ndarray, lo: int, hi: int, *, reverse: bool) -> int:
    """Onset (half maximum) of the largest jerk burst in ``[lo, hi)`` (Hanlon & Anderson
    2009), or its end when ``reverse`` (the same burst in a time-reversed recording)."""
    peak = sig.argmax_in(jerk, lo, hi)
    if peak is None:
        return lo if not reverse else hi - 1
    level = 0.5 * float(jerk[peak])
    if reverse:
        after = np.flatnonzero(jerk[peak:hi] < level)
        return peak + int(after[0]) - 1 if after.size else peak
    before = np.flatnonzero(jerk[lo : peak + 1] < level)
    return lo + int(before[-1]) + 1 if before.size else peak


def _stillness_fallback(rec: Recording, ic: list[int], fc: list[int]) -> tuple[list[int], list[int]]:
    """Contacts at the stance boundaries where the pitch-lobe rule missed a swing.

    Side-stepping hardly pitches the foot: it rolls and yaws, so the pitch-lobe rule finds
    no swing, or takes the push-off pitch spike for a swing.  The stillness
    (zero-velocity) detector sees every flat foot whatever the walking direction, and
    zero-velocity-aided foot navigation takes the stance boundaries as the contacts (Skog
    et al. 2010).  For each pair of consecutive stances (:func:`_stances`) the swing
    between them is checked: when the pitch events already hold a stride there (the
    last event before the middle of the swing is a final contact from the first stance on,
    the first one after it an initial contact up to the end of the next stance) they are
    kept.  Otherwise, when the movement is one real swing, the pitch events from the
    middle of the first stance to the middle of the next are replaced by final contact =
    end of the first stance and initial contact = onset of the landing impact (largest jerk
    burst from ``IMPACT_LOOKBACK_S`` before the next stance through its first half;
    Hanlon & Anderson 2009).  One real swing means: shorter than the longest stride, no
    pitch-lobe contact inside it with a shortest swing (``MIN_SWING_S``) of room on both
    sides (the stillness detector missed a short running stance), and a horizontal
    displacement of at least ``MIN_STEP_LENGTH_M`` (:func:`_swing_displacement_m`), so that
    a foot shifted or turned while standing is not a step.  As for the lobes, the landing
    is the end with the stronger impacts: when the ends of the stances carry impacts
    ``REVERSAL_EVIDENCE`` times stronger than their starts the recording runs backwards in
    time and the roles of the two boundaries are swapped.
    """
    fs = rec.sampling_rate_hz
    still, _ = _stillness(rec, gyr_threshold_dps=STILL_GYR_DPS, acc_threshold_ms2=STILL_ACC_MS2,
                          min_duration_s=MIN_STILL_S)
    stances = _stances(still, fs)
    if len(stances) < 2:
        return ic, fc
    samples = np.array(ic + fc, dtype=np.int64)
    kinds = np.array(["ic"] * len(ic) + ["fc"] * len(fc), dtype=object)
    order = np.argsort(samples, kind="stable")
    samples, kinds = samples[order], kinds[order]
    acc = sig.fill_gaps(rec.acc())
    gyr = sig.fill_gaps(rec.gyr())
    room = round(MIN_SWING_S * fs)
    chosen: list[int] = []
    for j in range(len(stances) - 1):
        (a0, a1), (b0, b1) = stances[j], stances[j + 1]
        if b0 - a1 > MAX_STRIDE_TIME_S * fs:
            continue
        k = int(np.searchsorted(samples, (a1 + b0) // 2))
        if 0 < k < samples.size and kinds[k - 1] == "fc" and samples[k - 1] >= a0 \
                and kinds[k] == "ic" and samples[k] <= b1:
            continue  # the lobes found this stride
        inner = np.flatnonzero((samples >= a1 + room) & (samples <= b0 - room))
        if any(kinds[i] == "ic" and i + 1 in inner and kinds[i + 1] == "fc" for i in inner):
            continue  # a contact the stillness detector missed: more than one swing
        if _swing_displacement_m(acc, gyr, a0, a1, b0, fs) < MIN_STEP_LENGTH_M:
            continue
        chosen.append(j)
    if not chosen:
        return ic, fc
    jerk = sig.jerk_norm(acc, sampling_rate_hz=fs)
    look = round(IMPACT_LOOKBACK_S * fs)
    used = sorted({i for j in chosen for i in (j, j + 1)})
    at_start = np.median([_impact_strength(jerk, stances[i][0] - look, (stances[i][0] + stances[i][1]) // 2)
                          for i in used])
    at_end = np.median([_impact_strength(jerk, (stances[i][0] + stances[i][1]) // 2, stances[i][1] + look)
                        for i in used])
    reversed_time = at_end > REVERSAL_EVIDENCE * at_start
    drop = np.zeros(samples.size, dtype=bool)
    new_ic: list[int] = []
    new_fc: list[int] = []
    for j in chosen:
        (a0, a1), (b0, b1) = stances[j], stances[j + 1]
        drop |= (samples >= (a0 + a1) // 2) & (samples < (b0 + b1) // 2)
        if reversed_time:
            new_fc.append(_landing_edge(jerk, (a0 + a1) // 2, min(a1 + look, b0), reverse=True))
            new_ic.append(b0)
        else:
            new_fc.append(min(a1, rec.n_samples - 1))
            new_ic.append(_landing_edge(jerk, max(b0 - look, a1), (b0 + b1) // 2 + 1, reverse=False))
    keep_ic = [int(x) for x in samples[~drop & (kinds == "ic")]]
    keep_fc = [int(x) for x in samples[~drop & (kinds == "fc")]]
    return keep_ic + new_ic, keep_fc + new_fc


def _acc_events(rec: Recording) -> tuple[list[int], list[int]]:
    fs = rec.sampling_rate_hz
    still = _still_mask_acc(rec)
    # still stretches closer than the shortest swing belong to one stance
    gap = round(MIN_SWING_S * fs)
    moving = sig.runs(~still)
    for a, b in moving:
        if 0 < a and b < still.size and b - a < gap:
            still[a:b] = True
    jerk = sig.jerk_norm(sig.fill_gaps(rec.acc()), sampling_rate_hz=fs)
    quiet = float(np.median(jerk[still])) if still.any() else 0.0
    ic: list[int] = []
    fc: list[int] = []
    look = round(0.25 * fs)
    for a, b in sig.runs(still):
        if b - a < MIN_STILL_S * fs or a == 0:
            continue  # the recording's own start is not a landing
        lo = max(a - look, 0)
        peak = sig.argmax_in(jerk, lo, a + 1)
        if peak is None or jerk[peak] < 10.0 * max(quiet, 1e-9):
            continue  # no impact: the foot came to rest without landing (standing)
        onset = sig.first_crossing(jerk, 0.5 * float(jerk[peak]), lo=lo, hi=a + 1)
        ic.append(int(peak if onset is None else onset))
        if b < rec.n_samples:  # stillness lasting to the end of the recording has no lift-off
            fc.append(int(b))
    return ic, fc


def detect_foot_events(
    rec: Recording,
    *,
    activity: pd.DataFrame | None = None,
    method: str = "auto",
    min_rotation_deg: float = MIN_SWING_ROTATION_DEG,
    stillness_fallback: bool = True,
) -> pd.DataFrame:
    """Detect initial (``ic``) and final (``fc``) contacts of one foot-mounted sensor.

    Works for walking and running, forward and backward, with the sensor mounted any
    way (the sagittal axis and its sign are found from the data).

    Parameters
    ----------
    rec : Recording
        Foot sensor; acc in m/s^2, gyr in deg/s, any sampling rate.
    activity : pandas.DataFrame, optional
        Active periods (``start_sample``, ``end_sample`` exclusive) from
        :func:`retrogait.bouts.detect_activity`; events outside them are dropped.
    method : {"auto", "pitch_lobes", "falbriard2018", "impact_stillness"}
        See the module docstring.  ``"auto"``: ``"pitch_lobes"`` with a gyroscope,
        ``"impact_stillness"`` without.
    min_rotation_deg : float
        Smallest swing rotation of the foot that counts as a step, in deg.
    stillness_fallback : bool
        ``"pitch_lobes"`` only: where consecutive still (zero-velocity) periods of the
        foot are separated by one real swing that the lobe rule missed (side-stepping, a
        shuffled or closing step), take the contacts at the stance boundaries (see the
        module docstring).  False gives the lobe rule alone.

    Returns
    -------
    pandas.DataFrame
        Events table (``schema.EVENTS_COLUMNS``: ``sample``, ``time_s`` in s, ``event``,
        ``side``, ``sensor``) sorted by time; empty (with its columns) when no stride is
        found, e.g. while standing.

    Raises
    ------
    InputError
        If ``method`` is unknown, a gyroscope method is asked for a recording without
        gyroscope, ``min_rotation_deg`` is not positive or ``stillness_fallback`` is not a
        bool.

    References
    ----------
    Falbriard M, Meyer F, Mariani B, Millet GP, Aminian K (2018). Accurate estimation of
    running temporal parameters using foot-worn inertial sensors. Front Physiol 9:610.

    Foxlin E (2005). Pedestrian tracking with shoe-mounted inertial sensors. IEEE Comput
    Graph Appl 25(6):38-46 (zero-velocity updates in the still stance).

    Hanlon M, Anderson R (2009). Real-time gait event detection using wearable sensors.
    Gait Posture 30:523-527.

    Rampp A, Barth J, Schuelein S, Gassmann KG, Klucken J, Eskofier BM (2015). Inertial
    sensor-based stride parameter calculation from gait sequences in geriatric patients.
    IEEE Trans Biomed Eng 62:1089-1097.

    Skog I, Handel P, Nilsson J-O, Rantakokko J (2010). Zero-velocity detection -- an
    algorithm evaluation. IEEE Trans Biomed Eng 57(11):2657-2666.

    Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley
    (gait kinematics below about 6 Hz).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from retrogait import Recording
    >>> still = pd.DataFrame({"acc_x": np.zeros(500), "acc_y": np.zeros(500), "acc_z": np.full(500, 9.81),
    ...                       "gyr_x": np.zeros(500), "gyr_y": np.zeros(500), "gyr_z": np.zeros(500)})
    >>> len(detect_foot_events(Recording(still, 100.0, placement="foot", side="left")))
    0
    """
    _check_rec(rec)
    if method not in METHODS:
        raise InputError(f"method: expected one of {list(METHODS)}, found {method!r}")
    if not (isinstance(min_rotation_deg, int | float) and min_rotation_deg > 0):
        raise InputError(f"min_rotation_deg: expected a positive angle in deg, found {min_rotation_deg!r}")
    if not isinstance(stillness_fallback, bool | np.bool_):
        raise InputError(f"stillness_fallback: expected True or False, found {stillness_fallback!r}")
    if method == "auto":
        method = "pitch_lobes" if rec.has_gyro else "impact_stillness"
    if method in ("pitch_lobes", "falbriard2018") and not rec.has_gyro:
        raise InputError(
            f"method={method!r} needs a gyroscope (gyr_x, gyr_y, gyr_z); recording {rec.name!r} has none. "
            "Use method='impact_stillness' for accelerometer-only foot sensors."
        )
    if rec.n_samples < 3:
        return schema.empty_events()
    sig.warn_gaps(rec, "detect_foot_events")
    if method == "impact_stillness":
        ic, fc = _acc_events(rec)
    else:
        ic, fc = _pitch_events(rec, method=method, min_rotation_deg=float(min_rotation_deg))
        if method == "pitch_lobes" and stillness_fallback:
            ic, fc = _stillness_fallback(rec, ic, fc)
    return _events_table(rec, ic, fc, activity)


def detect_stance(
    rec: Recording,
    *,
    events: pd.DataFrame | None = None,
    gyr_threshold_dps: float = STILL_GYR_DPS,
    acc_threshold_ms2: float = STILL_ACC_MS2,
    min_duration_s: float = MIN_STILL_S,
) -> pd.DataFrame:
    """Zero-velocity (still foot) intervals of a foot sensor, for zero-velocity updates.

    The foot counts as still where the moving mean (50 ms) of the angular-rate norm is
    below ``gyr_threshold_dps`` and the acceleration norm is within
    ``acc_threshold_ms2`` of g (accelerometer only: a small moving SD of the norm
    instead of the angular rate).  Stillness does not depend on the walking
    direction.  Every contact of ``events`` (initial contact to the next final
    contact) gets at least one interval: in running, where the foot may never drop
    below the thresholds, the interval is centred on the sample of least rotation
    (+-20 ms).

    Parameters
    ----------
    rec : Recording
        Foot sensor.
    events : pandas.DataFrame, optional
        Events of this sensor (from :func:`detect_foot_events`); detected when None.
    gyr_threshold_dps : float
        Largest moving mean (50 ms) of the angular-rate norm of a still foot, in deg/s
        (used when the recording has a gyroscope).
    acc_threshold_ms2 : float
        Largest deviation of the moving mean (50 ms) of the acceleration norm from g of a
        still foot, in m/s^2.
    min_duration_s : float
        Shortest still interval kept, in s.

    Returns
    -------
    pandas.DataFrame
        ``start_sample``, ``end_sample`` (exclusive) as sample indices, ``start_s``,
        ``end_s`` in s; sorted and not overlapping; standing periods are included.

    Raises
    ------
    TypeError
        If ``rec`` is not a Recording.
    InputError
        If ``gyr_threshold_dps``, ``acc_threshold_ms2`` or ``min_duration_s`` is not a
        positive number.

    References
    ----------
    Rampp A, et al. (2015). Inertial sensor-based stride parameter calculation from gait
    sequences in geriatric patients. IEEE Trans Biomed Eng 62:1089-1097 (zero-velocity
    updates of foot sensors).

    Examples
    --------
    A simulated walk of 5 strides with 2 s of standing before and after: one still
    interval while standing before, one in every stance (after its initial contact and
    before the next final contact of the simulator's truth), and one from the last
    contact through the standing at the end:

    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=5, sampling_rate_hz=100.0, seed=1)
    >>> still = detect_stance(trial.recording)
    >>> n = trial.recording.n_samples
    >>> len(still), float(still["start_s"].iloc[0]), bool(still["end_sample"].iloc[-1] == n)
    (7, 0.0, True)
    >>> truth = trial.events.sort_values("time_s")
    >>> def between(start_s, end_s):
    ...     before = truth.loc[truth["time_s"] <= start_s, "event"].iloc[-1]
    ...     after = truth.loc[truth["time_s"] >= end_s, "event"].iloc[0]
    ...     return before, after
    >>> {between(a, b) for a, b in zip(still["start_s"].iloc[1:-1], still["end_s"].iloc[1:-1])}
    {('ic', 'fc')}

    A threshold must be positive:

    >>> detect_stance(trial.recording, gyr_threshold_dps=0)
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: gyr_threshold_dps: expected a positive number, found 0
    """
    _check_rec(rec)
    for name, value in (("gyr_threshold_dps", gyr_threshold_dps), ("acc_threshold_ms2", acc_threshold_ms2),
                        ("min_duration_s", min_duration_s)):
        if not (isinstance(value, int | float) and value > 0):
            raise InputError(f"{name}: expected a positive number, found {value!r}")
    fs = rec.sampling_rate_hz
    n = rec.n_samples
    columns = {"start_sample": "int64", "end_sample": "int64", "start_s": "float64", "end_s": "float64"}
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})
    still, score = _stillness(rec, gyr_threshold_dps=gyr_threshold_dps, acc_threshold_ms2=acc_threshold_ms2,
                              min_duration_s=min_duration_s)
    min_len = max(1, round(min_duration_s * fs))
    if events is None:
        events = detect_foot_events(rec)
    ev = events[events["sensor"] == rec.name] if "sensor" in events.columns else events
    ev = ev.sort_values("sample")
    samples = ev["sample"].to_numpy(dtype=np.int64)
    kinds = ev["event"].to_numpy()
    half = max(1, round(0.02 * fs), (min_len + 1) // 2)
    for i in np.flatnonzero(kinds == "ic"):
        later = np.flatnonzero((kinds == "fc") & (samples > samples[i]))
        if later.size == 0:
            continue
        a, b = int(samples[i]), int(samples[later[0]])
        if b <= a or still[a:b].any():
            continue
        c = a + int(np.argmin(score[a:b]))
        still[max(a, c - half) : min(b, c + half + 1)] = True
    intervals = [(int(a), int(b)) for a, b in sig.runs(still)]
    starts = np.array([a for a, _ in intervals], dtype=np.int64)
    ends = np.array([b for _, b in intervals], dtype=np.int64)
    return pd.DataFrame({"start_sample": starts, "end_sample": ends, "start_s": starts / fs, "end_s": ends / fs})
