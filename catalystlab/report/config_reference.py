"""``docs/config.md``: every key of the run config with its type, default and meaning,
generated from the schema (:mod:`catalystlab.config`'s pydantic models).

    python -m catalystlab.report.config_reference            # rewrite docs/config.md
    python -m catalystlab.report.config_reference --check    # exit 1 when it has drifted

Types, defaults, bounds and the sections come from the models; the meaning of each key is
written here, in ``MEANINGS``, and ``tests/unit/test_config_reference.py`` fails when a key
of the schema has none, when a meaning names a key the schema lacks, or when docs/config.md
differs from what this module writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import sys
import types
import typing
from pathlib import Path

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from catalystlab.config import RunConfig

DOC = Path(__file__).resolve().parents[2] / "docs" / "config.md"

MEANINGS: dict[str, str] = {
    "name": "The run's name: the results folder is `<UTC timestamp>_<name>`. Lower-case "
    "letters, digits, `_` and `-`, at most 100 characters.",
    "description": "One paragraph shown under the report's title.",
    "start": "First date of the run. Without it the run starts on the first date every ticker "
    "has a price, and says so in a note.",
    "end": "Last date of the run: no price, fundamental value or event after it is used "
    "(`--end` overrides it).",
    "cash": "Starting capital of every strategy, in the prices' currency.",
    "costs": "Trading costs, as fractions of traded value.",
    "costs.commission": "Commission per trade, a fraction of its value (0.0005 = 5 bp). "
    "`init` writes the flagship's 0.0005.",
    "costs.slippage": "Slippage per trade, a fraction of the fill price (0.0005 = 5 bp). "
    "`init` writes the flagship's 0.0005.",
    "benchmark": "Ticker every strategy is ranked against (bought and held with the same entry "
    "and costs); a Yahoo Finance symbol.",
    "call": "The published call under test; leave it out to rank strategies only.",
    "call.ticker": "The stock (or index, ETF, coin) the call names; a Yahoo Finance symbol.",
    "call.date": "The day the call is taken as public (the engine enters at the next open "
    "after the close before it; see `entry`). Defaults to the window's last day when "
    "`window` is given.",
    "call.window": "`[first, last]`: the days the call may have become public, when the "
    "source has no exact date; the report shows the outcome for every entry day in it.",
    "call.entry": "How a reader enters on entry day D: `prev_close` (the close before D), "
    "`next_open` (D's open, as the engine fills) or `close` (D's close). Used by the "
    "frictionless sections (window band, base rates, horizon percentiles).",
    "call.stance": "`buy`: right when the stock beats the benchmarks; `sell`: right when it "
    "trails them (excess = benchmark minus stock), and the report adds a short position.",
    "call.borrow_fee": "Annual fee for borrowing the shares of a sell call's short position, a "
    "fraction (0.003 = 0.3% a year), charged per trading day on the shorted value.",
    "call.source": "Who made the call (shown in the report).",
    "call.benchmarks": "Tickers the call is compared with besides `benchmark` (rivals, an "
    "index). A `rebalanced_basket` strategy's id may be named too.",
    "call.horizons_months": "Holding periods after the entry, in whole months (1 to 600).",
    "call.base_rate_start": "First entry day of the history against which the call's excess "
    "is ranked (the base rate); before the call's date.",
    "strategies": "The strategies ranked with the benchmark (optional with a `call` or an "
    "`event_study`). Each is `id`, `kind` and the kind's parameters (`runner.py list`).",
    "strategies[].id": "Lower-case slug naming the strategy in tables, files and charts.",
    "strategies[].kind": "A registered strategy kind: `buy_and_hold`, `rebalanced_basket`, "
    "`signal`, or a plugin's (`runner.py list`).",
    "strategies[].label": "Display name (default: the id).",
    "allow_missing_data": "Run a catalyst rule whose ticker lacks data its signal reads, with a "
    "warning (a rule with none of its data is left out of SPA and DSR), instead of stopping "
    "with a config error.",
    "signal_data": "Where the catalyst signals' fundamentals and events come from.",
    "signal_data.fundamentals": "`auto` (`--data-dir`'s `fundamentals/` when given, else SEC "
    "EDGAR), `snapshot` (always `--data-dir`), `edgar`, or the path of a CSV in the project's "
    "schema.",
    "signal_data.events": "Event CSV files in the project's schema (default: the curated "
    "`config/events/*.csv`).",
    "signal_data.sec_user_agent": 'Who is asking SEC EDGAR, e.g. `"Jane Doe '
    'jane@example.com"` (else the `SEC_USER_AGENT` environment variable).',
    "statistics": "How the comparison measures luck (see docs/methods.md).",
    "statistics.bootstrap_reps": "Stationary-bootstrap resamples of every interval.",
    "statistics.min_block_days": "Floor of the bootstrap's mean block length, in trading days; "
    "1 keeps the automatic (Politis-White) length, 1-3 days on daily returns.",
    "statistics.confidence": "Coverage of every interval (0.95 = 95%).",
    "statistics.spa_benchmark": 'Strategy id the SPA test asks "does any rule beat it?" '
    "about (default: one test per ticker, its buy-and-hold against the rules trading it).",
    "statistics.spa_strategies": "Strategy ids tested against `spa_benchmark` (default: every "
    "`signal` strategy).",
    "statistics.extra_trials": "Variants tried outside this config (a parameter sweep), added "
    "to the Deflated Sharpe Ratio's number of trials.",
    "event_study": "A market-model event study of the catalyst events (offsets in trading "
    "days); leave it out to skip it.",
    "event_study.tickers": "Companies whose events are studied.",
    "event_study.kinds": "Event kinds studied (`layoff`, `capex_guidance`, ...).",
    "event_study.market": "The market index of the market model.",
    "event_study.merge_days": "An event of one company and kind fewer than this many calendar "
    "days after a counted one is the same news (a report and the official statement) and "
    "counts once.",
    "event_study.estimation": "`[first, last]` offsets of the market model's estimation window.",
    "event_study.windows": "`[first, last]` offsets of each event window whose CAR is tested.",
    "event_study.placebo_draws": "Random non-event samples of the placebo test.",
    "sweep": "A parameter sweep of catalyst signals; leave it out to run the strategies as "
    "configured.",
    "sweep.tickers": "Tickers every combination runs on (a `signal` strategy: the ticker at the "
    "signal's exposure, the rest in cash).",
    "sweep.grid": "`<signal>.<parameter>` to the values tried; each signal named gets the "
    "product of its parameters' values. Every combination counts as a DSR trial.",
    "sweep.metric": "What ranks the trials.",
    "sweep.top_k": "How many of the best trials are confirmed in backtrader.",
    "sweep.walk_forward": "The walk-forward folds, in trading days.",
    "sweep.walk_forward.in_sample_days": "Days on which each fold chooses its combination.",
    "sweep.walk_forward.out_of_sample_days": "Days the choice is then held.",
    "sweep.walk_forward.step_days": "Days between fold starts (default: the out-of-sample "
    "length, so that the out-of-sample periods tile the calendar).",
    "claims": "A YAML file of the article's claims and their checks (`config/claims/`).",
    "claims_as_of": "Audit only what was public by this date (default: everything up to the "
    "run's end).",
    "seed": "Seeds every bootstrap and placebo draw: the same seed gives the same numbers "
    "(`--seed` overrides it).",
}


def schema_keys(
    model: type[BaseModel] = RunConfig, prefix: str = ""
) -> list[tuple[str, FieldInfo]]:
    """Every key of ``model`` in declaration order, nested sections after their own key,
    as ``(dotted path, field)``; a list of sections is written ``key[].field``."""
    keys: list[tuple[str, FieldInfo]] = []
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        keys.append((path, info))
        nested, many = _section(hints[name])
        if nested is not None:
            keys += schema_keys(nested, f"{path}[]." if many else f"{path}.")
    return keys


def _section(annotation: object) -> tuple[type[BaseModel] | None, bool]:
    """The model a key holds (and whether a list of them), or ``(None, False)``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _section(args[0])
    if origin is tuple and len(args) == 1:
        inner, _ = _section(args[0])
        return inner, inner is not None
    return None, False


def type_name(annotation: object) -> str:
    """The YAML type a key takes, in words."""
    if annotation is type(None):
        return "null"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return "section"
    simple = {str: "text", int: "integer", float: "number", bool: "true/false", Path: "path"}
    if annotation in simple:
        return simple[annotation]
    if annotation is dt.date:
        return "date (YYYY-MM-DD)"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args)
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of {type_name(args[0])}"
        return "[" + ", ".join(type_name(a) for a in args) + "]"
    return str(annotation)


def _default(path: str, info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if path == "call.date":
        return "the window's last day"
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        return "(section defaults)"
    if isinstance(value, tuple):
        return "`" + _yaml_list(value) + "`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def _yaml_list(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_yaml_list(v) for v in value) + "]"
    return str(value)


def _bounds(info: FieldInfo) -> str:
    words = ((Ge, "ge", "≥"), (Gt, "gt", ">"), (Le, "le", "≤"), (Lt, "lt", "<"))
    found = []
    for item in info.metadata:
        for kind, attribute, sign in words:
            if isinstance(item, kind):
                limit = getattr(item, attribute)
                found.append(f"{sign} {limit:,}" if isinstance(limit, int) else f"{sign} {limit}")
    return ", ".join(found)


def render() -> str:
    """The whole of docs/config.md."""
    lines = [
        "# Config reference",
        "",
        "<!-- Generated by `python -m catalystlab.report.config_reference` from the schema in",
        "catalystlab/config.py; do not edit by hand (tests/unit/test_config_reference.py). -->",
        "",
        "A run config is one YAML mapping. Unknown keys are errors; dates are ISO dates; costs "
        "and rates are fractions, not %. `runner.py init NAME --ticker T --date D` writes a "
        "commented one, `runner.py validate CONFIG` checks it. The flagship "
        "`config/amazon_ai_call.yaml` uses most keys.",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for path, info in schema_keys():
        kind = type_name(info.annotation)
        bounds = _bounds(info)
        if bounds:
            kind += f" ({bounds})"
        meaning = MEANINGS.get(path, "")
        lines.append(f"| `{path}` | {kind} | {_default(path, info)} | {meaning} |")
    lines += [
        "",
        "Besides `id`, `kind` and `label`, every key of a strategy is a parameter of its kind, "
        "checked against the kind's parameter dataclass before the run starts; "
        "`python runner.py list` prints each kind and signal with its parameters, units and "
        "defaults. A `signal` strategy takes `signal`, `ticker`, `signal_params` and "
        "`off_signal` (see docs/plugins.md for writing a signal of your own).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/config.md from the config schema.")
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/config.md drifted")
    parser.add_argument("--out", type=Path, default=DOC, help="the file (default docs/config.md)")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(
                f"{args.out} differs from the schema: run python -m "
                "catalystlab.report.config_reference",
                file=sys.stderr,
            )
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
