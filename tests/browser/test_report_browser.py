"""report.html, a tearsheet and the compare report, opened in headless Chromium at 1400 px,
hold up: no console error, no request leaving the folder, every chart drawn, every link
resolving (tearsheets and the folder's files), no table wider than the page. Once on a
flagship-like config over synthetic data, and (integration) on the real flagship run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from catalystlab.cli import main
from catalystlab.core.pit import EVENT_COLUMNS

from .harness import check_page

pytestmark = pytest.mark.browser

EVENT_HEADER = ",".join(c for c in EVENT_COLUMNS if c != "known_from") + "\n"
FUNDAMENTALS_HEADER = "ticker,metric,fiscal_period,period_end,value,public_date,source\n"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
QUANTSTATS_CREDIT = ("http://quantstats.io/",)
HOSTILE_CELL = "<script>alert('x')</script> & <b>co</b>"  # a CSV cell, no quotes or commas
LINKED_FILES = ("summary.json", "manifest.json", "comparison.csv", "equity.csv", "config.yaml")


def _flagship_like(root: Path, price_folder_factory) -> Path:
    """A call with a publication window and rivals, buy-and-hold legs, a basket, catalyst
    rules (one parked in SPY when off), an event study: the flagship's sections, synthetic."""
    data = price_folder_factory(("AAA", "BBB", "CCC", "SPY"))
    events = root / "events.csv"
    events.write_text(
        EVENT_HEADER
        + "".join(
            f"{t},layoff,{d},intraday,5000,,,official,cut {n},test,confirmed\n"
            for n, (t, d) in enumerate(
                (t, d)
                for t in ("AAA", "BBB")
                for d in ("2020-03-02", "2020-09-01", "2021-03-01", "2021-09-01")
            )
        )
    )
    fundamentals = root / "fundamentals.csv"
    fundamentals.write_text(FUNDAMENTALS_HEADER)
    config = {
        "name": "flagship_like",
        "description": f"A call on AAA {HOSTILE} & co.",
        "start": "2019-01-02",
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "call": {
            "ticker": "AAA",
            "date": "2021-06-01",
            "window": ["2021-05-17", "2021-06-01"],
            "source": HOSTILE,
            "benchmarks": ["BBB", "CCC", "rivals"],
            "base_rate_start": "2019-01-02",
        },
        "statistics": {"bootstrap_reps": 100},
        "signal_data": {"fundamentals": str(fundamentals), "events": [str(events)]},
        "strategies": [
            {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
            {"id": "hold_bbb", "kind": "buy_and_hold", "ticker": "BBB"},
            {"id": "hold_ccc", "kind": "buy_and_hold", "ticker": "CCC"},
            {"id": "hold_spy", "kind": "buy_and_hold", "ticker": "SPY"},
            {"id": "rivals", "kind": "rebalanced_basket", "weights": {"BBB": 0.5, "CCC": 0.5}},
            {"id": "cut_aaa", "kind": "signal", "signal": "layoffs", "ticker": "AAA"},
            {
                "id": "cut_aaa_else_spy",
                "kind": "signal",
                "signal": "layoffs",
                "ticker": "AAA",
                "off_signal": "SPY",
            },
            {"id": "cut_bbb", "kind": "signal", "signal": "layoffs", "ticker": "BBB"},
        ],
        "event_study": {
            "tickers": ["AAA", "BBB"],
            "estimation": [-200, -10],
            "placebo_draws": 100,
        },
    }
    path = root / "flagship_like.yaml"
    path.write_text(yaml.safe_dump(config))
    out = root / "results"
    assert main(["run", str(path), "--data-dir", str(data), "--out", str(out), "--quiet"]) == 0
    (folder,) = out.iterdir()
    return folder


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory) -> Path:
    from conftest import synthetic_prices, write_price_csv

    root = tmp_path_factory.mktemp("flagship_like")

    def prices(tickers: tuple[str, ...]) -> Path:
        for seed, ticker in enumerate(tickers):
            frame = synthetic_prices(seed=seed, days=800)
            write_price_csv(frame, root / "data" / "prices" / f"{ticker}.csv")
        return root / "data"

    return _flagship_like(root, prices)


def _compared(folder: Path, out: Path) -> Path:
    assert main(["compare", str(folder), "--out", str(out), "--quiet"]) == 0
    (compared,) = out.iterdir()
    return compared / "report.html"


WIDTHS = (800, 1400)  # a laptop with a side panel or a tablet; the reader


def _reads_at_every_width(browser, page: Path, root: Path):
    """Check ``page`` at each width of ``WIDTHS`` (no sideways scroll, no nan: see the
    harness); return its report at the last."""
    for width in WIDTHS:
        report = check_page(browser, page, root=root, width=width)
        assert report.problems() == {}, f"{page} at {width} px"
    return report


def _check_folder(browser, folder: Path, tmp: Path) -> str:
    """Check report.html, its first tearsheet and the compare report (which links the run's
    report) at every width; return the report's text."""
    report = _reads_at_every_width(browser, folder / "report.html", folder)
    assert report.external_links == ()
    assert "entry at the open of" in report.text and "decided at the close of" in report.text
    (tearsheet,) = sorted((folder / "tearsheets").glob("*.html"))[:1]
    sheet = _reads_at_every_width(browser, tearsheet, folder)
    assert sheet.external_links in ((), QUANTSTATS_CREDIT)
    compared = _compared(folder, tmp)
    both = Path(os.path.commonpath([folder, compared]))
    text = _reads_at_every_width(browser, compared, both).text
    assert "Runs compared" in text and str(folder) in text
    page = compared.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 1  # the growth chart
    link = os.path.relpath(folder / "report.html", compared.parent)
    assert f'<a href="{Path(link).as_posix()}">' in page
    return report.text


def test_a_flagship_like_report_holds_up_in_chromium(browser, synthetic_run, tmp_path):
    text = _check_folder(browser, synthetic_run, tmp_path / "compared")
    assert HOSTILE in text  # shown as text, not run: no console error above
    html = (synthetic_run / "report.html").read_text(encoding="utf-8")
    for name in LINKED_FILES:
        assert f'<a href="{name}">' in html
    assert html.count('href="tearsheets/') >= 8  # every strategy that held a position
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items and len(items) == len(set(items))  # no note (or any item) shown twice


def _events_page(root: Path, out: Path) -> Path:
    data, config = root / "data", root / "flagship_like.yaml"
    argv = ["events", str(config), "--data-dir", str(data), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    (folder,) = out.iterdir()
    return folder / "report.html"


def _sweep_page(root: Path, out: Path) -> Path:
    """A sweep of the layoff rule on the flagship-like data, one trial confirmed."""
    config = {
        "name": "sweep_like",
        "start": "2019-01-02",
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "signal_data": {"events": [str(root / "events.csv")]},
        "sweep": {
            "tickers": ["AAA", "BBB"],
            "grid": {"layoffs.hold_days": [5, 40], "layoffs.min_headcount": [0, 10000]},
            "top_k": 1,
            "walk_forward": {"in_sample_days": 250, "out_of_sample_days": 150},
        },
    }
    path = root / "sweep.yaml"
    path.write_text(yaml.safe_dump(config))
    argv = ["sweep", str(path), "--data-dir", str(root / "data"), "--offline", "--quiet"]
    assert main([*argv, "--workers", "1", "--out", str(out)]) == 0
    (folder,) = out.iterdir()
    return folder / "report.html"


def _ledger_page(root: Path, out: Path) -> Path:
    ledger = root / "calls.csv"
    ledger.write_text(
        "id,ticker,date,stance,source,url,note\n"
        f"c1,AAA,2020-03-02,buy,{HOSTILE_CELL},https://example.com/a,{HOSTILE_CELL}\n"
        "c2,BBB,2020-06-01,sell,Site,,\n"
        "c3,CCC,2021-01-04,buy,Site,,a long note " + "that goes on " * 30 + "\n"
        "c4,AAA,2021-12-01,buy,Site,,too recent for 12 months\n",
        encoding="utf-8",
    )
    argv = ["ledger", str(ledger), "--data-dir", str(root / "data"), "--offline", "--quiet"]
    assert main([*argv, "--draws", "100", "--reps", "100", "--out", str(out)]) == 0
    (folder,) = out.iterdir()
    return folder / "report.html"


@pytest.mark.parametrize("kind", ["events", "sweep", "ledger"])
def test_every_other_page_kind_reads_at_800_and_1400_px(browser, synthetic_run, tmp_path, kind):
    root = synthetic_run.parent.parent
    page = {"events": _events_page, "sweep": _sweep_page, "ledger": _ledger_page}[kind](
        root, tmp_path / kind
    )
    text = _reads_at_every_width(browser, page, page.parent).text
    assert kind != "ledger" or HOSTILE_CELL in text  # user text shown as text
    if kind == "sweep":
        for tearsheet in sorted((page.parent / "tearsheets").glob("*.html")):
            _reads_at_every_width(browser, tearsheet, page.parent)
        assert "Verdict" in text and "layoffs: hold" in text


@pytest.mark.integration
def test_the_flagship_report_holds_up_in_chromium(browser, flagship_run, tmp_path):
    text = _check_folder(browser, flagship_run, tmp_path / "compared")
    assert "entry at the open of 2025-08-01 (decided at the close of 2025-07-31)" in text
