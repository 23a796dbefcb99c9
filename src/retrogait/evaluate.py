"""Agreement of detected events with reference events (precision, recall, timing error).

Used by the benchmarks and available to users who have their own reference system
(force plates, insoles, motion capture).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from retrogait.errors import InputError


@dataclass(frozen=True)
class EventMatch:
    """Result of :func:`match_events`.

    Attributes
    ----------
    n_detected, n_reference, n_matched : int
        Counts of detected, reference and matched (true positive) events.
    precision, recall, f1 : float
        NaN where undefined (no detected / no reference events).
    errors_s : numpy.ndarray
        Detected minus reference time of every matched pair, in seconds.

    Examples
    --------
    >>> m = match_events([0.98, 2.0], [1.0, 2.0], tolerance_s=0.05)
    >>> m.f1, round(m.error_stats_ms()["median_abs_ms"], 6)
    (1.0, 10.0)
    """

    n_detected: int
    n_reference: int
    n_matched: int
    precision: float
    recall: float
    f1: float
    errors_s: np.ndarray

    def error_stats_ms(self) -> dict[str, float]:
        """Median, mean absolute, median absolute and 95th percentile absolute error in ms."""
        if self.errors_s.size == 0:
            return {"median_ms": np.nan, "mae_ms": np.nan, "median_abs_ms": np.nan, "p95_abs_ms": np.nan}
        err_ms = self.errors_s * 1000.0
        abs_ms = np.abs(err_ms)
        return {
            "median_ms": float(np.median(err_ms)),
            "mae_ms": float(np.mean(abs_ms)),
            "median_abs_ms": float(np.median(abs_ms)),
            "p95_abs_ms": float(np.percentile(abs_ms, 95)),
        }


def match_events(detected_s, reference_s, *, tolerance_s: float) -> EventMatch:
    """Match detected to reference event times one-to-one within a tolerance.

    The pairing minimises the total absolute time difference (Hungarian algorithm,
    :func:`scipy.optimize.linear_sum_assignment`); pairs farther apart than
    ``tolerance_s`` do not count as matches.

    Parameters
    ----------
    detected_s, reference_s : array_like of float
        Event times in seconds.
    tolerance_s : float
        Largest time difference that still counts as the same event, in seconds (> 0).

    Returns
    -------
    EventMatch
        Counts of detected, reference and matched events, precision / recall / F1
        (dimensionless, 0-1) and the time errors of the matched pairs (detected minus
        reference, s).

    Raises
    ------
    InputError
        If ``tolerance_s`` is not positive or a time is not finite.

    Examples
    --------
    >>> m = match_events([1.00, 2.02, 5.0], [1.01, 2.0, 3.0], tolerance_s=0.1)
    >>> m.n_matched, round(m.precision, 3), round(m.recall, 3)
    (2, 0.667, 0.667)
    """
    if not tolerance_s > 0:
        raise InputError(f"tolerance_s: expected a positive number of seconds, found {tolerance_s!r}")
    det = np.sort(np.asarray(detected_s, dtype=float).ravel())
    ref = np.sort(np.asarray(reference_s, dtype=float).ravel())
    for name, values in (("detected_s", det), ("reference_s", ref)):
        if not np.all(np.isfinite(values)):
            raise InputError(f"{name}: event times must be finite numbers")
    errors = np.empty(0)
    if det.size and ref.size:
        # Only nearby pairs can match: a large constant outside the tolerance keeps the
        # assignment sparse without changing which pairs within tolerance are chosen.
        diff = det[:, None] - ref[None, :]
        cost = np.where(np.abs(diff) <= tolerance_s, np.abs(diff), 1e6)
        rows, cols = linear_sum_assignment(cost)
        ok = cost[rows, cols] <= tolerance_s
        errors = diff[rows[ok], cols[ok]]
    n_match = int(errors.size)
    precision = n_match / det.size if det.size else np.nan
    recall = n_match / ref.size if ref.size else np.nan
    f1 = (2 * precision * recall / (precision + recall)) if (precision + recall) > 0 else 0.0
    if np.isnan(precision) or np.isnan(recall):
        f1 = np.nan
    return EventMatch(int(det.size), int(ref.size), n_match, float(precision), float(recall), float(f1), errors)
