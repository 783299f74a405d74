"""The browser harness sees each kind of defect it reports, and nothing on a sound page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from .harness import check_page, screenshot

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SOUND_BODY = """
<h1 id="top">Sound</h1>
<img src="chart.png" alt="chart">
<svg width="200" height="100"><rect width="50" height="50" fill="red"/></svg>
<p><a href="other.html">other</a> <a href="#top">top</a> <a href="sub/deep.html#x">deep</a>
<a href="https://example.org/">outside</a></p>
<table><tr><th>a</th><td>1</td></tr></table>
"""


def _folder(tmp_path: Path, body: str, *, onload: str = "", head: str = "") -> Path:
    """A results-like folder: ``page.html`` with ``body``, a PNG, two linked pages, and a
    picture outside the folder."""
    folder = tmp_path / "results"
    (folder / "sub").mkdir(parents=True)
    Image.new("RGB", (40, 20), "blue").save(folder / "chart.png")
    Image.new("RGB", (40, 20), "green").save(tmp_path / "elsewhere.png")
    (folder / "other.html").write_text("<p>other</p>")
    (folder / "sub" / "deep.html").write_text('<p id="x">deep</p>')
    page = folder / "page.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"{head}</head><body{onload}>{body}</body></html>"
    )
    return page


def test_a_sound_page_has_no_problems(browser, tmp_path):
    report = check_page(browser, _folder(tmp_path, SOUND_BODY))
    assert report.problems() == {}
    assert report.external_links == ("https://example.org/",)
    assert "Sound" in report.text


def test_each_defect_is_reported(browser, tmp_path):
    body = """
    <img src="missing.png" alt="gone"> <img src="../elsewhere.png" alt="outside">
    <svg width="200" height="0"><rect width="5" height="5"/></svg>
    <div id="charts"><svg width="200" height="100"></svg></div>
    <a href="missing.html">m</a> <a href="#nowhere">n</a> <a href="../elsewhere.png">e</a>
    <a href="javascript:void(0)">j</a>
    <table id="wide" style="width: 2000px"><tr><th>Strategy</th></tr></table>
    <script>console.error("boom"); alert("ran");</script>
    """
    head = '<link rel="icon" href="https://favicons.example.invalid/f.ico">'
    page = _folder(tmp_path, body, onload=' onload="save()"', head=head)
    report = check_page(browser, page, width=1400)
    errors = "\n".join(report.console_errors)
    assert "boom" in errors
    assert "dialog (alert): 'ran'" in errors
    assert "uncaught save is not defined" in errors
    assert "favicons.example.invalid" in errors  # the failed load, as a console error
    assert set(report.outside_requests) == {
        (tmp_path / "elsewhere.png").as_uri(),
        "https://favicons.example.invalid/f.ico",
    }
    assert report.broken_images == (
        "<img> missing.png",
        "inline <svg> #1 has an empty box",
        "inline <svg> #2 in #charts draws nothing",
    )
    assert report.external_links == ("https://favicons.example.invalid/f.ico",)
    assert report.broken_links == (
        "missing.html (no such file)",
        "#nowhere (no element has that id)",
        f"../elsewhere.png (outside {page.parent})",
        "javascript:void(0) (not a file)",
    )
    assert report.wide_tables == ("table #1 in #wide (Strategy): spans 8..2008 px, page 1400 px",)
    assert report.sideways == ("the page is 2008 px wide in a 1400 px window",)


def test_sideways_scroll_and_unreadable_numbers_are_reported_at_the_width_asked(browser, tmp_path):
    body = """
    <p style="width: 900px">Sharpe nan, CAGR inf, excess -0.61 [+nan, +nan], 1e+04 people,
    2.5E-3 of it; inflation, Nancy, infinite, 1e4x and version 1.2e are words.</p>
    <div style="overflow-x: auto"><table style="width: 1200px"><tr><td>boxed</td></tr></table>
    </div>"""
    page = _folder(tmp_path, body)
    narrow = check_page(browser, page, width=800)
    assert narrow.sideways == ("the page is 908 px wide in a 800 px window",)
    assert [line.split(" in ")[0] for line in narrow.bad_numbers] == [
        "'nan'",
        "'inf'",
        "'+nan'",
        "'+nan'",
        "'1e+04'",
        "'2.5E-3'",
    ]
    assert "bad_numbers" in narrow.problems() and "sideways" in narrow.problems()
    wide = check_page(browser, page, width=1400)
    assert wide.sideways == () and wide.wide_tables == ()  # the table scrolls in its own box


def test_a_page_in_a_subfolder_may_use_the_whole_root(browser, tmp_path):
    page = _folder(tmp_path, "")
    nested = page.parent / "sub" / "nested.html"
    nested.write_text('<img src="../chart.png" alt="c"><a href="../other.html">up</a>')
    assert check_page(browser, nested, root=page.parent).problems() == {}
    alone = check_page(browser, nested)
    assert alone.outside_requests == ((page.parent / "chart.png").as_uri(),)
    assert alone.broken_links == (f"../other.html (outside {nested.parent})",)


def test_screenshot_is_the_width_asked_and_the_whole_page(browser, tmp_path):
    page = _folder(tmp_path, '<div style="height: 2500px">tall</div>')
    png = screenshot(browser, page, tmp_path / "page.png", width=800)
    with Image.open(png) as image:
        assert image.width == 800
        assert image.height >= 2500


def test_the_screenshot_script_writes_a_png_and_reports_problems(chromium, tmp_path):
    sound = _folder(tmp_path / "a", SOUND_BODY)
    run = [sys.executable, str(REPO / "scripts" / "screenshot.py")]
    done = subprocess.run(
        [*run, str(sound), str(tmp_path / "a.png"), "--width", "1000", "--viewport-only"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "a.png") as image:
        assert image.size == (1000, 900)
    broken = _folder(tmp_path / "b", '<img src="missing.png" alt="x">')
    done = subprocess.run(
        [*run, str(broken), str(tmp_path / "b.png")], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "broken_images: <img> missing.png" in done.stderr
    assert (tmp_path / "b.png").is_file()
