"""File-name patterns, manifests, sides and trial grouping of a batch (retrogait.manifest)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrogait.errors import InputError
from retrogait.io import units
from retrogait.manifest import (
    ACC_UNIT_NAMES,
    GYR_UNIT_NAMES,
    find_files,
    group_trials,
    make_specs,
    normalize_acc_unit,
    normalize_gyr_unit,
    normalize_placement,
    normalize_side,
    parse_pattern,
    read_manifest,
)

_NAMES = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True)
_VALUES = st.from_regex(r"[A-Za-z0-9]{1,10}", fullmatch=True)
_SEPARATORS = st.sampled_from(["_", "-", "__", ".", " ", "_x_", "/"])


@given(data=st.data(), n_fields=st.integers(min_value=1, max_value=5))
def test_pattern_round_trip(data, n_fields):
    """Formatting field values into a pattern and parsing the name gives the values back."""
    names = data.draw(st.lists(_NAMES, min_size=n_fields, max_size=n_fields, unique=True))
    separators = data.draw(st.lists(_SEPARATORS, min_size=n_fields - 1, max_size=n_fields - 1))
    values = data.draw(st.lists(_VALUES, min_size=n_fields, max_size=n_fields))
    prefix = data.draw(st.sampled_from(["", "rec_", "IMU-"]))
    suffix = data.draw(st.sampled_from([".csv", ".txt", "_raw.csv", ""]))
    pattern = prefix + "".join(f"{{{n}}}" + (separators[i] if i < len(separators) else "")
                               for i, n in enumerate(names)) + suffix
    file_name = prefix + "".join(v + (separators[i] if i < len(separators) else "")
                                 for i, v in enumerate(values)) + suffix
    compiled = parse_pattern(pattern)
    assert compiled.fields == tuple(names)
    assert compiled.match(Path("/data/study") / file_name) == dict(zip(names, values, strict=True))


@given(value=_VALUES, other=st.sampled_from(["a.csv", "x_y.txt", "left.CSV"]))
def test_pattern_rejects_names_with_a_different_literal(value, other):
    compiled = parse_pattern("{subject}_walk.csv")
    assert compiled.match(f"{value}_run.csv") is None
    assert compiled.match(other) is None


def test_pattern_literals_ignore_case_and_fields_keep_it():
    assert parse_pattern("{subject}_{side}.csv").match("S01_Left.CSV") == {"subject": "S01", "side": "Left"}


def test_pattern_skip_and_wildcard():
    compiled = parse_pattern("{subject}_{}_{side}_*.csv")
    assert compiled.fields == ("subject", "side")
    assert compiled.match("p7_2024-05-01_right_export (1).csv") == {"subject": "p7", "side": "right"}


def test_pattern_with_folder_parts_reads_the_folder_names():
    compiled = parse_pattern("{subject}/{condition}_{side}.csv")
    assert compiled.match("/study/P03/backward_left.csv") == {"subject": "P03", "condition": "backward",
                                                              "side": "left"}


def test_ambiguous_split_gives_the_first_field_the_shortest_text():
    assert parse_pattern("{subject}_{condition}.csv").match("s_01_fast.csv") == {"subject": "s",
                                                                                  "condition": "01_fast"}


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{subject}{side}.csv", "two fields"),
        ("{subject}*.csv", r"a field and '\*' touch"),
        ("*{subject}.csv", r"touch without literal"),
        ("{subject}_{subject}.csv", r"field \{subject\} appears twice"),
        ("walk.csv", "has no field"),
        ("{subject_{side}.csv", "unbalanced or invalid brace"),
        ("{sub ject}.csv", "unbalanced or invalid brace"),
        ("", "expected a non-empty string"),
    ],
)
def test_malformed_patterns_raise_input_error(pattern, message):
    with pytest.raises(InputError, match=message):
        parse_pattern(pattern)


@pytest.mark.parametrize(("value", "expected"), [
    ("left", "left"), ("L", "left"), ("Lt", "left"), ("RIGHT", "right"), ("r", "right"),
    ("", None), ("none", None), (None, None), (float("nan"), None), ("both", None),
])
def test_normalize_side(value, expected):
    assert normalize_side(value) == expected


def test_normalize_side_names_the_bad_value():
    with pytest.raises(InputError, match=r"f1.csv: side: expected left/right \(or l/r\), found 'up'"):
        normalize_side("up", where="f1.csv: side")


def test_normalize_placement():
    assert normalize_placement("Lower-Back") == "lower_back"
    assert normalize_placement("FOOT") == "foot"
    with pytest.raises(InputError, match=r"placement: expected one of \['foot'.*found 'hat'"):
        normalize_placement("hat")


# --------------------------------------------------------------------------- specs and manifest


def _touch(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("time_s,acc_x,acc_y,acc_z\n0,0,0,9.81\n")
        paths.append(path.resolve())
    return paths


def test_manifest_overrides_pattern_which_overrides_the_options(tmp_path):
    files = _touch(tmp_path, "s01_fw_left.csv", "s01_fw_right.csv")
    manifest = read_manifest(pd.DataFrame({"file": ["s01_fw_right.csv"], "side": ["L"], "subject": ["007"]}),
                             base_dir=tmp_path)
    specs, errors = make_specs(files, manifest=manifest, pattern=parse_pattern("{subject}_{condition}_{side}.csv"),
                               placement="foot", side="right")
    assert errors == []
    left, right = specs
    assert (left.side, left.meta["subject"], left.placement) == ("left", "s01", "foot")
    assert (right.side, right.meta["subject"], right.meta["condition"]) == ("left", "007", "fw")


def test_manifest_file_keeps_leading_zeros_and_resolves_relative_paths(tmp_path):
    _touch(tmp_path / "data", "a.csv")
    (tmp_path / "m.csv").write_text("File,Subject,rate,trial\ndata/a.csv,01,128,t1\n")
    table = read_manifest(tmp_path / "m.csv")
    assert table["file"].iloc[0] == str((tmp_path / "data" / "a.csv").resolve())
    assert table["subject"].iloc[0] == "01"
    specs, _ = make_specs([Path(table["file"].iloc[0])], manifest=table)
    assert specs[0].sampling_rate_hz == 128.0 and specs[0].trial == "t1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("path_to,subject\na.csv,1\n", "needs a 'file' column"),
        ("file,subject\na.csv,1\na.csv,2\n", "is listed more than once"),
    ],
)
def test_bad_manifests_raise_input_error(tmp_path, text, message):
    (tmp_path / "m.csv").write_text(text)
    with pytest.raises(InputError, match=message):
        read_manifest(tmp_path / "m.csv")
    with pytest.raises(InputError, match="manifest .*nope.csv: file not found"):
        read_manifest(tmp_path / "nope.csv")


def test_bad_values_become_error_rows_not_exceptions(tmp_path):
    files = _touch(tmp_path, "s01_up.csv", "s02_left.csv", "other.csv")
    specs, errors = make_specs(files, pattern=parse_pattern("{subject}_{side}.csv"))
    assert [s.name for s in specs] == ["s02_left.csv"]
    assert [e["file"] for e in errors] == ["s01_up.csv", "other.csv"]
    assert "side: expected left/right" in errors[0]["message"]
    assert "does not match pattern" in errors[1]["message"]


def test_trial_by_groups_files_and_needs_its_fields(tmp_path):
    files = _touch(tmp_path, "a_fw_left.csv", "a_fw_right.csv", "a_bw_left.csv")
    pattern = parse_pattern("{subject}_{condition}_{side}.csv")
    specs, _ = make_specs(files, pattern=pattern, trial_by=("subject", "condition"))
    trials = group_trials(specs)
    assert [(t.trial_id, len(t.files)) for t in trials] == [("a_fw", 2), ("a_bw", 1)]
    _, errors = make_specs(files, pattern=pattern, trial_by=("session",))
    assert len(errors) == 3 and "trial_by field(s) ['session']" in errors[0]["message"]


def test_without_trial_each_file_is_its_own_trial(tmp_path):
    files = _touch(tmp_path, "x/a.csv", "y/a.csv")
    specs, _ = make_specs(files)
    assert [t.trial_id for t in group_trials(specs)] == ["x/a.csv", "y/a.csv"]


def test_find_files_folders_globs_and_exclusion(tmp_path):
    _touch(tmp_path, "b.csv", "sub/a.TXT", ".hidden/c.csv", "notes.md", "out/strides.csv")
    found = find_files(tmp_path, exclude=tmp_path / "out")
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in found] == ["b.csv", "sub/a.TXT"]
    assert [p.name for p in find_files(str(tmp_path / "**" / "*.csv"))] == ["b.csv", "strides.csv"]
    (tmp_path / "old_results" / "files").mkdir(parents=True)
    _touch(tmp_path, "old_results/strides.csv", "old_results/provenance.json")
    assert [p.name for p in find_files(tmp_path, exclude=tmp_path / "out")] == ["b.csv", "a.TXT"]
    with pytest.raises(InputError, match="the pattern matches no file"):
        find_files(str(tmp_path / "*.parquet"))


# --------------------------------------------------------------------------- units


def test_unit_names_are_those_read_converts():
    assert set(ACC_UNIT_NAMES) == set(units.ACC_UNITS)
    assert set(GYR_UNIT_NAMES) == set(units.GYR_UNITS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("g", "g"), (" G ", "g"), ("mG", "mg"), ("milli-g", "mg"), ("m/s^2", "m/s^2"), ("m/s2", "m/s^2"),
     ("m/s²", "m/s^2"), ("9.80665", 9.80665), (0.001, 0.001), ("", None), ("  ", None), (None, None),
     (float("nan"), None)],
)
def test_normalize_acc_unit_accepts_every_spelling_read_accepts(value, expected):
    assert normalize_acc_unit(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("deg/s", "deg/s"), ("dps", "deg/s"), ("°/s", "deg/s"), ("RAD/S", "rad/s"), ("rad/sec", "rad/s"),
     ("57.2958", 57.2958), ("", None), (None, None)],
)
def test_normalize_gyr_unit_accepts_every_spelling_read_accepts(value, expected):
    assert normalize_gyr_unit(value) == expected


@pytest.mark.parametrize("value", ["kg", "deg/s", "-9.81", "0", "inf", True])
def test_a_bad_acc_unit_names_where_it_came_from_and_the_allowed_units(value):
    with pytest.raises(InputError, match=r"^s01\.csv: acc_unit: expected one of 'g', 'mg', 'm/s\^2' or a "
                                         r"positive factor to m/s\^2, found "):
        normalize_acc_unit(value, where="s01.csv: acc_unit")


@pytest.mark.parametrize("value", ["rpm", "g", "-1"])
def test_a_bad_gyr_unit_names_the_allowed_units(value):
    with pytest.raises(InputError, match=r"^gyr_unit: expected one of 'deg/s', 'rad/s' or a positive factor "
                                         r"to deg/s, found "):
        normalize_gyr_unit(value)


def test_manifest_units_override_the_batch_wide_units_file_by_file(tmp_path):
    files = _touch(tmp_path, "a.csv", "b.csv", "c.csv")
    (tmp_path / "m.csv").write_text("file,acc_unit,Gyro_Unit\na.csv,mG,\nb.csv,,rad/s\nc.csv,,\n")
    specs, errors = make_specs(files, manifest=read_manifest(tmp_path / "m.csv"), acc_unit="g",
                               gyr_unit="dps")
    assert errors == []
    assert [(s.acc_unit, s.gyr_unit) for s in specs] == [("mg", "deg/s"), ("g", "rad/s"), ("g", "deg/s")]
    assert all("acc_unit" not in s.meta and "gyr_unit" not in s.meta for s in specs)  # options, not meta


def test_units_can_come_from_the_file_name(tmp_path):
    files = _touch(tmp_path, "s01_mg.csv", "s02_g.csv")
    specs, errors = make_specs(files, pattern=parse_pattern("{subject}_{acc_unit}.csv"))
    assert errors == [] and [s.acc_unit for s in specs] == ["mg", "g"]


def test_a_bad_unit_in_the_manifest_is_an_error_row_naming_file_and_column(tmp_path):
    files = _touch(tmp_path, "a.csv", "b.csv")
    manifest = read_manifest(pd.DataFrame({"file": ["a.csv", "b.csv"], "acc_unit": ["g", "m/s"]}), base_dir=tmp_path)
    specs, errors = make_specs(files, manifest=manifest)
    assert [s.name for s in specs] == ["a.csv"]
    assert errors == [{"file": "b.csv", "error_type": "InputError",
                       "message": "b.csv: acc_unit: expected one of 'g', 'mg', 'm/s^2' or a positive factor "
                                  "to m/s^2, found 'm/s'"}]


def test_a_bad_batch_wide_unit_is_refused_before_any_file(tmp_path):
    files = _touch(tmp_path, "a.csv")
    with pytest.raises(InputError, match=r"^acc_unit: expected one of 'g', 'mg', 'm/s\^2'"):
        make_specs(files, acc_unit="kg")
    with pytest.raises(InputError, match=r"^gyr_unit: expected one of 'deg/s', 'rad/s'"):
        make_specs(files, gyr_unit="deg")
