"""A parameter sweep from config to numbers: screen every trial on the vectorised engine,
confirm the best in backtrader, walk forward, and deflate what is reported by every trial.

Nothing here writes files or prints (:mod:`catalystlab.report.sweep` does). The trials run on
an :class:`~catalystlab.pipeline.executors.Executor`; results are put back by trial number, so
the trial table is the same whichever executor ran it and however many workers it had.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import headline_metrics
from catalystlab.analysis.stats.sharpe_significance import dsr, psr
from catalystlab.analysis.sweep.distinct import distinct_leaders
from catalystlab.analysis.sweep.grid import Trial, check_trial_count, expand_grid
from catalystlab.analysis.sweep.metrics import METRICS, rank_key
from catalystlab.analysis.sweep.screen import ScreenResult, ScreenTask, screen
from catalystlab.analysis.sweep.walkforward import NO_CHOICE, Fold, choose, make_folds, stitch
from catalystlab.config import RunConfig, StrategyConfig, SweepConfig
from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import SignalInputs, empty_fundamentals
from catalystlab.core.progress import Progress, SilentProgress
from catalystlab.core.registry import build_params
from catalystlab.engine.backtest import BacktestResult, Costs
from catalystlab.engine.vectorised import Bars
from catalystlab.inputs.events import load_events
from catalystlab.inputs.options import DataOptions, load_prices
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.data_check import (
    MissingData,
    enforce,
    missing_signal_data,
    without_data,
)
from catalystlab.pipeline.executors import Executor
from catalystlab.pipeline.plan import StrategyPlan, backtest_plan, plan_strategy
from catalystlab.pipeline.signal_data import (
    SignalData,
    configured_event_paths,
    describe_table,
    load_signal_data,
    restated_values_note,
)
from signals.base import SIGNALS, compute_signal
from strategies.base import ScheduleContext

# Trials per task: enough tasks to keep every worker busy, few enough that each batch is big.
MAX_TASK_TRIALS = 500
TASKS_PER_WORKER = 4
DEFAULT_MAX_TRIALS = 10_000  # --max-trials: a sweep of more trials is refused before it starts
MAX_TRIALS = 1_000_000  # the most --max-trials may allow (the DSR's extra_trials bound too)


@dataclass(frozen=True, kw_only=True)
class Confirmed:
    """A top trial re-run in backtrader: its trial number, label and backtrader's result."""

    trial: int
    label: str
    result: BacktestResult


@dataclass(frozen=True, kw_only=True)
class SweepOutcome:
    """Everything a sweep computed; the input of :mod:`catalystlab.report.sweep`.

    ``trials``: one row per trial (screen metrics, fractions; ``rank`` by the config's metric,
    1 = best). ``confirmed``: the top ``top_k`` trials' numbers from backtrader, with the
    screen's Sharpe beside them and PSR/DSR counting every trial. ``folds``: per walk-forward
    fold its windows, the trial chosen in sample and its in- and out-of-sample metric.
    ``walk_forward``: the stitched out-of-sample daily returns (fractions).
    """

    config: RunConfig
    trials: pd.DataFrame
    confirmed: pd.DataFrame
    confirmed_runs: tuple[Confirmed, ...]
    merged: dict[int, tuple[int, ...]]
    folds: pd.DataFrame
    walk_forward: pd.Series
    walk_forward_stats: dict[str, float]
    benchmark_returns: pd.Series
    ticker_returns: pd.DataFrame
    calendar: pd.DatetimeIndex
    loaded: dict[str, LoadedPrices]
    signal_sources: dict[str, dict[str, object]]
    executor: str
    workers: int
    notes: tuple[str, ...]
    data_options: dict[str, Any]

    @property
    def n_trials(self) -> int:
        """The trials the DSR counts: every trial screened but those with none of the
        catalyst data their signal reads (run with ``allow_missing_data``)."""
        return int(self.trials["has_data"].sum())


def run_sweep(
    config: RunConfig,
    *,
    data: DataOptions,
    executor: Executor,
    progress: Progress | None = None,
    max_trials: int = DEFAULT_MAX_TRIALS,
) -> SweepOutcome:
    """Screen, confirm and walk forward the config's ``sweep`` section (module docstring);
    a grid of more than ``max_trials`` trials is refused before any work."""
    progress = progress or SilentProgress()
    settings = sweep_settings(config, max_trials=max_trials)
    trials = expand_grid(settings.grid, settings.tickers)
    tickers = list(settings.tickers)
    start = pd.Timestamp(config.start) if config.start else None
    end = pd.Timestamp(config.end) if config.end else None
    loaded = load_prices(
        [*tickers, config.benchmark],
        source=data.price_source(progress.note),
        start=start,
        end=end,
        progress=progress,
        end_origin=config.origin("end"),
    )
    prices = align_prices(loaded, start=start, end=end)
    for note in prices.notes:
        progress.note(note)
    calendar = prices.calendar
    tables = _signal_data(config, trials, tickers, data)
    blind = _check_trial_data(config, trials, tables, progress)
    note = restated_values_note(tables.fundamentals)
    if note:
        progress.note(note)
    inputs = SignalInputs(
        calendar=calendar,
        close=prices.close().loc[calendar],
        fundamentals=tables.fundamentals,
        events=tables.events,
    )
    walk = settings.walk_forward
    folds = make_folds(
        len(calendar),
        in_sample=walk.in_sample_days,
        out_of_sample=walk.out_of_sample_days,
        step=walk.step_days,
    )
    costs = Costs(commission=config.costs.commission, slippage=config.costs.slippage)
    bars = {t: Bars.from_frames(prices.frames, tickers=[t], calendar=calendar) for t in tickers}
    tasks = screen_tasks(
        trials,
        bars=bars,
        inputs=inputs,
        cash=config.cash,
        costs=costs,
        folds=folds,
        metric=settings.metric,
        workers=executor.workers,
    )
    results = collect(executor, tasks, progress)
    table = trial_table(trials, results, settings, blind=blind)
    in_sample = np.concatenate([r.in_sample for r in results])
    chosen = choose(in_sample)
    context = ScheduleContext(inputs=inputs)
    merged = distinct_leaders(
        table.sort_values("rank").index, lambda n: _exposure_key(trials[n], inputs), settings.top_k
    )
    confirmed_runs = []
    for trial in progress.track(
        [trials[i] for i in merged], description="Confirming in backtrader", total=len(merged)
    ):
        context.owner = f"trial{trial.trial}"
        confirmed_runs.append(
            Confirmed(
                trial=trial.trial,
                label=trial.label,
                result=_backtest(trial, context, prices.frames, config, costs),
            )
        )
    counted = table[table["has_data"]]  # the DSR's trials, as in a run (module data_check)
    screen_sharpes = counted["sharpe"].dropna().tolist()
    confirmed = confirmed_table(confirmed_runs, table, screen_sharpes, n_trials=len(counted))
    confirmed["merged"] = [len(merged[t]) for t in confirmed.index]
    chosen_trials = sorted({int(c) for c in chosen if c != NO_CHOICE})
    equity = _equity_of(
        [trials[i] for i in chosen_trials], bars, inputs, config.cash, costs, settings.metric
    )
    returns = {
        trial: pd.Series(curve, index=calendar).pct_change().iloc[1:]
        for trial, curve in zip(chosen_trials, equity, strict=True)
    }
    walk_returns = stitch(returns, folds, chosen, calendar)
    benchmark = loaded[config.benchmark].frame["Close"].loc[calendar].pct_change().iloc[1:]
    return SweepOutcome(
        config=config,
        trials=table,
        confirmed=confirmed,
        confirmed_runs=tuple(confirmed_runs),
        merged=merged,
        folds=fold_table(folds, chosen, in_sample, trials, returns, calendar, settings.metric),
        walk_forward=walk_returns,
        walk_forward_stats=_deflated(walk_returns, len(counted), screen_sharpes),
        benchmark_returns=benchmark.rename(config.benchmark),
        ticker_returns=prices.close().loc[calendar, tickers].pct_change().iloc[1:],
        calendar=calendar,
        loaded=loaded,
        signal_sources=tables.sources,
        executor=executor.name,
        workers=executor.workers,
        notes=tuple(progress.notes),
        data_options={
            "data_dir": str(data.data_dir) if data.data_dir else None,
            "offline": data.offline,
            "refresh": data.refresh,
        },
    )


def _exposure_key(trial: Trial, inputs: SignalInputs) -> tuple[str, str]:
    """The trial's ticker and a digest of its exposure on every day: equal keys trade alike."""
    exposure = compute_signal(
        trial.signal, _inputs_of(inputs, trial.ticker), [trial.ticker], dict(trial.params)
    )
    digest = hashlib.sha256(exposure[trial.ticker].to_numpy(dtype="float64").tobytes())
    return trial.ticker, digest.hexdigest()


def _signal_data(
    config: RunConfig, trials: list[Trial], tickers: list[str], data: DataOptions
) -> SignalData:
    """Events, and fundamentals only when a signal of the grid reads them."""
    reads_fundamentals = False
    for signal, params in {(t.signal, t.params) for t in trials}:
        definition = SIGNALS.get(signal)
        if definition.needs is None:
            reads_fundamentals = True
            break
        parsed = build_params(definition.params_type, dict(params), where=f"sweep {signal!r}")
        groups = definition.needs(parsed)
        if any(need.table == "fundamentals" for group in groups for need in group):
            reads_fundamentals = True
            break
    if reads_fundamentals:
        return load_signal_data(config.signal_data, tickers=tickers, data=data)
    paths = configured_event_paths(config.signal_data)
    events = load_events(paths)
    return SignalData(
        fundamentals=empty_fundamentals(),
        events=events,
        sources={"events": describe_table(events, "events csv", files=paths)},
    )


def sweep_settings(config: RunConfig, *, max_trials: int = DEFAULT_MAX_TRIALS) -> SweepConfig:
    """The config's sweep section, once it is known to exist and to make at most
    ``max_trials`` trials (counted without making them); BadInputError otherwise."""
    if isinstance(max_trials, bool) or not 1 <= max_trials <= MAX_TRIALS:
        raise BadInputError(f"--max-trials {max_trials}: give 1 to {MAX_TRIALS:,}.")
    if config.sweep is None:
        raise BadInputError(
            f"Config {config.name!r} has no sweep section; add one (see "
            "config/sweep_catalysts.yaml)."
        )
    check_trial_count(config.sweep.grid, config.sweep.tickers, max_trials=max_trials)
    return config.sweep


def trial_plans(trials: list[Trial]) -> list[StrategyPlan]:
    """Every trial as the ``signal`` strategy it is, for the run's catalyst data check
    (:mod:`catalystlab.pipeline.data_check`); its id is ``#<trial number>``, which no
    strategy of a config can be."""
    return [dataclasses.replace(plan_strategy(_trial_entry(t)), id=f"#{t.trial}") for t in trials]


def is_trial(missing: MissingData) -> bool:
    """Whether a gap is a sweep trial's (a plan of :func:`trial_plans`)."""
    return missing.strategy.startswith("#")


def shared_gaps(missing: list[MissingData]) -> list[MissingData]:
    """The gaps of trials' plans as one sentence each for all the trials of a signal that
    share it (``sweep trials of <signal>``), in order."""
    named = (dataclasses.replace(m, strategy=f"sweep trials of {m.signal}") for m in missing)
    return list(dict.fromkeys(named))


def _check_trial_data(
    config: RunConfig, trials: list[Trial], tables: SignalData, progress: Progress
) -> frozenset[int]:
    """The run's catalyst data check on every trial (same message, same
    ``allow_missing_data``); returns the numbers of the trials with none of their data."""
    missing = missing_signal_data(
        trial_plans(trials), fundamentals=tables.fundamentals, events=tables.events
    )
    for warning in enforce(shared_gaps(missing), allow=config.allow_missing_data):
        progress.note(warning)
    return frozenset(int(i.removeprefix("#")) for i in without_data(missing))


def _trial_entry(trial: Trial) -> StrategyConfig:
    """The trial as a ``signal`` strategy of the config."""
    return StrategyConfig.model_validate(
        {
            "id": f"trial{trial.trial}",
            "kind": "signal",
            "signal": trial.signal,
            "ticker": trial.ticker,
            "signal_params": dict(trial.params),
        }
    )


def screen_tasks(
    trials: list[Trial],
    *,
    bars: dict[str, Bars],
    inputs: SignalInputs | None,
    cash: float,
    costs: Costs,
    folds: list[Fold],
    metric: str,
    workers: int,
) -> list[ScreenTask]:
    """The trials in tasks of one ticker each, about ``TASKS_PER_WORKER`` per worker and at
    most ``MAX_TASK_TRIALS`` trials each; a task's inputs hold only its ticker's rows."""
    per_ticker: dict[str, list[Trial]] = {}
    for trial in trials:
        per_ticker.setdefault(trial.ticker, []).append(trial)
    wanted = max(1, workers * TASKS_PER_WORKER)
    size = max(1, min(MAX_TASK_TRIALS, -(-len(trials) // wanted)))
    tasks = []
    for ticker, rows in per_ticker.items():
        view = _inputs_of(inputs, ticker) if inputs is not None else None
        for low in range(0, len(rows), size):
            chunk = rows[low : low + size]
            tasks.append(
                ScreenTask(
                    first=chunk[0].trial,
                    sets=tuple((t.signal, t.params) for t in chunk),
                    bars=bars[ticker],
                    inputs=view,
                    cash=cash,
                    costs=costs,
                    folds=tuple(folds),
                    metric=metric,
                )
            )
    return tasks


def collect(executor: Executor, tasks: list[ScreenTask], progress: Progress) -> list[ScreenResult]:
    """Run the tasks, with a progress bar across workers; results in trial order."""
    results: list[ScreenResult | None] = [None] * len(tasks)
    finished = executor(screen, tasks)
    for position, result in progress.track(finished, description="Screening", total=len(tasks)):
        results[position] = result
    done = [r for r in results if r is not None]
    assert len(done) == len(tasks)
    return sorted(done, key=lambda r: r.first)


def trial_table(
    trials: list[Trial],
    results: list[ScreenResult],
    settings: SweepConfig,
    *,
    blind: frozenset[int] = frozenset(),
) -> pd.DataFrame:
    """One row per trial: number, signal, ticker, one column per grid key (empty for another
    signal's keys), the parameters as JSON, ``has_data`` (False for the ``blind`` trials, which
    have none of their catalyst data and are left out of the DSR), the screen metrics and the
    rank by the metric."""
    rows = []
    for trial in trials:
        row: dict[str, Any] = {"trial": trial.trial, "signal": trial.signal, "ticker": trial.ticker}
        row.update({key: None for key in settings.grid})
        row.update({f"{trial.signal}.{k}": v for k, v in trial.params})
        row["params"] = json.dumps(dict(trial.params), sort_keys=True)
        row["has_data"] = trial.trial not in blind
        rows.append(row)
    table = pd.DataFrame(rows).set_index("trial")
    for key in settings.grid:  # numbers as numbers, anything else as text (parquet-safe)
        column = table[key]
        if column.dropna().map(lambda v: isinstance(v, int | float)).all():
            table[key] = pd.to_numeric(column)
        else:
            table[key] = column.map(lambda v: None if v is None else str(v))
    for name in METRICS:
        table[name] = np.concatenate([r.metrics[name] for r in results])
    key = rank_key(table[settings.metric].to_numpy())
    order = np.lexsort((table.index.to_numpy(), -key))
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(1, len(table) + 1)
    table["rank"] = rank
    return table


def confirmed_table(
    runs: list[Confirmed], table: pd.DataFrame, screen_sharpes: list[float], *, n_trials: int
) -> pd.DataFrame:
    """The confirmed trials' headline metrics from backtrader's returns, the screen's Sharpe
    beside backtrader's, and PSR and DSR counting ``n_trials`` (every trial screened that has
    its catalyst data)."""
    rows = {}
    for run in runs:
        returns = run.result.returns
        rows[run.trial] = {
            "label": run.label,
            **headline_metrics(returns),
            "screen_sharpe": table.loc[run.trial, "sharpe"],
            **_deflated(returns, n_trials, screen_sharpes),
            "rejected_orders": run.result.rejected_orders,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "trial"
    return frame


def fold_table(
    folds: list[Fold],
    chosen: np.ndarray,
    in_sample: np.ndarray,
    trials: list[Trial],
    returns: dict[int, pd.Series],
    calendar: pd.DatetimeIndex,
    metric: str,
) -> pd.DataFrame:
    """Per fold: its in- and out-of-sample dates, the trial chosen (signal, parameters,
    ticker), its in-sample metric and its out-of-sample return (fraction)."""
    rows = []
    for fold, trial_no in zip(folds, chosen, strict=True):
        row: dict[str, Any] = {
            "fold": fold.number,
            "in_sample_start": calendar[fold.is_first].date(),
            "in_sample_end": calendar[fold.is_last].date(),
            "out_of_sample_start": calendar[fold.oos_first].date(),
            "out_of_sample_end": calendar[fold.oos_last].date(),
        }
        if trial_no == NO_CHOICE:  # no trial invested in sample: the fold stays in cash
            row.update(trial=-1, signal="cash", ticker="", params="{}")
            row.update({f"in_sample_{metric}": float("nan"), "out_of_sample_return": 0.0})
            rows.append(row)
            continue
        trial = trials[int(trial_no)]
        oos = returns[int(trial_no)].loc[calendar[fold.oos_first] : calendar[fold.oos_last]]
        row.update(
            trial=trial.trial,
            signal=trial.signal,
            ticker=trial.ticker,
            params=json.dumps(dict(trial.params), sort_keys=True),
        )
        row[f"in_sample_{metric}"] = in_sample[int(trial_no), fold.number]
        row["out_of_sample_return"] = float(np.prod(1.0 + oos.to_numpy()) - 1.0)
        rows.append(row)
    return pd.DataFrame(rows).set_index("fold")


def _deflated(returns: pd.Series, n_trials: int, screen_sharpes: list[float]) -> dict[str, float]:
    """PSR (against 0) and DSR counting ``n_trials`` with the screen's trial Sharpe ratios."""
    if len(returns) < 2 or not returns.std() > 0:
        return {"psr": float("nan"), "dsr": float("nan"), "n_trials": n_trials}
    usable = n_trials if len(screen_sharpes) >= 2 else 1
    return {
        "psr": psr(returns),
        "dsr": dsr(returns, n_trials=usable, trial_sharpes=screen_sharpes if usable > 1 else None),
        "n_trials": n_trials,
    }


def _backtest(
    trial: Trial,
    context: ScheduleContext,
    frames: dict[str, pd.DataFrame],
    config: RunConfig,
    costs: Costs,
) -> BacktestResult:
    """The trial as a ``signal`` strategy through the run's plan path, in backtrader."""
    plan = plan_strategy(_trial_entry(trial))
    return backtest_plan(plan, context, frames, cash=config.cash, costs=costs)


def _equity_of(
    trials: list[Trial],
    bars: dict[str, Bars],
    inputs: SignalInputs,
    cash: float,
    costs: Costs,
    metric: str,
) -> list[np.ndarray]:
    """The screen's equity curves of a few ``trials`` (the walk-forward's choices)."""
    curves = []
    for trial in trials:
        task = ScreenTask(
            first=trial.trial,
            sets=((trial.signal, trial.params),),
            bars=bars[trial.ticker],
            inputs=_inputs_of(inputs, trial.ticker),
            cash=cash,
            costs=costs,
            folds=(),
            metric=metric,
            keep_equity=True,
        )
        result = screen(task)
        assert result.equity is not None
        curves.append(result.equity[0])
    return curves


def _inputs_of(inputs: SignalInputs, ticker: str) -> SignalInputs:
    """The inputs a signal on ``ticker`` reads: its closes, fundamentals and events."""
    fundamentals = inputs.fundamentals
    events = inputs.events
    return SignalInputs(
        calendar=inputs.calendar,
        close=inputs.close[[ticker]],
        fundamentals=fundamentals[fundamentals["ticker"] == ticker].reset_index(drop=True),
        events=events[events["ticker"] == ticker].reset_index(drop=True),
    )
