"""Open a local HTML page in headless Chromium and report what a reader's browser would show.

Playwright drives the system's Chromium (Debian's ``/usr/bin/chromium``; Playwright's own
browser downloads are never used). Nothing can leave the machine: every request goes to a proxy
on a closed loopback port and fails, and each one is recorded through the DevTools protocol
(which, unlike Playwright's request events, also sees the browser's favicon fetch).

Use::

    with launch(chromium_path) as browser:
        report = check_page(browser, folder / "report.html", root=folder)
        assert report.problems() == {}
        screenshot(browser, folder / "report.html", Path("report.png"), width=1400)

Widths and heights are CSS pixels (device scale factor 1, so one pixel of the PNG each).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright

WIDTH = 1400  # CSS pixels, the width the reader uses
HEIGHT = 900  # CSS pixels of the viewport; full-page screenshots grow past it
# A proxy nobody listens on, used for loopback too: any request over the network fails at once.
_NO_NETWORK = ("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
_QUIET_SECONDS = 0.3  # the page counts as settled after this long with no request in flight
_SETTLE_LIMIT_SECONDS = 10.0
_LOAD_TIMEOUT_MS = 30_000
_EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
_LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  const broken = images.filter((image) => image.naturalWidth === 0)
    .map((image) => "<img> " + (image.getAttribute("src") || "(no src)"));
  const charts = Array.from(document.querySelectorAll("svg")).filter(
    (svg) => svg.parentElement.closest("svg") === null);
  charts.forEach((svg, n) => {
    const box = svg.getBoundingClientRect();
    const where = svg.parentElement.closest("[id]");
    const name = "inline <svg> #" + (n + 1) + (where ? " in #" + where.id : "");
    if (box.width === 0 || box.height === 0) broken.push(name + " has an empty box");
    else if (svg.querySelector("path, rect, circle, line, polyline, polygon, use, text, image")
             === null) broken.push(name + " draws nothing");
  });
  return broken;
}"""

_LINKS_JS = """() => Array.from(document.querySelectorAll("a, area, link")).filter(
    (el) => el.hasAttribute("href") || el.hasAttribute("xlink:href")).map((el) => {
  const raw = el.getAttribute("href") ?? el.getAttribute("xlink:href");
  const url = new URL(raw, document.baseURI);
  const samePage = url.protocol === location.protocol && url.pathname === location.pathname;
  const id = url.hash ? decodeURIComponent(url.hash.slice(1)) : "";
  return {href: url.href, raw: raw,
          anchorMissing: samePage && id !== "" && document.getElementById(id) === null};
})"""

_TABLES_JS = """() => {
  const limit = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll("table")).map((table, n) => {
    let box = table.getBoundingClientRect();
    for (let up = table.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll") { box = up.getBoundingClientRect(); break; }
    }
    const where = table.closest("[id]");
    const head = table.querySelector("th, td");
    const name = "table #" + (n + 1) + (where ? " in #" + where.id : "")
      + (head ? " (" + head.textContent.trim().slice(0, 40) + ")" : "");
    return {name: name, left: box.left, right: box.right, limit: limit};
  }).filter((t) => t.right > t.limit + 0.5 || t.left < -0.5);
}"""


_SIDEWAYS_JS = """() => ({scroll: document.scrollingElement.scrollWidth, view: innerWidth})"""
# Numbers a reader should never see: a missing value printed by Python or JavaScript, an
# infinity, a float in scientific notation (1e+04).
_BAD_NUMBER = re.compile(
    r"(?<![\w.])(?:[+-]?(?:nan|inf|infinity)|[+-]?\d+(?:\.\d+)?e[+-]?\d+)(?![\w.])",
    re.IGNORECASE,
)


def bad_numbers(text: str) -> tuple[str, ...]:
    """Every ``nan``, ``inf`` or scientific-notation number in ``text``, with its line."""
    found = []
    for line in text.splitlines():
        found += [f"{m.group(0)!r} in {line.strip()[:80]!r}" for m in _BAD_NUMBER.finditer(line)]
    return tuple(found)


@dataclass(frozen=True)
class PageReport:
    """What one page did in the browser. Each problem is one readable line.

    ``console_errors``: console messages of level error, uncaught exceptions and dialogs
    (``alert``: a script ran). ``outside_requests``: URLs of requests that are not ``file://``
    inside ``root`` (nor ``data:``/``blob:``). ``broken_images``: ``<img>`` whose naturalWidth
    is 0 after decoding, and inline ``<svg>`` charts with an empty box or nothing drawn.
    ``broken_links``: ``href`` of ``<a>``/``<area>``/``<link>`` that is not an existing file
    inside ``root`` or names a missing anchor. ``external_links``: http(s)/mailto links, not
    followed (not a problem by themselves). ``wide_tables``: tables that reach past the
    viewport's edges (a table in a box that scrolls sideways counts as wide as its box).
    ``sideways``: the page itself scrolls sideways (its scrolling element is wider than the
    window). ``bad_numbers``: ``nan``, ``inf`` or ``1e+04`` in the rendered text. ``text``:
    the page's rendered text (``innerText`` of the body).
    """

    console_errors: tuple[str, ...]
    outside_requests: tuple[str, ...]
    broken_images: tuple[str, ...]
    broken_links: tuple[str, ...]
    external_links: tuple[str, ...]
    wide_tables: tuple[str, ...]
    sideways: tuple[str, ...]
    bad_numbers: tuple[str, ...]
    text: str = field(repr=False)

    def problems(self) -> dict[str, tuple[str, ...]]:
        """The non-empty problem lists by name; ``{}`` for a page that holds up."""
        found = {
            "console_errors": self.console_errors,
            "outside_requests": self.outside_requests,
            "broken_images": self.broken_images,
            "broken_links": self.broken_links,
            "wide_tables": self.wide_tables,
            "sideways": self.sideways,
            "bad_numbers": self.bad_numbers,
        }
        return {name: lines for name, lines in found.items() if lines}


@contextmanager
def launch(executable: Path) -> Iterator[Browser]:
    """Headless Chromium at ``executable`` with every network request made to fail."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=_NO_NETWORK)
        try:
            yield browser
        finally:
            browser.close()


def check_page(
    browser: Browser, html: Path, *, root: Path | None = None, width: int = WIDTH
) -> PageReport:
    """Load ``html`` at ``width`` CSS pixels and report its problems.

    ``root`` is the folder the page may read from and link into (default: the page's own
    folder); point it at a results folder to check a page in one of its subfolders.
    """
    root = (root or html.parent).resolve()
    with _opened(browser, html, width=width) as (page, traffic):
        broken_images = tuple(page.evaluate(_IMAGES_JS))
        links = page.evaluate(_LINKS_JS)
        tables = page.evaluate(_TABLES_JS)
        width_used = page.evaluate(_SIDEWAYS_JS)
        text = page.evaluate("() => document.body ? document.body.innerText : ''")
        traffic.settle(page)  # anything the checks set loading has finished or failed
    broken_links, external_links = _sorted_links(links, root)
    return PageReport(
        console_errors=tuple(traffic.errors),
        outside_requests=tuple(url for url in traffic.urls if _leaves(url, root)),
        broken_images=broken_images,
        broken_links=broken_links,
        external_links=external_links,
        wide_tables=tuple(
            f"{t['name']}: spans {t['left']:.0f}..{t['right']:.0f} px, page {t['limit']} px"
            for t in tables
        ),
        sideways=(
            (f"the page is {width_used['scroll']} px wide in a {width_used['view']} px window",)
            if width_used["scroll"] > width_used["view"]
            else ()
        ),
        bad_numbers=bad_numbers(text),
        text=text,
    )


def screenshot(
    browser: Browser, html: Path, png: Path, *, width: int = WIDTH, full_page: bool = True
) -> Path:
    """Write a PNG of ``html`` rendered ``width`` CSS pixels wide (the whole page by default,
    else the first ``HEIGHT`` pixels)."""
    with _opened(browser, html, width=width) as (page, _):
        page.screenshot(path=str(png), full_page=full_page)
    return png


class _Traffic:
    """Requests (URLs in order), requests in flight, and the console's errors of one page."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        self._in_flight: set[str] = set()
        self._last_event = time.monotonic()

    def started(self, event: dict) -> None:
        self.urls.append(event["request"]["url"])
        self._in_flight.add(event["requestId"])
        self._last_event = time.monotonic()

    def ended(self, event: dict) -> None:
        self._in_flight.discard(event["requestId"])
        self._last_event = time.monotonic()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            source = message.location.get("url") or "page"
            self.errors.append(f"{message.text} [{source}]")

    def uncaught(self, error: Exception) -> None:
        self.errors.append(f"uncaught {error}")

    def dialog(self, dialog: Dialog) -> None:
        self.errors.append(f"a script opened a dialog ({dialog.type}): {dialog.message!r}")
        dialog.dismiss()

    def settle(self, page: Page) -> None:
        """Wait until no request has been in flight for a short while (bounded)."""
        deadline = time.monotonic() + _SETTLE_LIMIT_SECONDS
        while time.monotonic() < deadline:
            quiet = time.monotonic() - self._last_event >= _QUIET_SECONDS
            if quiet and not self._in_flight:
                return
            page.wait_for_timeout(50)


@contextmanager
def _opened(browser: Browser, html: Path, *, width: int) -> Iterator[tuple[Page, _Traffic]]:
    """A fresh context and page with ``html`` loaded and settled, its traffic recorded."""
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT}, device_scale_factor=1
    )
    try:
        page = context.new_page()
        traffic = _Traffic()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", traffic.started)
        session.on("Network.loadingFinished", traffic.ended)
        session.on("Network.loadingFailed", traffic.ended)
        page.on("console", traffic.console)
        page.on("pageerror", traffic.uncaught)
        page.on("dialog", traffic.dialog)
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=_LOAD_TIMEOUT_MS)
        traffic.settle(page)
        yield page, traffic
    finally:
        context.close()


def _leaves(url: str, root: Path) -> bool:
    """Whether a request for ``url`` goes anywhere but a file inside ``root``."""
    parts = urlsplit(url)
    if parts.scheme in _LOCAL_SCHEMES:
        return False
    if parts.scheme == "file":
        return not Path(unquote(parts.path)).resolve().is_relative_to(root)
    return True


def _sorted_links(links: list[dict], root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(broken, external) among the page's links, each as its href."""
    broken: list[str] = []
    external: list[str] = []
    for link in links:
        parts = urlsplit(link["href"])
        if parts.scheme in _EXTERNAL_SCHEMES:
            external.append(link["href"])
        elif parts.scheme in _LOCAL_SCHEMES:
            continue
        elif parts.scheme != "file":
            broken.append(f"{link['raw']} (not a file)")
        elif link["anchorMissing"]:
            broken.append(f"{link['raw']} (no element has that id)")
        else:
            target = Path(unquote(parts.path)).resolve()
            if not target.is_relative_to(root):
                broken.append(f"{link['raw']} (outside {root})")
            elif not target.is_file():
                broken.append(f"{link['raw']} (no such file)")
    return tuple(broken), tuple(external)
