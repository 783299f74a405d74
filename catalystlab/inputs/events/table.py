"""Catalyst event tables: validation and the CSV loader of the project's own schema.

A file has a header line and the columns of :data:`catalystlab.core.pit.EVENT_COLUMNS` except
``known_from``, which is computed on load from ``event_date`` and ``timing``. The columns are
documented in ``config/events/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import EVENT_COLUMNS, TIMINGS, empty_events, known_from
from catalystlab.inputs.csvrows import (
    check_columns,
    check_tickers,
    fail_where,
    parse_dates,
    read_csv_text,
    text_cells,
)

EVENT_KINDS: tuple[str, ...] = (
    "layoff",
    "capex_guidance",
    "capex_actual",
    "ai_investment",
    "ai_product",
    "ai_claim",
    "workforce_memo",
)
STATUSES: tuple[str, ...] = ("report", "official")
CONFIDENCES: tuple[str, ...] = ("confirmed", "single_source", "uncertain")
FILE_COLUMNS: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c != "known_from")
_SCHEMA = "the columns are documented in config/events/README.md"
EARLIEST_EVENT = pd.Timestamp("1990-01-01")  # before any price series the tool reads


def load_events(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read and validate event CSV files in the project's schema; one table, sorted by date.

    ``paths``: one file or several (e.g. the curated ``config/events/*.csv`` plus a user's
    own). Raises DataUnavailableError for a missing file and BadInputError naming the file,
    row and fix for a wrong one.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    tables = []
    for path in map(Path, paths):
        frame = read_csv_text(path)
        check_columns(frame, path, required=FILE_COLUMNS, schema=_SCHEMA)
        tables.append(build_events(frame, origin=str(path)))
    return combine_events(tables)


def curated_event_paths() -> list[Path]:
    """The curated tables shipped in this checkout: ``config/events/*.csv``, sorted."""
    folder = Path(__file__).resolve().parents[3] / "config" / "events"
    return sorted(folder.glob("*.csv"))


def build_events(raw: pd.DataFrame, *, origin: str) -> pd.DataFrame:
    """Check raw event rows (text cells, ``row`` = file row) and return the ``pit`` table.

    Raises BadInputError naming ``origin``, the row and the fix for: a blank ticker,
    description or source; an unknown kind, timing, status or confidence; an unparseable
    date or one outside 1990..today; a ticker that is not a symbol; a headcount that is not a
    non-negative number; a pct outside [0, 1] (a fraction, not %); a value_usd_bn that is not
    a number; a row identical to another (it would count the event twice).
    """
    if raw.empty:
        return empty_events()
    rows = raw["row"].to_numpy()
    ticker = text_cells(raw["ticker"]).str.upper()
    description = text_cells(raw["description"])
    source = text_cells(raw["source"])
    for name, column, fix in (
        ("ticker", ticker, "fill in the symbol, e.g. AMZN"),
        ("description", description, "say in one line what was announced"),
        ("source", source, "give at least one link (several: separate them with ' ; ')"),
    ):
        fail_where(column == "", origin, rows, f"{name} is blank", fix)
    kind = _choice(raw["kind"], "kind", EVENT_KINDS, origin, rows, default=None)
    timing = _choice(raw["timing"], "timing", TIMINGS, origin, rows, default="unknown")
    status = _choice(raw["status"], "status", STATUSES, origin, rows, default=None)
    confidence = _choice(raw["confidence"], "confidence", CONFIDENCES, origin, rows, default=None)
    event_date = parse_dates(raw["event_date"], "event_date", origin, rows)
    check_tickers(ticker, origin, rows)
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    fail_where(
        ((event_date < EARLIEST_EVENT) | (event_date > today)).to_numpy(),
        origin,
        rows,
        lambda i: (
            f"event_date {event_date.iloc[i].date()} lies outside {EARLIEST_EVENT.year}..today"
        ),
        "check the year (an event is in the past, and the data start in 1990)",
    )
    headcount = _number(raw["headcount"], "headcount", origin, rows, "a number of roles")
    fail_where(
        headcount < 0,
        origin,
        rows,
        lambda i: f"headcount {headcount[i]:g} is negative",
        "give the number of roles cut",
    )
    pct = _number(raw["pct"], "pct", origin, rows, "a fraction")
    fail_where(
        (pct < 0) | (pct > 1),
        origin,
        rows,
        lambda i: f"pct {pct[i]:g} is outside [0, 1]",
        "pct is a fraction of the workforce, not %: write 3% as 0.03",
    )
    value = _number(raw["value_usd_bn"], "value_usd_bn", origin, rows, "USD billions")
    table = pd.DataFrame(
        {
            "ticker": ticker.to_numpy(dtype=object),
            "kind": kind,
            "event_date": event_date.to_numpy(),
            "timing": timing,
            "known_from": [known_from(d, t) for d, t in zip(event_date, timing, strict=True)],
            "headcount": headcount,
            "pct": pct,
            "value_usd_bn": value,
            "status": status,
            "description": description.to_numpy(dtype=object),
            "source": source.to_numpy(dtype=object),
            "confidence": confidence,
        }
    )
    _reject_repeated_rows(table, origin, rows)
    return combine_events([table])


def _reject_repeated_rows(table: pd.DataFrame, origin: str, rows: np.ndarray) -> None:
    """BadInputError naming the first two rows that are the same event, cell for cell."""
    repeated = table.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return
    first = int(np.flatnonzero(repeated)[0])
    digests = pd.util.hash_pandas_object(table, index=False).to_numpy()
    twins = rows[digests == digests[first]]
    event = table.iloc[first]
    raise BadInputError(
        f"{origin}, rows {' and '.join(str(r) for r in twins[:2])}: the same "
        f"{event['kind']} event of {event['ticker']} on {event['event_date'].date()}, cell for "
        "cell; delete the repeat (it would count the event twice)."
    )


def combine_events(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Event tables stacked, sorted by event date and ticker, with the ``pit`` dtypes."""
    tables = [t for t in tables if not t.empty]
    if not tables:
        return empty_events()
    stacked = pd.concat(tables, ignore_index=True)
    stacked = stacked.sort_values(["event_date", "ticker", "kind"], kind="stable")
    stacked = stacked.reset_index(drop=True)
    empty = empty_events()
    return pd.DataFrame({c: stacked[c].astype(empty[c].dtype) for c in EVENT_COLUMNS})


def _choice(
    column: pd.Series,
    name: str,
    allowed: tuple[str, ...],
    origin: str,
    rows: np.ndarray,
    *,
    default: str | None,
) -> np.ndarray:
    """Cells that must be one of ``allowed`` (blank -> ``default``, or an error if None)."""
    cells = text_cells(column)
    if default is not None:
        cells = cells.replace("", default)
    fail_where(
        ~cells.isin(allowed),
        origin,
        rows,
        lambda i: f"{name} {cells.iloc[i]!r} is not one of {', '.join(allowed)}",
        f"use one of those ({'blank means ' + default if default else 'it may not be blank'})",
    )
    return cells.to_numpy(dtype=object)


def _number(column: pd.Series, name: str, origin: str, rows: np.ndarray, unit: str) -> np.ndarray:
    """Cells as floats, NaN where blank; BadInputError where not a number."""
    cells = text_cells(column)
    numbers = pd.to_numeric(cells.replace("", np.nan), errors="coerce").to_numpy(dtype="float64")
    fail_where(
        (cells != "").to_numpy() & ~np.isfinite(numbers),
        origin,
        rows,
        lambda i: f"{name} {cells.iloc[i]!r} is not a number",
        f"write {unit} as a plain number, or leave it blank and put the wording in description",
    )
    return numbers
