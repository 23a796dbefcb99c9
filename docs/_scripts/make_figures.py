"""Draw the figures of the concept pages from the simulator's truth.

    .venv/bin/python docs/_scripts/make_figures.py [--out docs/figures]

The concept figures show the *definitions* (what an initial contact, a flight phase or a
toe-first contact is), so they are drawn from the reference tables that
:mod:`retrogait.simulate` returns with each simulated signal, not from retrogait's
detectors.  The algorithm figures (``detected_*.png``) show what the detectors find on
the bundled real samples in ``data/samples``.  Every figure is drawn by :mod:`retrogait.plotting`.  The PNGs are small
(< 200 kB each) and committed; rerun the script after changing the simulator or the
plots.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import retrogait as rg  # noqa: E402
from retrogait import plotting  # noqa: E402
from retrogait.simulate import simulate_gait, simulate_session, simulate_trial  # noqa: E402

RATE_HZ = 200.0
DPI = 90


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def phases(out: Path) -> Path:
    """Footfall diagrams of forward walking (double support) and running (flight)."""
    fig, axes = plt.subplots(2, 1, figsize=(9.0, 4.6), layout="constrained")
    for ax, gait in zip(axes, ("walk", "run"), strict=True):
        trial = simulate_trial(sensors=("foot_left", "foot_right"), gait=gait, n_strides=6,
                               sampling_rate_hz=RATE_HZ, variability_pct=0.0, seed=1)
        strides = pd.concat([t.strides for t in trial.values()], ignore_index=True)
        start = float(strides["start_s"].min()) + 1.0
        plotting.plot_footfalls(strides, start_s=start, end_s=start + 3.0, ax=ax)
        ax.set_title(f"forward {gait}: stance of each foot (bars); "
                     + ("both bars overlap = double support" if gait == "walk" else "no bar = flight (yellow)"))
    return _save(fig, out / "phases.png")


def foot_contacts(out: Path) -> Path:
    """Foot pitch rate over two strides, heel-first forward vs toe-first backward, with ic/fc."""
    fig, axes = plt.subplots(2, 1, figsize=(9.0, 5.2), layout="constrained", sharey=True)
    for ax, direction in zip(axes, ("forward", "backward"), strict=True):
        sim = simulate_gait(placement="foot", side="left", direction=direction, n_strides=6,
                            sampling_rate_hz=RATE_HZ, variability_pct=0.0, noise_std_ms2=0.0,
                            gyro_noise_std_dps=0.0, seed=2)
        start = float(sim.strides["start_s"].iloc[2]) - 0.2
        plotting.plot_signal(sim.recording, events=sim.events, strides=sim.strides, signal="gyr_y",
                             start_s=start, end_s=start + 2.4, ax=ax)
        contact = sim.strides["contact_type"].iloc[0].replace("_", "-")
        ax.set_title(f"{direction} walking, {contact} contact (simulated foot sensor, y = medio-lateral axis)")
    return _save(fig, out / "foot_contacts.png")


def strike_angles(out: Path) -> Path:
    """Strike angles of heel-first, flat and toe-first strides against the contact-type bands."""
    tables = []
    for direction, contact in (("forward", "heel_first"), ("forward", "flat"), ("backward", "toe_first")):
        sim = simulate_gait(placement="foot", side="left", direction=direction, contact_type=contact,
                            n_strides=40, sampling_rate_hz=100.0, variability_pct=4.0, seed=3)
        tables.append(sim.strides.assign(direction=f"{direction}, {contact.replace('_', '-')}"))
    fig, ax = plt.subplots(figsize=(7.0, 3.6), layout="constrained")
    plotting.plot_strike_angle(pd.concat(tables, ignore_index=True), by="direction", bins=40, ax=ax)
    ax.set_title("Strike angle at initial contact (+ = toes up) and the contact-type bands")
    return _save(fig, out / "strike_angles.png")


def bouts(out: Path) -> Path:
    """Acceleration norm of a foot sensor through a session with rest, forward and backward bouts."""
    sim = simulate_session([{"gait": "walk", "direction": "forward", "n_strides": 5}, {"rest_s": 3.0},
                            {"gait": "walk", "direction": "backward", "n_strides": 5}],
                           placement="foot", side="left", sampling_rate_hz=100.0, seed=4)
    fig, ax = plt.subplots(figsize=(9.0, 3.0), layout="constrained")
    plotting.plot_signal(sim.recording, events=sim.events, signal="acc_norm", ax=ax)
    for _, seg in sim.segments[sim.segments["kind"] == "gait"].iterrows():
        ax.annotate(f"bout: {seg['direction']} {seg['gait']}", xy=((seg["start_s"] + seg["end_s"]) / 2, 1.02),
                    xycoords=("data", "axes fraction"), ha="center", fontsize="small")
    ax.set_title("")
    return _save(fig, out / "bouts.png")


SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def detected_foot(out: Path) -> Path:
    """Contacts found by retrogait on the bundled gaitmap left-foot walk (real data)."""
    rec = rg.read(SAMPLES / "gaitmap_left_foot.csv", placement="foot", side="left", acc_unit="m/s^2",
                  gyr_unit="deg/s")
    res = rg.analyze(rec)
    fig, ax = plt.subplots(figsize=(9.0, 3.2), layout="constrained")
    plotting.plot_signal(rec, events=res.events, strides=res.strides, signal="gyr_y", start_s=8.0, end_s=11.5,
                         ax=ax)
    ax.set_title("gaitmap left foot (real, forward walking): contacts detected by retrogait (pitch_lobes)")
    return _save(fig, out / "detected_foot.png")


def detected_lower_back(out: Path) -> Path:
    """Contacts found by retrogait on the bundled GaitPy lower-back walk (real data)."""
    rec = rg.read(SAMPLES / "gaitpy_lower_back.csv", placement="lower_back", acc_unit="m/s^2")
    res = rg.analyze(rec)
    fig, ax = plt.subplots(figsize=(9.0, 3.2), layout="constrained")
    start = float(res.strides["start_s"].iloc[len(res.strides) // 2]) if len(res.strides) else 20.0
    plotting.plot_signal(rec, events=res.events, signal="acc_norm", start_s=start, end_s=start + 4.0, ax=ax)
    ax.set_title("GaitPy lower back (real, forward walking): contacts detected by retrogait (mccamley2012)")
    return _save(fig, out / "detected_lower_back.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "figures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for draw in (phases, foot_contacts, strike_angles, bouts, detected_foot, detected_lower_back):
        path = draw(args.out)
        print(f"{path} ({path.stat().st_size / 1000:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
