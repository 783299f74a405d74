"""Dates a user gives in the Python API: an ISO string or a ``datetime.date``."""

from __future__ import annotations

import datetime as dt

from catalystlab.core.errors import BadInputError

DateLike = str | dt.date | None


def user_date(value: DateLike, name: str) -> dt.date | None:
    """``value`` as a date (None stays None); a string must be ISO ``YYYY-MM-DD``, else a
    :class:`BadInputError` naming the argument ``name``."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadInputError(f"{name}: {value!r} is not a date; write YYYY-MM-DD.") from None
