"""Number formatting shared by the HTML report and the terminal."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from catalystlab.report.tables import PERCENT_COLUMNS

_COUNTS = frozenset({"rank", "trades", "rejected_orders", "n", "windows", "days", "block"})


MISSING = "–"  # what a cell shows for a number that cannot be measured (NaN, infinite)
_LARGEST = 1e15  # a float this large is an overflow, not a measurement: shown as MISSING


_NUMERIC_START = frozenset("+-–0123456789")  # how a formatted number (or a dash) begins


def is_words(values: Iterable[object], *, share: float = 1.0) -> bool:
    """Whether a column's cells are words (a verdict, a claim, a trial's label), read from the
    left, rather than numbers, dates or dashes, lined up on the right: every cell a string,
    and at least ``share`` of them not starting like a number (a claim may: "13% of ...")."""
    cells = list(values)
    texts = [v for v in cells if isinstance(v, str)]
    if not cells or len(texts) < len(cells):
        return False
    return sum(t[:1] not in _NUMERIC_START for t in texts) >= share * len(texts)


def ordinal(number: int) -> str:
    """``number`` as an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 100th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def percentile_text(fraction: float) -> str:
    """A percentile given as a fraction (0.21) in words: "21st percentile" reads "21st"."""
    return ordinal(round(100 * fraction))


def psr_label(reference: str) -> str:
    """The one label of a Probabilistic Sharpe Ratio, naming the Sharpe ratio it is tested
    against: "PSR vs SPY" (a benchmark's Sharpe) or "PSR vs 0" (:data:`PSR_VS_ZERO`)."""
    return f"PSR vs {reference}"


PSR_VS_ZERO = psr_label("0")


def format_value(value: object, column: str) -> str:
    """Percent (one decimal, thousands separated) for return-like columns, an ordinal for
    percentiles, two decimals for ratios, integers as integers; :data:`MISSING` for a float
    that is not finite (or beyond 1e15), so no ``nan``, ``inf`` or exponent is shown."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and not (math.isfinite(value) and abs(value) < _LARGEST):
        return MISSING
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if column.endswith("pvalue"):
            return format_p(float(value))
        if column.startswith("percentile"):
            return percentile_text(value)
        if column in PERCENT_COLUMNS or column.startswith(("return:", "excess", "total_return")):
            return signed_percent(value) if column.startswith("excess") else f"{value:,.1%}"
        if (
            column in _COUNTS
            or isinstance(value, int)
            or (float(value).is_integer() and abs(value) >= 100)
        ):
            return f"{int(value):,}"
        return f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    return str(value)


def signed_percent(value: float) -> str:
    """A fraction as a signed percent with one decimal ("+7.2%", "-3.6%"); a value that rounds
    to zero reads "+0.0%", never "-0.0%" (a tiny shortfall is no loss to print)."""
    text = f"{value:+,.1%}"
    return "+0.0%" if text == "-0.0%" else text


def format_p(value: float | None, *, draws: int | None = None) -> str:
    """A p-value for reading, never "0.00": two decimals from 0.1, three below, and "< 0.001"
    below that. ``draws``: the p-value is a Monte Carlo one, (1 + k) / (1 + draws), whose
    floor 1 / (1 + draws) (no draw as extreme) prints as "< " the next 1, 2 or 5 x 10^n above
    it ("< 0.001" for 1000 draws). NaN or None: "–"."""
    if value is None or not math.isfinite(value):
        return "–"
    if draws and value <= (floor := 1.0 / (1 + draws)) * (1 + 1e-9):
        return f"< {_just_above(floor)}"
    if value >= 0.1:
        return f"{value:.2f}"
    if value >= 0.001:
        return f"{value:.3f}"
    return "< 0.001"


def p_equals(value: float | None, *, draws: int | None = None) -> str:
    """ "p = 0.04" or "p < 0.001": :func:`format_p` in a sentence."""
    text = format_p(value, draws=draws)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _just_above(floor: float) -> str:
    """The smallest 1, 2 or 5 x 10^n strictly above ``floor`` (0 < floor <= 1), as plain text."""
    power = math.floor(math.log10(floor))
    for exponent in (power, power + 1):
        for mantissa in (1, 2, 5):
            bound = mantissa * 10.0**exponent
            if bound > floor * (1 + 1e-9):
                return f"{bound:.{max(0, -exponent)}f}"
    raise AssertionError(floor)  # unreachable: 10^(power + 1) > floor


HEADERS = {
    "total_return": "total return",
    "cagr": "CAGR",
    "volatility": "volatility",
    "sharpe": "Sharpe",
    "max_drawdown": "max drawdown",
    "excess_total_return": "excess",
    "excess_cagr": "excess CAGR",
    "annual_excess": "annual excess",
    "excess_low": "annual excess, low",
    "excess_high": "annual excess, high",
    "total_return_benchmark": "benchmark return",
    "rejected_orders": "rejected",
    "sortino": "Sortino",
    "calmar": "Calmar",
    "information_ratio": "info ratio",
    "hit_rate": "hit rate",
    "psr": "PSR",
    "dsr": "DSR",
    "excess_return": "excess/yr [95%]",
    "sharpe_diff": "Sharpe diff [95%]",
    "time_in_market": "in market",
    "call_excess": "call's excess",
    "non_overlapping": "non-overlapping",
    "first_start": "since",
    "mean_car": "mean CAR",
    "t_pvalue": "t-test p",
    "bmp_pvalue": "BMP p",
    "placebo_pvalue": "placebo p",
    "exit_day": "exit day",
    "min_day": "min on",
    "max_day": "max on",
}
# Row labels of the horizons table, ``kind:leg``, in words: "return of SPY", "excess vs SPY".
_PREFIXES = {"return:": "return of ", "excess:": "excess vs ", "percentile:": "percentile vs "}


def out_of_sample_period(
    entry_day: pd.Timestamp, decision_day: pd.Timestamp, end_day: pd.Timestamp
) -> str:
    """The out-of-sample period in the one wording the terminal and the HTML share: the
    engine decides at a close and fills at the next open."""
    return (
        f"entry at the open of {entry_day.date()} (decided at the close of "
        f"{decision_day.date()}) to the close of {end_day.date()}"
    )


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun`` in the singular or the plural ("1 variant", "5 variants"; an
    irregular ``plural`` given: "1 strategy", "2 strategies")."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def header(column: str) -> str:
    """Display name of a metric column."""
    if column.startswith("excess_total_return_vs_"):
        return "excess vs " + column.removeprefix("excess_total_return_vs_").upper()
    for prefix, words in _PREFIXES.items():
        if column.startswith(prefix):
            return words + column.removeprefix(prefix)
    return HEADERS.get(column, column)


def formatted(table: pd.DataFrame, *, by_row: bool = False) -> pd.DataFrame:
    """A copy of ``table`` with every cell formatted for display and readable headers.

    The metric a cell holds is named by its column, or by its row when ``by_row``.
    """
    cells = {
        header(str(c)): [
            format_value(v, str(row if by_row else c))
            for row, v in zip(table.index, table[c], strict=True)
        ]
        for c in table.columns
    }
    index = [header(str(i)) for i in table.index] if by_row else table.index
    return pd.DataFrame(cells, index=index)
