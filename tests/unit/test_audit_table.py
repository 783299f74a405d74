"""The audit table: columns and order, verdict rules, verdict counts, input checks, and the
comparison rule's invariants (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from signal_inputs import event, events, fundamentals

from catalystlab.analysis.audit import AUDIT_COLUMNS, VERDICTS, Claim, audit_claims, verdict_counts
from catalystlab.analysis.audit.outcome import meets
from catalystlab.analysis.audit.table import verdict
from catalystlab.core.errors import BadInputError

EVENTS = events(
    [
        event("AAA", "layoff", "2023-01-04", headcount=100),
        event("AAA", "layoff", "2023-02-04", headcount=50),
    ]
)


def claim(claim_id: str, check: dict, **fields) -> Claim:
    return Claim.model_validate(
        {"id": claim_id, "text": f"text of {claim_id}", "source": "src", **fields, "check": check}
    )


def layoffs(claimed: float) -> dict:
    return {
        "kind": "event_total",
        "ticker": "AAA",
        "event_kind": "layoff",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "comparison": "at_least",
        "claimed": claimed,
    }


CLAIMS = [
    claim("held", layoffs(150)),
    claim("missed", layoffs(151)),
    claim("qualified", layoffs(100), partial=True, context="Only one unit."),
    claim("unknown", {"kind": "not_in_data", "claimed": 0.13, "unit": "fraction"}, context="n"),
    claim("blank", {"kind": "not_in_data"}),
]


@pytest.fixture
def table() -> pd.DataFrame:
    return audit_claims(CLAIMS, fundamentals=fundamentals([]), events=EVENTS)


def test_one_row_per_claim_in_order_with_the_documented_columns(table):
    assert table.index.name == "id"
    assert list(table.index) == ["held", "missed", "qualified", "unknown", "blank"]
    assert tuple(table.columns) == AUDIT_COLUMNS
    assert table["measured"].dtype == "float64"
    assert table["claimed"].dtype == "float64"
    assert table.loc["held", "claim"] == "text of held"
    assert table.loc["held", "source"] == "src"
    assert table.loc["qualified", "context"] == "Only one unit."


def test_verdicts(table):
    assert table["verdict"].to_dict() == {
        "held": "confirmed",
        "missed": "not supported",
        "qualified": "partly",
        "unknown": "not in data",
        "blank": "not in data",
    }
    assert table.loc["held", "measured"] == 150


def test_not_in_data_records_the_claimed_number_only(table):
    assert math.isnan(table.loc["unknown", "measured"])
    assert table.loc["unknown", "claimed"] == 0.13
    assert table.loc["unknown", "unit"] == "fraction"
    assert math.isnan(table.loc["blank", "claimed"])


def test_verdict_counts_lists_every_verdict(table):
    assert verdict_counts(table) == {
        "confirmed": 1,
        "partly": 1,
        "not supported": 1,
        "not in data": 2,
    }
    assert list(verdict_counts(table.iloc[:1])) == list(VERDICTS)
    assert verdict_counts(table.iloc[:1])["not in data"] == 0


@pytest.mark.parametrize(
    ("met", "partial", "expected"),
    [
        (None, False, "not in data"),
        (None, True, "not in data"),
        ((True,), False, "confirmed"),
        ((True,), True, "partly"),
        ((False,), False, "not supported"),
        ((False,), True, "not supported"),
        ((True, True), False, "confirmed"),
        ((True, False), False, "partly"),
        ((False, True), False, "partly"),
        ((False, False), True, "not supported"),
    ],
)
def test_verdict_rule(met, partial, expected):
    assert verdict(met, partial=partial) == expected


def test_no_claims_gives_an_empty_table():
    empty = audit_claims([], fundamentals=fundamentals([]), events=EVENTS)
    assert empty.empty
    assert tuple(empty.columns) == AUDIT_COLUMNS
    assert verdict_counts(empty) == dict.fromkeys(VERDICTS, 0)


@pytest.mark.parametrize("name", ["fundamentals", "events"])
def test_tables_without_the_pit_columns_are_refused(name):
    tables = {"fundamentals": fundamentals([]), "events": EVENTS}
    tables[name] = tables[name].drop(columns=["known_from"])
    with pytest.raises(BadInputError, match=rf"The {name} table lacks column\(s\) known_from"):
        audit_claims(CLAIMS, **tables)


def test_as_of_audits_what_was_known_then():
    early = audit_claims(
        CLAIMS, fundamentals=fundamentals([]), events=EVENTS, as_of=pd.Timestamp("2023-02-03")
    )
    assert early.loc["held", "measured"] == 100
    assert early.loc["held", "verdict"] == "not supported"
    before_all = audit_claims(
        CLAIMS, fundamentals=fundamentals([]), events=EVENTS, as_of=pd.Timestamp("2022-12-31")
    )
    assert before_all.loc["held", "verdict"] == "not in data"  # no AAA event known yet


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
tolerances = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(measured=finite, claimed=finite, tolerance=tolerances)
def test_about_is_at_least_and_at_most(measured, claimed, tolerance):
    both = meets(measured, claimed, "at_least", tolerance) and meets(
        measured, claimed, "at_most", tolerance
    )
    assert meets(measured, claimed, "about", tolerance) == both


@given(measured=finite, claimed=finite, tolerance=tolerances, extra=tolerances)
def test_a_wider_tolerance_never_unmeets(measured, claimed, tolerance, extra):
    for comparison in ("about", "at_least", "at_most"):
        if meets(measured, claimed, comparison, tolerance):
            assert meets(measured, claimed, comparison, tolerance + extra)


@given(claimed=finite, tolerance=tolerances)
@example(claimed=123456789.123, tolerance=0.001)  # claimed + tolerance rounds
def test_the_tolerance_edges_are_met(claimed, tolerance):
    assert meets(claimed + tolerance, claimed, "about", tolerance)
    assert meets(claimed - tolerance, claimed, "at_least", tolerance)
    assert meets(claimed + tolerance, claimed, "at_most", tolerance)


@pytest.mark.parametrize(
    ("context", "detail"),
    [
        (
            "Not checkable: a price target; no check kind measures this number.",
            "Not checkable: a price target; no check kind measures this number.",
        ),
        (
            "A Morgan Stanley projection,\n  not an Amazon figure",
            "Not checkable: A Morgan Stanley projection, not an Amazon figure.",
        ),
        ("", "The fundamentals and events tables hold no figure that measures this claim."),
    ],
)
def test_a_not_in_data_claims_detail_is_its_own_reason(context, detail):
    unchecked = claim("unchecked", {"kind": "not_in_data", "claimed": 265.0}, context=context)
    row = audit_claims([unchecked], fundamentals=fundamentals([]), events=EVENTS).iloc[0]
    assert row["verdict"] == "not in data"
    assert row["detail"] == detail
