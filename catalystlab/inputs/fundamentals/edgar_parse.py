"""Point-in-time quarter values from an SEC ``companyfacts`` JSON document.

``companyfacts`` lists every value a company ever filed in XBRL, per tag, each with its
period (``start``, ``end``), the filing that reported it (``accn``, ``form``, ``filed``) and
the value in USD. One period appears once per filing that reported it (comparative columns
repeat it for years), sometimes changed (a restatement). The rules here:

- Only 10-Q and 10-K filings (and their amendments) count; values are USD, returned in
  USD millions.
- A quarter's value comes either *directly* from a three-month period, or by *differencing*
  year-to-date periods of the same fiscal year and tag: cash-flow statements in 10-Qs are
  year-to-date, so Q2 = 6M - 3M, Q3 = 9M - 6M and Q4 = FY - 9M. Durations are matched in
  months with ten days of slack, so 13/14-week quarters and 52/53-week years work.
- The availability date (``public_date``) is the ``filed`` date of the FIRST filing that
  reported the value; the value is the one that filing reported. A later restatement never
  leaks backwards: it is not used, and ``source`` mentions it. A differenced quarter is
  available when its year-to-date value is first filed (the earlier period's value is the
  latest one filed by then, under the same tag); of the ways to get a quarter, the earliest
  available wins (on a tie a direct value, then the tag listed first in
  :data:`catalystlab.inputs.fundamentals.tags.METRIC_TAGS`).
- The filing time of day is not in ``companyfacts``: timing is ``unknown``, which counts
  from the next day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.inputs.fundamentals.periods import fiscal_quarter_label, nearest_month_end
from catalystlab.inputs.fundamentals.table import RAW_COLUMNS, build_fundamentals
from catalystlab.inputs.fundamentals.tags import METRIC_TAGS, net_capex_note

DEFAULT_METRICS: tuple[str, ...] = ("revenue", "operating_income", "capex")
_DAYS_PER_MONTH = 365.25 / 12
_SLACK_DAYS = 10


@dataclass(frozen=True)
class _Report:
    """One value of one tag for one period, as one filing reported it."""

    tag: str
    rank: int
    start: pd.Timestamp
    end: pd.Timestamp
    value: float
    filed: pd.Timestamp
    accn: str
    form: str

    @property
    def months(self) -> int | None:
        """3, 6, 9 or 12 when the period is that many months long (with slack), else None."""
        days = (self.end - self.start).days + 1
        months = round(days / _DAYS_PER_MONTH)
        if months in (3, 6, 9, 12) and abs(days - months * _DAYS_PER_MONTH) <= _SLACK_DAYS:
            return months
        return None

    def cite(self) -> str:
        return f"{self.form} {self.accn} filed {self.filed.date()}"


@dataclass(frozen=True)
class _Candidate:
    """One way of knowing a quarter's value, and from when."""

    available: pd.Timestamp
    derived: bool
    rank: int
    value: float
    source: str


def parse_companyfacts(
    document: Mapping[str, Any], *, ticker: str, metrics: Sequence[str] = DEFAULT_METRICS
) -> pd.DataFrame:
    """The :mod:`catalystlab.core.pit` fundamentals table of one company's ``companyfacts``.

    ``metrics`` are names in :data:`catalystlab.inputs.fundamentals.tags.METRIC_TAGS`. A metric the
    company never reported simply has no rows.
    """
    unknown = [m for m in metrics if m not in METRIC_TAGS]
    if unknown:
        raise BadInputError(
            f"Unknown SEC metric(s) {', '.join(unknown)}; available: {', '.join(METRIC_TAGS)}."
        )
    ticker = ticker.upper()
    facts = document.get("facts", {}).get("us-gaap", {})
    reports = {m: _reports(facts, METRIC_TAGS[m]) for m in metrics}
    year_end_month = _fiscal_year_end_month([r for rs in reports.values() for r in rs])
    rows = []
    for metric in metrics:
        for end, best in sorted(_best_by_quarter(reports[metric], ticker).items()):
            rows.append(
                {
                    "ticker": ticker,
                    "metric": metric,
                    "fiscal_period": fiscal_quarter_label(end, year_end_month),
                    "period_end": end,
                    "value": best.value / 1e6,
                    "public_date": best.available,
                    "timing": "unknown",
                    "source": best.source,
                    "row": len(rows) + 1,
                }
            )
    cik = document.get("cik", "?")
    origin = f"SEC companyfacts of {ticker} (CIK {cik})"
    return build_fundamentals(pd.DataFrame(rows, columns=list(RAW_COLUMNS)), origin=origin)


def _reports(facts: Mapping[str, Any], tags: Sequence[str]) -> list[_Report]:
    """Every USD duration value of ``tags`` from 10-Q/10-K filings, one per (tag, period,
    filing) (a filing that repeats a value, e.g. with and without a ``frame``, counts once)."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for rank, tag in enumerate(tags):
        for item in facts.get(tag, {}).get("units", {}).get("USD", []):
            form = str(item.get("form", ""))
            if not form.startswith(("10-Q", "10-K")) or "start" not in item:
                continue
            key = (tag, item["start"], item["end"], item["accn"])
            if key in seen:
                continue
            seen.add(key)
            out.append(
                _Report(
                    tag=tag,
                    rank=rank,
                    start=pd.Timestamp(item["start"]),
                    end=pd.Timestamp(item["end"]),
                    value=float(item["val"]),
                    filed=pd.Timestamp(item["filed"]),
                    accn=str(item["accn"]),
                    form=form,
                )
            )
    return out


def _fiscal_year_end_month(reports: list[_Report]) -> int:
    """Most common month in which the company's twelve-month periods end (12 if none)."""
    months = pd.Series([nearest_month_end(r.end).month for r in reports if r.months == 12])
    return int(months.value_counts().idxmax()) if not months.empty else 12


def _best_by_quarter(reports: list[_Report], ticker: str) -> dict[pd.Timestamp, _Candidate]:
    """The earliest-available value of each quarter, keyed by the quarter's end date."""
    versions: dict[tuple[str, pd.Timestamp, pd.Timestamp], list[_Report]] = defaultdict(list)
    for report in reports:
        if report.months is not None:
            versions[(report.tag, report.start, report.end)].append(report)
    for filings in versions.values():
        filings.sort(key=lambda r: (r.filed, r.accn))
    ytd_ends: dict[tuple[str, pd.Timestamp], dict[int, pd.Timestamp]] = defaultdict(dict)
    for tag, start, end in versions:
        ytd_ends[(tag, start)][versions[(tag, start, end)][0].months] = end
    candidates: dict[pd.Timestamp, list[_Candidate]] = defaultdict(list)
    for (tag, start, end), filings in versions.items():
        months = filings[0].months
        if months == 3:
            candidates[end].append(_direct(filings, ticker))
        previous_end = ytd_ends[(tag, start)].get(months - 3)
        if months > 3 and previous_end is not None:
            earlier = versions[(tag, start, previous_end)]
            candidates[end].append(_differenced(filings, earlier, ticker))
    return {
        end: min(options, key=lambda c: (c.available, c.derived, c.rank))
        for end, options in candidates.items()
    }


def _direct(filings: list[_Report], ticker: str) -> _Candidate:
    first = filings[0]
    restated = next((r for r in filings[1:] if r.value != first.value), None)
    note = (
        f"; restated later to {restated.value / 1e6:g} ({restated.cite()}), not used: the "
        "value as first filed is kept"
        if restated
        else ""
    )
    return _Candidate(
        available=first.filed,
        derived=False,
        rank=first.rank,
        value=first.value,
        source=(
            f"{net_capex_note(ticker, first.tag)}SEC companyfacts {first.tag}, 3 months to "
            f"{first.end.date()} ({first.cite()}){note}"
        ),
    )


def _differenced(filings: list[_Report], earlier: list[_Report], ticker: str) -> _Candidate:
    """Quarter = year-to-date value as first filed minus the shorter year-to-date value as
    last filed by then (or, if it was first filed later, as first filed)."""
    ytd = filings[0]
    known = [r for r in earlier if r.filed <= ytd.filed]
    subtract = known[-1] if known else earlier[0]
    return _Candidate(
        available=max(ytd.filed, subtract.filed),
        derived=True,
        rank=ytd.rank,
        value=ytd.value - subtract.value,
        source=(
            f"{net_capex_note(ticker, ytd.tag)}SEC companyfacts {ytd.tag}, year-to-date "
            f"differenced: {ytd.months} months to {ytd.end.date()} ({ytd.cite()}) minus "
            f"{subtract.months} months to {subtract.end.date()} ({subtract.cite()})"
        ),
    )
