"""The ``retrogait`` command line: thin wrappers around analyze, batch, compare, report, demo, inspect.

Exit codes: 0 success, 1 some files failed, 2 usage error (bad option, missing input,
missing optional dependency), 130 interrupted (Ctrl-C).  Results go to stdout, messages
to stderr; a bad input prints one line naming the file and the problem, not a traceback
(``--verbose`` adds the traceback of unexpected errors).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from retrogait.errors import InputError, RetrogaitWarning

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_MAX_LISTED_ERRORS = 20

_EPILOG = """\
examples:
  retrogait analyze walk_left.csv --placement foot --side left --out results/
  retrogait batch study/ --out results/ --pattern "{subject}_{condition}_{side}.csv" \\
      --placement foot --trial-by subject,condition --jobs 4
  retrogait batch study/ --out results/ --resume            # continue an interrupted batch
  retrogait batch "study/*/*.csv" --out results/ --scheduler tcp://10.0.0.5:8786
  retrogait compare results/ --by condition --out comparison/
  retrogait report results/ --out report.html
  retrogait inspect recording.csv
  retrogait demo --out demo/

exit codes: 0 ok, 1 some files failed, 2 usage error, 130 interrupted
"""


class _Formatter(argparse.HelpFormatter):
    """Wraps descriptions to the terminal width (the main parser keeps its examples as written)."""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, found {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, found {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, found {text!r}")
    return value


def _acc_unit(text: str) -> str | float | None:
    from retrogait.manifest import normalize_acc_unit

    try:
        return normalize_acc_unit(text)
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err).split(": ", 1)[-1]) from None


def _gyr_unit(text: str) -> str | float | None:
    from retrogait.manifest import normalize_gyr_unit

    try:
        return normalize_gyr_unit(text)
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err).split(": ", 1)[-1]) from None


def _field_list(text: str) -> list[str]:
    fields = [f.strip() for f in text.split(",") if f.strip()]
    if not fields:
        raise argparse.ArgumentTypeError(f"expected field names separated by commas, found {text!r}")
    return fields


# --------------------------------------------------------------------------- parser


def _common_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("output messages")
    loud = group.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print only errors (no progress, no summaries)")
    loud.add_argument("-v", "--verbose", action="store_true",
                      help="print more: each failed file, warnings in full, tracebacks of unexpected errors")
    return parent


def _read_options() -> argparse.ArgumentParser:
    from retrogait.schema import PLACEMENTS

    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("how to read the files (a manifest or --pattern overrides them per file)")
    group.add_argument("--placement", choices=PLACEMENTS, default="unknown",
                       help="where the sensor was worn; selects the contact detector (default: %(default)s)")
    group.add_argument("--side", choices=("left", "right"), default=None, help="body side of the sensor")
    group.add_argument("--format", default="auto", metavar="NAME",
                       help="file format; 'auto' (default) sniffs it (see 'retrogait inspect FILE')")
    group.add_argument("--rate", type=_positive_float, default=None, metavar="HZ",
                       help="sampling rate in Hz, for files with neither time column nor rate in the header")
    group.add_argument("--acc-unit", type=_acc_unit, default=None, metavar="{g,mg,m/s^2}",
                       help="accelerometer unit of the files (also G, mG, m/s2, ...; or a number, the factor "
                            "to m/s^2); default: from the column names, else inferred with a warning")
    group.add_argument("--gyr-unit", type=_gyr_unit, default=None, metavar="{deg/s,rad/s}",
                       help="gyroscope unit of the files (also dps, rad/sec, ...; or a number, the factor to "
                            "deg/s); default: from the column names, else inferred with a warning")
    return parent


def _param_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("analysis parameters")
    group.add_argument("--event-method", default="auto", metavar="NAME",
                       help="contact detection method of the placement's detector (default 'auto': the detector's own)")
    group.add_argument("--leg-length", type=_positive_float, default=None, metavar="M",
                       help="leg length in metres (trunk-sensor stride length)")
    group.add_argument("--body-height", type=_positive_float, default=None, metavar="M",
                       help="body height in metres (trunk-sensor stride length)")
    group.add_argument("--treadmill-speed", type=_positive_float, default=None, metavar="MPS",
                       help="belt speed in m/s for treadmill recordings")
    group.add_argument("--toe-axis", default=None, metavar="AXIS",
                       help="sensor axis pointing to the toes of foot sensors, e.g. +x; a negative axis as "
                            "--toe-axis=-x (default: inferred; 'unknown' direction when the data cannot tell)")
    group.add_argument("--left-axis", default=None, metavar="AXIS",
                       help="sensor axis pointing to the wearer's left for lower-back sensors, e.g. "
                            "--left-axis=-y (default: sides alternate but may be swapped as a whole)")
    group.add_argument("--stance-anchor-still", type=_positive_float, default=None, metavar="S",
                       help="foot sensors: anchor each stride's zero-velocity update on the sample stillest over "
                            "this many seconds, e.g. 0.02 for running recorded at high rates (default: 3 samples)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``retrogait`` (exposed for documentation and tests).

    Returns
    -------
    argparse.ArgumentParser
        The ``retrogait`` parser with ``--version`` and one sub-command each for
        ``analyze``, ``batch``, ``compare``, ``claims``, ``report``, ``demo`` and
        ``inspect``.  ``parse_args`` gives a ``Namespace`` with ``command``, the options
        of that command (dashes turned into underscores; ``--rate`` in Hz,
        ``--leg-length`` and ``--body-height`` in m, ``--treadmill-speed`` in m/s,
        ``--acc-unit`` and ``--gyr-unit`` as the unit names of :func:`retrogait.io.read`,
        ``'g'``, ``'mg'``, ``'m/s^2'``, ``'deg/s'``, ``'rad/s'``, or a float factor) and
        ``func``, the function :func:`main` calls.  A bad option makes it print the
        usage to stderr and raise ``SystemExit(2)``.

    Examples
    --------
    >>> from retrogait.cli import build_parser
    >>> parser = build_parser()
    >>> args = parser.parse_args(["batch", "study/", "--out", "results/", "--placement", "foot",
    ...                           "--pattern", "{subject}_{condition}_{side}.csv",
    ...                           "--trial-by", "subject,condition", "--jobs", "2", "--rate", "100"])
    >>> args.command, args.inputs, args.out.as_posix(), args.placement, args.side
    ('batch', ['study/'], 'results', 'foot', None)
    >>> args.pattern, args.trial_by, args.jobs, args.rate
    ('{subject}_{condition}_{side}.csv', ['subject', 'condition'], 2, 100.0)

    Units are given by name, in any spelling :func:`retrogait.io.read` accepts:

    >>> args = parser.parse_args(["analyze", "walk.csv", "--acc-unit", "G", "--gyr-unit", "rad/sec"])
    >>> args.acc_unit, args.gyr_unit
    ('g', 'rad/s')

    Values are checked while parsing: a negative sampling rate is a usage error (exit
    code 2), reported on stderr:

    >>> parser.parse_args(["analyze", "walk.csv", "--rate", "-100"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    from retrogait import __version__

    common, reading, params = _common_options(), _read_options(), _param_options()
    parser = argparse.ArgumentParser(
        prog="retrogait",
        description="Gait analysis from wearable accelerometers and IMUs, forward and backward walking "
                    "and running.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"retrogait {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "analyze", parents=[common, reading, params], formatter_class=_Formatter,
        help="analyse one or more files and print a summary of each",
        description="Analyse each FILE on its own: contact events, strides, bouts and a summary.  "
                    "With --out, writes OUT/<file name>/events.csv, strides.csv, bouts.csv and summary.json.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording file(s)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder for the tables (default: none)")
    p.add_argument("--together", action="store_true",
                   help="analyse all FILEs as the sensors of one trial (e.g. left and right foot)")
    p.set_defaults(func=_cmd_analyze)

    p = sub.add_parser(
        "batch", parents=[common, reading, params], formatter_class=_Formatter,
        help="analyse a whole study (folder, glob or manifest) in parallel",
        description="Analyse every file of a study and write one events, strides, bouts and summary table "
                    "for all of them (CSV, and Parquet when pyarrow is installed), errors.csv (one row per "
                    "failed file) and provenance.json.  Results per trial are cached in OUT/files/, so "
                    "--resume continues an interrupted batch without redoing finished files.",
    )
    p.add_argument("inputs", nargs="*", metavar="DIR|GLOB|FILE",
                   help="folders (searched recursively), glob patterns (quote them) or files; "
                        "may be omitted with --manifest")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on this Dask cluster (needs the 'dask' extra; workers must see the files)")
    p.add_argument("--resume", action="store_true",
                   help="reuse the results in OUT of files unchanged since the last run")
    p.add_argument("--manifest", type=Path, default=None, metavar="CSV",
                   help="CSV with a 'file' column and any of placement, side, format, sampling_rate_hz, "
                        "acc_unit, gyr_unit, trial, sensor and meta columns (subject, condition, ...)")
    p.add_argument("--pattern", default=None, metavar="PATTERN",
                   help="take fields from file names, e.g. '{subject}_{condition}_{side}.csv'; "
                        "{} skips a part, * matches anything")
    p.add_argument("--trial-by", type=_field_list, default=None, metavar="FIELDS",
                   help="comma-separated fields naming a trial, e.g. 'subject,condition' to analyse "
                        "the left and right foot of a walk together (default: one file = one trial)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--dry-run", action="store_true",
                   help="only list the files with the trial, placement, side and fields each would get "
                        "(to check --pattern or --manifest before a long run); reads no data")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser(
        "compare", parents=[common], formatter_class=_Formatter,
        help="compare conditions in batch results",
        description="Compare gait parameters between the levels of a column (e.g. condition): "
                    "differences, confidence intervals, effect sizes and tests.  Prints the table; with "
                    "--out, also writes OUT/comparison.csv.",
    )
    p.add_argument("results", type=Path, metavar="RESULTS",
                   help="output folder of 'retrogait batch' or a strides/summary table (.csv/.parquet)")
    p.add_argument("--by", default="condition", help="column whose levels are compared (default: %(default)s)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder for comparison.csv (default: only print the table)")
    p.add_argument("--table", choices=("strides", "summary"), default="strides",
                   help="which table of a results folder to compare (default: %(default)s)")
    p.add_argument("--reference", default=None, help="level the others are compared against")
    p.add_argument("--paired-by", default=None, metavar="COLUMN",
                   help="pairing unit for a paired analysis, e.g. subject")
    p.add_argument("--level", choices=("auto", "stride", "recording", "summary"), default="auto",
                   help="unit of analysis (default: %(default)s)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser(
        "claims", parents=[common], formatter_class=_Formatter,
        help="check the claims made for reverse gait against batch results",
        description="Compare backward with forward strides and judge each claim made for reverse gait "
                    "(shorter strides, higher cadence, toe-first contact, contact time, stance %, flight, "
                    "impact at contact): measured size, 95 % CI and verdict (supported / contradicted / "
                    "can't tell, with the reason).  With --out, also writes OUT/claims.csv.",
    )
    p.add_argument("results", type=Path, metavar="RESULTS",
                   help="output folder of 'retrogait batch' or a strides table (.csv/.parquet)")
    p.add_argument("--by", default="direction",
                   help="column holding the backward and forward levels (default: %(default)s)")
    p.add_argument("--backward", default="backward", help="level of --by that is backward gait (default: %(default)s)")
    p.add_argument("--forward", default="forward", help="level of --by that is forward gait (default: %(default)s)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder for claims.csv")
    p.set_defaults(func=_cmd_claims)

    p = sub.add_parser(
        "report", parents=[common], formatter_class=_Formatter,
        help="write a self-contained HTML report of batch results",
        description="Write one HTML file with the summary, figures and the comparison of conditions.",
    )
    p.add_argument("results", type=Path, metavar="RESULTS",
                   help="output folder of 'retrogait batch' or a strides/summary table")
    p.add_argument("--out", type=Path, default=Path("report.html"), metavar="HTML", help="report file (default: %(default)s)")
    p.add_argument("--by", default="condition", help="column whose levels are compared (default: %(default)s)")
    p.add_argument("--title", default="retrogait report", help="title of the report")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "demo", parents=[common], formatter_class=_Formatter,
        help="run the bundled forward and backward samples end to end",
        description="Analyse the bundled samples, compare forward with backward walking and write tables, "
                    "a figure and a report.",
    )
    p.add_argument("--out", type=Path, default=Path("retrogait_demo"), metavar="DIR", help="output folder (default: %(default)s)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "inspect", parents=[common, reading], formatter_class=_Formatter,
        help="describe a file: format, rate, duration, units, channels, problems",
        description="Show how retrogait reads each FILE, without analysing it.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="file(s) to describe")
    p.set_defaults(func=_cmd_inspect)
    return parser


# --------------------------------------------------------------------------- helpers


class _Console:
    """Where messages go, honouring --quiet/--verbose."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.quiet = bool(getattr(args, "quiet", False))
        self.verbose = bool(getattr(args, "verbose", False))

    def out(self, text: str = "") -> None:
        if not self.quiet:
            print(text, file=sys.stdout, flush=True)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        print(f"error: {text}", file=sys.stderr, flush=True)


def _params(args: argparse.Namespace) -> Any:
    from retrogait.pipeline import Params

    return Params(event_method=args.event_method, leg_length_m=args.leg_length, body_height_m=args.body_height,
                  treadmill_speed_mps=args.treadmill_speed, toe_axis=args.toe_axis, left_axis=args.left_axis,
                  stance_anchor_still_s=args.stance_anchor_still)


class _StderrHandler(logging.Handler):
    """Log records to whatever ``sys.stderr`` is at the time (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(self.format(record), file=sys.stderr, flush=True)
        except (OSError, ValueError):
            self.handleError(record)


def _setup_logging(console: _Console) -> None:
    level = logging.ERROR if console.quiet else (logging.INFO if console.verbose else logging.WARNING)
    logger = logging.getLogger("retrogait")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)


def _show_warning(console: _Console) -> Callable[..., None]:
    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        if console.quiet:
            return
        if issubclass(category, RetrogaitWarning) or not console.verbose:
            print(f"warning: {message}", file=sys.stderr)
        else:
            print(warnings.formatwarning(message, category, filename, lineno, line), end="", file=sys.stderr)
    return show


def _unique_dir(out: Path, stem: str, used: set[str]) -> Path:
    name, k = stem, 1
    while name in used:
        k += 1
        name = f"{stem}_{k}"
    used.add(name)
    return out / name


# --------------------------------------------------------------------------- commands


def _cmd_analyze(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.demo import describe, write_result
    from retrogait.io import read
    from retrogait.pipeline import analyze

    params = _params(args)
    opts = {"format": args.format, "sampling_rate_hz": args.rate, "placement": args.placement, "side": args.side,
            "acc_unit": args.acc_unit, "gyr_unit": args.gyr_unit}
    groups = [list(args.files)] if args.together else [[f] for f in args.files]
    failed = 0
    used: set[str] = set()
    for group in groups:
        label = " + ".join(group)
        try:
            recordings = {}
            for path in group:
                rec = read(path, **opts)
                if rec.name in recordings:
                    raise InputError(
                        f"{path}: a second sensor named {rec.name!r} in one trial; to analyse the left and "
                        "right foot together use 'retrogait batch FILES --pattern \"{subject}_{side}.csv\" "
                        "--trial-by subject' (or a manifest with a side column), or drop --together"
                    )
                recordings[rec.name] = rec
            result = analyze(recordings, params=params)
        except InputError as err:
            failed += 1
            console.error(str(err))
            continue
        except Exception as err:  # noqa: BLE001 - one file's failure must not stop the others
            failed += 1
            console.error(f"{label}: {type(err).__name__}: {err}")
            if console.verbose:
                traceback.print_exc()
            continue
        console.out(f"{label}:")
        console.out(describe(result))
        if args.out is not None:
            folder = _unique_dir(args.out, Path(group[0]).stem, used)
            written = write_result(result, folder)
            console.info(f"  wrote {', '.join(p.name for p in written.values())} to {folder}/")
    if failed:
        console.error(f"{failed} of {len(groups)} file(s) failed")
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_batch(args: argparse.Namespace, console: _Console) -> int:
    import pandas as pd

    from retrogait.batch import batch

    if not args.inputs and args.manifest is None:
        console.error("batch: give a folder, glob or files to analyse, or --manifest CSV")
        return EXIT_USAGE
    if args.dry_run:
        from retrogait.batch import plan

        table = plan(args.inputs or None, out_dir=args.out, manifest=args.manifest, pattern=args.pattern,
                     trial_by=args.trial_by, placement=args.placement, side=args.side, format=args.format,
                     sampling_rate_hz=args.rate, acc_unit=args.acc_unit, gyr_unit=args.gyr_unit)
        shown = table.dropna(axis=1, how="all") if len(table) else table
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            console.out(shown.to_string(index=False))
        n_bad = int(table["error"].notna().sum()) if "error" in table else 0
        n_skipped = int(table["skipped"].notna().sum()) if "skipped" in table else 0
        n_trials = table["trial"].nunique() if "trial" in table else 0
        skipped = f", {n_skipped} skipped (companion files of phone exports)" if n_skipped else ""
        console.out(f"{len(table) - n_skipped} file(s), {n_trials} trial(s){skipped}, "
                    f"{n_bad} would fail before reading")
        return EXIT_FAILED if n_bad else EXIT_OK
    result = batch(
        args.inputs or None, out_dir=args.out, jobs=args.jobs, scheduler=args.scheduler, manifest=args.manifest,
        pattern=args.pattern, trial_by=args.trial_by, placement=args.placement, side=args.side,
        format=args.format, sampling_rate_hz=args.rate, acc_unit=args.acc_unit, gyr_unit=args.gyr_unit,
        params=_params(args), resume=args.resume,
        progress=not (args.no_progress or console.quiet),
    )
    prov = result.provenance
    statuses = [entry.get("status") for entry in prov["inputs"]]
    console.out(
        f"{result.n_files} file(s) in {prov['n_trials']} trial(s): {statuses.count('analysed')} analysed, "
        f"{statuses.count('cached')} from the cache, {statuses.count('failed')} failed "
        f"({prov['duration_s']:.1f} s)"
    )
    console.out(f"{len(result.strides)} strides, {len(result.summary)} summary rows; tables in {result.out_dir}/")
    companions = [entry for entry in prov["inputs"] if entry.get("status") == "skipped"]
    if companions:
        console.info(f"skipped {len(companions)} companion file(s) of phone exports (gyroscope, gravity, metadata ... "
                     "merged into their accelerometer file or not used; listed in provenance.json)")
        for entry in companions if console.verbose else ():
            console.info(f"  {entry['file']}: {entry['reason']}")
    warned = sum(1 for entry in prov["inputs"] if entry.get("n_warnings"))
    if warned and not console.verbose:
        console.info(f"{warned} file(s) gave warnings (inferred units, undecided toe direction, ...): "
                     "run again with -v to see them, or read 'warnings' in provenance.json")
    inferred = sum(1 for entry in prov["inputs"] if any("unit inferred" in w for w in entry.get("warnings") or ()))
    if inferred:
        console.info(f"{inferred} file(s) had their units inferred: check them, then state them with "
                     "--acc-unit/--gyr-unit (or the manifest columns acc_unit, gyr_unit)")
    if len(result.errors):
        shown = result.errors if console.verbose else result.errors.head(_MAX_LISTED_ERRORS)
        for row in shown.itertuples(index=False):
            message = str(row.message)
            console.error(message if str(row.file).split("/")[-1] in message else
                          f"{row.file}: {row.error_type}: {message}")
        if len(shown) < len(result.errors):
            console.error(f"... and {len(result.errors) - len(shown)} more in {result.out_dir}/errors.csv")
        return EXIT_FAILED
    return EXIT_OK


def _load_table(path: Path, table: str) -> Any:
    from retrogait.batch import read_results

    return read_results(path, table)


def _label_columns(table: Any) -> list[str]:
    """Non-numeric columns of a table (what --by can name), at most 15."""
    from pandas.api.types import is_numeric_dtype

    return [str(c) for c in table.columns if not is_numeric_dtype(table[c])][:15]


def _table_with_column(args: argparse.Namespace, table: str) -> Any:
    """The results table named by ``args.results``, checked to have the ``--by`` column."""
    data = _load_table(args.results, table)
    if args.by not in data.columns:
        raise InputError(f"--by {args.by!r}: no such column in {args.results}; "
                         f"columns include {_label_columns(data)}")
    return data


def _print_and_write(result: Any, columns: Sequence[str], args: argparse.Namespace, console: _Console,
                     file_name: str) -> None:
    """Print the chosen columns of a result table and, with --out, write it as ``file_name``."""
    from retrogait.io.writers import write_table

    shown = [c for c in columns if c in result.columns]
    if shown and len(result):
        console.out(result[shown].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    if args.out is not None:
        path = write_table(result, args.out / file_name)
        console.info(f"wrote {path}")


def _cmd_compare(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.compare import compare

    data = _table_with_column(args, args.table)
    comparison = compare(data, by=args.by, reference=args.reference, paired_by=args.paired_by, level=args.level)
    _print_and_write(comparison, ("parameter", "group", "reference", "n_group", "n_reference", "difference",
                                  "ci_low", "ci_high", "effect_size", "p_adj", "note"), args, console, "comparison.csv")
    return EXIT_OK


def _cmd_claims(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.claims import check_claims

    data = _table_with_column(args, "strides")
    claims = check_claims(data, by=args.by, backward=args.backward, forward=args.forward)
    _print_and_write(claims, ("claim", "parameter", "difference", "ci_low", "ci_high", "verdict", "reason"),
                     args, console, "claims.csv")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.report import make_report

    data = _load_table(args.results, "strides")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    path = make_report(data, out_path=args.out, by=args.by, title=args.title)
    console.info(f"wrote {path}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.demo import run_demo

    run_demo(Path(args.out), echo=console.out)
    return EXIT_OK


def _cmd_inspect(args: argparse.Namespace, console: _Console) -> int:
    from retrogait.io import inspect

    failed = 0
    opts = {"format": args.format, "sampling_rate_hz": args.rate, "placement": args.placement, "side": args.side,
            "acc_unit": args.acc_unit, "gyr_unit": args.gyr_unit}
    for path in args.files:
        info = inspect(path, **opts)
        failed += not info.get("ok", False)
        console.out(f"{path}:")
        console.out(f"  format: {info.get('format', '?')}, readable: {'yes' if info.get('ok') else 'no'}")
        for name, sensor in info.get("sensors", {}).items():
            console.out(
                f"  sensor {name}: {sensor['n_samples']} samples at {sensor['sampling_rate_hz']:g} Hz "
                f"= {sensor['duration_s']:.1f} s; channels {', '.join(sensor['channels'])}; "
                f"acc unit {sensor.get('acc_unit')}{' (inferred)' if sensor.get('acc_unit_inferred') else ''}, "
                f"gyr unit {sensor.get('gyr_unit')}{' (inferred)' if sensor.get('gyr_unit_inferred') else ''}"
            )
        for problem in info.get("problems", []):
            (console.error if not info.get("ok") else console.out)(f"  {problem}")
    return EXIT_FAILED if failed else EXIT_OK


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 some files failed, 2 usage error).

    Results go to stdout; messages, warnings and errors to stderr (a bad input gives one
    ``error: ...`` line naming the file and the problem, not a traceback).  ``--help``,
    ``--version`` and usage errors return their exit code instead of exiting the
    interpreter, so ``main`` can be called from Python.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 success, 1 some files failed, 2 usage error (bad option, missing
        input, missing optional dependency, an ``InputError``), 130 interrupted (Ctrl-C).

    Examples
    --------
    >>> from retrogait.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    retrogait ...
    0

    ``inspect`` shows how a file is read without analysing it; here a 2 s recording at
    100 Hz of a sensor lying still (9.81 m/s² on z), written to a temporary CSV file:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "still.csv"
    ...     rows = "".join(f"{i / 100:.2f},0.0,0.0,9.81\\n" for i in range(200))
    ...     _ = path.write_text("time_s,acc_x,acc_y,acc_z\\n" + rows)
    ...     code = main(["inspect", str(path), "--placement", "foot", "--side", "left"])
    ...     missing = main(["inspect", str(Path(tmp) / "missing.csv"), "--quiet"])
    ... # doctest: +ELLIPSIS
    /.../still.csv:
      format: csv, readable: yes
      sensor foot_left: 200 samples at 100 Hz = 2.0 s; channels acc_x, acc_y, acc_z; ...
    ...
    >>> code, missing
    (0, 1)

    A usage error (here a sub-command without its file) returns 2:

    >>> main(["analyze"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # --help, --version, or a usage error reported by argparse
        return int(stop.code) if isinstance(stop.code, int) else EXIT_USAGE
    console = _Console(args)
    _setup_logging(console)
    previous = warnings.showwarning
    warnings.showwarning = _show_warning(console)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", RetrogaitWarning)
            return int(args.func(args, console))
    except KeyboardInterrupt:
        out = getattr(args, "out", None)
        hint = (f"; finished files are kept in {out}/files - run the same command with --resume to continue"
                if args.command == "batch" and out is not None else "")
        console.error(f"interrupted{hint}")
        return EXIT_INTERRUPTED
    except InputError as err:
        console.error(str(err))
        if console.verbose:
            traceback.print_exc()
        return EXIT_USAGE
    except ImportError as err:
        console.error(f"{err}")
        return EXIT_USAGE
    except OSError as err:
        console.error(f"{getattr(err, 'filename', None) or ''}{': ' if getattr(err, 'filename', None) else ''}"
                      f"{err.strerror or err}")
        return EXIT_USAGE
    finally:
        warnings.showwarning = previous


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
