"""``runner.py validate``: check a config, and its data when a data folder is given, without
running anything.

The findings are one line each: errors (a bad config or data file: exit 2; data that cannot
be had: exit 3), warnings (the run would go ahead but say so) and notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from catalystlab.analysis.sweep.grid import expand_grid
from catalystlab.config import RunConfig, load_config
from catalystlab.core.errors import BadInputError, CatalystError
from catalystlab.inputs.options import DataOptions
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from catalystlab.pipeline.data_check import missing_signal_data
from catalystlab.pipeline.execute import config_tickers
from catalystlab.pipeline.plan import StrategyPlan, plan_call_legs, plan_strategy
from catalystlab.pipeline.signal_data import load_signal_data
from catalystlab.pipeline.sweep import is_trial, shared_gaps, sweep_settings, trial_plans


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One line of ``validate``: ``level`` error, warning or note; ``exit_code`` of an error
    (2 bad input, 3 data unavailable)."""

    level: Literal["error", "warning", "note"]
    message: str
    exit_code: int = 0

    def line(self) -> str:
        return f"{self.level}: {self.message}"


def exit_code(findings: list[Finding]) -> int:
    """0 without errors; 2 when any error is a bad input; else 3 (data unavailable)."""
    codes = {f.exit_code for f in findings if f.level == "error"}
    return 0 if not codes else (2 if 2 in codes else max(codes))


def _error(error: CatalystError) -> Finding:
    return Finding(level="error", message=str(error), exit_code=error.exit_code)


def validate_config(
    source: str | Path | Mapping[str, Any] | RunConfig, *, data_dir: Path | None = None
) -> list[Finding]:
    """Every problem of the config (and, with ``data_dir``, of its prices and catalyst data)
    that a run would stop on, as findings; an empty list of errors means it would start."""
    try:
        config = load_config(source)
    except BadInputError as error:
        return [_error(error)]
    findings: list[Finding] = []
    plans: list[StrategyPlan] = []
    for entry in config.strategies:
        try:
            plans.append(plan_strategy(entry))
        except BadInputError as error:
            findings.append(_error(error))
    if config.sweep is not None:
        try:  # the trials are counted (default --max-trials) before they are made
            settings = sweep_settings(config)
            plans.extend(trial_plans(expand_grid(settings.grid, settings.tickers)))
        except BadInputError as error:
            findings.append(_error(error))
    legs: dict[str, StrategyPlan] = {}
    if config.call is not None:
        try:
            legs = plan_call_legs(config, plans)
        except BadInputError as error:
            findings.append(_error(error))
    if config.start is None:
        findings.append(
            Finding(
                level="note",
                message="no start: a run starts on the first date every ticker has a price",
            )
        )
    if data_dir is None:
        findings.append(
            Finding(level="note", message="data not checked: give --data-dir DIR to check it")
        )
        return findings
    findings.extend(_check_prices(config, [*plans, *legs.values()], data_dir))
    findings.extend(_check_signal_data(config, plans, data_dir))
    return findings


def _check_prices(config: RunConfig, plans: list[StrategyPlan], data_dir: Path) -> list[Finding]:
    try:
        source = CsvPriceSource(data_dir)
    except BadInputError as error:
        return [_error(error)]
    study = config.event_study
    tickers = config_tickers(config, plans) + ([*study.tickers, study.market] if study else [])
    findings = []
    for ticker in dict.fromkeys(tickers):
        try:
            prices = source.load(ticker)
        except CatalystError as error:
            findings.append(_error(error))
            continue
        call = config.call
        if call is not None and ticker == call.ticker:
            if pd.Timestamp(call.call_date) <= prices.first_date:
                findings.append(
                    Finding(
                        level="error",
                        exit_code=2,
                        message=f"call.date {call.call_date} is not after {ticker}'s first "
                        f"price ({prices.first_date.date()})",
                    )
                )
            elif pd.Timestamp(call.call_date) > prices.last_date:
                findings.append(
                    Finding(
                        level="warning",
                        message=f"call.date {call.call_date} is after {ticker}'s last price "
                        f"({prices.last_date.date()}): the call cannot be evaluated yet",
                    )
                )
    return findings


def _check_signal_data(
    config: RunConfig, plans: list[StrategyPlan], data_dir: Path
) -> list[Finding]:
    signal_plans = [p for p in plans if p.definition.signal_tickers is not None]
    if not signal_plans:
        return []
    tickers = [t for p in signal_plans for t in p.definition.signal_tickers(p.params)]
    try:
        tables = load_signal_data(
            config.signal_data,
            tickers=tickers,
            data=DataOptions(data_dir=data_dir, offline=True),
        )
    except CatalystError as error:
        return [_error(error)]
    missing = missing_signal_data(
        signal_plans, fundamentals=tables.fundamentals, events=tables.events
    )
    missing = [m for m in missing if not is_trial(m)] + shared_gaps(
        [m for m in missing if is_trial(m)]
    )
    if config.allow_missing_data:
        return [Finding(level="warning", message=m.sentence()) for m in missing]
    return [
        Finding(level="error", exit_code=2, message=m.sentence() + " (or allow_missing_data)")
        for m in missing
    ]
