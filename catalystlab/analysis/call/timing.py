"""The call's dates on the run's calendar: decision close, entry open, end.

Timing: a call public on date D is entered at the open of the first session on or after D
(the engine decides at the close of the session before and fills at the next open). The
out-of-sample period runs from that decision close to the last date of the data; the
in-sample context is the same comparison from the run's start to the decision close.
Excess return is the simple difference of total returns (fractions), ticker minus benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, kw_only=True)
class CallTiming:
    """The call's dates on the run's calendar (all exchange dates)."""

    call_date: pd.Timestamp
    decision_day: pd.Timestamp | None
    entry_day: pd.Timestamp | None
    end_day: pd.Timestamp
    reason: str = ""

    @property
    def evaluable(self) -> bool:
        return self.entry_day is not None


def call_timing(calendar: pd.DatetimeIndex, call_date: pd.Timestamp) -> CallTiming:
    """Entry = first session on or after ``call_date``; decision = the session before it."""
    end_day = calendar[-1]
    position = int(calendar.searchsorted(call_date))
    reason = ""
    if position == len(calendar):
        reason = (
            f"the data end on {end_day.date()}, before the call date {call_date.date()}: "
            "there is no out-of-sample period to evaluate"
        )
    elif position == 0:
        reason = (
            f"the data start on {calendar[0].date()}, too late to enter on "
            f"{calendar[0].date()} (a close before the entry is needed)"
        )
    if reason:
        return CallTiming(
            call_date=call_date, decision_day=None, entry_day=None, end_day=end_day, reason=reason
        )
    return CallTiming(
        call_date=call_date,
        decision_day=calendar[position - 1],
        entry_day=calendar[position],
        end_day=end_day,
    )
