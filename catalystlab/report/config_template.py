"""``runner.py init``: a commented config for a new call, filled with the flagship's defaults
(``config/amazon_ai_call.yaml``): costs 5 bp each, ten years of context before the call,
entry at the next open, horizons of 1, 3, 6 and 12 months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import yaml

from catalystlab.config import load_config, name_problem
from catalystlab.core.errors import BadInputError
from catalystlab.core.tickers import parse_ticker

DEFAULT_BENCHMARKS: tuple[str, ...] = ("SPY", "QQQ")
FLAGSHIP_COST = 0.0005  # 5 basis points, commission and slippage each, as the flagship
CONTEXT_YEARS = 10  # in-sample context before the call (the flagship: 2015 for a 2025 call)
BASE_RATE_START = dt.date(2010, 1, 1)

_TEMPLATE = """\
# {stance_title} {ticker}: a call dated {date}, written by `runner.py init`. Check and run it:
#   python runner.py validate {path} --data-dir ../shared/data
#   python runner.py run {path} --data-dir ../shared/data --offline
# Dates are YYYY-MM-DD; costs and rates are fractions (0.0005 = 5 basis points).
name: {name}
description: "{stance_title} {ticker} ({date})"
start: {start}        # in-sample context starts here; --start/--end override
cash: 100000             # USD
costs:
  commission: {cost}     # fraction of traded value (5 bp)
  slippage: {cost}       # fraction of price, against the trade (5 bp)
benchmark: {benchmark}           # tearsheets, alpha and beta are measured against this ticker

call:
  ticker: {ticker}
  date: {date}       # the day the call became public
  # window: [{date}, {date}]   # or: the first and last day it may have become public
  entry: next_open       # prev_close | next_open | close: the price paid on an entry day
  stance: {stance}            # buy: right when {ticker} beats a benchmark; sell: when it trails
  borrow_fee: 0.003      # sell calls: annual fee to borrow the shares (0.3% a year)
  base_rate_start: {base_rate_start}   # history for "how unusual is this outcome?"
  source: ""             # where the call was published
  benchmarks: [{benchmarks}]
  horizons_months: [1, 3, 6, 12]

statistics:
  bootstrap_reps: 1000   # stationary block bootstrap resamples for every interval
  confidence: 0.95
seed: 20250801           # seeds every bootstrap: same seed, same numbers

# Strategies are optional: without them the run tests the call alone. Examples (see
# config/amazon_ai_call.yaml and `runner.py list` for every kind and signal):
# strategies:
#   - id: buy_hold_{slug}
#     kind: buy_and_hold
#     ticker: {ticker}
#   - id: margin_{slug}
#     kind: signal
#     signal: margin
#     ticker: {ticker}
#     signal_params: {{measure: margin_change, threshold: 0.0}}
"""


def config_text(
    name: str,
    *,
    ticker: str,
    date: dt.date,
    stance: str = "buy",
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    path: Path | None = None,
) -> str:
    """The commented YAML of a new call's config; validated before it is returned
    (BadInputError naming the problem)."""
    problem = name_problem(name)
    if problem:
        raise BadInputError(f"NAME {name[:40]}{'...' if len(name) > 40 else ''}: {problem}.")
    try:
        symbol = parse_ticker(ticker)
        others = [parse_ticker(b) for b in benchmarks]
    except ValueError as error:
        raise BadInputError(f"{error}.") from None
    if not others:
        raise BadInputError("--benchmarks: name at least one benchmark, e.g. SPY.")
    if symbol in others:
        raise BadInputError(f"--benchmarks: {symbol} is the called ticker; compare it with others.")
    if stance not in ("buy", "sell"):
        raise BadInputError(f"--stance {stance!r}: use buy or sell.")
    base_rate_start = min(BASE_RATE_START, date.replace(year=date.year - CONTEXT_YEARS, day=1))
    text = _TEMPLATE.format(
        name=name,
        ticker=symbol,
        slug=symbol.lower().lstrip("^").replace(".", "_").replace("=", "_"),
        date=date.isoformat(),
        stance=stance,
        stance_title="Sell" if stance == "sell" else "Buy",
        start=dt.date(date.year - CONTEXT_YEARS, 1, 1).isoformat(),
        cost=FLAGSHIP_COST,
        benchmark=others[0],
        benchmarks=", ".join(f'"{b}"' if not b[0].isalnum() else b for b in others),
        base_rate_start=base_rate_start.isoformat(),
        path=path or f"config/{name}.yaml",
    )
    load_config(yaml.safe_load(text))  # the template is always a valid config
    return text


def write_config(text: str, path: Path) -> Path:
    """Write ``text`` to ``path``, refusing to overwrite an existing file and naming any
    folder it cannot write in (BadInputError)."""
    above = path.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        raise BadInputError(
            f"--out {path.parent}: {above} is a file; give a folder for the config."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise BadInputError(
            f"{path} exists; init never overwrites a config: choose another NAME or --out."
        ) from None
    except OSError as error:
        raise BadInputError(
            f"--out {path.parent}: cannot write {path.name} there ({error.strerror or error}); "
            "give a folder you can write to."
        ) from None
    return path
