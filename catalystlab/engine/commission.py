"""Commission scheme for stocks with fractional shares and a percentage commission."""

from __future__ import annotations

import backtrader as bt


class FractionalStockCommission(bt.CommInfoBase):
    """Commission as a fraction of traded value (0.0005 = 5 bp); sizes are not rounded."""

    params = (
        ("stocklike", True),
        ("commtype", bt.CommInfoBase.COMM_PERC),
        ("percabs", True),
    )

    def getsize(self, price: float, cash: float) -> float:
        """Fractional number of shares ``cash`` buys at ``price`` (before commission)."""
        return self.p.leverage * (cash / price)
