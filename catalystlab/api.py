"""The public Python API: what the command line does, callable from a notebook or a script.

Run from the repository's root with the data snapshot beside it (a test runs this example):

>>> import catalystlab as cl
>>> result = cl.run("config/amazon_ai_call.yaml", data_dir="../shared/data", offline=True,
...                 write=False)
>>> result.folder is None
True
>>> print(f"{result.call.out_of_sample.loc['AMZN', 'total_return']:+.1%}")
+14.7%
>>> sorted(result.equity.columns)[:2]
['buy_hold_amzn', 'buy_hold_meta']

Every function takes the command line's options as keywords (``data_dir``, ``offline``,
``refresh``, ``cache_dir``, ``start``, ``end``, ``seed``, ``out``), prints nothing unless
``progress=True``, and raises the project's exceptions (:class:`BadInputError`,
:class:`DataUnavailableError`), never ``SystemExit``.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from catalystlab.config import MAX_SEED, RunConfig, load_config
from catalystlab.core.dates import DateLike, user_date
from catalystlab.core.errors import BadInputError
from catalystlab.core.progress import Progress, SilentProgress
from catalystlab.inputs.options import data_options
from catalystlab.inputs.prices import store
from catalystlab.inputs.prices.cache import default_cache_dir
from catalystlab.inputs.prices.store import CachedTicker, cache_source
from catalystlab.pipeline.cross_run import CallComparison, CrossRunComparison, compare_folders
from catalystlab.pipeline.executors import DaskExecutor, LocalExecutor
from catalystlab.pipeline.outcome import EventsOutcome, RunOutcome
from catalystlab.report.config_template import DEFAULT_BENCHMARKS, config_text, write_config
from catalystlab.report.reuse import find_reusable, run_key
from catalystlab.report.summary import event_study_summary, summary
from catalystlab.report.tables import RunTables, run_tables
from catalystlab.report.workers import worker_pool

# The pipeline (run, validation, sweep) and the writers are imported by the functions that use
# them: an unchanged re-run is found, loaded and printed without backtrader, scipy, arch or
# matplotlib (tests/unit/test_rerun_reuse.py).
if TYPE_CHECKING:
    from catalystlab.analysis.call.legs import CallResult
    from catalystlab.inputs.articles import Article
    from catalystlab.pipeline.sweep import SweepOutcome
    from catalystlab.pipeline.validate import Finding

ConfigSource = str | Path | Mapping[str, Any] | RunConfig

__all__ = [
    "CompareResult",
    "EventsResult",
    "RunResult",
    "SweepResult",
    "compare",
    "data_clear",
    "data_fetch",
    "data_import",
    "data_status",
    "events",
    "init",
    "init_from_article",
    "load_config",
    "read_article",
    "run",
    "sweep",
    "validate",
]


@dataclass(frozen=True, kw_only=True, repr=False)
class RunResult:
    """A finished run. The frames hold what the results folder's CSVs hold; in a notebook it
    shows its headline, the call's and the ranked tables, and a link to report.html."""

    outcome: RunOutcome  # everything computed, for digging deeper
    summary: dict[str, Any]  # the content of summary.json
    tables: RunTables
    folder: Path | None  # the results folder, or None when nothing was written
    reused: bool = False  # an unchanged re-run: ``folder`` is the earlier run's, not rewritten

    @property
    def equity(self) -> pd.DataFrame:
        """equity.csv: Date index, one column per strategy id, portfolio value at each close."""
        return self.tables.equity

    @property
    def comparison(self) -> pd.DataFrame:
        """comparison.csv: every strategy and the benchmark, ranked (fractions, not %)."""
        return self.tables.comparison

    @property
    def signals(self) -> pd.DataFrame:
        """signals.csv: exposure in [0, 1] per signal and ticker, known at each close."""
        return self.tables.signals

    @property
    def trades(self) -> pd.DataFrame:
        """trades.csv: every fill of every strategy."""
        return self.tables.trades

    @property
    def call(self) -> Any:
        """The call test (:class:`catalystlab.analysis.call.legs.CallResult`), or None."""
        return self.outcome.call

    @property
    def headline(self) -> str:
        """The run's answer in one line (the call's, or the ranking's without a call)."""
        from catalystlab.report.verdicts import headline

        return headline(self.outcome)

    @property
    def event_study(self) -> pd.DataFrame | None:
        """The event study per company (and pooled) and window: events, mean CAR (fraction)
        and the p-values of the t-test, the BMP test and the placebo; None without one."""
        from catalystlab.report.verdicts import event_study_table

        study = self.outcome.event_study
        return event_study_table(study) if study is not None else None

    @property
    def event_cars(self) -> pd.DataFrame | None:
        """event_study.csv: one row per event and window (CARs are fractions), or None."""
        study = self.outcome.event_study
        return study.result.cars if study is not None else None

    def plot(self, ax: Any = None) -> Any:
        """The equity curves as growth of 1 (log scale), as report.html draws them, on
        ``ax`` (a new figure's when None); returns the matplotlib Figure."""
        from catalystlab.report.notebook import plot_equity

        return plot_equity(self.equity, title=f"{self.outcome.config.name}: growth of 1", ax=ax)

    def __repr__(self) -> str:
        from catalystlab.report.notebook import one_line

        return one_line(
            "RunResult",
            self.outcome.config.name,
            self.headline,
            self.folder,
            strategies=len(self.outcome.strategies),
            reused=self.reused,
        )

    def _repr_html_(self) -> str:
        from catalystlab.report.notebook import html_block, html_table, ranked_for_notebook

        tables = []
        call = self.outcome.call
        if call is not None and call.timing.evaluable:
            oos = call.out_of_sample[["total_return", "excess_total_return", "excess_cagr"]]
            tables.append(html_table(oos, title="The call, out of sample", index_label="leg"))
        if self.outcome.strategies:
            ranked = ranked_for_notebook(self.tables.ranked, self.outcome.config.benchmark)
            tables.append(html_table(ranked, title="Ranked by DSR", index_label="strategy"))
        return html_block(self.headline, tables, self.folder)

    @property
    def claims(self) -> pd.DataFrame | None:
        """claims.csv: one row per claim of the article, or None without a claims file."""
        return self.outcome.audit

    @property
    def notes(self) -> tuple[str, ...]:
        """What the run noted on the way (data adjustments, skipped base rates...)."""
        return self.outcome.notes


@dataclass(frozen=True, kw_only=True, repr=False)
class EventsResult:
    """A finished event study (``runner.py events``)."""

    outcome: EventsOutcome
    summary: dict[str, Any]
    folder: Path | None

    @property
    def cars(self) -> pd.DataFrame:
        """event_study.csv: one row per event and window (CARs are fractions)."""
        return self.outcome.study.result.cars

    @property
    def table(self) -> pd.DataFrame:
        """Per company (and pooled) and window: events, mean CAR (fraction), p-values."""
        from catalystlab.report.verdicts import event_study_table

        return event_study_table(self.outcome.study)

    @property
    def headline(self) -> str:
        """The pooled reaction in the headline window, and whether it stands out."""
        from catalystlab.report.verdicts import event_study_sentence

        return event_study_sentence(self.outcome.study)

    def __repr__(self) -> str:
        from catalystlab.report.notebook import one_line

        return one_line("EventsResult", self.outcome.config.name, self.headline, self.folder)

    def _repr_html_(self) -> str:
        from catalystlab.report.notebook import html_block, html_table

        return html_block(self.headline, [html_table(self.table, title="Event study")], self.folder)


@dataclass(frozen=True, kw_only=True, repr=False)
class CompareResult:
    """Several runs ranked together (``runner.py compare``), or, when none has a strategy,
    their calls side by side (``comparison`` a :class:`CallComparison`)."""

    comparison: CrossRunComparison | CallComparison
    folder: Path | None

    @property
    def table(self) -> pd.DataFrame:
        """comparison.csv: every strategy of the folders, ranked; or calls.csv: one row per
        run's call."""
        return self.comparison.table

    @property
    def headline(self) -> str:
        """What ranks first by DSR, of how many."""
        from catalystlab.report.verdicts import ranking_headline

        return ranking_headline(self.table)

    def __repr__(self) -> str:
        from catalystlab.report.notebook import one_line

        runs = len(self.comparison.folders)
        return one_line("CompareResult", f"{runs} runs", self.headline, self.folder)

    def _repr_html_(self) -> str:
        from catalystlab.report.notebook import html_block, html_table, ranked_for_notebook

        shown = ranked_for_notebook(self.table, self.comparison.benchmark)
        table = html_table(shown, title="Ranked by DSR", index_label="strategy")
        return html_block(self.headline, [table], self.folder)


def run(
    config: ConfigSource,
    *,
    data_dir: str | Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    cache_dir: str | Path | None = None,
    start: DateLike = None,
    end: DateLike = None,
    seed: int | None = None,
    out: str | Path = "results",
    write: bool = True,
    progress: bool | Progress = False,
    command: Sequence[str] | None = None,
    on_call: Callable[[CallResult], None] | None = None,
    on_ready: Callable[[RunOutcome], None] | None = None,
    force: bool = False,
) -> RunResult:
    """Backtest ``config`` (a YAML path, a mapping of its keys, or a loaded config): every
    strategy, the comparison, the call test, the event study and the claims audit.

    With ``write`` (default) the results folder is written under ``out`` and its path is
    ``result.folder``; ``command`` is what its manifest records as the command.
    ``on_call(call)`` is called as soon as the call's answer is known (its out-of-sample
    table and excess intervals, before the strategies' backtests; the in-sample table,
    horizons and uncertainty are in ``result.outcome.call``), ``on_ready(outcome)`` as soon
    as every number is, while the results folder is still being written (``result.folder``
    exists once this returns).

    An unchanged re-run (same config, code, packages and input files as a folder under
    ``out``: :mod:`catalystlab.report.reuse`) computes and writes nothing and returns that
    folder with ``reused=True``; ``force`` recomputes.
    """
    out_dir = _out_dir(out) if write else None
    settings = _with_overrides(config, start=start, end=end, seed=seed)
    data = data_options(data_dir, offline=offline, refresh=refresh, cache_dir=cache_dir)
    shown = _progress(progress)
    key = run_key(settings, data) if out_dir is not None and not refresh else None
    earlier = (
        find_reusable(out_dir, key, on_note=shown.note)
        if out_dir is not None and key is not None and not force
        else None
    )
    if earlier is not None:
        return _reused(*earlier, shown, on_call, on_ready)
    if out_dir is None:
        from catalystlab.pipeline.execute import run as run_pipeline

        outcome = run_pipeline(settings, data=data, progress=shown, on_call=on_call)
        if on_ready is not None:
            on_ready(outcome)
        return RunResult(
            outcome=outcome, summary=summary(outcome, None), tables=run_tables(outcome), folder=None
        )
    from catalystlab.report.tearsheet_batch import tearsheet_batch

    with tearsheet_batch(shown) as tearsheets:
        # Imported once the tearsheet host is forked: it imports quantstats meanwhile.
        from catalystlab.pipeline.execute import run as run_pipeline
        from catalystlab.report.write import write_results

        outcome = run_pipeline(
            settings,
            data=data,
            progress=shown,
            on_backtest=tearsheets.submit,
            on_call=on_call,
        )
        if on_ready is not None:
            on_ready(outcome)
        shown.note(
            "Writing the results folder (tables, charts, the tearsheets still being drawn, "
            "report.html): its path is printed when all of it is written."
        )
        tables = run_tables(outcome)
        folder = write_results(
            outcome,
            out_dir=out_dir,
            command=_command(command, "run"),
            tearsheets=tearsheets,
            tables=tables,
            reuse_key=key,
        )
    return RunResult(outcome=outcome, summary=_read_summary(folder), tables=tables, folder=folder)


def events(
    config: ConfigSource,
    *,
    data_dir: str | Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    cache_dir: str | Path | None = None,
    start: DateLike = None,
    end: DateLike = None,
    seed: int | None = None,
    out: str | Path = "results",
    write: bool = True,
    progress: bool | Progress = False,
    command: Sequence[str] | None = None,
) -> EventsResult:
    """The config's event study alone (its own results folder with ``write``)."""
    from catalystlab.pipeline.execute import run_events
    from catalystlab.report.write import write_event_results

    out_dir = _out_dir(out) if write else None
    settings = _with_overrides(config, start=start, end=end, seed=seed)
    data = data_options(data_dir, offline=offline, refresh=refresh, cache_dir=cache_dir)
    outcome = run_events(settings, data=data, progress=_progress(progress))
    if out_dir is None:
        document = {"config": settings.name, "event_study": event_study_summary(outcome.study)}
        return EventsResult(outcome=outcome, summary=document, folder=None)
    folder = write_event_results(outcome, out_dir=out_dir, command=_command(command, "events"))
    return EventsResult(outcome=outcome, summary=_read_summary(folder), folder=folder)


def compare(
    folders: Sequence[str | Path],
    *,
    seed: int | None = None,
    out: str | Path = "results",
    write: bool = True,
    command: Sequence[str] | None = None,
) -> CompareResult:
    """Rank the strategies of several results folders of :func:`run` together; folders of
    runs without strategies get their calls side by side instead."""
    from catalystlab.report.write import write_compare_results

    out_dir = _out_dir(out) if write else None
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise BadInputError(f"--seed {seed}: give a whole number from 0 to {MAX_SEED}.")
    comparison = compare_folders([Path(f) for f in folders], seed=seed)
    if out_dir is None:
        return CompareResult(comparison=comparison, folder=None)
    folder = write_compare_results(
        comparison, out_dir=out_dir, command=_command(command, "compare")
    )
    return CompareResult(comparison=comparison, folder=folder)


def init(
    name: str,
    *,
    ticker: str,
    date: DateLike,
    stance: str = "buy",
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    out: str | Path = "config",
) -> Path:
    """Write ``out/<name>.yaml``, a commented config of a call on ``ticker`` dated ``date``
    (``stance`` buy or sell, against ``benchmarks``) with the flagship's defaults; never
    overwrites a file. Returns its path."""
    day = user_date(date, "date")
    if day is None:
        raise BadInputError("date: give the call's date, YYYY-MM-DD.")
    path = Path(out) / f"{name}.yaml"
    text = config_text(
        name, ticker=ticker, date=day, stance=stance, benchmarks=benchmarks, path=path
    )
    return write_config(text, path)


def read_article(
    text: str | bytes,
    date: DateLike = None,
    url: str | None = None,
    *,
    window: tuple[DateLike, DateLike] | None = None,
    ticker: str | None = None,
    stance: str | None = None,
) -> Article:
    """Read an article (plain text or a saved HTML page) into an
    :class:`~catalystlab.inputs.articles.Article`: subject ticker, rivals, stance, date,
    benchmarks, catalysts and numeric claims, each with the sentence it came from.
    ``article.problems`` says why it is not a call (hold, no rating, no date, no ticker);
    ``date``/``window``, ``ticker`` and ``stance`` settle what the text does not."""
    from catalystlab.inputs.articles import read_article as read

    day = user_date(date, "date")
    span = _window(window)
    return read(text, date=day, window=span, url=url, ticker=ticker, stance=stance)


@dataclass(frozen=True, kw_only=True)
class ArticleInit:
    """What ``init --from-article`` wrote: the ``config`` and ``claims`` paths (None when the
    article states no number) and the ``article`` as read."""

    config: Path
    claims: Path | None
    article: Article
    left_out: tuple[str, ...] = ()  # named benchmarks without prices in ``data_dir``


def init_from_article(
    name: str,
    article: str | Path,
    *,
    date: DateLike = None,
    window: tuple[DateLike, DateLike] | None = None,
    url: str | None = None,
    ticker: str | None = None,
    stance: str | None = None,
    out: str | Path = "config",
    data_dir: str | Path | None = None,
) -> ArticleInit:
    """Read the article file at ``article`` and write ``out/<name>.yaml`` (the config of its
    call) and ``out/<name>_claims.yaml`` (its numbers as claims), each value commented with
    the sentence it came from. With ``data_dir``, named rivals without prices are left out.
    BadInputError when the article is not a call (quoting why) or a file exists."""
    from catalystlab.inputs.articles import read_article_file
    from catalystlab.report.claims_template import claims_text
    from catalystlab.report.config_template import article_config_text

    text = read_article_file(article)
    read = read_article(text, date, url, window=window, ticker=ticker, stance=stance)
    folder = Path(out)
    path, claims_path = folder / f"{name}.yaml", folder / f"{name}_claims.yaml"
    claims = claims_text(read)
    prices = Path(data_dir) / "prices" if data_dir is not None else None
    has_prices = (lambda t: (prices / f"{t}.csv").is_file()) if prices else None
    config = article_config_text(
        read, name, path=path, claims_path=claims_path if claims else None, has_prices=has_prices
    )
    left_out = tuple(t for t in read.benchmarks if has_prices and not has_prices(t))
    for target in (path, claims_path):
        if target.exists():
            raise BadInputError(
                f"{target} exists; init never overwrites a file: choose another NAME or --out."
            )
    if claims:
        write_config(claims, claims_path)
    return ArticleInit(
        config=write_config(config, path),
        claims=claims_path if claims else None,
        article=read,
        left_out=left_out,
    )


def _window(window: tuple[DateLike, DateLike] | None) -> tuple[dt.date, dt.date] | None:
    if window is None:
        return None
    first, last = (user_date(d, "window") for d in window)
    if first is None or last is None:
        raise BadInputError("window: give the first and last day, YYYY-MM-DD YYYY-MM-DD.")
    if last < first:
        raise BadInputError(f"window {first} {last} is reversed: give the earlier day first.")
    return first, last


def validate(config: ConfigSource, *, data_dir: str | Path | None = None) -> list[Finding]:
    """Check ``config`` (and with ``data_dir`` its prices and catalyst data) without running:
    one :class:`~catalystlab.pipeline.validate.Finding` per problem, warning or note."""
    from catalystlab.pipeline.validate import validate_config

    return validate_config(config, data_dir=Path(data_dir) if data_dir is not None else None)


def data_fetch(
    tickers: Sequence[str],
    *,
    start: DateLike = None,
    cache_dir: str | Path | None = None,
    refresh: bool = False,
    progress: bool | Progress = False,
) -> list[CachedTicker]:
    """Download ``tickers`` from Yahoo Finance into the cache (only what it lacks, unless
    ``refresh``) from ``start``; returns their cache status."""
    first = user_date(start, "start")
    shown = _progress(progress)
    source = cache_source(_cache(cache_dir), refresh=refresh, on_note=shown.note)
    fetched = set(
        store.fetch(source, tickers, start=pd.Timestamp(first) if first is not None else None)
    )
    return [row for row in store.status(source) if row.ticker in fetched]


def data_status(*, cache_dir: str | Path | None = None) -> list[CachedTicker]:
    """Every cached ticker: source, first and last date, rows, stale or not."""
    return store.status(cache_source(_cache(cache_dir)))


def data_import(folder: str | Path, *, cache_dir: str | Path | None = None) -> list[str]:
    """Validate the CSVs of ``folder`` (yfinance layout, ``<TICKER>.csv``) and store them in
    the cache; nothing is imported when any file is bad. Returns the tickers imported."""
    return store.import_folder(cache_source(_cache(cache_dir)), Path(folder))


def data_clear(
    tickers: Sequence[str] = (),
    *,
    cache_dir: str | Path | None = None,
    confirm: Callable[[list[Path]], bool] | None = None,
) -> list[str]:
    """Delete the cached prices of ``tickers`` (none: every file the cache wrote; a file in
    the folder it did not write is left alone). ``confirm``, when given, sees the files first
    and nothing is deleted unless it returns True. Returns the tickers deleted."""
    source = cache_source(_cache(cache_dir))
    if confirm is not None and not confirm(store.cache_files(source, tickers)):
        return []
    return store.clear(source, tickers)


def _cache(cache_dir: str | Path | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


@dataclass(frozen=True, kw_only=True, repr=False)
class LedgerRun:
    """A finished ledger (``runner.py ledger``): every call tested, per source and overall."""

    outcome: Any  # catalystlab.pipeline.ledger.LedgerOutcome: everything computed
    summary: dict[str, Any]  # the content of summary.json
    calls: pd.DataFrame  # calls.csv: one row per call and horizon (and 'end')
    sources: pd.DataFrame  # sources.csv: per source and horizon, and pooled
    folder: Path | None
    skipped: tuple[Any, ...] = ()  # from_articles: the articles that are not calls, and why

    @property
    def headline(self) -> str:
        """How many calls were tested, and each source's verdict."""
        counts = self.summary["counts"]
        return " ".join(
            [
                f"{counts['calls']} calls, {counts['evaluable']} evaluated.",
                *self.summary["verdicts"].values(),
            ]
        )

    def __repr__(self) -> str:
        from catalystlab.report.notebook import one_line

        counts = self.summary["counts"]
        sources = len(self.summary["verdicts"])
        answer = f"{counts['calls']} calls from {sources} source(s)"
        return one_line("LedgerRun", "ledger", answer, self.folder)

    def _repr_html_(self) -> str:
        from catalystlab.report.notebook import html_block, html_table

        table = html_table(self.sources.set_index("source"), title="Per source and horizon")
        return html_block(self.headline, [table], self.folder)


def ledger(
    path: str | Path,
    *,
    data_dir: str | Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    cache_dir: str | Path | None = None,
    benchmark: str = "SPY",
    horizons: Sequence[int] = (1, 3, 6, 12),
    entry: str = "next_open",
    history_start: DateLike = "2010-01-01",
    draws: int = 1000,
    reps: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    commission: float = 0.0005,
    slippage: float = 0.0005,
    out: str | Path = "results",
    write: bool = True,
    progress: bool | Progress = False,
    command: Sequence[str] | None = None,
    from_articles: bool = False,
    source: str | None = None,
) -> LedgerRun:
    """Test every call of the ledger file at ``path`` (CSV or YAML; see README "Test a
    caller"): returns and excess per call and horizon, hit rates, calendar-block intervals
    and permutation p-values per source. ``benchmark`` and ``horizons`` (months) apply to
    calls that name none; ``entry`` is the entry convention; ``commission`` and ``slippage``
    (fractions) are paid by the engine columns only. ``from_articles``: ``path`` is a folder
    of saved articles, each read into a call (``source`` names the author, else each
    article's byline); those that are not calls are in ``skipped`` and the notes."""
    from catalystlab.analysis.call.conventions import parse_convention
    from catalystlab.core.tickers import parse_ticker
    from catalystlab.engine.backtest import Costs
    from catalystlab.inputs.ledger import read_ledger
    from catalystlab.pipeline.ledger import LedgerSettings, run_ledger
    from catalystlab.report.ledger import (
        calls_table,
        ledger_summary,
        sources_table,
        write_ledger_results,
    )

    out_dir = _out_dir(out) if write else None
    try:
        default = parse_ticker(benchmark)
    except ValueError as error:
        raise BadInputError(f"--benchmark: {error}.") from None
    if not horizons or any(isinstance(h, bool) or int(h) != h or h <= 0 for h in horizons):
        raise BadInputError(f"--horizons {list(horizons)}: give positive months, e.g. 1,3,6,12.")
    if commission < 0 or slippage < 0:
        raise BadInputError("commission and slippage are fractions of at least 0 (5 bp = 0.0005).")
    start = user_date(history_start, "history_start")
    settings = LedgerSettings(
        benchmark=default,
        horizons=tuple(sorted({int(h) for h in horizons})),
        convention=parse_convention(entry),
        history_start=pd.Timestamp(start or "2010-01-01"),
        draws=draws,
        reps=reps,
        level=confidence,
        seed=seed,
        costs=Costs(commission=commission, slippage=slippage),
    )
    data = data_options(data_dir, offline=offline, refresh=refresh, cache_dir=cache_dir)
    shown = _progress(progress)
    skipped: tuple[Any, ...] = ()
    if from_articles:
        from catalystlab.inputs.articles.folder import articles_ledger

        calls_read, skipped = articles_ledger(path, source=source)
    elif source is not None:
        raise BadInputError("--source goes with --from-articles DIR.")
    else:
        calls_read = read_ledger(path)
    outcome = run_ledger(calls_read, settings, data=data, progress=shown)
    if skipped:
        notes = [f"Not a call: {s.path.name}: {s.reason}" for s in skipped]
        for note in notes:
            shown.note(note)
        outcome = replace(outcome, notes=(*notes, *outcome.notes))
    calls = calls_table(outcome)
    sources = sources_table(outcome.result)
    if out_dir is None:
        document = ledger_summary(outcome, None, calls)
        return LedgerRun(
            outcome=outcome,
            summary=document,
            calls=calls,
            sources=sources,
            folder=None,
            skipped=skipped,
        )
    folder = write_ledger_results(outcome, out_dir=out_dir, command=_command(command, "ledger"))
    return LedgerRun(
        outcome=outcome,
        summary=_read_summary(folder),
        calls=calls,
        sources=sources,
        folder=folder,
        skipped=skipped,
    )


@dataclass(frozen=True, kw_only=True, repr=False)
class SweepResult:
    """A finished sweep (``runner.py sweep``)."""

    outcome: SweepOutcome
    summary: dict[str, Any]
    folder: Path | None

    @property
    def headline(self) -> str:
        """The walk-forward's out-of-sample return, with its PSR (against a Sharpe of 0) and
        DSR counting every trial."""
        from catalystlab.report.formatting import PSR_VS_ZERO, format_value

        stats = self.outcome.walk_forward_stats
        total = float((1.0 + self.outcome.walk_forward).prod() - 1.0)
        return (
            f"Walk-forward over {len(self.outcome.folds)} folds, out of sample: "
            f"{format_value(total, 'total_return')}, {PSR_VS_ZERO} "
            f"{format_value(stats['psr'], 'psr')}, DSR {format_value(stats['dsr'], 'dsr')} "
            f"with {self.outcome.n_trials} trials counted."
        )

    def __repr__(self) -> str:
        from catalystlab.report.notebook import one_line

        return one_line("SweepResult", self.outcome.config.name, self.headline, self.folder)

    def _repr_html_(self) -> str:
        from catalystlab.report.notebook import html_block, html_table

        confirmed = self.confirmed
        columns = [c for c in ("label", "total_return", "sharpe", "dsr") if c in confirmed]
        table = html_table(confirmed[columns], title="Top trials, confirmed in backtrader")
        return html_block(self.headline, [table], self.folder)

    @property
    def trials(self) -> pd.DataFrame:
        """trials.csv: one row per trial, the screen's metrics (fractions) and rank."""
        return self.outcome.trials

    @property
    def confirmed(self) -> pd.DataFrame:
        """confirmed.csv: the top trials' numbers from backtrader, with PSR and DSR."""
        return self.outcome.confirmed

    @property
    def folds(self) -> pd.DataFrame:
        """folds.csv: the walk-forward's folds and the trial chosen in each."""
        return self.outcome.folds


def sweep(
    config: ConfigSource,
    *,
    data_dir: str | Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    cache_dir: str | Path | None = None,
    start: DateLike = None,
    end: DateLike = None,
    seed: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    max_trials: int | None = None,
    out: str | Path = "results",
    write: bool = True,
    progress: bool | Progress = False,
    command: Sequence[str] | None = None,
) -> SweepResult:
    """Run the config's ``sweep`` section: screen every trial on the vectorised engine,
    confirm the top ``top_k`` in backtrader, walk forward; the results folder under ``out``.

    ``executor``: ``local`` (``workers`` processes, default every core) or ``dask`` (the
    Dask distributed scheduler at ``scheduler``). The trial table does not depend on either.
    A grid of more than ``max_trials`` trials (default 10,000) is refused before any work.
    """
    from catalystlab.pipeline.sweep import DEFAULT_MAX_TRIALS, run_sweep, sweep_settings
    from catalystlab.report.sweep import sweep_summary, write_sweep_results

    out_dir = _out_dir(out) if write else None
    settings = _with_overrides(config, start=start, end=end, seed=seed)
    limit = DEFAULT_MAX_TRIALS if max_trials is None else max_trials
    sweep_settings(settings, max_trials=limit)  # refused before the executor starts
    data = data_options(data_dir, offline=offline, refresh=refresh, cache_dir=cache_dir)
    shown = _progress(progress)
    runner = _executor(executor, scheduler=scheduler, workers=workers)
    try:
        outcome = run_sweep(settings, data=data, executor=runner, progress=shown, max_trials=limit)
    finally:
        if isinstance(runner, DaskExecutor):
            runner.close()
    if out_dir is None:
        return SweepResult(outcome=outcome, summary=sweep_summary(outcome, None), folder=None)
    folder = write_sweep_results(
        outcome, out_dir=out_dir, command=_command(command, "sweep"), progress=shown
    )
    return SweepResult(outcome=outcome, summary=_read_summary(folder), folder=folder)


def _executor(
    kind: str, *, scheduler: str | None, workers: int | None
) -> LocalExecutor | DaskExecutor:
    if kind == "local":
        if scheduler is not None:
            raise BadInputError("--scheduler goes with --executor dask.")
        return LocalExecutor(workers, pool_factory=worker_pool)
    if kind == "dask":
        if scheduler is None:
            raise BadInputError(
                "--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)."
            )
        return DaskExecutor(scheduler)
    raise BadInputError(f"--executor is local or dask, not {kind!r}.")


def _reused(
    folder: Path,
    outcome: RunOutcome,
    progress: Progress,
    on_call: Callable[[CallResult], None] | None,
    on_ready: Callable[[RunOutcome], None] | None,
) -> RunResult:
    progress.note(
        f"Nothing changed since {folder.name} (config, code, packages and every input file "
        "match its manifest): its results stand; nothing was recomputed or written. "
        "--force recomputes."
    )
    if on_call is not None and outcome.call is not None:
        on_call(outcome.call)
    if on_ready is not None:
        on_ready(outcome)
    return RunResult(
        outcome=outcome,
        summary=_read_summary(folder),
        tables=run_tables(outcome),
        folder=folder,
        reused=True,
    )


def _with_overrides(
    config: ConfigSource, *, start: DateLike, end: DateLike, seed: int | None
) -> RunConfig:
    return load_config(config).with_overrides(
        start=user_date(start, "start"), end=user_date(end, "end"), seed=seed
    )


def _out_dir(out: str | Path) -> Path:
    """``out`` once it is known that a results folder can be written there, before anything
    is computed: it is a folder (or can be created: the nearest existing folder above it is a
    folder) and a file can be created in it. Nothing is created by the check."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise BadInputError(f"--out {folder} is a file; give a folder for the results.")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise BadInputError(
            f"--out {folder} lies under {existing}, which is a file; give a folder for the results."
        )
    try:
        tempfile.TemporaryFile(dir=existing).close()
    except OSError as error:
        raise BadInputError(
            f"--out {folder}: cannot write in {existing} ({error.strerror or error}); give a "
            "folder you can write to."
        ) from None
    return folder


def _progress(progress: bool | Progress) -> Progress:
    if progress is True:
        from catalystlab.report.rich_text import console
        from catalystlab.report.terminal import TerminalProgress

        return TerminalProgress(console(stderr=True))
    return progress or SilentProgress()


def _command(command: Sequence[str] | None, name: str) -> list[str]:
    return list(command) if command is not None else [f"catalystlab.{name}(...)"]


def _read_summary(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))
