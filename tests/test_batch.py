"""Batch processing: good and bad files, resume after an interruption, Dask = local, outputs."""

from __future__ import annotations

import hashlib
import importlib
import json
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retrogait as rg
from retrogait.batch import BatchResult, TrialOutcome, batch, read_results
from retrogait.errors import InputError, RetrogaitWarning
from retrogait.manifest import FileSpec, Trial
from retrogait.simulate import simulate_gait

# (``retrogait.batch`` the attribute may be the function; the module is taken from importlib)
batch_module = importlib.import_module("retrogait.batch")
executors = importlib.import_module("retrogait.executors")
RATE_HZ = 100.0
N_STRIDES = 8
SUBJECTS = ("s01", "s02")
CONDITIONS = {"fw": "forward", "bw": "backward"}
PATTERN = "{subject}_{condition}_{side}.csv"


def write_recording(path: Path, *, side: str, direction: str, seed: int, n_strides: int = N_STRIDES) -> pd.DataFrame:
    """Simulate one foot sensor and write it as a plain CSV (time_s, acc_*, gyr_*); return its truth strides."""
    trial = simulate_gait(placement="foot", side=side, direction=direction, n_strides=n_strides,
                          sampling_rate_hz=RATE_HZ, seed=seed)
    rec = trial.recording
    table = rec.data[["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]].copy()
    table.insert(0, "time_s", rec.time_s)
    table.to_csv(path, index=False)
    return trial.strides


def write_study(folder: Path) -> dict[str, pd.DataFrame]:
    """Two subjects x forward/backward x left/right foot; returns the truth strides per file name."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    seed = 0
    for subject in SUBJECTS:
        for condition, direction in CONDITIONS.items():
            for side in ("left", "right"):
                seed += 1
                name = f"{subject}_{condition}_{side}.csv"
                truth[name] = write_recording(folder / name, side=side, direction=direction, seed=seed)
    return truth


def write_bad_files(folder: Path, good: Path) -> dict[str, str]:
    """Empty, truncated, corrupt and foreign files; returns name -> expected message fragment."""
    content = good.read_bytes()
    (folder / "s03_fw_left.csv").write_bytes(b"")
    (folder / "s03_fw_right.csv").write_bytes(content[: content.index(b"\n") + 12])
    (folder / "s03_bw_left.csv").write_bytes(bytes(range(256)) * 20)
    (folder / "s03_bw_right.csv").write_text("name,age,city\nalice,31,paris\nbob,45,rome\ncarol,22,oslo\n")
    return {"s03_fw_left.csv": "empty", "s03_fw_right.csv": "no data rows", "s03_bw_left.csv": "binary|no table of numbers",
            "s03_bw_right.csv": "no table of numbers"}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pd.DataFrame], dict[str, str]]:
    folder = tmp_path_factory.mktemp("study")
    truth = write_study(folder)
    bad = write_bad_files(folder, folder / "s01_fw_left.csv")
    return folder, truth, bad


def _run(folder: Path | list[Path], out: Path | None, **options: object) -> BatchResult:
    options = {"pattern": PATTERN, "placement": "foot", "progress": False, "jobs": 1, **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return batch(folder, out_dir=out, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def local_run(study, tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    folder, _, _ = study
    return _run(folder, tmp_path_factory.mktemp("out_local"), jobs=2)


# --------------------------------------------------------------------------- good and bad files


def test_every_bad_file_has_one_error_row_and_the_good_files_are_unspoiled(study, local_run):
    folder, truth, bad = study
    res = local_run
    assert sorted(res.errors["file"]) == sorted(bad)
    assert list(res.errors.columns) == ["file", "error_type", "message"]
    for name, fragment in bad.items():
        row = res.errors[res.errors["file"] == name].iloc[0]
        assert row["error_type"] == "InputError"
        assert re.search(fragment, row["message"]) and name in row["message"]
    assert res.n_failed == 4 and not res.ok
    # every good file has its own strides, labelled with its meta
    for name, strides in truth.items():
        mine = res.strides[res.strides["file"] == name]
        subject, condition, side = name[:-4].split("_")
        assert set(mine["subject"]) == {subject} and set(mine["condition"]) == {condition}
        assert set(mine["side"]) == {side} and set(mine["placement"]) == {"foot"}
        # simulated truth: N_STRIDES strides, mean stride time 120 / cadence
        assert abs(len(mine) - len(strides)) <= 1
        assert mine["stride_time_s"].mean() == pytest.approx(strides["stride_time_s"].mean(), rel=0.03)
    # and the same numbers as analysing the file on its own
    name = "s02_bw_right.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alone = rg.analyze(rg.read(folder / name, placement="foot", side="right"))
    mine = res.strides[res.strides["file"] == name]
    np.testing.assert_allclose(mine["stride_time_s"].to_numpy(), alone.strides["stride_time_s"].to_numpy())


def test_one_summary_row_per_good_file_with_meta_columns_first(study, local_run):
    _, truth, bad = study
    summary = local_run.summary
    assert sorted(summary["file"]) == sorted(truth)
    assert list(summary.columns[:6]) == ["trial", "file", "placement", "side", "subject", "condition"]
    assert list(local_run.strides.columns[:5]) == ["trial", "file", "placement", "subject", "condition"]
    assert set(summary["condition"]) == {"fw", "bw"}
    assert (summary["n_strides"] >= N_STRIDES - 1).all()


def test_outputs_are_written_complete_and_provenance_records_every_input(study, local_run):
    folder, truth, bad = study
    out = local_run.out_dir
    assert out is not None
    for name in ("events", "strides", "bouts", "summary"):
        csv = pd.read_csv(out / f"{name}.csv")
        parquet = pd.read_parquet(out / f"{name}.parquet")
        assert len(csv) == len(parquet) == len(getattr(local_run, name))
    errors = pd.read_csv(out / "errors.csv")
    assert sorted(errors["file"]) == sorted(bad)
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["retrogait_version"] == rg.__version__
    assert prov["params"] == rg.Params().to_dict()
    assert prov["started"] <= prov["finished"]
    by_file = {e["file"]: e for e in prov["inputs"]}
    assert sorted(by_file) == sorted([*truth, *bad])
    for name, entry in by_file.items():
        content = (folder / name).read_bytes()
        assert entry["size_bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["status"] == ("failed" if name in bad else "analysed")
    assert not list(out.rglob("*.tmp"))


# --------------------------------------------------------------------------- trials


def test_trial_by_analyses_both_feet_of_a_walk_together(study, tmp_path):
    folder, truth, _ = study
    files = sorted(folder.glob("s0[12]_*.csv"))
    res = _run(files, None, trial_by=("subject", "condition"))
    assert res.ok
    assert len(res.summary) == 4
    assert set(res.summary["trial"]) == {"s01_fw", "s01_bw", "s02_fw", "s02_bw"}
    row = res.summary[res.summary["trial"] == "s01_bw"].iloc[0]
    assert row["file"] == "s01_bw_left.csv;s01_bw_right.csv"
    assert row["side"] is None  # the trial has both sides
    strides = res.strides[res.strides["trial"] == "s01_bw"]
    assert set(strides["sensor"]) == {"foot_left", "foot_right"}
    # bilateral parameters need both feet in one analysis
    assert strides["step_time_s"].notna().any()


def test_manifest_gives_meta_and_overrides_the_pattern(study, tmp_path):
    folder, _, _ = study
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,subject,condition,side,group\n"
        f"{folder / 's01_fw_left.csv'},P001,forward,left,control\n"
        f"{folder / 's01_bw_left.csv'},P001,backward,left,control\n"
    )
    res = _run(None, None, manifest=manifest, pattern=None)
    assert res.ok
    with manifest.open("a") as stream:
        stream.write(f"{folder / 'gone.csv'},P002,forward,left,control\n")
    res = _run(None, None, manifest=manifest, pattern=None)
    assert res.errors["message"].tolist() == [f"{folder / 'gone.csv'}: listed in the manifest but not found"]
    assert res.provenance["inputs"][-1]["status"] == "failed"
    assert sorted(res.summary["subject"]) == ["P001", "P001"]
    assert sorted(res.summary["condition"]) == ["backward", "forward"]
    assert set(res.strides["group"]) == {"control"}


def test_a_file_not_matching_the_pattern_is_an_error_row(study, tmp_path):
    folder, _, _ = study
    odd = tmp_path / "walk.csv"
    odd.write_bytes((folder / "s01_fw_left.csv").read_bytes())
    res = _run([odd, folder / "s01_fw_left.csv"], None)
    assert len(res.errors) == 1 and res.errors["file"].iloc[0].endswith("/walk.csv")
    assert "does not match pattern" in res.errors["message"].iloc[0]
    assert len(res.summary) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"jobs": 0}, "jobs: expected an integer >= 1"),
        ({"resume": True}, "resume=True needs out_dir"),
        ({"pattern": "{subject}{side}.csv"}, "two fields"),
        ({"pattern": "{subject}_{direction}.csv"}, r"columns that the analysis fills"),
        ({"acc_unit": "kg"}, r"^acc_unit: expected one of 'g', 'mg', 'm/s\^2' or a positive factor to m/s\^2, "
                             r"found 'kg'$"),
        ({"gyr_unit": 0.0}, r"^gyr_unit: expected one of 'deg/s', 'rad/s' or a positive factor to deg/s, found 0.0$"),
    ],
)
def test_bad_options_raise_input_error(study, options, message):
    folder, _, _ = study
    with pytest.raises(InputError, match=message):
        _run(folder, None, **options)


def test_missing_inputs_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        batch(tmp_path / "nope", progress=False)
    with pytest.raises(InputError, match="no data file found"):
        batch(tmp_path, progress=False)


# --------------------------------------------------------------------------- resume


def test_interrupted_batch_resumes_without_redoing_or_losing_anything(study, local_run, tmp_path):
    folder, truth, bad = study
    out = tmp_path / "out"
    first: list[TrialOutcome] = []

    def stop_after_three(outcome: TrialOutcome) -> None:
        first.append(outcome)
        if len(first) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(folder, out, on_result=stop_after_three)
    assert not (out / "provenance.json").exists()  # the batch did not finish
    assert not list(out.rglob("*.tmp"))
    done_first = {o.trial_id for o in first if o.tables is not None}
    assert len(list((out / "files").glob("*/result.pkl"))) == len(done_first)

    second: list[TrialOutcome] = []
    res = _run(folder, out, resume=True, on_result=second.append)
    redone = {o.trial_id for o in second}
    assert not redone & done_first  # nothing finished before the interruption is analysed again
    all_trials = set(truth) | set(bad)
    assert redone | done_first == all_trials  # and nothing is lost
    statuses = {e["file"]: e["status"] for e in res.provenance["inputs"]}
    assert {f for f, s in statuses.items() if s == "cached"} == done_first
    for name in ("events", "strides", "bouts", "summary", "errors"):
        pd.testing.assert_frame_equal(getattr(res, name), getattr(local_run, name))


def test_resume_redoes_only_a_changed_file(study, tmp_path):
    folder, _, _ = study
    files = tmp_path / "files"
    files.mkdir()
    for name in ("s01_fw_left.csv", "s01_bw_left.csv", "s02_fw_left.csv"):
        (files / name).write_bytes((folder / name).read_bytes())
    out = tmp_path / "out"
    _run(files, out)
    write_recording(files / "s02_fw_left.csv", side="left", direction="forward", seed=99, n_strides=N_STRIDES + 3)
    redone: list[TrialOutcome] = []
    res = _run(files, out, resume=True, on_result=redone.append)
    assert [o.trial_id for o in redone] == ["s02_fw_left.csv"]
    assert len(res.strides[res.strides["file"] == "s02_fw_left.csv"]) >= N_STRIDES + 2


def test_changed_parameters_invalidate_the_cache(study, tmp_path):
    folder, _, _ = study
    out = tmp_path / "out"
    _run([folder / "s01_fw_left.csv"], out)
    redone: list[TrialOutcome] = []
    _run([folder / "s01_fw_left.csv"], out, resume=True, params=rg.Params(min_bout_strides=2),
         on_result=redone.append)
    assert len(redone) == 1


def test_resume_recomputes_a_file_when_its_units_change(tmp_path):
    rec = simulate_gait(placement="foot", side="left", direction="forward", n_strides=N_STRIDES,
                        sampling_rate_hz=RATE_HZ, seed=5).recording
    table = rec.data[["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]] * ([1 / 9.80665] * 3 + [1.0] * 3)
    table.insert(0, "time_s", rec.time_s)
    path = tmp_path / "s01_fw_left.csv"
    table.to_csv(path, index=False)  # acceleration in g, no unit in the column names
    out = tmp_path / "out"

    def run(**units: object) -> tuple[list[TrialOutcome], BatchResult]:
        redone: list[TrialOutcome] = []
        return redone, _run([path], out, resume=True, on_result=redone.append, **units)

    _run([path], out)
    redone, res = run()
    assert redone == [] and res.provenance["inputs"][0]["status"] == "cached"
    assert any("accelerometer unit inferred as 'g'" in w for w in res.provenance["inputs"][0]["warnings"])
    redone, res = run(acc_unit="g")  # the unit is now stated: analysed again
    assert len(redone) == 1 and res.provenance["inputs"][0]["status"] == "analysed"
    assert not any("accelerometer unit inferred" in w for w in redone[0].warnings)
    assert res.provenance["options"]["acc_unit"] == "g" and res.provenance["inputs"][0]["acc_unit"] == "g"
    redone, res = run(acc_unit=" G ")  # the same unit spelled differently: from the cache
    assert redone == [] and res.provenance["inputs"][0]["status"] == "cached"
    redone, _ = run(acc_unit="g", gyr_unit="deg/s")
    assert len(redone) == 1
    manifest = pd.DataFrame({"file": [str(path)], "acc_unit": ["mg"], "gyr_unit": ["deg/s"]})
    redone, res = run(acc_unit="g", gyr_unit="deg/s", manifest=manifest)  # a manifest cell overrides: new key
    assert len(redone) == 1 and res.provenance["inputs"][0]["acc_unit"] == "mg"


@pytest.mark.slow
def test_ctrl_c_on_the_command_line_leaves_no_half_written_file_and_resume_finishes(study, tmp_path):
    folder, truth, bad = study
    big = tmp_path / "big"
    big.mkdir()
    for k in range(2):  # 16 good files, so that the first run is still busy when interrupted
        for name in truth:
            (big / f"r{k}{name}").write_bytes((folder / name).read_bytes())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "retrogait", "batch", str(big), "--out", str(out), "--jobs", "2",
               "--placement", "foot", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((out / "files").glob("*/result.pkl"))) >= 2:
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the batch finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    assert b"--resume" in stderr and b"Traceback" not in stderr
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))
    assert not (out / "provenance.json").exists()
    assert not (out / batch_module.LOCK_FILE).exists()
    n_cached = len(list((out / "files").glob("*/result.pkl")))
    assert n_cached >= 2
    done = subprocess.run([*command, "--resume"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    prov = json.loads((out / "provenance.json").read_text())
    statuses = [e["status"] for e in prov["inputs"]]
    assert statuses.count("cached") == n_cached
    assert statuses.count("analysed") == 16 - n_cached
    assert len(pd.read_csv(out / "summary.csv")) == 16


def test_a_partly_failed_trial_keeps_its_error_row_on_resume(study, tmp_path):
    folder, _, _ = study
    files = tmp_path / "files"
    files.mkdir()
    (files / "s01_fw_left.csv").write_bytes((folder / "s01_fw_left.csv").read_bytes())
    (files / "s01_fw_right.csv").write_text("")
    out = tmp_path / "out"
    first = _run(files, out, trial_by=("subject", "condition"))
    redone: list[TrialOutcome] = []
    again = _run(files, out, trial_by=("subject", "condition"), resume=True, on_result=redone.append)
    assert redone == []  # the trial has a (one-footed) result, so it is cached
    for res in (first, again):
        assert list(res.errors["file"]) == ["s01_fw_right.csv"]
        assert list(res.summary["file"]) == ["s01_fw_left.csv"]
    statuses = {e["file"]: e["status"] for e in again.provenance["inputs"]}
    assert statuses == {"s01_fw_left.csv": "cached", "s01_fw_right.csv": "failed"}


def test_an_unexpected_exception_names_the_file_and_where_it_happened(study, monkeypatch):
    folder, _, _ = study

    def broken_analyze(recordings, *, params=None):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("retrogait.pipeline.analyze", broken_analyze)
    res = _run([folder / "s01_fw_left.csv"], None)
    row = res.errors.iloc[0]
    assert row["error_type"] == "ZeroDivisionError"
    assert row["message"].startswith("s01_fw_left.csv: division by zero (at test_batch.py:")
    assert "in broken_analyze)" in row["message"]


def test_without_pyarrow_only_csv_is_written_and_stale_parquet_removed(study, tmp_path, monkeypatch):
    folder, _, _ = study
    out = tmp_path / "out"
    _run([folder / "s01_fw_left.csv"], out)
    assert (out / "strides.parquet").is_file()
    monkeypatch.setattr(batch_module, "_have_pyarrow", lambda: False)
    res = _run([folder / "s01_fw_left.csv", folder / "s01_bw_left.csv"], out)
    assert not list(out.glob("*.parquet"))
    assert res.ok, res.errors.to_dict("records")
    assert len(read_results(out, "summary")) == len(res.summary) == 2


def test_warnings_of_threads_analysing_at_once_stay_with_their_own_file(study):
    """Threaded Dask workers: each trial records its own warnings, none leak or get lost."""
    import concurrent.futures

    folder, truth, _ = study
    names = sorted(truth)[:4]
    tasks = [executors.TrialTask(trial=Trial(n, (FileSpec(path=folder / n, name=n, placement="foot"),)),
                                 key=n, params=rg.Params()) for n in names]
    with warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(executors.run_trial, tasks))
    assert leaked == []
    for name, outcome in zip(names, outcomes, strict=True):
        assert outcome.errors == [] and outcome.n_warnings >= 1
        text = " ".join(outcome.warnings)
        assert name in text and not any(other in text for other in names if other != name), text


# --------------------------------------------------------------------------- a worker dies

_ORIGINAL_RUN_TRIAL = executors.run_trial


def _die_on_s02_bw(task):
    """Kill the worker process (as the OS does when memory runs out) for the s02_bw trials."""
    if task.trial.trial_id.startswith("s02_bw"):
        os._exit(3)
    return _ORIGINAL_RUN_TRIAL(task)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs fork to patch the workers")
def test_a_worker_that_dies_costs_only_its_own_file(study, local_run, monkeypatch):
    folder, truth, _ = study
    monkeypatch.setattr(executors, "run_trial", _die_on_s02_bw)
    files = [folder / name for name in sorted(truth)]
    res = _run(files, None, jobs=2)
    assert sorted(res.errors["file"]) == ["s02_bw_left.csv", "s02_bw_right.csv"]
    assert res.errors["message"].str.contains("worker analysing this file died").all()
    good = sorted(set(truth) - {"s02_bw_left.csv", "s02_bw_right.csv"})
    assert sorted(res.summary["file"]) == good
    expected = local_run.strides[local_run.strides["file"].isin(good)].reset_index(drop=True)
    pd.testing.assert_frame_equal(res.strides, expected)


# --------------------------------------------------------------------------- Dask


def _fails_on_the_cluster(task):
    raise ModuleNotFoundError("No module named 'retrogait'")


def test_a_local_dask_cluster_gives_the_same_tables_as_the_local_run(study, local_run, tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    folder, _, _ = study
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        res = _run(folder, tmp_path / "out", client=client)
        # the same through the scheduler's address (what --scheduler tcp://... does)
        two = [folder / "s01_fw_left.csv", folder / "s02_bw_right.csv"]
        by_address = _run(two, None, scheduler=cluster.scheduler_address)
        # a task that cannot run on the cluster becomes an error row that says what to check
        monkeypatch.setattr(executors, "run_trial", _fails_on_the_cluster)
        failed = _run(two[:1], None, client=client)
        monkeypatch.undo()
    assert list(failed.errors["error_type"]) == ["ModuleNotFoundError"]
    assert "do the workers have retrogait installed" in failed.errors["message"].iloc[0]
    for name in ("events", "strides", "bouts", "summary", "errors"):
        pd.testing.assert_frame_equal(getattr(res, name), getattr(local_run, name))
    assert "dask" in res.provenance["options"]["executor"]
    alone = _run(two, None)
    for name in ("events", "strides", "summary"):
        pd.testing.assert_frame_equal(getattr(by_address, name), getattr(alone, name))


def test_one_process_gives_the_same_tables_as_a_pool(study, local_run):
    folder, _, _ = study
    res = _run(folder, None, jobs=1)
    for name in ("events", "strides", "bouts", "summary", "errors"):
        pd.testing.assert_frame_equal(getattr(res, name), getattr(local_run, name))


def test_missing_dask_gives_a_clear_message(study, monkeypatch):
    folder, _, _ = study
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'retrogait\[dask\]'"):
        _run(folder, None, scheduler="tcp://127.0.0.1:1")


def test_read_results_prefers_parquet_and_names_a_wrong_folder(local_run, tmp_path):
    assert local_run.out_dir is not None
    strides = read_results(local_run.out_dir, "strides")
    assert len(strides) == len(local_run.strides)
    with pytest.raises(InputError, match="holds no strides.parquet or strides.csv") as err:
        read_results(tmp_path, "strides")
    assert "sub-folders" not in str(err.value)
    # the top folder of 'retrogait analyze --out' holds one sub-folder per file: say so
    for name in ("forward", "backward"):
        (tmp_path / "analyzed" / name).mkdir(parents=True)
        strides.head(3).to_csv(tmp_path / "analyzed" / name / "strides.csv", index=False)
    with pytest.raises(InputError, match=r"sub-folders \['backward', 'forward'\] hold one file's tables each"):
        read_results(tmp_path / "analyzed", "strides")
    assert len(read_results(tmp_path / "analyzed" / "forward", "strides")) == 3


def test_progress_to_a_log_file_is_plain_lines(study, capsys):
    folder, _, _ = study
    _run([folder / "s01_fw_left.csv", folder / "s03_fw_left.csv"], None, progress=True)
    err = capsys.readouterr().err
    assert "retrogait batch: 2/2 files, 1 failed, 00:00:00 left\n" in err and "\r" not in err


def test_progress_on_a_terminal_is_a_bar_or_a_redrawn_line(study, monkeypatch, capsys):
    folder, _, _ = study
    files = [folder / "s01_fw_left.csv", folder / "s03_fw_left.csv"]
    monkeypatch.setattr(executors, "_isatty", lambda stream: True)
    pytest.importorskip("tqdm")
    _run(files, None, progress=True)
    err = capsys.readouterr().err
    assert "retrogait batch: 100%" in err and "2/2" in err and "failed=1" in err
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # tqdm not installed
    _run(files, None, progress=True)
    assert "\rretrogait batch: 2/2 files, 1 failed" in capsys.readouterr().err



# --------------------------------------------------------------------------- bundled samples


def test_batch_of_the_bundled_samples_with_a_manifest(samples_dir, tmp_path):
    """Real files of four devices, both gaitmap feet as one trial, options from a manifest."""
    if not (samples_dir / "gaitmap_left_foot.csv").is_file():
        pytest.skip("bundled samples not found")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,placement,side,trial,subject,condition\n"
        f"{samples_dir / 'gaitmap_left_foot.csv'},foot,left,gaitmap,gm1,forward\n"
        f"{samples_dir / 'gaitmap_right_foot.csv'},foot,right,gaitmap,gm1,forward\n"
        f"{samples_dir / 'gaitpy_lower_back.csv'},lower_back,,,gp1,forward\n"
        f"{samples_dir / 'oxford_phone_hand.csv'},phone,,,ox1,forward\n"
        f"{samples_dir / 'simulated_backward_left_foot.csv'},foot,left,,sim1,backward\n"
    )
    res = _run(None, tmp_path / "out", manifest=manifest, pattern=None, jobs=2)
    assert res.ok, res.errors.to_dict("records")
    assert list(res.summary["subject"]) == ["gm1", "gp1", "ox1", "sim1"]
    assert list(res.summary["placement"]) == ["foot", "lower_back", "phone", "foot"]
    gaitmap = res.strides[res.strides["trial"] == "gaitmap"]
    assert set(gaitmap["file"]) == {"gaitmap_left_foot.csv", "gaitmap_right_foot.csv"}
    assert gaitmap["step_time_s"].notna().sum() > 10  # bilateral: both feet analysed together
    simulated = res.summary[res.summary["subject"] == "sim1"].iloc[0]
    assert 28 <= simulated["n_strides"] <= 31  # simulated with 30 strides


def test_two_batches_cannot_write_into_one_folder_and_a_stale_lock_is_taken_over(study, tmp_path):
    folder, _, _ = study
    out = tmp_path / "out"
    out.mkdir()
    lock = out / batch_module.LOCK_FILE
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{holder.pid} {socket.gethostname()}\n")
        with pytest.raises(InputError, match=rf"another batch \(process {holder.pid}\) is writing into it"):
            _run([folder / "s01_fw_left.csv"], out)
    finally:
        holder.kill()
        holder.wait()
    # the holder is gone: its lock is stale and the next batch runs (and removes the lock when done)
    res = _run([folder / "s01_fw_left.csv"], out)
    assert res.ok and not lock.exists()
    assert (out / "provenance.json").is_file()


def test_an_interruption_while_writing_leaves_whole_tables_and_no_provenance(study, tmp_path, monkeypatch):
    folder, _, _ = study
    out = tmp_path / "out"
    old = _run([folder / "s01_fw_left.csv"], out)
    writers = importlib.import_module("retrogait.io.writers")
    real_write_table = writers.write_table
    calls = []

    def interrupted_write_table(df, path, **kw):
        calls.append(path)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_write_table(df, path, **kw)

    monkeypatch.setattr(writers, "write_table", interrupted_write_table)
    with pytest.raises(KeyboardInterrupt):
        _run([folder / "s01_fw_left.csv", folder / "s01_bw_left.csv"], out, resume=True)
    monkeypatch.undo()
    assert not (out / "provenance.json").exists()  # the set of tables is not of one run
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    both = {"s01_fw_left.csv", "s01_bw_left.csv"}
    # events.csv, events.parquet and strides.csv were replaced whole; the rest are the old run's, whole
    for name, files in (("events", both), ("strides", both), ("bouts", {"s01_fw_left.csv"}),
                        ("summary", {"s01_fw_left.csv"})):
        assert set(pd.read_csv(out / f"{name}.csv")["file"]) == files, name
    assert len(pd.read_csv(out / "summary.csv")) == len(old.summary)
    with pytest.warns(RetrogaitWarning, match="did not finish and they may mix two runs"):
        read_results(out, "summary")
    again = _run([folder / "s01_fw_left.csv", folder / "s01_bw_left.csv"], out, resume=True)
    assert [e["status"] for e in again.provenance["inputs"]] == ["cached", "cached"]
    assert (out / "provenance.json").is_file()
