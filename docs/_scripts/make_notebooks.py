"""Write the tutorial notebooks in ``notebooks/`` (without outputs) from the cells below.

    .venv/bin/python docs/_scripts/make_notebooks.py            # all notebooks
    .venv/bin/python docs/_scripts/make_notebooks.py 01 03      # some of them

The notebooks are the runnable companions of the guides; ``tests/test_notebooks.py``
executes each of them on the bundled samples in ``data/samples``.  Edit the cells here
and regenerate, so that the committed ``.ipynb`` files never carry outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[2] / "notebooks"

# The first code cell of every notebook: find the repository from the notebook's folder.
SETUP = '''\
from pathlib import Path
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import retrogait as rg
from retrogait import plotting
from retrogait.batch import batch
from retrogait.compare import check_claims, compare

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "data" / "samples").is_dir())
SAMPLES = ROOT / "data" / "samples"
pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 30)
rg.__version__'''

QUICKSTART = [
    ("md", """\
# 01 · Quickstart: one file, its contacts, strides and plots

This notebook reads a recording, analyses it and looks at what came out: the contact
events, the strides with their phases, the summary and a few plots. It uses the bundled
samples in `data/samples/` (see their README for source and licence): a real forward walk
with an IMU on each foot (gaitmap example data, 204.8 Hz), a lower-back accelerometer
(GaitPy demo, 50 Hz) and a phone held in the hand (Oxford step counter set, ~100 Hz).

The words used below (`ic`, `fc`, stance, double support, ...) are defined on the
*Concepts* pages of the documentation."""),
    ("code", SETUP),
    ("md", """\
## Look at a file before reading it

`rg.inspect` never raises: it reports the format it recognised, the sampling rate, the
units it found and any problem."""),
    ("code", '''\
info = rg.inspect(SAMPLES / "gaitmap_left_foot.csv")
{k: info[k] for k in ("format", "sampling_rate_hz", "duration_s", "channels", "acc_unit", "gyr_unit", "problems")}'''),
    ("md", """\
## Read it

`placement` chooses the event detector, `side` labels the foot. Units are converted once
here (acceleration m/s², angular rate deg/s); what the reader decided is in `rec.meta`.
The sample files have no unit row, so `inspect` above reported units inferred from the
signal; `acc_unit=` / `gyr_unit=` state them (without them `read` infers them again,
with a warning)."""),
    ("code", '''\
left = rg.read(SAMPLES / "gaitmap_left_foot.csv", placement="foot", side="left",
               acc_unit="m/s^2", gyr_unit="deg/s")
right = rg.read(SAMPLES / "gaitmap_right_foot.csv", placement="foot", side="right",
                acc_unit="m/s^2", gyr_unit="deg/s")
print(left)
left.data.head()'''),
    ("code", '''\
fig, ax = plt.subplots(figsize=(10, 3))
plotting.plot_signal(left, signal="gyr_norm", start_s=5, end_s=12, ax=ax);'''),
    ("md", """\
## Analyse one trial

Both feet go in together, so that step time, double support and flight time can be
computed. The result holds four tables: `events`, `strides`, `bouts`, `summary`."""),
    ("code", '''\
res = rg.analyze({"left": left, "right": right})
res'''),
    ("md", "### Events: one row per initial (`ic`) and final (`fc`) contact"),
    ("code", '''\
res.events.head(8)'''),
    ("code", '''\
res.events.groupby(["sensor", "event"]).size().unstack()'''),
    ("md", """\
### Strides: one row per stride of one foot

Columns a sensor cannot give stay NaN / `unknown`."""),
    ("code", '''\
cols = ["sensor", "bout_id", "start_s", "stride_time_s", "stance_time_s", "swing_time_s", "stance_pct",
        "cadence_spm", "double_support_pct", "stride_length_m", "direction", "gait", "contact_type"]
res.strides[cols].head(10)'''),
    ("code", '''\
res.bouts'''),
    ("md", "### Summary: one row, transposed here for reading"),
    ("code", '''\
row = res.summary.iloc[0]
row[["n_strides", "n_bouts", "n_steps", "duration_s", "cadence_spm_mean", "stride_time_s_mean",
     "stride_time_s_cv_pct", "stance_pct_mean", "double_support_pct_mean", "stride_time_s_si_pct",
     "gait_majority", "direction_majority", "contact_type_majority"]]'''),
    ("md", """\
## Plots

Every plot function draws into the axes you give it (`ax=`) and returns them."""),
    ("code", '''\
fig, ax = plt.subplots(figsize=(10, 3.2))
plotting.plot_signal(left, events=res.events, strides=res.strides, signal="gyr_y", start_s=8, end_s=13, ax=ax);'''),
    ("code", '''\
fig, ax = plt.subplots(figsize=(10, 2.4))
plotting.plot_footfalls(res.strides, start_s=8, end_s=13, ax=ax);'''),
    ("code", '''\
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
plotting.plot_distribution(res.strides, "stride_time_s", by="side", ax=axes[0])
plotting.plot_over_time(res.strides, "cadence_spm", by="side", ax=axes[1]);'''),
    ("md", """\
## Other placements

A lower-back accelerometer sees both feet: it gives initial and final contacts with a
side estimated from the trunk's sway. A phone or a wrist gives steps only (no side, no
final contact), hence cadence but no phases."""),
    ("code", '''\
with warnings.catch_warnings():
    warnings.simplefilter("ignore", rg.RetrogaitWarning)   # units inferred from the signal
    back = rg.read(SAMPLES / "gaitpy_lower_back.csv", placement="lower_back")
    phone = rg.read(SAMPLES / "oxford_phone_hand.csv", placement="phone")
res_back = rg.analyze(back)
res_phone = rg.analyze(phone)
pd.DataFrame({
    "lower back": res_back.summary.iloc[0][["n_steps", "n_strides", "n_bouts", "cadence_spm_mean", "stance_pct_mean"]],
    "phone in hand": res_phone.summary.iloc[0][["n_steps", "n_strides", "n_bouts", "cadence_spm_mean", "stance_pct_mean"]],
})'''),
    ("md", """\
The lower-back sensor gives no stride length here: the inverted-pendulum model needs the
leg length (`rg.analyze(back, leg_length_m=0.9)`), which this recording does not come
with — hence the warning and NaN. comes with a step count from its ground-truth device:
326 steps (see `data/samples/README.md`)."""),
    ("code", '''\
fig, ax = plt.subplots(figsize=(10, 3))
plotting.plot_signal(back, events=res_back.events, strides=res_back.strides, signal="acc_norm",
                     start_s=20, end_s=26, ax=ax);'''),
    ("md", """\
## Next

* `02_forward_vs_backward.ipynb`: compare conditions and check the claims made for
  backward gait.
* `03_batch.ipynb`: a folder of files, grouping by meta, and a Dask cluster.
* `04_validation.ipynb`: accuracy against reference data."""),
]

FORWARD_BACKWARD = [
    ("md", """\
# 02 · Forward vs backward: compare conditions, check the claims

A forward walk and a backward walk of the same foot are analysed and compared: the
difference of each parameter with its confidence interval, effect size and test; then
the claims that the literature makes for backward gait (shorter strides, longer stance,
toe-first contact, ...) are checked against the data, each with a verdict.

**Data.** Forward: the real gaitmap left-foot recording. Backward: there is no
redistributable real backward recording yet, so the backward trial is **simulated**
(`retrogait.simulate`, a kinematic model with literature-based defaults; see
`data/samples/README.md`). The comparison below therefore shows how the tools work, not
a finding about backward walking."""),
    ("code", SETUP),
    ("code", '''\
forward = rg.read(SAMPLES / "gaitmap_left_foot.csv", placement="foot", side="left",
                  acc_unit="m/s^2", gyr_unit="deg/s", meta={"condition": "forward"})

# The backward trial is simulated here, with its truth (data/samples/README.md describes the
# same call; simulating keeps recording and truth in step when the simulator changes).
sim = rg.simulate.simulate_gait(placement="foot", side="left", direction="backward", n_strides=30,
                                sampling_rate_hz=200.0, seed=7)
backward = sim.recording.replace(meta={**sim.recording.meta, "condition": "backward"})
forward, backward'''),
    ("code", '''\
res_fw = rg.analyze(forward)
res_bw = rg.analyze(backward)
res_fw, res_bw'''),
    ("md", """\
The backward trial is simulated, so its truth is known: every stride is backward and
toe-first, with a negative strike angle. Check what retrogait made of it — a foot
sensor's direction and contact type are only as good as the estimate of the foot's axes
(see the *Validation* page for the measured accuracy of this version)."""),
    ("code", '''\
truth = sim.strides
pd.DataFrame({
    "truth": [truth["direction"].mode()[0], truth["contact_type"].mode()[0], truth["strike_angle_deg"].mean(),
              truth["stride_length_m"].mean()],
    "retrogait": [res_bw.strides["direction"].mode()[0], res_bw.strides["contact_type"].mode()[0],
                  res_bw.strides["strike_angle_deg"].mean(), res_bw.strides["stride_length_m"].mean()],
}, index=["direction", "contact type", "strike angle (deg)", "stride length (m)"])'''),
    ("md", """\
If the two columns disagree on direction and contact type, the foot's toe direction was
inferred the wrong way round (both depend on it; see the *Stride length and direction*
algorithm page). When the mounting is known, state it: the simulated sensor's x axis
points to the toes, so `toe_axis="+x"` (for a file: `rg.read(..., meta={"toe_axis": "+x"})`
or `rg.analyze(rec, toe_axis="+x")`). The comparison below uses this analysis."""),
    ("code", '''\
res_bw = rg.analyze(backward, toe_axis="+x")
pd.DataFrame({
    "truth": [truth["direction"].mode()[0], truth["contact_type"].mode()[0], truth["strike_angle_deg"].mean()],
    "retrogait, toe_axis given": [res_bw.strides["direction"].mode()[0], res_bw.strides["contact_type"].mode()[0],
                                  res_bw.strides["strike_angle_deg"].mean()],
}, index=["direction", "contact type", "strike angle (deg)"])'''),
    ("md", """\
## Compare

Stack the strides of both trials with a `condition` column and compare. `reference`
is the level every other level is compared against: differences are backward − forward."""),
    ("code", '''\
strides = pd.concat([res_fw.strides.assign(condition="forward"),
                     res_bw.strides.assign(condition="backward")], ignore_index=True)
cmp = compare(strides, by="condition", reference="forward")
cmp[["parameter", "n_group", "n_reference", "mean_reference", "mean_group", "difference",
     "ci_low", "ci_high", "effect_size", "test", "p_adj"]].round(3)'''),
    ("md", """\
**Read the `note` column.** With one recording per condition the strides are the units
of analysis, and strides of one person are not independent: the p-values and intervals
are then optimistic. With several recordings or subjects per condition `compare` uses
them as units (cluster bootstrap, or paired analysis with `paired_by="subject"`); see
the last section."""),
    ("code", '''\
cmp[["parameter", "unit", "ci_method", "note"]].head(4)'''),
    ("code", '''\
fig, ax = plt.subplots(figsize=(6, 4))
plotting.plot_comparison(cmp, ax=ax);'''),
    ("code", '''\
fig = plotting.plot_overview(cmp, strides=strides)'''),
    ("md", """\
## Check the claims made for backward gait

`check_claims` lists each claim with its source, the measured difference (backward −
forward) and its CI, and a verdict: `supported` (the whole CI is on the claimed side),
`contradicted` (the whole CI on the other side) or `can't tell` (the CI includes 0, too
few strides, or the sensor cannot measure the parameter — `reason` says which)."""),
    ("code", '''\
claims = check_claims(strides, by="condition")
claims[["claim", "parameter", "expected", "difference", "ci_low", "ci_high", "verdict", "reason"]]'''),
    ("code", '''\
claims[["claim", "source"]]'''),
    ("md", """\
## Several subjects: the right unit of analysis

With several people, each walking in both directions, the person is the unit: values are
averaged per subject and condition and the analysis is paired. Here six simulated
subjects with a little between-subject variation stand in for a study."""),
    ("code", '''\
import numpy as np

rng = np.random.default_rng(0)
rows = []
for i in range(6):
    cadence = 110 + rng.normal(0, 5)
    for direction, length in (("forward", 1.35), ("backward", 0.85)):
        sim = rg.simulate.simulate_gait(placement="foot", side="left", direction=direction, n_strides=12,
                                        cadence_spm=cadence, stride_length_m=length + rng.normal(0, 0.05),
                                        sampling_rate_hz=100.0, seed=10 * i + (direction == "backward"))
        res = rg.analyze(sim.recording)
        rows.append(res.strides.assign(subject=f"s{i + 1:02d}", condition=direction))
study = pd.concat(rows, ignore_index=True)
paired = compare(study, by="condition", reference="forward", paired_by="subject")
paired[["parameter", "unit", "n_group", "difference", "ci_low", "ci_high", "effect_size_type", "test", "p_adj"]].round(3)'''),
    ("code", '''\
check_claims(study, by="condition", paired_by="subject")[["claim", "difference", "ci_low", "ci_high", "verdict"]]'''),
]

BATCH = [
    ("md", """\
# 03 · Batch: a folder of files, grouping by meta, and Dask

`batch` (`rg.batch`) reads every file of a folder, takes subject / condition / side from the file
names, analyses the files of one trial together (both feet of one walk), and stacks the
tables with the meta as columns. The same call runs on a local process pool or on a
Dask cluster. A file that fails becomes a row of `errors`; it never stops the others.

The study folder is built here in a temporary directory: the real gaitmap forward walk
(both feet) as subject `s01` (forward only), and simulated forward and backward walks of
three more subjects (both feet, `retrogait.simulate`)."""),
    ("code", SETUP),
    ("code", '''\
import shutil
import tempfile

study = Path(tempfile.mkdtemp(prefix="retrogait_study_"))
for side in ("left", "right"):
    shutil.copy(SAMPLES / f"gaitmap_{side}_foot.csv", study / f"s01_forward_{side}.csv")


def write_csv(rec, path):
    """A Recording as a plain CSV with a time column (what many devices export)."""
    rec.data.assign(time_s=rec.time_s)[["time_s", *rec.data.columns]].to_csv(path, index=False)


for i, subject in enumerate(("s02", "s03", "s04")):
    for direction in ("forward", "backward"):
        trial = rg.simulate.simulate_trial(sensors=("foot_left", "foot_right"), direction=direction,
                                           n_strides=10, sampling_rate_hz=100.0, seed=20 + 2 * i + (direction == "backward"))
        for name, sim in trial.items():
            write_csv(sim.recording, study / f"{subject}_{direction}_{name.split('_')[1]}.csv")
(study / "s05_forward_left.csv").write_text("this is not a recording\\n")   # a file that will fail
sorted(p.name for p in study.iterdir())'''),
    ("md", """\
## Run the batch on this machine

`pattern` names the fields of each file name; `trial_by` says which fields make one
trial, so the left and right foot of one walk are analysed together."""),
    ("code", '''\
out = study / "results"
result = batch(study / "*_*_*.csv", out_dir=out, pattern="{subject}_{condition}_{side}.csv",
                  placement="foot", trial_by=("subject", "condition"), jobs=2, progress=False)
result'''),
    ("code", '''\
result.summary[["trial", "subject", "condition", "n_strides", "cadence_spm_mean", "stance_pct_mean",
                "double_support_pct_mean", "stride_length_m_mean"]]'''),
    ("code", '''\
sorted(p.name for p in out.iterdir())'''),
    ("md", """\
`s05_forward_left.csv` is not a recording: it did not stop the batch, it became a row of
`errors` (and `errors.csv`)."""),
    ("code", '''\
result.errors'''),
    ("md", """\
## Group by meta and compare

The stacked tables carry `subject` and `condition`, so they can be grouped and compared
directly. With `paired_by="subject"` each subject is one unit: its strides are averaged
per condition and the conditions are compared within subjects. `s01` walked forward
only, so it is left out of the paired analysis (with a warning)."""),
    ("code", '''\
result.summary.groupby("condition")[["cadence_spm_mean", "stance_pct_mean", "double_support_pct_mean"]].mean().round(2)'''),
    ("code", '''\
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", rg.RetrogaitWarning)
    cmp = compare(result.strides, by="condition", reference="forward", paired_by="subject",
                  parameters=["stance_pct", "double_support_pct", "cadence_spm", "stride_length_m"])
print(*{str(w.message) for w in caught}, sep="\\n")
cmp[["parameter", "unit", "n_group", "difference", "ci_low", "ci_high", "test", "p_adj"]].round(3)'''),
    ("md", """\
## The same on a Dask cluster

A `dask.distributed.Client` runs the trials on the workers of a cluster, which must have
retrogait installed and see the files; on a real cluster pass `client=Client("tcp://host:8786")`
or `scheduler="tcp://host:8786"`. Here a small local cluster stands in (`processes=False`:
two worker threads in this process, which start in a second; `processes=True` gives
separate worker processes). The tables are the same, in the same order."""),
    ("code", '''\
from dask.distributed import Client, LocalCluster

with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \\
        Client(cluster) as client:
    on_dask = batch(study / "*_*_*.csv", pattern="{subject}_{condition}_{side}.csv", placement="foot",
                       trial_by=("subject", "condition"), client=client, progress=False)
on_dask'''),
    ("code", '''\
pd.testing.assert_frame_equal(on_dask.strides.reset_index(drop=True), result.strides.reset_index(drop=True))
"same strides table on Dask as on the local pool"'''),
    ("code", '''\
shutil.rmtree(study)'''),
]

VALIDATION = [
    ("md", """\
# 04 · Validation: accuracy against reference data

How close are retrogait's contacts and strides to a reference system? This notebook
reproduces the benchmark tables of the documentation's *Validation* page by calling the
`tables()` function of each benchmark module in `benchmarks/`, and looks at one dataset
in detail.

The reference data are **not** in the repository: they are read from `../shared/data`
(or the folder in `$RETROGAIT_SHARED_DATA`). Without them this notebook says so and
skips the rest — it does not fail. Some of those data (the UCI foot-IMU recordings) are
licensed CC BY-NC-ND: they are read where they are, never copied; do not commit outputs of
this notebook."""),
    ("code", SETUP + '''
import os
import sys

import numpy as np

sys.path.insert(0, str(ROOT))       # the benchmarks package lives next to src/
SHARED = Path(os.environ.get("RETROGAIT_SHARED_DATA", ROOT / ".." / "shared" / "data")).resolve()
HAVE_DATA = SHARED.is_dir()
print(f"reference data: {SHARED} ({'found' if HAVE_DATA else 'absent: the cells below skip'})")'''),
    ("md", """\
## The benchmark tables

`python benchmarks/accuracy.py` prints the same tables; `--write docs/validation/tables.md`
stores them for the documentation. Each section module exposes `tables()`, a list of
`(title, DataFrame)`; sections whose data are absent are skipped."""),
    ("code", '''\
import importlib

from benchmarks.accuracy import SECTIONS   # the sections `python benchmarks/accuracy.py` runs

all_tables = {}
if HAVE_DATA:
    for name in SECTIONS:
        try:
            module = importlib.import_module(f"benchmarks.accuracy_{name}")
        except ModuleNotFoundError:
            print(f"{name}: no benchmark module in this version")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for title, table in module.tables():
                all_tables[title] = table
list(all_tables)'''),
    ("code", '''\
from IPython.display import Markdown, display

for title, table in all_tables.items():
    display(Markdown(f"**{title}**"))
    display(table)'''),
    ("md", """\
## One dataset in detail: gaitmap, both feet, motion-capture reference

The gaitmap example recording has motion-capture initial contacts for each stride.
Detected contacts are matched one-to-one to the reference within a tolerance
(`retrogait.evaluate.match_events`); the timing error is detected − reference."""),
    ("code", '''\
from retrogait.evaluate import match_events

ds = None
if HAVE_DATA:
    from benchmarks import datasets_foot

    if datasets_foot.dataset_available("gaitmap_example"):
        ds = datasets_foot.load_gaitmap()
        print(ds.name, list(ds.recordings), len(ds.events), "reference events")
    else:
        print("gaitmap example data absent")'''),
    ("md", """\
Only the stretches where the reference is complete (`ds.windows`) are compared, so that
contacts outside the motion-capture volume do not count as false detections."""),
    ("code", '''\
errors = {}
if ds is not None:
    res = rg.analyze(ds.recordings)
    rows = []
    for sensor in ds.recordings:
        for kind in ("ic", "fc"):
            ref = ds.events[(ds.events["sensor"] == sensor) & (ds.events["event"] == kind)]["time_s"].to_numpy()
            det = res.events[(res.events["sensor"] == sensor) & (res.events["event"] == kind)]["time_s"].to_numpy()
            win = ds.windows[ds.windows["sensor"] == sensor]
            inside = np.zeros(det.size, dtype=bool)
            for _, w in win.iterrows():
                inside |= (det >= w["start_s"] - 0.2) & (det <= w["end_s"] + 0.2)
            m = match_events(det[inside], ref, tolerance_s=0.1)
            errors[(sensor, kind)] = m.errors_s * 1000
            rows.append({"sensor": sensor, "event": kind, "n_reference": m.n_reference, "n_detected": m.n_detected,
                         "precision": m.precision, "recall": m.recall, **m.error_stats_ms()})
    display(pd.DataFrame(rows).round(3))'''),
    ("code", '''\
if errors:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for (sensor, kind), err in errors.items():
        ax.hist(err, bins=20, histtype="step", lw=1.5, label=f"{sensor} {kind} (n={err.size})")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Detected − reference time (ms)")
    ax.set_ylabel("Events")
    ax.legend(fontsize="small")'''),
]

NOTEBOOKS = {
    "01": ("01_quickstart.ipynb", QUICKSTART),
    "02": ("02_forward_vs_backward.ipynb", FORWARD_BACKWARD),
    "03": ("03_batch.ipynb", BATCH),
    "04": ("04_validation.ipynb", VALIDATION),
}


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):   # stable ids keep diffs small
        cell["id"] = f"cell-{i:02d}"
    return nb


def main(argv: list[str]) -> int:
    OUT.mkdir(exist_ok=True)
    for key in argv or list(NOTEBOOKS):
        name, cells = NOTEBOOKS[key]
        nbformat.write(build(cells), OUT / name)
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
