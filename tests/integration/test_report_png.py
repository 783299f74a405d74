"""docs/report.png shows what a flagship run shows now: the numbers it was made from (kept in
its text chunk by scripts/report_png.py) equal a fresh flagship run's. When this fails,
regenerate it: python scripts/report_png.py RESULTS_FOLDER (of a real flagship run)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("report_png", REPO / "scripts" / "report_png.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_report_png_is_from_a_current_flagship_run(flagship_run):
    script = _script()
    with Image.open(REPO / "docs" / "report.png") as image:
        assert image.width == 1400
        recorded = json.loads(image.text[script.KEY])
    assert recorded == json.loads(json.dumps(script.run_record(flagship_run), sort_keys=True)), (
        "docs/report.png is stale: python scripts/report_png.py <a flagship results folder>"
    )
