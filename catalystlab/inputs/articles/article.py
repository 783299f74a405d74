"""An article read into a call: its subject, stance, date, benchmarks, catalysts and claims.

The subject is the company the call is about, never merely the most named one: the single
company of the headline; else the single company named in the author's rating sentences;
else the only company the article names. Anything else is ambiguous and asks for
``--ticker``. The stance is the author's ratings of the subject (ratings in sentences that
name only other companies are about those); buy and sell together ask for ``--stance``.
Hold, no rating and no date make the article not a call: ``problems`` says why, quoting it.

Entry timing (New York time): published before the 9:30 open: the open of that day
(``next_open``); during the session: that day's ``close``; after the 16:00 close, or at an
unknown hour: the open of the next day. ``--date`` or ``--window`` are taken as given, with
the entry at the open of the date (the window's last day), as the flagship.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from catalystlab.core.dates import user_date
from catalystlab.core.errors import BadInputError
from catalystlab.core.tickers import parse_ticker
from catalystlab.inputs.articles.catalysts import Catalyst, find_catalysts
from catalystlab.inputs.articles.claims import DraftClaim, draft_claims
from catalystlab.inputs.articles.dates import Published, find_date
from catalystlab.inputs.articles.stance import Rating, find_ratings
from catalystlab.inputs.articles.text import article_text, clip, sentences
from catalystlab.inputs.articles.tickers import Mention, find_mentions

DEFAULT_BENCHMARKS = ("SPY", "QQQ")
MARKET_OPEN = dt.time(9, 30)
MARKET_CLOSE = dt.time(16, 0)
QUOTE = 160  # characters of a sentence quoted in a message
_BYLINE = re.compile(
    r"^(?:By|Written\s+by|Author:?)\s+(?P<name>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})"
)


@dataclass(frozen=True, kw_only=True)
class Article:
    """What an article says, as read (every value keeps the sentence it came from).

    ``ticker``: the subject (None when unknown); ``rivals``: other companies named (Yahoo
    symbols, first-named first); ``indexes``: index funds named as yardsticks; ``stance``:
    buy, sell, hold or None; ``date``: the entry day, ``window``: first and last day the call
    may have become public, ``entry``: the entry convention; ``benchmarks``: the call's
    tickers to beat; ``problems``: why the article is not a call (empty when it is)."""

    title: str
    text: str
    url: str | None
    source: str | None
    ticker: str | None
    ticker_sentence: str
    rivals: tuple[str, ...]
    indexes: tuple[str, ...]
    mentions: tuple[Mention, ...]
    stance: str | None
    stance_sentence: str
    ratings: tuple[Rating, ...]
    published: Published | None
    date: dt.date | None
    window: tuple[dt.date, dt.date] | None
    entry: str
    timing: str
    benchmarks: tuple[str, ...]
    catalysts: tuple[Catalyst, ...]
    claims: tuple[DraftClaim, ...]
    sentences: tuple[str, ...] = field(repr=False)
    problems: tuple[str, ...]

    @property
    def is_call(self) -> bool:
        """True when the article is a buy or sell call on a known ticker with a date."""
        return not self.problems

    def sentence_naming(self, ticker: str, width: int = 70) -> str:
        """The words around the first mention of ``ticker``: up to ``width`` characters each
        side, with '...' where the sentence goes on."""
        first = next(m for m in self.mentions if m.ticker == ticker)
        sentence = self.sentences[first.sentence]
        at = sentence.find(first.words)
        start, end = max(0, at - width), min(len(sentence), at + len(first.words) + width)
        if start > 0:  # whole words only
            start = sentence.find(" ", start) + 1 or start
        cut = sentence.rfind(" ", at + len(first.words), end)
        if end < len(sentence) and cut > 0:
            end = cut
        head = "..." if start > 0 else ""
        tail = "..." if end < len(sentence) else ""
        return head + sentence[start:end].strip() + tail


def read_article(
    text: str | bytes,
    *,
    date: dt.date | str | None = None,
    window: tuple[dt.date | str, dt.date | str] | None = None,
    url: str | None = None,
    ticker: str | None = None,
    stance: str | None = None,
) -> Article:
    """Read an article (plain text or HTML) into an :class:`Article`. ``date`` or ``window``
    (first and last day it may have become public) replace a date the text lacks; ``ticker``
    and ``stance`` settle what the text leaves ambiguous. BadInputError for text that is
    empty, too long, binary or not UTF-8."""
    plain = article_text(text)
    lines = plain.split("\n")
    parts = sentences(plain)
    title_count = len(sentences(lines[0]))
    mentions = find_mentions(parts)
    ratings = find_ratings(parts)
    problems: list[str] = []
    subject, subject_sentence, subject_problem = _subject(
        mentions, ratings, parts, title_count, ticker
    )
    if subject_problem:
        problems.append(subject_problem)
    stance_value, stance_sentence, stance_problem = _stance(ratings, mentions, subject, stance)
    if stance_problem:
        problems.append(stance_problem)
    published = find_date(plain, url)
    day, span, entry, timing, date_problem = _timing(published, date, window)
    if date_problem:
        problems.append(date_problem)
    companies = [m for m in mentions if not m.index and not m.research]
    rivals = tuple(dict.fromkeys(m.ticker for m in companies if m.ticker != subject))
    indexes = tuple(dict.fromkeys(m.ticker for m in mentions if m.index))
    named: dict[int, set[str]] = {}
    for m in companies:
        named.setdefault(m.sentence, set()).add(m.ticker)
    benchmarks = tuple(
        b for b in dict.fromkeys((*DEFAULT_BENCHMARKS, *indexes, *rivals)) if b != subject
    )
    return Article(
        title=lines[0],
        text=plain,
        url=url,
        source=_byline(lines),
        ticker=subject,
        ticker_sentence=subject_sentence,
        rivals=rivals,
        indexes=indexes,
        mentions=tuple(mentions),
        stance=stance_value,
        stance_sentence=stance_sentence,
        ratings=tuple(ratings),
        published=published,
        date=day,
        window=span,
        entry=entry,
        timing=timing,
        benchmarks=benchmarks,
        catalysts=tuple(
            find_catalysts(parts, frozenset(i for i, ts in named.items() if subject not in ts))
        ),
        claims=tuple(draft_claims(parts, subject=subject, companies=named, window=span)),
        sentences=tuple(parts),
        problems=tuple(problems),
    )


def _subject(
    mentions: list[Mention],
    ratings: list[Rating],
    parts: list[str],
    title_count: int,
    given: str | None,
) -> tuple[str | None, str, str]:
    """(ticker, the sentence it was read from, problem)."""
    companies = [m for m in mentions if not m.index and not m.research]
    if given:
        try:
            return parse_ticker(given), "given with --ticker", ""
        except ValueError as error:
            raise BadInputError(f"--ticker: {error}.") from None
    in_title = {m.ticker for m in companies if m.sentence < title_count}
    if len(in_title) == 1:
        (symbol,) = in_title
        return symbol, _first(companies, symbol, parts), ""
    rated = {r.number for r in ratings if r.counts}
    in_ratings = {m.ticker for m in companies if m.sentence in rated}
    if len(in_ratings) == 1:
        (symbol,) = in_ratings
        return symbol, _first(companies, symbol, parts), ""
    everyone = list(dict.fromkeys(m.ticker for m in companies))
    if len(everyone) == 1:
        return everyone[0], _first(companies, everyone[0], parts), ""
    if not everyone:
        return None, "", "it names no company or ticker the reader recognises; give --ticker"
    candidates = sorted(in_title or in_ratings or set(everyone))
    return (
        None,
        "",
        f"the company it is about is unclear (it names {', '.join(candidates)} in its headline "
        "or ratings); give --ticker",
    )


def _first(companies: list[Mention], symbol: str, parts: list[str]) -> str:
    return parts[next(m.sentence for m in companies if m.ticker == symbol)]


def _stance(
    ratings: list[Rating], mentions: list[Mention], subject: str | None, given: str | None
) -> tuple[str | None, str, str]:
    """(stance, its sentence, problem)."""
    if given:
        if given not in ("buy", "sell"):
            return None, "", f"--stance {given!r}: use buy or sell"
        return given, "given with --stance", ""
    named: dict[int, set[str]] = {}
    for m in mentions:
        if not m.index:
            named.setdefault(m.sentence, set()).add(m.ticker)
    own = [
        r
        for r in ratings
        if r.counts and (not named.get(r.number) or subject in named.get(r.number, set()))
    ]
    stances = list(dict.fromkeys(r.stance for r in own))
    if not own:
        dropped = next((r for r in ratings if not r.counts), None)
        if dropped is not None:
            why = "negated" if dropped.negated else "said by others, not the author"
            return (
                None,
                dropped.sentence,
                (
                    f'its only rating is {why} ("{clip(dropped.sentence, QUOTE)}"), so it is not '
                    "a buy or sell call; give --stance buy|sell if it is one"
                ),
            )
        return (
            None,
            "",
            (
                "it gives no buy or sell rating (no rating word used as a rating), so it is not a "
                "call; give --stance buy|sell if it is one"
            ),
        )
    if set(stances) == {"hold"}:
        return (
            "hold",
            own[0].sentence,
            (
                f'it rates the stock hold/neutral ("{clip(own[0].sentence, QUOTE)}"): a hold is '
                "not a buy or sell call"
            ),
        )
    calls = [s for s in stances if s != "hold"]
    if len(calls) > 1:
        buy = next(r for r in own if r.stance == "buy")
        sell = next(r for r in own if r.stance == "sell")
        return (
            None,
            "",
            (
                f'it rates both buy ("{clip(buy.sentence, QUOTE)}") and sell '
                f'("{clip(sell.sentence, QUOTE)}"); give --stance'
            ),
        )
    chosen = next(r for r in own if r.stance == calls[0])
    return chosen.stance, chosen.sentence, ""


def _timing(
    published: Published | None,
    date: dt.date | str | None,
    window: tuple[dt.date | str, dt.date | str] | None,
) -> tuple[dt.date | None, tuple[dt.date, dt.date] | None, str, str, str]:
    """(entry day, publication window, entry convention, how it was set, problem)."""
    if window is not None:
        first, last = (user_date(d, "--window") for d in window)
        if last < first:
            return None, None, "next_open", "", f"--window {first} {last} is reversed"
        return (
            last,
            (first, last),
            "next_open",
            (
                f"published between {first} and {last} (--window): entered at the open of {last}, "
                "the last day"
            ),
            "",
        )
    if date is not None:
        day = user_date(date, "--date")
        return day, (day, day), "next_open", f"published {day} (--date): entered at its open", ""
    if published is None:
        return (
            None,
            None,
            "next_open",
            "",
            (
                "it carries no publication date (no dateline, 'Published' line or date in the "
                "address); give --date or --window"
            ),
        )
    day, when = published.date, published.time
    if when is not None and when < MARKET_OPEN:
        return (
            day,
            (day, day),
            "next_open",
            (
                f"published {day} at {when:%H:%M} New York time, before the open: entered at that "
                "day's open"
            ),
            "",
        )
    if when is not None and when < MARKET_CLOSE:
        return (
            day,
            (day, day),
            "close",
            (
                f"published {day} at {when:%H:%M} New York time, during the session: entered at "
                "that day's close"
            ),
            "",
        )
    after = "after the close" if when is not None else "at an hour not stated"
    return (
        day + dt.timedelta(days=1),
        (day, day + dt.timedelta(days=1)),
        "next_open",
        (f"published {day} {after}: entered at the next day's open"),
        "",
    )


def _byline(lines: list[str]) -> str | None:
    for line in (*lines[:8], *lines[-8:]):
        match = _BYLINE.match(line)
        if match:
            return match.group("name").strip()
    return None
