"""Quaternion helpers, gravity alignment and foot-axis inference (retrogait.orientation)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait.errors import InputError
from retrogait.orientation import (
    TOE_MIN_CONFIDENCE,
    gravity_alignment,
    gravity_alignment_rows,
    infer_foot_axes,
    integrate_gyroscope,
    parse_axis,
    principal_rotation_axis,
    quat_from_rotvec,
    quat_rotate,
    quat_to_matrix,
    sign_test_confidence,
    toe_sign_from_pitch,
    toe_sign_from_rotation_centres,
)
from retrogait.spatial.zupt import rotation_centre_offset

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


def test_sign_test_confidence_values():
    # 5 of 5: 1 - 0.5^5; 8 of 9: 1 - (1 + 9) / 512; ties and empty votes are undecided
    assert sign_test_confidence(np.ones(5)) == (1.0, pytest.approx(1 - 1 / 32))
    assert sign_test_confidence(np.r_[-np.ones(8), 1.0, np.nan, 0.0]) == (-1.0, pytest.approx(1 - 10 / 512))
    assert sign_test_confidence(np.array([1.0, -1.0])) == (0.0, 0.0)
    assert sign_test_confidence(np.array([np.nan])) == (0.0, 0.0)
    assert sign_test_confidence(np.ones(4))[1] < TOE_MIN_CONFIDENCE <= sign_test_confidence(np.ones(5))[1]


FOOT_UP = np.array([0.0, 0.0, 1.0])


def _foot_centres(sensor_x_m: float, mounting: np.ndarray, *, backward: bool, n: int = 8) -> np.ndarray:
    """Offsets sensor - centre in the sensor frame of a foot (x toes, z up, heel at 0,
    metatarsal heads at 0.19 m, swing centre 0.45 m above the ankle at 0.07 m), sensor on
    top of the foot at ``sensor_x_m``; forward: heel pivot after ic, backward: before fc."""
    sensor = np.array([sensor_x_m, 0.0, 0.07])
    heel, toe, swing = np.zeros(3), np.array([0.19, 0.0, 0.0]), np.array([0.07, 0.0, 0.45])
    first, second = (toe, heel) if backward else (heel, toe)
    offsets = np.stack([sensor - first, sensor - second, sensor - swing])
    return np.repeat((offsets @ mounting)[None], n, axis=0)  # foot -> sensor frame: R^T v


rotations = st.lists(st.floats(-3, 3), min_size=3, max_size=3)


@settings(max_examples=40)
@given(rotations, st.floats(0.0, 0.25), st.booleans(), st.booleans())
def test_swing_centre_rule_finds_the_toes_for_any_mounting_direction_and_position(rotvec, sensor_x, backward, flip):
    mounting = quat_to_matrix(quat_from_rotvec(np.array(rotvec)))  # rows: foot axes in the sensor frame
    toe_in_sensor = mounting[0]
    centres = _foot_centres(sensor_x, mounting, backward=backward)
    candidate = -toe_in_sensor if flip else toe_in_sensor
    sign, agreement, confidence, margin = toe_sign_from_rotation_centres(
        centres, candidate, vertical=mounting[2])
    assert sign == (-1.0 if flip else 1.0)
    assert agreement == 1.0 and confidence == pytest.approx(1 - 0.5**8)
    assert margin == pytest.approx(0.095 - 0.07)  # pivots' midpoint minus swing centre


def test_swing_centre_rule_skips_implausible_and_sideways_strides():
    mounting = np.eye(3)
    centres = _foot_centres(0.12, mounting, backward=False)
    below = centres.copy()
    below[:, 2, 2] = 0.5  # swing centre below the sensor: not a leg swing
    assert toe_sign_from_rotation_centres(below, np.array([1.0, 0, 0]), vertical=FOOT_UP)[0] == 0.0
    sideways = np.tile([0.0, 0.4, 0.0], (len(centres), 1))
    assert toe_sign_from_rotation_centres(centres, np.array([1.0, 0, 0]), displacement=sideways)[0] == 0.0
    short = np.tile([0.05, 0.0, 0.0], (len(centres), 1))
    assert toe_sign_from_rotation_centres(centres, np.array([1.0, 0, 0]), displacement=short)[0] == 0.0
    along = np.tile([-0.8, 0.1, 0.0], (len(centres), 1))  # backward along the axis: votes
    assert toe_sign_from_rotation_centres(centres, np.array([1.0, 0, 0]), displacement=along)[0] == 1.0
    with pytest.raises(InputError, match=r"shape \(n, 3, 3\)"):
        toe_sign_from_rotation_centres(np.zeros((4, 3)), np.array([1.0, 0, 0]))


@settings(max_examples=30)
@given(st.integers(0, 10_000))
def test_rotation_centre_offset_is_exact_for_a_rigid_rotation(seed):
    rng = np.random.default_rng(seed)
    offset = rng.normal(0, 0.2, 3)
    gyr = rng.normal(0, 3.0, (40, 3))  # rad/s, varied axes: every component observable
    np.testing.assert_allclose(rotation_centre_offset(gyr, np.cross(gyr, offset)), offset, atol=1e-9)
    slow = np.full((40, 3), np.deg2rad(10.0))  # below 30 deg/s: not used
    assert np.isnan(rotation_centre_offset(slow, np.cross(slow, offset))).all()


def test_infer_foot_axes_methods_and_errors():
    gravity = np.tile([0.0, 0.0, 9.81], (8, 1))
    swing = np.outer(np.sin(np.linspace(0, 6, 50)), [0.0, 1.0, 0.0])
    centres = _foot_centres(0.15, np.eye(3), backward=True)
    axes = infer_foot_axes(gravity, swing, rotation_centres=centres)
    np.testing.assert_allclose(axes.toe, [1.0, 0.0, 0.0], atol=1e-9)
    assert axes.toe_method == "swing_centre" and axes.toe_decided
    assert axes.as_dict()["toe_margin_m"] == pytest.approx(0.025)
    given = infer_foot_axes(gravity, swing, toe_axis="-x")
    assert given.source == "given" and given.toe_decided and given.toe[0] == pytest.approx(-1.0)
    with pytest.raises(InputError, match="method must be one of"):
        infer_foot_axes(gravity, swing, rotation_centres=centres, method="heel")
    with pytest.raises(InputError, match="needs rotation_centres"):
        infer_foot_axes(gravity, swing, method="swing_centre")
    with pytest.raises(InputError, match="needs pitch_of_candidate"):
        infer_foot_axes(gravity, swing, method="pitch")


@pytest.mark.parametrize("tiny", [1.1920928955e-07, 1e-9, 3e-12, 0.0])
def test_gravity_alignment_of_gravity_almost_along_minus_z(tiny):
    # found by hypothesis: 1 + a.z cancelled to a few digits when gravity points almost down
    acc = np.array([0.0, tiny, -1.0])
    for q in (gravity_alignment(acc), gravity_alignment_rows(acc[None, :])[0]):
        np.testing.assert_allclose(quat_rotate(q, acc / np.linalg.norm(acc)), [0, 0, 1], atol=1e-12)
