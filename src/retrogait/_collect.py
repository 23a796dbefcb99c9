"""Stacking analysis results and tables for :mod:`retrogait.compare` (input side).

:func:`collect` turns results, strides tables or summary tables (or lists / dicts of
them) into one table; :func:`infer_gait` and :func:`infer_placements` say what was
measured.  Public names are re-exported by :mod:`retrogait.compare`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from retrogait import schema
from retrogait.errors import InputError

__all__ = ["SHARE_PARAMETERS", "collect", "infer_gait", "infer_placements", "summary_column"]

#: Derived stride-level shares of each contact type (0 or 100 per stride; NaN when unknown).
SHARE_PARAMETERS = ("toe_first_pct", "flat_pct", "heel_first_pct")


def _result_tables(obj: Any) -> tuple[pd.DataFrame | None, pd.DataFrame | None, Mapping[str, Any]]:
    strides = getattr(obj, "strides", None)
    summary = getattr(obj, "summary", None)
    meta = getattr(obj, "meta", None) or {}
    return strides, summary, meta


def _is_result(obj: Any) -> bool:
    return not isinstance(obj, pd.DataFrame) and isinstance(getattr(obj, "strides", None), pd.DataFrame)


def _with_meta(table: pd.DataFrame, meta: Mapping[str, Any], fallback_id: str) -> pd.DataFrame:
    out = table.copy()
    for key, value in meta.items():
        if key not in out.columns and isinstance(value, (str, int, float, bool)):
            out[key] = value
    if "recording" not in out.columns:
        out["recording"] = str(meta.get("file") or meta.get("source_file") or fallback_id)
    return out


def collect(data: Any, *, by: str | None = None, level: str = "auto") -> tuple[pd.DataFrame, str]:
    """Stack analysis results or tables into one table and say which kind it is.

    Parameters
    ----------
    data : AnalysisResult, DataFrame, or a list / dict of either
        Results (objects with ``.strides``, ``.summary`` and ``.meta``) are stacked with
        their meta fields (subject, condition, file, ...) as columns and a ``recording``
        column naming each result.  For a dict, the key fills the ``by`` column when the
        meta has no such field.
    by : str, optional
        Grouping column (only used to fill it from dict keys).
    level : {"auto", "stride", "recording", "summary"}
        ``"summary"`` stacks the results' summary tables, anything else their strides.

    Returns
    -------
    table : DataFrame
        A new table (inputs are not changed): stacked strides (``schema.STRIDES_COLUMNS``)
        or summary rows (``schema.SUMMARY_COLUMNS`` and the aggregates); results add
        their meta fields and ``recording`` as columns.
    kind : {"strides", "summary"}
        Which of the two ``table`` is.

    Raises
    ------
    TypeError
        If ``data`` is none of the above.
    InputError
        If no result or table is given, or strides and summary tables are mixed.
    """
    items: list[tuple[str, Any]]
    if isinstance(data, pd.DataFrame) or _is_result(data):
        items = [("result0", data)]
    elif isinstance(data, Mapping):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, Sequence) and not isinstance(data, str):
        items = [(f"result{i}", v) for i, v in enumerate(data)]
    else:
        raise TypeError(
            f"data: expected an AnalysisResult, a DataFrame or a list/dict of them, found {type(data).__name__}"
        )
    if not items:
        raise InputError("data: expected at least one result or table, found none")
    tables: list[pd.DataFrame] = []
    kinds: set[str] = set()
    for key, item in items:
        if _is_result(item):
            strides, summary, meta = _result_tables(item)
            if level == "summary":
                if not isinstance(summary, pd.DataFrame):
                    raise InputError(f"data[{key!r}]: level='summary' needs a result with a summary table")
                table, kind = _with_meta(summary, meta, key), "summary"
            else:
                table = _with_meta(strides if strides is not None else schema.empty_strides(), meta, key)
                kind = "strides"
        elif isinstance(item, pd.DataFrame):
            table = item.copy()
            kind = "strides" if "stride_time_s" in table.columns and "start_s" in table.columns else "summary"
            if len(items) > 1 and "recording" not in table.columns:
                table["recording"] = key
        else:
            raise TypeError(f"data[{key!r}]: expected an AnalysisResult or a DataFrame, found {type(item).__name__}")
        if by is not None and by not in table.columns and isinstance(data, Mapping):
            table[by] = key
        tables.append(table)
        kinds.add(kind)
    if len(kinds) > 1:
        raise InputError("data: found both strides and summary tables; pass one kind (or set level=)")
    frames = [t for t in tables if len(t)]
    table = pd.concat(frames, ignore_index=True) if frames else tables[0].iloc[0:0].copy()
    kind = kinds.pop()
    if kind == "strides":
        table = _add_shares(table)
    return table, kind


def _add_shares(strides: pd.DataFrame) -> pd.DataFrame:
    if "contact_type" not in strides.columns:
        return strides
    out = strides.copy()
    ctype = out["contact_type"].astype(object)
    known = ctype.isin(("toe_first", "flat", "heel_first"))
    for name in SHARE_PARAMETERS:
        contact = name.removesuffix("_pct")
        out[name] = np.where(known, np.where(ctype == contact, 100.0, 0.0), np.nan)
    return out


def summary_column(table: pd.DataFrame, parameter: str) -> str | None:
    """Column of a summary table holding the mean of ``parameter`` (``<p>_mean``, ``mean_<p>`` or ``<p>``)."""
    for name in (f"{parameter}_mean", f"mean_{parameter}", parameter):
        if name in table.columns and pd.api.types.is_numeric_dtype(table[name]):
            return name
    return None


_GAIT_MAJORITY = 0.8


def infer_placements(data: Any, table: pd.DataFrame | None) -> set[str]:
    """Sensor placements of results (their recordings) or of a table (``placement`` or ``sensor`` names)."""
    found: set[str] = set()
    items = list(data.values()) if isinstance(data, Mapping) else (
        list(data) if isinstance(data, Sequence) and not isinstance(data, str | pd.DataFrame) else [data])
    for item in items:
        recordings = getattr(item, "recordings", None)
        if isinstance(recordings, Mapping):
            found.update(str(getattr(r, "placement", "unknown")) for r in recordings.values())
    if table is not None:
        if "placement" in table.columns:
            found.update(str(v) for v in table["placement"].dropna().unique())
        elif not found and "sensor" in table.columns:
            for name in table["sensor"].dropna().astype(str).unique():
                for placement in schema.PLACEMENTS:
                    if name == placement or name.startswith(placement + "_"):
                        found.add(placement)
    found.discard("unknown")
    return found


def infer_gait(table: pd.DataFrame, by: str, levels: Sequence[str]) -> str:
    """Gait of ≥ 80 % of the strides (or summary rows) of ``levels``: ``walk``/``run``, else
    ``mixed`` or ``unknown``.  Summary tables give it by their ``gait_majority`` column."""
    column = "gait" if "gait" in table.columns else "gait_majority"
    if column not in table.columns or by not in table.columns:
        return "unknown"
    gaits = table.loc[table[by].astype(str).isin(levels), column].astype(str)
    gaits = gaits[gaits.isin(("walk", "run"))]
    if gaits.empty:
        return "unknown"
    share = gaits.value_counts(normalize=True)
    return str(share.index[0]) if share.iloc[0] >= _GAIT_MAJORITY else "mixed"
