"""Point-in-time inputs of the signals: prices, fundamentals and events, each row dated by
the moment it became usable.

Timing convention (one rule for every table): a row's ``known_from`` is the first calendar
date at whose CLOSE the row may be used. A value published during a session (before its
close) has ``known_from`` = that date; one published after the close (Amazon's earnings
releases, an SEC filing whose time is unknown) has ``known_from`` = the next calendar day, so
that it first counts on the next trading session. A signal's value on trading day t uses only
rows with ``known_from <= t``; the engine fills the resulting orders at the open of t+1.

Fundamentals (long format, one row per ticker, metric and fiscal period):

=================  ==========================================================================
column             meaning
=================  ==========================================================================
ticker             upper-case symbol, e.g. ``AMZN``
metric             ``revenue``, ``operating_income``, ``capex`` (gross purchases of property
                   and equipment), others allowed
fiscal_period      the company's own label, e.g. ``2024Q4`` or ``FY2025Q2``
period_end         last day of the fiscal quarter (Timestamp)
value              the QUARTER's value in USD millions (never year-to-date)
public_date        calendar date the value became public (release or filing)
known_from         first date at whose close the value may be used (see above)
source             where the value came from (file, URL, SEC accession)
=================  ==========================================================================

Events (one row per announcement):

=================  ==========================================================================
column             meaning
=================  ==========================================================================
ticker             upper-case symbol
kind               ``layoff``, ``capex_guidance``, ``ai_investment``, ``ai_product``, ...
event_date         calendar date of the first public report
timing             ``intraday``, ``before_open``, ``after_close`` or ``unknown`` (treated
                   as after the close)
known_from         first date at whose close the event may be used
headcount          number of roles (float, NaN when undisclosed)
pct                fraction of the workforce, not % (float, NaN when undisclosed)
value_usd_bn       amount of an investment or guidance in USD billions (NaN when none)
status             ``report`` (press report or leak) or ``official`` (company statement)
description        one line
source             links, ``;``-separated
confidence         ``confirmed``, ``single_source`` or ``uncertain``
=================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

FUNDAMENTAL_COLUMNS: tuple[str, ...] = (
    "ticker",
    "metric",
    "fiscal_period",
    "period_end",
    "value",
    "public_date",
    "known_from",
    "source",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "ticker",
    "kind",
    "event_date",
    "timing",
    "known_from",
    "headcount",
    "pct",
    "value_usd_bn",
    "status",
    "description",
    "source",
    "confidence",
)
TIMINGS: tuple[str, ...] = ("intraday", "before_open", "after_close", "unknown")


def known_from(public_date: pd.Timestamp, timing: str) -> pd.Timestamp:
    """First date at whose close something published on ``public_date`` may be used."""
    if timing in ("intraday", "before_open"):
        return public_date
    return public_date + pd.Timedelta(days=1)


def empty_fundamentals() -> pd.DataFrame:
    """A fundamentals table with the right columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in FUNDAMENTAL_COLUMNS})


def empty_events() -> pd.DataFrame:
    """An events table with the right columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in EVENT_COLUMNS})


def _dtype(column: str) -> str:
    if column in ("period_end", "public_date", "known_from", "event_date"):
        return "datetime64[ns]"
    if column in ("value", "headcount", "pct", "value_usd_bn"):
        return "float64"
    return "object"


@dataclass(frozen=True, kw_only=True)
class SignalInputs:
    """Everything a signal may look at, each row stamped with ``known_from``.

    ``calendar`` is the run's trading days; ``close`` holds adjusted closes (one column per
    ticker) on that calendar; ``fundamentals`` and ``events`` follow the schemas above.
    """

    calendar: pd.DatetimeIndex
    close: pd.DataFrame
    fundamentals: pd.DataFrame = field(default_factory=empty_fundamentals)
    events: pd.DataFrame = field(default_factory=empty_events)

    def truncated(self, cutoff: pd.Timestamp) -> SignalInputs:
        """The inputs as they stood at the close of ``cutoff``: nothing known later survives."""
        calendar = self.calendar[self.calendar <= cutoff]
        return SignalInputs(
            calendar=calendar,
            close=self.close.loc[calendar],
            fundamentals=self.fundamentals[self.fundamentals["known_from"] <= cutoff],
            events=self.events[self.events["known_from"] <= cutoff],
        )
