"""``summary.json`` and ``manifest.json``: the run's numbers and its inputs, as plain JSON."""

from __future__ import annotations

import math
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pandas as pd

from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.tables import strategy_table
from catalystlab.report.verdicts import (
    call_sentence,
    event_study_sentence,
    headline,
    overall_verdict,
)

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
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summary(outcome: RunOutcome, run_id: str | None) -> dict[str, Any]:
    """The ``summary.json`` document: keys ``call`` and ``strategies`` plus run context
    (``run_id`` None: a run that wrote no folder)."""
    ranked = strategy_table(outcome)
    call = outcome.call
    call_doc: dict[str, Any] | None = None
    if call is not None:
        timing = call.timing
        call_doc = {
            "ticker": call.ticker,
            "date": timing.call_date,
            "stance": call.stance.value,
            "excess_definition": call.stance.excess_definition,
            "short_position": call.short.to_dict() if call.short is not None else None,
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
            "verdict": call_sentence(call),
        }
    return jsonable(
        {
            "run_id": run_id,
            "config": outcome.config.name,
            "headline": headline(outcome),
            "period": {
                "start": outcome.calendar[0],
                "end": outcome.calendar[-1],
                "trading_days": len(outcome.calendar),
            },
            "benchmark": outcome.config.benchmark,
            "call": call_doc,
            "strategies": ranked.loc[list(outcome.strategies)],
            "benchmark_metrics": ranked.loc[outcome.config.benchmark].drop(
                ["trades", "rejected_orders"]
            ),
            "comparison": {
                "ranked_by": "dsr, then sharpe",
                "psr_against": f"{outcome.config.benchmark}'s Sharpe ratio",
                "n_trials": outcome.comparison.n_trials,
                "trial_strategies": list(outcome.comparison.trials),
                "extra_trials": outcome.comparison.extra_trials,
                "confidence": outcome.config.statistics.confidence,
                "bootstrap_reps": outcome.config.statistics.bootstrap_reps,
                "seed": outcome.config.seed,
                "spa": _spa(outcome),
            },
            "event_study": _event_study(outcome),
            "claims": outcome.audit,
            "verdict": overall_verdict(outcome),
            "notes": list(outcome.notes),
        }
    )


def _spa(outcome: RunOutcome) -> list[dict[str, Any]] | dict[str, str]:
    if not outcome.comparison.spa:
        return {"skipped": outcome.comparison.spa_skipped}
    return [
        {
            "benchmark": spa.benchmark,
            "strategies": list(spa.strategies),
            "pvalue_lower": spa.pvalue_lower,
            "pvalue_consistent": spa.pvalue_consistent,
            "pvalue_upper": spa.pvalue_upper,
            "better": list(spa.better),
            "identical_to_benchmark": list(spa.identical),
            "level": spa.level,
        }
        for spa in outcome.comparison.spa
    ]


def _event_study(outcome: RunOutcome) -> dict[str, Any] | None:
    return None if outcome.event_study is None else event_study_summary(outcome.event_study)


def event_study_summary(study: EventStudyRun) -> dict[str, Any]:
    """The event study's settings, per-window statistics, skipped events and headline."""
    return {
        "events": len(study.events),
        "merged_duplicates": study.merged,
        "kinds": list(study.settings.kinds),
        "market": study.settings.market,
        "summary": study.result.summary.to_dict(orient="records"),
        "skipped": study.result.skipped.to_dict(orient="records"),
        "sentence": event_study_sentence(study),
    }


def manifest(
    *,
    loaded: dict[str, LoadedPrices],
    tables: dict[str, dict[str, object]],
    data_options: dict[str, Any],
    command: list[str],
    created: str,
) -> dict[str, Any]:
    """Every input (source, dates, rows, sha256), package versions and the command that ran.

    ``loaded``: the price inputs; ``tables``: fundamentals and events, as described by
    :func:`catalystlab.pipeline.signal_data.load_signal_data`.
    """
    inputs: dict[str, Any] = {
        ticker: {
            "kind": "prices",
            "source": prices.source,
            "first_date": prices.first_date,
            "last_date": prices.last_date,
            "rows": len(prices.frame),
            "sha256": prices.sha256,
        }
        for ticker, prices in loaded.items()
    }
    inputs.update(tables)
    return jsonable(
        {
            "created_utc": created,
            "command": command,
            "inputs": inputs,
            "data_options": data_options,
            "calendar_policy": "a run uses the dates on which every ticker of the run has a price",
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
