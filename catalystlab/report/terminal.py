"""The terminal side: rich progress bars, and the run's summary as tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar
from rich.table import Table

from catalystlab.pipeline.compare import CrossRunComparison
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.formatting import formatted
from catalystlab.report.tables import band_table, base_rate_table, ranked_display, strategy_table
from catalystlab.report.verdicts import event_study_sentence, event_study_table, verdict_points

TERMINAL_COLUMNS = (
    "rank",
    "total_return",
    "cagr",
    "sharpe",
    "max_drawdown",
    "psr",
    "dsr",
    "excess_return",
)

T = TypeVar("T")


class TerminalProgress:
    """Progress bars on stderr (hidden when it is not a terminal) and notes as dim lines."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self.notes: list[str] = []

    def track(self, items: Iterable[T], *, description: str, total: int) -> Iterator[T]:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with RichBar(
            *columns,
            console=self._console,
            transient=True,
            disable=not self._console.is_terminal,
        ) as bar:
            task = bar.add_task(description, total=total)
            for item in items:
                yield item
                bar.advance(task)

    def note(self, message: str) -> None:
        self.notes.append(message)
        self._console.print(f"[dim]note: {message}[/dim]", highlight=False)


def _rich_table(
    frame: pd.DataFrame, *, title: str, index_label: str = "", by_row: bool = False
) -> Table:
    shown = formatted(frame, by_row=by_row)
    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column(index_label)
    for column in shown.columns:
        table.add_column(str(column), justify="right")
    for index, row in zip(shown.index, shown.to_numpy().tolist(), strict=True):
        table.add_row(str(index), *row)
    return table


def print_summary(console: Console, outcome: RunOutcome, folder: Path) -> None:
    """The call's verdict and tables, the strategies ranked, and where the results are."""
    call = outcome.call
    if call is not None:
        console.rule(f"The call: {call.ticker}")
        if call.timing.evaluable:
            console.print(
                _rich_table(
                    call.out_of_sample,
                    title=f"Out of sample ({call.timing.entry_day.date()} open to "
                    f"{call.timing.end_day.date()})",
                    index_label="leg",
                )
            )
            horizons = call.horizons.drop(columns=["months"]).T
            console.print(_rich_table(horizons, title="Horizons after the entry", by_row=True))
            if call.uncertainty is not None:
                console.print(
                    _rich_table(
                        band_table(call.uncertainty),
                        title="Entry on any day of the window, "
                        f"{call.uncertainty.convention.value}",
                    )
                )
                if call.uncertainty.base_rates:
                    console.print(
                        _rich_table(
                            base_rate_table(call.uncertainty),
                            title="Base rate of the call's excess",
                            index_label="versus",
                        )
                    )
    console.rule("Strategies and benchmark")
    shown = ranked_display(strategy_table(outcome), TERMINAL_COLUMNS)
    console.print(
        _rich_table(
            shown,
            title=f"Ranked by DSR ({outcome.comparison.n_trials} variants counted), "
            f"{outcome.calendar[0].date()} to {outcome.calendar[-1].date()}",
            index_label="strategy",
        )
    )
    if outcome.event_study is not None:
        console.rule("Event study")
        console.print(_rich_table(event_study_table(outcome.event_study), title=""))
    if outcome.audit is not None:
        console.rule("The article's claims")
        console.print(
            _rich_table(outcome.audit[["verdict", "detail"]], title="", index_label="claim")
        )
    console.rule("Verdict")
    for topic, text in verdict_points(outcome):
        console.print(f"[bold]{topic}.[/bold] {text}", highlight=False)
    console.print(f"Results: {folder}", highlight=False)
    console.print(f"Report:  {folder / 'report.html'}", highlight=False)


def print_event_study(console: Console, study: EventStudyRun, folder: Path) -> None:
    """The event study's table and headline, and where its folder is."""
    console.rule("Event study")
    console.print(_rich_table(event_study_table(study), title=""))
    console.print(event_study_sentence(study), highlight=False)
    console.print(f"Results: {folder}", highlight=False)


def print_comparison(console: Console, comparison: CrossRunComparison, folder: Path) -> None:
    """The cross-run ranking, and where its folder is."""
    console.print(
        _rich_table(
            ranked_display(comparison.table, TERMINAL_COLUMNS),
            title=f"Ranked by DSR ({comparison.n_trials} variants counted), "
            f"{comparison.first_day.date()} to {comparison.last_day.date()}",
            index_label="strategy",
        )
    )
    console.print(f"Results: {folder}", highlight=False)
