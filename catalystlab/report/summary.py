"""``summary.json`` and ``manifest.json``: the run's numbers and its inputs, as plain JSON."""

from __future__ import annotations

import math
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pandas as pd

from catalystlab.pipeline import RunOutcome
from catalystlab.report.tables import strategy_table

PACKAGES = (
    "catalystlab",
    "backtrader",
    "quantstats",
    "yfinance",
    "pandas",
    "numpy",
    "matplotlib",
    "scipy",
    "arch",
    "pydantic",
    "pyyaml",
)


def jsonable(value: Any) -> Any:
    """Convert pandas/numpy values to JSON types; NaN and infinities become null."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return {str(k): jsonable(v) for k, v in value.to_dict(orient="index").items()}
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summary(outcome: RunOutcome, run_id: str) -> dict[str, Any]:
    """The ``summary.json`` document: keys ``call`` and ``strategies`` plus run context."""
    call = outcome.call
    call_doc: dict[str, Any] | None = None
    if call is not None:
        timing = call.timing
        call_doc = {
            "ticker": call.ticker,
            "date": timing.call_date,
            "stance": outcome.config.call.stance if outcome.config.call else "buy",
            "entry_convention": outcome.config.call.entry if outcome.config.call else None,
            "evaluable": timing.evaluable,
            "reason": timing.reason or None,
            "decision_day": timing.decision_day,
            "entry_day": timing.entry_day,
            "end_day": timing.end_day,
            "out_of_sample": call.out_of_sample,
            "in_sample": call.in_sample,
            "horizons": call.horizons,
            "excess_interval": call.excess_interval,
            "window": call.uncertainty.band.to_dict() if call.uncertainty else None,
            "base_rates": (
                {k: v.to_dict() for k, v in call.uncertainty.base_rates.items()}
                if call.uncertainty
                else None
            ),
            "verdict": call.verdict,
        }
    return jsonable(
        {
            "run_id": run_id,
            "config": outcome.config.name,
            "period": {
                "start": outcome.calendar[0],
                "end": outcome.calendar[-1],
                "trading_days": len(outcome.calendar),
            },
            "benchmark": outcome.config.benchmark,
            "call": call_doc,
            "strategies": strategy_table(outcome),
            "notes": list(outcome.notes),
        }
    )


def manifest(outcome: RunOutcome, *, command: list[str], created: str) -> dict[str, Any]:
    """Every input (source, dates, sha256), package versions and the command that ran."""
    inputs = {
        ticker: {
            "kind": "prices",
            "source": loaded.source,
            "first_date": loaded.first_date,
            "last_date": loaded.last_date,
            "rows": len(loaded.frame),
            "sha256": loaded.sha256,
        }
        for ticker, loaded in outcome.loaded.items()
    }
    inputs.update(outcome.signal_sources)
    return jsonable(
        {
            "created_utc": created,
            "command": command,
            "inputs": inputs,
            "data_options": outcome.data_options,
            "calendar": {
                "first": outcome.calendar[0],
                "last": outcome.calendar[-1],
                "trading_days": len(outcome.calendar),
                "policy": "dates on which every ticker of the run has a price",
            },
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "packages": {name: _version(name) for name in PACKAGES},
        }
    )


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None
