"""The batched (vectorised) code paths give what their one-at-a-time definitions give.

The speed work replaced per-stride loops by work on many strides at once; these tests
pin each batched function against a direct implementation of its definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrogait import contact, spatial
from retrogait.errors import InputError
from retrogait.orientation import (
    gravity_alignment,
    gravity_alignment_rows,
    integrate_gyroscope,
    integrate_gyroscope_rows,
)
from retrogait.simulate import simulate_gait
from retrogait.spatial.zupt import (
    _blocks,
    _rotation_centre_offsets,
    rotation_centre_offset,
    stride_anchors,
)
from retrogait.strides import strides_from_events


def _skew(w: np.ndarray) -> np.ndarray:
    return np.array([[0.0, -w[2], w[1]], [w[2], 0.0, -w[0]], [-w[1], w[0], 0.0]])


def _lstsq_offset(w: np.ndarray, v: np.ndarray, min_rate_dps: float = 30.0) -> np.ndarray:
    use = np.linalg.norm(w, axis=1) >= np.deg2rad(min_rate_dps)
    if use.sum() < 3:
        return np.full(3, np.nan)
    a = np.concatenate([_skew(x) for x in w[use]])
    return np.linalg.lstsq(a, v[use].ravel(), rcond=None)[0]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.integers(min_value=2, max_value=60), st.integers(0, 2**31))
def test_integrate_rows_equals_one_row_at_a_time(m: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    gyr = rng.normal(scale=4.0, size=(m, n, 3))
    q0 = rng.normal(size=(m, 4))
    rows = integrate_gyroscope_rows(q0, gyr, 200.0)
    assert rows.shape == (m, n, 4)
    for i in range(m):
        np.testing.assert_allclose(rows[i], integrate_gyroscope(q0[i], gyr[i], 200.0), rtol=0, atol=1e-13)


def test_integrate_rows_padding_does_not_change_the_prefix() -> None:
    rng = np.random.default_rng(1)
    gyr = rng.normal(size=(2, 40, 3))
    short = integrate_gyroscope_rows(np.tile([1.0, 0, 0, 0], (2, 1)), gyr[:, :25], 100.0)
    long = integrate_gyroscope_rows(np.tile([1.0, 0, 0, 0], (2, 1)), gyr, 100.0)
    np.testing.assert_array_equal(short, long[:, :25])


def test_gravity_alignment_rows_equals_gravity_alignment() -> None:
    rng = np.random.default_rng(2)
    acc = rng.normal(size=(200, 3)) * 9.81
    acc[0] = [0.0, 0.0, -9.81]  # gravity opposite to world up: 180 deg turn
    acc[1] = [0.95, 0.0, -1e-14]
    rows = gravity_alignment_rows(acc)
    for a, q in zip(acc, rows, strict=True):
        np.testing.assert_allclose(q, gravity_alignment(a), atol=1e-14)
    # the rotation maps each measured gravity onto +z
    from retrogait.orientation import quat_rotate
    np.testing.assert_allclose(quat_rotate(rows, acc / np.linalg.norm(acc, axis=1, keepdims=True)),
                               np.tile([0.0, 0.0, 1.0], (200, 1)), atol=1e-12)


def test_gravity_alignment_rows_rejects_zero_rows() -> None:
    with pytest.raises(InputError, match=r"finite and non-zero.*row 1"):
        gravity_alignment_rows(np.array([[0.0, 0.0, 9.8], [0.0, 0.0, 0.0]]))


def test_rotation_centre_offsets_equal_lstsq_per_window() -> None:
    rng = np.random.default_rng(3)
    m, k = 6, 50
    w = rng.normal(scale=2.0, size=(m, k, 3))
    w[1] = np.outer(rng.uniform(1.0, 3.0, size=k), [0.0, 1.0, 0.0])  # one rotation axis: rank 2
    w[2, 3:] = 0.0  # 3 usable samples at most
    w[3, 2:] = 0.0  # too few usable samples: NaN
    r = rng.normal(scale=0.1, size=(m, 3))
    v = np.cross(w, r[:, None, :]) + rng.normal(scale=0.01, size=(m, k, 3))
    window = np.ones((m, k), dtype=bool)
    window[4, 30:] = False  # a shorter window (padding)
    got = _rotation_centre_offsets(w, v, window)
    for i in range(m):
        sub = window[i]
        want = _lstsq_offset(w[i, sub], v[i, sub])
        if np.isnan(want).all():
            assert np.isnan(got[i]).all()
        else:
            np.testing.assert_allclose(got[i], want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(rotation_centre_offset(w[0], v[0]), _lstsq_offset(w[0], v[0]), atol=1e-12)


def _anchors_by_definition(strides: pd.DataFrame, statistic: np.ndarray, fs: float,
                           events: pd.DataFrame) -> np.ndarray:
    """The documented rule, one stride at a time with pandas (the slow definition)."""
    n = len(statistic)
    out = np.full((len(strides), 2), -1, dtype=np.int64)
    for i, row in enumerate(strides.itertuples(index=False)):
        start, end = int(row.start_sample), int(row.end_sample)
        fc = int(round(row.fc_s * fs)) if np.isfinite(row.fc_s) else -1
        if not start < fc < end:
            fc = start + int(round(0.6 * (end - start)))
        fcs = events[events["event"] == "fc"]
        if isinstance(row.side, str) and (fcs["side"] == row.side).any():
            fcs = fcs[fcs["side"] == row.side]
        later = np.sort(fcs["sample"].to_numpy())
        later = later[(later > end) & (later < end + (end - start))]
        next_fc = int(later[0]) if later.size else end + (fc - start)
        for j, (a, b) in enumerate(((start, fc), (end, next_fc))):
            a, b = max(a, 0), min(b, n - 1)
            if b > a:
                out[i, j] = a + int(np.argmin(statistic[a:b + 1]))
    return out


def test_stride_anchors_follow_their_definition() -> None:
    rng = np.random.default_rng(4)
    n = 3000
    statistic = rng.uniform(size=n)
    starts = np.arange(50, 2800, 110)
    strides = pd.DataFrame({
        "start_sample": starts,
        "end_sample": starts + 100,
        "fc_s": np.where(np.arange(starts.size) % 3 == 0, np.nan, (starts + 60) / 100.0),
        "side": np.where(np.arange(starts.size) % 4 == 0, None, np.where(starts % 220 < 110, "left", "right")),
    })
    # random final contacts, some exactly at a stride's end (must not count as "after" it)
    fc_samples = np.unique(np.concatenate([rng.choice(np.arange(n), size=40, replace=False), starts[::2] + 100]))
    events = pd.DataFrame({"sample": fc_samples, "event": "fc",
                           "side": rng.choice(np.array(["left", "right", None], dtype=object), size=fc_samples.size)})
    np.testing.assert_array_equal(stride_anchors(strides, statistic, 100.0, events),
                                  _anchors_by_definition(strides, statistic, 100.0, events))


def test_blocks_cover_every_segment_once_within_the_cap() -> None:
    lengths = np.random.default_rng(5).integers(50, 400, size=500)
    blocks = _blocks(lengths, 10**9)
    assert blocks[0].start == 0 and blocks[-1].stop == 500
    assert all(a.stop == b.start for a, b in zip(blocks, blocks[1:], strict=False))
    assert all((b.stop - b.start) * lengths[b].max() <= 1 << 15 for b in blocks)
    # a short recording gets small blocks
    assert all((b.stop - b.start) * lengths[b].max() <= 2048 or b.stop - b.start == 1
               for b in _blocks(lengths, 10_000))


def test_shared_trajectories_give_the_same_tables_and_are_checked() -> None:
    sim = simulate_gait(placement="foot", n_strides=12, sampling_rate_hz=100.0, seed=2)
    rec = sim.recording
    events = sim.events.assign(sensor=rec.name)
    strides = strides_from_events(events, rec.sampling_rate_hz, single_foot=True)
    trajectories = spatial.foot_trajectories_by_sensor(strides, rec, events)
    assert set(trajectories) == {rec.name}
    alone = contact.add_contact(spatial.add_spatial(strides, rec, events), rec, events)
    shared = contact.add_contact(spatial.add_spatial(strides, rec, events, trajectories=trajectories), rec, events,
                                 trajectories=trajectories)
    pd.testing.assert_frame_equal(alone, shared)
    assert shared["stride_length_m"].notna().sum() >= 8
    with pytest.raises(InputError, match=r"add_spatial: trajectories\['foot_left'\] has \d+ strides"):
        spatial.add_spatial(strides.iloc[:3], rec, events, trajectories=trajectories)
