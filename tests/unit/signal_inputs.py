"""Builders of small synthetic point-in-time inputs for the signal tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from catalystlab.core.pit import (
    EVENT_COLUMNS,
    FUNDAMENTAL_COLUMNS,
    TIMINGS,
    SignalInputs,
    empty_events,
    empty_fundamentals,
    known_from,
)

RANDOM_TICKERS = ["AAA", "BBB", "CCC"]  # random_inputs gives CCC no data at all
RANDOM_METRICS = ("revenue", "operating_income", "capex")


def trading_days(start: str, end: str) -> pd.DatetimeIndex:
    """Weekdays from ``start`` to ``end`` (inclusive), named ``Date``."""
    return pd.DatetimeIndex(pd.bdate_range(start, end), name="Date")


def quarter(
    ticker: str,
    period_end: str,
    public_date: str,
    values: Mapping[str, float],
    *,
    timing: str = "after_close",
) -> list[dict]:
    """Fundamentals rows (one per metric) of one quarter published on ``public_date``."""
    published = pd.Timestamp(public_date)
    return [
        {
            "ticker": ticker,
            "metric": metric,
            "fiscal_period": pd.Timestamp(period_end).strftime("%YQ%q"),
            "period_end": pd.Timestamp(period_end),
            "value": float(value),
            "public_date": published,
            "known_from": known_from(published, timing),
            "source": "synthetic",
        }
        for metric, value in values.items()
    ]


def quarterly_series(
    ticker: str,
    first_period_end: str,
    values: Mapping[str, Sequence[float | None]],
    *,
    lag_days: int = 30,
    timing: str = "after_close",
) -> list[dict]:
    """Consecutive calendar quarters from ``first_period_end``, each published ``lag_days`` after
    its end; a None value leaves that metric's row out (a gap)."""
    count = len(next(iter(values.values())))
    rows: list[dict] = []
    for i in range(count):
        end = pd.Timestamp(first_period_end) + pd.offsets.QuarterEnd(i)
        present = {m: v[i] for m, v in values.items() if v[i] is not None}
        public = (end + pd.Timedelta(days=lag_days)).strftime("%Y-%m-%d")
        rows += quarter(ticker, end.strftime("%Y-%m-%d"), public, present, timing=timing)
    return rows


def fundamentals(rows: Iterable[Mapping]) -> pd.DataFrame:
    """A fundamentals table in the ``catalystlab.core.pit`` schema from row dicts."""
    rows = list(rows)
    if not rows:
        return empty_fundamentals()
    frame = pd.DataFrame(rows, columns=list(FUNDAMENTAL_COLUMNS))
    return frame.astype(empty_fundamentals().dtypes.to_dict())


def event(
    ticker: str,
    kind: str,
    event_date: str,
    *,
    timing: str = "intraday",
    headcount: float = np.nan,
    pct: float = np.nan,
    value_usd_bn: float = np.nan,
    status: str = "official",
) -> dict:
    """One events row; ``known_from`` follows ``timing``."""
    day = pd.Timestamp(event_date)
    return {
        "ticker": ticker,
        "kind": kind,
        "event_date": day,
        "timing": timing,
        "known_from": known_from(day, timing),
        "headcount": headcount,
        "pct": pct,
        "value_usd_bn": value_usd_bn,
        "status": status,
        "description": f"synthetic {kind}",
        "source": "synthetic",
        "confidence": "confirmed",
    }


def events(rows: Iterable[Mapping]) -> pd.DataFrame:
    """An events table in the ``catalystlab.core.pit`` schema from row dicts."""
    rows = list(rows)
    if not rows:
        return empty_events()
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    return frame.astype(empty_events().dtypes.to_dict())


def signal_inputs(
    calendar: pd.DatetimeIndex,
    *,
    tickers: Sequence[str] = ("AAA",),
    fundamental_rows: Iterable[Mapping] = (),
    event_rows: Iterable[Mapping] = (),
) -> SignalInputs:
    """SignalInputs on ``calendar`` with flat closes of 100 for ``tickers``."""
    close = pd.DataFrame(100.0, index=calendar, columns=list(tickers))
    return SignalInputs(
        calendar=calendar,
        close=close,
        fundamentals=fundamentals(fundamental_rows),
        events=events(event_rows),
    )


def random_inputs(seed: int, *, days: int, quarters: int, n_events: int) -> SignalInputs:
    """Synthetic inputs with the awkward cases of real data, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    calendar = trading_days("2019-01-01", "2023-12-29")[:days]
    calendar = calendar[rng.random(len(calendar)) > 0.03]  # some holidays
    calendar = pd.DatetimeIndex(calendar, name="Date")
    rows: list[dict] = []
    for ticker in RANDOM_TICKERS[:2]:
        first_end = pd.Timestamp("2017-03-31") + pd.offsets.QuarterEnd(int(rng.integers(0, 6)))
        shift = int(rng.integers(-3, 4))  # 52/53-week style period ends
        for i in range(quarters):
            end = first_end + pd.offsets.QuarterEnd(i) + pd.Timedelta(days=shift)
            published = end + pd.Timedelta(days=int(rng.integers(15, 80)))
            values = {
                "revenue": rng.uniform(50, 200),
                "operating_income": rng.uniform(-20, 40),
                "capex": rng.uniform(1, 30),
            }
            present = {m: v for m, v in values.items() if rng.random() > 0.12}  # gaps
            if present and rng.random() < 0.05:  # a row published without its value
                present[str(rng.choice(list(present)))] = np.nan
            late = {m: present.pop(m) for m in list(present) if rng.random() < 0.05}
            timing = str(rng.choice(TIMINGS))
            day = published.strftime("%Y-%m-%d")
            rows += quarter(ticker, end.strftime("%Y-%m-%d"), day, present, timing=timing)
            if late:  # a metric first published a few days later (the 10-Q after the release)
                later = (published + pd.Timedelta(days=int(rng.integers(1, 10)))).strftime(
                    "%Y-%m-%d"
                )
                rows += quarter(ticker, end.strftime("%Y-%m-%d"), later, late, timing=timing)
            if rng.random() < 0.1:  # a restatement in a later filing
                metric = str(rng.choice(RANDOM_METRICS))
                later = (published + pd.Timedelta(days=int(rng.integers(20, 200)))).strftime(
                    "%Y-%m-%d"
                )
                rows += quarter(
                    ticker, end.strftime("%Y-%m-%d"), later, {metric: rng.uniform(-10, 200)}
                )
    event_rows = []
    span = (calendar[-1] - calendar[0]).days + 60
    for _ in range(n_events):
        day = calendar[0] - pd.Timedelta(days=30) + pd.Timedelta(days=int(rng.integers(0, span)))
        event_rows.append(
            event(
                str(rng.choice(RANDOM_TICKERS)),
                str(rng.choice(["layoff", "layoff", "capex_guidance", "ai_product"])),
                day.strftime("%Y-%m-%d"),
                timing=str(rng.choice(TIMINGS)),
                headcount=float(rng.choice([np.nan, 100, 1000, 10_000])),
                pct=float(rng.choice([np.nan, 0.01, 0.05, 0.1])),
                value_usd_bn=float(rng.choice([np.nan, 50, 75, 100, 120])),
                status=str(rng.choice(["report", "official"])),
            )
        )
    close = pd.DataFrame(
        100 * np.exp(np.cumsum(rng.normal(0, 0.02, (len(calendar), len(RANDOM_TICKERS))), axis=0)),
        index=calendar,
        columns=RANDOM_TICKERS,
    )
    return SignalInputs(
        calendar=calendar, close=close, fundamentals=fundamentals(rows), events=events(event_rows)
    )


def change_days(series: pd.Series) -> list[pd.Timestamp]:
    """Trading days on which ``series`` differs from the day before (the first day excluded)."""
    moved = series.ne(series.shift(1))
    moved.iloc[0] = False
    return list(series.index[moved.to_numpy()])
