"""The claims made for backward (reverse) gait, checked against measured data.

:func:`check_claims` turns a comparison of backward vs forward gait (a table from
:func:`retrogait.compare.compare`, or the data to make one) into one row per claim with the
measured difference, its confidence interval and a verdict:

``supported``
    the whole CI lies on the claimed side of 0;

``contradicted``
    the whole CI lies on the other side;

``can't tell``
    the CI includes 0, there are too few strides, or the sensor cannot give the
    parameter; the ``reason`` column says which.

The claims and their sources (section 1 of the project's research notes,
``shared/research/science.md``; tags there say which numbers were read in the source):

* shorter strides: walking, Laufer 2005 *J Gerontol A* 60:627; running, derived
  from the higher step frequency at a given speed (Cavagna et al. 2012 *J Exp Biol* 215:75).
* higher cadence: running, Cavagna et al. 2012 (step frequency greater backward).  For
  walking at preferred speed Laufer 2005 found **no** change, so a "can't tell"
  there is what the literature expects.
* toe-first contact: Thorstensson 1986; Vilensky et al. 1987; the time reversal of the
  segment kinematics (Grasso et al. 1998 *J Neurophysiol* 80:1868).
* contact (stance) time: shorter in running (Wright & Weyand 2001 *J Exp Biol* 204:1805;
  Cavagna et al. 2012), longer in walking (Laufer 2005: double support up, swing
  down).
* stance %: higher in walking (Laufer 2005), lower in running (duty factor, derived
  from Cavagna et al. 2012).
* longer flight time: running, Cavagna et al. 2012 (0.098 vs 0.072 s).
* lower impact at contact (peak acceleration at initial contact, foot or shank sensor):
  "soft landing" of Cavagna et al. 2011 *Proc R Soc B* 278:339; no heel-strike transient
  (DeVita & Stribling 1991 *Med Sci Sports Exerc* 23:602).
* more upright posture (``trunk_tilt_deg`` lower, :mod:`retrogait.posture`): **no measured
  source** in the research notes (science.md has none on trunk posture in backward
  gait); the claim comes from practice and coaching texts and is checked here as stated.
  ``trunk_tilt_deg`` is the unsigned deviation from the person's own standing posture,
  so a backward lean counts like a forward one.
* higher energy cost: running +35 % (Wright & Weyand 2001 *J Exp Biol* 204:1805: 35 ± 6 %
  at 8 speeds; Rasica et al. 2020 *Eur J Appl Physiol* 120:2507: +35 % on average);
  walking and running, oxygen uptake higher backward (Flynn et al. 1994 *Med Sci Sports
  Exerc* 26:89).  Metabolic cost needs oxygen uptake (indirect calorimetry); it is not
  measured from acceleration, so this claim is always "can't tell" (listed so that the
  table covers every claim made for backward gait).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.compare import collect, compare, infer_gait, infer_placements
from retrogait.errors import InputError

__all__ = ["Claim", "CLAIMS", "CLAIMS_COLUMNS", "check_claims"]


@dataclass(frozen=True)
class Claim:
    """One claim about backward vs forward gait.

    ``expected`` is the sign of backward − forward the claim predicts: ``"lower"`` or
    ``"higher"``; ``gaits`` the gaits it is made for.  :data:`CLAIMS` lists the claims
    that :func:`check_claims` checks.

    Attributes
    ----------
    claim : str
        The claim in a few words, e.g. ``"shorter strides"`` (the ``claim`` column).
    parameter : str
        The strides / summary column it is judged on, e.g. ``"stride_length_m"`` (unit
        in the name: m, s, spm, %, m/s²).
    expected : {"lower", "higher"}
        Backward − forward is predicted below 0 (``"lower"``) or above 0 (``"higher"``).
    gaits : tuple of {"walk", "run"}
        The gaits the claim is made for.
    source : str
        Short citation of the paper(s) behind it (the ``source`` column; full
        references in the module notes).
    not_measured : str
        Empty for a claim judged on data.  Otherwise the reason why acceleration data
        cannot judge it (``parameter`` is then no retrogait column): its verdict is
        always ``"can't tell"`` with this reason.

    Examples
    --------
    >>> from retrogait.claims import CLAIMS, Claim
    >>> first = CLAIMS[0]
    >>> first.claim, first.parameter, first.expected, first.gaits
    ('shorter strides', 'stride_length_m', 'lower', ('walk', 'run'))
    >>> sorted(c.claim for c in CLAIMS if c.gaits == ("run",))
    ['longer flight time', 'lower stance %', 'shorter contact time']
    >>> sorted({c.expected for c in CLAIMS}), isinstance(first, Claim)
    (['higher', 'lower'], True)
    >>> [c.claim for c in CLAIMS if c.not_measured]
    ['higher energy cost']
    """

    claim: str
    parameter: str
    expected: str
    gaits: tuple[str, ...]
    source: str
    not_measured: str = ""


#: The claims checked, in the order of the output table.
CLAIMS: tuple[Claim, ...] = (
    Claim("shorter strides", "stride_length_m", "lower", ("walk", "run"),
          "Laufer 2005 (walking); Cavagna et al. 2012, derived (running)"),
    Claim("higher cadence", "cadence_spm", "higher", ("walk", "run"),
          "Cavagna et al. 2012 (running); walking at preferred speed: no change (Laufer 2005)"),
    Claim("toe-first contact", "toe_first_pct", "higher", ("walk", "run"),
          "Thorstensson 1986; Vilensky et al. 1987; Grasso et al. 1998 (time reversal)"),
    Claim("shorter contact time", "stance_time_s", "lower", ("run",), "Wright & Weyand 2001; Cavagna et al. 2012"),
    Claim("longer contact time", "stance_time_s", "higher", ("walk",), "Laufer 2005 (double support up)"),
    Claim("higher stance %", "stance_pct", "higher", ("walk",), "Laufer 2005"),
    Claim("lower stance %", "stance_pct", "lower", ("run",), "Cavagna et al. 2012 (duty factor, derived)"),
    Claim("longer flight time", "flight_time_s", "higher", ("run",), "Cavagna et al. 2012"),
    Claim("lower impact at contact", "peak_acc_ic_ms2", "lower", ("walk", "run"),
          "Cavagna et al. 2011 (soft landing); DeVita & Stribling 1991"),
    Claim("more upright posture", "trunk_tilt_deg", "lower", ("walk", "run"),
          "no measured source in the research notes: claim from practice/coaching texts, unverified"),
    Claim("higher energy cost", "metabolic_cost_j_kg_m", "higher", ("walk", "run"),
          "Wright & Weyand 2001 and Rasica et al. 2020 (+35 % running); Flynn et al. 1994 (walking, running)",
          not_measured="metabolic cost needs oxygen uptake (indirect calorimetry); it is not measured "
                       "from acceleration"),
)

#: Columns of the table returned by :func:`check_claims`.
CLAIMS_COLUMNS: dict[str, str] = {
    "claim": "object",
    "parameter": "object",
    "expected": "object",
    "gait": "object",
    "difference": "float64",
    "difference_pct": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "n_backward": "int64",
    "n_forward": "int64",
    "verdict": "object",
    "reason": "object",
    "source": "object",
    "note": "object",
}

_COMPARISON_MARKERS = ("parameter", "group", "reference", "difference", "ci_low", "ci_high")


def _is_comparison(obj: Any) -> bool:
    return isinstance(obj, pd.DataFrame) and all(c in obj.columns for c in _COMPARISON_MARKERS)


def _missing_reason(parameter: str, placements: set[str]) -> str:
    where = ", ".join(sorted(placements)) if placements else "unknown placement"
    if parameter == "stride_length_m":
        if placements and placements <= {"lower_back"}:
            return "no stride length: lower-back sensor without leg length (set Params.leg_length_m)"
        if placements and placements <= {"wrist", "phone", "thigh"}:
            return f"no stride length from a {where} sensor"
        return f"no stride length in the data ({where}); needs a foot IMU with gyroscope or leg length"
    if parameter == "peak_acc_ic_ms2":
        if placements and not placements & {"foot", "shank"}:
            return f"impact at contact needs a foot or shank sensor; found {where}"
        return f"no peak acceleration at contact in the data ({where})"
    if parameter == "toe_first_pct":
        return f"contact type unknown for all strides ({where}); needs foot pitch from a foot gyroscope"
    if parameter == "flight_time_s":
        return "no flight time: needs both feet (bilateral) while running"
    if parameter == "trunk_tilt_deg":
        if placements and "lower_back" not in placements:
            return f"trunk tilt needs a lower-back sensor with a standing period; found {where}"
        return f"no trunk tilt in the data ({where}); needs a lower-back sensor with a standing period of >= 2 s"
    return f"no {schema.label(parameter)} in the data ({where})"


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def check_claims(
    comparison_or_data: Any,
    *,
    by: str = "direction",
    backward: str = "backward",
    forward: str = "forward",
    gait: str = "auto",
    placement: str | Sequence[str] | None = None,
    **compare_options: Any,
) -> pd.DataFrame:
    """Check the claims made for backward gait against a backward-vs-forward comparison.

    Parameters
    ----------
    comparison_or_data : DataFrame, AnalysisResult, or list / dict of them
        A comparison table with a contrast ``backward`` vs ``forward`` (either way
        round), or the data :func:`retrogait.compare.compare` accepts (results, strides
        or summary tables) from which it is computed.
    by : str
        Grouping column when the comparison is computed here (``"direction"`` for the
        bouts of one recording, ``"condition"`` across recordings).
    backward : str
        Level name of backward gait in ``by``.
    forward : str
        Level name of forward gait in ``by``.
    gait : {"auto", "walk", "run", "unknown"}
        Which gait's claims apply.  ``"auto"`` takes the gait of ≥ 80 % of the strides
        compared (from the data, or from the ``gait`` column of a comparison);
        with ``"unknown"`` or mixed gaits every claim is listed.
    placement : str or list of str, optional
        Sensor placement(s), used to explain missing parameters; inferred from results or
        ``sensor`` names when not given.
    **compare_options
        Passed on to :func:`~retrogait.compare.compare` (e.g. ``paired_by``, ``seed``).

    Returns
    -------
    DataFrame
        Columns :data:`CLAIMS_COLUMNS`; ``difference`` and the CI are backward − forward
        in the parameter's unit (percentage points for ``toe_first_pct``).

    Raises
    ------
    InputError
        If ``gait`` is not allowed, or the comparison has no backward/forward contrast,
        or (data given) ``by`` is not a column or lacks the ``backward`` / ``forward``
        level.

    References
    ----------
    Each claim names its sources in the ``source`` column (see :data:`CLAIMS`, and the
    module notes for the others); the main ones:

    Laufer, Y. (2005). Effect of age on characteristics of forward and backward gait at
    preferred and accelerated walking speed. *J Gerontol A* 60:627 (walking).

    Cavagna, G. A., Legramandi, M. A. & La Torre, A. (2012). An analysis of the rebound of
    the body in backward human running. *J Exp Biol* 215:75 (running).

    Examples
    --------
    From forward and backward strides of one walk (the comparison is computed here):

    >>> import pandas as pd
    >>> from retrogait import schema
    >>> strides = schema.conform(pd.DataFrame({
    ...     "direction": ["forward"] * 4 + ["backward"] * 4,
    ...     "cadence_spm": [110.0, 112.0, 111.0, 113.0, 118.0, 120.0, 119.0, 121.0],
    ...     "stride_length_m": [1.30, 1.32, 1.28, 1.31, 0.90, 0.92, 0.88, 0.91],
    ... }), schema.STRIDES_COLUMNS)
    >>> claims = check_claims(strides, gait="walk")
    >>> claims[["claim", "parameter", "verdict"]]
                         claim              parameter     verdict
    0          shorter strides        stride_length_m   supported
    1           higher cadence            cadence_spm   supported
    2        toe-first contact          toe_first_pct  can't tell
    3      longer contact time          stance_time_s  can't tell
    4          higher stance %             stance_pct  can't tell
    5  lower impact at contact        peak_acc_ic_ms2  can't tell
    6     more upright posture         trunk_tilt_deg  can't tell
    7       higher energy cost  metabolic_cost_j_kg_m  can't tell
    >>> round(float(claims.loc[0, "difference"]), 2)  # backward - forward, in m
    -0.4
    """
    if gait not in ("auto", "walk", "run", "unknown"):
        raise InputError(f"gait: expected 'auto', 'walk', 'run' or 'unknown', found {gait!r}")
    placements: set[str] = {placement} if isinstance(placement, str) else set(placement or ())
    table: pd.DataFrame | None = None
    if _is_comparison(comparison_or_data):
        comparison = comparison_or_data
        if gait == "auto":
            recorded = comparison["gait"].dropna().astype(str).unique() if "gait" in comparison.columns else []
            gait = str(recorded[0]) if len(recorded) == 1 else "unknown"
        if not placements and "placements" in comparison.columns:
            for value in comparison["placements"].dropna().astype(str).unique():
                placements.update(p for p in value.split(";") if p)
    else:
        table, _ = collect(comparison_or_data, by=by, level=compare_options.get("level", "auto"))
        if gait == "auto":
            gait = infer_gait(table, by, (backward, forward))
        wanted = sorted({c.parameter for c in CLAIMS if not c.not_measured})
        if by not in table.columns:
            raise InputError(f"by: column {by!r} not found; columns: {list(table.columns)}")
        present = set(table[by].astype(str))
        if not {backward, forward} <= present:
            raise InputError(f"by={by!r}: need levels {backward!r} and {forward!r}, found {sorted(present)}")
        subset = table[table[by].astype(str).isin((backward, forward))]
        options = dict(compare_options)
        options.pop("level", None)
        params = _available(subset, wanted)
        comparison = compare(subset, by=by, reference=forward, parameters=params or None, **options) \
            if params else pd.DataFrame(columns=list(_COMPARISON_MARKERS))
    if not placements:
        placements = infer_placements(comparison_or_data, table)

    rows = _contrast(comparison, backward, forward)
    out: list[dict[str, Any]] = []
    for claim in CLAIMS:
        if gait in ("walk", "run") and gait not in claim.gaits:
            continue
        out.append(_judge(claim, rows.get(claim.parameter), placements, gait))
    return schema.conform(pd.DataFrame(out, columns=list(CLAIMS_COLUMNS)), CLAIMS_COLUMNS)


def _available(table: pd.DataFrame, wanted: list[str]) -> list[str]:
    keep = []
    for p in wanted:
        for col in (p, f"{p}_mean"):
            if col in table.columns and np.isfinite(pd.to_numeric(table[col], errors="coerce")).any():
                keep.append(p)
                break
    return keep


def _contrast(comparison: pd.DataFrame, backward: str, forward: str) -> dict[str, dict[str, Any]]:
    if comparison.empty:
        return {}
    group = comparison["group"].astype(str)
    ref = comparison["reference"].astype(str)
    direct = comparison[(group == backward) & (ref == forward)]
    flipped = comparison[(group == forward) & (ref == backward)]
    if direct.empty and flipped.empty:
        raise InputError(
            f"comparison: no contrast of {backward!r} vs {forward!r}; found "
            f"{sorted(set(zip(group, ref, strict=True)))} (group, reference)"
        )
    rows: dict[str, dict[str, Any]] = {}
    for _, r in direct.iterrows():
        rows[str(r["parameter"])] = {
            "difference": r["difference"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
            "difference_pct": r.get("difference_pct", math.nan), "n_backward": r.get("n_group", 0),
            "n_forward": r.get("n_reference", 0), "note": r.get("note", ""),
        }
    for _, r in flipped.iterrows():
        if str(r["parameter"]) in rows:
            continue
        diff = -r["difference"]
        rows[str(r["parameter"])] = {
            "difference": diff, "ci_low": -r["ci_high"], "ci_high": -r["ci_low"],
            "difference_pct": 100 * diff / r["mean_group"] if r.get("mean_group", 0) else math.nan,
            "n_backward": r.get("n_reference", 0), "n_forward": r.get("n_group", 0), "note": r.get("note", ""),
        }
    return rows


def _judge(claim: Claim, row: dict[str, Any] | None, placements: set[str], gait: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "claim": claim.claim, "parameter": claim.parameter, "expected": claim.expected,
        "gait": "/".join(claim.gaits) if gait not in ("walk", "run") else gait, "source": claim.source,
        "difference": math.nan, "difference_pct": math.nan, "ci_low": math.nan, "ci_high": math.nan,
        "n_backward": 0, "n_forward": 0, "note": "",
    }
    if claim.not_measured:
        out.update(verdict="can't tell", reason=claim.not_measured)
        return out
    if row is None or (int(row["n_backward"] or 0) == 0 and int(row["n_forward"] or 0) == 0):
        out.update(verdict="can't tell", reason=_missing_reason(claim.parameter, placements))
        return out
    out.update({k: row[k] for k in ("difference", "difference_pct", "ci_low", "ci_high", "n_backward",
                                     "n_forward", "note")})
    n_bw, n_fw = int(row["n_backward"]), int(row["n_forward"])
    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    if n_bw == 0 or n_fw == 0:
        missing = "backward" if n_bw == 0 else "forward"
        out.update(verdict="can't tell", reason=f"no {missing} values of {claim.parameter}")
    elif not (np.isfinite(lo) and np.isfinite(hi)):
        out.update(verdict="can't tell", reason=f"too few values (n={n_bw} backward, {n_fw} forward)")
    elif lo <= 0 <= hi:
        out.update(verdict="can't tell", reason=f"CI includes 0 ({_fmt(lo)} to {_fmt(hi)})")
    else:
        lower = hi < 0
        agrees = lower == (claim.expected == "lower")
        side = "below" if lower else "above"
        out.update(verdict="supported" if agrees else "contradicted",
                   reason=f"CI entirely {side} 0 ({_fmt(lo)} to {_fmt(hi)})")
    return out
