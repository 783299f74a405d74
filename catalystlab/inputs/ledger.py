"""Reading a ledger of published calls (CSV or YAML) and validating every row.

One call a row (CSV) or one mapping a call (YAML: a top-level ``calls:`` list):

``id``                 unique name of the call (text)
``ticker``             Yahoo Finance symbol of the stock called (``AMZN``, ``BRK-B``)
``date``               ISO day the call was public; or, when unknown,
``window_start``, ``window_end``   the first and last day it may have become public (the call
                       is then entered on ``window_end``: nobody acts on a call before it exists)
``stance``             ``buy`` (right when the stock beats its benchmark) or ``sell`` (right
                       when it trails it)
``benchmark``          optional: the ticker to beat (default: the command's ``--benchmark``)
``horizons``           optional: months, e.g. ``1;3;6;12`` (default: the command's ``--horizons``)
``source``, ``url``, ``note``   optional: who made the call, where (http or https), remarks

Every bad row is reported, each with its line in the file and the fix, in one BadInputError.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.hashing import file_sha256
from catalystlab.core.tickers import parse_ticker
from catalystlab.core.userfiles import refuse_folder

REQUIRED = ("id", "ticker", "stance")
OPTIONAL = (
    "date",
    "window_start",
    "window_end",
    "benchmark",
    "horizons",
    "source",
    "url",
    "note",
)
STANCES = ("buy", "sell")
MAX_YAML_BYTES = 5_000_000  # about 20,000 calls; larger ledgers belong in a CSV
_HORIZON_SPLIT = re.compile(r"[;,\s|]+")
SCHEMA_HINT = (
    "columns id, ticker, date (or window_start and window_end), stance, and optionally "
    "benchmark, horizons, source, url, note; see README 'Test a caller'"
)


@dataclass(frozen=True, kw_only=True)
class LedgerCall:
    """One published call. ``date`` is the entry day requested (``window_end`` for a window);
    ``horizons`` in calendar months, empty for the ledger's default; ``line`` is the call's
    line in the ledger file."""

    id: str
    ticker: str
    date: dt.date
    window: tuple[dt.date, dt.date] | None
    stance: str
    benchmark: str | None
    horizons: tuple[int, ...]
    source: str
    url: str
    note: str
    line: int

    @property
    def sign(self) -> int:
        """+1 for a buy, -1 for a sell."""
        return 1 if self.stance == "buy" else -1


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """The calls of a ledger file, in file order, with the file's path and sha256."""

    path: Path
    sha256: str
    calls: tuple[LedgerCall, ...]


def read_ledger(path: str | Path) -> Ledger:
    """The calls of the CSV or YAML ledger at ``path``; BadInputError listing every bad row."""
    path = Path(path)
    refuse_folder(path, "the ledger file (.csv or .yaml)")
    if not path.is_file():
        raise DataUnavailableError(f"No ledger file at {path}; check the path.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    else:
        raise BadInputError(f"{path}: a ledger is a .csv or .yaml file; rename or convert it.")
    if not rows:
        raise BadInputError(f"{path}: the ledger holds no call; add one row per call.")
    calls, problems = [], []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            call = _call(row, line)
        except _RowError as error:
            problems.extend(f"line {line}: {p}" for p in error.problems)
            continue
        if call.id in seen:
            problems.append(
                f"line {line}: id {call.id!r} repeats line {seen[call.id]}; give each call "
                "its own id"
            )
            continue
        seen[call.id] = line
        calls.append(call)
    if problems:
        listed = "\n  ".join(p + "." for p in problems)
        raise BadInputError(
            f"{path}: {len(problems)} problem(s) in the ledger ({SCHEMA_HINT}):\n  {listed}"
        )
    return Ledger(path=path, sha256=file_sha256(path), calls=tuple(calls))


class _RowError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [
                (n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#")
            ]
    except UnicodeDecodeError as error:
        raise BadInputError(f"{path}: not UTF-8 text ({error}); save it as UTF-8.") from None
    lines = [(n, line) for n, line in lines if line.strip()]
    if not lines:
        raise BadInputError(f"{path}: the ledger is empty; write a header ({SCHEMA_HINT}).")
    header = next(csv.reader([lines[0][1]]))
    header = [h.strip() for h in header]
    _check_header(path, header)
    rows = []
    for n, line in lines[1:]:
        cells = next(csv.reader([line]), [])
        if len(cells) > len(header):
            rows.append((n, {"__width__": f"{len(cells)} cells for {len(header)} columns"}))
            continue
        rows.append((n, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return rows


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if path.stat().st_size > MAX_YAML_BYTES:
        raise BadInputError(f"{path}: larger than {MAX_YAML_BYTES:,} bytes; write it as a CSV.")
    text = path.read_text(encoding="utf-8")
    try:
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise BadInputError(
                f"{path}: uses YAML aliases (*name); write each call's values out instead."
            )
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BadInputError(f"{path}: malformed YAML{where}; write a 'calls:' list.") from None
    except ValueError as error:
        raise BadInputError(f"{path}: a value cannot be read ({error}); fix the dates.") from None
    if not isinstance(data, dict) or not isinstance(data.get("calls"), list):
        raise BadInputError(f"{path}: expected a mapping with a 'calls:' list ({SCHEMA_HINT}).")
    unknown = sorted(set(data) - {"calls"})
    if unknown:
        raise BadInputError(f"{path}: unknown top-level key(s) {', '.join(unknown)}; keep 'calls'.")
    items = next(v for k, v in node.value if k.value == "calls").value
    rows = []
    for item_node, item in zip(items, data["calls"], strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            rows.append((line, {"__width__": "a call must be a mapping of its fields"}))
            continue
        keys = [k.value for k, _ in item_node.value]
        if len(set(keys)) < len(keys):
            twice = sorted({k for k in keys if keys.count(k) > 1})
            rows.append((line, {"__width__": f"field(s) {', '.join(twice)} given twice"}))
            continue
        bad_keys = [str(k) for k in item if k not in (*REQUIRED, *OPTIONAL)]
        if bad_keys:
            rows.append((line, {"__keys__": ", ".join(bad_keys)}))
            continue
        rows.append((line, {str(k): _yaml_text(v) for k, v in item.items()}))
    return rows


def _yaml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in (*REQUIRED, *OPTIONAL)]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if "date" not in header and not {"window_start", "window_end"} <= set(header):
        missing.append("date (or window_start and window_end)")
    problems = []
    if missing:
        problems.append(f"lacks column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"has unknown column(s) {', '.join(unknown)}")
    if repeated:
        problems.append(f"repeats column(s) {', '.join(repeated)}")
    if problems:
        raise BadInputError(f"{path}: the header {' and '.join(problems)}; expected {SCHEMA_HINT}.")


def _call(row: Mapping[str, str], line: int) -> LedgerCall:
    if "__width__" in row:
        fix = "quote cells that contain commas" if "cells" in row["__width__"] else "fix it"
        raise _RowError([f"{row['__width__']}; {fix}"])
    if "__keys__" in row:
        raise _RowError([f"unknown field(s) {row['__keys__']}; use {SCHEMA_HINT}"])
    cell = {k: (row.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
    problems: list[str] = []
    if not cell["id"]:
        problems.append("id is empty; name the call (e.g. amzn-2025-08)")
    ticker = _ticker(cell["ticker"], "ticker", problems)
    benchmark = _ticker(cell["benchmark"], "benchmark", problems) if cell["benchmark"] else None
    if ticker and benchmark == ticker:
        problems.append(f"benchmark {benchmark} is the called ticker; pick another benchmark")
    stance = cell["stance"].lower()
    if stance not in STANCES:
        problems.append(f"stance {cell['stance']!r} is not buy or sell; write buy or sell")
    date = _date(cell["date"], "date", problems) if cell["date"] else None
    window = None
    if cell["window_start"] or cell["window_end"]:
        first = _date(cell["window_start"], "window_start", problems)
        last = _date(cell["window_end"], "window_end", problems)
        if first and last:
            if last < first:
                problems.append(
                    f"window {first} to {last} is reversed; put the earlier day in window_start"
                )
            else:
                window = (first, last)
                if date is not None and not first <= date <= last:
                    problems.append(
                        f"date {date} lies outside the window {first} to {last}; move it into "
                        "the window or leave date empty"
                    )
    elif date is None and not cell["date"]:
        problems.append("no date; give date (YYYY-MM-DD) or window_start and window_end")
    horizons = _horizons(cell["horizons"], problems)
    url = cell["url"]
    if url and not re.match(r"^https?://\S+$", url):
        problems.append(f"url {url!r} is not an http(s) address; write it as https://...")
    if problems:
        raise _RowError(problems)
    assert ticker is not None
    entry = window[1] if window is not None and date is None else date
    assert entry is not None
    return LedgerCall(
        id=cell["id"],
        ticker=ticker,
        date=entry,
        window=window,
        stance=stance,
        benchmark=benchmark,
        horizons=horizons,
        source=cell["source"],
        url=url,
        note=cell["note"],
        line=line,
    )


def _ticker(text: str, name: str, problems: list[str]) -> str | None:
    if not text:
        problems.append(f"{name} is empty; give a symbol such as AMZN")
        return None
    try:
        return parse_ticker(text)
    except ValueError as error:
        problems.append(f"{name}: {error}")
        return None


def _date(text: str, name: str, problems: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{name} {text!r} is not a date; write it as YYYY-MM-DD")
        return None


def _horizons(text: str, problems: list[str]) -> tuple[int, ...]:
    if not text:
        return ()
    parts = [p for p in _HORIZON_SPLIT.split(text) if p]
    if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
        problems.append(f"horizons {text!r} are not positive whole months; write them as 1;3;6;12")
        return ()
    return tuple(sorted({int(p) for p in parts}))
