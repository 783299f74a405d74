"""Ticker symbols: the one check every config key, file name and table column goes through.

Symbols follow Yahoo Finance's (yfinance's) spelling: letters and digits, with ``.`` for an
exchange suffix or share class (``7203.T``, ``BRK.B``), ``-`` (``BRK-B``, ``BTC-USD``), ``=``
for futures and currencies (``GC=F``, ``EURUSD=X``) and a leading ``^`` for an index
(``^GSPC``, ``^IXIC``). A symbol is also a file name (``prices/^GSPC.csv``): it never holds a
path separator, NUL or ``..``, and it is at most ``MAX_TICKER_LENGTH`` characters long.
"""

from __future__ import annotations

import re
from pathlib import Path

from catalystlab.core.errors import BadInputError

MAX_TICKER_LENGTH = 20
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]*$")


def parse_ticker(value: str) -> str:
    """Upper-case symbol, or ValueError (one sentence with an example) for something that
    cannot be a ticker or could name a path outside a data folder."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a ticker symbol (write it as text, e.g. SPY)")
    symbol = value.strip().upper()
    if not symbol or len(symbol) > MAX_TICKER_LENGTH:
        raise ValueError(
            f"{value!r} is not a ticker symbol: give 1 to {MAX_TICKER_LENGTH} characters "
            "(e.g. SPY, ^GSPC, BRK-B, BTC-USD, 7203.T)"
        )
    if not _TICKER.match(symbol) or ".." in symbol or symbol.endswith("."):
        raise ValueError(
            f"{value!r} is not a ticker symbol: use letters, digits, '.', '-', '=' and a "
            "leading '^' for an index, as Yahoo Finance spells it (e.g. ^GSPC, BRK-B, 7203.T)"
        )
    return symbol


def is_price_index(ticker: str) -> bool:
    """True for an index symbol (``^GSPC``): a price index, without dividends reinvested."""
    return ticker.startswith("^")


def ticker_slug(ticker: str) -> str:
    """A lower-case strategy id for holding ``ticker`` (``^GSPC`` -> ``index_gspc``,
    ``7203.T`` -> ``7203_t``, ``BTC-USD`` -> ``btc-usd``)."""
    symbol = parse_ticker(ticker).lower()
    prefix = "index_" if symbol.startswith("^") else ""
    return prefix + re.sub(r"[^a-z0-9\-]", "_", symbol.lstrip("^"))


def ticker_file(folder: Path, ticker: str, suffix: str) -> Path:
    """``folder/<TICKER><suffix>``, after checking that the symbol is valid and that the
    file lies directly inside ``folder`` (BadInputError otherwise): no symbol can name a path
    outside a data folder or the cache."""
    try:
        symbol = parse_ticker(ticker)
    except ValueError as error:
        raise BadInputError(str(error) + ".") from None
    if symbol != ticker:
        raise BadInputError(f"{ticker!r}: write ticker symbols in upper case ({symbol}).")
    path = folder / f"{symbol}{suffix}"
    if path.parent != folder or Path(path.name).name != path.name:
        raise BadInputError(f"{ticker!r} would name a file outside {folder}.")
    return path
