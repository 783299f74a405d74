"""Fundamentals from SEC EDGAR: ticker -> CIK, then each company's ``companyfacts`` JSON.

Usage::

    source = EdgarFundamentalsSource(client=EdgarClient(user_agent="Jane Doe jane@example.com"))
    table = source.load(["AMZN", "MSFT"])  # revenue, operating_income, capex

The client (:class:`~catalystlab.inputs.fundamentals.edgar_http.EdgarClient`) caches both documents
on disk, sends at most 10 requests per second with the User-Agent SEC asks for, and retries
rate limits and network errors. Parsing rules (year-to-date differencing, first-filed dates)
are in :mod:`catalystlab.inputs.fundamentals.edgar_parse`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from catalystlab.core.errors import DataUnavailableError
from catalystlab.inputs.fundamentals.edgar_http import EdgarClient
from catalystlab.inputs.fundamentals.edgar_parse import DEFAULT_METRICS, parse_companyfacts
from catalystlab.inputs.fundamentals.table import combine

TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"
COMPANYFACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK{cik:010d}.json"


class EdgarFundamentalsSource:
    """Point-in-time quarterly fundamentals of listed US companies from SEC EDGAR.

    ``client`` downloads and caches (None: an :class:`EdgarClient` with the User-Agent from
    ``$SEC_USER_AGENT`` and the default cache folder).
    """

    def __init__(self, *, client: EdgarClient | None = None) -> None:
        self._client = client if client is not None else EdgarClient()
        self._ciks: dict[str, int] | None = None

    def cik(self, ticker: str) -> int:
        """SEC's central index key of ``ticker`` (class shares as ``BRK-B`` or ``BRK.B``)."""
        if self._ciks is None:
            self._ciks = _ticker_map(self._client.get_json(TICKERS_URL, "company_tickers.json"))
        symbol = ticker.strip().upper().replace(".", "-")
        if symbol not in self._ciks:
            raise DataUnavailableError(
                f"SEC's ticker list ({TICKERS_URL}) has no {ticker!r}; check the symbol "
                "(it lists current listings only; class shares are written BRK-B)."
            )
        return self._ciks[symbol]

    def companyfacts(self, ticker: str) -> dict[str, Any]:
        """The ``companyfacts`` JSON document of ``ticker``."""
        cik = self.cik(ticker)
        document = self._client.get_json(
            COMPANYFACTS_URL.format(cik=cik), f"companyfacts/CIK{cik:010d}.json"
        )
        if not isinstance(document, dict) or not isinstance(document.get("facts"), dict):
            raise DataUnavailableError(
                f"SEC's companyfacts of {ticker} (CIK {cik}) has no 'facts'; the company may "
                "not file XBRL financial statements."
            )
        return document

    def load(
        self, tickers: Iterable[str], *, metrics: Sequence[str] = DEFAULT_METRICS
    ) -> pd.DataFrame:
        """The fundamentals table of ``tickers`` (quarter values in USD millions)."""
        tables = [
            parse_companyfacts(self.companyfacts(t), ticker=t, metrics=metrics)
            for t in dict.fromkeys(t.strip().upper() for t in tickers)
        ]
        return combine(tables)


def _ticker_map(document: Any) -> dict[str, int]:
    """{'AMZN': 1018724, ...} from SEC's company_tickers.json."""
    try:
        return {str(entry["ticker"]).upper(): int(entry["cik_str"]) for entry in document.values()}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise DataUnavailableError(
            f"{TICKERS_URL} is not in the expected format ({{'0': {{'cik_str', 'ticker', "
            "'title'}, ...}); SEC may have changed it."
        ) from None
