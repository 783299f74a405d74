"""report.html and the terminal: one wording of the out-of-sample period, a palette whose
lines stay apart, the folder's files linked, each note once, a ranked table that fits."""

from __future__ import annotations

import pandas as pd

from catalystlab.report.charts import line_style
from catalystlab.report.formatting import counted, out_of_sample_period
from catalystlab.report.html import FOLDER_FILES, MAIN_RANKED, _files, _ranked_tables, _table


def test_the_out_of_sample_period_has_one_wording():
    text = out_of_sample_period(
        pd.Timestamp("2025-08-01"), pd.Timestamp("2025-07-31"), pd.Timestamp("2026-09-25")
    )
    assert text == (
        "entry at the open of 2025-08-01 (decided at the close of 2025-07-31) to the close of "
        "2026-09-25"
    )


def test_forty_lines_never_share_colour_and_style():
    styles = {(line_style(n)["color"], line_style(n)["linestyle"]) for n in range(40)}
    assert len(styles) == 40
    assert len({line_style(n)["color"] for n in range(10)}) == 10


def test_the_files_present_are_linked_and_the_others_not():
    (_, items) = _files(("summary.json", "manifest.json", "outcome", "report.html"))
    assert '<a href="summary.json">' in items and '<a href="manifest.json">' in items
    assert "outcome" not in items and "trades.csv" not in items
    assert _files(()) == []
    assert set(FOLDER_FILES) >= {"summary.json", "manifest.json", "comparison.csv"}


def test_the_ranked_table_shows_the_main_columns_and_the_rest_in_details():
    display = pd.DataFrame(
        {"rank": [1], "sharpe": [0.5], "sortino": [0.7], "beta": [1.0]}, index=["<b>x</b>"]
    )
    main, more = _ranked_tables(display, {"<b>x</b>": "x.html"}, benchmark="SPY")
    assert "Sharpe" in main and "Sortino" not in main and "sortino" not in MAIN_RANKED
    assert more.startswith("<details>") and "Sortino" in more and "beta" in more
    assert '<a href="tearsheets/x.html">&lt;b&gt;x&lt;/b&gt;</a>' in main


def test_counts_read_in_the_singular_and_the_plural():
    assert counted(1, "variant") == "1 variant"
    assert counted(0, "variant") == "0 variants"
    assert counted(5, "searched variant") == "5 searched variants"


def test_columns_of_words_read_from_the_left_and_numbers_from_the_right():
    audit = pd.DataFrame(
        {
            "claim": ["Operating income surged 86%", "<b>13%</b> of managers"],
            "verdict": ["confirmed", "not in data"],
            "measured": [0.861, float("nan")],
        },
        index=pd.Index(["operating_income", "managers"], name="claim id"),
    )
    page = _table(audit, index_label="claim id")
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert '<th class="text">claim</th>' in head
    assert '<th class="text">verdict</th>' in head
    assert "<th>measured</th>" in head
    assert '<td class="text">Operating income surged 86%</td>' in page
    assert '<td class="text">&lt;b&gt;13%&lt;/b&gt; of managers</td>' in page
    assert '<td class="text">not in data</td>' in page
    assert "<td>0.86</td></tr>" in page
    assert "<td>–</td></tr>" in page
    assert page.count('class="text"') == 2 + 4
    assert "nan" not in page


def test_a_table_read_by_row_keeps_its_columns_aligned_as_numbers():
    horizons = pd.DataFrame(
        {"1m": ["yes", 0.052], "3m": ["yes", 0.122]}, index=["available", "return of AMZN"]
    )
    assert 'class="text"' not in _table(horizons, by_row=True)


def test_numbers_already_written_as_text_stay_right_aligned_and_a_claim_may_start_with_one():
    trials = pd.DataFrame(
        {"Sharpe": ["0.79", "0.75"], "total return": ["778.1%", "–"], "trial": ["a b", "c d"]}
    )
    page = _table(trials)
    assert "<th>Sharpe</th>" in page and "<th>total return</th>" in page
    assert "<td>778.1%</td>" in page and "<td>–</td>" in page
    assert '<th class="text">trial</th>' in page
    claims = pd.DataFrame({"claim": ["13% of global managers cut", "Operating income up"]})
    assert '<td class="text">13% of global managers cut</td>' in _table(claims)
