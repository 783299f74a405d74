"""CSV files of a results folder, safe to open in a spreadsheet.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula: a ledger's ``=HYPERLINK(...)`` or ``=cmd|...``
would run when the file is opened. Every text cell, index label and column name that starts
with one of those characters is written with a leading ``'`` (the spreadsheets' own mark for
"text, not a formula"); numbers, dates and empty cells are written as they are. Every CSV of
a results folder is written through :func:`write_csv`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula;
    any other value (a number, a date, a missing value, other text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, index labels, column names and their names are
    :func:`neutralised`; numeric and date columns are left as they are."""
    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if _holds_text(column):
            safe.isetitem(position, column.map(neutralised, na_action="ignore"))
    safe.index = _safe_labels(safe.index)
    safe.columns = _safe_labels(safe.columns)
    return safe


def write_csv(frame: pd.DataFrame, path: Path, **options: Any) -> None:
    """``frame.to_csv(path, **options)`` of the :func:`spreadsheet_safe` copy of ``frame``."""
    spreadsheet_safe(frame).to_csv(path, **options)


def _holds_text(values: pd.Series | pd.Index) -> bool:
    return pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)


def _safe_labels(labels: pd.Index) -> pd.Index:
    """``labels`` (an index or the column names, a MultiIndex level by level) and their
    names, :func:`neutralised`."""
    if isinstance(labels, pd.MultiIndex):
        levels = [_safe_labels(level) for level in labels.levels]
        return labels.set_levels(levels).set_names(levels[n].name for n in range(len(levels)))
    if _holds_text(labels):
        labels = labels.map(neutralised)
    return labels.rename(neutralised(labels.name))
