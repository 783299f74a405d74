"""The terminal side: rich progress bars, and the run's summary as tables."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar
from rich.table import Table

from catalystlab.pipeline.cross_run import CallComparison, CrossRunComparison
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.formatting import counted, formatted, out_of_sample_period
from catalystlab.report.rich_text import literal
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
    """Progress bars on a terminal; plain lines (``Backtesting: 12 ...``, ``Backtesting:
    done in 3.1 s``) when the console is not a terminal (a log file, a pipe, CI); notes as
    dim lines."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self.notes: list[str] = []

    def track(self, items: Iterable[T], *, description: str, total: int) -> Iterator[T]:
        if not self._console.is_terminal or total == 0:
            yield from self._plain(items, description=description, total=total)
            return
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
        ) as bar:
            task = bar.add_task(description, total=total)
            for item in items:
                yield item
                bar.advance(task)

    def _plain(self, items: Iterable[T], *, description: str, total: int) -> Iterator[T]:
        if total == 0:
            yield from items
            return
        started = time.monotonic()
        self._console.print(f"{description}: {total} ...", highlight=False, soft_wrap=True)
        yield from items
        elapsed = time.monotonic() - started
        self._console.print(f"{description}: done in {elapsed:.1f} s", highlight=False)

    def note(self, message: str) -> None:
        self.notes.append(message)
        if message.startswith("warning:"):
            self._console.print(literal(message), style="bold yellow", highlight=False)
        else:
            self._console.print(literal(f"note: {message}"), style="dim", highlight=False)


def _longest_word(texts: Iterable[object]) -> int:
    """The widest whitespace-separated word of ``texts``: a cell may wrap between words (an
    interval's bounds, a label's words), never inside one, so no number is ever cut."""
    return max((len(word) for text in texts for word in str(text).split()), default=1)


def _rich_table(
    width: int | None,
    frame: pd.DataFrame,
    *,
    title: str,
    index_label: str = "",
    by_row: bool = False,
) -> Table:
    """``frame`` formatted for the terminal. With ``width`` (the console's columns) a table
    that does not fit at its natural size gets column widths of its own: each column at least
    its widest word (cells wrap only between words, so no number is cut), the space left
    given back from the left, and columns dropped from the right (the caption names them)
    when even the narrowest layout does not fit."""
    shown = formatted(frame, by_row=by_row)
    rows = [[str(cell) for cell in row] for row in shown.to_numpy().tolist()]
    labels = [str(index) for index in shown.index]
    columns = [index_label, *(str(c) for c in shown.columns)]
    cells = [labels, *([row[i] for row in rows] for i in range(len(shown.columns)))]
    needs = [_longest_word([h, *c]) for h, c in zip(columns, cells, strict=True)]
    natural = [max(len(str(x)) for x in [h, *c]) for h, c in zip(columns, cells, strict=True)]
    kept, widths = len(columns), None

    def frame_width(count: int) -> int:  # padding either side and one border per column
        return 3 * count + 1

    if width is not None and sum(natural) + frame_width(kept) > width:
        while kept > 2 and sum(needs[:kept]) + frame_width(kept) > width:
            kept -= 1
        widths = list(needs[:kept])
        spare = width - sum(widths) - frame_width(kept)
        for i in range(kept):
            grow = max(0, min(spare, natural[i] - widths[i]))
            widths[i] += grow
            spare -= grow
    dropped = columns[kept:]
    table = Table(
        title=literal(title),
        title_justify="left",
        header_style="bold",
        caption=literal(f"left out at this width: {', '.join(dropped)}") if dropped else None,
        caption_justify="left",
    )
    for i, header in enumerate(columns[:kept]):
        table.add_column(
            literal(header),
            justify="left" if i == 0 else "right",
            width=None if widths is None else widths[i],
            overflow="fold",
        )
    for label, row in zip(labels, rows, strict=True):
        table.add_row(literal(label), *(literal(cell) for cell in row[: kept - 1]))
    return table


def print_summary(console: Console, outcome: RunOutcome, folder: Path) -> None:
    """The call's verdict and tables, the strategies ranked, and where the results are."""
    call = outcome.call
    if call is not None:
        console.rule(literal(f"The call: {call.ticker}"))
        if call.timing.evaluable:
            console.print(
                _rich_table(
                    console.width,
                    call.out_of_sample,
                    title="Out of sample: "
                    + out_of_sample_period(
                        call.timing.entry_day, call.timing.decision_day, call.timing.end_day
                    ),
                    index_label="leg",
                )
            )
            horizons = call.horizons.drop(columns=["months"]).T
            console.print(
                _rich_table(console.width, horizons, title="Horizons after the entry", by_row=True)
            )
            if call.uncertainty is not None:
                console.print(
                    _rich_table(
                        console.width,
                        band_table(call.uncertainty),
                        title="Entry on any day of the window, "
                        f"{call.uncertainty.convention.value}",
                    )
                )
                if call.uncertainty.base_rates:
                    console.print(
                        _rich_table(
                            console.width,
                            base_rate_table(call.uncertainty),
                            title="Base rate of the call's excess",
                            index_label="versus",
                        )
                    )
    console.rule("Strategies and benchmark")
    shown = ranked_display(strategy_table(outcome), TERMINAL_COLUMNS)
    console.print(
        _rich_table(
            console.width,
            shown,
            title=f"Ranked by DSR ({counted(outcome.comparison.n_trials, 'variant')} counted), "
            f"{outcome.calendar[0].date()} to {outcome.calendar[-1].date()}",
            index_label="strategy",
        )
    )
    if outcome.event_study is not None:
        console.rule("Event study")
        console.print(_rich_table(console.width, event_study_table(outcome.event_study), title=""))
    if outcome.audit is not None:
        console.rule("The article's claims")
        console.print(
            _rich_table(
                console.width, outcome.audit[["verdict", "detail"]], title="", index_label="claim"
            )
        )
    console.rule("Verdict")
    for topic, text in verdict_points(outcome):
        console.print(f"[bold]{literal(topic)}.[/bold] {literal(text)}", highlight=False)
    console.print(f"Results: {literal(folder)}", highlight=False)
    console.print(f"Report:  {literal(folder / 'report.html')}", highlight=False)


def print_event_study(console: Console, study: EventStudyRun, folder: Path) -> None:
    """The event study's table and headline, and where its folder is."""
    console.rule("Event study")
    console.print(_rich_table(console.width, event_study_table(study), title=""))
    console.print(literal(event_study_sentence(study)), highlight=False)
    console.print(f"Results: {literal(folder)}", highlight=False)


def print_comparison(console: Console, comparison: CrossRunComparison, folder: Path) -> None:
    """The cross-run ranking, and where its folder is."""
    console.print(
        _rich_table(
            console.width,
            ranked_display(comparison.table, TERMINAL_COLUMNS),
            title=f"Ranked by DSR ({counted(comparison.n_trials, 'variant')} counted), "
            f"{comparison.first_day.date()} to {comparison.last_day.date()}",
            index_label="strategy",
        )
    )
    console.print(f"Results: {literal(folder)}", highlight=False)


def print_call_comparison(console: Console, comparison: CallComparison, folder: Path) -> None:
    """The calls of runs without strategies side by side, and where the folder is."""
    console.print(
        _rich_table(
            console.width,
            comparison.table.T,
            title="Calls side by side (no strategy to rank; excess > 0: the call was right)",
            by_row=True,
        )
    )
    console.print(f"Results: {literal(folder)}", highlight=False)
