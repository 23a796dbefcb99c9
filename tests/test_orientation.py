"""Quaternion helpers, gravity alignment and foot-axis inference (retrogait.orientation)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait.errors import InputError
from retrogait.orientation import (
    gravity_alignment,
    integrate_gyroscope,
    parse_axis,
    principal_rotation_axis,
    quat_from_rotvec,
    quat_rotate,
    toe_sign_from_pitch,
)

vectors = st.lists(st.floats(-5, 5), min_size=3, max_size=3).filter(lambda v: np.linalg.norm(v) > 0.1)


@given(vectors)
def test_gravity_alignment_maps_gravity_to_up(acc):
    q = gravity_alignment(np.array(acc))
    up = quat_rotate(q, np.array(acc) / np.linalg.norm(acc))
    np.testing.assert_allclose(up, [0, 0, 1], atol=1e-9)


@given(vectors, vectors)
def test_heading_axis_points_along_world_x(acc, heading):
    a, h = np.array(acc), np.array(heading)
    if np.linalg.norm(np.cross(a, h)) < 0.05 * np.linalg.norm(a) * np.linalg.norm(h):
        return
    q = gravity_alignment(a, heading_axis=h)
    world = quat_rotate(q, h)
    assert world[0] > 0 and abs(world[1]) < 1e-9


def test_gravity_alignment_errors():
    with pytest.raises(InputError, match="non-zero"):
        gravity_alignment(np.zeros(3))
    with pytest.raises(InputError, match="parallel to gravity"):
        gravity_alignment(np.array([0, 0, 9.81]), heading_axis=np.array([0, 0, 1.0]))


def test_constant_rate_integrates_to_the_known_rotation():
    # 90 deg/s about z for 1 s turns x into y
    gyr = np.tile(np.deg2rad([0.0, 0.0, 90.0]), (101, 1))
    q = integrate_gyroscope(np.array([1.0, 0, 0, 0]), gyr, 100.0)
    np.testing.assert_allclose(quat_rotate(q[-1], np.array([1.0, 0, 0])), [0, 1, 0], atol=1e-9)


@settings(max_examples=20)
@given(st.integers(0, 10_000))
def test_reversed_negated_rates_return_to_start(seed):
    rng = np.random.default_rng(seed)
    gyr = rng.normal(0, 3, (50, 3))
    q0 = quat_from_rotvec(rng.normal(0, 1, 3))
    q = integrate_gyroscope(q0, gyr, 100.0)
    back = integrate_gyroscope(q[-1], -gyr[::-1], 100.0)
    assert abs(abs(np.dot(back[-1], q0)) - 1) < 1e-9


def test_principal_axis_and_toe_sign():
    rng = np.random.default_rng(1)
    gyr = np.outer(rng.normal(0, 5, 200), [0, 1, 0]) + rng.normal(0, 0.2, (200, 3))
    axis = principal_rotation_axis(gyr, perpendicular_to=np.array([0, 0, 1.0]))
    assert abs(axis[1]) > 0.99
    # toes-down peaks (-60) dominate toes-up (+20): the candidate is the toe axis
    assert toe_sign_from_pitch(np.array([[0, 20, -60, 0], [0, 25, -55, 0]]))[0] == 1.0
    assert toe_sign_from_pitch(np.array([[0, -20, 60, 0]])) == (-1.0, 1.0)
    assert toe_sign_from_pitch(np.zeros((2, 3))) == (0.0, 0.0)
    with pytest.raises(InputError, match="no rotation"):
        principal_rotation_axis(np.zeros((5, 3)))


def test_parse_axis():
    np.testing.assert_allclose(parse_axis("-y"), [0, -1, 0])
    np.testing.assert_allclose(parse_axis([2, 0, 0]), [1, 0, 0])
    with pytest.raises(InputError, match="toe_axis"):
        parse_axis("forward")
