"""Validation shared by every fundamentals source: raw rows in, the ``pit`` table out.

Each source (CSV file, snapshot adapters, SEC EDGAR) turns its input into *raw rows* with the
columns of :data:`RAW_COLUMNS` (``row`` is the line of the input file the row came from, for
error messages) and hands them to :func:`build_fundamentals`, which checks them, computes
``known_from`` with :func:`catalystlab.core.pit.known_from` and returns a frame with exactly the
columns and dtypes of :func:`catalystlab.core.pit.empty_fundamentals`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import FUNDAMENTAL_COLUMNS, TIMINGS, empty_fundamentals, known_from
from catalystlab.inputs.csvrows import check_tickers, fail_where, parse_dates, text_cells

# A raw row carries the publication ``timing`` where the table has ``known_from`` (derived
# from it), and the file ``row`` for error messages.
RAW_COLUMNS: tuple[str, ...] = (
    *(c if c != "known_from" else "timing" for c in FUNDAMENTAL_COLUMNS),
    "row",
)
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")


def build_fundamentals(raw: pd.DataFrame, *, origin: str) -> pd.DataFrame:
    """Check raw rows and return the point-in-time fundamentals table, sorted.

    ``origin`` names the input (a file path) in error messages. Raises BadInputError naming
    the origin, the row and the fix for: a blank ticker, metric or fiscal period, a metric that
    is not a lower-case identifier, an unparseable date, a missing or non-numeric value, an
    unknown timing, a value published before its period ended, a revenue that is not positive,
    a ticker that is not a symbol, and two rows for the same (ticker, metric, period_end).
    """
    if raw.empty:
        return empty_fundamentals()
    rows = raw["row"].to_numpy()
    ticker = text_cells(raw["ticker"]).str.upper()
    metric = text_cells(raw["metric"])
    fiscal_period = text_cells(raw["fiscal_period"])
    for name, column, fix in (
        ("ticker", ticker, "fill in the symbol, e.g. AMZN"),
        ("metric", metric, "fill in e.g. revenue, operating_income or capex"),
        ("fiscal_period", fiscal_period, "fill in the company's label, e.g. 2024Q4"),
    ):
        fail_where(column == "", origin, rows, f"{name} is blank", fix)
    fail_where(
        ~metric.str.match(_METRIC),
        origin,
        rows,
        lambda i: f"metric {metric.iloc[i]!r} is not a lower-case name",
        "use e.g. revenue, operating_income, capex",
    )
    period_end = parse_dates(raw["period_end"], "period_end", origin, rows)
    public_date = parse_dates(raw["public_date"], "public_date", origin, rows)
    value = pd.to_numeric(raw["value"], errors="coerce").astype("float64")
    fail_where(
        ~np.isfinite(value.to_numpy()),
        origin,
        rows,
        lambda i: f"value {raw['value'].iloc[i]!r} is not a number",
        "give the quarter's value in USD millions, or drop the row if it is not known",
    )
    fail_where(
        ((metric == "revenue") & (value <= 0)).to_numpy(),
        origin,
        rows,
        lambda i: f"revenue {value.iloc[i]:g} is not positive",
        "revenue is the quarter's sales in USD millions (above 0): check the sign and the unit",
    )
    check_tickers(ticker, origin, rows)
    timing = text_cells(raw["timing"]).replace("", "unknown")
    fail_where(
        ~timing.isin(TIMINGS),
        origin,
        rows,
        lambda i: f"timing {timing.iloc[i]!r} is not one of {', '.join(TIMINGS)}",
        "use after_close when unsure (it counts from the next day)",
    )
    fail_where(
        (public_date < period_end).to_numpy(),
        origin,
        rows,
        lambda i: (
            f"public_date {public_date.iloc[i].date()} is before period_end "
            f"{period_end.iloc[i].date()}"
        ),
        "a value cannot be public before its quarter ends: check both dates",
    )
    source = text_cells(raw["source"])
    source = source.where(source != "", [f"{origin} row {r}" for r in rows])
    table = pd.DataFrame(
        {
            "ticker": ticker.to_numpy(dtype=object),
            "metric": metric.to_numpy(dtype=object),
            "fiscal_period": fiscal_period.to_numpy(dtype=object),
            "period_end": period_end.to_numpy(),
            "value": value.to_numpy(),
            "public_date": public_date.to_numpy(),
            "known_from": [known_from(d, t) for d, t in zip(public_date, timing, strict=True)],
            "source": source.to_numpy(dtype=object),
        }
    )
    _reject_duplicates(table, origin, rows)
    return conform(table.sort_values(["ticker", "metric", "period_end"], kind="stable"))


def combine(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Fundamentals tables stacked and sorted by ticker, metric and period end."""
    tables = [t for t in tables if not t.empty]
    if not tables:
        return empty_fundamentals()
    stacked = pd.concat(tables, ignore_index=True)
    return conform(stacked.sort_values(["ticker", "metric", "period_end"], kind="stable"))


def conform(table: pd.DataFrame) -> pd.DataFrame:
    """The table with exactly the columns and dtypes of the empty fundamentals table."""
    empty = empty_fundamentals()
    table = table.reset_index(drop=True)
    return pd.DataFrame({c: table[c].astype(empty[c].dtype) for c in FUNDAMENTAL_COLUMNS})


def _reject_duplicates(table: pd.DataFrame, origin: str, rows: np.ndarray) -> None:
    keys = ["ticker", "metric", "period_end"]
    repeated = table.duplicated(keys, keep=False).to_numpy()
    if not repeated.any():
        return
    first = int(np.flatnonzero(repeated)[0])
    same = (table[keys] == table.loc[first, keys]).all(axis=1).to_numpy()
    where = " and ".join(str(r) for r in rows[same][:2])
    raise BadInputError(
        f"{origin}, rows {where}: both give {table.loc[first, 'ticker']} "
        f"{table.loc[first, 'metric']} for the quarter ending "
        f"{table.loc[first, 'period_end'].date()}; keep one row per ticker, metric and quarter "
        "(the value as first published)."
    )
