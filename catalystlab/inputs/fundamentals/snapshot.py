"""Adapters for the reference data snapshot's fundamentals: ``DIR/fundamentals/*.csv``.

The three files and their formats are described in the snapshot's README; this module reads
them as that README says:

- ``amzn_quarterly.csv`` (Amazon): quarter rows only; the ``FY....`` rows are annual totals
  and are not quarters. Values are USD millions. Amazon releases after the US close, so
  ``public_date`` is ``release_date`` with timing ``after_close`` (first usable on the next
  session). A blank cell (e.g. capex that could not be verified) stays missing: no row.
  Capex marked NET in the file (2015-2016) says so in ``source``.
- ``peers_quarterly.csv`` (MSFT, META, GOOGL, NVDA): ``available_date_kind`` ``release``
  (earnings release, after the close) or ``filed`` (SEC filing, time unknown): both count from
  the next day. Blank cells stay missing.
- ``sec_quarterly_long.csv`` (long format, USD): converted to USD millions. It only ADDS
  (ticker, metric, quarter) cells the two files above lack: a quarter those files list (even
  with the cell blank, which they do on purpose when a value could not be verified) is never
  filled from it. Rows with ``available_date_suspect=True`` are kept (their date is a later
  filing's: too late, never too early) and say so in ``source``. Rows without an
  ``available_date`` (SEC "frames" values) cannot be placed in time and are left out, and so
  is ``shares_outstanding`` (a share count, not USD). Where it repeats a quarter, the row
  with the earliest ``available_date`` is kept.
- Values the two preferred files mark as rounded or approximate in ``confidence`` (Amazon's
  operating income of 2021-2023 rounded to $10M, Q1 2026 sales to $100M) are replaced by
  sec_quarterly_long's exact value of the same quarter when the two agree within that
  rounding; the date stays the release date (the release printed the exact figure) and
  ``source`` names both.

Quarters are matched by the month their period ends in (nearest month end), because this file
dates some NVIDIA quarters by month end (2020-07-31) where the company's quarter ended on
2020-07-26.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.csvrows import check_columns, parse_dates, read_csv_text
from catalystlab.inputs.fundamentals.periods import (
    fiscal_quarter_label,
    fiscal_year_end_month,
    nearest_month_end,
)
from catalystlab.inputs.fundamentals.table import RAW_COLUMNS, build_fundamentals, combine
from catalystlab.inputs.fundamentals.tags import METRIC_TAGS, net_capex_note

SNAPSHOT_FILES: tuple[str, ...] = (
    "amzn_quarterly.csv",
    "peers_quarterly.csv",
    "sec_quarterly_long.csv",
)
_SCHEMA = "see the data snapshot's README.md for this file's format"
_ANNUAL = re.compile(r"^FY\d{4}$")
_QUARTER = re.compile(r"^(FY)?\d{4}Q[1-4]$")
_NOT_USD = frozenset({"shares_outstanding"})
_KEY = ["ticker", "metric", "month"]


def snapshot_fundamental_paths(data_dir: str | Path) -> list[Path]:
    """The snapshot's three fundamentals files under ``data_dir``, in the order of
    :data:`SNAPSHOT_FILES`; DataUnavailableError naming any that is missing."""
    folder = Path(data_dir) / "fundamentals"
    paths = [folder / name for name in SNAPSHOT_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DataUnavailableError(
            f"--data-dir {data_dir}: no fundamentals file {', '.join(missing)}; put the "
            f"snapshot's {', '.join(SNAPSHOT_FILES)} in {folder}, or point --data-dir at the "
            "snapshot folder."
        )
    return paths


def load_snapshot_fundamentals(data_dir: str | Path) -> pd.DataFrame:
    """The point-in-time fundamentals table of the snapshot under ``data_dir``.

    Reads ``data_dir/fundamentals/{amzn_quarterly,peers_quarterly,sec_quarterly_long}.csv``
    (see the module docs for how). Values are quarter values in USD millions.
    """
    amzn_path, peers_path, sec_path = snapshot_fundamental_paths(data_dir)
    amzn, peers = read_amzn_quarterly(amzn_path), read_peers_quarterly(peers_path)
    listed = pd.concat([amzn, peers], ignore_index=True)
    year_ends = {
        ticker: fiscal_year_end_month(rows["period_end"], rows["fiscal_period"]) or 12
        for ticker, rows in listed.groupby("ticker")
    }
    sec = read_sec_quarterly_long(sec_path, fiscal_year_end_months=year_ends)
    amzn, peers = (_exact_where_rounded(raw, sec) for raw in (amzn, peers))
    sec = sec[~_keys(sec).isin(_keys(listed))]
    tables = [
        build_fundamentals(raw.loc[raw["value"].notna(), list(RAW_COLUMNS)], origin=str(path))
        for raw, path in ((amzn, amzn_path), (peers, peers_path), (sec, sec_path))
    ]
    combined = combine(tables)
    repeated = combined.duplicated(["ticker", "metric", "period_end"], keep=False)
    if repeated.any():
        row = combined[repeated].iloc[0]
        raise BadInputError(
            f"{Path(data_dir) / 'fundamentals'}: {row['ticker']} {row['metric']} for the "
            f"quarter ending {row['period_end'].date()} is in more than one of "
            f"{', '.join(SNAPSHOT_FILES[:2])}; keep it in one file."
        )
    return combined


def read_amzn_quarterly(path: Path) -> pd.DataFrame:
    """Raw rows (one per quarter and metric, blank cells as NaN values) of amzn_quarterly.csv."""
    frame = read_csv_text(path)
    check_columns(
        frame,
        path,
        required=(
            "fiscal_quarter",
            "period_end",
            "release_date",
            "filing_date",
            "net_sales_usd_m",
            "operating_income_usd_m",
            "capex_usd_m",
            "capex_derivation",
            "source",
            "confidence",
        ),
        schema=_SCHEMA,
    )
    frame = _quarter_rows(frame, path)
    frame["ticker"] = "AMZN"
    frame["public_date"] = _dates(frame, "release_date", path)
    frame["timing"] = "after_close"
    frame["date_note"] = "release after the close"
    derivation = frame["capex_derivation"].fillna("").str.strip()
    capex_note = derivation.where(
        ~derivation.str.contains(r"\bNET\b"),
        "NET of incentives (not gross purchases): " + derivation,
    )
    return _wide_to_raw(
        frame,
        path,
        {
            "revenue": ("net_sales_usd_m", "sales", None),
            "operating_income": ("operating_income_usd_m", "oi", None),
            "capex": ("capex_usd_m", "capex", capex_note),
        },
    )


def read_peers_quarterly(path: Path) -> pd.DataFrame:
    """Raw rows (one per quarter and metric, blank cells as NaN values) of peers_quarterly.csv."""
    frame = read_csv_text(path)
    check_columns(
        frame,
        path,
        required=(
            "ticker",
            "fiscal_quarter",
            "period_end",
            "available_date",
            "available_date_kind",
            "revenue_usd_m",
            "operating_income_usd_m",
            "capex_usd_m",
            "source",
            "confidence",
        ),
        schema=_SCHEMA,
    )
    frame = _quarter_rows(frame, path)
    frame["ticker"] = frame["ticker"].str.strip().str.upper()
    kind = frame["available_date_kind"].fillna("").str.strip()
    timings = {"release": "after_close", "filed": "unknown"}
    bad = ~kind.isin(list(timings))
    if bad.any():
        row = frame.loc[bad, "row"].iloc[0]
        raise BadInputError(
            f"{path}, row {row}: available_date_kind {kind[bad].iloc[0]!r} is neither "
            "'release' nor 'filed'; use one of them."
        )
    frame["public_date"] = _dates(frame, "available_date", path)
    frame["timing"] = kind.map(timings)
    frame["date_note"] = kind.map({"release": "earnings release", "filed": "SEC filing date"})
    return _wide_to_raw(
        frame,
        path,
        {
            "revenue": ("revenue_usd_m", "rev", None),
            "operating_income": ("operating_income_usd_m", "oi", None),
            "capex": ("capex_usd_m", "capex", None),
        },
    )


def read_sec_quarterly_long(path: Path, *, fiscal_year_end_months: dict[str, int]) -> pd.DataFrame:
    """Raw rows of sec_quarterly_long.csv in USD millions (see the module docs for what is left
    out). ``fiscal_year_end_months`` gives each ticker's fiscal-year end month for the
    ``fiscal_period`` labels (default December)."""
    frame = read_csv_text(path)
    check_columns(
        frame,
        path,
        required=(
            "ticker",
            "period_end",
            "metric",
            "value_usd",
            "available_date",
            "date_semantics",
            "source",
            "note",
            "days_to_available",
            "available_date_suspect",
        ),
        schema=_SCHEMA,
    )
    frame = frame[frame["available_date"].notna() & ~frame["metric"].isin(list(_NOT_USD))]
    frame = frame.reset_index(drop=True)
    frame["ticker"] = frame["ticker"].str.strip().str.upper()
    frame["period_end"] = parse_dates(
        frame["period_end"], "period_end", str(path), frame["row"].to_numpy()
    )
    value = pd.to_numeric(frame["value_usd"], errors="coerce")
    frame["value"] = (value / 1e6).where(value.notna(), frame["value_usd"])
    suspect = frame["available_date_suspect"].fillna("").str.strip().str.lower()
    note = frame["note"].fillna("")
    capex_tag = note.str.extract(f"({'|'.join(METRIC_TAGS['capex'])})", expand=False).fillna("")
    net = [
        net_capex_note(t, tag) if m == "capex" else ""
        for t, m, tag in zip(frame["ticker"], frame["metric"], capex_tag, strict=True)
    ]
    frame["source"] = (
        pd.Series(net, index=frame.index, dtype=object)
        + f"{path.name} row "
        + frame["row"].astype(str)
        + " ("
        + frame["date_semantics"].fillna("")
        + suspect.map({"true": "; available_date_suspect: dated by a later filing"}).fillna("")
        + ")"
        + note.map(lambda text: f"; {text}" if text else "")
        + "; "
        + frame["source"].fillna("")
    )
    frame["fiscal_period"] = [
        fiscal_quarter_label(day, fiscal_year_end_months.get(ticker, 12))
        for ticker, day in zip(frame["ticker"], frame["period_end"], strict=True)
    ]
    frame["public_date"] = _dates(frame, "available_date", path)
    frame["timing"] = "unknown"
    frame["month"] = frame["period_end"].map(nearest_month_end)
    public = pd.to_datetime(frame["public_date"], errors="coerce", format="ISO8601")
    frame = frame.assign(_public=public).sort_values(["_public", "row"], kind="stable")
    frame = frame.drop_duplicates(_KEY, keep="first").sort_values("row", kind="stable")
    return frame.loc[:, [*RAW_COLUMNS, "month"]].reset_index(drop=True)


def _quarter_rows(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The quarter rows (annual ``FY2024`` rows dropped), period_end parsed; bad labels fail."""
    label = frame["fiscal_quarter"].fillna("").str.strip()
    frame = frame[~label.str.match(_ANNUAL)].reset_index(drop=True)
    label = frame["fiscal_quarter"].fillna("").str.strip()
    bad = ~label.str.match(_QUARTER)
    if bad.any():
        raise BadInputError(
            f"{path}, row {frame.loc[bad, 'row'].iloc[0]}: fiscal_quarter "
            f"{label[bad].iloc[0]!r} is neither a quarter (2024Q4, FY2025Q1) nor a year "
            "(FY2024); fix the label."
        )
    frame["fiscal_period"] = label
    frame["period_end"] = parse_dates(
        frame["period_end"], "period_end", str(path), frame["row"].to_numpy()
    )
    return frame


def _dates(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """``column`` as dates, a bad cell reported under its own name and file row (once, before
    the wide file becomes one row per metric)."""
    return parse_dates(frame[column], column, str(path), frame["row"].to_numpy())


def _wide_to_raw(
    frame: pd.DataFrame, path: Path, metrics: dict[str, tuple[str, str, pd.Series | None]]
) -> pd.DataFrame:
    """One raw row per quarter and metric from a wide file (value NaN where the cell is blank).

    ``metrics`` maps a metric to (value column, its key in the ``confidence`` cell, an
    optional per-row note for ``source``).
    """
    confidence = frame["confidence"].fillna("").map(_confidence_fields)
    parts = []
    for metric, (column, key, note) in metrics.items():
        fields = confidence.map(lambda cell, k=key: cell.get(k, ""))
        described = (
            f"{path.name} row "
            + frame["row"].astype(str)
            + f" {column} ("
            + fields.replace("", "?")
            + "; date: "
            + frame["date_note"]
            + ")"
        )
        if note is not None:
            described = note.map(lambda text: f"{text} | " if text else "") + described
        parts.append(
            frame.assign(
                metric=metric,
                value=frame[column],
                source=described + "; " + frame["source"].fillna(""),
                month=frame["period_end"].map(nearest_month_end),
                rounding=fields.map(_rounding_usd_m),
            )
        )
    raw = pd.concat(parts, ignore_index=True)
    return raw.loc[:, [*RAW_COLUMNS, "month", "rounding"]]


def _rounding_usd_m(confidence: str) -> float:
    """How far (USD millions) a value its confidence marks as rounded or approximate may be
    from the exact one: the stated unit (``rounded_10M`` -> 10), else 10 for ``rounded`` and
    20 for ``approx`` (the README's +/-20); NaN for an exact value."""
    unit = re.search(r"rounded_(\d+)M", confidence)
    if unit:
        return float(unit.group(1))
    if "rounded" in confidence:
        return 10.0
    return 20.0 if "approx" in confidence else float("nan")


def _exact_where_rounded(raw: pd.DataFrame, sec: pd.DataFrame) -> pd.DataFrame:
    """Rounded or approximate values replaced by sec_quarterly_long's exact value of the same
    quarter when the two agree within the rounding; the date stays the preferred file's
    (the release showed the exact figure, the file's compiler rounded it)."""
    exact = pd.to_numeric(sec.set_index(_KEY)["value"], errors="coerce")
    exact_source = sec.set_index(_KEY)["source"]
    keys = _keys(raw)
    found = exact.reindex(keys).to_numpy()
    value = pd.to_numeric(raw["value"], errors="coerce").to_numpy()
    use = (abs(found - value) <= raw["rounding"].to_numpy()) & (found != value)
    if not use.any():
        return raw
    raw = raw.assign(value=raw["value"].astype(object))
    rounded = raw.loc[use, "value"].astype(str)
    raw.loc[use, "source"] = (
        "exact value (rounded to "
        + rounded
        + " in the file after '|') from "
        + exact_source.reindex(keys[use]).to_numpy()
        + " | "
        + raw.loc[use, "source"]
    )
    raw.loc[use, "value"] = found[use]
    return raw


def _confidence_fields(cell: str) -> dict[str, str]:
    """``'sales=confirmed;oi=confirmed_rounded_10M'`` -> {'sales': 'confirmed', ...}."""
    pairs = (part.split("=", 1) for part in cell.split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}


def _keys(raw: pd.DataFrame) -> pd.MultiIndex:
    """(ticker, metric, month of period end) of each raw row."""
    return pd.MultiIndex.from_frame(raw[_KEY])
