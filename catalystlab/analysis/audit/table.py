"""The audit table: every claim checked against the fundamentals and events a run loaded.

Verdicts (one per claim):

- ``confirmed``: every number the claim states is supported (within its tolerance) and the
  claim is not marked ``partial``;
- ``partly``: the numbers are supported but the claim is marked ``partial`` (its ``context``
  says what the data qualify), or a growth claim's growth holds and its stated total does
  not, or the other way round;
- ``not supported``: no number the claim states is supported;
- ``not in data``: a ``not_in_data`` claim (its ``detail`` is its ``context``, the reason the
  data cannot check it, when it has one), or the data (as of ``as_of``) lack what the
  check needs: a quarter of the fiscal year, any event of the company, or a number on every
  matching event of an ``event_total``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from catalystlab.analysis.audit.events import measure_event_exists, measure_event_total
from catalystlab.analysis.audit.metrics import measure_metric_growth, measure_metric_total
from catalystlab.analysis.audit.outcome import Outcome
from catalystlab.analysis.audit.schema import (
    Claim,
    EventExists,
    EventTotal,
    MetricGrowth,
    MetricTotal,
    NotInData,
)
from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import EVENT_COLUMNS, FUNDAMENTAL_COLUMNS

VERDICTS: tuple[str, ...] = ("confirmed", "partly", "not supported", "not in data")
AUDIT_COLUMNS: tuple[str, ...] = (
    "claim",
    "measured",
    "claimed",
    "unit",
    "verdict",
    "detail",
    "source",
    "context",
)


def audit_claims(
    claims: Iterable[Claim],
    *,
    fundamentals: pd.DataFrame,
    events: pd.DataFrame,
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per claim (index ``id``, columns :data:`AUDIT_COLUMNS`), in the claims' order.

    ``fundamentals`` and ``events`` are the point-in-time tables of :mod:`catalystlab.core.pit`.
    ``as_of``: use only rows known by then (``known_from <= as_of``), i.e. audit the claims
    as a reader could on that date; None uses every row. ``measured`` and ``claimed`` are in
    ``unit`` (USD millions, fraction, roles, USD billions or events), NaN where none.
    """
    _require(fundamentals, FUNDAMENTAL_COLUMNS, "fundamentals")
    _require(events, EVENT_COLUMNS, "events")
    if as_of is not None:
        cutoff = pd.Timestamp(as_of)
        fundamentals = fundamentals[fundamentals["known_from"] <= cutoff]
        events = events[events["known_from"] <= cutoff]
    rows = []
    for claim in claims:
        outcome = _measure(claim, fundamentals, events)
        rows.append(
            {
                "id": claim.id,
                "claim": claim.text,
                "measured": outcome.measured,
                "claimed": outcome.claimed,
                "unit": outcome.unit,
                "verdict": verdict(outcome.met, partial=claim.partial),
                "detail": outcome.detail,
                "source": claim.source,
                "context": claim.context,
            }
        )
    table = pd.DataFrame(rows, columns=["id", *AUDIT_COLUMNS]).set_index("id")
    return table.astype({"measured": "float64", "claimed": "float64"})


def verdict(met: tuple[bool, ...] | None, *, partial: bool) -> str:
    """The verdict of a check's per-number results (see the module docs)."""
    if met is None:
        return "not in data"
    if all(met):
        return "partly" if partial else "confirmed"
    return "partly" if any(met) else "not supported"


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """Claims per verdict, every verdict of :data:`VERDICTS` present (0 when none), in order."""
    counts = table["verdict"].value_counts()
    return {name: int(counts.get(name, 0)) for name in VERDICTS}


def _measure(claim: Claim, fundamentals: pd.DataFrame, events: pd.DataFrame) -> Outcome:
    check = claim.check
    if isinstance(check, MetricTotal):
        return measure_metric_total(check, fundamentals)
    if isinstance(check, MetricGrowth):
        return measure_metric_growth(check, fundamentals)
    if isinstance(check, EventTotal):
        return measure_event_total(check, events)
    if isinstance(check, EventExists):
        return measure_event_exists(check, events)
    assert isinstance(check, NotInData)
    return Outcome(
        measured=math.nan,
        claimed=math.nan if check.claimed is None else check.claimed,
        unit=check.unit,
        met=None,
        detail=_why_not_checkable(claim.context),
    )


def _why_not_checkable(context: str) -> str:
    """A ``not_in_data`` claim's detail: its ``context`` (why the data cannot check it) as
    'Not checkable: ...', or a general sentence when it has none."""
    reason = " ".join(context.split())
    if not reason:
        return "The fundamentals and events tables hold no figure that measures this claim."
    if not reason.lower().startswith("not checkable"):
        reason = f"Not checkable: {reason}"
    return reason if reason.endswith((".", "!", "?")) else reason + "."


def _require(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise BadInputError(
            f"The {name} table lacks column(s) {', '.join(missing)}; load it with the "
            f"project's {name} loaders (catalystlab.core.pit describes the columns)."
        )
