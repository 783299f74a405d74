"""JSON-ready values for ``to_dict`` methods: NaN becomes None, days become ISO strings."""

from __future__ import annotations

import math

import pandas as pd


def number(value: float) -> float | None:
    """``value`` as a float, or None when it is NaN or infinite."""
    value = float(value)
    return value if math.isfinite(value) else None


def day(value: pd.Timestamp | None) -> str | None:
    """``value`` as YYYY-MM-DD, or None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
