"""The command line: parse, call the core, print, set the exit code.

Exit codes: 0 success, 2 bad input (config, arguments, data files), 3 data unavailable
(network, a ticker missing offline), 1 an unexpected failure (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from rich.console import Console

from catalystlab.config import load_config
from catalystlab.data.options import DataOptions
from catalystlab.errors import CatalystError


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
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="backtest a config and write a results folder")
    run.add_argument("config", type=Path, help="YAML run config, e.g. config/amazon_ai_call.yaml")
    run.add_argument("--data-dir", type=Path, help="folder with prices/<TICKER>.csv (no network)")
    run.add_argument(
        "--offline", action="store_true", help="never download; use cache or --data-dir"
    )
    run.add_argument("--refresh", action="store_true", help="download cached prices again")
    run.add_argument("--cache-dir", type=Path, help="download cache (default ~/.cache/catalystlab)")
    run.add_argument("--start", type=_date, help="first date (overrides the config)")
    run.add_argument("--end", type=_date, help="last date (overrides the config)")
    run.add_argument("--out", type=Path, default=Path("results"), help="results parent folder")
    commands.add_parser(
        "list", help="show the signals and strategy kinds available (plugins included)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``runner.py`` and the ``catalystlab`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        out = Console()
        out = out if out.is_terminal else Console(width=160)
        if args.command == "run":
            return _run(args, argv, out)
        if args.command == "list":
            return _list(out)
    except CatalystError as error:
        console.print(f"[bold red]error:[/bold red] {error}", highlight=False)
        return error.exit_code
    except KeyboardInterrupt:
        console.print("interrupted; no results were written")
        return 130
    return 0


def _run(args: argparse.Namespace, argv: list[str], out: Console) -> int:
    from catalystlab.pipeline import run
    from catalystlab.report.terminal import TerminalProgress, print_summary
    from catalystlab.results import write_results

    if args.offline and args.refresh:
        raise_bad("--offline and --refresh contradict each other; use one.")
    config = load_config(args.config).with_dates(start=args.start, end=args.end)
    progress = TerminalProgress(Console(stderr=True))
    data = DataOptions(
        data_dir=args.data_dir, offline=args.offline, refresh=args.refresh, cache_dir=args.cache_dir
    )
    outcome = run(config, data=data, progress=progress)
    folder = write_results(
        outcome, out_dir=args.out, command=["runner.py", *argv], progress=progress
    )
    print_summary(out, outcome, folder)
    return 0


def _list(out: Console) -> int:
    from rich.table import Table

    from catalystlab.registry import describe_params
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


def raise_bad(message: str) -> None:
    """Raise the bad-input error for a command-line contradiction."""
    from catalystlab.errors import BadInputError

    raise BadInputError(message)
