"""Checks on dated events: a total over matching events, and whether an event exists.

An event matches when its ticker and kind are the check's, its ``event_date`` lies in
[start, end] (both included) and, when the check names one, its ``status`` (``report`` or
``official``) is the check's. A company with no events at all in the table cannot be
checked ('not in data'), and neither can a total whose matching events all lack a number; no
matching event among the company's events is evidence against the claim.
"""

from __future__ import annotations

import math

import pandas as pd

from catalystlab.analysis.audit.outcome import Outcome, meets, wording
from catalystlab.analysis.audit.schema import EventExists, EventTotal

_UNITS = {"headcount": "roles", "value_usd_bn": "USD billions"}


def matching_events(check: EventTotal | EventExists, events: pd.DataFrame) -> pd.DataFrame:
    """The events the check's filter selects, by event date."""
    mask = (
        (events["ticker"] == check.ticker)
        & (events["kind"] == check.event_kind)
        & (events["event_date"] >= pd.Timestamp(check.start))
        & (events["event_date"] <= pd.Timestamp(check.end))
    )
    if check.status is not None:
        mask &= events["status"] == check.status
    return events[mask].sort_values("event_date", kind="stable")


def measure_event_total(check: EventTotal, events: pd.DataFrame) -> Outcome:
    """Sum of ``check.field`` (roles or USD billions) over the matching events vs the claim;
    events without a number are listed, not counted (none with a number: not measurable)."""
    unit = _UNITS[check.field]
    no_company = _no_company(check, events)
    if no_company:
        return Outcome(
            measured=math.nan, claimed=check.claimed, unit=unit, met=None, detail=no_company
        )
    rows = matching_events(check, events)
    numbered = rows[rows[check.field].notna()]
    if len(rows) and numbered.empty:
        return Outcome(
            measured=math.nan,
            claimed=check.claimed,
            unit=unit,
            met=None,
            detail=f"{_filter(check)}: {_events(len(rows))}, none with a number "
            f"({check.field}), so the total cannot be measured.",
        )
    total = float(numbered[check.field].sum())
    items = [
        f"{_day(day)} {_amount(value, check.field)}"
        for day, value in zip(numbered["event_date"], numbered[check.field], strict=True)
    ]
    if len(rows) > len(numbered):
        items.append(f"{len(rows) - len(numbered)} without a number not counted")
    listing = f" ({'; '.join(items)})" if items else ""
    claimed = wording(check.comparison, _amount(check.claimed, check.field))
    return Outcome(
        measured=total,
        claimed=check.claimed,
        unit=unit,
        met=(meets(total, check.claimed, check.comparison, check.tolerance),),
        detail=f"{_filter(check)}: {_amount(total, check.field)} over "
        f"{_events(len(numbered))}{listing}, claimed {claimed}.",
    )


def measure_event_exists(check: EventExists, events: pd.DataFrame) -> Outcome:
    """Number of matching events whose description holds every required text (>= 1: met)."""
    no_company = _no_company(check, events)
    if no_company:
        return Outcome(
            measured=math.nan, claimed=math.nan, unit="events", met=None, detail=no_company
        )
    rows = matching_events(check, events)
    text = rows["description"].astype(str).str.lower()
    found = pd.Series(True, index=rows.index)
    for needle in check.description_contains:
        found &= text.str.contains(needle.lower(), regex=False)
    rows = rows[found]
    wanted = " and ".join(repr(n) for n in check.description_contains)
    mentioning = f" mentioning {wanted}" if wanted else ""
    if rows.empty:
        detail = f"{_filter(check)}: no event{mentioning}."
    else:
        first = rows.iloc[0]
        detail = (
            f"{_filter(check)}: {_events(len(rows))}{mentioning}, first "
            f"{_day(first['event_date'])} ({first['status']}): {first['description']}"
        )
    return Outcome(
        measured=float(len(rows)),
        claimed=math.nan,
        unit="events",
        met=(not rows.empty,),
        detail=detail.rstrip(".") + ".",
    )


def _no_company(check: EventTotal | EventExists, events: pd.DataFrame) -> str:
    if (events["ticker"] == check.ticker).any():
        return ""
    return f"The events table holds no {check.ticker} event, so the claim cannot be checked."


def _filter(check: EventTotal | EventExists) -> str:
    status = f" {check.status}" if check.status else ""
    kind = check.event_kind.replace("_", " ")
    return f"{check.ticker}{status} {kind} events {_day(check.start)} to {_day(check.end)}"


def _events(count: int) -> str:
    return f"{count} event" + ("" if count == 1 else "s")


def _day(day: object) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _amount(value: float, field: str) -> str:
    return f"${value:,.1f}B" if field == "value_usd_bn" else f"{value:,.0f}"
