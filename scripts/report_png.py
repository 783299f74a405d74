"""Write docs/report.png from a results folder's report.html, as headless Chromium shows it.

    python scripts/report_png.py RESULTS_FOLDER [--out docs/report.png] [--height 1900]

The page is checked and photographed by the browser tests' harness (tests/browser/harness.py:
Debian's Chromium, no network, 1400 CSS pixels wide); the PNG is the top ``--height`` pixels
of the whole page. The PNG records the run it shows (its run id and the numbers of its
summary.json that the README quotes) in a text chunk, ``catalystlab-run``, which
tests/integration/test_report_png.py compares with a fresh flagship run: regenerate the PNG
from a real flagship run (``runner.py run config/amazon_ai_call.yaml --data-dir
../shared/data --offline``) whenever that test fails. Exit 1 when the harness finds a
problem in the page (nothing written), 2 when Chromium or the folder is missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.harness import WIDTH, check_page, launch, screenshot  # noqa: E402

KEY = "catalystlab-run"


def run_record(folder: Path) -> dict[str, object]:
    """What the PNG shows, from the folder's summary.json: enough to tell a stale picture."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    strategies = summary.get("strategies") or {}
    return {
        "config": summary.get("config"),
        "trading_days": summary["period"]["trading_days"],
        "end": summary["period"]["end"],
        "n_trials": summary["comparison"]["n_trials"],
        "dsr": {sid: round(float(row["dsr"]), 2) for sid, row in strategies.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a results folder of 'runner.py run'")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "report.png")
    parser.add_argument("--height", type=int, default=1900, help="CSS pixels from the top")
    args = parser.parse_args(argv)
    page = args.folder / "report.html"
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed: apt-get install chromium", file=sys.stderr)
        return 2
    if not page.is_file() or not (args.folder / "summary.json").is_file():
        print(f"{args.folder} is not a results folder of 'runner.py run'", file=sys.stderr)
        return 2
    with launch(Path(chromium)) as browser, tempfile.TemporaryDirectory() as tmp:
        problems = check_page(browser, page, width=WIDTH).problems()
        if problems:
            for name, lines in problems.items():
                for line in lines:
                    print(f"{name}: {line}", file=sys.stderr)
            return 1
        whole = screenshot(browser, page, Path(tmp) / "page.png", width=WIDTH)
        with Image.open(whole) as image:
            top = image.crop((0, 0, image.width, min(args.height, image.height)))
            info = PngInfo()
            info.add_text(KEY, json.dumps(run_record(args.folder), sort_keys=True))
            top.save(args.out, pnginfo=info, optimize=True)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
