"""Run a market-model event study: per-event CARs, group tests, placebo and CAR paths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.eventstudy.market_model import (
    MarketModelFits,
    WindowCars,
    fit_market_model,
    window_cars,
)
from catalystlab.analysis.eventstudy.params import EventStudyParams, Window, window_label
from catalystlab.analysis.eventstudy.paths import abnormal_path
from catalystlab.analysis.eventstudy.placebo import placebo_cars
from catalystlab.analysis.eventstudy.significance import summarise
from catalystlab.analysis.eventstudy.timing import event_positions, reaction_dates
from catalystlab.core.errors import BadInputError

CAR_COLUMNS: tuple[str, ...] = (
    "event_id",
    "ticker",
    "event_day",
    "window",
    "window_start",
    "window_end",
    "n_estimation",
    "alpha",
    "beta",
    "resid_sd",
    "nearby_events",
    "car",
    "car_sd",
    "scar",
)
SKIPPED_COLUMNS: tuple[str, ...] = ("event_id", "ticker", "known_from", "window", "reason")


@dataclass(frozen=True)
class EventStudyResult:
    """Tidy outputs of :func:`run_event_study` (CARs and returns are fractions).

    - ``cars``: one row per analysed (event, window): ``CAR_COLUMNS`` followed by the events
      table's own columns. ``alpha`` is the market model's daily intercept, ``resid_sd`` its
      daily residual sd, ``n_estimation`` the days it was fitted on, ``car_sd`` the CAR's
      standard deviation under the null and ``scar`` = car / car_sd. ``nearby_events`` counts
      the company's OTHER events whose event day falls in this event's estimation or event
      window (non-zero: the fit or the CAR also carries another event).
    - ``summary``: one row per (group, window), groups = each ticker and ``"pooled"``; see
      :mod:`catalystlab.analysis.eventstudy.significance` for the columns and tests.
    - ``paths``: one row per (analysed event, offset): ``event_id``, ``ticker``, ``offset``,
      ``ar``, ``car`` (cumulative from the earliest window start).
    - ``skipped``: one row per event (``window`` = ``"all"``) or (event, window) left out,
      with the reason.
    - ``placebo``: per window label, the placebo CARs (one row per draw, one column per
      ``event_id``); empty when ``params.placebo_draws`` is 0.
    """

    cars: pd.DataFrame
    summary: pd.DataFrame
    paths: pd.DataFrame
    skipped: pd.DataFrame
    placebo: dict[str, pd.DataFrame]
    params: EventStudyParams

    def pooled_placebo_means(self) -> pd.DataFrame:
        """The pooled placebo mean CAR per (window, draw): columns window, draw, mean_car."""
        frames = [
            pd.DataFrame(
                {
                    "window": label,
                    "draw": draws.index,
                    "mean_car": draws.mean(axis=1, skipna=False).to_numpy(),
                }
            )
            for label, draws in self.placebo.items()
        ]
        if not frames:
            return pd.DataFrame(columns=["window", "draw", "mean_car"])
        return pd.concat(frames, ignore_index=True)


def run_event_study(
    stock_returns: pd.DataFrame,
    market_returns: pd.Series,
    events: pd.DataFrame,
    *,
    seed: int,
    params: EventStudyParams | None = None,
) -> EventStudyResult:
    """Market-model event study of ``events`` (see :mod:`catalystlab.analysis.eventstudy`).

    ``stock_returns``: simple daily returns, one column per ticker, indexed by trading day
    (NaN where a stock has no return); ``market_returns``: the market's (e.g. SPY) on the same
    days; ``events``: one row per event with at least ``ticker`` and ``known_from``
    (:mod:`catalystlab.core.pit`). ``seed`` drives the placebo draws.
    """
    params = params or EventStudyParams()
    _check(stock_returns, market_returns, events)
    calendar = pd.DatetimeIndex(stock_returns.index)
    market = market_returns.to_numpy(dtype=float)
    events = events.reset_index(drop=True)
    positions = event_positions(reaction_dates(events), calendar)
    tickers = sorted({t for t in events["ticker"] if t in stock_returns.columns})
    own_positions = {
        t: positions[(events["ticker"] == t).to_numpy() & (positions >= 0)] for t in tickers
    }
    stocks = {t: stock_returns[t].to_numpy(dtype=float) for t in tickers}
    fits = {
        t: fit_market_model(stocks[t], market, params.estimation, min_obs=params.min_obs)
        for t in tickers
    }
    window_results = {
        (t, w): window_cars(fits[t], stocks[t], market, w) for t in tickers for w in params.windows
    }

    skipped_rows, analysed = [], []
    for event_id, (ticker, position) in enumerate(zip(events["ticker"], positions, strict=True)):
        reason = _event_problem(ticker, position, stocks, fits, params)
        if reason:
            skipped_rows.append(_skip(event_id, events, "all", reason))
        else:
            analysed.append(event_id)
    car_rows = []
    for window in params.windows:
        for event_id in analysed:
            ticker, position = events.at[event_id, "ticker"], int(positions[event_id])
            cars = window_results[ticker, window]
            if np.isnan(cars.car[position]):
                reason = _window_problem(position, window, len(calendar))
                skipped_rows.append(_skip(event_id, events, window_label(window), reason))
                continue
            fit = fits[ticker]
            car_rows.append(
                {
                    "event_id": event_id,
                    "ticker": ticker,
                    "event_day": calendar[position],
                    "window": window_label(window),
                    "window_start": window[0],
                    "window_end": window[1],
                    "n_estimation": int(fit.n_obs[position]),
                    "alpha": float(fit.alpha[position]),
                    "beta": float(fit.beta[position]),
                    "resid_sd": float(fit.resid_sd[position]),
                    "nearby_events": _nearby(own_positions[ticker] - position, window, params),
                    "car": float(cars.car[position]),
                    "car_sd": float(cars.car_sd[position]),
                    "scar": float(cars.scar[position]),
                }
            )

    cars = _cars_frame(car_rows, events)
    placebo = _placebo(cars, window_results, own_positions, params, seed)
    return EventStudyResult(
        cars=cars,
        summary=summarise(cars, by="ticker", placebo=placebo),
        paths=_paths(analysed, events, positions, stocks, market, fits, params),
        skipped=pd.DataFrame(skipped_rows, columns=list(SKIPPED_COLUMNS)),
        placebo=placebo,
        params=params,
    )


def _check(stock_returns: pd.DataFrame, market_returns: pd.Series, events: pd.DataFrame) -> None:
    missing = [c for c in ("ticker", "known_from") if c not in events.columns]
    if missing:
        raise BadInputError(
            f"The events table lacks column(s) {', '.join(missing)}; give every event its "
            "ticker and known_from date (catalystlab.core.pit)."
        )
    if not isinstance(stock_returns.index, pd.DatetimeIndex):
        raise BadInputError("The stock returns must be indexed by trading day (a DatetimeIndex).")
    if not (stock_returns.index.is_monotonic_increasing and stock_returns.index.is_unique):
        raise BadInputError("The stock returns' trading days must be ascending and unique.")
    if not market_returns.index.equals(stock_returns.index):
        raise BadInputError(
            "The market returns are not on the stock returns' trading days; align them on one "
            "calendar first."
        )


def _event_problem(
    ticker: str,
    position: int,
    stocks: dict[str, np.ndarray],
    fits: dict[str, MarketModelFits],
    params: EventStudyParams,
) -> str:
    """Why an event cannot be studied at all ('' when it can)."""
    if ticker not in stocks:
        return f"no returns for {ticker}"
    if position < 0:
        return "its date is missing or after the last trading day of the data"
    if np.isnan(fits[ticker].alpha[position]):
        first = params.estimation[0]
        if position + first < 0:
            return (
                f"too close to the data start: the estimation window needs {-first} trading "
                f"days before the event day, the data has {position}"
            )
        return (
            f"fewer than {params.min_obs} days with stock and market returns in "
            "the estimation window"
        )
    return ""


def _window_problem(position: int, window: Window, n_days: int) -> str:
    if position + window[1] >= n_days:
        return (
            f"too close to the data end: the window needs {window[1]} trading days after the "
            f"event day, the data has {n_days - 1 - position}"
        )
    return "a stock or market return is missing in the window"


def _skip(event_id: int, events: pd.DataFrame, window: str, reason: str) -> dict[str, object]:
    return {
        "event_id": event_id,
        "ticker": events.at[event_id, "ticker"],
        "known_from": events.at[event_id, "known_from"],
        "window": window,
        "reason": reason,
    }


def _nearby(offsets: np.ndarray, window: Window, params: EventStudyParams) -> int:
    """Other events at ``offsets`` (days from this one) in its estimation or event window."""
    first, last = params.estimation
    inside = ((offsets >= first) & (offsets <= last)) | (
        (offsets >= window[0]) & (offsets <= window[1])
    )
    return int(np.sum(inside)) - 1  # the event itself sits at offset 0


def _cars_frame(rows: list[dict[str, object]], events: pd.DataFrame) -> pd.DataFrame:
    """Per-event CAR rows joined with the events table's own columns."""
    cars = pd.DataFrame(rows, columns=list(CAR_COLUMNS))
    extra = [c for c in events.columns if c not in CAR_COLUMNS]
    return cars.join(events[extra], on="event_id")


def _placebo(
    cars: pd.DataFrame,
    window_results: dict[tuple[str, Window], WindowCars],
    own_positions: dict[str, np.ndarray],
    params: EventStudyParams,
    seed: int,
) -> dict[str, pd.DataFrame]:
    if params.placebo_draws == 0:
        return {}
    rng = np.random.default_rng(seed)
    placebo = {}
    for window in params.windows:
        label = window_label(window)
        in_window = cars[cars["window"] == label]
        if in_window.empty:
            continue
        placebo[label] = placebo_cars(
            in_window,
            {t: window_results[t, window].car for t in in_window["ticker"].unique()},
            own_positions,
            draws=params.placebo_draws,
            exclusion=params.exclusion,
            rng=rng,
        )
    return placebo


def _paths(
    analysed: list[int],
    events: pd.DataFrame,
    positions: np.ndarray,
    stocks: dict[str, np.ndarray],
    market: np.ndarray,
    fits: dict[str, MarketModelFits],
    params: EventStudyParams,
) -> pd.DataFrame:
    offsets = np.arange(
        min(start for start, _ in params.windows), max(end for _, end in params.windows) + 1
    )
    frames = []
    for event_id in analysed:
        ticker, position = events.at[event_id, "ticker"], int(positions[event_id])
        ar, car = abnormal_path(
            stocks[ticker],
            market,
            position=position,
            alpha=float(fits[ticker].alpha[position]),
            beta=float(fits[ticker].beta[position]),
            offsets=offsets,
        )
        frames.append(
            pd.DataFrame(
                {"event_id": event_id, "ticker": ticker, "offset": offsets, "ar": ar, "car": car}
            )
        )
    if not frames:
        return pd.DataFrame(columns=["event_id", "ticker", "offset", "ar", "car"])
    return pd.concat(frames, ignore_index=True)
