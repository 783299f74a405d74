"""The price-source contract shared by the CSV folder, yfinance and the cache."""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from catalystlab.inputs.prices.frame import LoadedPrices


class PriceSource(Protocol):
    """Anything that returns validated daily prices of one ticker.

    ``start`` and ``end`` are inclusive exchange dates (None: as far as the source goes). A
    source may return more rows than asked; callers slice. Raises DataUnavailableError when
    the ticker cannot be had and BadInputError when what it has is malformed.
    """

    def load(
        self, ticker: str, *, start: pd.Timestamp | None, end: pd.Timestamp | None
    ) -> LoadedPrices: ...
