"""Rotations, gravity alignment and foot-axis inference for inertial sensors.

Conventions
-----------
* Quaternions are arrays ``[w, x, y, z]`` (scalar first, Hamilton product ``i j = k``,
  unit norm).  A quaternion ``q`` describes the orientation of the sensor in the world:
  ``v_world = q * v_sensor * q^-1``.  Read as an operator on vectors this is an *active*
  rotation (``quat_rotate(q, v)`` turns ``v`` by the angle of ``q``, counter-clockwise about
  its axis); read as a change of coordinates it maps sensor-frame coordinates to
  world-frame coordinates (sensor to world).  Compositions multiply on the right in the
  body frame: ``q_world_from_b = q_world_from_a * q_a_from_b``.
* The world frame is right-handed with ``z`` pointing **up** (against gravity).  An
  accelerometer at rest measures the specific force ``+g`` along world ``+z``.
* Angular rates are in rad/s inside this module (``Recording.gyr()`` gives deg/s: convert
  with ``numpy.deg2rad`` first).

The foot-axis inference (:func:`infer_foot_axes`) finds the vertical axis from gravity in
stance, the medio-lateral axis as the main rotation axis in swing, and which way along the
remaining axis the toes point from where the foot turns: the swing rotation centre lies
over the rear of the foot, nearer the heel pivot than the toe pivot
(:func:`toe_sign_from_rotation_centres`).  Nothing here assumes the walking direction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

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
    "integrate_gyroscope_rows",
    "gravity_alignment",
    "gravity_alignment_rows",
    "principal_rotation_axis",
    "toe_sign_from_pitch",
    "toe_sign_from_rotation_centres",
    "sign_test_confidence",
    "TOE_MIN_CONFIDENCE",
    "TOE_MIN_MARGIN_M",
    "TOE_METHODS",
    "infer_foot_axes",
    "parse_axis",
]


# --------------------------------------------------------------------------- quaternions


def quat_multiply(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hamilton product ``p * q`` of quaternions ``[w, x, y, z]`` (broadcasts over rows).

    As rotations, ``p * q`` applies ``q`` first and then ``p``:
    ``quat_rotate(p * q, v) == quat_rotate(p, quat_rotate(q, v))``.  The product does not
    commute.

    Parameters
    ----------
    p, q : array of shape (4,) or (..., 4)
        Quaternions ``[w, x, y, z]`` (scalar first; any norm, unit for rotations).  Leading
        dimensions broadcast against each other.

    Returns
    -------
    numpy.ndarray of shape (..., 4)
        The product ``[w, x, y, z]`` (unit when both factors are unit; not renormalised).

    Examples
    --------
    Two quarter turns about ``z`` make a half turn about ``z``:

    >>> import numpy as np
    >>> quarter = np.array([np.cos(np.pi / 4), 0.0, 0.0, np.sin(np.pi / 4)])
    >>> (np.round(quat_multiply(quarter, quarter), 6) + 0.0).tolist()
    [0.0, 0.0, 0.0, 1.0]

    Order matters: ``i * j = k`` but ``j * i = -k``.

    >>> i, j = np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 0.0])
    >>> quat_multiply(i, j).tolist(), quat_multiply(j, i).tolist()
    ([0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, -1.0])
    """
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
    """Conjugate (= inverse for unit quaternions) of ``[w, x, y, z]``.

    Parameters
    ----------
    q : array of shape (4,) or (..., 4)
        Quaternion(s) ``[w, x, y, z]``.

    Returns
    -------
    numpy.ndarray of shape (..., 4)
        ``[w, -x, -y, -z]``: for a unit quaternion the opposite rotation (world to sensor
        when ``q`` is sensor to world).

    Examples
    --------
    A unit quaternion times its conjugate is the identity ``[1, 0, 0, 0]``:

    >>> import numpy as np
    >>> q = quat_from_rotvec(np.deg2rad([10.0, -20.0, 30.0]))
    >>> (np.round(quat_multiply(q, quat_conjugate(q)), 12) + 0.0).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    q = np.asarray(q, dtype=float)
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def quat_from_rotvec(rotvec: np.ndarray) -> np.ndarray:
    """Quaternion(s) of rotation vector(s) ``axis * angle_rad`` (shape ``(..., 3)``).

    The quaternion exponential ``[cos(a/2), sin(a/2) * axis]`` of the rotation by angle
    ``a = |rotvec|`` (rad) about the unit ``axis = rotvec / a``, counter-clockwise when
    looking down the axis (right-hand rule).  A zero vector gives the identity.

    Parameters
    ----------
    rotvec : array of shape (3,) or (..., 3)
        Rotation vector(s): unit axis times angle in **rad** (not deg).

    Returns
    -------
    numpy.ndarray of shape (..., 4)
        Unit quaternion(s) ``[w, x, y, z]`` with ``w >= 0`` for angles up to pi.

    Examples
    --------
    A 90 deg rotation about ``z`` maps ``x`` to ``y``:

    >>> import numpy as np
    >>> q = quat_from_rotvec([0.0, 0.0, np.pi / 2])
    >>> np.round(q, 4).tolist()
    [0.7071, 0.0, 0.0, 0.7071]
    >>> (np.round(quat_rotate(q, [1.0, 0.0, 0.0]), 6) + 0.0).tolist()
    [0.0, 1.0, 0.0]
    >>> quat_from_rotvec(np.zeros(3)).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    rotvec = np.asarray(rotvec, dtype=float)
    angle = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    half = 0.5 * angle
    # sin(half)/angle, with its limit 0.5 for small angles
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(angle > 1e-12, np.sin(half) / np.where(angle > 1e-12, angle, 1.0), 0.5)
    return np.concatenate([np.cos(half), rotvec * scale], axis=-1)


def quat_to_matrix(q: np.ndarray) -> np.ndarray:
    """Rotation matrix (``(..., 3, 3)``) of quaternion(s) ``[w, x, y, z]``.

    The matrix ``R`` with ``R @ v == quat_rotate(q, v)``: for a sensor orientation ``q`` it
    maps sensor-frame vectors to world-frame vectors (its columns are the sensor axes in
    world coordinates).

    Parameters
    ----------
    q : array of shape (4,) or (..., 4)
        Quaternion(s) ``[w, x, y, z]``; normalised here (any non-zero norm).

    Returns
    -------
    numpy.ndarray of shape (..., 3, 3)
        Proper rotation matrices (orthonormal, determinant +1).  ``q`` and ``-q`` give the
        same matrix.

    Examples
    --------
    90 deg about ``z``: the sensor ``x`` axis lies along world ``y``, sensor ``y`` along
    world ``-x``.

    >>> import numpy as np
    >>> q = quat_from_rotvec([0.0, 0.0, np.pi / 2])
    >>> (np.round(quat_to_matrix(q), 6) + 0.0).tolist()
    [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    >>> bool(np.allclose(quat_to_matrix(-q), quat_to_matrix(q)))
    True
    """
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
    """Rotate vector(s) ``v`` (sensor frame) by quaternion(s) ``q`` into the world frame.

    Computes ``q * v * q^-1`` (active rotation of ``v`` by ``q``; for a sensor orientation
    ``q`` the same numbers are the world coordinates of the sensor-frame vector ``v``).
    Use ``quat_conjugate(q)`` for the opposite direction (world to sensor).

    Parameters
    ----------
    q : array of shape (4,) or (..., 4)
        Orientation(s) ``[w, x, y, z]`` (normalised here).
    v : array of shape (3,) or (..., 3)
        Vector(s) in the sensor frame, any unit (the unit is kept).  Broadcasts against
        ``q`` (one ``q`` for many rows of ``v``, or one row of ``v`` per ``q``).

    Returns
    -------
    numpy.ndarray of shape (..., 3)
        The vector(s) in the world frame, same unit and length as ``v``.

    Examples
    --------
    A 90 deg rotation about ``z`` maps ``x`` to ``y`` and ``y`` to ``-x``; its conjugate
    maps them back:

    >>> import numpy as np
    >>> q = quat_from_rotvec([0.0, 0.0, np.pi / 2])
    >>> (np.round(quat_rotate(q, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), 6) + 0.0).tolist()
    [[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]
    >>> (np.round(quat_rotate(quat_conjugate(q), [0.0, 1.0, 0.0]), 6) + 0.0).tolist()
    [1.0, 0.0, 0.0]
    """
    matrix = quat_to_matrix(q)
    return np.einsum("...ij,...j->...i", matrix, np.asarray(v, dtype=float))


def quat_from_two_vectors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The shortest rotation that turns the direction of ``a`` into the direction of ``b``.

    The rotation about ``a x b`` by the angle between them, so that
    ``quat_rotate(q, a)`` is parallel to ``b``.  For opposite vectors the axis is some
    direction perpendicular to ``a`` (the 180 deg rotation is not unique).

    Parameters
    ----------
    a, b : array of shape (3,)
        Start and target directions (any unit and length; only the direction is used).

    Returns
    -------
    numpy.ndarray of shape (4,)
        Unit quaternion ``[w, x, y, z]``.

    Raises
    ------
    InputError
        If either vector has zero length or is not finite.

    Examples
    --------
    From ``x`` to ``y`` is 90 deg about ``z``; from ``z`` to ``-z`` is a half turn:

    >>> import numpy as np
    >>> np.round(quat_from_two_vectors([2.0, 0.0, 0.0], [0.0, 5.0, 0.0]), 4).tolist()
    [0.7071, 0.0, 0.0, 0.7071]
    >>> q = quat_from_two_vectors([0.0, 0.0, 1.0], [0.0, 0.0, -1.0])
    >>> (np.round(quat_rotate(q, [0.0, 0.0, 1.0]), 6) + 0.0).tolist()
    [0.0, 0.0, -1.0]
    >>> quat_from_two_vectors([0.0, 0.0, 0.0], [0.0, 0.0, 1.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: quat_from_two_vectors: vectors must be finite and non-zero, found ...
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if not (np.isfinite(na) and np.isfinite(nb)) or na == 0 or nb == 0:
        raise InputError(f"quat_from_two_vectors: vectors must be finite and non-zero, found {a} and {b}")
    a = a / na
    b = b / nb
    # 1 + a.b computed as |a + b|^2 / 2: exact for nearly opposite vectors, where 1 + dot
    # loses all its digits to cancellation
    half = a + b
    q = np.concatenate([[0.5 * float(np.dot(half, half))], np.cross(a, b)])
    norm = float(np.linalg.norm(q))
    if norm < 1e-15:
        # opposite vectors: rotate by 180 deg about any axis perpendicular to a
        helper = np.array([1.0, 0.0, 0.0]) if abs(a[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        axis = np.cross(a, helper)
        axis /= np.linalg.norm(axis)
        return np.concatenate([[0.0], axis])
    return q / norm


def integrate_gyroscope(q0: np.ndarray, gyr_rad_s: np.ndarray, sampling_rate_hz: float) -> np.ndarray:
    """Strapdown orientation: integrate body-frame angular rates from ``q0``.

    Each step applies the rotation of the mean rate of two consecutive samples over one
    sample interval (``q[k+1] = q[k] * exp(0.5 * dt * (w[k] + w[k+1]) / 2)``).

    The rates are body-frame (what a gyroscope measures), so each step multiplies on the
    right; the result is renormalised after every step.

    Parameters
    ----------
    q0 : array of shape (4,)
        Orientation ``[w, x, y, z]`` (sensor to world) at the first sample; normalised here.
    gyr_rad_s : array of shape (n, 3)
        Angular rate in the sensor frame, **rad/s** (convert ``Recording.gyr()``, deg/s,
        with ``numpy.deg2rad``).
    sampling_rate_hz : float
        Samples per second (Hz, > 0).

    Returns
    -------
    numpy.ndarray of shape (n, 4)
        Orientation ``[w, x, y, z]`` at every sample (row 0 is ``q0`` normalised; empty for
        ``n = 0``).  Integrating a negated, time-reversed rate from the last orientation
        returns to ``q0`` (up to rounding).

    Examples
    --------
    A constant 90 deg/s about ``z`` for 1 s (101 samples at 100 Hz, 100 intervals) turns
    the sensor by 90 deg about ``z``, so its ``x`` axis ends along world ``y``:

    >>> import numpy as np
    >>> gyr = np.tile(np.deg2rad([0.0, 0.0, 90.0]), (101, 1))
    >>> q = integrate_gyroscope([1.0, 0.0, 0.0, 0.0], gyr, 100.0)
    >>> q.shape, np.round(q[-1], 4).tolist()
    ((101, 4), [0.7071, 0.0, 0.0, 0.7071])
    >>> (np.round(quat_rotate(q[-1], [1.0, 0.0, 0.0]), 6) + 0.0).tolist()
    [0.0, 1.0, 0.0]

    Body-frame rates: after a quarter turn about world ``z``, a rate about the sensor's
    ``x`` axis turns the sensor about world ``y``:

    >>> start = quat_from_rotvec([0.0, 0.0, np.pi / 2])
    >>> roll = integrate_gyroscope(start, np.tile([np.pi / 2, 0.0, 0.0], (11, 1)), 10.0)
    >>> (np.round(quat_rotate(roll[-1], [0.0, 0.0, 1.0]), 6) + 0.0).tolist()
    [1.0, 0.0, 0.0]
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


def integrate_gyroscope_rows(q0: np.ndarray, gyr_rad_s: np.ndarray, sampling_rate_hz: float) -> np.ndarray:
    """:func:`integrate_gyroscope` for many independent segments at once (one per row).

    Row ``i`` gives the same orientations as ``integrate_gyroscope(q0[i], gyr_rad_s[i],
    sampling_rate_hz)`` (the same arithmetic, element by element).  The loop runs over the
    samples and each step updates every row together, so the Python overhead is per
    sample of the longest segment, not per sample of the recording.  Segments of
    different lengths are padded to a common length by the caller; the orientations of
    the padding samples are simply not used.

    Parameters
    ----------
    q0 : array of shape (m, 4)
        Orientation ``[w, x, y, z]`` (sensor to world) at the first sample of each row.
    gyr_rad_s : array of shape (m, n, 3)
        Angular rates in the sensor frame, **rad/s**.
    sampling_rate_hz : float
        Samples per second (Hz, > 0).

    Returns
    -------
    numpy.ndarray of shape (m, n, 4)
        Orientation ``[w, x, y, z]`` at every sample of every row (column 0 is ``q0``
        normalised).

    Examples
    --------
    Two segments of 1 s at 100 Hz, 90 deg/s about ``z`` and about ``x``; each row equals
    its own ``integrate_gyroscope``:

    >>> import numpy as np
    >>> gyr = np.zeros((2, 101, 3))
    >>> gyr[0, :, 2] = gyr[1, :, 0] = np.deg2rad(90.0)
    >>> q = integrate_gyroscope_rows(np.tile([1.0, 0.0, 0.0, 0.0], (2, 1)), gyr, 100.0)
    >>> q.shape, np.round(q[:, -1], 4).tolist()
    ((2, 101, 4), [[0.7071, 0.0, 0.0, 0.7071], [0.7071, 0.7071, 0.0, 0.0]])
    >>> bool(np.allclose(q[1], integrate_gyroscope([1.0, 0.0, 0.0, 0.0], gyr[1], 100.0)))
    True
    """
    gyr = np.asarray(gyr_rad_s, dtype=float)
    m, n = gyr.shape[0], gyr.shape[1]
    out = np.empty((m, max(n, 1), 4))
    start = np.asarray(q0, dtype=float).reshape(m, 4)
    out[:, 0] = start / np.linalg.norm(start, axis=1, keepdims=True)
    if n < 2:
        return out[:, :n]
    dt = 1.0 / float(sampling_rate_hz)
    # (4, n-1, m): the step quaternions of sample k for every row lie contiguously
    steps = np.ascontiguousarray(np.moveaxis(quat_from_rotvec(0.5 * (gyr[:, :-1] + gyr[:, 1:]) * dt), (2, 1), (0, 1)))
    w, x, y, z = (out[:, 0, c].copy() for c in range(4))
    for k in range(n - 1):
        sw, sx, sy, sz = steps[0, k], steps[1, k], steps[2, k], steps[3, k]
        w, x, y, z = (
            w * sw - x * sx - y * sy - z * sz,
            w * sx + x * sw + y * sz - z * sy,
            w * sy - x * sz + y * sw + z * sx,
            w * sz + x * sy - y * sx + z * sw,
        )
        norm = np.sqrt(w * w + x * x + y * y + z * z)
        w, x, y, z = w / norm, x / norm, y / norm, z / norm
        out[:, k + 1, 0], out[:, k + 1, 1], out[:, k + 1, 2], out[:, k + 1, 3] = w, x, y, z
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

    Examples
    --------
    A sensor lying with its ``+y`` axis pointing down measures the specific force
    ``(0, -9.81, 0)`` m/s^2 (gravity reaction along sensor ``-y``).  The alignment turns
    sensor ``-y`` onto world ``+z`` (up):

    >>> import numpy as np
    >>> q = gravity_alignment([[0.0, -9.81, 0.0], [0.0, -9.79, 0.0]])
    >>> (np.round(quat_rotate(q, [0.0, -1.0, 0.0]), 6) + 0.0).tolist()
    [0.0, 0.0, 1.0]

    With ``heading_axis`` the sensor ``x`` axis also ends along world ``+x``:

    >>> q = gravity_alignment([0.0, -9.81, 0.0], heading_axis=[1.0, 0.0, 0.0])
    >>> (np.round(quat_rotate(q, [1.0, 0.0, 0.0]), 6) + 0.0).tolist()
    [1.0, 0.0, 0.0]
    >>> gravity_alignment([0.0, -9.81, 0.0], heading_axis=[0.0, 1.0, 0.0])
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: gravity_alignment: heading_axis is parallel to gravity; it has no heading
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


def gravity_alignment_rows(acc_at_rest: np.ndarray) -> np.ndarray:
    """:func:`gravity_alignment` (without ``heading_axis``) of every row at once.

    Row ``i`` of the result is ``gravity_alignment(acc_at_rest[i])``: the shortest rotation
    of the measured gravity direction onto world ``+z``.

    Parameters
    ----------
    acc_at_rest : array of shape (m, 3)
        One mean accelerometer vector per row (any unit).

    Returns
    -------
    numpy.ndarray of shape (m, 4)
        Quaternions ``[w, x, y, z]`` (sensor to world).

    Raises
    ------
    InputError
        If a row is zero or not finite.

    Examples
    --------
    Specific force along sensor ``-y`` and along sensor ``+x``: each row's up direction
    goes to world ``+z``, as with ``gravity_alignment``.

    >>> import numpy as np
    >>> acc = np.array([[0.0, -9.81, 0.0], [9.81, 0.0, 0.0]])
    >>> q = gravity_alignment_rows(acc)
    >>> (np.round(quat_rotate(q, acc / 9.81), 6) + 0.0).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    >>> bool(np.allclose(q[0], gravity_alignment(acc[0])))
    True
    >>> gravity_alignment_rows([[0.0, 0.0, 9.81], [0.0, 0.0, 0.0]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: gravity_alignment_rows: vectors must be finite and non-zero, ... (row 1)
    """
    acc = np.asarray(acc_at_rest, dtype=float).reshape(-1, 3)
    length = np.linalg.norm(acc, axis=1)
    bad = ~np.isfinite(length) | (length == 0)
    if bad.any():
        raise InputError(f"gravity_alignment_rows: vectors must be finite and non-zero, found {acc[bad][0]} "
                         f"(row {int(np.flatnonzero(bad)[0])})")
    a = acc / length[:, None]
    # a x (0, 0, 1) = (a_y, -a_x, 0); 1 + a . (0, 0, 1) = |a + z|^2 / 2, which keeps its
    # digits when gravity points almost along -z (1 + a_z would cancel them)
    w = 0.5 * (a[:, 0] ** 2 + a[:, 1] ** 2 + (1.0 + a[:, 2]) ** 2)
    out = np.stack([w, a[:, 1], -a[:, 0], np.zeros(len(a))], axis=1)
    opposite = np.linalg.norm(out, axis=1) < 1e-15
    if opposite.any():
        # gravity along -z: 180 deg about an axis perpendicular to it
        helper = np.where((np.abs(a[opposite, 0]) < 0.9)[:, None], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
        axis = np.cross(a[opposite], helper)
        out[opposite] = np.concatenate([np.zeros((len(axis), 1)), axis], axis=1)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


# --------------------------------------------------------------------------- foot axes

#: Smallest confidence (one-sided sign test over the strides' votes, see
#: :func:`sign_test_confidence`) at which the toe direction counts as decided.  0.95 is the
#: conventional 5 % error level; it also needs at least 5 strides that all agree
#: (1 - 0.5^5 = 0.969), 8 of 9, 9 of 11 or 13 of 17.
TOE_MIN_CONFIDENCE = 0.95

#: Smallest median distance (m) between the swing rotation centre and the midpoint of the
#: two stance pivots for the ``"swing_centre"`` rule to count as decided.  Anatomy puts the
#: ankle (the centre the foot swings about) some 5 cm behind the middle of the heel-to-
#: metatarsal span; a centre within 1 cm of that middle is as close to the heel as to the
#: toes, so its side is noise however consistent the votes are.  Not a guarantee: before the
#: simulator's swing was hung from the leg, its backward walks had median margins of 3-20 mm
#: on the wrong side and were decided wrongly in 4 of 16 runs (seeds 1-8, 5 and 15 strides;
#: now 0 wrong, 16 undecided); a test of the median against the margin fixed those but left
#: 3 of 7 real backward-only uci segments undecided instead of 1, so the point median is kept.
TOE_MIN_MARGIN_M = 0.01

#: Rules that decide which way the toes point (see :func:`infer_foot_axes`).
TOE_METHODS = ("swing_centre", "pitch")


def principal_rotation_axis(gyr: np.ndarray, *, perpendicular_to: np.ndarray | None = None) -> np.ndarray:
    """Unit axis about which most of the rotation happens (sign arbitrary).

    The eigenvector of the largest eigenvalue of ``sum(w w^T)`` (uncentred), optionally
    projected onto the plane perpendicular to ``perpendicular_to``.  Rows with NaN or
    infinite values are ignored.

    Parameters
    ----------
    gyr : array of shape (n, 3)
        Angular rates in the sensor frame (any unit, rad/s or deg/s: only directions and
        relative sizes matter).
    perpendicular_to : array of shape (3,), optional
        When given, the rates are first projected onto the plane perpendicular to this
        direction (e.g. the vertical axis), so the result is perpendicular to it.

    Returns
    -------
    numpy.ndarray of shape (3,)
        Unit axis in the sensor frame; its sign is arbitrary (``-axis`` is as good).

    Raises
    ------
    InputError
        If ``gyr`` has no finite rows or no rotation.

    Examples
    --------
    A sensor swinging back and forth about the axis ``(0, 0.6, 0.8)``, with a little
    rotation about other axes:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(200) / 100.0
    >>> axis = np.array([0.0, 0.6, 0.8])
    >>> gyr = np.outer(3.0 * np.sin(2 * np.pi * t), axis) + 0.1 * rng.standard_normal((200, 3))
    >>> found = principal_rotation_axis(gyr)
    >>> round(abs(float(found @ axis)), 4)
    1.0

    Projected perpendicular to ``z``, the same rotation gives the ``y`` axis:

    >>> (np.round(np.abs(principal_rotation_axis(gyr, perpendicular_to=[0.0, 0.0, 1.0])), 2) + 0.0).tolist()
    [0.0, 1.0, 0.0]
    >>> principal_rotation_axis(np.zeros((10, 3)))
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: principal_rotation_axis: the gyroscope samples show no rotation
    """
    gyr = np.asarray(gyr, dtype=float)
    finite = np.all(np.isfinite(gyr), axis=1)
    if not finite.all():
        gyr = gyr[finite]
    if len(gyr) == 0 or not np.any(gyr):
        raise InputError("principal_rotation_axis: the gyroscope samples show no rotation")
    if perpendicular_to is not None:
        u = np.asarray(perpendicular_to, dtype=float)
        u = u / np.linalg.norm(u)
        # gyr - (gyr . u) u, written into the one temporary (gyr can be as long as a recording)
        along = np.outer(gyr @ u, u)
        gyr = np.subtract(gyr, along, out=along)
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

    Limit: a recording of backward gait only cannot be resolved by this kinematic rule (it
    then picks the heel as the toe and every stride reads as forward).  It is therefore no
    longer the default (``method="pitch"`` of :func:`infer_foot_axes`); the default
    :func:`toe_sign_from_rotation_centres` uses the foot's anatomy instead.

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
        Share (0-1) of strides whose own vote agrees with ``sign`` (0 when undecided).

    Examples
    --------
    Each stride votes ``-(lowest + highest pitch)`` (deg).  Two forward strides (toes down
    to -60 deg, up to +30 deg) and one backward stride (-33 / +40 deg) along an axis that
    points to the toes: the forward strides outweigh the backward one.

    >>> import numpy as np
    >>> pitch = np.array([[0.0, -60.0, 10.0, 30.0, 0.0],
    ...                   [0.0, -55.0, 5.0, 25.0, 0.0],
    ...                   [0.0, -33.0, 10.0, 40.0, 0.0]])
    >>> sign, agreement = toe_sign_from_pitch(pitch)
    >>> sign, round(agreement, 3)
    (1.0, 0.667)

    The same strides seen along the opposite axis (pitch negated) point to the heel; no
    excursion at all is undecided:

    >>> toe_sign_from_pitch(-pitch)[0], toe_sign_from_pitch(np.zeros((2, 5)))
    (-1.0, (0.0, 0.0))
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


def sign_test_confidence(votes: np.ndarray) -> tuple[float, float]:
    """Majority sign of per-stride votes and the confidence of the one-sided sign test.

    Parameters
    ----------
    votes : array
        One signed number per stride (NaN and zero votes are ignored).

    Returns
    -------
    sign : float
        ``+1`` / ``-1`` for the majority, ``0`` for a tie or no votes.
    confidence : float
        ``1 - P(X >= k)`` for ``X ~ Binomial(n, 0.5)``, ``k`` the votes for ``sign`` out of
        ``n``: the probability that so clear a majority does not arise from votes that
        are signs of noise.  0 when ``sign`` is 0.

    Examples
    --------
    >>> sign_test_confidence(np.array([1.0, 2.0, 0.5, 3.0, 1.0]))
    (1.0, 0.96875)
    """
    v = np.asarray(votes, dtype=float).ravel()
    v = v[np.isfinite(v) & (v != 0)]
    n_pos, n_neg = int(np.sum(v > 0)), int(np.sum(v < 0))
    if n_pos == n_neg:
        return 0.0, 0.0
    k, n = max(n_pos, n_neg), n_pos + n_neg
    return (1.0 if n_pos > n_neg else -1.0), float(1.0 - binom.sf(k - 1, n, 0.5))


def _bootstrap_sign_confidence(scores: np.ndarray, sign: float, *, n_resamples: int = 2000) -> float:
    """Share of stride resamples (bootstrap, fixed seed) whose summed score has ``sign``."""
    x = np.asarray(scores, dtype=float)
    x = x[np.isfinite(x)]
    if sign == 0.0 or x.size == 0:
        return 0.0
    rng = np.random.default_rng(0)
    sums = x[rng.integers(0, x.size, size=(n_resamples, x.size))].sum(axis=1)
    return float(np.mean(np.sign(sums) == sign))


def toe_sign_from_rotation_centres(centres: np.ndarray, candidate: np.ndarray, *,
                                   displacement: np.ndarray | None = None,
                                   vertical: np.ndarray | None = None,
                                   min_length_m: float = 0.10) -> tuple[float, float, float, float]:
    """Decide which way a candidate foot axis points from where the foot turns (anatomy).

    Rule (``method="swing_centre"``, retrogait's own).  A stride shows three rotation
    centres of the foot: the pivot of the rocker after initial contact, the pivot of the
    rocker before final contact (one is the heel, the other the metatarsal heads / toes,
    whichever the walking direction) and the centre about which the foot turns in swing.
    The foot swings with the leg, which joins it at the ankle, above the rear of the foot
    (about a quarter to a third of the heel-to-metatarsal span from the heel); the swing
    centre lies above it (near the knee).  So along the foot's long axis the swing centre
    is nearer the heel pivot than the toe pivot: **the toes point from the swing centre
    towards the midpoint of the two pivots**.  Every term is a position on the foot, so the
    rule does not depend on the walking direction (a time-reversed stride has the same
    rotation centres: ``v`` and ``omega`` both change sign) nor on where along the foot the
    sensor sits (heel, instep or toe box).

    Limits: the rule assumes rocker pivots at both ends of stance (not for shuffling
    without heel or toe rocker) and a swing with the leg (not for sideways stepping, whose
    rotation is about the foot's long axis).  The simulator (``retrogait.simulate``) hangs
    the foot from a swinging shank, but its backward swing centre lies only 0-3 cm from the
    pivots' midpoint after integration (noise-free 4.5-7.5 cm), so its backward walks end
    undecided (16 of 16 runs, none wrong); they are a weak test of this rule.

    Parameters
    ----------
    centres : array of shape (n_strides, 3, 3)
        Per stride, the offsets ``sensor - centre`` (sensor frame, m) of the rotation
        centres ``[after initial contact, before final contact, swing]`` (NaN allowed), e.g.
        from :func:`retrogait.spatial.zupt.rotation_centres`.
    candidate : array of shape (3,)
        The candidate anterior axis (sensor frame, unit vector, either sign).
    displacement : array of shape (n_strides, 3), optional
        Horizontal displacement of each stride in the sensor frame at its start (m).  When
        given, only strides that travel along the foot's axis vote (within 45 deg of either
        end of ``candidate``, at least ``min_length_m`` long): side steps and steps on the
        spot have no heel and toe rocker.
    vertical : array of shape (3,), optional
        Up direction in the sensor frame.  When given, a stride votes only if its rocker
        pivots lie below the sensor and its swing centre above it (the pivots are on the
        ground, the leg is above the foot); otherwise its centres are not those the rule
        is about (e.g. running on the forefoot only, with no heel rocker).
    min_length_m : float
        Shortest displacement of a voting stride (m).

    Returns
    -------
    sign : float
        ``+1`` if ``candidate`` points to the toes, ``-1`` if to the heel, ``0`` undecided.
    agreement : float
        Share (0-1) of strides whose own vote agrees with ``sign`` (NaN without votes).
    confidence : float
        Sign-test confidence of ``sign`` (:func:`sign_test_confidence`).
    margin_m : float
        Median over strides of the signed distance (m) from the swing centre to the pivots'
        midpoint along the chosen toe axis (> 0 when the strides agree with ``sign``).

    Raises
    ------
    InputError
        If ``centres`` is not of shape (n, 3, 3).

    Examples
    --------
    A sensor on the instep, sensor ``x`` towards the toes and ``z`` up (m): the heel pivot
    10 cm behind and 5 cm below the sensor, the toe pivot 8 cm ahead and 5 cm below, the
    swing centre 5 cm behind and 45 cm above (near the knee).  The offsets are
    ``sensor - centre``; in forward walking the heel pivot comes first.  The pivots'
    midpoint lies 4 cm ahead of the swing centre, so five such strides decide that ``+x``
    points to the toes (sign-test confidence 1 - 0.5^5):

    >>> import numpy as np
    >>> stride = np.array([[0.10, 0.0, 0.05], [-0.08, 0.0, 0.05], [0.05, 0.0, -0.45]])
    >>> centres = np.tile(stride, (5, 1, 1))
    >>> sign, agreement, confidence, margin = toe_sign_from_rotation_centres(
    ...     centres, [1.0, 0.0, 0.0], vertical=[0.0, 0.0, 1.0])
    >>> sign, agreement, confidence, round(margin, 3)
    (1.0, 1.0, 0.96875, 0.04)

    Backward walking swaps the two pivots (toe first), which leaves the midpoint and so
    the answer unchanged; the opposite candidate points to the heel:

    >>> toe_sign_from_rotation_centres(centres[:, [1, 0, 2]], [1.0, 0.0, 0.0])[0]
    1.0
    >>> toe_sign_from_rotation_centres(centres, [-1.0, 0.0, 0.0])[0]
    -1.0

    Strides that move sideways (here 0.5 m along sensor ``y``) do not vote:

    >>> toe_sign_from_rotation_centres(centres, [1.0, 0.0, 0.0],
    ...                                displacement=np.tile([0.0, 0.5, 0.0], (5, 1)))
    (0.0, nan, 0.0, nan)
    >>> toe_sign_from_rotation_centres(np.zeros((5, 3)), [1.0, 0.0, 0.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: toe_sign_from_rotation_centres: centres must have shape (n, 3, 3), ... (5, 3)

    Notes
    -----
    The per-recording decision is the majority of the strides' votes with a one-sided sign
    test (:func:`sign_test_confidence`); below ``TOE_MIN_CONFIDENCE`` it is undecided.
    Measured (``python benchmarks/accuracy_spatial.py toe``): right in every decided
    real recording (gaitmap with a heel-mounted sensor 13-16 cm, gdin 3-8 cm, uci subject II
    with a toe-box sensor 2-7 cm, backward-only uci segments 2-7 cm); one backward-only
    segment of 9 strides undecided.  The alternative "the heel is the pivot farther from
    the sensor" holds for instep and toe-box sensors but not for sensors at the heel
    (gaitmap: heel pivot 4 cm, toe pivot 21 cm from the sensor).

    References
    ----------
    Perry J, Burnfield JM (2010). Gait Analysis: Normal and Pathological Function, 2nd ed.
    SLACK (heel, ankle and forefoot rockers) [from memory].

    Grasso R, Bianchi L, Lacquaniti F (1998). Motor patterns for human gait: backward versus
    forward locomotion. J Neurophysiol 80:1868-1885 (backward gait close to forward gait
    reversed in time).
    """
    c = np.asarray(centres, dtype=float)
    if c.ndim != 3 or c.shape[1:] != (3, 3):
        raise InputError(f"toe_sign_from_rotation_centres: centres must have shape (n, 3, 3), found {c.shape}")
    axis = np.asarray(candidate, dtype=float)
    axis = axis / np.linalg.norm(axis)
    # position of each centre along the candidate axis, sensor at 0 (centre = sensor - offset)
    along = -(c @ axis)
    votes = 0.5 * (along[:, 0] + along[:, 1]) - along[:, 2]
    if displacement is not None:
        d = np.asarray(displacement, dtype=float).reshape(len(c), 3)
        length = np.linalg.norm(d, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cos_axis = np.abs(d @ axis) / length
        sagittal = (length >= min_length_m) & (cos_axis >= math.cos(math.radians(45.0)))
        votes = np.where(sagittal, votes, np.nan)
    if vertical is not None:
        up = np.asarray(vertical, dtype=float)
        height = c @ (up / np.linalg.norm(up))  # sensor above (+) / below (-) each centre
        plausible = (height[:, 0] > 0) & (height[:, 1] > 0) & (height[:, 2] < 0)
        votes = np.where(plausible, votes, np.nan)
    votes = votes[np.isfinite(votes)]
    sign, confidence = sign_test_confidence(votes)
    if sign == 0.0:
        return 0.0, float("nan") if votes.size == 0 else 0.5, confidence, float("nan")
    agreement = float(np.mean(np.sign(votes) == sign))
    return sign, agreement, confidence, float(np.median(votes * sign))


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
        Share of strides (0-1) whose own vote agrees with the chosen toe direction; NaN if
        the toe direction could not be decided (then ``toe`` is a guess).
    n_strides : int
        Number of strides the inference used.
    source : str
        ``"inferred"`` or ``"given"`` (toe axis from ``meta["toe_axis"]`` or the params).
    toe_method : str
        The rule that decided the toe direction (``"swing_centre"``, ``"pitch"``) or
        ``"given"``.
    toe_confidence : float
        Confidence (0-1) of the toe direction: ``"swing_centre"``, the sign test over the
        strides' votes; ``"pitch"`` (weighted votes), the share of bootstrap resamples of
        the strides whose weighted vote has the same sign; 1 when given.
    toe_margin_m : float
        ``"swing_centre"``: median distance (m) from the swing centre to the pivots'
        midpoint along the toe axis; NaN otherwise.

    Examples
    --------
    Axes given by the mounting are always decided; an inferred ``"swing_centre"`` toe
    direction needs a confidence of at least ``TOE_MIN_CONFIDENCE`` (0.95) and a margin of
    at least ``TOE_MIN_MARGIN_M`` (1 cm):

    >>> import numpy as np
    >>> given = FootAxes(vertical=np.array([0.0, 0.0, 1.0]), medio_lateral=np.array([0.0, 1.0, 0.0]),
    ...                  toe=np.array([1.0, 0.0, 0.0]), toe_agreement=1.0, n_strides=12,
    ...                  source="given", toe_method="given", toe_confidence=1.0)
    >>> given.toe_decided, given.as_dict()["toe"]
    (True, [1.0, 0.0, 0.0])
    >>> close = FootAxes(vertical=given.vertical, medio_lateral=given.medio_lateral, toe=given.toe,
    ...                  toe_agreement=1.0, n_strides=12, toe_method="swing_centre",
    ...                  toe_confidence=0.9998, toe_margin_m=0.005)
    >>> close.toe_decided
    False
    """

    vertical: np.ndarray
    medio_lateral: np.ndarray
    toe: np.ndarray
    toe_agreement: float
    n_strides: int
    source: str = "inferred"
    toe_method: str = "pitch"
    toe_confidence: float = float("nan")
    toe_margin_m: float = float("nan")

    @property
    def toe_decided(self) -> bool:
        """True when the toe direction is given, or inferred with ``TOE_MIN_CONFIDENCE`` (and,
        for the ``"swing_centre"`` rule, a margin of at least ``TOE_MIN_MARGIN_M``)."""
        if self.source == "given":
            return True
        if self.toe_method == "swing_centre" and not (self.toe_margin_m >= TOE_MIN_MARGIN_M):
            return False
        return math.isfinite(self.toe_agreement) and self.toe_confidence >= TOE_MIN_CONFIDENCE

    def as_dict(self) -> dict[str, object]:
        """Plain-Python description (for ``DataFrame.attrs`` or reports)."""
        return {
            "vertical": [round(float(v), 4) for v in self.vertical],
            "medio_lateral": [round(float(v), 4) for v in self.medio_lateral],
            "toe": [round(float(v), 4) for v in self.toe],
            "toe_agreement": float(self.toe_agreement),
            "n_strides": int(self.n_strides),
            "source": self.source,
            "toe_method": self.toe_method,
            "toe_confidence": float(self.toe_confidence),
            "toe_margin_m": float(self.toe_margin_m),
            "toe_decided": bool(self.toe_decided),
        }


def parse_axis(spec: object) -> np.ndarray:
    """Sensor axis from a spec such as ``"x"``, ``"+y"``, ``"-z"`` or a 3-vector.

    Used for the toe axis of a known mounting (``meta["toe_axis"]``, ``toe_axis=``).

    Parameters
    ----------
    spec : str or array_like of 3 numbers
        A sensor axis name ``"x"``, ``"y"`` or ``"z"`` with an optional sign ``+`` / ``-``
        (case and surrounding spaces ignored), or a finite non-zero 3-vector in the sensor
        frame (any length).

    Returns
    -------
    numpy.ndarray of shape (3,)
        Unit vector in the sensor frame.

    Raises
    ------
    InputError
        If the spec is not one of these.

    Examples
    --------
    >>> parse_axis("-z").tolist(), parse_axis(" +Y ").tolist()
    ([0.0, 0.0, -1.0], [0.0, 1.0, 0.0])
    >>> parse_axis([3.0, 0.0, 4.0]).tolist()
    [0.6, 0.0, 0.8]
    >>> parse_axis("w")
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: toe_axis: expected 'x', '+y', '-z' (sensor axis) or a 3-vector, found 'w'
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
    pitch_of_candidate: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    rotation_centres: np.ndarray | None = None,
    displacement: np.ndarray | None = None,
    toe_axis: object = None,
    method: str = "auto",
) -> FootAxes:
    """Infer vertical, medio-lateral and toe axes of a foot sensor from the data.

    The vertical axis is the mean direction of the stance gravity, the medio-lateral axis
    the main swing rotation axis perpendicular to it (``principal_rotation_axis``), and
    the anterior axis completes the frame; which way along it the toes point is decided
    by ``toe_axis`` when given, else by one of the rules in ``TOE_METHODS``.  These rules
    are retrogait's own (see ``toe_sign_from_rotation_centres`` and
    ``toe_sign_from_pitch`` for their grounds and their measured accuracy), not a
    published method.

    Parameters
    ----------
    gravity_at_stance : array of shape (n_strides, 3)
        Mean accelerometer vector at each stride's flat-stance (zero-velocity) instant.
    swing_gyr_rad_s : array of shape (n, 3)
        Gyroscope samples of the swing phases (any unit; only the direction matters).
    pitch_of_candidate : callable, optional
        ``pitch_of_candidate(axis) -> array (n_strides, n_samples)``: elevation in degrees
        of a sensor-frame axis above its flat-stance elevation, for each stride (needed by
        ``method="pitch"``).
    rotation_centres : array of shape (n_strides, 3, 3), optional
        Offsets of the rotation centres of each stride (needed by
        ``method="swing_centre"``; see :func:`toe_sign_from_rotation_centres`).
    displacement : array of shape (n_strides, 3), optional
        Horizontal displacement of each stride in the sensor frame (m); with
        ``"swing_centre"`` only strides along the foot's axis vote.
    toe_axis : str or array, optional
        The toe direction when the mounting is known (see :func:`parse_axis`); only its
        sign along the inferred anterior axis is used.
    method : {"auto", "swing_centre", "pitch"}
        Rule for the toe direction when ``toe_axis`` is not given.  ``"swing_centre"``
        (anatomy, any walking direction: :func:`toe_sign_from_rotation_centres`);
        ``"pitch"`` (the foot pitches further toes-down than toes-up: right for forward
        gait and mixed sessions, wrong for backward gait only; :func:`toe_sign_from_pitch`).
        ``"auto"``: ``"swing_centre"`` when ``rotation_centres`` are given, else ``"pitch"``.

    Returns
    -------
    FootAxes
        Unit axes in the sensor frame.  ``toe_confidence`` is the sign-test confidence of
        the strides' votes (``"swing_centre"``) or the bootstrap share of resamples with
        the same weighted vote (``"pitch"``); below ``TOE_MIN_CONFIDENCE`` (and, for
        ``"swing_centre"``, a margin below ``TOE_MIN_MARGIN_M``) the direction counts as
        undecided (``toe_decided`` False) and ``toe`` is the unsigned candidate.

    Raises
    ------
    InputError
        If there is no stance gravity or no swing rotation, ``method`` is unknown, the
        input that ``method`` needs is missing, or ``toe_axis`` is not a valid axis
        (``parse_axis``) or lies across the anterior axis found from the data.

    Examples
    --------
    Six simulated forward strides of a left-foot sensor mounted turned by 90 deg about
    the vertical, so that the toes point along sensor ``-y`` and sensor ``+x`` points to
    the foot's left.  ``retrogait.spatial.zupt.foot_trajectories`` supplies the stance
    gravity and the rotation centres of each stride:

    >>> import numpy as np
    >>> from retrogait.simulate import simulate_gait
    >>> from retrogait.spatial.zupt import foot_trajectories
    >>> mounting = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # segment = M @ sensor
    >>> sim = simulate_gait(n_strides=6, sampling_rate_hz=100.0, mounting=mounting, seed=0,
    ...                     rest_before_s=1.0, rest_after_s=1.0)
    >>> rec = sim.recording
    >>> traj = foot_trajectories(rec, sim.strides)
    >>> axes = infer_foot_axes(traj.gravity_ms2, np.deg2rad(rec.gyr()),
    ...                        rotation_centres=traj.rotation_centres)
    >>> (np.round(axes.toe) + 0.0).tolist(), (np.round(axes.medio_lateral) + 0.0).tolist()
    ([0.0, -1.0, 0.0], [1.0, 0.0, 0.0])
    >>> (np.round(axes.vertical) + 0.0).tolist(), axes.toe_method, axes.toe_decided
    ([0.0, 0.0, 1.0], 'swing_centre', True)

    A known mounting fixes the toe direction (only its sign along the inferred axis is
    used); an axis across the foot is refused:

    >>> infer_foot_axes(traj.gravity_ms2, np.deg2rad(rec.gyr()), toe_axis="-y").source
    'given'
    >>> infer_foot_axes(traj.gravity_ms2, np.deg2rad(rec.gyr()), toe_axis="x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retrogait.errors.InputError: toe_axis: the given axis 'x' is not along the foot's anterior axis ...
    """
    if method not in ("auto", *TOE_METHODS):
        raise InputError(f"infer_foot_axes: method must be one of {['auto', *TOE_METHODS]}, found {method!r}")
    if method == "auto":
        method = "swing_centre" if rotation_centres is not None else "pitch"
    if toe_axis is None and method == "swing_centre" and rotation_centres is None:
        raise InputError("infer_foot_axes: method='swing_centre' needs rotation_centres")
    if toe_axis is None and method == "pitch" and pitch_of_candidate is None:
        raise InputError("infer_foot_axes: method='pitch' needs pitch_of_candidate")
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
    margin = float("nan")
    if toe_axis is not None:
        given = parse_axis(toe_axis)
        projection = float(np.dot(given, candidate))
        if abs(projection) < 0.5 * np.linalg.norm(given):
            raise InputError(
                f"toe_axis: the given axis {toe_axis!r} is not along the foot's anterior axis found "
                f"from the data ({np.round(candidate, 2).tolist()} up to sign)"
            )
        sign, agreement, confidence, source, method = float(np.sign(projection)), 1.0, 1.0, "given", "given"
    elif method == "swing_centre":
        assert rotation_centres is not None
        sign, agreement, confidence, margin = toe_sign_from_rotation_centres(rotation_centres, candidate,
                                                                           displacement=displacement,
                                                                           vertical=vertical)
    else:
        assert pitch_of_candidate is not None
        pitch = pitch_of_candidate(candidate)
        sign, agreement = toe_sign_from_pitch(pitch)
        low = np.nanmin(np.atleast_2d(pitch), axis=1) if np.size(pitch) else np.array([])
        high = np.nanmax(np.atleast_2d(pitch), axis=1) if np.size(pitch) else np.array([])
        confidence = _bootstrap_sign_confidence(-(low + high), sign)
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
        toe_method=method,
        toe_confidence=confidence,
        toe_margin_m=margin,
    )
