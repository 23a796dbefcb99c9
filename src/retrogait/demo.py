"""The demo job: the bundled forward and backward samples, analysed end to end.

``retrogait demo`` / ``make demo`` run :func:`run_demo`: it reads the samples, analyses
a forward trial (real, both feet) and a backward trial (simulated, one foot), writes
the tables, compares the two conditions and draws the comparison.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from retrogait.errors import InputError
from retrogait.pipeline import AnalysisResult, analyze

#: The bundled samples folder of a source checkout.
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples"

#: The two conditions of the demo: files, placement and side of each sensor.  The sample
#: files document their units and sensor frame (data/samples/README.md: m/s^2, deg/s, x
#: toward the toes), so the demo states them instead of letting retrogait infer them.
DEMO_TRIALS: dict[str, list[tuple[str, str, str]]] = {
    "forward": [("gaitmap_left_foot.csv", "foot", "left"), ("gaitmap_right_foot.csv", "foot", "right")],
    "backward": [("simulated_backward_left_foot.csv", "foot", "left")],
}


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    table.to_csv(tmp, index=False)
    tmp.replace(path)


def _write_json(data: Any, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=lambda v: None if v != v else str(v)))
    tmp.replace(path)


def write_result(result: AnalysisResult, out_dir: Path) -> dict[str, Path]:
    """Write a result's tables: events.csv, strides.csv, bouts.csv, summary.json.

    Parameters
    ----------
    result : AnalysisResult
        What :func:`retrogait.analyze` returned.
    out_dir : pathlib.Path
        Folder to write into (created if missing).  Each file is written to a
        temporary name first and renamed, so no half-written file is left behind.

    Returns
    -------
    dict of str to pathlib.Path
        The written files by table name: ``events``, ``strides``, ``bouts`` (CSV, the
        columns of ``schema.EVENTS_COLUMNS``, ``schema.STRIDES_COLUMNS`` and
        ``schema.BOUTS_COLUMNS`` plus any extra columns of the result) and ``summary``
        (JSON: ``{"summary": <the one summary row>, "params": <Params.to_dict()>}``,
        NaN written as ``null``).

    Examples
    --------
    A simulated backward walk (4 strides, foot sensor, toes along +x), analysed, written,
    and read back:

    >>> import json
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import retrogait as rg
    >>> from retrogait.simulate import simulate_gait
    >>> from retrogait.demo import write_result
    >>> sim = simulate_gait(direction="backward", n_strides=4, sampling_rate_hz=100.0,
    ...                     rest_before_s=1.0, rest_after_s=1.0, seed=0)
    >>> result = rg.analyze(sim.recording.replace(meta={**sim.recording.meta, "toe_axis": "+x"}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_result(result, Path(tmp) / "backward")
    ...     strides = pd.read_csv(paths["strides"])
    ...     saved = json.loads(paths["summary"].read_text())
    >>> sorted(paths), sorted(path.name for path in paths.values())
    (['bouts', 'events', 'strides', 'summary'], ['bouts.csv', 'events.csv', 'strides.csv', 'summary.json'])
    >>> len(strides) == len(result.strides), strides["direction"].unique().tolist()
    (True, ['backward'])
    >>> saved["summary"]["n_strides"], saved["summary"]["direction_majority"]
    (4, 'backward')
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.csv" for name in ("events", "strides", "bouts")}
    _write_csv(result.events, paths["events"])
    _write_csv(result.strides, paths["strides"])
    _write_csv(result.bouts, paths["bouts"])
    summary = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in result.summary.iloc[0].items()}
    paths["summary"] = out_dir / "summary.json"
    _write_json({"summary": summary, "params": result.params.to_dict()}, paths["summary"])
    return paths


def describe(result: AnalysisResult) -> str:
    """A few readable lines about a result: strides, cadence, length, direction, contact.

    Parameters
    ----------
    result : AnalysisResult
        What :func:`retrogait.analyze` returned; only its one-row ``summary`` table
        (``schema.SUMMARY_COLUMNS``) is read.

    Returns
    -------
    str
        Five lines, each indented by two spaces: counts and recorded duration (s); cadence
        (steps/min), stride time (s) and stance (% of the stride) as mean ± SD; stride
        length (m) and speed (m/s); the majority direction and gait; the share of strides
        per contact type (%).  A parameter the sensor cannot give reads ``n/a``.

    Examples
    --------
    A simulated backward walk of 4 strides: backward, walking, every contact toes first:

    >>> import retrogait as rg
    >>> from retrogait.simulate import simulate_gait
    >>> from retrogait.demo import describe
    >>> sim = simulate_gait(direction="backward", n_strides=4, sampling_rate_hz=100.0,
    ...                     rest_before_s=1.0, rest_after_s=1.0, seed=0)
    >>> result = rg.analyze(sim.recording.replace(meta={**sim.recording.meta, "toe_axis": "+x"}))
    >>> print(describe(result))  # doctest: +ELLIPSIS
      4 strides in 1 bouts, ... steps, ... s recorded
      cadence ... ± ... steps/min, stride time ... ± ... s, stance ... ± ... %
      stride length ... ± ... m, speed ... ± ... m/s
      direction: backward, gait: walk
      contact: toe_first 100 %, flat 0 %, heel_first 0 %, unknown 0 %
    """
    row = result.summary.iloc[0]

    def fmt(name: str, unit: str, digits: int = 2) -> str:
        mean, sd = row.get(f"{name}_mean", np.nan), row.get(f"{name}_sd", np.nan)
        if not np.isfinite(mean):
            return "n/a"
        return f"{mean:.{digits}f} ± {sd:.{digits}f} {unit}" if np.isfinite(sd) else f"{mean:.{digits}f} {unit}"

    contact = ", ".join(
        f"{lab} {row.get(f'{lab}_pct', 0.0):.0f} %" for lab in ("toe_first", "flat", "heel_first")
    ) + f", unknown {row.get('contact_unknown_pct', 0.0):.0f} %"
    return "\n".join([
        f"  {int(row['n_strides'])} strides in {int(row['n_bouts'])} bouts, {int(row['n_steps'])} steps, "
        f"{row['duration_s']:.1f} s recorded",
        f"  cadence {fmt('cadence_spm', 'steps/min', 1)}, stride time {fmt('stride_time_s', 's')}, "
        f"stance {fmt('stance_pct', '%', 1)}",
        f"  stride length {fmt('stride_length_m', 'm')}, speed {fmt('speed_mps', 'm/s')}",
        f"  direction: {row.get('direction_majority', 'unknown')}, gait: {row.get('gait_majority', 'unknown')}",
        f"  contact: {contact}",
    ])


def run_demo(out_dir: Path, *, samples_dir: Path | None = None, echo: Callable[[str], None] = print) -> dict:
    """Analyse the bundled forward and backward samples and write tables and a plot.

    Parameters
    ----------
    out_dir : pathlib.Path
        Output folder: ``forward/`` and ``backward/`` (tables of each trial),
        ``comparison.csv``, ``claims.csv``, ``comparison.png``, ``report.html``.
    samples_dir : pathlib.Path, optional
        Where the samples are; defaults to ``data/samples`` of the source tree.
    echo : callable
        Receives each line of the printed account.

    Returns
    -------
    dict
        ``results`` (condition -> AnalysisResult) and ``files`` (name -> path).

    Raises
    ------
    InputError
        If a sample file is missing.

    Examples
    --------
    ``samples_dir`` must hold the files named in :data:`DEMO_TRIALS`; a folder without
    them is refused before anything is written:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from retrogait.demo import DEMO_TRIALS, run_demo
    >>> from retrogait.errors import InputError
    >>> [name for sensors in DEMO_TRIALS.values() for name, _, _ in sensors]
    ['gaitmap_left_foot.csv', 'gaitmap_right_foot.csv', 'simulated_backward_left_foot.csv']
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     try:
    ...         run_demo(Path(tmp) / "demo", samples_dir=Path(tmp))
    ...     except InputError as err:
    ...         print(str(err).endswith("gaitmap_left_foot.csv: demo sample not found; "
    ...                                 "run from a source checkout of retrogait"))
    ...     print((Path(tmp) / "demo").exists())
    True
    False

    The whole run analyses about 40 s of recordings per condition and draws a figure and
    a report (a few seconds), so it is not run here (``tests/test_demo.py`` runs it).  From a
    source checkout:

    >>> lines = []
    >>> out = run_demo(Path("demo"), echo=lines.append)  # doctest: +SKIP
    >>> sorted(out["files"])  # doctest: +SKIP
    ['backward/bouts', 'backward/events', 'backward/strides', 'backward/summary', 'claims',
     'comparison', 'comparison_plot', 'forward/bouts', 'forward/events', 'forward/strides',
     'forward/summary', 'report']
    >>> [line for line in lines if line.startswith("  shorter strides")]  # doctest: +SKIP
    ['  shorter strides: supported']
    """
    from retrogait.io import read

    samples_dir = samples_dir or SAMPLES_DIR
    out_dir = Path(out_dir)
    results: dict[str, AnalysisResult] = {}
    files: dict[str, Path] = {}
    for condition, sensors in DEMO_TRIALS.items():
        recordings = {}
        for file_name, placement, side in sensors:
            path = samples_dir / file_name
            if not path.is_file():
                raise InputError(f"{path}: demo sample not found; run from a source checkout of retrogait")
            recordings[f"{placement}_{side}"] = read(
                path, placement=placement, side=side, acc_unit="m/s^2", gyr_unit="deg/s",
                meta={"condition": condition, "toe_axis": "+x"},
            )
        result = analyze(recordings)
        results[condition] = result
        written = write_result(result, out_dir / condition)
        files.update({f"{condition}/{k}": v for k, v in written.items()})
        echo(f"{condition}: {', '.join(s[0] for s in sensors)}")
        echo(describe(result))
    files.update(_compare_and_plot(results, out_dir, echo))
    echo(f"wrote {len(files)} files to {out_dir}/:")
    for _, path in sorted(files.items()):
        echo(f"  {path}")
    return {"results": results, "files": files}


def _compare_and_plot(results: dict[str, AnalysisResult], out_dir: Path,
                      echo: Callable[[str], None]) -> dict[str, Path]:
    """Compare backward with forward strides, check the claims, draw and report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from retrogait import plotting, report
    from retrogait.compare import check_claims, compare

    strides = pd.concat([r.strides.assign(condition=c) for c, r in results.items()], ignore_index=True)
    comparison = compare(strides, by="condition", reference="forward")
    claims = check_claims(comparison)
    files = {"comparison": out_dir / "comparison.csv", "claims": out_dir / "claims.csv"}
    _write_csv(comparison, files["comparison"])
    _write_csv(claims, files["claims"])
    fig = plotting.plot_overview(comparison, strides=strides)
    files["comparison_plot"] = out_dir / "comparison.png"
    tmp = out_dir / "comparison.tmp.png"
    fig.savefig(tmp, dpi=110)
    tmp.replace(files["comparison_plot"])
    plt.close(fig)
    files["report"] = report.make_report(results, out_path=out_dir / "report.html", comparison=comparison,
                                         title="retrogait demo: forward vs backward walking")
    echo("backward vs forward (claims made for reverse gait):")
    for _, claim in claims.iterrows():
        echo(f"  {claim.get('claim', '')}: {claim.get('verdict', '')}")
    return files
