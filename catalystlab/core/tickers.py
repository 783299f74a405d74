"""Ticker symbols: the one check every config key, file name and table column goes through."""

from __future__ import annotations

import re

_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-^=]*$")


def parse_ticker(value: str) -> str:
    """Upper-case symbol, or ValueError for something that cannot be a ticker."""
    value = value.strip().upper()
    if not _TICKER.match(value):
        raise ValueError(f"{value!r} is not a ticker symbol")
    return value
