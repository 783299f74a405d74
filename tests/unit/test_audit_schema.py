"""Claims files: a good file loads; every bad one is a BadInputError naming file, claim, fix."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from catalystlab.analysis.audit import load_claims
from catalystlab.analysis.audit.schema import EventExists, MetricGrowth, NotInData
from catalystlab.core.errors import BadInputError

REPO = Path(__file__).resolve().parents[2]

GOOD = """
claims:
  - id: growth
    text: "Operating income surged 86%"
    source: paragraph 3
    check:
      kind: metric_growth
      ticker: amzn
      metric: operating_income
      fiscal_year: 2024
      claimed: 0.86
      tolerance: 0.005
      claimed_total: 68600
      total_tolerance: 50
  - id: memo
    text: "ratio +15%"
    source: paragraph 2
    context: the goal, not the result
    partial: true
    check:
      kind: event_exists
      ticker: AMZN
      event_kind: workforce_memo
      start: 2024-01-01
      end: 2025-08-01
      description_contains: "15%"
  - id: managers
    text: "13% of managers"
    source: paragraph 2
    check: {kind: not_in_data, claimed: 0.13, unit: fraction}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_claim(check: str, extra: str = "") -> str:
    return f"""
claims:
  - id: bad_one
    text: words
    source: here
{extra}    check: {check}
"""


def test_a_good_file_loads_in_order_with_typed_checks(tmp_path):
    claims = load_claims(write(tmp_path, GOOD))
    assert [c.id for c in claims] == ["growth", "memo", "managers"]
    growth, memo, managers = (c.check for c in claims)
    assert isinstance(growth, MetricGrowth)
    assert growth.ticker == "AMZN"  # upper-cased
    assert growth.comparison == "about"  # the default
    assert isinstance(memo, EventExists)
    assert memo.description_contains == ("15%",)
    assert memo.start == dt.date(2024, 1, 1)
    assert claims[1].partial
    assert isinstance(managers, NotInData)
    assert managers.claimed == 0.13


def test_the_shipped_claims_file_loads():
    claims = load_claims(REPO / "config" / "claims" / "amazon_ai_call.yaml")
    assert [c.id for c in claims] == [
        "operating_income_2024",
        "jobs_cut_three_years",
        "managers_cut_13pct",
        "ic_manager_ratio_15pct",
        "ai_spend_105bn_2025",
        "coding_assistant_4500_years",
    ]


METRIC = "{kind: metric_total, ticker: AMZN, metric: capex, fiscal_year: 2025, claimed: 1"
EVENT = "{kind: event_total, ticker: AMZN, event_kind: layoff, start: 2023-01-01, end: 2024-01-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("claims:\n  - id: x\n   text: [\n", ["malformed YAML at line", "'claims:' list"]),
        ("- just\n- a list\n", ["expected a mapping", "'claims:' list"]),
        ("claims: []\n", ["the list is empty; add at least one claim"]),
        (
            one_claim(METRIC + "}", extra="    colour: red\n"),
            ["claim 'bad_one'", "unknown key 'colour'", "remove it or correct its spelling"],
        ),
        (
            one_claim(METRIC + ", tolerence: 5}"),
            ["claim 'bad_one'", "unknown key 'check.tolerence'"],
        ),
        (
            one_claim("{kind: metric_sum, ticker: AMZN}"),
            ["claim 'bad_one'", "check kind 'metric_sum' is unknown", "use one of metric_total"],
        ),
        (
            one_claim("{ticker: AMZN}"),
            ["claim 'bad_one'", "check has no kind; add kind: one of metric_total"],
        ),
        (
            one_claim("{kind: metric_total, ticker: AMZN, metric: capex, claimed: 1}"),
            ["claim 'bad_one'", "check.fiscal_year is missing; add it"],
        ),
        (
            "claims:\n  - id: no_text\n    source: s\n    check: {kind: not_in_data}\n",
            ["claim 'no_text'", "text is missing; add it"],
        ),
        (
            "claims:\n  - text: t\n    source: s\n    check: {kind: not_in_data}\n",
            ["claim #1 (no id)", "id is missing"],
        ),
        (
            one_claim(METRIC + ", comparison: roughly}"),
            [
                "claim 'bad_one'",
                "check.comparison: 'roughly' is not allowed",
                "'about', 'at_least' or 'at_most'",
            ],
        ),
        (
            one_claim(EVENT.replace("layoff", "firing") + ", claimed: 1}"),
            ["check.event_kind: unknown event kind 'firing'"],
        ),
        (
            one_claim(EVENT.replace("2024-01-01", "2022-01-01") + ", claimed: 1}"),
            ["end 2022-01-01 is before start 2023-01-01; give start <= end"],
        ),
        (one_claim(METRIC + ", tolerance: -1}"), ["check.tolerance", "greater than or equal"]),
        (
            one_claim(METRIC.replace("claimed: 1", "claimed: lots") + "}"),
            ["check.claimed", "valid number", "(got 'lots')"],
        ),
        (
            one_claim(METRIC.replace("AMZN", "'not a ticker'") + "}"),
            ["check.ticker", "is not a ticker symbol"],
        ),
        (
            one_claim(METRIC + "}", extra="    partial: true\n"),
            ["claim 'bad_one'", "partial: true needs a context"],
        ),
        (one_claim("{kind: not_in_data}").replace("bad_one", "Bad One"), ["id: use lower-case"]),
        (
            "claims:\n"
            "  - {id: a, text: t, source: s, check: {kind: not_in_data}}\n"
            "  - {id: a, text: t, source: s, check: {kind: not_in_data}}\n",
            ["duplicate claim id(s) a; give each claim its own id"],
        ),
        ("claims:\n  - just text\n", ["claim #1 (no id)", "valid dictionary"]),
        (GOOD + "extra: 1\n", ["unknown key 'extra'"]),
    ],
)
def test_bad_claims_files(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(BadInputError) as caught:
        load_claims(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for part in expected:
        assert part in message


def test_a_missing_file(tmp_path):
    with pytest.raises(BadInputError, match=r"does not exist; give the path of a claims YAML"):
        load_claims(tmp_path / "nope.yaml")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = one_claim(METRIC + ", comparison: roughly}", extra="    colour: red\n")
    with pytest.raises(BadInputError) as caught:
        load_claims(write(tmp_path, text))
    assert "colour" in str(caught.value)
    assert "roughly" in str(caught.value)
