"""One headless Chromium for the browser tests of a session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .harness import launch


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium with no network (see harness.py)."""
    with launch(chromium) as running:
        yield running
