"""Adapter for the reference data snapshot's event files: ``DIR/events/*.csv``.

Two formats, told apart by their header (see the snapshot's README):

- layoffs (``company, ticker, announce_date, headcount, pct, scope, source, confidence``):
  kind ``layoff``; ``event_date`` is ``announce_date`` (the first public report). ``status``
  is ``report`` when the scope is tagged ``[REPORT]``, ``[LEAK]`` (or another bracketed tag
  naming a report), ``official`` when tagged ``[OFFICIAL]``; untagged rows are ``official``
  when the scope cites the company's own word (a memo, letter, blog, 8-K, WARN filing,
  spokesperson, podcast), else ``report``. ``headcount`` is text there: see
  :func:`parse_headcount` and :func:`parse_pct`.
- AI/capex events (``company, ticker, event_date, kind, description, value_usd_bn, source,
  confidence``): company statements (calls, releases, memos, posts), so ``official``.

``timing`` is what the README states: Amazon's 2022-11-14 report came out intraday and its
2025-10-27 report near the close (tradable the next session: ``after_close``); a row whose
text says "after close" or "after hours" is ``after_close``; every other row is ``unknown``
(counted from the next day, like ``after_close``). ``confidence`` keeps its first word
(``confirmed``, ``single_source``, ``uncertain``); any remark after it goes to the
description.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.csvrows import read_csv_text
from catalystlab.inputs.events.table import CONFIDENCES, FILE_COLUMNS, build_events, combine_events

LAYOFF_COLUMNS = (
    "company",
    "ticker",
    "announce_date",
    "headcount",
    "pct",
    "scope",
    "source",
    "confidence",
)
AI_CAPEX_COLUMNS = (
    "company",
    "ticker",
    "event_date",
    "kind",
    "description",
    "value_usd_bn",
    "source",
    "confidence",
)
README_TIMINGS: dict[tuple[str, str], str] = {
    ("AMZN", "2022-11-14"): "intraday",
    ("AMZN", "2025-10-27"): "after_close",
}
_AFTER_CLOSE = re.compile(r"after[- ](?:the )?close|after[- ]hours", re.IGNORECASE)
_REPORT_TAG = re.compile(r"\[[^\]]*\b(?:report|leak)\b[^\]]*\]", re.IGNORECASE)
_OFFICIAL_TAG = re.compile(r"\[OFFICIAL\]")
_OWN_WORD = re.compile(
    r"\bmemo\b|\bletter\b|\bblog\b|\b8-K\b|\bWARN\b|\bspokesperson\b|\bpodcast\b"
)
_LEADING_NUMBER = re.compile(r"^(?:~|about\s+|up\s+to\s+)?(\d+(?:\.\d+)?)\s*\+?(?:\s|$|\()")
_LEADING_PCT = re.compile(r"^~?(\d+(?:\.\d+)?)\s*%(?:\s+of\s+(?P<base>[^;]*))?")
_WORKFORCE_BASES = ("corporate", "workforce", "total", "company", "employees", "staff")


def snapshot_event_paths(data_dir: str | Path) -> list[Path]:
    """``data_dir/events/*.csv``, sorted; DataUnavailableError when there is none."""
    folder = Path(data_dir) / "events"
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise DataUnavailableError(
            f"--data-dir {data_dir}: no event files {folder / '*.csv'}; put the snapshot's "
            "layoffs.csv and ai_capex_events.csv there, or point --data-dir at the snapshot."
        )
    return paths


def load_snapshot_events(data_dir: str | Path) -> pd.DataFrame:
    """The ``pit`` events table of every ``data_dir/events/*.csv`` in the snapshot's formats."""
    tables = []
    for path in snapshot_event_paths(data_dir):
        frame = read_csv_text(path)
        columns = tuple(c for c in frame.columns if c != "row")
        if columns == LAYOFF_COLUMNS:
            raw = _layoff_rows(frame)
        elif columns == AI_CAPEX_COLUMNS:
            raw = _ai_capex_rows(frame)
        else:
            raise BadInputError(
                f"{path}: the header is neither the snapshot's layoffs format "
                f"({', '.join(LAYOFF_COLUMNS)}) nor its AI/capex format "
                f"({', '.join(AI_CAPEX_COLUMNS)}); fix the header."
            )
        tables.append(build_events(_normalize_confidence(raw, path), origin=str(path)))
    return combine_events(tables)


def parse_headcount(text: str) -> float:
    """The number of roles a snapshot cell states, NaN when it states none.

    ``'10000'``, ``'~100'``, ``'100+'``, ``'~3600 (est.)'`` and ``'up to 30000 (reported)'``
    give the number; ``'~500 Twitch + ...'`` gives its leading number. Words (``'several
    hundred'``, ``'dozens'``) and upper bounds only (``'<1000'``) give NaN.
    """
    match = _LEADING_NUMBER.match(str(text).strip().replace(",", ""))
    return float(match.group(1)) if match else float("nan")


def parse_pct(text: str) -> float:
    """The fraction of the company's workforce a snapshot cell states, NaN when none.

    ``'13%'`` -> 0.13; ``'~3% of corporate'`` -> 0.03 (the first percentage counts when its
    base is the workforce: corporate, total, company). A share of one unit only (``'~8% of
    22k gaming'``, ``'Twitch ~35%'``) or an upper bound (``'<1%'``) gives NaN.
    """
    match = _LEADING_PCT.match(str(text).strip())
    if not match:
        return float("nan")
    base = (match.group("base") or "").lower()
    if base and not any(word in base for word in _WORKFORCE_BASES):
        return float("nan")
    return float(match.group(1)) / 100.0


def layoff_status(scope: str) -> str:
    """``report`` or ``official`` for a layoffs row's scope text (see the module docs)."""
    if _OFFICIAL_TAG.search(scope):
        return "official"
    if _REPORT_TAG.search(scope):
        return "report"
    return "official" if _OWN_WORD.search(scope) else "report"


def event_timing(ticker: str, day: str, text: str) -> str:
    """Timing of an event from the README's statements, else from its text, else unknown."""
    stated = README_TIMINGS.get((ticker.strip().upper(), day.strip()))
    if stated:
        return stated
    return "after_close" if _AFTER_CLOSE.search(text) else "unknown"


def _layoff_rows(frame: pd.DataFrame) -> pd.DataFrame:
    scope = frame["scope"].fillna("")
    return pd.DataFrame(
        {
            "ticker": frame["ticker"],
            "kind": "layoff",
            "event_date": frame["announce_date"],
            "timing": _timings(frame, "announce_date", scope),
            "headcount": frame["headcount"].fillna("").map(parse_headcount),
            "pct": frame["pct"].fillna("").map(parse_pct),
            "value_usd_bn": np.nan,
            "status": scope.map(layoff_status),
            "description": _described(frame, scope, frame["headcount"], frame["pct"]),
            "source": frame["source"],
            "confidence": frame["confidence"],
            "row": frame["row"],
        }
    )


def _ai_capex_rows(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame["description"].fillna("")
    return pd.DataFrame(
        {
            "ticker": frame["ticker"],
            "kind": frame["kind"],
            "event_date": frame["event_date"],
            "timing": _timings(frame, "event_date", text),
            "headcount": np.nan,
            "pct": np.nan,
            "value_usd_bn": frame["value_usd_bn"],
            "status": "official",
            "description": frame["company"].fillna("") + ": " + text,
            "source": frame["source"],
            "confidence": frame["confidence"],
            "row": frame["row"],
        }
    )


def _timings(frame: pd.DataFrame, date_column: str, text: pd.Series) -> list[str]:
    return [
        event_timing(str(t), str(d), x)
        for t, d, x in zip(
            frame["ticker"].fillna(""), frame[date_column].fillna(""), text, strict=True
        )
    ]


def _described(
    frame: pd.DataFrame, scope: pd.Series, headcount: pd.Series, pct: pd.Series
) -> pd.Series:
    """``Company: scope``, plus the original headcount and pct wording unless it is a plain
    number (the parsed columns lose words such as "several hundred" or "of corporate")."""
    stated = [
        "; ".join(
            f"{name}: {text}"
            for name, text in (("headcount", h), ("pct", p))
            if isinstance(text, str) and not text.strip().isdigit()
        )
        for h, p in zip(headcount, pct, strict=True)
    ]
    suffix = pd.Series([f" ({s})" if s else "" for s in stated], index=frame.index)
    return frame["company"].fillna("") + ": " + scope + suffix


def _normalize_confidence(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Keep the first word of ``confidence``; a remark after it goes to the description."""
    cell = raw["confidence"].fillna("").str.strip()
    first = cell.str.extract(f"^({'|'.join(CONFIDENCES)})\\b", expand=False)
    bad = first.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise BadInputError(
            f"{path}, row {raw['row'].iloc[i]}: confidence {cell.iloc[i]!r} does not start "
            f"with one of {', '.join(CONFIDENCES)}; fix the cell."
        )
    remark = cell.str.replace(f"^({'|'.join(CONFIDENCES)})\\b\\s*", "", regex=True)
    raw = raw.assign(confidence=first)
    raw["description"] = raw["description"] + remark.map(
        lambda text: f" [confidence: {text.strip(' ;')}]" if text.strip(" ;") else ""
    )
    return raw.loc[:, [*FILE_COLUMNS, "row"]]
