"""The article reader on the seed article and on a folder of articles, with the real snapshot.

Known answers: the hand-written claims file of the flagship (config/claims/amazon_ai_call.yaml)
audited on the same data; the ledger of a hand-written CSV with the same calls.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import catalystlab as cl
from catalystlab.analysis.audit import audit_claims, load_claims
from catalystlab.config import load_config
from catalystlab.inputs.events import curated_event_paths, load_events
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
HAND = REPO / "config" / "claims" / "amazon_ai_call.yaml"
# the hand-written claim -> the drafted claim that states the same number
SAME = {
    "operating_income_2024": "operating_income_growth_2024",  # +86% to $68.6B in 2024
    "jobs_cut_three_years": "layoffs_2022_2025",  # more than 27,000 jobs
    "ai_spend_105bn_2025": "capex_total_2025",  # $105B into AI
}


@pytest.fixture(scope="module")
def drafted(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("article_init")
    return cl.init_from_article(
        "amazon_article",
        shared_data.parent / "article.txt",
        window=("2025-07-01", "2025-08-01"),
        out=out,
        data_dir=shared_data,
    )


def test_seed_article_reproduces_the_flagship_call(drafted):
    config = load_config(yaml.safe_load(drafted.config.read_text(encoding="utf-8")))
    flagship = load_config(REPO / "config" / "amazon_ai_call.yaml")
    assert config.call.ticker == "AMZN" and config.call.stance == "buy"
    assert drafted.article.rivals == ("MSFT", "NVDA", "META")
    assert config.call.benchmarks == flagship.call.benchmarks
    assert (config.call.date, config.call.window, config.call.entry) == (
        flagship.call.date,
        flagship.call.window,
        flagship.call.entry,
    )
    ids = [s.id for s in config.strategies]
    assert ids == [s.id for s in flagship.strategies]
    for mine, theirs in zip(config.strategies, flagship.strategies, strict=True):
        assert mine.model_dump(exclude={"label"}) == theirs.model_dump(exclude={"label"})


def test_seed_article_claims_audit_to_the_hand_written_findings(drafted, shared_data):
    fundamentals = load_snapshot_fundamentals(shared_data)
    events = load_events(curated_event_paths())
    hand = audit_claims(load_claims(HAND), fundamentals=fundamentals, events=events, as_of=None)
    mine = audit_claims(
        load_claims(drafted.claims), fundamentals=fundamentals, events=events, as_of=None
    )
    for theirs, ours in SAME.items():
        assert mine.loc[ours, "verdict"] == hand.loc[theirs, "verdict"]
        assert mine.loc[ours, "measured"] == pytest.approx(hand.loc[theirs, "measured"])
    assert mine.loc["operating_income_growth_2024", "verdict"] == "confirmed"
    assert mine.loc["layoffs_2022_2025", "measured"] == 27500
    assert mine.loc["capex_total_2025", "verdict"] == "partly"
    # every other number is listed, as not checkable
    others = mine.drop(index=list(SAME.values()))
    assert len(others) == 5 and set(others["verdict"]) == {"not in data"}


ARTICLES = {
    "msft.txt": "Microsoft: Buy the Copilot Cycle\nBy Sam Ortiz\nPublished: March 1, 2024 "
    "8:00 AM ET\nWe rate Microsoft a buy.\n",
    "nvda.txt": "Nvidia Has Run Too Far\nBy Sam Ortiz\nPublished: June 3, 2024 8:00 AM ET\n"
    "We downgrade Nvidia to Sell.\n",
    "meta.txt": "Meta: Wait and See\nBy Sam Ortiz\nPublished: May 1, 2024\nWe rate Meta a Hold.\n",
    "notes.txt": "Thoughts on the market\nBy Sam Ortiz\nNo stock in particular today.\n",
}


def test_ledger_from_articles_equals_the_hand_written_ledger(shared_data, tmp_path):
    folder = tmp_path / "author"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "tests" / "fixtures" / "articles" / "amzn_after_close.txt", folder)
    options = dict(data_dir=shared_data, offline=True, write=False, draws=50, reps=50)
    read = cl.ledger(folder, from_articles=True, source="Sam Ortiz", **options)
    reasons = {s.path.name: s.reason for s in read.skipped}
    assert sorted(reasons) == ["meta.txt", "notes.txt"]
    assert "hold" in reasons["meta.txt"] and "We rate Meta a Hold." in reasons["meta.txt"]
    assert "no company" in reasons["notes.txt"] and "no publication date" in reasons["notes.txt"]
    assert any("Not a call: meta.txt" in note for note in read.outcome.notes)
    hand = tmp_path / "hand.csv"
    hand.write_text(
        "id,ticker,date,window_start,window_end,stance,source\n"
        "amzn_after_close.txt,AMZN,2025-07-02,2025-07-01,2025-07-02,buy,Sam Ortiz\n"  # after close
        "msft.txt,MSFT,2024-03-01,,,buy,Sam Ortiz\n"
        "nvda.txt,NVDA,2024-06-03,,,sell,Sam Ortiz\n",  # published before the open: that day
        encoding="utf-8",
    )
    expected = cl.ledger(hand, **options)
    columns = [c for c in expected.calls.columns if c not in ("note", "line")]
    got = read.calls[columns].sort_values(["id", "horizon"]).reset_index(drop=True)
    want = expected.calls[columns].sort_values(["id", "horizon"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
