"""When an article became public: its dateline or "Published ..." line, or a date in its
address, and the time of day when one is given in a known time zone.

Read, in this order: a line starting "Published" (or "Posted", "First published", "Date")
followed at once by its date ("Posted revenue of $5 billion on July 15, 2025" is no such
line); a line among the first eight that is a date alone or beside a byline ("By Jane Doe |
July 15, 2025"); a full date in the address (``/2025/07/15/``, ``2025-07-15``, ``20250715``). Dates
are written ``July 15, 2025``, ``Jul. 15, 2025``, ``15 July 2025`` or ``2025-07-15``. A time
("9:15 AM ET", "14:05 UTC") counts only with its zone (ET, EST, EDT, Eastern, CT, PT, UTC,
GMT) and is converted to New York time. "Updated" lines are never the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))  # "september", ..., "jan"
_MONTH = rf"(?P<month>{MONTH_NAME})\.?"
_DATE_FORMS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)
_TIME = re.compile(
    r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<half>[ap]\.?m\.?)?\s*"
    r"(?P<zone>ET|EST|EDT|Eastern(?:\s+Time)?|CT|CST|CDT|PT|PST|PDT|UTC|GMT)\b",
    re.I,
)
_ZONES = {
    "et": NEW_YORK,
    "est": NEW_YORK,
    "edt": NEW_YORK,
    "eastern": NEW_YORK,
    "eastern time": NEW_YORK,
    "ct": ZoneInfo("America/Chicago"),
    "cst": ZoneInfo("America/Chicago"),
    "cdt": ZoneInfo("America/Chicago"),
    "pt": ZoneInfo("America/Los_Angeles"),
    "pst": ZoneInfo("America/Los_Angeles"),
    "pdt": ZoneInfo("America/Los_Angeles"),
    "utc": dt.UTC,
    "gmt": dt.UTC,
}
_PUBLISHED = re.compile(  # the word, then the date at once: "Published: Tue, July 15, 2025"
    r"^(?:first\s+)?(?:published|posted|date)\b\s*:?\s*(?:on\s+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?",
    re.I,
)
_UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.I)
_URL_DATE = (
    re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?:/|$|[^\d])"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<mnum>[01]\d)(?P<day>[0-3]\d)(?!\d)"),
)
HEAD_LINES = 8


@dataclass(frozen=True)
class Published:
    """The publication ``date``, its New York ``time`` when stated, the ``words`` they were
    read from, and where (``how``: published line, dateline or address)."""

    date: dt.date
    time: dt.time | None
    words: str
    how: str


def find_date(text: str, url: str | None = None) -> Published | None:
    """The article's publication date (see the module docstring), or None."""
    lines = text.split("\n")
    for line in lines:
        head = _PUBLISHED.match(line)
        if head and not _UPDATED.search(line[:12]):
            found = _date_in(line, at=head.end())
            if found:
                return Published(found, _time_in(line, found), line.strip(), "published line")
    for number, line in enumerate(lines[:HEAD_LINES]):
        if _UPDATED.search(line):
            continue
        found = _date_in(line)
        # the headline ("Apple earnings: October 30, 2025") is a dateline only as a bare date
        if found and _is_dateline(line, words=0 if number == 0 else 2):
            return Published(found, _time_in(line, found), line.strip(), "dateline")
    if url:
        for pattern in _URL_DATE:
            match = pattern.search(url)
            if match:
                day = _make(match.group("year"), match.group("mnum"), match.group("day"))
                if day:
                    return Published(day, None, url, "address")
    return None


def _is_dateline(line: str, *, words: int = 2) -> bool:
    """A line that is a date, perhaps with a time, weekday or byline, and at most ``words``
    other words ("NEW YORK"), no sentence."""
    rest = line
    for pattern in (*_DATE_FORMS, _TIME):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?", " ", rest, flags=re.I)
    rest = re.sub(r"^.*\b(?i:by)\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3}", " ", rest)
    return len(re.findall(r"[A-Za-z]{3,}", rest)) <= words


def _date_in(line: str, *, at: int | None = None) -> dt.date | None:
    """The first valid date of ``line``; with ``at``, only a date starting there."""
    for pattern in _DATE_FORMS:
        match = pattern.search(line) if at is None else pattern.match(line, at)
        if match:
            groups = match.groupdict()
            month = groups.get("mnum") or str(_MONTHS[groups["month"].lower()])
            day = _make(groups["year"], month, groups["day"])
            if day:
                return day
    return None


def _make(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _time_in(line: str, day: dt.date) -> dt.time | None:
    match = _TIME.search(line)
    if not match:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    half = (match.group("half") or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    zone = _ZONES[re.sub(r"\s+", " ", match.group("zone").lower())]
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    local = moment.astimezone(NEW_YORK)
    if local.date() != day:
        return None  # the zone moves it to another New York day: too unsure to use
    return local.time()
