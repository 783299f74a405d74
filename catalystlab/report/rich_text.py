"""Text for a rich console: whatever a user or a file wrote is shown as written.

rich reads ``[bold]``, ``[/x]`` or ``[link=...]`` in a printed string as markup, and
``:smile:`` as an emoji: user text printed raw loses its bracketed words (a fix "give [first,
last]" printed as "give "), crashes the print (``[/x]`` closes nothing) or changes. Every
string that comes from a user or a file (tickers, ids, labels, paths, messages, table cells
and titles) goes through :func:`literal` before it reaches a console, a table or a rule, and
every console is made by :func:`console` (no emoji codes). A closing tag never follows a
literal directly (a text that ends in a backslash would escape it): style a whole line with
``style=`` instead.
"""

from __future__ import annotations

import re

from rich.console import Console

# A bracket that rich reads as a tag (rich.markup's own pattern), and backslashes before one.
_TAG = re.compile(r"\[[a-z#/@][^[]*?]")
_BRACKET = re.compile(r"(\\*)\[")


def literal(value: object) -> str:
    """``str(value)`` escaped so that rich prints it character for character."""
    text = str(value)

    def escaped(match: re.Match[str]) -> str:
        backslashes = match.group(1)
        if _TAG.match(text, match.end() - 1):
            # each backslash doubled, and one more that makes the tag text
            return backslashes * 2 + "\\["
        # rich drops one backslash before a bracket that is not a tag
        return backslashes + "\\[" if backslashes else "["

    return _BRACKET.sub(escaped, text)


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A rich console (on stderr with ``stderr``) that prints ``:name:`` as written."""
    return Console(stderr=stderr, width=width, emoji=False)
