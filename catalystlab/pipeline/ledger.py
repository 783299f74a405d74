"""The ledger command's pipeline: read the ledger, load every ticker it names (a ticker that
cannot be loaded is listed with the reason, and its calls reported as not evaluable), and
evaluate the calls (:mod:`catalystlab.analysis.ledger`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.ledger import LedgerResult, evaluate_ledger
from catalystlab.core.errors import BadInputError, CatalystError, DataUnavailableError
from catalystlab.core.limits import MAX_HORIZON_MONTHS, MAX_SEED
from catalystlab.core.progress import Progress, SilentProgress
from catalystlab.engine.backtest import Costs
from catalystlab.inputs.ledger import Ledger
from catalystlab.inputs.options import DataOptions, load_prices
from catalystlab.inputs.prices.frame import LoadedPrices

MAX_DRAWS = 100_000  # permutation draws per null
MAX_REPS = 10_000  # bootstrap resamples
MAX_NULL_VALUES = 50_000_000  # draws x calls x horizons of a null: 400 MB of float64


@dataclass(frozen=True, kw_only=True)
class LedgerSettings:
    """The ledger command's options: default ``benchmark`` and ``horizons`` (months) for calls
    that give none, the entry ``convention``, the base-rate and random-date ``history_start``,
    ``draws`` per permutation null, bootstrap ``reps``, interval ``level``, ``seed``, and the
    engine legs' ``costs``."""

    benchmark: str
    horizons: tuple[int, ...]
    convention: EntryConvention
    history_start: pd.Timestamp
    draws: int
    reps: int
    level: float
    seed: int
    costs: Costs

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.draws <= MAX_DRAWS:
            problems.append(f"--draws {self.draws}: give 1 to {MAX_DRAWS:,}")
        if not 1 <= self.reps <= MAX_REPS:
            problems.append(f"--reps {self.reps}: give 1 to {MAX_REPS:,}")
        if not 0 <= self.seed <= MAX_SEED:
            problems.append(f"--seed {self.seed}: give a whole number from 0 to {MAX_SEED}")
        if not 0 < self.level < 1:
            problems.append(f"confidence {self.level}: give a fraction between 0 and 1")
        if not self.horizons or not all(1 <= h <= MAX_HORIZON_MONTHS for h in self.horizons):
            problems.append(
                f"--horizons {','.join(map(str, self.horizons))}: give months from 1 to "
                f"{MAX_HORIZON_MONTHS}, e.g. 1,3,6,12"
            )
        if problems:
            raise BadInputError("; ".join(problems) + ".")


def check_size(ledger: Ledger, settings: LedgerSettings) -> None:
    """BadInputError, before any work, when the permutation nulls would hold more than
    ``MAX_NULL_VALUES`` numbers (draws x calls x horizons)."""
    horizons = {h for c in ledger.calls for h in (c.horizons or settings.horizons)}
    values = settings.draws * len(ledger.calls) * len(horizons)
    if values > MAX_NULL_VALUES:
        raise BadInputError(
            f"--draws {settings.draws:,} x {len(ledger.calls):,} calls x {len(horizons)} "
            f"horizons is {values:,} random draws, more than {MAX_NULL_VALUES:,} (about 400 MB); "
            "lower --draws or split the ledger."
        )


@dataclass(frozen=True, kw_only=True)
class LedgerOutcome:
    """The ledger, its evaluation, the prices loaded, the tickers that could not be, notes."""

    ledger: Ledger
    settings: LedgerSettings
    result: LedgerResult
    loaded: dict[str, LoadedPrices]
    unavailable: dict[str, str]
    data_options: dict[str, object]
    notes: tuple[str, ...]


def run_ledger(
    ledger: Ledger, settings: LedgerSettings, *, data: DataOptions, progress: Progress
) -> LedgerOutcome:
    """Load the prices of every called ticker and benchmark, then evaluate the ledger."""
    check_size(ledger, settings)
    tickers = list(
        dict.fromkeys(
            t for c in ledger.calls for t in (c.ticker, c.benchmark or settings.benchmark)
        )
    )
    notes: list[str] = []
    if ledger.comments:
        notes.append(
            f"{ledger.comments} comment line(s) of {ledger.path.name} (starting with #) were "
            f"skipped; {len(ledger.calls)} call(s) read."
        )
    source = data.price_source(notes.append)
    loaded: dict[str, LoadedPrices] = {}
    unavailable: dict[str, str] = {}
    for ticker in progress.track(tickers, description="Loading prices", total=len(tickers)):
        try:
            quiet = SilentProgress()
            loaded.update(
                load_prices([ticker], source=source, start=None, end=None, progress=quiet)
            )
            notes.extend(quiet.notes)
        except CatalystError as error:
            unavailable[ticker] = str(error)
    default = settings.benchmark
    if default in unavailable and any(c.benchmark is None for c in ledger.calls):
        raise DataUnavailableError(
            f"--benchmark {default} has no prices ({unavailable[default].rstrip('.')}); give a "
            "benchmark that has them (e.g. SPY), or check --data-dir or the network."
        )
    for ticker, reason in unavailable.items():
        progress.note(f"No prices for {ticker}: {reason} Its calls are listed as not evaluable.")
    if all(c.ticker in unavailable for c in ledger.calls):
        raise DataUnavailableError(
            "None of the ledger's tickers could be loaded ("
            + "; ".join(f"{t}: {r}" for t, r in unavailable.items())
            + "); check --data-dir or the network."
        )
    result = evaluate_ledger(
        ledger.calls,
        {t: p.frame for t, p in loaded.items()},
        default_benchmark=settings.benchmark,
        default_horizons=settings.horizons,
        convention=settings.convention,
        history_start=settings.history_start,
        unavailable=unavailable,
        seed=settings.seed,
        draws=settings.draws,
        reps=settings.reps,
        level=settings.level,
        costs=settings.costs,
    )
    for note in notes:
        progress.note(note)
    return LedgerOutcome(
        ledger=ledger,
        settings=settings,
        result=result,
        loaded=loaded,
        unavailable=unavailable,
        data_options={
            "data_dir": str(data.data_dir) if data.data_dir else None,
            "offline": data.offline,
            "refresh": data.refresh,
        },
        notes=tuple(dict.fromkeys(notes)),
    )
