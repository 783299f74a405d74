"""Which companies an article names, and how: ticker mentions found in its text.

Recognised forms (each mention keeps the words it was read from, so nothing is invented):

- a cashtag: ``$NVDA``;
- an exchange tag: ``(NASDAQ:META)``, ``(NYSE: BRK.B)``;
- a ticker in parentheses after a name: ``Nvidia Corporation (NVDA)``, accepted when the
  ticker is in the curated table or the name ends in a company suffix (Inc., Corp., ...);
- an inline tag glued to a name: ``AmazonAMZN--``;
- a name or short name of the curated table (``companies.csv``: the largest US listings and
  the index funds), matched case-sensitively as a whole word (``Meta``, not ``metadata``).

A class share written with a dot (``BRK.B``) is spelt as Yahoo Finance spells it (``BRK-B``);
Reuters' exchange codes in parentheses (``Meta Platforms (META.O)``, ``(JPM.N)``) are the
ticker before the dot.
Index funds (``kind`` index: SPY for "the S&P 500") are benchmarks, never the subject or a
rival. A company named as the author of research ("Morgan Stanley analysts") is a source,
not a rival.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).with_name("companies.csv")
_SYMBOL = r"[A-Z]{1,5}(?:[.\-][A-Z])?"
_EXCHANGE = re.compile(
    rf"\(\s*(?:NASDAQ|NYSE(?:\s*(?:ARCA|American|MKT))?|NYSEARCA|AMEX|BATS|CBOE|OTC)\s*:\s*"
    rf"((?-i:{_SYMBOL}))\s*\)",
    re.IGNORECASE,
)
_REUTERS_CODE = re.compile(r"^([A-Z]{1,5})\.[ON]$")  # (META.O): Nasdaq, (JPM.N): NYSE
_CASHTAG = re.compile(rf"(?<![\w$])\$({_SYMBOL})(?![\w.\-])")
_PARENTHESISED = re.compile(  # a name starts a word: a failed match is one pass, not one a letter
    rf"(?<![\w&.'’\-])((?:[A-Z][\w&.'’\-]*\s+){{0,4}}[A-Z][\w&.'’\-]*)\s*\(({_SYMBOL})\)"
)
_GLUED_UNKNOWN = re.compile(rf"(?<=[a-z])({_SYMBOL})--")
_SUFFIX = re.compile(
    r"\b(?:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Limited|Holdings|Group|plc|PLC|"
    r"N\.V|S\.A|AG|SE|Technologies|Platforms)\.?$"
)
_RESEARCH = re.compile(r"^[’']?s?\s*(?:analysts?|strategists?|research|economists?)\b", re.I)
NOT_TICKERS = frozenset(
    {"AI", "CEO", "CFO", "COO", "CTO", "ETF", "IPO", "GDP", "EPS", "USD", "US", "USA", "EU",
     "UK", "AWS", "DEI", "API", "SEC", "FTC", "DOJ", "FED", "CPI", "PE", "ROI", "HPC", "GPU",
     "CPU", "LLM", "IT", "HR", "Q", "YOY", "ET", "PT", "EST", "PST", "GMT", "UTC", "AM", "PM"}
)  # fmt: skip


@dataclass(frozen=True)
class Company:
    """A row of the curated table: Yahoo ``ticker``, ``kind`` (company or index), the
    ``names`` articles use, and the ``source`` that lists them."""

    ticker: str
    kind: str
    names: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Mention:
    """One place the article names a ticker: the ``ticker``, the ``words`` it was read from
    (a substring of the text), how (``form``), the ``sentence`` index and whether it is an
    index fund (``index``) or a research source (``research``)."""

    ticker: str
    words: str
    form: str
    sentence: int
    index: bool = False
    research: bool = False


@functools.cache
def companies() -> tuple[Company, ...]:
    """The curated table (``companies.csv``), in file order."""
    with TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            Company(
                ticker=row["ticker"],
                kind=row["kind"],
                names=tuple(n for n in row["names"].split(";") if n),
                source=row["source"],
            )
            for row in rows
        )


@functools.cache
def _by_ticker() -> dict[str, Company]:
    return {c.ticker: c for c in companies()}


@functools.cache
def _name_pattern() -> tuple[re.Pattern[str], dict[str, Company]]:
    owner = {name: c for c in companies() for name in c.names}
    names = sorted(owner, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w&$])({alternatives})(?![\w&]|-\w)"), owner


@functools.cache
def _glued_pattern() -> re.Pattern[str]:
    names = sorted({n for c in companies() for n in c.names}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w&$])(?:{alternatives})({_SYMBOL})--")


def yahoo_symbol(symbol: str) -> str:
    """``BRK.B`` -> ``BRK-B``: a class share as Yahoo Finance spells it."""
    return re.sub(r"^([A-Z]+)\.([A-Z])$", r"\1-\2", symbol.upper())


def find_mentions(sentences: list[str]) -> list[Mention]:
    """Every ticker mention of the sentences, in order of appearance."""
    pattern, owner = _name_pattern()
    found: list[Mention] = []
    for number, sentence in enumerate(sentences):
        taken: list[tuple[int, int]] = []
        placed: list[tuple[int, Mention]] = []

        def add(
            span: tuple[int, int],
            symbol: str,
            form: str,
            *,
            _n: int = number,
            _s: str = sentence,
            _taken: list[tuple[int, int]] = taken,
            _placed: list[tuple[int, Mention]] = placed,
        ) -> None:
            ticker = yahoo_symbol(symbol)
            company = _by_ticker().get(ticker)
            research = bool(_RESEARCH.match(_s[span[1] :]))
            _placed.append(
                (
                    span[0],
                    Mention(
                        ticker=ticker,
                        words=_s[span[0] : span[1]],
                        form=form,
                        sentence=_n,
                        index=company is not None and company.kind == "index",
                        research=research,
                    ),
                )
            )
            _taken.append(span)

        for match in _EXCHANGE.finditer(sentence):
            add(match.span(), match.group(1), "exchange")
        for match in _CASHTAG.finditer(sentence):
            if match.group(1) not in NOT_TICKERS:
                add(match.span(), match.group(1), "cashtag")
        for match in _glued_pattern().finditer(sentence):
            add(match.span(), match.group(1), "glued")
        for match in _GLUED_UNKNOWN.finditer(sentence):
            if not _inside(match.span(), taken) and match.group(1) not in NOT_TICKERS:
                add(match.span(), match.group(1), "glued")
        for match in _PARENTHESISED.finditer(sentence):
            symbol = match.group(2)
            if _inside(match.span(2), taken) or symbol in NOT_TICKERS:
                continue
            name = match.group(1)
            ric = _REUTERS_CODE.match(symbol)
            if ric and yahoo_symbol(symbol) not in _by_ticker():
                symbol = ric.group(1)  # Reuters' code of the listing: META.O is META
            known = yahoo_symbol(symbol) in _by_ticker()
            if known or _SUFFIX.search(name):
                add(match.span(), symbol, "parenthesised")
        for match in pattern.finditer(sentence):
            if _inside(match.span(), taken):
                continue
            add(match.span(), owner[match.group(1)].ticker, "name")
        found.extend(mention for _, mention in sorted(placed, key=lambda item: item[0]))
    return found


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in taken)
