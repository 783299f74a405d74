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

In a CSV, a line whose first character is ``#`` is a comment (before the header or between
rows) and is skipped and counted; a ``#`` line that holds a call (a stance of buy or sell in
the header's columns) is refused, never dropped: quote its id (``"#1",AMZN,...``) to keep it.
Every bad row is reported, each with its line in the file and the fix, in one BadInputError.
Sizes are bounded before anything is evaluated: the file, the calls, a line and a cell.
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
from catalystlab.core.limits import MAX_HORIZON_MONTHS
from catalystlab.core.tickers import parse_ticker
from catalystlab.core.userfiles import refuse_folder
from catalystlab.core.yamlfile import load_yaml_node

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
MAX_YAML_BYTES = 5_000_000  # a YAML ledger of the most calls; larger ones belong in a CSV
MAX_CSV_BYTES = 50_000_000
MAX_CALLS = 10_000  # the permutation nulls hold draws x calls x horizons numbers
MAX_CELL_CHARS = 2_000  # a note or an address; a ticker or a date is a few characters
_YAML_VALUES_PER_CALL = 40  # a mapping of every field, its horizons a list of a dozen months
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
    """The calls of a ledger file, in file order, with the file's path and sha256, and the
    number of comment lines skipped (``#`` lines of a CSV)."""

    path: Path
    sha256: str
    calls: tuple[LedgerCall, ...]
    comments: int = 0


def read_ledger(path: str | Path) -> Ledger:
    """The calls of the CSV or YAML ledger at ``path``; BadInputError listing every bad row."""
    path = Path(path)
    refuse_folder(path, "the ledger file (.csv or .yaml)")
    if not path.is_file():
        raise DataUnavailableError(f"No ledger file at {path}; check the path.")
    suffix = path.suffix.lower()
    comments = 0
    if suffix == ".csv":
        rows, comments = _csv_rows(path)
    elif suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    else:
        raise BadInputError(f"{path}: a ledger is a .csv or .yaml file; rename or convert it.")
    if not rows:
        raise BadInputError(f"{path}: the ledger holds no call; add one row per call.")
    if len(rows) > MAX_CALLS:
        raise BadInputError(
            f"{path}: {len(rows):,} calls is more than a ledger may hold (at most "
            f"{MAX_CALLS:,}); split it into several ledgers."
        )
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
    return Ledger(path=path, sha256=file_sha256(path), calls=tuple(calls), comments=comments)


class _RowError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _csv_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], int]:
    """The rows (line, cells by column) and the number of comment lines."""
    _check_size(path, MAX_CSV_BYTES, "split it into several ledgers")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip()]
    except UnicodeDecodeError as error:
        raise BadInputError(f"{path}: not UTF-8 text ({error}); save it as UTF-8.") from None
    comments = 0
    while lines and lines[0][1].startswith("#"):
        lines, comments = lines[1:], comments + 1
    if not lines:
        raise BadInputError(f"{path}: the ledger is empty; write a header ({SCHEMA_HINT}).")
    first, text = lines[0][0], lines[0][1].rstrip("\r\n")
    if len(text) > MAX_CELL_CHARS:
        raise BadInputError(
            f"{path}: line {first}, the header, is {len(text):,} characters; expected "
            f"{SCHEMA_HINT}."
        )
    header = [h.strip() for h in _cells(lines[0][1])]
    _check_header(path, header)
    rows = []
    for n, line in lines[1:]:
        width = len(line.rstrip("\r\n"))
        if width > MAX_CELL_CHARS * len(header):
            rows.append(
                (
                    n,
                    {
                        "__width__": f"the line is {width:,} characters",
                        "__fix__": f"shorten its cells to at most {MAX_CELL_CHARS:,} characters",
                    },
                )
            )
            continue
        cells = _cells(line)
        if line.startswith("#"):
            stance = dict(zip(header, cells, strict=False)).get("stance", "").strip().lower()
            if stance not in STANCES:  # a call may leave its optional last cells out
                comments += 1
                continue
            rows.append(
                (
                    n,
                    {
                        "__width__": "a comment line (it starts with #) that holds a call",
                        "__fix__": 'quote its id ("#...") to keep the call, or delete the line',
                    },
                )
            )
            continue
        if len(cells) > len(header):
            rows.append((n, {"__width__": f"{len(cells)} cells for {len(header)} columns"}))
            continue
        rows.append((n, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return rows, comments


def _cells(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]), [])


def _check_size(path: Path, limit: int, fix: str) -> None:
    size = path.stat().st_size
    if size > limit:
        raise BadInputError(
            f"{path}: {size:,} bytes is more than a ledger file may hold (at most {limit:,}); "
            f"{fix}."
        )


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    _check_size(path, MAX_YAML_BYTES, "write it as a CSV")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BadInputError(f"{path}: not UTF-8 text ({error}); save it as UTF-8.") from None
    hint = "a YAML ledger is a 'calls:' list of one mapping a call (README 'Test a caller')"
    node, data = load_yaml_node(
        text,
        where=str(path),
        hint=hint,
        max_bytes=MAX_YAML_BYTES,
        max_nodes=_YAML_VALUES_PER_CALL * MAX_CALLS,
    )
    if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.SafeLoader)):
        raise BadInputError(
            f"{path}: uses YAML aliases (*name); write each call's values out instead."
        )
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
        fix = row.get("__fix__") or (
            "quote cells that contain commas" if "cells" in row["__width__"] else "fix it"
        )
        raise _RowError([f"{row['__width__']}; {fix}"])
    if "__keys__" in row:
        raise _RowError([f"unknown field(s) {row['__keys__']}; use {SCHEMA_HINT}"])
    cell = {k: (row.get(k) or "").strip() for k in (*REQUIRED, *OPTIONAL)}
    long = [f"{k} ({len(v):,} characters)" for k, v in cell.items() if len(v) > MAX_CELL_CHARS]
    if long:
        raise _RowError([f"{', '.join(long)} longer than {MAX_CELL_CHARS:,}; shorten it"])
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
    if not parts or not all(
        p.isascii() and p.isdigit() and 1 <= int(p) <= MAX_HORIZON_MONTHS for p in parts
    ):
        problems.append(
            f"horizons {text!r} are not whole months from 1 to {MAX_HORIZON_MONTHS}; write "
            "them as 1;3;6;12"
        )
        return ()
    return tuple(sorted({int(p) for p in parts}))
