"""The command line: exit codes, --help, messages a person can act on, files written."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retrogait as rg
from retrogait.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, build_parser, main
from retrogait.simulate import simulate_gait

COMMANDS = ("analyze", "batch", "compare", "report", "demo", "inspect")


def _write_foot(path: Path, *, side: str, direction: str, seed: int) -> None:
    rec = simulate_gait(placement="foot", side=side, direction=direction, n_strides=8, sampling_rate_hz=100.0,
                        seed=seed).recording
    table = rec.data[["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]].copy()
    table.insert(0, "time_s", rec.time_s)
    table.to_csv(path, index=False)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli_study")
    seed = 0
    for subject in ("s01", "s02", "s03"):
        for condition, direction in (("fw", "forward"), ("bw", "backward")):
            seed += 1
            _write_foot(folder / f"{subject}_{condition}_left.csv", side="left", direction=direction, seed=seed)
    return folder


@pytest.fixture(scope="module")
def batch_out(study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli_batch")
    code = main(["batch", str(study), "--out", str(out), "--pattern", "{subject}_{condition}_{side}.csv",
                 "--placement", "foot", "--jobs", "1", "-q"])
    assert code == EXIT_OK
    return out


def test_help_of_every_command_explains_its_options(capsys):
    assert main(["--help"]) == EXIT_OK
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert command in text
    assert "exit codes" in text
    assert main(["batch", "--help"]) == EXIT_OK
    text = capsys.readouterr().out
    for option in ("--out", "--jobs", "--scheduler", "--resume", "--manifest", "--pattern", "--trial-by",
                   "--placement", "--side", "--format", "--rate", "--quiet", "--verbose"):
        assert option in text
    for command in COMMANDS:
        assert main([command, "--help"]) == EXIT_OK
        assert "usage: retrogait " + command in capsys.readouterr().out


def test_help_texts_show_percent_signs_once(capsys):
    for command in COMMANDS:
        assert main([command, "--help"]) == EXIT_OK
        assert "%%" not in capsys.readouterr().out, command


def test_batch_says_that_files_gave_warnings_without_verbose(study, tmp_path, capsys):
    code = main(["batch", str(study / "s01_fw_left.csv"), "--out", str(tmp_path), "--placement", "foot",
                 "--jobs", "1", "--no-progress"])
    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert "1 file(s) gave warnings" in err and "-v" in err  # the inferred units of the plain CSV file
    assert "1 file(s) had their units inferred: check them, then state them with --acc-unit/--gyr-unit" in err
    code = main(["batch", str(study / "s01_fw_left.csv"), "--out", str(tmp_path), "--placement", "foot",
                 "--jobs", "1", "--no-progress", "--acc-unit", "m/s^2", "--gyr-unit", "deg/s"])
    assert code == EXIT_OK
    assert "units inferred" not in capsys.readouterr().err


def test_negative_axis_is_given_with_an_equals_sign(study, capsys):
    # argparse takes "-x" after a space for an option; the help says to write --toe-axis=-x
    assert main(["analyze", str(study / "s01_fw_left.csv"), "--placement", "foot", "--toe-axis", "-x"]) == EXIT_USAGE
    analyze = next(a for a in build_parser()._actions if a.dest == "command").choices["analyze"]
    helps = {option: action.help for action in analyze._actions for option in action.option_strings}
    assert "--toe-axis=-x" in helps["--toe-axis"] and "--left-axis=-y" in helps["--left-axis"]


def test_every_option_has_a_help_text():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in subparsers.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["batch"],  # --out missing
        ["batch", "x", "--out", "o", "--jobs", "0"],
        ["analyze", "f.csv", "--placement", "hat"],
        ["analyze", "f.csv", "--rate", "-5"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == EXIT_USAGE
    assert "usage:" in capsys.readouterr().err


def test_missing_input_folder_is_a_usage_error_with_a_message(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "error: input" in err and "no such file or folder" in err and "Traceback" not in err


def test_bad_pattern_is_a_usage_error(study, tmp_path, capsys):
    assert main(["batch", str(study), "--out", str(tmp_path), "--pattern", "{a}{b}.csv", "-q"]) == EXIT_USAGE
    assert "two fields" in capsys.readouterr().err


def test_analyze_prints_a_summary_and_writes_the_tables(study, tmp_path, capsys):
    path = study / "s01_bw_left.csv"
    code = main(["analyze", str(path), "--placement", "foot", "--side", "left", "--out", str(tmp_path)])
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "strides" in out and "cadence" in out and "stride length" in out and "direction" in out
    assert "contact" in out
    folder = tmp_path / "s01_bw_left"
    for name in ("events.csv", "strides.csv", "bouts.csv", "summary.json"):
        assert (folder / name).is_file()
    assert len(pd.read_csv(folder / "strides.csv")) >= 7
    assert json.loads((folder / "summary.json").read_text())["summary"]["n_strides"] >= 7


def test_analyze_with_a_bad_file_exits_1_and_still_analyses_the_good_one(study, tmp_path, capsys):
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    code = main(["analyze", str(bad), str(study / "s01_fw_left.csv"), "--placement", "foot"])
    assert code == EXIT_FAILED
    captured = capsys.readouterr()
    assert "empty.csv: the file is empty" in captured.err and "Traceback" not in captured.err
    assert "s01_fw_left.csv:" in captured.out


def test_batch_with_a_failed_file_exits_1_and_lists_it(study, tmp_path, capsys):
    files = tmp_path / "files"
    files.mkdir()
    (files / "s09_fw_left.csv").write_text("name,age\nann,3\nbob,4\ncid,5\n")
    (files / "s01_fw_left.csv").write_bytes((study / "s01_fw_left.csv").read_bytes())
    code = main(["batch", str(files), "--out", str(tmp_path / "out"), "--placement", "foot", "--jobs", "1",
                 "--no-progress"])
    assert code == EXIT_FAILED
    captured = capsys.readouterr()
    assert "2 file(s) in 2 trial(s): 1 analysed, 0 from the cache, 1 failed" in captured.out
    assert "s09_fw_left.csv" in captured.err and "missing accelerometer column" in captured.err
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert list(errors["file"]) == ["s09_fw_left.csv"]


def test_batch_resume_reports_the_cached_files(study, batch_out, capsys):
    code = main(["batch", str(study), "--out", str(batch_out), "--pattern", "{subject}_{condition}_{side}.csv",
                 "--placement", "foot", "--resume", "--no-progress"])
    assert code == EXIT_OK
    assert "0 analysed, 6 from the cache, 0 failed" in capsys.readouterr().out


def test_batch_quiet_prints_nothing(study, tmp_path, capsys):
    assert main(["batch", str(study / "s01_fw_left.csv"), "--out", str(tmp_path), "-q", "--placement", "foot"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_compare_writes_the_comparison_of_conditions(batch_out, tmp_path, capsys):
    code = main(["compare", str(batch_out), "--by", "condition", "--reference", "fw", "--out", str(tmp_path)])
    assert code == EXIT_OK
    table = pd.read_csv(tmp_path / "comparison.csv")
    assert "stride_time_s" in set(table["parameter"])
    assert "stride_time_s" in capsys.readouterr().out


def test_compare_without_out_only_prints(batch_out, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(batch_out), "--by", "condition", "--table", "summary"]) == EXIT_OK
    assert "cadence_spm" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_compare_with_an_unknown_column_names_it(batch_out, tmp_path, capsys):
    assert main(["compare", str(batch_out), "--by", "weather", "--out", str(tmp_path)]) == EXIT_USAGE
    assert "--by 'weather': no such column" in capsys.readouterr().err


def test_compare_on_a_folder_without_results_is_a_usage_error(tmp_path, capsys):
    assert main(["compare", str(tmp_path), "--out", str(tmp_path / "c")]) == EXIT_USAGE
    assert "holds no strides.parquet or strides.csv" in capsys.readouterr().err


def test_report_writes_an_html_file(batch_out, tmp_path):
    target = tmp_path / "sub" / "report.html"
    assert main(["report", str(batch_out), "--out", str(target), "-q"]) == EXIT_OK
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_inspect_describes_good_and_bad_files(study, tmp_path, capsys):
    assert main(["inspect", str(study / "s01_fw_left.csv")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "100 Hz" in out and "acc_x" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("")
    assert main(["inspect", str(bad)]) == EXIT_FAILED
    assert "readable: no" in capsys.readouterr().out


def test_version(capsys):
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("retrogait ")


def test_python_dash_m_runs_the_cli_and_passes_the_exit_code():
    done = subprocess.run([sys.executable, "-m", "retrogait", "batch"], capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_USAGE and "--out" in done.stderr


def test_demo_is_wired_to_run_demo(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("retrogait.demo.run_demo", lambda out_dir, **kw: calls.append(out_dir) or {})
    assert main(["demo", "--out", str(tmp_path / "d"), "-q"]) == EXIT_OK
    assert calls == [tmp_path / "d"]


def test_analyze_together_treats_the_files_as_one_trial(study, tmp_path, capsys):
    right = tmp_path / "s01_fw_right.csv"
    _write_foot(right, side="right", direction="forward", seed=42)
    left = study / "s01_fw_left.csv"
    code = main(["analyze", str(left), str(right), "--placement", "foot", "--together", "--out", str(tmp_path)])
    # both files are read with the same --side (none), so they would share the name 'foot'
    assert code == EXIT_FAILED
    assert "a second sensor named 'foot'" in capsys.readouterr().err


def test_batch_dry_run_lists_the_fields_without_reading(study, tmp_path, capsys):
    (tmp_path / "files").mkdir()
    for name in ("s01_fw_left.csv", "s02_bw_left.csv"):
        (tmp_path / "files" / name).write_bytes((study / name).read_bytes())
    (tmp_path / "files" / "s03_fw_up.csv").write_text("not data at all")
    code = main(["batch", str(tmp_path / "files"), "--out", str(tmp_path / "out"), "--dry-run",
                 "--pattern", "{subject}_{condition}_{side}.csv", "--trial-by", "subject"])
    assert code == EXIT_FAILED  # s03_fw_up.csv: "up" is not a side
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:7] == ["file", "trial", "placement", "side", "format", "subject", "condition"]
    assert lines[1].split()[:7] == ["s01_fw_left.csv", "s01", "unknown", "left", "auto", "s01", "fw"]
    assert "side: expected left/right" in out
    assert "3 file(s), 2 trial(s), 1 would fail before reading" in out
    assert not (tmp_path / "out").exists()


def test_batch_verbose_says_what_it_does(study, tmp_path, capsys):
    code = main(["batch", str(study / "s01_fw_left.csv"), str(study / "s02_fw_left.csv"), "--out", str(tmp_path),
                 "--placement", "foot", "--jobs", "1", "--no-progress", "-v"])
    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert "analysing 2 trial(s) (2 file(s)) on local, 1 process" in err
    assert "warning(s):" in err  # the inferred units of the plain CSV files


# --------------------------------------------------------------------------- units


STANDARD_GRAVITY_MS2 = 9.80665


def _write_foot_in(path: Path, *, acc_unit: str, seed: int = 11) -> None:
    """A simulated backward walk of a left foot sensor, acceleration in g or m/s^2, angular rate in deg/s.

    The column names carry no unit, so without --acc-unit the reader has to infer it.
    """
    rec = simulate_gait(placement="foot", side="left", direction="backward", n_strides=8, sampling_rate_hz=100.0,
                        seed=seed).recording
    table = pd.DataFrame({"time_s": rec.time_s})
    scale = {"g": 1.0 / STANDARD_GRAVITY_MS2, "m/s^2": 1.0}[acc_unit]
    for axis in "xyz":
        table[f"acc_{axis}"] = rec.data[f"acc_{axis}"].to_numpy() * scale
    for axis in "xyz":
        table[f"gyr_{axis}"] = rec.data[f"gyr_{axis}"].to_numpy()
    table.to_csv(path, index=False)


def test_analyze_with_acc_unit_gives_the_strides_of_the_python_call_and_no_inferred_unit(tmp_path, capsys):
    path = tmp_path / "walk_g.csv"
    _write_foot_in(path, acc_unit="g")
    code = main(["analyze", str(path), "--placement", "foot", "--side", "left", "--acc-unit", "g",
                 "--gyr-unit", "deg/s", "--out", str(tmp_path / "out")])
    assert code == EXIT_OK
    assert "unit inferred" not in capsys.readouterr().err
    from_cli = pd.read_csv(tmp_path / "out" / "walk_g" / "strides.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", rg.RetrogaitWarning)  # no unit may be inferred in the Python call either
        rec = rg.read(path, placement="foot", side="left", acc_unit="g", gyr_unit="deg/s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rg.RetrogaitWarning)  # the toe direction of this short walk
        from_python = rg.analyze(rec).strides
    assert rec.meta["acc_unit"] == "g" and not rec.meta.get("acc_unit_inferred")
    assert len(from_cli) == len(from_python) >= 6  # 8 simulated strides
    for column in ("start_s", "end_s", "stride_time_s", "stride_length_m"):
        np.testing.assert_allclose(from_cli[column], from_python[column], rtol=1e-9, err_msg=column)
    # without the option the unit is inferred and the reader says so (what the option avoids)
    assert main(["analyze", str(path), "--placement", "foot", "--side", "left"]) == EXIT_OK
    assert "accelerometer unit inferred as 'g'" in capsys.readouterr().err


def test_inspect_reads_with_the_units_given(tmp_path, capsys):
    path = tmp_path / "walk_g.csv"
    _write_foot_in(path, acc_unit="g")
    assert main(["inspect", str(path), "--acc-unit", "G", "--gyr-unit", "dps"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "acc unit g, gyr unit deg/s" in out and "inferred" not in out
    assert main(["inspect", str(path)]) == EXIT_OK
    assert "acc unit g (inferred), gyr unit deg/s (inferred)" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["analyze", "inspect", "batch"])
@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--acc-unit", "kg", "argument --acc-unit: expected one of 'g', 'mg', 'm/s^2' or a positive factor to "
                             "m/s^2, found 'kg'"),
        ("--acc-unit", "-9.81", "argument --acc-unit: expected one of 'g', 'mg', 'm/s^2'"),
        ("--gyr-unit", "rpm", "argument --gyr-unit: expected one of 'deg/s', 'rad/s' or a positive factor to "
                              "deg/s, found 'rpm'"),
    ],
)
def test_a_bad_unit_is_a_usage_error_naming_the_option_and_the_allowed_units(command, option, value, message,
                                                                             tmp_path, capsys):
    argv = [command, "walk.csv", f"{option}={value}"] + (["--out", str(tmp_path)] if command == "batch" else [])
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and "usage:" in err
    assert not any(tmp_path.iterdir())  # refused before anything was read or written


def test_batch_takes_units_per_file_from_the_manifest(tmp_path, capsys):
    study = tmp_path / "study"
    study.mkdir()
    _write_foot_in(study / "s01_g.csv", acc_unit="g")  # the same walk in two units
    _write_foot_in(study / "s01_ms2.csv", acc_unit="m/s^2")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,subject,acc_unit\n{study / 's01_g.csv'},g_file,\n"
                        f"{study / 's01_ms2.csv'},ms2_file,m/s^2\n")
    out = tmp_path / "out"
    code = main(["batch", "--manifest", str(manifest), "--out", str(out), "--placement", "foot", "--side", "left",
                 "--acc-unit", "g", "--gyr-unit", "deg/s", "--jobs", "1", "-q"])
    assert code == EXIT_OK
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["options"]["acc_unit"] == "g" and prov["options"]["gyr_unit"] == "deg/s"
    assert [(e["file"], e["acc_unit"], e["gyr_unit"]) for e in prov["inputs"]] == [
        ("s01_g.csv", "g", "deg/s"), ("s01_ms2.csv", "m/s^2", "deg/s")]
    assert not any("unit inferred" in w for e in prov["inputs"] for w in e["warnings"])
    strides = pd.read_csv(out / "strides.csv")
    in_g, in_ms2 = (strides[strides["subject"] == s].reset_index(drop=True) for s in ("g_file", "ms2_file"))
    assert len(in_g) >= 6
    for column in ("start_s", "stride_time_s", "stride_length_m"):  # one walk, so the same strides
        np.testing.assert_allclose(in_g[column], in_ms2[column], rtol=1e-6, err_msg=column)


def test_batch_dry_run_shows_the_units_and_a_bad_manifest_unit(tmp_path, capsys):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("time_s,acc_x,acc_y,acc_z\n0,0,0,1\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,acc_unit\na.csv,mG\nb.csv,newton\n")
    code = main(["batch", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--dry-run",
                 "--gyr-unit", "rad/s"])
    assert code == EXIT_FAILED
    out = capsys.readouterr().out
    header, first = out.splitlines()[:2]
    assert header.split()[:6] == ["file", "trial", "placement", "format", "acc_unit", "gyr_unit"]
    assert first.split()[:6] == ["a.csv", "a.csv", "unknown", "auto", "mg", "rad/s"]
    assert "b.csv: acc_unit: expected one of 'g', 'mg', 'm/s^2' or a positive factor to m/s^2, found 'newton'" in out


def test_stance_anchor_option_reaches_params():
    from retrogait.cli import _params

    args = build_parser().parse_args(["analyze", "walk.csv", "--stance-anchor-still", "0.02"])
    assert _params(args).stance_anchor_still_s == 0.02
    assert _params(build_parser().parse_args(["analyze", "walk.csv"])).stance_anchor_still_s is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["analyze", "walk.csv", "--stance-anchor-still", "-1"])
