"""The vectorised engine against backtrader on the real snapshot (``../shared/data``).

AMZN and SPY over their whole common history (1997 on), read through the project's loaders,
for three schedules: buy-and-hold AMZN, a 60/40 AMZN/SPY basket rebalanced monthly, and an
on/off switch (AMZN while its close is above its 200-day average at that close, else SPY).
Both engines must give the same equity bit for bit, with and without costs (see the unit
tests for why no tolerance is needed), hence daily returns within 1e-9 relative.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from catalystlab.core.pit import SignalInputs
from catalystlab.engine.backtest import Costs, run_backtest
from catalystlab.engine.vectorised import run_vectorised
from catalystlab.inputs.prices.align import AlignedPrices, align_prices
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from strategies.base import ScheduleContext
from strategies.basket import BasketParams, rebalanced_basket
from strategies.buy_and_hold import BuyAndHoldParams, buy_and_hold

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def aligned(shared_data: Path) -> AlignedPrices:
    source = CsvPriceSource(shared_data)
    return align_prices({t: source.load(t) for t in ("AMZN", "SPY")}, start=None, end=None)


def _switch(aligned: AlignedPrices) -> pd.DataFrame:
    close = aligned.close()["AMZN"]
    on = (close > close.rolling(200).mean()).astype(float)
    changes = on.ne(on.shift(1))
    schedule = pd.DataFrame(np.nan, index=aligned.calendar, columns=["AMZN", "SPY"])
    schedule.loc[changes, "AMZN"] = on[changes]
    schedule.loc[changes, "SPY"] = 1.0 - on[changes]
    return schedule


def _schedule(kind: str, aligned: AlignedPrices) -> pd.DataFrame:
    context = ScheduleContext(inputs=SignalInputs(calendar=aligned.calendar, close=aligned.close()))
    if kind == "buy_and_hold":
        return buy_and_hold(context, BuyAndHoldParams(ticker="AMZN"))
    if kind == "monthly_basket":
        return rebalanced_basket(context, BasketParams(weights={"AMZN": 0.6, "SPY": 0.4}))
    return _switch(aligned)


@pytest.mark.parametrize(
    ("kind", "least_fills"),
    [("buy_and_hold", 1), ("monthly_basket", 600), ("switch", 300)],
)
@pytest.mark.parametrize(
    "costs", [Costs(), Costs(commission=0.0005, slippage=0.001)], ids=["no costs", "costs"]
)
def test_vectorised_engine_equals_backtrader_on_amzn_and_spy(aligned, kind, least_fills, costs):
    schedule = _schedule(kind, aligned)
    kwargs = {"schedule": schedule, "prices": aligned.frames, "cash": 1e6, "costs": costs}
    fast, engine = run_vectorised(**kwargs), run_backtest(**kwargs)
    assert len(schedule) > 7000
    assert engine.rejected_orders == 0
    assert fast.equity.index.equals(engine.equity.index)
    np.testing.assert_array_equal(fast.equity.to_numpy(), engine.equity.to_numpy())
    np.testing.assert_allclose(fast.returns, engine.returns, rtol=1e-9, atol=0.0)
    assert len(fast.trades) == len(engine.trades) >= least_fills
    for column in ("Date", "ticker", "side", "size", "commission"):
        assert list(fast.trades[column]) == list(engine.trades[column])
