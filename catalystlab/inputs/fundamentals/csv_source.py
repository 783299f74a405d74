"""Fundamentals from a CSV file in the project's own schema.

One row per ticker, metric and fiscal quarter, with a header line and these columns (any
order; no others):

=================  ==========================================================================
column             meaning
=================  ==========================================================================
ticker             symbol, e.g. ``AMZN`` (upper-cased on load)
metric             lower-case name: ``revenue``, ``operating_income``, ``capex`` (gross
                   purchases of property and equipment; say so in ``source`` when a value is
                   net of proceeds or incentives), or any other
fiscal_period      the company's own label, e.g. ``2024Q4`` or ``FY2025Q2``
period_end         last day of the fiscal quarter, ``YYYY-MM-DD``
value              the QUARTER's value in USD millions (not year-to-date, not annual)
public_date        date the value became public (earnings release or filing), ``YYYY-MM-DD``
source             where the value came from (blank: the file and row are used)
timing             optional column: ``intraday``, ``before_open``, ``after_close`` or
                   ``unknown`` (blank or absent: ``unknown``, which counts from the next day)
=================  ==========================================================================

``known_from`` is computed on load (:func:`catalystlab.core.pit.known_from`). A value that is not
known is left out (no row), never written as 0 or blank.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from catalystlab.inputs.csvrows import check_columns, read_csv_text
from catalystlab.inputs.fundamentals.table import RAW_COLUMNS, build_fundamentals

OPTIONAL_COLUMNS: tuple[str, ...] = ("timing",)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    c for c in RAW_COLUMNS if c not in (*OPTIONAL_COLUMNS, "row")
)


def load_fundamentals_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate a fundamentals CSV in the project's schema (see the module docs).

    Returns the :mod:`catalystlab.core.pit` fundamentals table (values in USD millions, quarter
    values). Raises DataUnavailableError when the file does not exist and BadInputError
    (naming the file, row and fix) when its content is wrong.
    """
    path = Path(path)
    frame = read_csv_text(path)
    check_columns(
        frame,
        path,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        schema="the schema is documented in catalystlab/fundamentals/csv_source.py",
    )
    if "timing" not in frame.columns:
        frame["timing"] = "unknown"
    return build_fundamentals(frame.loc[:, list(RAW_COLUMNS)], origin=str(path))
