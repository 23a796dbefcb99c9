"""Segment kinematics (foot, shank, lower back) and the inertial signals derived from them."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.interpolate import CubicSpline, PchipInterpolator
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from retrogait import schema
from retrogait.errors import InputError
from retrogait.simulate._styles import (
    _ANKLE_M,
    _SHANK_LENGTH_M,
    _SHANK_SENSOR_M,
    _TOE_PIVOT_M,
    GRAVITY_MS2,
    _com_vertical_m,
    _direction_vector,
)
from retrogait.simulate._timeline import _Timeline


def _pchip(keys: list[tuple[float, float]], t: np.ndarray, hold: float = 0.0) -> tuple[np.ndarray, ...]:
    """Value, first and second derivative of a monotone cubic through (time, value) keys.

    Before the first and after the last key the value is held (derivatives 0).
    """
    arr = np.array(sorted(keys))
    times, index = np.unique(arr[:, 0], return_index=True)
    values = arr[index, 1]
    if len(times) < 2:
        z = np.full_like(t, hold)
        return z, np.zeros_like(t), np.zeros_like(t)
    interp = PchipInterpolator(times, values, extrapolate=False)
    val = interp(t)
    d1 = interp.derivative(1)(t)
    d2 = interp.derivative(2)(t)
    before, after = t < times[0], t > times[-1]
    val[before], val[after] = values[0], values[-1]
    for arr_ in (d1, d2):
        arr_[before | after] = 0.0
    return val, d1, d2


def _euler_zyx(yaw: np.ndarray, pitch: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """Rotation matrices ``Rz(yaw) Ry(pitch) Rx(roll)`` (radians), shape (n, 3, 3)."""
    cz, sz, cy, sy, cx, sx = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch), np.cos(roll), np.sin(roll)
    out = np.empty(yaw.shape + (3, 3))
    out[..., 0, 0] = cz * cy
    out[..., 0, 1] = cz * sy * sx - sz * cx
    out[..., 0, 2] = cz * sy * cx + sz * sx
    out[..., 1, 0] = sz * cy
    out[..., 1, 1] = sz * sy * sx + cz * cx
    out[..., 1, 2] = sz * sy * cx - cz * sx
    out[..., 2, 0] = -sy
    out[..., 2, 1] = cy * sx
    out[..., 2, 2] = cy * cx
    return out


def _apply(euler: np.ndarray, vectors: np.ndarray, *, inverse: bool = False, chunk: int = 65536) -> np.ndarray:
    """``R v`` (or ``R^T v`` with ``inverse``) for ZYX Euler angles (n, 3) = (yaw, pitch, roll).

    ``vectors`` is one vector (3,) or one per sample (n, 3).  Works in chunks so that the
    (n, 3, 3) rotation matrices of a long recording never exist at once.
    """
    out = np.empty((len(euler), 3))
    for lo in range(0, len(euler), chunk):
        part = euler[lo:lo + chunk]
        rot = _euler_zyx(part[:, 0], part[:, 1], part[:, 2])
        vec = np.broadcast_to(vectors if vectors.ndim == 1 else vectors[lo:lo + chunk], (len(part), 3))
        out[lo:lo + chunk] = np.einsum("nji,nj->ni" if inverse else "nij,nj->ni", rot, vec)
    return out


def _body_rate(euler: np.ndarray, dt: float) -> np.ndarray:
    """Angular rate in the body frame (rad/s) of ZYX Euler angles sampled every ``dt`` s.

    ``omega = (roll' - yaw' sin(pitch), pitch' cos(roll) + yaw' sin(roll) cos(pitch),
    -pitch' sin(roll) + yaw' cos(roll) cos(pitch))`` for ``R = Rz(yaw) Ry(pitch) Rx(roll)``.
    """
    yaw, pitch, roll = euler[:, 0], euler[:, 1], euler[:, 2]
    dyaw, dpitch, droll = (np.gradient(a, dt, edge_order=2) for a in (yaw, pitch, roll))
    return np.stack([droll - dyaw * np.sin(pitch),
                     dpitch * np.cos(roll) + dyaw * np.sin(roll) * np.cos(pitch),
                     -dpitch * np.sin(roll) + dyaw * np.cos(roll) * np.cos(pitch)], axis=1)


def _ankle_state(theta: float, dtheta: float, ddtheta: float, anchor: np.ndarray) -> np.ndarray:
    """Ankle position, velocity and acceleration (rows p, v, a; cols x, y, z) in the rocker.

    The heel is fixed while the toes are up (or the foot is flat) and moves about the
    metatarsal heads while the toes are down; the ankle is the foot point ``_ANKLE_M``.
    """
    heel = np.zeros((3, 3))
    heel[0, :2] = anchor
    c, s = math.cos(theta), math.sin(theta)
    if theta < 0:  # rotation about the metatarsal heads
        b = _TOE_PIVOT_M
        heel[0, 0] += b * (1 - c)
        heel[0, 2] = -b * s
        heel[1, 0] = b * s * dtheta
        heel[1, 2] = -b * c * dtheta
        heel[2, 0] = b * (c * dtheta**2 + s * ddtheta)
        heel[2, 2] = b * (s * dtheta**2 - c * ddtheta)
    ax, az = _ANKLE_M[0], _ANKLE_M[2]
    rot = np.array([c * ax - s * az, 0.0, s * ax + c * az])  # R(theta) a, toes-up pitch
    drot = np.array([-s * ax - c * az, 0.0, c * ax - s * az])  # dR/dtheta a
    state = heel.copy()
    state[0] += rot
    state[1] += dtheta * drot
    state[2] += ddtheta * drot - dtheta**2 * rot
    return state


def _shank_vector_state(phi: float, dphi: float, ddphi: float) -> np.ndarray:
    """Knee-to-ankle vector, its velocity and acceleration (rows p, v, a; cols x, y, z).

    The shank (length ``_SHANK_LENGTH_M``) is inclined by ``phi`` rad, + = knee ahead of the
    ankle, so the ankle lies at ``l (-sin phi, 0, -cos phi)`` from the knee.
    """
    c, s = math.cos(phi), math.sin(phi)
    length = _SHANK_LENGTH_M
    return np.array([[-length * s, 0.0, -length * c],
                     [-length * c * dphi, 0.0, length * s * dphi],
                     [length * (s * dphi**2 - c * ddphi), 0.0, length * (c * dphi**2 + s * ddphi)]])


def _quintic(p0: np.ndarray, p1: np.ndarray, h: float, u: np.ndarray) -> np.ndarray:
    """Quintic Hermite between states p0 and p1 (rows p, v, a) over duration h at u in [0, 1]."""
    d = p1[0] - p0[0]
    v0, v1, a0, a1 = p0[1] * h, p1[1] * h, p0[2] * h * h, p1[2] * h * h
    c3 = 10 * d - 6 * v0 - 4 * v1 - 1.5 * a0 + 0.5 * a1
    c4 = -15 * d + 8 * v0 + 7 * v1 + 1.5 * a0 - a1
    c5 = 6 * d - 3 * v0 - 3 * v1 - 0.5 * a0 + 0.5 * a1
    u = u[:, None]
    return p0[0] + v0 * u + 0.5 * a0 * u**2 + c3 * u**3 + c4 * u**4 + c5 * u**5


def _impacts(t: np.ndarray, onsets: Sequence[float], amplitudes: Sequence[float], directions: Sequence[np.ndarray],
             components: Sequence[tuple[float, float]], rng: np.random.Generator,
             lateral: Sequence[float] | None = None) -> np.ndarray:
    """World displacement (n, 3) of the contact transients of one sensor.

    Each contact shakes the sensor mostly upward and against the direction of travel
    (the foot is stopped), with a random lateral part plus ``lateral`` (world y, per
    contact); ``components`` are (frequency Hz, decay s) pairs, each with peak
    acceleration ``amplitude``.
    """
    out = np.zeros((len(t), 3))
    amps = np.asarray(amplitudes, dtype=float)
    unit = np.array([[-0.4 * d[0], -0.4 * d[1], 0.92] for d in directions]).reshape(-1, 3)
    unit[:, :2] += rng.uniform(-0.25, 0.25, size=(len(amps), 2))
    if lateral is not None:
        unit[:, 1] += np.asarray(lateral, dtype=float)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    for freq_hz, decay_s in components:
        for axis in range(3):
            out[:, axis] += _wobble(t, onsets, amps * unit[:, axis], freq_hz, decay_s)
    return out


def _wobble(t: np.ndarray, onsets: Sequence[float], amplitudes: Sequence[float], freq_hz: float,
            decay_s: float) -> np.ndarray:
    """Sum of damped oscillations (displacement) whose second derivative peaks at ``amplitudes``.

    ``d(t) = A' (t/tau) exp(-t/tau) sin(2 pi f t)`` starts and ends with zero displacement
    and velocity, so an impact adds no net velocity or displacement.
    """
    out = np.zeros_like(t)
    omega = 2 * math.pi * freq_hz
    # peak |d''| of the unit shape, measured on the simulation grid (so the peak is met there)
    step = float(t[1] - t[0]) if len(t) > 1 else decay_s / 100
    grid = np.arange(0.0, 10 * decay_s, step)
    shape = (grid / decay_s) * np.exp(-grid / decay_s) * np.sin(omega * grid)
    peak = np.max(np.abs(np.gradient(np.gradient(shape, grid), grid)))
    for onset, amp in zip(onsets, amplitudes, strict=True):
        lo, hi = np.searchsorted(t, [onset, onset + 10 * decay_s])
        tau = t[lo:hi] - onset
        out[lo:hi] += amp / peak * (tau / decay_s) * np.exp(-tau / decay_s) * np.sin(omega * tau)
    return out


def _foot_kinematics(tl: _Timeline, side: str, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heel position (n, 3), pitch (rad) and orientation (n, 3 ZYX Euler angles) of one foot.

    The rotation is ``Rz(yaw) Ry(-pitch) Rx(roll)``: pitch from the key angles, and in
    swing a small roll (inversion) and yaw bump ``A sin^2(pi u)`` that is zero, with zero
    rate, at both contacts.
    """
    keys = tl.pitch_keys[side]
    theta = np.deg2rad(_pchip(keys, t)[0])
    phi_all, swing_phi = _shank_angle(tl, side, t)
    heel = np.zeros((len(t), 3))
    ankle_swing = np.full((len(t), 3), np.nan)
    roll = np.zeros(len(t))
    yaw = np.zeros(len(t))
    stances = tl.stances[side]
    toe = theta < 0
    for k, st in enumerate(stances):
        lo, hi = np.searchsorted(t, [st.ic_s, st.fc_s], side="left")
        hi = min(hi + (1 if st.fc_s == math.inf else 0), len(t))
        sl = slice(lo, hi)
        heel[sl, 0], heel[sl, 1] = st.anchor
        th = theta[sl]
        mask = toe[sl]
        heel[sl, 0] += np.where(mask, _TOE_PIVOT_M * (1 - np.cos(th)), 0.0)
        heel[sl, 2] = np.where(mask, -_TOE_PIVOT_M * np.sin(th), 0.0)
        if k + 1 < len(stances):
            nxt = stances[k + 1]
            s_lo, s_hi = np.searchsorted(t, [st.fc_s, nxt.ic_s], side="left")
            if s_hi <= s_lo:
                continue
            dur = nxt.ic_s - st.fc_s
            # In swing the foot hangs from the leg.  The ankle is the lower end of the
            # shank, which turns (inclination from the shank keys) about the knee; the
            # knee progresses on a quintic that continues the stance phases with matching
            # horizontal position, velocity and acceleration of the ankle at both
            # contacts.  The height of the ankle is the controlled foot clearance (Winter
            # 1992): a quintic between the stance heights plus a smooth bump; the knee's
            # height follows from it.  The foot turns with the shank, so it swings about a
            # centre above the ankle, in either walking direction.  Pitch derivatives are
            # taken on the stance side of each contact (the second derivative of the
            # monotone cubic jumps at the keys) and the shank's inclination in swing is a
            # C2 spline, so the ankle path is C2.
            end = np.deg2rad(np.ravel(_pchip(keys, np.array([st.fc_s - 1e-9, nxt.ic_s + 1e-9]))).reshape(3, 2))
            spline = swing_phi[k]
            shank = np.array([[spline(x, nu) for x in (st.fc_s, nxt.ic_s)] for nu in range(3)])
            ankle0 = _ankle_state(end[0, 0], end[1, 0], end[2, 0], st.anchor)
            ankle1 = _ankle_state(end[0, 1], end[1, 1], end[2, 1], nxt.anchor)
            knee0 = ankle0 - _shank_vector_state(shank[0, 0], shank[1, 0], shank[2, 0])
            knee1 = ankle1 - _shank_vector_state(shank[0, 1], shank[1, 1], shank[2, 1])
            u = (t[s_lo:s_hi] - st.fc_s) / dur
            phi = phi_all[s_lo:s_hi]
            path = _quintic(knee0, knee1, dur, u)
            path[:, 0] -= _SHANK_LENGTH_M * np.sin(phi)
            path[:, 2] = _quintic(ankle0, ankle1, dur, u)[:, 2] + st.style.clearance_m * 64 * u**3 * (1 - u) ** 3
            ankle_swing[s_lo:s_hi] = path
            bump = np.sin(np.pi * u) ** 2
            roll[s_lo:s_hi] = np.deg2rad(st.swing_roll_deg) * bump
            yaw[s_lo:s_hi] = np.deg2rad(st.swing_yaw_deg) * bump
    euler = np.stack([yaw, -theta, roll], axis=1)
    swing = ~np.isnan(ankle_swing[:, 0])
    heel[swing] = ankle_swing[swing] - _apply(euler[swing], _ANKLE_M)
    return heel, theta, euler


def _shank_angle(tl: _Timeline, side: str, t: np.ndarray) -> tuple[np.ndarray, dict[int, CubicSpline]]:
    """Shank inclination (rad, + = knee ahead of the ankle) and its swing splines.

    In stance a monotone cubic through the shank keys; in each swing (after stance ``k``)
    a cubic spline through the same keys, which has a continuous second derivative (the
    knee-driven ankle path turns it into linear acceleration over the shank's length) and
    meets the stance curve with equal angle and rate at both contacts.
    """
    keys = tl.shank_keys[side]
    phi = np.deg2rad(_pchip(keys, t)[0])
    splines: dict[int, CubicSpline] = {}
    stances = tl.stances[side]
    for k in range(len(stances) - 1):
        t0, t1 = stances[k].fc_s, stances[k + 1].ic_s
        lo, hi = np.searchsorted(t, [t0, t1], side="left")
        if hi <= lo:
            continue
        ends = _pchip(keys, np.array([t0, t1]))
        inner = sorted((x, a) for x, a in keys if t0 < x < t1)
        knots = np.array([t0, *(x for x, _ in inner), t1])
        values = np.deg2rad([ends[0][0], *(a for _, a in inner), ends[0][1]])
        spline = CubicSpline(knots, values, bc_type=((1, np.deg2rad(ends[1][0])), (1, np.deg2rad(ends[1][1]))))
        splines[k] = spline
        phi[lo:hi] = spline(t[lo:hi])
    return phi, splines


def _shank_kinematics(tl: _Timeline, side: str, t: np.ndarray, heel: np.ndarray, foot_euler: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Shank sensor position and orientation (Euler): the foot's ankle plus the shank inclination."""
    ankle = heel + _apply(foot_euler, _ANKLE_M)
    euler = np.zeros((len(t), 3))
    euler[:, 1] = _shank_angle(tl, side, t)[0]
    return ankle + _apply(euler, _SHANK_SENSOR_M), euler


def _trunk_kinematics(tl: _Timeline, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower-back sensor position and rotation from the steps of both feet.

    The vertical oscillation has its minimum in double support in walking (inverted
    pendulum) and at mid-stance in running (spring-mass); the forward speed is highest at
    the lowest point in walking and lowest there in running; the sway goes toward the
    stance foot.  All oscillations fade in and out over the first and last step of a bout.
    """
    n = len(t)
    pos = np.zeros((n, 3))
    pos[:, 2] = 1.0
    roll = np.zeros(n)
    pitch = np.zeros(n)
    yaw = np.zeros(n)
    steps = tl.steps
    foot_pos = {"left": tl.stances["left"][0].anchor, "right": tl.stances["right"][0].anchor}
    pos[:, :2] = (foot_pos["left"] + foot_pos["right"]) / 2
    start = 0
    for span in tl.bout_spans:
        bout_steps = [s for s in steps[start:] if s[0] <= span[1]]
        start += len(bout_steps)
        ics = np.array([s[0] for s in bout_steps])
        lo, hi = np.searchsorted(t, span)
        tb = t[lo:hi]
        # base progression: mid-point of the feet at each contact (the last contact
        # excluded: the trunk comes to rest over both feet at the end of the bout),
        # a C2 spline that starts and ends at rest.
        key_t, key_p = [span[0]], [(foot_pos["left"] + foot_pos["right"]) / 2]
        drop_m = []  # trunk drop below standing height in the double support after each contact
        for ic, side, sty, anchor in bout_steps:
            other = foot_pos["right" if side == "left" else "left"]
            drop_m.append(_com_vertical_m(sty, float((anchor - other) @ _direction_vector(sty.direction))))
            foot_pos[side] = anchor
            key_t.append(ic)
            key_p.append((foot_pos["left"] + foot_pos["right"]) / 2)
        key_t[-1] = span[1]
        pos[lo:hi, :2] = CubicSpline(key_t, np.array(key_p), bc_type="clamped", axis=0)(tb)
        pos[hi:, :2] = key_p[-1]
        u = PchipInterpolator(ics, np.arange(len(ics), dtype=float), extrapolate=True)(tb)
        env = np.interp(tb, [span[0], ics[0], ics[-1], span[1]], [0.0, 1.0, 1.0, 0.0])
        env = env * env * (3 - 2 * env)  # smoothstep
        # Per-step parameters, interpolated across the steps where the gait changes.
        # Lowest point u0 (in steps after contact): mid double support when walking,
        # mid-stance when running.  Walking: arcs of an inverted pendulum joined by a
        # sharp low point (von Mises shape, sharpness 0.5), so the upward acceleration
        # peaks briefly just after contact as in lower-back recordings; running: a
        # sinusoid (spring-mass, sharpness ~0).  The depth of each low point follows the
        # step whose contact it follows (the legs span that step, Zijlstra & Hof 2003), so
        # the trunk rises to standing height over the step that closes a bout.
        par = np.array([[0.0, s[2].com_ap_m, s[2].com_ml_m, s[2].stance_pct / 100,
                         1.0 if s[2].gait == "walk" else -1.0, *_direction_vector(s[2].direction),
                         s[2].stance_pct / 100 - (0.5 if s[2].gait == "walk" else 0.0),
                         0.5 if s[2].gait == "walk" else 1e-6]
                        for s in bout_steps])
        p = np.stack([np.interp(tb, ics, par[:, j]) for j in range(par.shape[1])], axis=1)
        stance = p[:, 3]
        walk = p[:, 4]
        wave = 2 * np.pi * (u - p[:, 7])
        sharp = p[:, 8]
        p[:, 0] = np.interp(u, np.arange(len(ics)) + par[:, 7], drop_m)
        shape = (np.exp(sharp * (np.cos(wave) - 1)) - np.exp(-2 * sharp)) / (1 - np.exp(-2 * sharp))
        pos[lo:hi, 2] += -env * p[:, 0] * shape
        ap = env * walk * p[:, 1] * np.sin(wave)
        pos[lo:hi, 0] += ap * p[:, 5]
        pos[lo:hi, 1] += ap * p[:, 6]
        sway = np.cos(np.pi * (u - stance))
        pos[lo:hi, 1] += env * p[:, 2] * sway
        roll[lo:hi] = env * np.deg2rad(2.0) * sway
        yaw[lo:hi] = env * np.deg2rad(5.0) * np.sin(np.pi * u)
        pitch[lo:hi] = env * np.deg2rad(1.5) * np.sin(wave)
    return pos, np.stack([yaw, pitch, roll], axis=1)


def _synthesize(pos: np.ndarray, euler: np.ndarray, fine_rate_hz: float, factor: int, mounting: np.ndarray,
                noise_std_ms2: float, gyro_noise_std_dps: float, gyro: bool, rng: np.random.Generator
                ) -> pd.DataFrame:
    """Specific force ``R^T (a + g)`` and body angular rate in the sensor frame, anti-aliased, decimated.

    ``euler`` (n, 3) are the segment's ZYX Euler angles (yaw, pitch, roll) in rad.
    """
    dt = 1.0 / fine_rate_hz
    acc_world = np.gradient(np.gradient(pos, dt, axis=0, edge_order=2), dt, axis=0, edge_order=2)
    acc_world[:, 2] += GRAVITY_MS2
    columns = {}
    signals = [_apply(euler, acc_world, inverse=True)]
    if gyro:
        signals.append(np.rad2deg(_body_rate(euler, dt)))
    out = []
    for sig in signals:
        sig = sig @ mounting  # sensor = M^T segment, row vectors
        if factor > 1:
            sos = butter(2, 0.9 / factor, output="sos")  # zero-phase: 4th order at 0.45 x rate
            sig = sosfiltfilt(sos, sig, axis=0)
        out.append(sig[::factor])
    acc = out[0] + noise_std_ms2 * rng.standard_normal(out[0].shape)
    for j, name in enumerate(schema.ACC_COLUMNS):
        columns[name] = acc[:, j]
    if gyro:
        gyr = out[1] + gyro_noise_std_dps * rng.standard_normal(out[1].shape)
        for j, name in enumerate(schema.GYR_COLUMNS):
            columns[name] = gyr[:, j]
    return pd.DataFrame(columns)


def _mounting_matrix(mounting: object, rng: np.random.Generator) -> np.ndarray:
    """Rotation from the sensor frame to the segment frame (segment = M @ sensor)."""
    if isinstance(mounting, str):
        if mounting == "aligned":
            return np.eye(3)
        if mounting == "random":
            return Rotation.random(random_state=rng).as_matrix()
        raise InputError(f"mounting: expected 'aligned', 'random' or a 3x3 rotation matrix, found {mounting!r}")
    matrix = np.asarray(mounting, dtype=float)
    if matrix.shape != (3, 3) or not np.allclose(matrix @ matrix.T, np.eye(3), atol=1e-6) \
            or np.linalg.det(matrix) < 0:
        raise InputError(f"mounting: expected 'aligned', 'random' or a 3x3 rotation matrix, found {mounting!r}")
    return matrix
