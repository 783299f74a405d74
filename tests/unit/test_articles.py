"""The article reader: the test articles of tests/fixtures/articles (written for these tests)
each with its expected extraction, hostile inputs, and properties of the ticker rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalystlab.analysis.audit.loader import load_claims
from catalystlab.config import load_config
from catalystlab.core.errors import BadInputError
from catalystlab.inputs.articles import read_article, read_article_file
from catalystlab.inputs.articles.tickers import companies, find_mentions

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "fixtures" / "articles"
D = dt.date

# file: (ticker, stance, rivals, indexes, entry day, entry convention, source, problem words)
EXPECTED = {
    "nvda_cashtag_buy.txt": ("NVDA", "buy", ("AMD", "INTC"), (), D(2025, 3, 3), "next_open",
                             "Priya Raman", None),
    "tsla_downgrade_sell.txt": ("TSLA", "sell", ("F", "GM"), (), D(2025, 6, 10), "close", None,
                                None),
    "intc_negated_buy.txt": ("INTC", None, (), (), D(2025, 2, 15), "next_open", None,
                             "negated"),
    "meta_not_a_sell.txt": ("META", "buy", ("GOOGL",), (), D(2025, 4, 23), "next_open", None,
                            None),
    "aapl_hold.txt": ("AAPL", "hold", (), (), D(2025, 1, 9), "next_open", None, "hold"),
    "msft_news_no_rating.txt": ("MSFT", None, (), (), D(2025, 5, 6), "next_open", None,
                                "no buy or sell rating"),
    "googl_several_tickers.txt": ("GOOGL", "buy", ("AMZN", "MSFT", "META", "AAPL"), (),
                                  D(2025, 9, 3), "next_open", "Marco Diaz", None),
    "orcl_price_target.txt": ("ORCL", "buy", (), (), D(2025, 7, 15), "next_open", None, None),
    "avgo_page.html": ("AVGO", "buy", (), (), D(2025, 6, 14), "next_open", "Lena Fischer", None),
    "cost_no_date.txt": ("COST", "buy", (), (), None, "next_open", None, "no publication date"),
    "acme_suffix_ticker.txt": ("ACMR", "buy", (), (), D(2024, 11, 6), "next_open", None, None),
    "nflx_glued_sell.txt": ("NFLX", "sell", ("DIS",), (), D(2025, 5, 3), "next_open", "Dana Lee",
                            None),
    "jpm_yardstick.txt": ("JPM", "buy", (), ("SPY", "IWM"), D(2025, 2, 3), "next_open", None,
                          None),
    "ba_reported_buy.txt": ("BA", "sell", (), (), D(2025, 10, 21), "next_open", None, None),
    "uber_buy_and_sell.txt": ("UBER", None, (), (), D(2025, 8, 12), "next_open", None,
                              "rates both buy"),
    "amzn_after_close.txt": ("AMZN", "buy", (), (), D(2025, 7, 2), "next_open", None, None),
    "nke_underweight_gmt.txt": ("NKE", "sell", (), (), D(2025, 3, 21), "close", None, None),
    "brk_class_b_outperform.txt": ("BRK-B", "buy", ("AAPL",), ("SPY",), D(2024, 11, 4),
                                   "next_open", "Ruth Okafor", None),
    # written for the end-to-end check of issue 20 (q20): formats the first set lacked
    "msft_cookie_page.html": ("MSFT", "buy", ("GOOGL",), (), D(2025, 3, 3), "next_open",
                              "Helen Park", None),
    "meta_downgrade_underperform.txt": ("META", "sell", ("GOOGL", "MSFT"), (), D(2025, 2, 11),
                                        "next_open", "Omar Haddad", None),
    "googl_subject_second.txt": ("GOOGL", "buy", ("MSFT",), (), D(2025, 4, 15), "next_open",
                                 "Sara Quinn", None),
    "nvda_not_selling.txt": ("NVDA", None, (), (), D(2025, 1, 29), "next_open", "Tom Reyes",
                             "negated"),
    "amzn_price_target_no_date.txt": ("AMZN", "buy", (), (), None, "next_open", None,
                                      "no publication date"),
    "meta_reuters_quoted_short.txt": ("META", None, (), (), None, "next_open", None,
                                      "said by others"),
    "brk_short_name_glued_rival.txt": ("BRK-B", "buy", ("AAPL",), (), D(2025, 5, 6), "next_open",
                                       None, None),
    "intc_upgrade_from_hold.txt": ("INTC", "buy", ("AMD",), (), D(2025, 6, 6), "next_open",
                                   "Kim Alvarez", None),
}  # fmt: skip


def test_every_fixture_article_has_an_expectation():
    assert sorted(p.name for p in ARTICLES.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_article_extraction(name):
    ticker, stance, rivals, indexes, day, entry, source, problem = EXPECTED[name]
    article = read_article(read_article_file(ARTICLES / name))
    assert article.ticker == ticker
    assert article.stance == stance
    assert article.rivals == rivals
    assert article.indexes == indexes
    assert article.date == day
    assert article.entry == entry
    assert article.source == source
    if problem is None:
        assert article.is_call, article.problems
    else:
        assert not article.is_call
        assert problem in " ".join(article.problems)


def test_html_page_loses_scripts_navigation_and_furniture():
    text = read_article_file(ARTICLES / "avgo_page.html")
    assert "Broadcom (NASDAQ: AVGO)" in text
    for furniture in ("TSLA", "promo", "Home", "Not investment advice", "Nvidia", "&amp;"):
        assert furniture not in text


def test_claims_of_an_article_map_to_checks():
    article = read_article(read_article_file(ARTICLES / "amzn_after_close.txt"))
    checks = {c.id: c.check for c in article.claims}
    assert checks["revenue_growth_2024"] == {
        "kind": "metric_growth", "ticker": "AMZN", "metric": "revenue", "fiscal_year": 2024,
        "comparison": "about", "claimed": 0.11, "tolerance": pytest.approx(0.005),
        "claimed_total": 638000.0, "total_tolerance": pytest.approx(500.0),
    }  # fmt: skip
    layoffs = checks["layoffs_2022_2025"]
    assert (layoffs["start"], layoffs["end"]) == (D(2022, 1, 1), D(2025, 7, 2))  # "since 2022"
    assert (layoffs["comparison"], layoffs["claimed"], layoffs["tolerance"]) == (
        "at_least", 27000.0, 0.0,
    )  # fmt: skip
    capex = checks["capex_total_2025"]  # "will top $100 billion this year"
    assert (capex["fiscal_year"], capex["comparison"], capex["claimed"]) == (
        2025, "at_least", 100000.0,
    )  # fmt: skip


def test_unmappable_numbers_are_listed_with_a_reason_never_dropped():
    article = read_article(read_article_file(ARTICLES / "avgo_page.html"))
    assert [(c.check["kind"], c.check["claimed"]) for c in article.claims] == [
        ("not_in_data", 0.46),
        ("not_in_data", 4400.0),
    ]
    assert all("segment" in c.reason for c in article.claims)  # "AI semiconductor revenue"
    target = read_article(read_article_file(ARTICLES / "orcl_price_target.txt")).claims
    assert [(c.check["claimed"], c.check["unit"]) for c in target] == [(250.0, "USD")]
    # index names and times of day are not numbers the article claims
    jpm = read_article(read_article_file(ARTICLES / "jpm_yardstick.txt"))
    assert [c.id for c in jpm.claims] == ["net_income_growth_2024"]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("We would not buy Intel at this price.", None),
        ("Tesla is not a sell here.", None),
        ("Analysts rate Tesla a buy.", None),
        ("We are buyers, and rate Tesla a Buy.", "buy"),
        ("Tesla: we downgrade to Sell.", "sell"),
        ("We stay Underweight on Tesla.", "sell"),
        ("Buy and hold investors loved Tesla's buyback.", None),
        ("Tesla fell short of estimates after a sell-off.", None),
        ("Tesla is a strong buy.", "buy"),
        ("Rating: Neutral. Tesla is fairly valued.", "hold"),
        # an upgrade or downgrade names the company, its tag and the old rating first
        ("We upgrade Tesla, Inc. (NASDAQ: TSLA) from Hold to Buy.", "buy"),
        ("We upgrade Tesla (TSLA) to Buy from Hold.", "buy"),
        ("We downgrade Tesla (TSLA) to Hold from Buy.", "hold"),
        ("We would not downgrade Tesla (TSLA) to Sell.", None),  # negation before the verb
        ("We rate Tesla Inc. (NASDAQ: TSLA) Outperform.", "buy"),
        ("We do not rate Tesla (TSLA) a Buy.", None),
        ('"We are short Tesla," Lowe said.', None),  # a quoted speaker's, not the author's
    ],
)
def test_stance_words_negation_and_scope(sentence, stance):
    article = read_article(f"Tesla today\n{sentence}", date="2025-01-02")
    assert article.stance == stance


def test_ambiguous_subject_asks_for_ticker_and_ticker_settles_it():
    text = "Apple versus Microsoft\nPublished 2025-01-02\nApple and Microsoft both rate a buy."
    article = read_article(text)
    assert article.ticker is None and "give --ticker" in article.problems[0]
    assert read_article(text, ticker="msft").ticker == "MSFT"
    with pytest.raises(BadInputError, match="--ticker"):
        read_article(text, ticker="../etc")


def test_time_of_day_sets_the_entry_convention():
    def entry(line):
        article = read_article(f"Buy Apple now\n{line}\nWe rate Apple a buy.")
        return article.date, article.entry

    assert entry("Published: March 3, 2025 9:29 AM ET") == (D(2025, 3, 3), "next_open")
    assert entry("Published: March 3, 2025 9:30 AM ET") == (D(2025, 3, 3), "close")
    assert entry("Published: March 3, 2025 4:00 PM ET") == (D(2025, 3, 4), "next_open")
    assert entry("Published: March 3, 2025") == (D(2025, 3, 4), "next_open")
    # 14:00 UTC in winter is 9:00 in New York; in summer 10:00
    assert entry("Published: January 6, 2025 14:00 UTC") == (D(2025, 1, 6), "next_open")
    assert entry("Published: July 7, 2025 14:00 UTC") == (D(2025, 7, 7), "close")


def test_a_date_in_the_address():
    article = read_article("We rate Apple a buy.", url="https://example.com/2025/03/14/apple")
    assert (article.date, article.published.how) == (D(2025, 3, 15), "address")


# Hostile inputs


def test_a_large_file_is_refused_by_its_size_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read whole"))
    with pytest.raises(BadInputError, match="more than an article's"):
        read_article_file(big)
    from catalystlab.cli import main

    argv = ["init", "x", "--from-article", str(big), "--date", "2025-01-02"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "holds no text"),
        (b"   \n\t\n", "holds no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Société Générale: achetez".encode("latin-1"), "not UTF-8"),
        ("We rate Apple a buy".encode("utf-16"), "UTF-16"),
        (b"We rate \x00 Apple a buy", "binary"),
    ],
)
def test_hostile_files_are_bad_input(tmp_path, content, words):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=words):
        read_article_file(path)


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01\x02binary", "café".encode("latin-1"), b"<html><script>x</script>"]
)
def test_init_from_article_exits_2_without_a_traceback(tmp_path, content, capsys):
    from catalystlab.cli import main

    path = tmp_path / "article.html"
    path.write_bytes(content)
    argv = ["init", "x", "--from-article", str(path), "--date", "2025-01-02"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# Writing the drafts


def test_init_from_article_writes_a_valid_commented_config_and_claims(tmp_path):
    import catalystlab as cl

    done = cl.init_from_article(
        "amzn_call", ARTICLES / "amzn_after_close.txt", out=tmp_path, data_dir=None
    )
    text = done.config.read_text(encoding="utf-8")
    assert 'read from: "We think Amazon is a buy."' in text
    raw = yaml.safe_load(text)
    assert raw["claims"] == str(done.claims)
    config = load_config(raw)
    assert (config.call.ticker, config.call.stance, config.call.date) == (
        "AMZN", "buy", D(2025, 7, 2),
    )  # fmt: skip
    ids = [s.id for s in config.strategies]
    assert ids[:3] == ["buy_hold_amzn", "buy_hold_spy", "buy_hold_qqq"]
    assert {"margin_amzn", "layoffs_amzn", "capex_amzn", "thesis_amzn"} <= set(ids)
    claims = load_claims(done.claims)
    assert [c.id for c in claims] == [c.id for c in done.article.claims]
    with pytest.raises(BadInputError, match="never overwrites"):
        cl.init_from_article("amzn_call", ARTICLES / "amzn_after_close.txt", out=tmp_path)


def test_a_hold_article_writes_nothing_and_quotes_the_sentence(tmp_path):
    import catalystlab as cl

    with pytest.raises(BadInputError, match="We rate Apple a Hold"):
        cl.init_from_article("aapl", ARTICLES / "aapl_hold.txt", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_rivals_without_prices_are_left_out_with_a_data_dir(tmp_path):
    import catalystlab as cl

    prices = tmp_path / "data" / "prices"
    prices.mkdir(parents=True)
    for ticker in ("SPY", "QQQ", "AMD"):
        (prices / f"{ticker}.csv").write_text("Date,Open,High,Low,Close,Volume\n")
    done = cl.init_from_article(
        "nvda", ARTICLES / "nvda_cashtag_buy.txt", out=tmp_path, data_dir=tmp_path / "data"
    )
    config = load_config(yaml.safe_load(done.config.read_text(encoding="utf-8")) | {"claims": None})
    assert config.call.benchmarks == ("SPY", "QQQ", "AMD")
    assert "INTC is named but has no prices" in done.config.read_text(encoding="utf-8")
    assert done.left_out == ("INTC",)
    from catalystlab.report.article_terminal import article_lines

    benchmarks, claims = article_lines(done.article, done.left_out)[2::2]
    assert benchmarks == (
        "Benchmarks: SPY, QQQ, AMD; rivals named: AMD, INTC; left out for want of prices: INTC."
    )
    assert claims == "Claims: 1 number, 1 with a check against the data, 0 listed as not checkable."


def test_sentences_in_comments_cannot_break_the_yaml(tmp_path):
    import catalystlab as cl

    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        'Buy Apple\nPublished 2025-01-02\nWe rate Apple a buy"\n# name: evil\x0b: [&x *x] {a: b}.\n'
        "Apple revenue rose 10% to $400 billion in 2024 # ]] \"' \\\n",
        encoding="utf-8",
    )
    done = cl.init_from_article("aapl", hostile, out=tmp_path / "out")
    raw = yaml.safe_load(done.config.read_text(encoding="utf-8"))
    assert raw["name"] == "aapl"
    assert load_claims(done.claims)[0].check.claimed == pytest.approx(0.10)


# Properties of the ticker rules

_WORDS = st.sampled_from(
    ["the", "stock", "rose", "AI", "CEO", "(AWS)", "US", "buy", "$", "--", "(NYSE:", ")", "ETF",
     "Amazon", "Meta", "metadata", "(NASDAQ:ZZZZ)", "$QQQ", "Acme Inc. (ACME)", "X", "Q2", "2024",
     "NVIDIANVDA--", "appleAPL--", "S&P 500", "apple", "Inc.", "(IPO)", "$105", "BRK.B"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=30), st.lists(st.sampled_from([" ", "", ". "]), max_size=30))
@example(["(NYSE:", "the", ")"], ["", "", ""])  # a ticker is written in capitals
def test_no_ticker_is_invented(words, gaps):
    text = "".join(w + (gaps[i] if i < len(gaps) else " ") for i, w in enumerate(words))
    names = {n: c.ticker for c in companies() for n in c.names}
    for mention in find_mentions([text]):
        assert mention.words in text
        literal = mention.ticker.replace("-", ".") in mention.words or mention.ticker in (
            mention.words
        )
        assert literal or names.get(mention.words) == mention.ticker


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_text_reads_or_fails_as_bad_input(text):
    try:
        article = read_article(text)
    except BadInputError:
        return
    for mention in article.mentions:
        assert mention.words in article.text
    assert article.stance in (None, "buy", "sell", "hold")


@pytest.mark.parametrize(
    ("sentence", "check"),
    [
        ("Revenue grew 9% in Q2 2025.", {"kind": "metric_growth", "metric": "revenue",
         "fiscal_year": 2025, "fiscal_quarter": 2, "claimed": 0.09, "tolerance": 0.005}),
        ("Amazon's operating margin was 11.2% in Q3 2024.", {"kind": "metric_total",
         "metric": "operating_margin", "fiscal_year": 2024, "fiscal_quarter": 3,
         "claimed": 0.112, "tolerance": 0.0005}),
        ("Net income was $59.2 billion in 2024.", {"kind": "metric_total",
         "metric": "net_income", "fiscal_year": 2024, "claimed": 59200.0, "tolerance": 50.0}),
        ("Capex rose 60% in 2024.", {"kind": "metric_growth", "metric": "capex",
         "fiscal_year": 2024, "claimed": 0.6, "tolerance": 0.005}),
        ("Revenue fell 3.5% in fiscal 2023.", {"kind": "metric_growth", "metric": "revenue",
         "fiscal_year": 2023, "claimed": -0.035, "tolerance": 0.0005}),
        ("Amazon laid off about 14,000 employees in 2023.", {"kind": "event_total",
         "start": D(2023, 1, 1), "end": D(2023, 12, 31), "comparison": "about",
         "claimed": 14000.0, "tolerance": 500.0}),
        ("AI semiconductor revenue rose 46% in 2024.", {"kind": "not_in_data"}),
        ("Gross margin fell to 40% in 2024.", {"kind": "not_in_data"}),
        ("Revenue grew 20% last quarter.", {"kind": "not_in_data"}),
        ("Amazon cut 9,000 jobs.", {"kind": "not_in_data"}),
        ("Amazon will cut 9,000 jobs in 2027.", {"kind": "not_in_data"}),
        ("Amazon and Microsoft grew revenue 10% in 2024.", {"kind": "not_in_data"}),
    ],
)  # fmt: skip
def test_claim_mapping_rules(sentence, check):
    article = read_article(f"Buy Amazon\nPublished 2025-03-02\n{sentence}\nWe rate Amazon a buy.")
    (claim,) = article.claims
    assert {k: claim.check.get(k) for k in check} == check
    assert claim.checkable == (check["kind"] != "not_in_data")
    assert claim.checkable or claim.reason


def test_a_claims_text_is_the_clause_of_its_number():
    from catalystlab.report.claims_template import clause

    sentence = "Jobs fell by 9,000—a blow—while it spent $5 billion on chips; shares rose."
    assert clause(sentence, "9,000") == "Jobs fell by 9,000"
    assert clause(sentence, "spent $5 billion") == "while it spent $5 billion on chips"
    assert clause(sentence, "absent") == sentence
    assert clause("One part only.", "One") == "One part only."


def test_markup_in_a_quoted_sentence_is_printed_as_text(tmp_path, capsys):
    from catalystlab.cli import main

    path = tmp_path / "hold.txt"
    path.write_text("Apple today\nPublished 2025-01-02\nWe rate Apple a Hold [/red] [b]x.\n")
    assert main(["init", "x", "--from-article", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "Hold [/red] [b]x." in capsys.readouterr().err


def test_a_data_dump_is_refused_and_a_run_on_sentence_is_cut():
    from catalystlab.inputs.articles.text import MAX_SENTENCE, sentences

    with pytest.raises(BadInputError, match="more than 500 numbers"):
        read_article("Buy Apple\n" + "1,000 " * 600, date="2025-01-02")
    parts = sentences("word " * 1000)
    assert max(len(p) for p in parts) <= MAX_SENTENCE
    assert " ".join(parts).split() == ["word"] * 1000


# A folder of articles as a ledger (the ledger itself runs in the integration test)


def test_articles_ledger_rows_and_skipped_articles(tmp_path):
    from catalystlab.inputs.articles.folder import articles_ledger

    for name in ("nvda_cashtag_buy.txt", "aapl_hold.txt", "cost_no_date.txt", "avgo_page.html"):
        (tmp_path / name).write_bytes((ARTICLES / name).read_bytes())
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    ledger, skipped = articles_ledger(tmp_path)
    rows = {c.id: (c.ticker, c.stance, c.date, c.window, c.source) for c in ledger.calls}
    assert rows == {
        "avgo_page.html": ("AVGO", "buy", D(2025, 6, 14), (D(2025, 6, 13), D(2025, 6, 14)),
                           "Lena Fischer"),
        "nvda_cashtag_buy.txt": ("NVDA", "buy", D(2025, 3, 3), None, "Priya Raman"),
    }  # fmt: skip
    reasons = {s.path.name: s.reason for s in skipped}
    assert sorted(reasons) == ["aapl_hold.txt", "binary.txt", "cost_no_date.txt"]
    assert "hold" in reasons["aapl_hold.txt"] and "binary" in reasons["binary.txt"]
    named, _ = articles_ledger(tmp_path, source="Desk")
    assert {c.source for c in named.calls} == {"Desk"}
    with pytest.raises(BadInputError, match="--source"):
        articles_ledger(tmp_path, source="x" * 201)


def test_articles_ledger_without_calls_or_articles(tmp_path):
    from catalystlab.core.errors import DataUnavailableError
    from catalystlab.inputs.articles.folder import articles_ledger

    with pytest.raises(BadInputError, match="holds no article"):
        articles_ledger(tmp_path)
    (tmp_path / "hold.txt").write_bytes((ARTICLES / "aapl_hold.txt").read_bytes())
    with pytest.raises(BadInputError, match=r"hold\.txt: it rates the stock hold"):
        articles_ledger(tmp_path)
    with pytest.raises(DataUnavailableError, match="No folder"):
        articles_ledger(tmp_path / "missing")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["ledger"], "one of them"),
        (["ledger", "x.csv", "--from-articles", "dir"], "one of them"),
        (["ledger", "x.csv", "--source", "Me"], "--source goes with --from-articles"),
        (["init", "x", "--window", "2025-01-01", "2025-01-02"], "--window goes with"),
        (["init", "x", "--ticker", "AAPL"], "needs --ticker and --date"),
        (["init", "x", "--from-article", "a.txt", "--date", "2025-01-02", "--window",
          "2025-01-01", "2025-01-02"], "not both"),
    ],
)  # fmt: skip
def test_flag_combinations_are_bad_input(argv, words, capsys):
    from catalystlab.cli import main

    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_the_subject_is_the_headlines_company_not_the_most_named():
    text = (
        "Why Salesforce Can Still Win\nPublished 2025-05-01\n"
        "Microsoft bundles Copilot. Microsoft discounts Dynamics. Microsoft owns LinkedIn.\n"
        "Microsoft is everywhere. Even so, we rate the stock a buy."
    )
    article = read_article(text)
    assert (article.ticker, article.stance, article.rivals) == ("CRM", "buy", ("MSFT",))
    # without a company in the headline, the rating sentence decides
    body = text.replace("Why Salesforce Can Still Win", "Software notes").replace(
        "we rate the stock a buy.", "we rate Salesforce a buy."
    )
    assert read_article(body).ticker == "CRM"


_CLAIM_WORDS = st.sampled_from(
    ["revenue", "operating", "income", "margin", "capex", "net", "rose", "fell", "grew", "86%",
     "10.8%", "to", "$68.6", "$105", "billion", "in", "since", "between", "and", "2022", "2024",
     "2027", "Q2", "fiscal", "this", "last", "year", "quarter", "over", "the", "past", "three",
     "years", "cut", "shed", "more", "than", "27,000", "jobs", "pouring", "into", "AI", "Meta",
     "Amazon", ".", "—", ";"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_CLAIM_WORDS, min_size=1, max_size=40))
def test_drafted_claims_always_validate(words):
    from catalystlab.report.claims_template import claims_text

    text = "Apple news\n" + " ".join(words)
    article = read_article(text, window=("2025-03-03", "2025-03-04"), ticker="AAPL", stance="buy")
    drafted = claims_text(article)  # validated against the claims schema inside
    if drafted is not None:
        assert len(yaml.safe_load(drafted)["claims"]) == len(article.claims)


def test_a_saved_page_loses_its_cookie_banner_and_related_stories():
    text = read_article_file(ARTICLES / "msft_cookie_page.html")
    assert text.split("\n")[0] == "Microsoft: The Cloud Toll Booth Keeps Paying"
    for furniture in ("cookies", "Accept all", "Related stories", "Tesla", "Apple is a hold"):
        assert furniture not in text
    article = read_article(text)
    assert (article.published.time, article.published.how) == (dt.time(9, 15), "dateline")
    # 9:15 ET is before the 9:30 open: entered at that day's open
    assert (article.date, article.window) == (D(2025, 3, 3), (D(2025, 3, 3), D(2025, 3, 3)))


def test_claims_of_the_new_articles_and_the_reason_of_each_unchecked_one():
    msft = read_article(read_article_file(ARTICLES / "msft_cookie_page.html"))
    checks = {c.id: c.check for c in msft.claims}
    assert checks["revenue_growth_2024"]["claimed"] == 0.16
    assert checks["revenue_growth_2024"]["claimed_total"] == 245_100.0
    assert checks["operating_income_growth_2024"]["claimed_total"] == 109_400.0
    reasons = {c.number: c.reason for c in msft.claims if not c.checkable}
    assert reasons["$80 billion"].startswith("a forecast ('plans capital')")
    assert set(reasons) == {"$80 billion", "$500"}
    googl = read_article(read_article_file(ARTICLES / "googl_subject_second.txt"))
    (claim,) = googl.claims  # "grew revenue 14% to $350.0 billion in 2024": one growth claim
    assert claim.check | {} == {
        "kind": "metric_growth", "ticker": "GOOGL", "metric": "revenue", "fiscal_year": 2024,
        "comparison": "about", "claimed": 0.14, "tolerance": 0.005, "claimed_total": 350_000.0,
        "total_tolerance": 50.0,
    }  # fmt: skip
    meta = read_article(read_article_file(ARTICLES / "meta_downgrade_underperform.txt"))
    assert [c.reason.split(";")[0] for c in meta.claims if not c.checkable][:2] == [
        "a forecast ('guided capital'), not a reported figure"
    ] * 2


def test_catalysts_named_only_about_a_rival_are_not_the_subjects():
    googl = read_article(read_article_file(ARTICLES / "googl_subject_second.txt"))
    assert googl.catalysts == ()  # "Microsoft's capex bill keeps rising" is about Microsoft
    meta = read_article(read_article_file(ARTICLES / "meta_downgrade_underperform.txt"))
    assert [c.signal for c in meta.catalysts] == ["margin", "capex"]


def test_a_reuters_code_is_the_ticker_before_the_dot_and_quoted_ratings_are_reported():
    article = read_article(
        read_article_file(ARTICLES / "meta_reuters_quoted_short.txt"), date=D(2025, 3, 3)
    )
    assert (article.ticker, article.rivals) == ("META", ())  # (META.O), never "META-O"
    assert article.stance is None
    assert '"We are short Meta," Lowe said.' in " ".join(article.problems)
    quoted = read_article('Buy Nvidia\nPublished May 1, 2025\nWe rate Nvidia (NVDA) a "buy".')
    assert quoted.stance == "buy"  # a quoted rating word with no speaker stays the author's


def test_a_date_only_in_the_address_dates_the_price_target_note():
    text = read_article_file(ARTICLES / "amzn_price_target_no_date.txt")
    article = read_article(text, url="https://example.com/research/2025/02/07/amazon-target")
    assert article.is_call, article.problems
    assert (article.published.date, article.published.how) == (D(2025, 2, 7), "address")
    assert article.stance_sentence.startswith("We raise our price target on Amazon.com")


def test_articles_ledger_dates_a_session_article_the_next_day_and_gives_file_fixes(tmp_path):
    from catalystlab.inputs.articles.folder import articles_ledger

    # tsla_downgrade_sell.txt is published during the session: init enters it at that close;
    # a ledger, one convention for all calls, dates it the next day (never the open before it)
    names = ("tsla_downgrade_sell.txt", "cost_no_date.txt", "nvda_not_selling.txt")
    for name in names:
        (tmp_path / name).write_bytes((ARTICLES / name).read_bytes())
    ledger, skipped = articles_ledger(tmp_path)
    (call,) = ledger.calls
    assert (call.ticker, call.date, call.window) == ("TSLA", D(2025, 6, 11),
                                                     (D(2025, 6, 10), D(2025, 6, 11)))  # fmt: skip
    assert "dated the next day" in call.note
    reasons = {s.path.name: s.reason for s in skipped}
    assert "'Published: July 15, 2025'" in reasons["cost_no_date.txt"]
    assert "'Rating: Buy'" in reasons["nvda_not_selling.txt"]
    assert not any("--" in reason for reason in reasons.values())  # no init flag in a folder


def test_a_price_target_is_not_checkable_as_a_share_price_with_that_reason():
    article = read_article(read_article_file(ARTICLES / "amzn_price_target_no_date.txt"),
                           date=D(2025, 2, 7))  # fmt: skip
    reasons = {c.number: c.reason for c in article.claims if not c.checkable}
    assert set(reasons) == {"$265", "$240"}
    assert all(r.startswith("a share price, target or expected move") for r in reasons.values())
