"""The stance an article takes: buy, sell or hold, read from rating words in rating form.

A rating word counts only where it is used as a rating, never as an ordinary verb:

- next to a rating noun: "a buy rating", "Rating: Sell", "our recommendation is outperform",
  "A Buy Signal";
- quoted: 'a "buy" rating';
- after a rating verb or copula: "is a buy", "remains a strong buy", "rated outperform",
  "rate Berkshire Outperform" (a rating word capitalised after the company),
  "upgrade to buy", "downgrade to sell", "reiterate our overweight";
- the author's own action: "we would buy", "I am selling", "we recommend buying", "we are
  short", "stay underweight";
- an imperative headline or sentence start: "Buy Amazon", "Sell Meta before earnings".

Buy words: buy, strong buy, outperform, overweight, accumulate, add. Sell words: sell, strong
sell, underperform, underweight, avoid, short, reduce. Hold words: hold, neutral, market
perform, equal weight, sector perform. "Buy and hold", "buyback", "sell-off" and "short-term"
are not ratings. A rating with a negation in the three words before it ("we would not buy",
"not a sell", "no longer a buy") is dropped, not turned into its opposite; a rating reported
from others ("analysts rate it a buy", "the consensus is hold", a quotation followed by
"..., Lowe said", "Goldman Sachs rates Apple a buy", "..., says Jane Doe") is not the
author's unless the sentence speaks in the first person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BUY = r"strong[\s-]+buy|buy(?:ing)?|outperform|overweight|accumulate|add(?:ing)?"
_SELL = (
    r"strong[\s-]+sell|sell(?:ing)?|underperform|underweight|avoid(?:ing)?|short(?:ing)?|"
    r"reduce"
)
_HOLD = r"hold|neutral|market[\s-]+perform|sector[\s-]+perform|equal[\s-]+weight|peer[\s-]+perform"
_WORD = rf"(?P<word>{_BUY}|{_SELL}|{_HOLD})"
_NOUN = r"(?:rating|recommendation|call|verdict|stance|signal|view|position)"
_CONTEXTS = (
    rf"\b{_WORD}\s+{_NOUN}\b",
    rf"\b{_NOUN}\s*(?::|is|remains|stays|of|to|at|as)\s*(?:a\s+|an\s+|at\s+)?[\"“‘']?{_WORD}\b",
    rf"[\"“‘']{_WORD}[\"”’']",
    rf"\b(?:is|remains|stays|as|was|be)\s+(?:a|an)\s+{_WORD}\b",
    rf"\b(?:rate[sd]?|rating)\s+(?:[\w$.:&'’()\-]+\s+){{1,5}}(?:a|an|as|at)\s+{_WORD}\b",
    r"\b(?:rate[sd]?|rating)\s+(?:[\w$.:&'’()\-]+\s+){1,5}(?P<word>(?-i:(?:Strong\s+)?(?:Buy|"
    r"Sell|Hold|Neutral|Outperform|Underperform|Overweight|Underweight|Accumulate|Reduce)))\b",
    rf"\b(?:rated?|rates|rating\s+(?:it|the\s+stock|shares)|"
    rf"(?:upgrade|downgrade)[sd]?\s+(?:[\w$.,:&'’()\-]+\s+){{0,6}}to|"
    rf"(?:cut|raise|move)[sd]?\s+(?:\w+\s+){{0,3}}to|"
    rf"initiat\w+\s+(?:\w+\s+){{0,4}}(?:at|with)|reiterat\w+|maintain\w*)\s+"
    rf"(?:(?:our|a|an|its|the)\s+)?{_WORD}\b",
    rf"\b(?:we|i)(?:'re|'m|'d|’re|’m|’d)?(?:\s+(?:would|will|do|did|continue\s+to|recommend|'d|are|am|remain|'re|'m|"
    rf"keep|still|now|not|n't|never|no\s+longer|won't|don't)){{0,3}}\s+(?P<word>{_BUY}|{_SELL})\b",
    r"(?:^|[:\-–—]\s+)(?P<imperative>strong\s+buy|strong\s+sell|buy|sell|short|avoid|accumulate)"
    r"\s+(?:shares\s+of\s+|the\s+stock\b|(?-i:[A-Z$(]))",
    rf"\b(?:go|going|stay|staying)\s+{_WORD}\b",
)
_PATTERNS = tuple(re.compile(p, re.IGNORECASE) for p in _CONTEXTS)
_IMPERATIVE_CASE = re.compile(r"[A-Z]")
_NOT_RATINGS = re.compile(
    r"buy[\s-]+and[\s-]+hold|buy[\s-]?backs?|sell[\s-]?offs?|short[\s-]+(?:term|interest|"
    r"sellers?|squeeze|of|lived|list|run)|in\s+short|fell\s+short|falls?\s+short|hold(?:ers|"
    r"ings?)|add(?:ed|ing)?\s+(?:to|up|that)|reduce[sd]?\s+(?:costs?|expenses?|the|its|"
    r"headcount|risk)|avoid(?:ing)?\s+(?:the\s+)?(?:risk|disrupt\w*|cost\w*)|equal[\s-]+weight(?:ed)?\s+"
    r"(?:basket|portfolio|index)",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|no|n't|nor|neither|hardly|without)\b|n't\b", re.IGNORECASE
)
_OTHERS = re.compile(
    r"\b(?:analysts?|consensus|wall\s+street|the\s+street|brokers?|critics|some\s+investors|"
    r"other\s+investors|many\s+investors|bulls|bears)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rating:
    """One rating read from ``sentence`` (its index ``number``): ``stance`` buy, sell or
    hold, the rating ``words``; ``negated``/``reported``: dropped because negated, or said
    by others than the author."""

    stance: str
    words: str
    sentence: str
    number: int
    negated: bool = False
    reported: bool = False

    @property
    def counts(self) -> bool:
        """True when the rating is the author's own and not negated."""
        return not (self.negated or self.reported)


def stance_of(word: str) -> str:
    """buy, sell or hold for a rating word (any case or spacing)."""
    word = re.sub(r"[\s-]+", " ", word.lower())
    if re.fullmatch(_BUY, word):
        return "buy"
    if re.fullmatch(_SELL, word):
        return "sell"
    return "hold"


# Another's rating: a third-person rating verb ("Goldman Sachs rates Apple a buy", "JPMorgan
# upgraded it to overweight") or reported speech ("..., says Jane Doe", "according to
# Bernstein"), in a sentence where the author does not speak in the first person.
_THIRD_PERSON_VERB = re.compile(
    r"^(?:rates|rated|(?:upgrade|downgrade|reiterate|initiate)[sd]|maintain(?:s|ed)|"
    r"(?:raise|move)[sd]|cuts)\b",
    re.IGNORECASE,
)  # the verb the rating's context starts with
_RATING_VERB_BEFORE = re.compile(
    r"\b(?:rates|rated|(?:upgrade|downgrade|reiterate|initiate)[sd])\b", re.IGNORECASE
)  # a rating verb shortly before a rating noun: "reiterated its overweight rating"
_REPORTED_SPEECH = re.compile(
    r"\b(?:says|said|told|according\s+to|argues|argued|believes|wrote|writes)\b", re.IGNORECASE
)
_FIRST_PERSON = re.compile(r"\b(?i:we|our|my)\b|\bI\b|\b(?i:we|i)['’]")


def _others_rating(sentence: str, match: re.Match[str], start: int) -> bool:
    """The rating (its word at ``start``) is another's by its verb or by reported speech,
    and the author does not speak in the first person anywhere in the sentence."""
    by_other = (
        _THIRD_PERSON_VERB.match(match.group(0))
        or _RATING_VERB_BEFORE.search(sentence[max(0, start - 40) : start])
        or _REPORTED_SPEECH.search(sentence)
    )
    return bool(by_other) and not _FIRST_PERSON.search(sentence)


_QUOTES = re.compile(r"[\"“”]")
_SPEECH = re.compile(r"^[^\"“”]*[\"”]\s*,?\s*(?:[A-Z][\w.'\-]*\s+){0,3}(?:said|says|told|added)\b")


def _quoted_speech(sentence: str, start: int, end: int) -> bool:
    """The rating is inside a quotation attributed to someone ('"We are short Meta," Lowe
    said'): a quoted speaker's rating, not the author's."""
    inside = len(_QUOTES.findall(sentence[:start])) % 2 == 1
    return inside and bool(_SPEECH.search(sentence[end:]))


def find_ratings(sentences: list[str]) -> list[Rating]:
    """Every rating of the sentences, in order, negated and reported ones included (flagged)."""
    found: list[Rating] = []
    for number, sentence in enumerate(sentences):
        excluded = [m.span() for m in _NOT_RATINGS.finditer(sentence)]
        seen: set[int] = set()
        for pattern in _PATTERNS:
            for match in pattern.finditer(sentence):
                group = "imperative" if "imperative" in pattern.groupindex else "word"
                if match.group(group) is None:
                    continue
                start, end = match.span(group)
                if start in seen or any(a <= start < b for a, b in excluded):
                    continue
                if group == "imperative" and not _IMPERATIVE_CASE.match(match.group(group)):
                    continue
                seen.add(start)
                before = sentence[:start]
                window = " ".join(re.findall(r"[\w']+", before)[-3:])
                # and before the rating's verb: "we would not downgrade Apple (AAPL) to Sell"
                window += " " + " ".join(re.findall(r"[\w']+", sentence[: match.start()])[-3:])
                found.append(
                    Rating(
                        stance=stance_of(match.group(group)),
                        words=sentence[start:end],
                        sentence=sentence,
                        number=number,
                        negated=bool(_NEGATION.search(window)),
                        reported=bool(_OTHERS.search(before))
                        or _quoted_speech(sentence, start, end)
                        or _others_rating(sentence, match, start),
                    )
                )
    return found
