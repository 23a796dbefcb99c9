"""Plots of gait signals, strides and comparisons (all of retrogait's matplotlib code).

Every ``plot_*`` function draws into the axes passed as ``ax=`` (it creates a figure only
when ``ax`` is None) and returns the axes it drew on; :func:`plot_overview` returns a
Figure.  Axis labels carry units (``retrogait.schema.label``).  Colours are fixed per
level: forward / backward, walk / run and the contact types have their own colours, any
other level (conditions, subjects) gets the colours of :data:`CYCLE` in the sorted order
of the levels shown, so the same set of conditions is coloured alike in every plot.

Plots never compute statistics themselves: they draw what :mod:`retrogait.compare`,
:mod:`retrogait.stats` and :mod:`retrogait.normalize` computed (and tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from retrogait import schema
from retrogait.compare import NOT_RATIO_SCALE, agreement
from retrogait.contact import HEEL_FIRST_ABOVE_DEG, TOE_FIRST_BELOW_DEG
from retrogait.normalize import flight_intervals, phase_intervals, signal_of
from retrogait.recording import Recording

__all__ = [
    "FIXED_COLORS",
    "CYCLE",
    "STRIKE_ANGLE_BANDS_DEG",
    "NOT_RATIO_SCALE",
    "colors_for",
    "plot_signal",
    "plot_footfalls",
    "plot_stride_curves",
    "plot_distribution",
    "plot_length_cadence",
    "plot_strike_angle",
    "plot_over_time",
    "plot_bland_altman",
    "plot_comparison",
    "plot_overview",
]

#: Colours of the levels that have a meaning of their own.
FIXED_COLORS: dict[str, str] = {
    "forward": "#1f77b4",
    "backward": "#d62728",
    "sideways": "#9467bd",
    "walk": "#2ca02c",
    "run": "#ff7f0e",
    "toe_first": "#d62728",
    "flat": "#7f7f7f",
    "heel_first": "#1f77b4",
    "unknown": "#bcbcbc",
    "left": "#17becf",
    "right": "#e377c2",
}

#: Colours given in order to the other levels (sorted by name).
CYCLE: tuple[str, ...] = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                          "#17becf", "#bcbd22", "#7f7f7f")

#: Strike-angle bands of the contact types in deg, from the thresholds of
#: :mod:`retrogait.contact` (Altman & Davis 2012, *Gait Posture* 35:298): toe-first < −1.6°,
#: flat −1.6 … 8.0°, heel-first > 8.0° (positive = toes up).
STRIKE_ANGLE_BANDS_DEG: dict[str, tuple[float, float]] = {
    "toe_first": (-np.inf, TOE_FIRST_BELOW_DEG),
    "flat": (TOE_FIRST_BELOW_DEG, HEEL_FIRST_ABOVE_DEG),
    "heel_first": (HEEL_FIRST_ABOVE_DEG, np.inf),
}


_EXTRA_LABELS = {
    "toe_first_pct": "Toe-first contacts (% of strides)",
    "flat_pct": "Flat contacts (% of strides)",
    "heel_first_pct": "Heel-first contacts (% of strides)",
    "acc_norm": "|acc| (m/s²)",
    "gyr_norm": "|gyr| (deg/s)",
}


def _label(column: str) -> str:
    return _EXTRA_LABELS.get(column, schema.label(column))


def _short(column: str) -> str:
    """Label without the unit (for tick labels)."""
    return _label(column).split(" (")[0]


def colors_for(levels: Iterable[Any]) -> dict[str, str]:
    """Colour of each level: :data:`FIXED_COLORS` where defined, else :data:`CYCLE` in sorted order.

    Parameters
    ----------
    levels : iterable
        Levels shown in a plot (converted to str; duplicates are ignored).

    Returns
    -------
    dict of str to str
        Hex colour of each level: first the levels with a fixed colour, then the others in
        sorted order, which take the :data:`CYCLE` colours not already used.

    Examples
    --------
    >>> colors_for(["backward", "forward", "subject A"])
    {'backward': '#d62728', 'forward': '#1f77b4', 'subject A': '#2ca02c'}
    """
    names = sorted({str(v) for v in levels})
    used = {FIXED_COLORS[n] for n in names if n in FIXED_COLORS}
    free = [c for c in CYCLE if c not in used] or list(CYCLE)
    out = {n: FIXED_COLORS[n] for n in names if n in FIXED_COLORS}
    for i, name in enumerate(n for n in names if n not in FIXED_COLORS):
        out[name] = free[i % len(free)]
    return out


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def _groups(table: pd.DataFrame, by: str | None) -> list[tuple[str, pd.DataFrame]]:
    if by is None or by not in table.columns:
        return [("all", table)]
    labels = table[by].astype(str)
    return [(g, table[labels == g]) for g in sorted(labels.unique())]


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    from retrogait.errors import InputError

    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{what}: missing column(s) {missing}; found {list(table.columns)}")


# ----------------------------------------------------------------------------- signals


def plot_signal(
    recording: Recording,
    *,
    events: pd.DataFrame | None = None,
    strides: pd.DataFrame | None = None,
    signal: str = "acc_norm",
    start_s: float | None = None,
    end_s: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A signal over time with its contacts and the stance / swing / flight phases shaded.

    Parameters
    ----------
    recording : Recording
        The sensor (time in s; accelerations in m/s², angular rates in deg/s).
    events : DataFrame, optional
        Events table (``time_s`` in s, ``event`` ``"ic"`` / ``"fc"``); this sensor's
        initial (▼) and final (▲) contacts are marked on the signal.
    strides : DataFrame, optional
        Strides table (``start_s``, ``fc_s``, ``end_s`` in s); this sensor's stance
        (green) and swing (light grey) periods are shaded, and flight periods (every foot
        in swing, from all sensors) in yellow.
    signal : str
        Column of the recording, or ``acc_norm`` (m/s²) / ``gyr_norm`` (deg/s).
    start_s, end_s : float, optional
        Time window in s (default: the whole recording).
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        The signal against time (x: ``Time (s)``, y: the signal with its unit), titled
        with the recording's name, with a legend of the phases and contacts drawn.

    Raises
    ------
    InputError
        If ``signal`` is neither a column nor a norm the recording can give, or
        ``strides`` lacks ``start_s``, ``end_s`` or ``fc_s``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> ax = plot_signal(trial.recording, events=trial.events, strides=trial.strides)
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_title()
    ('Time (s)', '|acc| (m/s²)', 'foot_left')
    >>> ax.get_legend_handles_labels()[1]
    ['|acc| (m/s²)', 'stance', 'swing', 'initial contact', 'final contact']
    >>> ax = plot_signal(trial.recording, signal="acc_z", start_s=2.0, end_s=4.0)
    >>> ax.get_ylabel()
    'acc z (m/s²)'
    """
    ax = _axes(ax, (10.0, 3.5))
    t = recording.time_s
    y = signal_of(recording, signal)
    lo = 0.0 if start_s is None else float(start_s)
    hi = recording.duration_s if end_s is None else float(end_s)
    window = (t >= lo) & (t <= hi)
    ax.plot(t[window], y[window], color="black", lw=0.8, label=_label(signal))
    if strides is not None and len(strides):
        mine = strides
        if "sensor" in strides.columns and (strides["sensor"].astype(str) == recording.name).any():
            mine = strides[strides["sensor"].astype(str) == recording.name]
        phases = phase_intervals(mine)
        shown = phases[(phases["end_s"] > lo) & (phases["start_s"] < hi)]
        for phase, color, alpha in (("stance", "#2ca02c", 0.18), ("swing", "#bcbcbc", 0.15)):
            first = True
            for _, row in shown[shown["phase"] == phase].iterrows():
                ax.axvspan(max(row["start_s"], lo), min(row["end_s"], hi), color=color, alpha=alpha, lw=0,
                           label=phase if first else None)
                first = False
        flights = flight_intervals(strides)
        flights = flights[(flights["end_s"] > lo) & (flights["start_s"] < hi)]
        for i, (_, row) in enumerate(flights.iterrows()):
            ax.axvspan(row["start_s"], row["end_s"], color="#ffd700", alpha=0.35, lw=0,
                       label="flight" if i == 0 else None)
    if events is not None and len(events):
        ev = events
        if "sensor" in events.columns and (events["sensor"].astype(str) == recording.name).any():
            ev = events[events["sensor"].astype(str) == recording.name]
        for kind, marker, color in (("ic", "v", "#d62728"), ("fc", "^", "#1f77b4")):
            sel = ev[(ev["event"] == kind) & (ev["time_s"] >= lo) & (ev["time_s"] <= hi)]
            if len(sel):
                times = sel["time_s"].to_numpy(float)
                values = np.interp(times, t, y)
                ax.scatter(times, values, marker=marker, color=color, zorder=3,
                           label="initial contact" if kind == "ic" else "final contact")
    ax.set_xlabel(_label("time_s"))
    ax.set_ylabel(_label(signal))
    ax.set_title(recording.name)
    ax.legend(loc="upper right", fontsize="small", ncol=3)
    return ax


def plot_footfalls(
    strides: pd.DataFrame, *, start_s: float | None = None, end_s: float | None = None, ax: Axes | None = None
) -> Axes:
    """Footfall (gait-phase) diagram: one bar per stance period and foot over time.

    Flight periods (every foot in swing) are shaded in yellow.  Feet are named by side,
    or by sensor when the side is unknown.

    Parameters
    ----------
    strides : DataFrame
        Strides with ``start_s``, ``fc_s`` and ``end_s`` (s); strides without a final
        contact draw no bar.
    start_s, end_s : float, optional
        Time window (s); default: all strides.
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        One row of stance bars (from initial to final contact) per foot, the feet as
        y tick labels, time in s on x.

    Raises
    ------
    InputError
        If ``strides`` lacks ``start_s``, ``end_s`` or ``fc_s``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> ax = plot_footfalls(trial.strides)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['left'], 'Time (s)')
    """
    ax = _axes(ax, (10.0, 2.5))
    phases = phase_intervals(strides)
    lo = -np.inf if start_s is None else float(start_s)
    hi = np.inf if end_s is None else float(end_s)
    stance = phases[(phases["phase"] == "stance") & (phases["end_s"] > lo) & (phases["start_s"] < hi)]
    feet = sorted(stance["foot"].unique())
    colors = colors_for(feet)
    for i, foot in enumerate(feet):
        block = stance[stance["foot"] == foot]
        spans = [(float(a), float(b - a)) for a, b in zip(block["start_s"], block["end_s"], strict=True)]
        ax.broken_barh(spans, (i - 0.35, 0.7), facecolors=colors[foot], label=foot)
    flights = flight_intervals(strides)
    flights = flights[(flights["end_s"] > lo) & (flights["start_s"] < hi)]
    for j, (_, row) in enumerate(flights.iterrows()):
        ax.axvspan(row["start_s"], row["end_s"], color="#ffd700", alpha=0.35, lw=0,
                   label="flight" if j == 0 else None)
    ax.set_yticks(range(len(feet)), feet)
    ax.set_ylim(-0.6, max(len(feet), 1) - 0.4)
    ax.set_xlabel(_label("time_s"))
    ax.set_title("Stance periods (bars) per foot")
    if np.isfinite(lo) or np.isfinite(hi):
        left, right = ax.get_xlim()
        ax.set_xlim(lo if np.isfinite(lo) else left, hi if np.isfinite(hi) else right)
    return ax


def plot_stride_curves(curves: pd.DataFrame, *, ylabel: str | None = None, ax: Axes | None = None) -> Axes:
    """Stride-normalised curves: mean ± SD per group over 0–100 % of the stride.

    Parameters
    ----------
    curves : DataFrame
        Output of :func:`retrogait.normalize.curves_by` (``group, pct, mean, sd, n``;
        ``pct`` in % of the stride from initial contact, ``mean``/``sd`` in the signal's
        unit).
    ylabel : str, optional
        Y label with unit, e.g. ``schema.label("acc_z")``; default ``"signal"``.
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        One mean line per group with a ±1 SD band, labelled ``"<group> (n=<strides>)"``,
        x from 0 to 100 %.

    Raises
    ------
    InputError
        If ``curves`` lacks one of ``group``, ``pct``, ``mean``, ``sd``, ``n``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import simulate_gait
    >>> trial = simulate_gait(placement="foot", n_strides=8, sampling_rate_hz=100.0, seed=1)
    >>> from retrogait.normalize import curves_by, normalize_strides
    >>> normalized = normalize_strides(trial.recording, trial.strides, signal="acc_norm")
    >>> curves = curves_by(normalized, trial.strides, by="direction")
    >>> ax = plot_stride_curves(curves, ylabel="|acc| (m/s²)")
    >>> ax.get_legend_handles_labels()[1], ax.get_xlabel()
    (['forward (n=8)'], 'Stride (% from initial contact)')
    """
    _require(curves, ("group", "pct", "mean", "sd", "n"), "curves")
    ax = _axes(ax)
    colors = colors_for(curves["group"])
    for group, block in curves.groupby("group", sort=True):
        color = colors[str(group)]
        pct = block["pct"].to_numpy(float)
        mean = block["mean"].to_numpy(float)
        sd = block["sd"].to_numpy(float)
        ax.plot(pct, mean, color=color, lw=1.8, label=f"{group} (n={int(block['n'].iloc[0])})")
        ax.fill_between(pct, mean - sd, mean + sd, color=color, alpha=0.2, lw=0)
    ax.set_xlabel("Stride (% from initial contact)")
    ax.set_ylabel(ylabel or "signal")
    ax.set_xlim(0, 100)
    ax.legend(fontsize="small")
    return ax


# ----------------------------------------------------------------------------- strides


def plot_distribution(
    data: pd.DataFrame,
    parameter: str,
    *,
    by: str = "condition",
    kind: str = "box",
    ax: Axes | None = None,
    seed: int = 0,
) -> Axes:
    """Distribution of a parameter per group: every value as a point over a box or violin.

    Parameters
    ----------
    data : DataFrame
        Strides (one point per stride) or summary rows.
    parameter : str
        Column to show (its unit from ``schema.label``, e.g. ``cadence_spm`` in
        steps/min); NaN values are left out.
    by : str
        Grouping column (one box per level, sorted); all values in one box when it is
        not a column.
    kind : {"box", "violin"}
        Box plot (median, quartiles, whiskers at 1.5 IQR, no fliers) or violin.
    ax : Axes, optional
        Axes to draw into; a new figure when None.
    seed : int
        Seed of the horizontal jitter of the points.

    Returns
    -------
    Axes
        One box (or violin) with its points per level of ``by``; levels as x tick labels,
        the parameter with its unit on y.

    Raises
    ------
    InputError
        If ``parameter`` is not a column of ``data`` or ``kind`` is not ``"box"`` /
        ``"violin"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> ax = plot_distribution(strides, "cadence_spm", by="direction")
    >>> ax.get_ylabel()
    'Cadence (steps/min)'
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['backward', 'forward']
    """
    from retrogait.errors import InputError

    _require(data, (parameter,), "data")
    if kind not in ("box", "violin"):
        raise InputError(f"kind: expected 'box' or 'violin', found {kind!r}")
    ax = _axes(ax, (5.0, 4.0))
    groups = [(g, block[parameter].to_numpy(float)) for g, block in _groups(data, by)]
    groups = [(g, v[np.isfinite(v)]) for g, v in groups]
    groups = [(g, v) for g, v in groups if v.size]
    colors = colors_for([g for g, _ in groups])
    rng = np.random.default_rng(seed)
    positions = np.arange(1, len(groups) + 1)
    if groups:
        values = [v for _, v in groups]
        if kind == "box":
            ax.boxplot(values, positions=positions, widths=0.5, showfliers=False, patch_artist=False)
        else:
            parts = ax.violinplot([v if v.size > 1 else np.r_[v, v] for v in values], positions=positions,
                                  widths=0.7, showextrema=False)
            bodies: Any = parts["bodies"]  # a list of PolyCollections (typed as one Collection)
            for body, (g, _) in zip(bodies, groups, strict=True):
                body.set_facecolor(colors[g])
                body.set_alpha(0.25)
    for pos, (g, v) in zip(positions, groups, strict=True):
        ax.scatter(pos + rng.uniform(-0.15, 0.15, v.size), v, s=10, alpha=0.6, color=colors[g], label=g,
                   zorder=3)
    ax.set_xticks(positions, [g for g, _ in groups])
    if not groups:  # e.g. stance time from a phone, which finds steps but no final contacts
        ax.text(0.5, 0.5, f"no {_label(parameter).lower()} values", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(by)
    ax.set_ylabel(_label(parameter))
    return ax


def plot_length_cadence(strides: pd.DataFrame, *, by: str = "direction", ax: Axes | None = None) -> Axes:
    """Stride length (m) against cadence (steps/min), one colour per group.

    Parameters
    ----------
    strides : DataFrame
        Strides with ``cadence_spm`` (steps/min) and ``stride_length_m`` (m); strides
        missing either are left out (a note is drawn when none is left).
    by : str
        Grouping column (one colour per level; all alike when it is not a column).
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        Scatter of stride length against cadence, one series per level labelled
        ``"<level> (n=<strides>)"``.

    Raises
    ------
    InputError
        If ``strides`` lacks ``cadence_spm`` or ``stride_length_m``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> ax = plot_length_cadence(strides, by="direction")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Cadence (steps/min)', 'Stride length (m)')
    >>> ax.get_legend_handles_labels()[1]
    ['backward (n=4)', 'forward (n=4)']
    """
    _require(strides, ("cadence_spm", "stride_length_m"), "strides")
    ax = _axes(ax, (5.0, 4.0))
    ok = strides[np.isfinite(strides["cadence_spm"].to_numpy(float))
                 & np.isfinite(strides["stride_length_m"].to_numpy(float))]
    groups = _groups(ok, by)
    colors = colors_for([g for g, _ in groups])
    for g, block in groups:
        ax.scatter(block["cadence_spm"], block["stride_length_m"], s=14, alpha=0.7, color=colors[g],
                   label=f"{g} (n={len(block)})")
    if not len(ok):
        ax.text(0.5, 0.5, "no strides with stride length", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(_label("cadence_spm"))
    ax.set_ylabel(_label("stride_length_m"))
    if len(ok):
        ax.legend(fontsize="small")
    return ax


def plot_strike_angle(
    strides: pd.DataFrame, *, by: str | None = "direction", bins: int | Sequence[float] = 30, ax: Axes | None = None
) -> Axes:
    """Histogram of the strike angle (deg, + = toes up) per group over the contact-type bands.

    The bands are :data:`STRIKE_ANGLE_BANDS_DEG` (Altman & Davis 2012).

    Parameters
    ----------
    strides : DataFrame
        Strides with ``strike_angle_deg`` (deg; NaN angles are left out).
    by : str or None
        Grouping column (one outline histogram per level); None: one histogram.
    bins : int or sequence of float
        Number of bins over the shown range (at least −20 … 30 deg), or the bin edges
        in deg.
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        Step histograms (y: number of strides) per level, labelled
        ``"<level> (n=<strides>)"``, over the shaded toe-first / flat / heel-first bands.

    Raises
    ------
    InputError
        If ``strides`` lacks ``strike_angle_deg``.

    References
    ----------
    Altman, A. R. & Davis, I. S. (2012). A kinematic method for footstrike pattern
    detection in barefoot and shod runners. *Gait Posture* 35:298–300.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> ax = plot_strike_angle(strides, by="direction")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Strike angle (deg, + = toes up)', 'Strides')
    >>> ax.get_legend_handles_labels()[1]
    ['backward (n=4)', 'forward (n=4)']
    """
    _require(strides, ("strike_angle_deg",), "strides")
    ax = _axes(ax, (6.0, 4.0))
    angles = strides["strike_angle_deg"].to_numpy(float)
    finite = angles[np.isfinite(angles)]
    lo = min(float(finite.min()) if finite.size else -20.0, -20.0)
    hi = max(float(finite.max()) if finite.size else 30.0, 30.0)
    for name, (a, b) in STRIKE_ANGLE_BANDS_DEG.items():
        ax.axvspan(max(a, lo - 5), min(b, hi + 5), color=FIXED_COLORS[name], alpha=0.08, lw=0)
        mid = (max(a, lo - 5) + min(b, hi + 5)) / 2
        ax.text(mid, 0.97, name.replace("_", "-"), transform=ax.get_xaxis_transform(), ha="center", va="top",
                fontsize="small", color=FIXED_COLORS[name])
    edges = np.linspace(lo, hi, int(bins) + 1) if isinstance(bins, int) else np.asarray(bins, float)
    ok = strides[np.isfinite(strides["strike_angle_deg"].to_numpy(float))]
    groups = _groups(ok, by)
    colors = colors_for([g for g, _ in groups])
    for g, block in groups:
        ax.hist(block["strike_angle_deg"].to_numpy(float), bins=list(edges), histtype="step", lw=1.8, color=colors[g],
                label=f"{g} (n={len(block)})")
    if not len(ok):
        ax.text(0.5, 0.5, "no strike angles", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlim(lo - 5, hi + 5)
    ax.set_xlabel(_label("strike_angle_deg"))
    ax.set_ylabel("Strides")
    if groups and len(ok):
        ax.legend(fontsize="small", loc="center right")
    return ax


def plot_over_time(
    strides: pd.DataFrame, parameter: str, *, by: str | None = "direction", ax: Axes | None = None
) -> Axes:
    """A stride parameter through a session: one point per stride at its start time (s).

    Parameters
    ----------
    strides : DataFrame
        Strides with ``start_s`` (s) and ``parameter``.
    parameter : str
        Column to show (its unit from ``schema.label``).
    by : str or None
        Grouping column (one colour per level); None draws all strides alike.
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        The parameter (y, with its unit) against the stride start time (x, s), one
        series of points per level.

    Raises
    ------
    InputError
        If ``strides`` lacks ``start_s`` or ``parameter``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> ax = plot_over_time(strides, "stance_time_s", by="direction")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Time (s)', 'Stance time (s)')
    """
    _require(strides, ("start_s", parameter), "strides")
    ax = _axes(ax, (10.0, 3.0))
    groups = _groups(strides, by)
    colors = colors_for([g for g, _ in groups])
    for g, block in groups:
        block = block.sort_values("start_s")
        ax.plot(block["start_s"], block[parameter], ls="none", marker="o", ms=3, color=colors[g], label=g)
    ax.set_xlabel(_label("time_s"))
    ax.set_ylabel(_label(parameter))
    ax.legend(fontsize="small")
    return ax


def plot_bland_altman(
    measured: Any, reference: Any, *, quantity: str | None = None, ax: Axes | None = None
) -> Axes:
    """Bland–Altman plot: difference (measured − reference) against the pair mean.

    The bias and the 95 % limits of agreement are those of
    :func:`retrogait.compare.agreement`.

    Parameters
    ----------
    measured, reference : array-like
        Paired values in the same unit (pairs with a NaN are left out).
    quantity : str, optional
        Column name of the quantity (for the axis labels with unit).
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        Points (pair mean, difference), a solid line at the bias and dashed lines at the
        limits of agreement, with their values in the legend.

    Raises
    ------
    InputError
        If ``measured`` and ``reference`` differ in length.

    References
    ----------
    Bland, J. M. & Altman, D. G. (1986). Statistical methods for assessing agreement
    between two methods of clinical measurement. *Lancet* 327:307–310.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_bland_altman([1.02, 0.98, 1.10, 1.05], [1.00, 1.00, 1.05, 1.00],
    ...                        quantity="stride_length_m")
    >>> ax.get_ylabel()
    'Measured − reference: Stride length (m)'
    >>> ax.get_legend_handles_labels()[1]
    ['bias 0.025', '95 % limits -0.04 to 0.09']
    """
    ax = _axes(ax, (5.0, 4.0))
    m = np.asarray(measured, dtype=float)
    r = np.asarray(reference, dtype=float)
    stats = agreement(m, r)
    ok = np.isfinite(m) & np.isfinite(r)
    ax.scatter((m[ok] + r[ok]) / 2, m[ok] - r[ok], s=12, alpha=0.7, color="#1f77b4")
    ax.axhline(stats["bias"], color="black", lw=1.2, label=f"bias {stats['bias']:.3g}")
    for key in ("loa_low", "loa_high"):
        ax.axhline(stats[key], color="#d62728", ls="--", lw=1.0,
                   label=f"95 % limits {stats['loa_low']:.3g} to {stats['loa_high']:.3g}" if key == "loa_low"
                   else None)
    name = _label(quantity) if quantity else "value"
    ax.set_xlabel(f"Mean of measured and reference: {name}")
    ax.set_ylabel(f"Measured − reference: {name}")
    ax.legend(fontsize="small")
    return ax


# ----------------------------------------------------------------------------- comparison


def plot_comparison(comparison: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Forest plot of a comparison: difference in % of the reference mean, with its 95 % CI.

    One row per parameter (and contrast); filled markers where the CI excludes 0.  The
    interval drawn is the comparison's ``ci_low``/``ci_high`` converted to % of
    ``mean_reference``; the axis label says 95 %, the default ``confidence`` of
    :func:`retrogait.compare.compare` (a comparison made with another level is drawn
    with its own interval under that label).  Left out: parameters of :data:`NOT_RATIO_SCALE`, and those whose reference mean is 0,
    missing or smaller than its SD (e.g. flight time in walking: near 0, so a difference in
    % of it is meaningless).

    Parameters
    ----------
    comparison : DataFrame
        Output of :func:`retrogait.compare.compare` (columns
        :data:`retrogait.compare.COMPARISON_COLUMNS`; at least ``parameter``, ``group``,
        ``reference``, ``difference_pct``, ``ci_low``, ``ci_high``, ``mean_reference``).
    ax : Axes, optional
        Axes to draw into; a new figure when None.

    Returns
    -------
    Axes
        Difference in % of the reference mean (x) with its CI, one row per parameter
        (labelled by the parameter's name, plus the contrast when there are several).

    Raises
    ------
    InputError
        If ``comparison`` lacks one of the columns above.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> from retrogait.compare import compare
    >>> cmp = compare(strides, by="direction", parameters=["cadence_spm", "stride_length_m"])
    >>> ax = plot_comparison(cmp)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_title()
    (['Stride length', 'Cadence'], 'backward vs forward')
    """
    _require(comparison, ("parameter", "group", "reference", "difference_pct", "ci_low", "ci_high",
                          "mean_reference"), "comparison")
    ax = _axes(ax, (6.0, 4.5))
    ref = comparison["mean_reference"].to_numpy(float)
    sd_ref = comparison["sd_reference"].to_numpy(float) if "sd_reference" in comparison.columns \
        else np.zeros(len(comparison))
    usable = comparison[np.isfinite(comparison["difference_pct"].to_numpy(float)) & (ref != 0)
                        & ~(np.abs(ref) < np.nan_to_num(sd_ref))
                        & ~comparison["parameter"].isin(NOT_RATIO_SCALE)]
    usable = usable.iloc[::-1]
    colors = colors_for(usable["group"])
    ticks = []
    for i, (_, row) in enumerate(usable.iterrows()):
        scale = 100.0 / abs(row["mean_reference"])
        lo, hi = row["ci_low"] * scale, row["ci_high"] * scale
        color = colors[str(row["group"])]
        if np.isfinite(lo) and np.isfinite(hi):
            ax.plot([lo, hi], [i, i], color=color, lw=2)
        excludes = np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)
        ax.plot([row["difference_pct"]], [i], marker="o", ms=7, color=color,
                markerfacecolor=color if excludes else "white")
        contrast = f" ({row['group']} vs {row['reference']})" if usable["group"].nunique() > 1 else ""
        ticks.append(_short(str(row["parameter"])) + contrast)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(ticks)), ticks)
    if len(usable):
        first = usable.iloc[0]
        ax.set_title(f"{first['group']} vs {first['reference']}" if usable["group"].nunique() == 1 else "")
    ax.set_xlabel("Difference (% of reference mean, 95 % CI)")
    return ax


def plot_overview(
    comparison: pd.DataFrame,
    *,
    strides: pd.DataFrame | None = None,
    by: str | None = None,
    parameters: Sequence[str] = ("cadence_spm", "stance_time_s"),
    figsize: tuple[float, float] = (12.0, 8.0),
) -> Figure:
    """One page with the comparison: forest plot, length vs cadence, strike angle, distributions.

    Parameters
    ----------
    comparison : DataFrame
        Output of :func:`retrogait.compare.compare`.
    strides : DataFrame, optional
        The strides compared (panels other than the forest plot need them:
        ``cadence_spm``, ``stride_length_m``, ``strike_angle_deg``).
    by : str, optional
        Grouping column; default: the comparison's ``by``.
    parameters : sequence of str
        Parameters shown as distributions (at most two; a panel is left empty when its
        parameter is not a column of ``strides``).
    figsize : tuple of float
        Figure size (width, height) in inches.

    Returns
    -------
    Figure
        Forest plot (:func:`plot_comparison`) on the left; with ``strides``, also
        :func:`plot_length_cadence`, :func:`plot_strike_angle` and two
        :func:`plot_distribution` panels; titled with the contrast.

    Raises
    ------
    InputError
        If ``comparison`` lacks a column :func:`plot_comparison` needs, or ``strides``
        lacks ``cadence_spm``, ``stride_length_m`` or ``strike_angle_deg``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from retrogait.simulate import example_strides
    >>> strides = example_strides()
    >>> from retrogait.compare import compare
    >>> cmp = compare(strides, by="direction", parameters=["cadence_spm", "stride_length_m"])
    >>> fig = plot_overview(cmp, strides=strides)
    >>> len(fig.axes), fig.get_suptitle()
    (5, 'retrogait comparison: backward vs forward')
    """
    fig = plt.figure(figsize=figsize, layout="constrained")
    grid = fig.add_gridspec(2, 3)
    plot_comparison(comparison, ax=fig.add_subplot(grid[:, 0]))
    if by is None and len(comparison) and "by" in comparison.columns:
        by = str(comparison["by"].iloc[0])
    if strides is not None and len(strides):
        plot_length_cadence(strides, by=by or "direction", ax=fig.add_subplot(grid[0, 1]))
        plot_strike_angle(strides, by=by, ax=fig.add_subplot(grid[0, 2]))
        for j, parameter in enumerate(list(parameters)[:2]):
            sub = fig.add_subplot(grid[1, 1 + j])
            if parameter in strides.columns:
                plot_distribution(strides, parameter, by=by or "direction", ax=sub)
            else:
                sub.set_axis_off()
    title = "retrogait comparison"
    if len(comparison):
        title += f": {comparison['group'].iloc[0]} vs {comparison['reference'].iloc[0]}"
    fig.suptitle(title)
    return fig
