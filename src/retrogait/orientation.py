"""Rotations, gravity alignment and foot-axis inference for inertial sensors.

Conventions
-----------
* Quaternions are arrays ``[w, x, y, z]`` (Hamilton product, unit norm).  A quaternion
  ``q`` describes the orientation of the sensor in the world: ``v_world = q * v_sensor * q^-1``.
* The world frame is right-handed with ``z`` pointing **up** (against gravity).  An
  accelerometer at rest measures the specific force ``+g`` along world ``+z``.
* Angular rates are in rad/s inside this module (``Recording.gyr()`` gives deg/s: convert
  with ``numpy.deg2rad`` first).

The foot-axis inference (:func:`infer_foot_axes`) finds the vertical axis from gravity in
stance, the medio-lateral axis as the main rotation axis in swing, and which way along the
remaining axis the toes point from the anatomical bias of foot pitch in swing (see there).
Nothing here assumes the walking direction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from retrogait.errors import InputError

__all__ = [
    "FootAxes",
    "quat_conjugate",
    "quat_from_rotvec",
    "quat_from_two_vectors",
    "quat_multiply",
    "quat_rotate",
    "quat_to_matrix",
    "integrate_gyroscope",
    "gravity_alignment",
    "principal_rotation_axis",
    "toe_sign_from_pitch",
    "infer_foot_axes",
    "parse_axis",
]


# --------------------------------------------------------------------------- quaternions


def quat_multiply(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hamilton product ``p * q`` of quaternions ``[w, x, y, z]`` (broadcasts over rows)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    pw, px, py, pz = np.moveaxis(p, -1, 0)
    qw, qx, qy, qz = np.moveaxis(q, -1, 0)
    return np.stack(
        [
            pw * qw - px * qx - py * qy - pz * qz,
            pw * qx + px * qw + py * qz - pz * qy,
            pw * qy - px * qz + py * qw + pz * qx,
            pw * qz + px * qy - py * qx + pz * qw,
        ],
        axis=-1,
    )


def quat_conjugate(q: np.ndarray) -> np.ndarray:
    """Conjugate (= inverse for unit quaternions) of ``[w, x, y, z]``."""
    q = np.asarray(q, dtype=float)
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def quat_from_rotvec(rotvec: np.ndarray) -> np.ndarray:
    """Quaternion(s) of rotation vector(s) ``axis * angle_rad`` (shape ``(..., 3)``)."""
    rotvec = np.asarray(rotvec, dtype=float)
    angle = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    half = 0.5 * angle
    # sin(half)/angle, with its limit 0.5 for small angles
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(angle > 1e-12, np.sin(half) / np.where(angle > 1e-12, angle, 1.0), 0.5)
    return np.concatenate([np.cos(half), rotvec * scale], axis=-1)


def quat_to_matrix(q: np.ndarray) -> np.ndarray:
    """Rotation matrix (``(..., 3, 3)``) of quaternion(s) ``[w, x, y, z]``."""
    q = np.asarray(q, dtype=float)
    q = q / np.linalg.norm(q, axis=-1, keepdims=True)
    w, x, y, z = np.moveaxis(q, -1, 0)
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], axis=-1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], axis=-1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], axis=-1),
        ],
        axis=-2,
    )


def quat_rotate(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate vector(s) ``v`` (sensor frame) by quaternion(s) ``q`` into the world frame."""
    matrix = quat_to_matrix(q)
    return np.einsum("...ij,...j->...i", matrix, np.asarray(v, dtype=float))


def quat_from_two_vectors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The shortest rotation that turns the direction of ``a`` into the direction of ``b``.

    Raises
    ------
    InputError
        If either vector has zero length or is not finite.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if not (np.isfinite(na) and np.isfinite(nb)) or na == 0 or nb == 0:
        raise InputError(f"quat_from_two_vectors: vectors must be finite and non-zero, found {a} and {b}")
    a = a / na
    b = b / nb
    dot = float(np.dot(a, b))
    if dot < -1.0 + 1e-12:
        # opposite vectors: rotate by 180 deg about any axis perpendicular to a
        helper = np.array([1.0, 0.0, 0.0]) if abs(a[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        axis = np.cross(a, helper)
        axis /= np.linalg.norm(axis)
        return np.concatenate([[0.0], axis])
    q = np.concatenate([[1.0 + dot], np.cross(a, b)])
    return q / np.linalg.norm(q)


def integrate_gyroscope(q0: np.ndarray, gyr_rad_s: np.ndarray, sampling_rate_hz: float) -> np.ndarray:
    """Strapdown orientation: integrate body-frame angular rates from ``q0``.

    Each step applies the rotation of the mean rate of two consecutive samples over one
    sample interval (``q[k+1] = q[k] * exp(0.5 * dt * (w[k] + w[k+1]) / 2)``).

    Parameters
    ----------
    q0 : array of shape (4,)
        Orientation at the first sample.
    gyr_rad_s : array of shape (n, 3)
        Angular rate in the sensor frame, rad/s.
    sampling_rate_hz : float
        Samples per second.

    Returns
    -------
    numpy.ndarray of shape (n, 4)
        Orientation at every sample (row 0 is ``q0``).  Integrating a negated, time-reversed
        rate from the last orientation returns to ``q0`` (up to rounding).
    """
    gyr = np.asarray(gyr_rad_s, dtype=float)
    n = len(gyr)
    out = np.empty((max(n, 1), 4))
    out[0] = np.asarray(q0, dtype=float) / np.linalg.norm(q0)
    if n < 2:
        return out[:n] if n else out[:0]
    dt = 1.0 / float(sampling_rate_hz)
    steps = quat_from_rotvec(0.5 * (gyr[:-1] + gyr[1:]) * dt)
    w, x, y, z = (float(v) for v in out[0])
    for k in range(n - 1):
        sw, sx, sy, sz = steps[k]
        w, x, y, z = (
            w * sw - x * sx - y * sy - z * sz,
            w * sx + x * sw + y * sz - z * sy,
            w * sy - x * sz + y * sw + z * sx,
            w * sz + x * sy - y * sx + z * sw,
        )
        norm = math.sqrt(w * w + x * x + y * y + z * z)
        w, x, y, z = w / norm, x / norm, y / norm, z / norm
        out[k + 1] = (w, x, y, z)
    return out


def gravity_alignment(acc_at_rest: np.ndarray, *, heading_axis: np.ndarray | None = None) -> np.ndarray:
    """Orientation that maps the measured gravity (specific force) onto world ``+z``.

    Parameters
    ----------
    acc_at_rest : array of shape (3,) or (n, 3)
        Accelerometer samples (any unit) while the sensor does not accelerate; rows are
        averaged.
    heading_axis : array of shape (3,), optional
        A sensor-frame axis whose horizontal projection should point along world ``+x``
        (sets the heading).  Without it the heading is that of the shortest tilt rotation.

    Returns
    -------
    numpy.ndarray of shape (4,)
        Quaternion ``[w, x, y, z]`` (sensor to world).

    Raises
    ------
    InputError
        If the mean acceleration is zero/not finite, or ``heading_axis`` is (nearly) vertical.
    """
    acc = np.atleast_2d(np.asarray(acc_at_rest, dtype=float)).mean(axis=0)
    q = quat_from_two_vectors(acc, np.array([0.0, 0.0, 1.0]))
    if heading_axis is None:
        return q
    h = quat_rotate(q, np.asarray(heading_axis, dtype=float))
    horizontal = math.hypot(h[0], h[1])
    if horizontal < 1e-6 * max(1.0, float(np.linalg.norm(h))):
        raise InputError("gravity_alignment: heading_axis is parallel to gravity; it has no heading")
    yaw = math.atan2(h[1], h[0])
    turn = np.array([math.cos(-yaw / 2), 0.0, 0.0, math.sin(-yaw / 2)])
    return quat_multiply(turn, q)


# --------------------------------------------------------------------------- foot axes


def principal_rotation_axis(gyr: np.ndarray, *, perpendicular_to: np.ndarray | None = None) -> np.ndarray:
    """Unit axis about which most of the rotation happens (sign arbitrary).

    The eigenvector of the largest eigenvalue of ``sum(w w^T)`` (uncentred), optionally
    projected onto the plane perpendicular to ``perpendicular_to``.

    Raises
    ------
    InputError
        If ``gyr`` has no finite rows or no rotation.
    """
    gyr = np.asarray(gyr, dtype=float)
    gyr = gyr[np.all(np.isfinite(gyr), axis=1)]
    if len(gyr) == 0 or not np.any(gyr):
        raise InputError("principal_rotation_axis: the gyroscope samples show no rotation")
    if perpendicular_to is not None:
        u = np.asarray(perpendicular_to, dtype=float)
        u = u / np.linalg.norm(u)
        gyr = gyr - np.outer(gyr @ u, u)
    scatter = gyr.T @ gyr
    _, vectors = np.linalg.eigh(scatter)
    axis = vectors[:, -1]
    return axis / np.linalg.norm(axis)


def toe_sign_from_pitch(pitch_deg: np.ndarray) -> tuple[float, float]:
    """Decide which way a candidate foot axis points from its pitch excursions in swing.

    The rule (retrogait's own): over a stride the foot pitches further **toes-down** than
    toes-up.  In forward gait this is strong: the push-off rolls the foot over the
    metatarsal heads and knee flexion in early swing turns the toes further down (about
    -50 to -85 deg) while the heel strike reaches +25 to +40 deg (ratio about 2:1; uci
    subject II and gaitmap data).  Backward gait is close to forward gait played in reverse
    (Grasso et al. 1998), which keeps the extremes, but its push-off rotates about the
    heel: measured extremes were about -33 / +40 deg (uci subject II), a weak vote the
    *other* way.  Votes are therefore summed with their size (degrees), so a mixed
    recording is decided by its forward strides.

    Limit: a recording of backward gait only cannot be resolved by kinematics alone (the
    rule then picks the heel as the toe and every stride reads as forward); give the toe
    axis (``Recording.meta["toe_axis"]``) for such recordings.

    Parameters
    ----------
    pitch_deg : array of shape (n_strides, n_samples) or (n_samples,)
        Elevation of the candidate axis above its elevation at flat stance, degrees, one row
        per stride (NaN allowed for padding).

    Returns
    -------
    sign : float
        ``+1`` if the candidate axis points to the toes, ``-1`` if to the heel, ``0`` if
        undecided (no pitch excursion).
    agreement : float
        Share (0-1) of strides whose own vote agrees with ``sign``.
    """
    pitch = np.atleast_2d(np.asarray(pitch_deg, dtype=float))
    low = np.nanmin(pitch, axis=1)
    high = np.nanmax(pitch, axis=1)
    # toes-down peak along +axis gives a large negative elevation
    score = -(low + high)
    score = score[np.isfinite(score)]
    if len(score) == 0 or not np.any(score):
        return 0.0, 0.0
    sign = float(np.sign(np.sum(score)))
    agreement = float(np.mean(np.sign(score) == sign)) if sign else 0.0
    return sign, agreement


@dataclass(frozen=True)
class FootAxes:
    """Anatomical axes of a foot sensor, inferred from the data (sensor frame, unit vectors).

    Attributes
    ----------
    vertical : numpy.ndarray
        Up direction at flat stance (mean gravity direction at zero-velocity instants).
    medio_lateral : numpy.ndarray
        Main rotation axis in swing, perpendicular to ``vertical`` (sign: completes the
        right-handed frame ``toe, medio_lateral, vertical``, i.e. it points to the foot's left).
    toe : numpy.ndarray
        Anterior axis (heel to toes), perpendicular to the other two.
    toe_agreement : float
        Share of strides (0-1) whose pitch excursions vote for the chosen toe direction;
        NaN if the toe direction could not be decided (then ``toe`` is a guess).
    n_strides : int
        Number of strides the inference used.
    source : str
        ``"inferred"`` or ``"given"`` (toe axis from ``meta["toe_axis"]``).
    """

    vertical: np.ndarray
    medio_lateral: np.ndarray
    toe: np.ndarray
    toe_agreement: float
    n_strides: int
    source: str = "inferred"

    def as_dict(self) -> dict[str, object]:
        """Plain-Python description (for ``DataFrame.attrs`` or reports)."""
        return {
            "vertical": [round(float(v), 4) for v in self.vertical],
            "medio_lateral": [round(float(v), 4) for v in self.medio_lateral],
            "toe": [round(float(v), 4) for v in self.toe],
            "toe_agreement": float(self.toe_agreement),
            "n_strides": int(self.n_strides),
            "source": self.source,
        }


def parse_axis(spec: object) -> np.ndarray:
    """Sensor axis from a spec such as ``"x"``, ``"+y"``, ``"-z"`` or a 3-vector.

    Raises
    ------
    InputError
        If the spec is not one of these.
    """
    if isinstance(spec, str):
        text = spec.strip().lower()
        sign = -1.0 if text.startswith("-") else 1.0
        name = text.lstrip("+-")
        if name in ("x", "y", "z"):
            axis = np.zeros(3)
            axis["xyz".index(name)] = sign
            return axis
    else:
        try:
            axis = np.asarray(spec, dtype=float).reshape(3)
        except (TypeError, ValueError):
            axis = np.full(3, np.nan)
        if np.all(np.isfinite(axis)) and np.linalg.norm(axis) > 0:
            return axis / np.linalg.norm(axis)
    raise InputError(f"toe_axis: expected 'x', '+y', '-z' (sensor axis) or a 3-vector, found {spec!r}")


def infer_foot_axes(
    gravity_at_stance: np.ndarray,
    swing_gyr_rad_s: np.ndarray,
    pitch_of_candidate: Callable[[np.ndarray], np.ndarray],
    *,
    toe_axis: object = None,
) -> FootAxes:
    """Infer vertical, medio-lateral and toe axes of a foot sensor from the data.

    Parameters
    ----------
    gravity_at_stance : array of shape (n_strides, 3)
        Mean accelerometer vector at each stride's flat-stance (zero-velocity) instant.
    swing_gyr_rad_s : array of shape (n, 3)
        Gyroscope samples of the swing phases (any unit; only the direction matters).
    pitch_of_candidate : callable
        ``pitch_of_candidate(axis) -> array (n_strides, n_samples)``: elevation in degrees
        of a sensor-frame axis above its flat-stance elevation, for each stride.
    toe_axis : str or array, optional
        The toe direction when the mounting is known (see :func:`parse_axis`); only its
        sign along the inferred anterior axis is used.

    Returns
    -------
    FootAxes

    Raises
    ------
    InputError
        If there is no stance gravity or no swing rotation.
    """
    grav = np.atleast_2d(np.asarray(gravity_at_stance, dtype=float))
    grav = grav[np.all(np.isfinite(grav), axis=1)]
    if len(grav) == 0:
        raise InputError("infer_foot_axes: no finite stance acceleration to find the vertical axis")
    units = grav / np.linalg.norm(grav, axis=1, keepdims=True)
    vertical = units.mean(axis=0)
    vertical /= np.linalg.norm(vertical)
    ml = principal_rotation_axis(swing_gyr_rad_s, perpendicular_to=vertical)
    candidate = np.cross(ml, vertical)
    candidate /= np.linalg.norm(candidate)
    source = "inferred"
    if toe_axis is not None:
        given = parse_axis(toe_axis)
        projection = float(np.dot(given, candidate))
        if abs(projection) < 0.5 * np.linalg.norm(given):
            raise InputError(
                f"toe_axis: the given axis {toe_axis!r} is not along the foot's anterior axis found "
                f"from the data ({np.round(candidate, 2).tolist()} up to sign)"
            )
        sign, agreement, source = float(np.sign(projection)), 1.0, "given"
    else:
        sign, agreement = toe_sign_from_pitch(pitch_of_candidate(candidate))
    if sign == 0.0:
        toe = candidate
        agreement_value = float("nan")
    else:
        toe = sign * candidate
        agreement_value = agreement
    medio_lateral = np.cross(vertical, toe)
    medio_lateral /= np.linalg.norm(medio_lateral)
    return FootAxes(
        vertical=vertical,
        medio_lateral=medio_lateral,
        toe=toe,
        toe_agreement=agreement_value,
        n_strides=len(grav),
        source=source,
    )
