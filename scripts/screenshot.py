"""Write a PNG screenshot of a local HTML page as headless Chromium renders it.

    python scripts/screenshot.py PAGE.html OUT.png [--width 1400] [--viewport-only]

The page is opened by the browser tests' harness (tests/browser/harness.py): Debian's
Chromium, no network, device scale factor 1, so the PNG is ``--width`` pixels wide (CSS
pixels) and as tall as the whole page unless ``--viewport-only``. Problems the harness finds
(console errors, requests leaving the page, broken images or links, tables wider than the
page) are printed to stderr; the exit status is 1 when there are any, 2 when Chromium or the
page is missing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.harness import WIDTH, check_page, launch, screenshot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the HTML file")
    parser.add_argument("png", type=Path, help="the PNG file to write")
    parser.add_argument("--width", type=int, default=WIDTH, help="CSS pixels (default 1400)")
    parser.add_argument(
        "--viewport-only", action="store_true", help="only the first screenful, not the page"
    )
    parser.add_argument(
        "--root", type=Path, help="folder the page may read and link into (default: its own)"
    )
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed: apt-get install chromium", file=sys.stderr)
        return 2
    if not args.page.is_file():
        print(f"{args.page} is not a file: give the HTML page to photograph", file=sys.stderr)
        return 2
    with launch(Path(chromium)) as browser:
        problems = check_page(browser, args.page, root=args.root, width=args.width).problems()
        screenshot(browser, args.page, args.png, width=args.width, full_page=not args.viewport_only)
    for name, lines in problems.items():
        for line in lines:
            print(f"{name}: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
