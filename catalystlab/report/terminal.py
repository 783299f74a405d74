"""The terminal side: rich progress bars, and the run's summary as tables."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd
from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar
from rich.table import Table
from rich.text import Text

from catalystlab.analysis.call.legs import CallResult
from catalystlab.pipeline.cross_run import CallComparison, CrossRunComparison
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.formatting import (
    MISSING,
    counted,
    formatted,
    is_words,
    out_of_sample_period,
    psr_label,
)
from catalystlab.report.rich_text import literal
from catalystlab.report.tables import (
    NO_INTERVAL,
    NO_INTERVAL_NOTE,
    band_table,
    base_rate_table,
    ranked_display,
    strategy_table,
)
from catalystlab.report.verdicts import (
    event_study_sentence,
    event_study_table,
    headline,
    ranking_headline,
    verdict_points,
)

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
        self._held: list[str] | None = None

    def hold_notes(self) -> None:
        """Keep the notes back until :meth:`release_notes`, so that the run's one-line
        answer is the first line a reader sees."""
        self._held = []

    def release_notes(self) -> None:
        """Show the notes held back (in order) and every later one as it comes."""
        held, self._held = self._held or [], None
        for message in held:
            self._show(message)

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
        if self._held is not None:
            self._held.append(message)
        else:
            self._show(message)

    def _show(self, message: str) -> None:
        if message.startswith("warning:"):
            self._console.print(literal(message), style="bold yellow", highlight=False)
        else:
            self._console.print(literal(f"note: {message}"), style="dim", highlight=False)


def _longest_word(texts: Iterable[object]) -> int:
    """The widest whitespace-separated word of ``texts``: a cell may wrap between words (an
    interval's bounds, a label's words), never inside one, so no number is ever cut."""
    return max((len(word) for text in texts for word in str(text).split()), default=1)


def _frame_width(count: int) -> int:
    """Padding either side and one border per column of a table of ``count`` columns."""
    return 3 * count + 1


# What each table keeps longest as the terminal narrows, most important first; columns not
# named are dropped first (volatility and drawdown before the return, excess and DSR).
OUT_OF_SAMPLE_PRIORITY = (
    "total_return",
    "excess_total_return",
    "excess_cagr",
    "cagr",
    "sharpe",
    "max_drawdown",
)
RANKED_PRIORITY = ("dsr", "excess_return", "total_return", "psr", "rank", "sharpe", "cagr")
BAND_PRIORITY = ("median", "min", "max")
BASE_RATE_PRIORITY = ("call_excess", "percentile", "windows", "non_overlapping")
EVENT_PRIORITY = ("mean_car", "placebo_pvalue", "t_pvalue", "n")
DASH_NOTE = "–: not measurable (too few days or prices)"


def _rich_table(
    width: int | None,
    frame: pd.DataFrame,
    *,
    title: str,
    index_label: str = "",
    by_row: bool = False,
    priority: Sequence[str] = (),
    whole: Sequence[str] = (),
    wrap: bool = False,
    dash_note: str = DASH_NOTE,
) -> Group:
    """``frame`` formatted for a terminal ``width`` columns wide (None: any width). A table
    that does not fit at its natural size gets column widths of its own: each column at least
    its widest word (cells wrap only between words, so no number is cut), the space left
    given back from the left. When even that does not fit, ``wrap`` splits the columns over
    several tables (each repeating the row labels); otherwise columns are dropped, those not
    in ``priority`` first (from the right), then ``priority`` from its end, and the caption
    names them; the cells of the columns named in ``whole`` (an estimate with its interval)
    stay on one line while that fits. A dash in a cell is explained by ``dash_note``."""
    shown = formatted(frame, by_row=by_row)
    raw = [str(c) for c in frame.columns]
    rows = [[str(cell) for cell in row] for row in shown.to_numpy().tolist()]
    labels = [str(index) for index in shown.index]
    headers = [str(c) for c in shown.columns]
    cells = [[row[i] for row in rows] for i in range(len(headers))]
    words = [_longest_word([h, *c]) for h, c in zip(headers, cells, strict=True)]
    natural = [max(len(x) for x in [h, *c]) for h, c in zip(headers, cells, strict=True)]
    needs = [
        max(words[i], *(len(c) for c in cells[i])) if raw[i] in whole else words[i]
        for i in range(len(headers))
    ]
    label_need = _longest_word([index_label, *labels])
    label_natural = max((len(x) for x in [index_label, *labels]), default=1)
    notes = []
    # Words (a verdict, a claim's detail) read from the left; numbers line up on the right.
    text = [is_words(frame.iloc[:, i]) for i in range(len(headers))]

    def fits(kept: list[int]) -> bool:
        return label_need + sum(needs[i] for i in kept) + _frame_width(len(kept) + 1) <= width

    everything = list(range(len(headers)))
    if width is None or label_natural + sum(natural) + _frame_width(len(headers) + 1) <= width:
        groups = [everything]
    elif wrap:
        groups = [[]]
        for i in everything:
            if groups[-1] and not fits([*groups[-1], i]):
                groups.append([])
            groups[-1].append(i)
    else:
        rank = {name: n for n, name in enumerate(priority)}
        order = sorted(everything, key=lambda i: (rank.get(raw[i], len(rank)), -i))
        kept = list(everything)
        while len(kept) > 1 and not fits(kept):
            kept.remove(order.pop())
        if not fits(kept):  # too narrow for one whole interval: let it wrap between words
            needs = words
        groups = [sorted(kept)]
        dropped = [headers[i] for i in everything if i not in kept]
        if dropped:
            notes.insert(0, f"left out at this width: {', '.join(dropped)}")
    if any(MISSING in cells[i] for group in groups for i in group):  # a dash that is shown
        notes.append(dash_note)
    tables = []
    for number, group in enumerate(groups):
        widths = _widths(
            width,
            [label_need, *(needs[i] for i in group)],
            [label_natural, *(natural[i] for i in group)],
        )
        table = Table(
            title=literal(title if number == 0 else f"{title} (continued)") if title else None,
            title_justify="left",
            header_style="bold",
            caption=literal("; ".join(notes)) if notes and number == len(groups) - 1 else None,
            caption_justify="left",
        )
        for position, header_text in enumerate([index_label, *(headers[i] for i in group)]):
            table.add_column(
                literal(header_text),
                justify="left" if position == 0 or text[group[position - 1]] else "right",
                width=None if widths is None else widths[position],
                overflow="fold",
            )
        for label, row in zip(labels, rows, strict=True):
            table.add_row(literal(label), *(literal(row[i]) for i in group))
        tables.append(table)
    return Group(*tables)


def _widths(width: int | None, needs: list[int], natural: list[int]) -> list[int] | None:
    """Column widths that fit ``width``: each column its ``needs``, the space left given
    back from the left up to its ``natural`` width; None when the natural widths fit."""
    if width is None or sum(natural) + _frame_width(len(natural)) <= width:
        return None
    widths = list(needs)
    spare = width - sum(widths) - _frame_width(len(widths))
    for i in range(len(widths)):
        grow = max(0, min(spare, natural[i] - widths[i]))
        widths[i] += grow
        spare -= grow
    return widths


def print_headline(console: Console, text: str) -> None:
    """The run's one-line answer (:func:`~catalystlab.report.verdicts.headline`), in bold."""
    console.print(literal(text), style="bold", highlight=False)


def print_summary(console: Console, outcome: RunOutcome, *, with_headline: bool = True) -> None:
    """The headline (unless already printed), the call's tables, the strategies ranked, the
    event study, the claims and the verdict. Paths are printed by :func:`print_paths` once
    the results folder is complete."""
    if with_headline:
        print_headline(console, headline(outcome))
    call = outcome.call
    if call is not None:
        console.rule(literal(f"The call: {call.ticker}"))
        if call.timing.evaluable:
            _print_call_tables(console, call)
    if outcome.strategies:
        console.rule("Strategies and benchmark")
        console.print(
            _ranking(
                console.width,
                strategy_table(outcome),
                benchmark=outcome.config.benchmark,
                n_trials=outcome.comparison.n_trials,
                first=outcome.calendar[0],
                last=outcome.calendar[-1],
            )
        )
    if outcome.event_study is not None:
        console.rule("Event study")
        console.print(
            _rich_table(
                console.width,
                event_study_table(outcome.event_study),
                title="",
                priority=EVENT_PRIORITY,
            )
        )
    if outcome.audit is not None:
        console.rule("The article's claims")
        console.print(
            _rich_table(
                console.width, outcome.audit[["verdict", "detail"]], title="", index_label="claim"
            )
        )
    console.rule("Verdict")
    for topic, text in verdict_points(outcome):
        console.print(Text.assemble((f"{topic}.", "bold"), f" {text}"), highlight=False)


def _print_call_tables(console: Console, call: CallResult) -> None:
    """The out-of-sample legs, the horizons, and the window band and base rates."""
    width = console.width
    console.print(
        _rich_table(
            width,
            call.out_of_sample,
            title="Out of sample: "
            + out_of_sample_period(
                call.timing.entry_day, call.timing.decision_day, call.timing.end_day
            ),
            index_label="leg",
            priority=OUT_OF_SAMPLE_PRIORITY,
        )
    )
    horizons = call.horizons.drop(columns=["months"]).T
    console.print(
        _rich_table(width, horizons, title="Horizons after the entry", by_row=True, wrap=True)
    )
    if call.uncertainty is None:
        return
    convention = call.uncertainty.convention.value
    console.print(
        _rich_table(
            width,
            band_table(call.uncertainty),
            title=f"Entry on any day of the window, {convention}, frictionless",
            priority=BAND_PRIORITY,
        )
    )
    if call.uncertainty.base_rates:
        console.print(
            _rich_table(
                width,
                base_rate_table(call.uncertainty),
                title=f"Base rate of the call's excess, {convention}, frictionless",
                index_label="versus",
                priority=BASE_RATE_PRIORITY,
            )
        )
    for note in call.uncertainty.notes:
        console.print(literal(note), style="dim", highlight=False)


def _ranking(
    width: int | None,
    table: pd.DataFrame,
    *,
    benchmark: str,
    n_trials: int,
    first: pd.Timestamp,
    last: pd.Timestamp,
) -> Group:
    """The ranked strategies: DSR and the excess interval kept longest, PSR labelled with
    the Sharpe ratio it is tested against."""
    shown = ranked_display(table, TERMINAL_COLUMNS).rename(columns={"psr": psr_label(benchmark)})
    return _rich_table(
        width,
        shown,
        title=f"Ranked by DSR ({counted(n_trials, 'variant')} counted), "
        f"{first.date()} to {last.date()}",
        index_label="strategy",
        priority=(*RANKED_PRIORITY[:3], psr_label(benchmark), *RANKED_PRIORITY[4:]),
        whole=("excess_return",),
        dash_note=_ranking_dash_note(table, shown, benchmark),
    )


def _ranking_dash_note(table: pd.DataFrame, shown: pd.DataFrame, benchmark: str) -> str:
    """Why the ranked table shows a dash: the benchmark has no excess over itself, a strategy
    that never held a position has no Sharpe ratio (hence no PSR or DSR), an interval whose
    resamples hold no position has no bounds; only the reasons that apply."""
    reasons = []
    if benchmark in table.index:
        reasons.append(f"no excess interval for {benchmark} against itself")
    never = [s for s in table.index if s != benchmark and pd.isna(table.at[s, "sharpe"])]
    if never:
        reasons.append(
            f"{', '.join(never)} never held a position: no Sharpe ratio (returns that "
            "never vary), hence no PSR or DSR"
        )
    note = f"–: {'; '.join(reasons)}" if reasons else ""
    if shown.map(lambda v: isinstance(v, str) and v.endswith(NO_INTERVAL)).any().any():
        note = f"{note}. {NO_INTERVAL_NOTE}" if note else NO_INTERVAL_NOTE
    return note


def print_paths(console: Console, folder: Path) -> None:
    """Where the results are: called once the folder is complete (or is an earlier complete
    folder an unchanged re-run reuses). A path is never broken over two lines (it could not
    be pasted): the terminal wraps it if it must."""
    console.print(literal(f"Results: {folder}"), highlight=False, soft_wrap=True)
    console.print(literal(f"Report:  {folder / 'report.html'}"), highlight=False, soft_wrap=True)


def print_event_study(console: Console, study: EventStudyRun, folder: Path) -> None:
    """The event study's headline and table, and where its (complete) folder is."""
    console.print(literal(event_study_sentence(study)), style="bold", highlight=False)
    console.rule("Event study")
    console.print(
        _rich_table(console.width, event_study_table(study), title="", priority=EVENT_PRIORITY)
    )
    console.print(f"Results: {literal(folder)}", highlight=False)


def print_comparison(console: Console, comparison: CrossRunComparison, folder: Path) -> None:
    """The cross-run ranking's headline, the ranking, and where its (complete) folder is."""
    print_headline(console, ranking_headline(comparison.table))
    console.print(
        _ranking(
            console.width,
            comparison.table,
            benchmark=comparison.benchmark,
            n_trials=comparison.n_trials,
            first=comparison.first_day,
            last=comparison.last_day,
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
