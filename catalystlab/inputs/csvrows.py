"""Reading CSV files as text and reporting the first bad row: shared by the fundamentals and
events loaders, so that every message has the same shape: ``<file>, row <n>: <problem>; <fix>.``

Row numbers are the file's line numbers (the header is line 1, the first data row is row 2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.tickers import parse_ticker
from catalystlab.core.userfiles import refuse_folder

# The snapshot's largest table is 0.5 MB; SEC EDGAR's quarters of a thousand tickers fit too.
MAX_TABLE_BYTES = 100_000_000


def read_csv_text(path: Path) -> pd.DataFrame:
    """Every cell of a CSV file as text (blank cells as NaN), plus ``row`` (its line number).

    Raises DataUnavailableError when the file does not exist and BadInputError when it is not
    a readable CSV file or is larger than ``MAX_TABLE_BYTES`` (checked before reading).
    """
    refuse_folder(path, "the CSV file itself")
    if not path.is_file():
        raise DataUnavailableError(f"No such file: {path}; check the path.")
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise BadInputError(
            f"{path}: {size:,} bytes is more than a fundamentals or events table may hold (at "
            f"most {MAX_TABLE_BYTES:,}); keep only the tickers you test."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not a readable CSV file ({exc}).") from None
    if "row" in frame.columns:
        raise BadInputError(f"{path}: has a column named 'row'; remove or rename it.")
    frame["row"] = np.arange(2, len(frame) + 2)
    return frame


def check_columns(
    frame: pd.DataFrame,
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    schema: str,
) -> None:
    """BadInputError naming the missing or unexpected columns of ``path``.

    ``schema`` says where the columns are documented (shown in the message).
    """
    allowed = [*required, *optional, "row"]
    missing = [c for c in required if c not in frame.columns]
    unknown = [str(c) for c in frame.columns if c not in allowed]
    if not missing and not unknown:
        return
    problems = []
    if missing:
        problems.append(f"lacks column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"has unexpected column(s) {', '.join(unknown)}")
    expected = ", ".join([*required, *(f"[{c}]" for c in optional)])
    raise BadInputError(
        f"{path}: the header {' and '.join(problems)}; expected {expected} ({schema})."
    )


def text_cells(column: pd.Series) -> pd.Series:
    """Cells as stripped text, '' for blanks (NaN, None)."""
    return pd.Series(
        ["" if pd.isna(v) else str(v).strip() for v in column], index=column.index, dtype=object
    )


def parse_dates(column: pd.Series, name: str, origin: str, rows: np.ndarray) -> pd.Series:
    """ISO dates (tz-naive, midnight, datetime64[ns]); BadInputError at the first bad cell."""
    parsed = pd.to_datetime(column, errors="coerce", format="ISO8601")
    # A year such as -5 or 9999 parses at a coarser unit but has no nanosecond timestamp.
    usable = (parsed >= pd.Timestamp.min) & (parsed <= pd.Timestamp.max)
    fail_where(
        (parsed.isna() | ~usable).to_numpy(),
        origin,
        rows,
        lambda i: f"{name} {column.iloc[i]!r} is not a date",
        "write it as YYYY-MM-DD",
    )
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.dt.normalize().astype("datetime64[ns]")


def check_tickers(ticker: pd.Series, origin: str, rows: np.ndarray) -> None:
    """Raise BadInputError at the first cell of ``ticker`` that is not a ticker symbol
    (:func:`catalystlab.core.tickers.parse_ticker`)."""
    fail_where(
        ~ticker.map(_is_ticker).to_numpy(dtype=bool),
        origin,
        rows,
        lambda i: f"ticker {ticker.iloc[i][:40]!r} is not a ticker symbol",
        "write the symbol as Yahoo Finance does, e.g. AMZN or BRK-B",
    )


def _is_ticker(text: str) -> bool:
    try:
        parse_ticker(text)
    except ValueError:
        return False
    return True


def fail_where(
    bad, origin: str, rows: np.ndarray, problem: str | Callable[[int], str], fix: str
) -> None:
    """Raise BadInputError for the first True position of ``bad`` (a boolean array).

    ``problem`` is a sentence fragment, or a function of the position that returns one;
    ``rows`` maps positions to the file's row numbers.
    """
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    text = problem(i) if callable(problem) else problem
    more = int(bad.sum()) - 1
    also = f" ({more} more row{'s' if more > 1 else ''} like it)" if more else ""
    raise BadInputError(f"{origin}, row {rows[i]}: {text}{also}; {fix}.")
