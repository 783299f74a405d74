"""The run configuration: YAML in, a validated, immutable ``RunConfig`` out.

Every section rejects unknown keys, so a typo is an error rather than a silently ignored
setting. Dates are ISO dates (YYYY-MM-DD); costs and rates are fractions, not %.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from catalystlab.core.errors import BadInputError
from catalystlab.core.limits import MAX_HORIZON_MONTHS, MAX_SEED
from catalystlab.core.strictvalues import value_problem
from catalystlab.core.tickers import parse_ticker
from catalystlab.core.userfiles import refuse_folder
from catalystlab.core.yamlfile import read_yaml_mapping

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
MAX_EXTRA_TRIALS = 1_000_000
MAX_NAME_CHARS = 100  # the results folder's name adds a time stamp; file names hold 255 bytes
MIN_CASH = 100  # below it, amounts shown to the cent lose their digits
MAX_CASH = 10**12


def name_problem(name: str) -> str | None:
    """What is wrong with a run's ``name`` (it names the results folder), or None."""
    if len(name) > MAX_NAME_CHARS:
        return (
            f"{len(name)} characters is longer than a name may be (at most {MAX_NAME_CHARS}: "
            "it names the results folder); shorten it"
        )
    if not _ID.fullmatch(name):
        return "use lower-case letters, digits, '_' and '-'"
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: pydantic.ValidationInfo) -> Any:
        problem = value_problem(value, cls.model_fields[info.field_name or ""].annotation)
        if problem:
            raise ValueError(problem)
        return value


class CostsConfig(_Strict):
    """Trading costs as fractions of traded value: 0.0005 = 5 basis points."""

    commission: float = Field(default=0.0, ge=0.0, lt=0.1)
    slippage: float = Field(default=0.0, ge=0.0, lt=0.1)


class CallConfig(_Strict):
    """The published call under test: who said to buy what, and when it became public.

    ``date`` is the day the call is taken as public; ``window`` (optional) the first and last
    day it may have become public, when the source carries no exact date (``date`` then
    defaults to the window's last day). ``entry`` is how a reader buys on an entry day D:
    ``prev_close`` (the close before D), ``next_open`` (D's open, as the engine fills) or
    ``close`` (D's close). ``base_rate_start``: the first day of the history against which
    the call's excess return is ranked. ``stance``: ``buy`` (right when the stock beats the
    benchmarks) or ``sell`` (right when it trails them; the report also shows a short
    position's return). ``borrow_fee``: the annual fee of borrowing the shares for that short,
    a fraction (0.003 = 0.3% a year), accrued daily over trading days.
    """

    ticker: str
    date: dt.date | None = None
    window: tuple[dt.date, dt.date] | None = None
    entry: Literal["prev_close", "next_open", "close"] = "next_open"
    stance: Literal["buy", "sell"] = "buy"
    borrow_fee: float = Field(default=0.003, ge=0.0, lt=1.0)
    source: str = ""
    benchmarks: tuple[str, ...] = ()
    horizons_months: tuple[int, ...] = (1, 3, 6, 12)
    base_rate_start: dt.date = dt.date(2010, 1, 1)

    @model_validator(mode="after")
    def _dates(self) -> CallConfig:
        if self.window is not None:
            first, last = self.window
            if last < first:
                raise ValueError(f"window: {first} to {last} is reversed; give [first, last]")
            if self.date is None:
                object.__setattr__(self, "date", last)
            elif not first <= self.date <= last:
                raise ValueError(
                    f"date {self.date} lies outside the window {first} to {last}; the call's "
                    "date must be one of the days it may have become public"
                )
        if self.date is None:
            raise ValueError("date: give the call's date (or a window: [first, last])")
        if self.base_rate_start >= self.date:
            raise ValueError("base_rate_start must be before the call's date")
        return self

    @property
    def call_date(self) -> dt.date:
        """The call's date (``date``, or the window's last day)."""
        assert self.date is not None
        return self.date

    _check_ticker = field_validator("ticker")(classmethod(lambda cls, v: parse_ticker(v)))

    @field_validator("horizons_months")
    @classmethod
    def _positive_horizons(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= h <= MAX_HORIZON_MONTHS for h in value):
            raise ValueError(
                f"horizons are whole months from 1 to {MAX_HORIZON_MONTHS} (50 years), e.g. "
                "[1, 3, 6, 12]"
            )
        return tuple(sorted(set(value)))


class StrategyConfig(BaseModel):
    """One strategy: an ``id`` (lower-case slug), a registered ``kind`` and its parameters.

    Any key besides ``id``, ``kind`` and ``label`` is a parameter of the kind and is checked
    against the kind's parameter dataclass when the run starts.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    kind: str
    label: str = ""

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits, '_' and '-' (e.g. buy_hold_amzn)")
        return value

    @property
    def params(self) -> dict[str, Any]:
        """The kind's parameters as written in the config."""
        return dict(self.model_extra or {})


class SignalDataConfig(_Strict):
    """Where the catalyst signals' fundamentals and events come from.

    ``fundamentals``: ``auto`` (the ``--data-dir`` folder's ``fundamentals/`` when given, else
    SEC EDGAR), ``snapshot`` (always ``--data-dir``), ``edgar``, or a path to a CSV in the
    project's schema. ``events``: CSV files in the project's schema (default: the curated
    ``config/events/*.csv``). ``sec_user_agent``: who is asking SEC EDGAR (else the
    ``SEC_USER_AGENT`` environment variable), e.g. ``"Jane Doe jane@example.com"``.
    """

    fundamentals: Literal["auto", "snapshot", "edgar"] | Path = "auto"
    events: tuple[Path, ...] | None = None
    sec_user_agent: str | None = None


class StatisticsConfig(_Strict):
    """How the comparison measures luck. ``bootstrap_reps``: stationary-bootstrap resamples;
    ``confidence``: interval coverage (0.95 = 95%); ``spa_benchmark``: the strategy id the
    SPA test asks "does any catalyst strategy beat it?" about (default: buying and holding
    the call's ticker, when the config has that strategy); ``spa_strategies``: the strategy
    ids tested (default: every ``signal`` strategy); ``extra_trials``: variants tried outside
    this config (e.g. a parameter sweep), counted by the Deflated Sharpe Ratio.
    ``min_block_days``: the floor of the bootstrap's mean block length in trading days
    (default 10, two weeks: see :mod:`catalystlab.analysis.stats.bootstrap`); 1 keeps the
    automatic (Politis-White) length, which is 1-3 days on daily returns."""

    bootstrap_reps: int = Field(default=1000, ge=100, le=100_000)
    min_block_days: int = Field(default=10, ge=1, le=250)
    confidence: float = Field(default=0.95, gt=0.5, lt=1.0)
    spa_benchmark: str | None = None
    spa_strategies: tuple[str, ...] | None = None
    extra_trials: int = Field(default=0, ge=0, le=MAX_EXTRA_TRIALS)


class EventStudyConfig(_Strict):
    """A market-model event study of the catalyst events (offsets in trading days).

    ``tickers``: companies studied; ``kinds``: event kinds (``layoff``, ``capex_guidance``,
    ...); ``market``: the market index ticker; ``merge_days``: events of one company and kind
    fewer than this many calendar days after a counted one are the same news (a report and
    the official statement) and are not counted again; ``estimation``, ``windows``: the
    market-model and event windows; ``placebo_draws``: random non-event samples.
    """

    tickers: tuple[str, ...]
    kinds: tuple[str, ...] = ("layoff",)
    market: str = "SPY"
    merge_days: int = Field(default=10, ge=0)
    estimation: tuple[int, int] = (-250, -30)
    windows: tuple[tuple[int, int], ...] = ((-1, 1), (0, 5), (0, 20), (0, 60))
    placebo_draws: int = Field(default=1000, ge=0, le=100_000)

    @field_validator("tickers")
    @classmethod
    def _tickers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one ticker")
        return tuple(parse_ticker(v) for v in value)

    _check_market = field_validator("market")(classmethod(lambda cls, v: parse_ticker(v)))

    @model_validator(mode="after")
    def _windows(self) -> EventStudyConfig:
        from catalystlab.analysis.eventstudy import EventStudyParams

        try:
            EventStudyParams(
                estimation=self.estimation,
                windows=self.windows,
                placebo_draws=self.placebo_draws,
            )
        except BadInputError as error:
            raise ValueError(str(error)) from None
        return self


class WalkForwardConfig(_Strict):
    """Walk-forward of a sweep, in trading days: choose on ``in_sample_days``, then hold the
    choice for the next ``out_of_sample_days``; folds start every ``step_days`` (default: the
    out-of-sample length, so that the out-of-sample periods tile the calendar)."""

    in_sample_days: int = Field(default=756, ge=20, le=10_000)
    out_of_sample_days: int = Field(default=252, ge=5, le=10_000)
    step_days: int | None = Field(default=None, ge=5, le=10_000)


class SweepConfig(_Strict):
    """A parameter sweep: ``grid`` maps ``<signal>.<parameter>`` to the values tried; each
    signal named gets the product of its parameters' values, and every combination runs on
    every ticker of ``tickers`` (a ``signal`` strategy: the ticker at the signal's exposure, the
    rest in cash). ``metric`` (``sharpe``, ``cagr``, ``total_return``, ``calmar``) ranks the
    trials; the best ``top_k`` are confirmed in backtrader; ``walk_forward`` sets the folds."""

    tickers: tuple[str, ...]
    grid: dict[str, tuple[float | int | str | None, ...]]
    metric: Literal["sharpe", "cagr", "total_return", "calmar"] = "sharpe"
    top_k: int = Field(default=3, ge=1, le=50)
    walk_forward: WalkForwardConfig = WalkForwardConfig()

    @field_validator("tickers")
    @classmethod
    def _sweep_tickers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one ticker")
        return tuple(dict.fromkeys(parse_ticker(v) for v in value))

    @field_validator("grid")
    @classmethod
    def _grid_keys(cls, value: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
        import dataclasses

        from signals.base import SIGNALS

        if not value:
            raise ValueError("give at least one '<signal>.<parameter>: [values]' entry")
        for key, values in value.items():
            signal, _, name = key.partition(".")
            try:
                definition = SIGNALS.get(signal)
            except BadInputError as error:
                raise ValueError(f"{key}: {error}") from None
            fields = [f.name for f in dataclasses.fields(definition.params_type)]
            if name not in fields:
                raise ValueError(
                    f"{key}: write <signal>.<parameter>; {signal!r} has {', '.join(fields)}"
                )
            if not values:
                raise ValueError(f"{key}: list at least one value")
            seen: set[Any] = set()
            for item in values:
                if item in seen:
                    raise ValueError(
                        f"{key}: {item!r} is listed twice; list each value once (a repeat would "
                        "run the same trial again and count as another trial in the DSR)"
                    )
                seen.add(item)
        return value


class RunConfig(_Strict):
    """A whole run: dates, capital, costs, the call, the benchmark and the strategies.

    ``start`` (optional): without it a run starts on the first date every ticker of the run
    has a price, and says so in a note. ``strategies`` (optional when there is a ``call`` or
    an ``event_study``): without them the run tests the call (or studies the events) alone.
    ``allow_missing_data``: run a catalyst rule whose ticker lacks data its signal reads (with
    a warning; a rule with none of its data is left out of SPA and DSR) instead of stopping
    with a config error.
    """

    name: str
    description: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    cash: float = Field(default=100_000.0, ge=MIN_CASH, le=MAX_CASH)
    costs: CostsConfig = CostsConfig()
    benchmark: str = "SPY"
    call: CallConfig | None = None
    strategies: tuple[StrategyConfig, ...] = ()
    allow_missing_data: bool = False
    signal_data: SignalDataConfig = SignalDataConfig()
    statistics: StatisticsConfig = StatisticsConfig()
    event_study: EventStudyConfig | None = None
    sweep: SweepConfig | None = None
    claims: Path | None = None
    claims_as_of: dt.date | None = None  # audit only what was public by then (None: all)
    # seeds every bootstrap and placebo draw: same seed, same numbers
    seed: int = 20250801

    @field_validator("seed")
    @classmethod
    def _seed_range(cls, value: int) -> int:
        if not 0 <= value <= MAX_SEED:
            raise ValueError(f"give a whole number from 0 to {MAX_SEED}")
        return value

    _check_benchmark = field_validator("benchmark")(classmethod(lambda cls, v: parse_ticker(v)))

    @field_validator("name")
    @classmethod
    def _name_slug(cls, value: str) -> str:
        problem = name_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RunConfig:
        if not (self.strategies or self.call or self.event_study or self.sweep):
            raise ValueError(
                "strategies: list at least one strategy, or give a call, an event_study or a sweep"
            )
        ids = [s.id for s in self.strategies]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"strategies: duplicate id(s) {', '.join(duplicates)}")
        if self.claims is not None and self.claims.is_dir():
            raise ValueError(
                f"claims: {self.claims} is a folder; give the claims YAML file (e.g. "
                "config/claims/amazon_ai_call.yaml)"
            )
        if self.claims is not None and not self.claims.is_file():
            raise ValueError(
                f"claims: no file {self.claims} (paths are relative to where you run the "
                "command, e.g. config/claims/amazon_ai_call.yaml)"
            )
        stats = self.statistics
        for name in (stats.spa_benchmark, *(stats.spa_strategies or ())):
            if name is not None and name not in ids:
                raise ValueError(f"statistics: {name!r} is not a strategy id of this config")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self

    _overridden: frozenset[str] = pydantic.PrivateAttr(default=frozenset())

    def with_overrides(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        seed: int | None = None,
    ) -> RunConfig:
        """A copy with ``start``, ``end`` and ``seed`` replaced where given (command-line and
        API overrides), validated again."""
        update = {
            k: v for k, v in (("start", start), ("end", end), ("seed", seed)) if v is not None
        }
        if not update:
            return self
        try:
            changed = RunConfig.model_validate({**self.model_dump(), **update})
        except pydantic.ValidationError as exc:
            flags = "/".join(f"--{key}" for key in update)
            raise BadInputError(f"{flags}: {_explain(exc)}") from None
        changed._overridden = self._overridden | frozenset(update)
        return changed

    def origin(self, key: str) -> str:
        """Where ``start``, ``end`` or ``seed`` came from, as a message names it: ``--end``
        for a command-line (or API keyword) override, else ``the config's end:``."""
        return f"--{key}" if key in self._overridden else f"the config's {key}:"


def load_config(source: str | Path | Mapping[str, Any] | RunConfig) -> RunConfig:
    """A validated run config from a YAML file's path, a mapping of the same keys, or a
    ``RunConfig`` (returned as it is). Every problem is a BadInputError naming the key; a
    config without ``name`` takes the file's stem (``run`` for a mapping)."""
    if isinstance(source, RunConfig):
        return source
    if isinstance(source, Mapping):
        raw, where = {"name": "run", **source}, "the config mapping"
    else:
        path = Path(source)
        refuse_folder(path, "the config file (e.g. config/amazon_ai_call.yaml)")
        if not path.is_file():
            raise BadInputError(f"Config file {path} does not exist.")
        raw = read_yaml_mapping(path, hint="see config/amazon_ai_call.yaml for the layout")
        raw.setdefault("name", path.stem)
        where = str(path)
    try:
        return RunConfig.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise BadInputError(f"{where}: {_explain(exc)}") from None


def _explain(exc: pydantic.ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "config"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see config/amazon_ai_call.yaml)"
        problems.append(f"{where}: {message}")
    return "; ".join(problems)


def config_as_yaml(config: RunConfig) -> str:
    """The resolved config as YAML, with strategy parameters inline, for the results folder."""
    data = config.model_dump(mode="json")
    data["strategies"] = [
        {"id": s.id, "kind": s.kind, **({"label": s.label} if s.label else {}), **s.params}
        for s in config.strategies
    ]
    return yaml.safe_dump(data, sort_keys=False)
