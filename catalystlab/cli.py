"""The command line: parse, call the public API (:mod:`catalystlab.api`), print, set the exit
code.

Exit codes: 0 success, 2 bad input (config, arguments, data files), 3 data unavailable
(network, a ticker missing offline), 1 an unexpected failure (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from pathlib import Path

from rich.console import Console

from catalystlab.core.errors import CatalystError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catalystlab",
        description="Test a published stock call and its catalysts with backtrader.",
    )
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("config", type=Path, help="YAML run config, e.g. config/amazon_ai_call.yaml")
    data.add_argument("--data-dir", type=Path, help="folder with prices/<TICKER>.csv (no network)")
    data.add_argument(
        "--offline", action="store_true", help="never download; use cache or --data-dir"
    )
    data.add_argument("--refresh", action="store_true", help="download cached data again")
    data.add_argument(
        "--cache-dir", type=Path, help="download cache (default ~/.cache/catalystlab)"
    )
    data.add_argument("--start", type=_date, help="first date (overrides the config)")
    data.add_argument("--end", type=_date, help="last date (overrides the config)")
    data.add_argument("--out", type=Path, default=Path("results"), help="results parent folder")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", parents=[data], help="backtest a config and write a results folder")
    commands.add_parser(
        "events", parents=[data], help="run the config's event study alone, in its own folder"
    )
    compare = commands.add_parser(
        "compare", help="rank the strategies of several results folders together"
    )
    compare.add_argument("folders", type=Path, nargs="+", help="results folders of 'run'")
    compare.add_argument("--out", type=Path, default=Path("results"), help="results parent folder")
    compare.add_argument("--seed", type=int, help="bootstrap seed (default: the first run's)")
    _ledger_parser(commands)
    commands.add_parser(
        "list", help="show the signals and strategy kinds available (plugins included)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``runner.py`` and the ``catalystlab`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    # A terminated run unwinds like an interrupted one, so no half-written folder remains.
    signal.signal(signal.SIGTERM, _terminate)
    errors = Console(stderr=True)
    out = Console()
    out = out if out.is_terminal else Console(width=160)
    command = ["runner.py", *argv]
    try:
        if args.command == "run":
            return _run(args, command, out)
        if args.command == "events":
            return _events(args, command, out)
        if args.command == "compare":
            return _compare(args, command, out)
        if args.command == "ledger":
            return _ledger(args, command, out)
        return _list(out)
    except CatalystError as error:
        errors.print(f"[bold red]error:[/bold red] {error}", highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted; no results were written")
        return 130


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _data_keywords(args: argparse.Namespace) -> dict[str, object]:
    return {
        "data_dir": args.data_dir,
        "offline": args.offline,
        "refresh": args.refresh,
        "cache_dir": args.cache_dir,
        "start": args.start,
        "end": args.end,
        "out": args.out,
    }


def _run(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import run
    from catalystlab.report.terminal import TerminalProgress, print_summary

    progress = TerminalProgress(Console(stderr=True))
    result = run(args.config, **_data_keywords(args), progress=progress, command=command)
    assert result.folder is not None
    print_summary(out, result.outcome, result.folder)
    return 0


def _events(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import events
    from catalystlab.report.terminal import TerminalProgress, print_event_study

    progress = TerminalProgress(Console(stderr=True))
    result = events(args.config, **_data_keywords(args), progress=progress, command=command)
    assert result.folder is not None
    print_event_study(out, result.outcome.study, result.folder)
    return 0


def _compare(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import compare
    from catalystlab.report.terminal import print_comparison

    result = compare(args.folders, seed=args.seed, out=args.out, command=command)
    assert result.folder is not None
    print_comparison(out, result.comparison, result.folder)
    return 0


def _ledger_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``ledger LEDGER``: test a list of published calls (see README "Test a caller")."""
    ledger = commands.add_parser(
        "ledger", help="test a list of published calls: is the caller better than chance?"
    )
    ledger.add_argument("ledger", type=Path, help="CSV or YAML, e.g. config/ledgers/example.csv")
    ledger.add_argument("--data-dir", type=Path, help="folder with prices/<TICKER>.csv")
    ledger.add_argument("--offline", action="store_true", help="never download")
    ledger.add_argument("--refresh", action="store_true", help="download cached data again")
    ledger.add_argument("--cache-dir", type=Path, help="download cache")
    ledger.add_argument("--benchmark", default="SPY", help="for calls that name none (SPY)")
    ledger.add_argument(
        "--horizons", type=_months, default=(1, 3, 6, 12), help="months, default 1,3,6,12"
    )
    ledger.add_argument(
        "--entry", choices=("prev_close", "next_open", "close"), default="next_open"
    )
    ledger.add_argument("--draws", type=int, default=1000, help="permutation draws per null")
    ledger.add_argument("--reps", type=int, default=1000, help="bootstrap resamples")
    ledger.add_argument("--seed", type=int, default=0, help="seed of every random draw")
    ledger.add_argument("--commission", type=float, default=0.0005, help="engine columns")
    ledger.add_argument("--slippage", type=float, default=0.0005, help="engine columns")
    ledger.add_argument("--out", type=Path, default=Path("results"), help="results parent")


def _months(text: str) -> tuple[int, ...]:
    try:
        months = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write months as 1,3,6,12") from None
    if not months or min(months) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive months, e.g. 1,3,6,12")
    return months


def _ledger(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import ledger
    from catalystlab.report.terminal import TerminalProgress

    result = ledger(
        args.ledger,
        data_dir=args.data_dir,
        offline=args.offline,
        refresh=args.refresh,
        cache_dir=args.cache_dir,
        benchmark=args.benchmark,
        horizons=args.horizons,
        entry=args.entry,
        draws=args.draws,
        reps=args.reps,
        seed=args.seed,
        commission=args.commission,
        slippage=args.slippage,
        out=args.out,
        progress=TerminalProgress(Console(stderr=True)),
        command=command,
    )
    counts = result.summary["counts"]
    out.print(
        f"{counts['calls']} calls: {counts['evaluable']} evaluated, "
        f"{counts['not_evaluable']} not evaluable, {counts['open_cells']} call-horizons open."
    )
    for text in result.summary["verdicts"].values():
        out.print(f"- {text}", highlight=False)
    out.print(f"Results: {result.folder}", highlight=False)
    return 0


def _list(out: Console) -> int:
    from rich.table import Table

    from catalystlab.core.registry import describe_params
    from signals.base import SIGNALS
    from strategies.base import STRATEGIES

    for title, registry in (("Signals", SIGNALS), ("Strategy kinds", STRATEGIES)):
        table = Table(title=title, title_justify="left", header_style="bold", show_lines=True)
        table.add_column("name")
        table.add_column("what it does")
        table.add_column("parameters (default)")
        for name, item in registry.all().items():
            params = "\n".join(
                f"{param} = {default}" for param, default, _ in describe_params(item.params_type)
            )
            table.add_row(name, item.summary, params)
        out.print(table)
    return 0
