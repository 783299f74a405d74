"""The command line: parse, call the public API (:mod:`catalystlab.api`), print, set the exit
code.

Exit codes: 0 success, 2 bad input (config, arguments, data files), 3 data unavailable
(network, a ticker missing offline), 1 an unexpected failure (a bug: the traceback is shown).

Output: results, tables and JSON go to stdout; progress, notes and errors to stderr (plain
lines when stderr is not a terminal). ``--quiet`` prints only errors and the results path;
``--json`` prints the command's result as one JSON document on stdout and nothing else there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from catalystlab.core.errors import BadInputError, CatalystError
from catalystlab.report.rich_text import console, literal


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    from catalystlab import __version__

    parser = argparse.ArgumentParser(
        prog="catalystlab",
        description="Test a published stock call and its catalysts with backtrader.",
    )
    parser.add_argument("--version", action="version", version=f"catalystlab {__version__}")
    output = argparse.ArgumentParser(add_help=False)
    modes = output.add_mutually_exclusive_group()
    modes.add_argument(
        "--quiet", "-q", action="store_true", help="print only errors and the results path"
    )
    modes.add_argument(
        "--json", action="store_true", help="the result as JSON on stdout (progress on stderr)"
    )
    data = argparse.ArgumentParser(add_help=False, parents=[output])
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
    run = commands.add_parser(
        "run", parents=[data], help="backtest a config and write a results folder"
    )
    run.add_argument("--seed", type=int, help="bootstrap and placebo seed (overrides the config)")
    run.add_argument(
        "--force", action="store_true", help="recompute even if nothing changed since a run"
    )
    commands.add_parser(
        "events", parents=[data], help="run the config's event study alone, in its own folder"
    )
    compare = commands.add_parser(
        "compare", parents=[output], help="rank the strategies of several results folders together"
    )
    compare.add_argument("folders", type=Path, nargs="+", help="results folders of 'run'")
    compare.add_argument("--out", type=Path, default=Path("results"), help="results parent folder")
    compare.add_argument("--seed", type=int, help="bootstrap seed (default: the first run's)")
    sweep = commands.add_parser(
        "sweep", parents=[data], help="sweep the config's signal parameters, walk forward"
    )
    sweep.add_argument("--seed", type=int, help="seed (overrides the config)")
    sweep.add_argument(
        "--executor", choices=("local", "dask"), default="local", help="where trials run"
    )
    sweep.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    sweep.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    sweep.add_argument(
        "--max-trials", type=int, help="refuse a grid of more trials (default 10,000)"
    )
    _ledger_parser(commands, output)
    commands.add_parser(
        "list", help="show the signals and strategy kinds available (plugins included)"
    )
    _workbench_commands(commands, output)
    return parser


def _workbench_commands(commands: Any, output: argparse.ArgumentParser) -> None:
    """``init``, ``validate`` and ``data fetch|status|import|clear``."""
    init = commands.add_parser(
        "init", parents=[output], help="write a commented config for a new call"
    )
    init.add_argument("name", help="config name: lower-case letters, digits, '_' and '-'")
    init.add_argument("--ticker", help="the called ticker, e.g. NVDA or ^GSPC")
    init.add_argument("--date", type=_date, help="the call's date, YYYY-MM-DD")
    init.add_argument("--stance", choices=("buy", "sell"), help="default buy")
    init.add_argument("--benchmarks", nargs="+", default=["SPY", "QQQ"], help="default SPY QQQ")
    init.add_argument("--out", type=Path, default=Path("config"), help="folder (default config/)")
    init.add_argument(
        "--from-article", type=Path, metavar="FILE", help="draft config and claims from an article"
    )
    init.add_argument(
        "--window", nargs=2, type=_date, metavar=("FIRST", "LAST"), help="publication window"
    )
    init.add_argument("--url", help="the article's address (a date in it is read)")
    init.add_argument("--data-dir", type=Path, help="leave out rivals without prices here")
    validate = commands.add_parser(
        "validate", parents=[output], help="check a config (and its data) without running"
    )
    validate.add_argument("config", type=Path, help="YAML run config")
    validate.add_argument("--data-dir", type=Path, help="also check the data of this folder")
    data = commands.add_parser("data", help="the price cache: fetch, status, import, clear")
    actions = data.add_subparsers(dest="action", required=True)
    cache = argparse.ArgumentParser(add_help=False, parents=[output])
    cache.add_argument(
        "--cache-dir", type=Path, help="download cache (default ~/.cache/catalystlab)"
    )
    fetch = actions.add_parser(
        "fetch", parents=[cache], help="download tickers from Yahoo Finance into the cache"
    )
    fetch.add_argument("tickers", nargs="+", help="e.g. NVDA ^GSPC BRK-B")
    fetch.add_argument("--start", type=_date, help="first date (default: all history)")
    fetch.add_argument("--refresh", action="store_true", help="download the range again")
    actions.add_parser(
        "status", parents=[cache], help="per cached ticker: source, dates, rows, stale"
    )
    imported = actions.add_parser(
        "import", parents=[cache], help="validated CSVs (yfinance layout) into the cache"
    )
    imported.add_argument("folder", type=Path, help="folder of <TICKER>.csv (or its prices/)")
    clear = actions.add_parser(
        "clear", parents=[cache], help="delete cached tickers (none named: all, after asking)"
    )
    clear.add_argument("tickers", nargs="*", help="tickers to delete (none: every ticker)")
    clear.add_argument("--yes", "-y", action="store_true", help="clear every ticker without asking")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``runner.py`` and the ``catalystlab`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    # A terminated run (or one whose terminal closed) unwinds like an interrupted one, so no
    # half-written folder remains.
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    errors = console(stderr=True)
    out = console()
    out = out if out.is_terminal else console(width=_piped_width())
    command = ["runner.py", *argv]
    try:
        if args.command == "run":
            return _run(args, command, out)
        if args.command == "events":
            return _events(args, command, out)
        if args.command == "compare":
            return _compare(args, command, out)
        if args.command == "init":
            return _init(args, out)
        if args.command == "validate":
            return _validate(args, out)
        if args.command == "data":
            return _data(args, out)
        if args.command == "ledger":
            return _ledger(args, command, out)
        if args.command == "sweep":
            return _sweep(args, command, out)
        return _list(out)
    except CatalystError as error:
        if args.json:
            _print_json_error(str(error), exit_code=error.exit_code, kind=type(error).__name__)
        errors.print(
            f"[bold red]error:[/bold red] {literal(error)}", highlight=False, soft_wrap=True
        )
        return error.exit_code
    except KeyboardInterrupt:
        if args.json:
            _print_json_error(
                "interrupted; no results were written", exit_code=130, kind="interrupted"
            )
        errors.print("interrupted; no results were written")
        return 130
    except Exception as error:
        if args.json:  # a bug: the JSON says so, the traceback follows on stderr
            _print_json_error(repr(error), exit_code=1, kind="bug")
        raise


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# Width of piped output without COLUMNS, and the bounds a COLUMNS value is held to.
PIPED_WIDTH = 100
MIN_WIDTH, MAX_WIDTH = 40, 1000


def _piped_width() -> int:
    """Columns of stdout when it is not a terminal: ``COLUMNS`` (held to 40..1000) or 100."""
    text = os.environ.get("COLUMNS", "").strip()
    if not text.isdigit():
        return PIPED_WIDTH
    return min(max(int(text), MIN_WIDTH), MAX_WIDTH)


def _progress(args: argparse.Namespace) -> Any:
    """Progress and notes on stderr, or nothing with ``--quiet``."""
    from catalystlab.core.progress import SilentProgress
    from catalystlab.report.terminal import TerminalProgress

    return SilentProgress() if args.quiet else TerminalProgress(console(stderr=True))


def _print_json(document: Any) -> None:
    """One JSON document on stdout (NaN as null), nothing else."""
    from catalystlab.report.summary import jsonable

    sys.stdout.write(json.dumps(jsonable(document), indent=2, allow_nan=False) + "\n")


def _print_json_error(message: str, *, exit_code: int, kind: str) -> None:
    """A failed ``--json`` command's one document: ``{"error", "exit_code", "kind"}``."""
    _print_json({"error": message, "exit_code": exit_code, "kind": kind})


def _printed_briefly(args: argparse.Namespace, document: Any, folder: Path) -> bool:
    """``--json`` prints ``document``, ``--quiet`` the results ``folder`` alone; True when
    one of them did (the full terminal summary is then not printed)."""
    if args.json:
        _print_json(document)
    elif args.quiet:
        print(folder)
    else:
        return False
    return True


def _source_keywords(args: argparse.Namespace) -> dict[str, object]:
    """Where the data come from: ``--data-dir``, ``--offline``, ``--refresh``, ``--cache-dir``."""
    return {
        "data_dir": args.data_dir,
        "offline": args.offline,
        "refresh": args.refresh,
        "cache_dir": args.cache_dir,
    }


def _data_keywords(args: argparse.Namespace) -> dict[str, object]:
    return {**_source_keywords(args), "start": args.start, "end": args.end, "out": args.out}


def _run(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import run
    from catalystlab.report.terminal import (
        TerminalProgress,
        print_headline,
        print_paths,
        print_summary,
    )
    from catalystlab.report.verdicts import call_headline, headline

    # The call's headline is printed as soon as it is known (the notes of the data held back
    # until then, so that it is the first line), the tables and verdict once every number
    # is; the paths only when the results folder is complete.
    brief = args.json or args.quiet
    progress = _progress(args)
    printed = []

    def answer(text: str) -> None:
        print_headline(out, text)
        printed.append(True)
        if isinstance(progress, TerminalProgress):
            progress.release_notes()

    def on_call(call: Any) -> None:
        answer(call_headline(call))

    def on_ready(outcome: Any) -> None:
        if not printed:
            answer(headline(outcome))
        print_summary(out, outcome, with_headline=False)

    if isinstance(progress, TerminalProgress) and not brief:
        progress.hold_notes()
    try:
        result = run(
            args.config,
            **_data_keywords(args),
            seed=args.seed,
            progress=progress,
            command=command,
            on_call=None if brief else on_call,
            on_ready=None if brief else on_ready,
            force=args.force,
        )
    finally:
        if isinstance(progress, TerminalProgress):
            progress.release_notes()  # a failed or reused run still shows its notes
    assert result.folder is not None
    document = result.summary | {"folder": str(result.folder), "reused": result.reused}
    if not _printed_briefly(args, document, result.folder):
        print_paths(out, result.folder)
    return 0


def _sweep(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import sweep
    from catalystlab.report.sweep import print_sweep

    result = sweep(
        args.config,
        **_data_keywords(args),
        seed=args.seed,
        executor=args.executor,
        scheduler=args.scheduler,
        workers=args.workers,
        max_trials=args.max_trials,
        progress=_progress(args),
        command=command,
    )
    assert result.folder is not None
    if not _printed_briefly(args, result.summary | {"folder": str(result.folder)}, result.folder):
        print_sweep(out, result.outcome, result.folder)
    return 0


def _events(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import events
    from catalystlab.report.terminal import print_event_study

    result = events(args.config, **_data_keywords(args), progress=_progress(args), command=command)
    assert result.folder is not None
    if not _printed_briefly(args, result.summary | {"folder": str(result.folder)}, result.folder):
        print_event_study(out, result.outcome.study, result.folder)
    return 0


def _compare(args: argparse.Namespace, command: list[str], out: Console) -> int:
    from catalystlab.api import compare
    from catalystlab.pipeline.cross_run import CallComparison
    from catalystlab.report.terminal import print_call_comparison, print_comparison

    result = compare(args.folders, seed=args.seed, out=args.out, command=command)
    assert result.folder is not None
    calls = isinstance(result.comparison, CallComparison)
    document = {"folder": str(result.folder), "calls" if calls else "comparison": result.table}
    if not _printed_briefly(args, document, result.folder):
        if isinstance(result.comparison, CallComparison):
            print_call_comparison(out, result.comparison, result.folder)
        else:
            print_comparison(out, result.comparison, result.folder)
    return 0


def _init(args: argparse.Namespace, out: Console) -> int:
    from catalystlab.api import init

    if args.from_article is not None:
        return _init_from_article(args, out)
    for flag in ("window", "url", "data_dir"):
        if getattr(args, flag) is not None:
            raise BadInputError(f"--{flag.replace('_', '-')} goes with --from-article FILE.")
    if args.ticker is None or args.date is None:
        raise BadInputError("init needs --ticker and --date (or --from-article FILE).")
    path = init(
        args.name,
        ticker=args.ticker,
        date=args.date,
        stance=args.stance or "buy",
        benchmarks=args.benchmarks,
        out=args.out,
    )
    if args.json:
        _print_json({"config": str(path)})
    elif args.quiet:
        print(path)
    else:
        out.print(
            literal(f"Wrote {path}. Next: runner.py validate {path} --data-dir DIR"),
            highlight=False,
        )
    return 0


def _init_from_article(args: argparse.Namespace, out: Console) -> int:
    from catalystlab.api import init_from_article
    from catalystlab.report.article_terminal import print_article

    if args.date is not None and args.window is not None:
        raise BadInputError("give --date or --window, not both.")
    if args.benchmarks != ["SPY", "QQQ"]:
        raise BadInputError("--benchmarks: with --from-article the article names them.")
    done = init_from_article(
        args.name,
        args.from_article,
        date=args.date,
        window=tuple(args.window) if args.window else None,
        url=args.url,
        ticker=args.ticker,
        stance=args.stance,
        out=args.out,
        data_dir=args.data_dir,
    )
    paths = {"config": str(done.config), "claims": str(done.claims) if done.claims else None}
    if args.json:
        _print_json(paths)
    elif args.quiet:
        print(done.config)
    else:
        print_article(out, done.article, done.config, done.claims, done.left_out)
    return 0


def _validate(args: argparse.Namespace, out: Console) -> int:
    from catalystlab.api import validate
    from catalystlab.pipeline.validate import exit_code

    findings = validate(args.config, data_dir=args.data_dir)
    code = exit_code(findings)
    if args.json:
        _print_json(
            {
                "config": str(args.config),
                "ok": code == 0,
                "exit_code": code,
                "findings": [{"level": f.level, "message": f.message} for f in findings],
            }
        )
        return code
    errors = console(stderr=True)
    for finding in findings:
        if finding.level == "error":
            errors.print(literal(finding.line()), highlight=False, soft_wrap=True)
        elif not args.quiet:
            out.print(literal(finding.line()), highlight=False, soft_wrap=True)
    if code == 0 and not args.quiet:
        checked = f" and its data in {args.data_dir}" if args.data_dir else ""
        out.print(literal(f"ok: {args.config}{checked} would run"), highlight=False)
    return code


def _data(args: argparse.Namespace, out: Console) -> int:
    from catalystlab import api

    if args.action == "fetch":
        rows = api.data_fetch(
            args.tickers,
            start=args.start,
            cache_dir=args.cache_dir,
            refresh=args.refresh,
            progress=_progress(args),
        )
        return _print_status(args, out, rows, "Fetched")
    if args.action == "status":
        return _print_status(args, out, api.data_status(cache_dir=args.cache_dir), "Cached")
    if args.action == "import":
        done = api.data_import(args.folder, cache_dir=args.cache_dir)
        rows = [r for r in api.data_status(cache_dir=args.cache_dir) if r.ticker in done]
        return _print_status(args, out, rows, "Imported")
    asked = not args.tickers and not args.yes
    removed = api.data_clear(
        args.tickers,
        cache_dir=args.cache_dir,
        confirm=(lambda files: _confirm_clear(files, out)) if asked else None,
    )
    if args.json:
        _print_json({"cleared": removed})
    elif not args.quiet:
        out.print(literal(f"Cleared {len(removed)} ticker(s): {', '.join(removed) or '-'}"))
    return 0


def _confirm_clear(files: list[Path], out: Console) -> bool:
    """``data clear`` without tickers: list the files and ask on a terminal; without one,
    refuse (``--yes`` says yes)."""
    if not files:
        return True
    if not sys.stdin.isatty():
        raise BadInputError(
            f"data clear without tickers deletes all {len(files)} cached ticker(s) in "
            f"{files[0].parent}; stdin is not a terminal to ask, so add --yes to confirm (or "
            "name the tickers)."
        )
    errors = console(stderr=True)
    errors.print(literal(f"The cache {files[0].parent} holds:"), highlight=False, soft_wrap=True)
    for path in files:
        errors.print(literal(f"  {path.name}"), highlight=False)
    answer = input(f"Delete these {len(files)} file(s)? [y/N] ").strip().lower()
    if answer in ("y", "yes"):
        return True
    errors.print("Nothing deleted.", highlight=False)
    return False


def _print_status(args: argparse.Namespace, out: Console, rows: list[Any], title: str) -> int:
    from rich.table import Table

    if args.json:
        _print_json({"tickers": [row.to_dict() for row in rows]})
        return 0
    if args.quiet:
        return 0
    if not rows:
        out.print(literal(f"{title}: no ticker."), highlight=False)
        return 0
    table = Table(title=f"{title} prices", title_justify="left", header_style="bold")
    for column in ("ticker", "source", "first", "last", "rows", "stale"):
        table.add_column(column, overflow="fold", no_wrap=column != "source")
    for row in rows:
        cells = row.to_dict()
        cells["stale"] = "stale" if cells["stale"] else "up to date"
        table.add_row(
            *(literal(cells[c]) for c in ("ticker", "source", "first", "last", "rows", "stale"))
        )
    out.print(table)
    return 0


def _ledger_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    output: argparse.ArgumentParser,
) -> None:
    """``ledger LEDGER``: test a list of published calls (see README "Test a caller")."""
    ledger = commands.add_parser(
        "ledger",
        parents=[output],
        help="test a list of published calls: is the caller better than chance?",
    )
    ledger.add_argument(
        "ledger", type=Path, nargs="?", help="CSV or YAML, e.g. config/ledgers/example.csv"
    )
    ledger.add_argument(
        "--from-articles", type=Path, metavar="DIR", help="read every article in DIR as a call"
    )
    ledger.add_argument("--source", help="with --from-articles: the author (default: bylines)")
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
    ledger.add_argument(
        "--calls", action="store_true", help="also print every call's excess per horizon"
    )


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

    if (args.ledger is None) == (args.from_articles is None):
        raise BadInputError("give a LEDGER file or --from-articles DIR (one of them).")
    if args.source is not None and args.from_articles is None:
        raise BadInputError("--source goes with --from-articles DIR.")
    result = ledger(
        args.ledger or args.from_articles,
        from_articles=args.from_articles is not None,
        source=args.source,
        **_source_keywords(args),
        benchmark=args.benchmark,
        horizons=args.horizons,
        entry=args.entry,
        draws=args.draws,
        reps=args.reps,
        seed=args.seed,
        commission=args.commission,
        slippage=args.slippage,
        out=args.out,
        progress=_progress(args),
        command=command,
    )
    if _printed_briefly(args, result.summary | {"folder": str(result.folder)}, result.folder):
        return 0
    counts = result.summary["counts"]
    out.print(
        f"{counts['calls']} calls: {counts['evaluable']} evaluated, "
        f"{counts['not_evaluable']} not evaluable, {counts['open_cells']} call-horizons open."
    )
    for text in result.summary["verdicts"].values():
        out.print(f"- {literal(text)}", highlight=False)
    if result.skipped:
        out.print(f"{len(result.skipped)} article(s) are not calls:", highlight=False)
        for skipped in result.skipped:
            out.print(literal(f"- {skipped.path.name}: {skipped.reason}"), highlight=False)
    if args.calls:
        from catalystlab.report.ledger import print_ledger_calls

        horizons = [f"{m}m" for m in result.summary["settings"]["horizons_months"]]
        print_ledger_calls(out, result.calls, horizons)
    out.print(f"Results: {literal(result.folder)}", highlight=False)
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
            table.add_row(literal(name), literal(item.summary), literal(params))
        out.print(table)
    return 0
