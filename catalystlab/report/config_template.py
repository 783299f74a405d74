"""``runner.py init``: a commented config for a new call, filled with the flagship's defaults
(``config/amazon_ai_call.yaml``): costs 5 bp each, ten years of context before the call,
entry at the next open, horizons of 1, 3, 6 and 12 months. ``init --from-article`` drafts the
same config from an article, each value read from it commented with its sentence."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from catalystlab.config import load_config, name_problem
from catalystlab.core.errors import BadInputError
from catalystlab.core.tickers import parse_ticker, ticker_slug
from catalystlab.inputs.articles import Article
from catalystlab.inputs.articles.text import clip

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
        path=_command_path(path or Path("config") / f"{name}.yaml"),
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


def article_config_text(
    article: Article,
    name: str,
    *,
    path: Path,
    claims_path: Path | None,
    has_prices: Callable[[str], bool] | None = None,
) -> str:
    """The commented config of the call an article makes (``init --from-article``): every
    value read from the article carries the sentence it came from. ``has_prices`` (a ticker
    -> bool, when a data folder was given) keeps rivals without prices out of the benchmarks.
    BadInputError when the article is not a call."""
    command_path = _command_path(path)
    if not article.is_call:
        raise BadInputError(
            "The article is not a call I can test: " + "; ".join(article.problems) + "."
        )
    assert article.ticker and article.stance and article.date and article.window
    symbol, day = article.ticker, article.date
    slug = ticker_slug(symbol)
    priced = [t for t in article.benchmarks if has_prices is None or has_prices(t)]
    missing = [t for t in article.benchmarks if t not in priced]
    rivals = [t for t in article.rivals if t in priced]
    basket = ["rivals_equal_weight"] if len(rivals) > 1 else []
    lines = [
        f"# {article.stance.title()} {symbol}: drafted by `runner.py init --from-article` from "
        "the article",
        f"# {one_line(article.title)}",
        "# Every value read from the article is commented with the words it came from: check",
        "# them, then:",
        f"#   python runner.py validate {command_path} --data-dir ../shared/data",
        f"#   python runner.py run {command_path} --data-dir ../shared/data --offline",
        "# Dates are YYYY-MM-DD; costs and rates are fractions (0.0005 = 5 basis points).",
        f"name: {name}",
        f"description: {_scalar(article.title)}",
        f"start: {dt.date(day.year - CONTEXT_YEARS, 1, 1).isoformat()}        # in-sample "
        "context starts here",
        "cash: 100000             # USD",
        "costs:",
        f"  commission: {FLAGSHIP_COST}     # fraction of traded value (5 bp)",
        f"  slippage: {FLAGSHIP_COST}       # fraction of price, against the trade (5 bp)",
        f"benchmark: {priced[0]}           # tearsheets, alpha and beta are measured against it",
        "",
        "call:",
        f"  ticker: {symbol}   # {_said(article.ticker_sentence)}",
        f"  date: {day.isoformat()}   # {one_line(article.timing)}",
    ]
    first, last = article.window
    if first != last:
        lines.append(f"  window: [{first.isoformat()}, {last.isoformat()}]")
    base_rate = min(BASE_RATE_START, day.replace(year=day.year - CONTEXT_YEARS, day=1))
    lines += [
        f"  entry: {article.entry}   # prev_close | next_open | close: the price paid on entry",
        f"  stance: {article.stance}   # {_said(article.stance_sentence)}",
        "  borrow_fee: 0.003      # sell calls: annual fee to borrow the shares (0.3% a year)",
        f"  base_rate_start: {base_rate.isoformat()}   # history for 'how unusual is this?'",
        f"  source: {_scalar(_source(article))}",
        "  benchmarks: [" + ", ".join([*(_symbol(t) for t in priced), *basket]) + "]",
    ]
    for ticker in priced:
        if ticker in DEFAULT_BENCHMARKS and ticker not in article.indexes:
            lines.append(f"  #   {ticker}: a default benchmark")
        else:
            lines.append(f"  #   {ticker}: {_said(article.sentence_naming(ticker))}")
    if len(rivals) > 1:
        lines.append(f"  #   rivals_equal_weight: {', '.join(rivals)} in equal parts, monthly")
    for ticker in missing:
        lines.append(f"  #   {ticker} is named but has no prices in the data folder: left out")
    lines += [
        "  horizons_months: [1, 3, 6, 12]",
        "",
        "statistics:",
        "  bootstrap_reps: 1000   # stationary block bootstrap resamples for every interval",
        "  confidence: 0.95",
    ]
    if article.catalysts:
        lines.append(f"  spa_benchmark: buy_hold_{slug}   # SPA: does a catalyst rule beat it?")
    lines.append("seed: 20250801           # seeds every bootstrap: same seed, same numbers")
    if claims_path is not None:
        lines += [
            "",
            f"claims: {_exact(str(claims_path))}   # the article's numbers, each with its check",
        ]
    lines += ["", "strategies:"]
    for ticker in [symbol, *priced]:
        lines += [
            f"  - id: buy_hold_{ticker_slug(ticker)}",
            "    kind: buy_and_hold",
            f"    label: Buy & hold {ticker}",
            f"    ticker: {_symbol(ticker)}",
        ]
    if len(rivals) > 1:
        weights = _equal_weights(rivals)
        lines += [
            "  - id: rivals_equal_weight",
            "    kind: rebalanced_basket",
            f"    label: Rivals equal weight ({', '.join(rivals)})",
            "    weights: {" + ", ".join(f"{_symbol(t)}: {w}" for t, w in weights) + "}",
            "    rebalance: monthly",
        ]
    lines += _catalyst_lines(article, symbol, slug)
    text = "\n".join(lines) + "\n"
    raw = yaml.safe_load(text)
    if claims_path is not None:
        raw.pop("claims")  # written next to the config after it; checked on its own
    load_config(raw)  # the draft is always a valid config
    return text


def _catalyst_lines(article: Article, symbol: str, slug: str) -> list[str]:
    """The article's catalysts as signal strategies on the subject, as the flagship has them."""
    if not article.catalysts:
        return []
    lines = [
        "",
        f"  # The article's catalysts as point-in-time trading rules on {symbol}: each holds it",
        "  # while its signal is on, cash otherwise (the flagship's parameters).",
    ]
    labels = {"margin": "Margin expansion", "layoffs": "Layoff announcements",
              "capex": "Capex growth or guidance"}  # fmt: skip
    for catalyst in article.catalysts:
        lines += [
            f"  # {catalyst.signal}: {_said(catalyst.sentence)}",
            f"  - id: {catalyst.signal}_{slug}",
            "    kind: signal",
            f"    label: {labels[catalyst.signal]} ({symbol})",
            f"    signal: {catalyst.signal}",
            f"    ticker: {_symbol(symbol)}",
            f"    signal_params: {_FLAGSHIP_PARAMS[catalyst.signal]}",
        ]
    if len(article.catalysts) > 1:
        parts = ", ".join(f"{c.signal}: {_FLAGSHIP_PARAMS[c.signal]}" for c in article.catalysts)
        if len(article.catalysts) < len(_FLAGSHIP_PARAMS):
            parts = f"components: [{', '.join(c.signal for c in article.catalysts)}], {parts}"
        for suffix, label, off in (
            ("", "Thesis composite", None),
            ("_else_spy", "Thesis composite, SPY when off", "SPY"),
        ):
            if off == symbol:
                continue
            lines += [
                f"  - id: thesis_{slug}{suffix}",
                "    kind: signal",
                f"    label: {label} ({symbol})",
                "    signal: thesis",
                f"    ticker: {_symbol(symbol)}",
                *([f"    off_signal: {off}"] if off else []),
                f"    signal_params: {{combine: weighted, {parts}}}",
            ]
    return lines


_FLAGSHIP_PARAMS = {
    "margin": "{measure: margin_change, threshold: 0.0}",
    "layoffs": "{hold_days: 60, min_headcount: 1000}",
    "capex": "{mode: either, threshold: 0.2, hold_days: 60}",
}
MAX_QUOTE = 160  # characters of a sentence quoted in a comment


def _equal_weights(tickers: list[str]) -> list[tuple[str, float]]:
    """Equal weights rounded to 6 places, the last taking the rounding (they sum to 1)."""
    share = round(1 / len(tickers), 6)
    weights = [share] * (len(tickers) - 1)
    return list(zip(tickers, [*weights, round(1 - sum(weights), 6)], strict=True))


def one_line(text: str) -> str:
    """``text`` on one line, safe inside a YAML comment, at most MAX_QUOTE characters."""
    return clip("".join(c if c.isprintable() else " " for c in text), MAX_QUOTE)


def _said(sentence: str) -> str:
    """Where a value came from, for its comment: the option that gave it, or the article's
    sentence made safe for a comment (an article's own "given with ..." sentence is quoted
    like any other: it may hold a line break)."""
    if sentence in ("given with --ticker", "given with --stance"):  # see article.py
        return sentence
    return f'read from: "{one_line(sentence)}"'


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar of ``text`` (JSON's escapes are YAML's)."""
    return json.dumps(one_line(text), ensure_ascii=False)


def _exact(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text`` exactly (a path: '#', ': ',
    a line break are kept, never parsed)."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31).strip()


def _command_path(path: Path) -> str:
    """``path`` as a shell word for the commands in a config's comments; BadInputError for a
    path with a line break or control character (it would end the comment)."""
    if not str(path).isprintable():
        raise BadInputError(
            f"--out {_exact(str(path.parent))}: the folder name holds a line break or control "
            "character; choose a folder name without one."
        )
    return shlex.quote(str(path))


def _symbol(ticker: str) -> str:
    return ticker if ticker[0].isalnum() else json.dumps(ticker)


def _source(article: Article) -> str:
    parts = [p for p in (article.source, article.title, article.url) if p]
    return ", ".join(parts)
