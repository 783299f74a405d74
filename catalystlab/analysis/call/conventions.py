"""Entry conventions: which price a reader of the call pays when acting on entry day D.

D is a calendar date; when it is not a trading day, its session is the first trading day on
or after D. Whatever the convention, the position is sold at the CLOSE of the evaluation end.

``prev_close``
    The close of the last session before D: the reader acted on the evening before D, at a
    price already printed when the call became public.
``next_open`` (default)
    The open of D's session: the first fill possible after the call became public before D's
    open. The engine decides at the close of D-1 and fills at D's open, so this matches it.
``close``
    The close of D's session: the reader bought during D and got the closing price.

The three differ by closed forms: (1 + R_prev_close) = (1 + R_next_open) * Open_D / Close_D-1
(the overnight gap into D) and (1 + R_next_open) = (1 + R_close) * Close_D / Open_D (D's session).
"""

from __future__ import annotations

from enum import StrEnum

from catalystlab.core.errors import BadInputError


class EntryConvention(StrEnum):
    """How the entry price of an entry day D is taken (see the module docstring)."""

    PREV_CLOSE = "prev_close"
    NEXT_OPEN = "next_open"
    CLOSE = "close"

    @property
    def session_offset(self) -> int:
        """Sessions from D's session to the session whose price is paid (-1 or 0)."""
        return -1 if self is EntryConvention.PREV_CLOSE else 0

    @property
    def buys_at_open(self) -> bool:
        """True when the entry price is an open rather than a close."""
        return self is EntryConvention.NEXT_OPEN

    @property
    def description(self) -> str:
        """One phrase for reports: the price paid on entry day D."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    EntryConvention.PREV_CLOSE: "bought at the close of the last session before the entry day",
    EntryConvention.NEXT_OPEN: "bought at the open of the entry day (the engine's fill)",
    EntryConvention.CLOSE: "bought at the close of the entry day",
}

DEFAULT_CONVENTION = EntryConvention.NEXT_OPEN


def parse_convention(value: str | EntryConvention) -> EntryConvention:
    """The convention named ``value``; BadInputError listing the valid names otherwise."""
    try:
        return EntryConvention(value)
    except ValueError:
        names = ", ".join(c.value for c in EntryConvention)
        raise BadInputError(
            f"Unknown entry convention {value!r}; use one of {names} (default "
            f"{DEFAULT_CONVENTION.value})."
        ) from None
