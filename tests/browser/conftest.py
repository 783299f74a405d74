"""One headless Chromium for the browser tests of a session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import launch
from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium with no network (see browser_harness)."""
    with launch(chromium) as running:
        yield running
