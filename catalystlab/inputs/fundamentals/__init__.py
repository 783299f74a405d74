"""Point-in-time quarterly fundamentals (revenue, operating income, capex, ...).

Every loader returns the long table of :mod:`catalystlab.core.pit` (``FUNDAMENTAL_COLUMNS``):
quarter values in USD millions, each with the date it became public and ``known_from``.

- :func:`load_fundamentals_csv`: a CSV file in the project's schema (see ``csv_source``).
- :func:`load_snapshot_fundamentals`: the reference snapshot's files under ``DIR/fundamentals``.
- :class:`EdgarFundamentalsSource`: SEC EDGAR ``companyfacts`` (live, cached).
"""

from catalystlab.inputs.fundamentals.csv_source import load_fundamentals_csv
from catalystlab.inputs.fundamentals.edgar import EdgarFundamentalsSource
from catalystlab.inputs.fundamentals.edgar_http import EdgarClient
from catalystlab.inputs.fundamentals.edgar_parse import parse_companyfacts
from catalystlab.inputs.fundamentals.snapshot import (
    load_snapshot_fundamentals,
    snapshot_fundamental_paths,
)

__all__ = [
    "EdgarClient",
    "EdgarFundamentalsSource",
    "load_fundamentals_csv",
    "load_snapshot_fundamentals",
    "parse_companyfacts",
    "snapshot_fundamental_paths",
]
