"""Shared fixtures: synthetic price folders for unit tests, the real snapshot for integration."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

# Examples are not stored in the checkout: every run, and CI, starts from the same state.
settings.register_profile("catalystlab", database=None)
settings.load_profile("catalystlab")

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """The suite, and every process it starts, uses a cache folder of its own (prices, the
    reuse secret), never the user's ``~/.cache/catalystlab`` or ``$CATALYSTLAB_CACHE``."""
    os.environ["CATALYSTLAB_CACHE"] = tempfile.mkdtemp(prefix="catalystlab-tests-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["CATALYSTLAB_CACHE"], ignore_errors=True)


def synthetic_prices(
    *, start: str = "2019-01-02", days: int = 300, seed: int = 0, drift: float = 0.0004
) -> pd.DataFrame:
    """Business-day OHLCV with a geometric random walk; High/Low bracket Open and Close."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range(start, periods=days, name="Date")
    close = 100 * np.exp(np.cumsum(rng.normal(drift, 0.015, days)))
    gap = np.exp(rng.normal(0, 0.004, days))
    open_ = np.concatenate([[100.0], close[:-1]]) * gap
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.01, days))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.01, days))
    volume = rng.integers(1_000_000, 5_000_000, days).astype(float)
    return pd.DataFrame(
        {"Open": open_, "High": high, "Low": low, "Close": close, "Volume": volume}, index=dates
    )


def write_price_csv(frame: pd.DataFrame, path: Path, *, adj_close: bool = True) -> Path:
    """Write ``frame`` in yfinance's CSV layout (Date,Open,High,Low,Close,Adj Close,Volume)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    if adj_close:
        out.insert(4, "Adj Close", out["Close"])
    out.to_csv(path, index_label="Date", float_format="%.6f")
    return path


@pytest.fixture
def price_folder(tmp_path: Path) -> Callable[..., Path]:
    """Factory: a data folder with ``prices/<TICKER>.csv`` for each ticker given (seeded)."""

    def make(tickers: tuple[str, ...] = ("AAA", "SPY"), **kwargs) -> Path:
        folder = tmp_path / "data"
        for seed, ticker in enumerate(tickers):
            frame = synthetic_prices(seed=seed, **kwargs)
            write_price_csv(frame, folder / "prices" / f"{ticker}.csv")
        return folder

    return make


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data snapshot (``../shared/data``); required in CI, skipped elsewhere."""
    folder = Path(os.environ.get("CATALYSTLAB_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (folder / "prices").is_dir():
        message = f"the data snapshot is missing at {folder}"
        if os.environ.get("CI"):
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium for browser tests (``browser`` marker); required in CI, skipped
    elsewhere."""
    found = shutil.which("chromium")
    if found is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    return Path(found)


@pytest.fixture(scope="session")
def flagship_run(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The results folder of one flagship run (config/amazon_ai_call.yaml, offline, on the
    snapshot), shared by every integration test of the session that reads it."""
    from catalystlab.cli import main

    out = tmp_path_factory.mktemp("flagship_results")
    config = str(REPO / "config" / "amazon_ai_call.yaml")
    code = main(["run", config, "--data-dir", str(shared_data), "--offline", "--out", str(out)])
    assert code == 0
    (folder,) = out.iterdir()
    return folder
