"""The catalysts an article leans on, mapped to the built-in signals.

- ``layoffs``: layoffs, job cuts, headcount or workforce reductions, jobs shed or cut;
- ``capex``: capex, capital expenditure or spending, data-centre build-outs, money invested
  or poured into something;
- ``margin``: margins, operating income or profit, profitability.

Each signal is listed once, with the first sentence that names it. A sentence that names
only other companies ("Microsoft's capex bill keeps rising") is about them and is passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIGNAL_ORDER = ("margin", "layoffs", "capex")
_PATTERNS = {
    "layoffs": re.compile(
        r"\blay-?offs?\b|\blaid\s+off\b|\bjob\s+cuts?\b|\b(?:headcount|workforce|staff)\s+"
        r"(?:reductions?|cuts?)\b|\b(?:shed\w*|cut\w*|eliminat\w*|slash\w*)\s+(?:[\w,]+\s+)"
        r"{0,3}(?:jobs|roles|positions|employees|workers|staff)\b",
        re.I,
    ),
    "capex": re.compile(
        r"\bcapex\b|\bcapital\s+(?:expenditures?|spending)\b|\bdata[\s-]+cent(?:er|re)s?\s+"
        r"(?:build|spend|invest)\w*|\b(?:invest\w*|pour\w*|spend\w*|spent|plow\w*)\s+"
        r"(?:(?:more\s+than|over|about|some)\s+)?\$\s?\d",
        re.I,
    ),
    "margin": re.compile(
        r"\bmargins?\b|\boperating\s+(?:income|profits?)\b|\bprofitability\b", re.I
    ),
}


@dataclass(frozen=True)
class Catalyst:
    """A built-in ``signal`` the article names, with the first ``sentence`` naming it."""

    signal: str
    sentence: str


def find_catalysts(sentences: list[str], elsewhere: frozenset[int] = frozenset()) -> list[Catalyst]:
    """The catalysts named, in ``SIGNAL_ORDER`` (the flagship's order); the sentences whose
    indexes are in ``elsewhere`` (naming only other companies than the subject) are skipped."""
    found = {}
    for at, sentence in enumerate(sentences):
        if at in elsewhere:
            continue
        for signal, pattern in _PATTERNS.items():
            if signal not in found and pattern.search(sentence):
                found[signal] = Catalyst(signal, sentence)
    return [found[s] for s in SIGNAL_ORDER if s in found]
