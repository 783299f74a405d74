"""Loading the point-in-time fundamentals and events that catalyst signals read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from catalystlab.config import SignalDataConfig
from catalystlab.core.errors import BadInputError
from catalystlab.core.hashing import file_sha256, frame_sha256
from catalystlab.inputs.events import curated_event_paths, load_events
from catalystlab.inputs.fundamentals import (
    EdgarClient,
    EdgarFundamentalsSource,
    load_fundamentals_csv,
    load_snapshot_fundamentals,
    snapshot_fundamental_paths,
)
from catalystlab.inputs.options import DataOptions


@dataclass(frozen=True, kw_only=True)
class SignalData:
    """Fundamentals and events (``catalystlab.core.pit`` schemas) and where they came from."""

    fundamentals: pd.DataFrame
    events: pd.DataFrame
    sources: dict[str, dict[str, object]]


def load_signal_data(
    settings: SignalDataConfig, *, tickers: Iterable[str], data: DataOptions
) -> SignalData:
    """Fundamentals of ``tickers`` and every event of the configured files."""
    tickers = list(dict.fromkeys(tickers))
    fundamentals, origin, files = _fundamentals(settings, tickers, data)
    fundamentals = fundamentals[fundamentals["ticker"].isin(tickers)].reset_index(drop=True)
    event_paths = configured_event_paths(settings)
    events = load_events(event_paths)
    sources = {
        "fundamentals": describe_table(fundamentals, origin, files=files),
        "events": describe_table(events, "events csv", files=event_paths),
    }
    return SignalData(fundamentals=fundamentals, events=events, sources=sources)


def restated_values_note(fundamentals: pd.DataFrame) -> str | None:
    """A warning when values are later restatements dated at the original filing (the
    snapshot marks them ``latest_not_PIT``): a signal sees the restated number early."""
    marked = fundamentals[fundamentals["source"].str.contains("latest_not_PIT", regex=False)]
    if marked.empty:
        return None
    tickers = ", ".join(sorted(marked["ticker"].unique()))
    return (
        f"{len(marked)} fundamental values of {tickers} are restated figures dated at their "
        "original filing (marked latest_not_PIT in the data): signals read them as if known "
        "then, which may flatter those rules."
    )


def configured_event_paths(settings: SignalDataConfig) -> list[Path]:
    """The event files of the config, or the curated ``config/events/*.csv``."""
    return list(settings.events) if settings.events is not None else curated_event_paths()


def _fundamentals(
    settings: SignalDataConfig, tickers: list[str], data: DataOptions
) -> tuple[pd.DataFrame, str, list[Path]]:
    """The fundamentals table, a name for its source, and the files it was read from."""
    choice = settings.fundamentals
    if isinstance(choice, Path):
        return load_fundamentals_csv(choice), "csv", [choice]
    if choice == "snapshot" or (choice == "auto" and data.data_dir is not None):
        if data.data_dir is None:
            raise BadInputError(
                "signal_data.fundamentals: 'snapshot' reads --data-dir DIR/fundamentals/; "
                "pass --data-dir or choose 'edgar'."
            )
        table = load_snapshot_fundamentals(data.data_dir)
        return table, "snapshot", snapshot_fundamental_paths(data.data_dir)
    client = EdgarClient(
        user_agent=settings.sec_user_agent,
        cache_dir=data.cache_dir,
        offline=data.offline,
        refresh=data.refresh,
    )
    table = EdgarFundamentalsSource(client=client).load(tickers)
    return table, "sec-edgar:companyfacts", sorted(client.folder.rglob("*.json"))


def describe_table(
    table: pd.DataFrame,
    source: str,
    date_column: str = "known_from",
    *,
    files: Iterable[Path] = (),
) -> dict[str, object]:
    """A manifest entry of a fundamentals or events table: source, the files read (absolute
    path -> sha256), its dates (``known_from``), rows and the sha256 of the table itself."""
    dates = table[date_column]
    return {
        "kind": "table",
        "source": source,
        "files": {str(Path(f).resolve()): file_sha256(f) for f in files},
        "first_date": dates.min() if len(table) else None,
        "last_date": dates.max() if len(table) else None,
        "rows": len(table),
        "sha256": frame_sha256(table),
    }
