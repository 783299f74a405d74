"""The numbers an article states, each drafted as a claim with the check that tests it.

Every number of a sentence (a percentage, a dollar amount, a count) becomes a claim; years,
dates, times and index names (S&P 500) are not claims. A number is mapped to a check of the
claims file (``config/claims/README.md``) when its sentence says what it measures:

- **growth of a fundamental** ("operating income surged 86% to $68.6 billion in 2024"):
  ``metric_growth`` of revenue (revenue, sales), operating_income (operating income or
  profit), net_income (net income, net profit, earnings) or capex (capex, capital
  expenditures or spending) for the fiscal year stated, or its quarter ("in Q2 2025", "the
  second quarter of fiscal 2025"); a following "to $X" is its ``claimed_total``;
- **a total** ("revenue reached $638 billion in fiscal 2024"): ``metric_total``;
- **an operating margin's level** ("operating margin reached 10.8% in 2024"):
  ``metric_total`` of ``operating_margin`` (operating income over revenue, a fraction);
- **a layoff headcount and its period** ("shed more than 27,000 jobs over the past three
  years"): ``event_total`` of the company's official layoff announcements in the period,
  counted from the earliest publication day back and up to the latest;
- **an investment total** ("pouring $105 billion into AI"): ``metric_total`` of capex for
  the year stated, or the publication year, ``at_least`` (a part cannot exceed the whole);
  when it names what the money goes into, the claim is ``partial`` (capex is all capital
  spending; the data cannot say how much went to AI).

Comparison words: "more than", "over", "at least", "top" give ``at_least``; "less than",
"under", "at most", "nearly", "almost" ``at_most``; otherwise ``about``. The tolerance is
half the last digit stated (86% -> 0.005; $68.6 billion -> $50M; a headcount's trailing zeros
are rounding: 27,000 -> 500), and 0 after an explicit comparison word. The company is the one
the sentence names, or the subject when it names none; a sentence naming several companies
is not checkable. A number that cannot be mapped (a share of a workforce, a segment's figure
such as "AI semiconductor revenue", a margin's change, a gross margin, a quarter without its
year, a headcount without a period) is kept, as ``not_in_data`` with the reason: nothing is
dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from catalystlab.core.errors import BadInputError
from catalystlab.inputs.articles.dates import MONTH_NAME
from catalystlab.inputs.articles.text import clip

MAX_NUMBERS = 500  # numbers drafted as claims; an article states a few dozen at most
_SCALE = {"trillion": 1e6, "tn": 1e6, "t": 1e6, "billion": 1e3, "bn": 1e3, "b": 1e3,
          "million": 1.0, "mn": 1.0, "m": 1.0}  # fmt: skip
# A number starts where a run of digits does: never inside one ("1,5%" is not "5%"), and
# a failed match costs one pass over the run, not one per digit (hostile text stays linear).
_NUMBER = r"(?<![\d,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MONEY = re.compile(
    rf"\$\s?(?P<num>{_NUMBER})(?:\s*(?P<scale>trillion|billion|million|tn|bn|mn|[TBM])\b)?", re.I
)
_PERCENT = re.compile(rf"(?P<sign>[+\-−])?(?P<num>{_NUMBER})\s*(?:%|percent\b|per\s+cent\b)")
_COUNT = re.compile(rf"(?<![\w$.,])(?P<num>{_NUMBER})(?![\w%]|\.\d|\s*(?:%|percent))")
_YEARISH = re.compile(r"^(?:19|20)\d{2}$")
_METRICS = (
    ("operating_margin", r"operating\s+margins?|margins?"),
    ("operating_income", r"operating\s+(?:income|profits?)"),
    ("net_income", r"net\s+(?:income|profits?)|earnings|profits?"),
    ("revenue", r"revenues?|net\s+sales|sales"),
    ("capex", r"capex|capital\s+(?:expenditures?|spending)"),
)
_OBJECT = "|".join(pattern for _, pattern in _METRICS)  # "grew revenue 14%"
_UP = r"rose|grew|surged|jumped|increased|climbed|soared|gained|up|rising|growing|expanded"
_DOWN = r"fell|declined|dropped|slid|plunged|decreased|down|shrank|falling"
_GROWTH = re.compile(
    rf"\b(?P<dir>{_UP}|{_DOWN})\s+(?:(?:its|their)\s+(?P<obj>{_OBJECT})\s+|(?P<obj2>{_OBJECT})\s+)?"
    rf"(?:by\s+)?(?:about\s+|some\s+|nearly\s+|more\s+than\s+)?"
    rf"(?P<pct>[+\-]?(?:{_NUMBER}))\s*(?:%|percent)"
    rf"|(?P<pct2>{_NUMBER})\s*(?:%|percent)\s+(?P<noun>growth|increase|rise|jump|gain|"
    rf"decline|drop|fall)",
    re.I,
)
_TOTAL_AFTER = re.compile(
    rf"^\s*(?:year[\s-]+over[\s-]+year\s+)?to\s+\$\s?(?P<num>{_NUMBER})"
    r"\s*(?P<scale>trillion|billion|million|tn|bn|mn|[TBM])\b",
    re.I,
)
_FISCAL_YEAR = re.compile(
    r"\b(?:in|for|during|of|over)\s+(?:the\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?|FY\s?)?"
    r"(?P<y1>(?:19|20)\d{2})\b|\b(?:fiscal|FY)\s?(?P<y2>(?:19|20)\d{2})\b",
    re.I,
)
_QUARTER = re.compile(
    r"\b(?:Q(?P<q>[1-4])|(?P<word>first|second|third|fourth)[\s-]+quarter|(?:this|last|the)\s+"
    r"quarter|quarterly)\b",
    re.I,
)
_QUARTER_YEAR = re.compile(
    r"\b(?:Q[1-4]|quarter)\s+(?:of\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?|FY\s?)?'?"
    r"(?P<y>(?:19|20)\d{2})\b",
    re.I,
)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WHOLE = frozenset(
    {"the", "its", "their", "total", "net", "company", "quarterly", "annual", "full-year",
     "overall", "group", "consolidated", "record", "gaap", "adjusted", "a", "an", "and", "with",
     "while", "as", "that", "of", "in", "whose", "which", "his", "her", "our", "reported", "but",
     "so", "when", "after", "since", "because", "where", "on", "for", "by", "to", "from", "at",
     "than", "this", "these", "those", "has", "had", "have", "is", "are", "was", "were", "said",
     "says", "yearly", "both", "all", "operating", "posted", "generated", "delivered", "booked",
     "grew", "increased", "boosted", "lifted", "raised"}
)  # fmt: skip
_FORECAST = frozenset({"guided", "guides", "guidance", "expected", "expects", "forecast",
                       "projected", "planned", "plans"})  # fmt: skip
_MARGIN_LEVEL = re.compile(
    rf"\boperating\s+margins?\b[^.%$]{{0,40}}?\b(?:to|of|at|was|were|reached|hit|stood\s+at|"
    rf"came\s+in\s+at)\s+(?P<num>{_NUMBER})\s*(?:%|percent)",
    re.I,
)
_LAYOFF = re.compile(
    rf"\b(?:cut|cuts|cutting|shed|sheds|shedding|laid\s+off|lay\s+off|lays\s+off|laying\s+off|"
    rf"eliminat\w+|slash\w*|axed|axes|axing|lost|trimm?\w*)\s+(?:(?:more\s+than|over|about|"
    rf"around|roughly|nearly|almost|some|at\s+least|up\s+to|another|an\s+additional)\s+)?"
    rf"(?P<num>{_NUMBER})\s+(?:\w+\s+)?(?:jobs|roles|employees|positions|workers|staff|people)"
    rf"|(?P<num2>{_NUMBER})\s+(?:job\s+cuts|layoffs|job\s+losses)",
    re.I,
)
_INVEST = re.compile(
    r"\b(?:invest\w*|pour\w*|spend\w*|spent|commit\w*|allocat\w*|plow\w*|pump\w*|earmark\w*|"
    r"put\w*|pledg\w*)\s+(?:(?:more\s+than|over|about|around|roughly|nearly|almost|some|at\s+"
    r"least|up\s+to|an\s+estimated)\s+)?(?=\$)",
    re.I,
)
_INTO = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:into|in|on|toward|towards|for)\s+(?P<what>[^,;.—–-]+)")
_AT_LEAST = re.compile(
    r"(?:more\s+than|over|at\s+least|exceed\w*|upwards\s+of|tops?|topping|surpass\w*)\s*$", re.I
)
_AT_MOST = re.compile(r"(?:less\s+than|under|at\s+most|nearly|almost|up\s+to|below)\s*$", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTH_NAME})\.?\s+$", re.I)  # "March 5", not "summary 5"
_INDEX_NAME = re.compile(r"(?:S&P|Russell|Nasdaq|Stoxx|FTSE|Nikkei|Wilshire)[\s-]?$")
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "a": 1, "last": 1, "past": 1}  # fmt: skip
_PERIOD_SPAN = re.compile(
    r"\b(?:over|in|during|within)\s+the\s+(?:past|last|previous)\s+(?:(?P<n>\d+|one|two|three|"
    r"four|five|six|seven|eight|nine|ten)\s+)?(?P<unit>years?|months?)\b",
    re.I,
)
_PERIOD_SINCE = re.compile(r"\bsince\s+(?:early\s+|late\s+|mid-?)?(?P<year>(?:19|20)\d{2})\b", re.I)
_PERIOD_BETWEEN = re.compile(
    r"\b(?:between|from)\s+(?P<a>(?:19|20)\d{2})\s+(?:and|to|through)\s+(?P<b>(?:19|20)\d{2})\b",
    re.I,
)
_PERIOD_YEAR = re.compile(r"\b(?:in|during|throughout)\s+(?P<year>(?:19|20)\d{2})\b", re.I)
_PERIOD_THIS = re.compile(r"\b(?P<which>this|last)\s+year\b", re.I)


@dataclass(frozen=True)
class DraftClaim:
    """One number of the article as a claim: ``id``, the ``sentence`` it is in, the
    ``number`` as written, its ``check`` (a claims-file check mapping) and, for a claim that
    cannot be checked, the ``reason``; ``context`` for a partial claim or a note."""

    id: str
    sentence: str
    number: str
    check: dict[str, Any]
    reason: str = ""
    partial: bool = False
    context: str = ""
    also: tuple[str, ...] = field(default=())

    @property
    def checkable(self) -> bool:
        """True when the check measures something (not ``not_in_data``)."""
        return self.check["kind"] != "not_in_data"


def draft_claims(
    sentences: list[str],
    *,
    subject: str | None,
    companies: dict[int, set[str]],
    window: tuple[dt.date, dt.date] | None,
) -> list[DraftClaim]:
    """A claim for every number of the ``sentences``. ``companies``: the non-index tickers
    each sentence (by index) names; ``window``: the first and last possible publication
    days (None when unknown: periods relative to it cannot be checked)."""
    drafts: list[DraftClaim] = []
    for number, sentence in enumerate(sentences):
        ticker = _ticker(companies.get(number, set()), subject)
        used: list[tuple[int, int]] = []
        drafts.extend(
            (
                *_growth_claims(sentence, ticker, window, used),
                *_margin_claims(sentence, ticker, window, used),
                *_layoff_claims(sentence, ticker, window, used),
                *_investment_claims(sentence, ticker, window, used),
                *_total_claims(sentence, ticker, window, used),
                *_other_numbers(sentence, used),
            )
        )
        if len(drafts) > MAX_NUMBERS:
            raise BadInputError(
                f"the article states more than {MAX_NUMBERS} numbers: a data table, not an "
                "article; give the article's text alone."
            )
    return _numbered(_merged(drafts))


def _ticker(named: set[str], subject: str | None) -> str | None:
    if len(named) == 1:
        return next(iter(named))
    return subject if not named else None


def _no_ticker(ticker: str | None) -> str:
    return "" if ticker else "the sentence names several companies (or the subject is unknown)"


def _value(num: str) -> float:
    return float(num.replace(",", ""))


def _half_unit(num: str, scale: float = 1.0, *, rounded_zeros: bool = False) -> float:
    """Half the last stated digit, times ``scale``: '86' -> 0.5, '68.6' -> 0.05; with
    ``rounded_zeros`` (a headcount), trailing zeros are rounding: '27,000' -> 500."""
    digits = num.replace(",", "")
    if "." in digits:
        return round(0.5 * 10 ** -len(digits.split(".")[1]) * scale, 10)
    zeros = len(digits) - len(digits.rstrip("0")) if rounded_zeros and digits.strip("0") else 0
    return round(0.5 * 10**zeros * scale, 10)


def _comparison(before: str) -> tuple[str, bool]:
    """(comparison, explicit) from the words before a number."""
    if _AT_LEAST.search(before):
        return "at_least", True
    if _AT_MOST.search(before):
        return "at_most", True
    return "about", False


def _fiscal_year(sentence: str, window: tuple[dt.date, dt.date] | None) -> int | None:
    """The one fiscal year the sentence names ("in 2024", "fiscal 2025", "this year")."""
    years = {int(m.group("y1") or m.group("y2")) for m in _FISCAL_YEAR.finditer(sentence)}
    years |= {int(m.group("y")) for m in _QUARTER_YEAR.finditer(sentence)}
    if window is not None:
        years |= {
            window[1].year - (m.group("which").lower() == "last")
            for m in _PERIOD_THIS.finditer(sentence)
        }
    return years.pop() if len(years) == 1 else None


def _metric(sentence: str, end: int) -> tuple[str, int] | None:
    """The metric named last before position ``end`` of the sentence, and where."""
    best: tuple[int, str] | None = None
    for name, pattern in _METRICS:
        for match in re.finditer(rf"\b(?:{pattern})\b", sentence[:end], re.I):
            if best is None or match.start() > best[0]:
                best = (match.start(), name)
    return (best[1], best[0]) if best else None


def _period_problem(
    sentence: str, metric: tuple[str, int], ticker: str | None, year: int | None
) -> tuple[int | None, str]:
    """(fiscal quarter or None, the reason the figure cannot be checked or '')."""
    name, start = metric
    before = re.findall(r"[\w&'’\-]+", sentence[:start])
    previous = before[-1] if before else ""
    if previous.lower() in _FORECAST:
        return (
            None,
            f"a forecast ('{previous} {sentence[start:].split()[0]}'), not a reported figure; "
            "check it against the fiscal year's figure by hand once reported",
        )
    if previous and not (
        previous.lower() in _WHOLE or previous.endswith(("'s", "’s")) or previous[0].isdigit()
    ):
        return (
            None,
            f"a segment's figure ('{previous} {sentence[start:].split()[0]}'); the "
            "checks measure the whole company",
        )
    if name == "operating_margin" and not re.match(r"operating", sentence[start:], re.I):
        return None, "a margin other than the operating margin"
    quarter = _QUARTER.search(sentence)
    number = None
    if quarter:
        number = (
            int(quarter.group("q"))
            if quarter.group("q")
            else _QUARTER_WORDS.get((quarter.group("word") or "").lower())
        )
        if number is None:
            return None, "a quarter not named (Q1 to Q4)"
    if not ticker:
        return number, _no_ticker(ticker)
    if year is None:
        return number, "no fiscal year is stated"
    return number, ""


def _growth_claims(
    sentence: str, ticker: str | None, window: tuple[dt.date, dt.date] | None, used: list
) -> list[DraftClaim]:
    found = []
    for match in _GROWTH.finditer(sentence):
        pct = match.group("pct") or match.group("pct2")
        named = match.end("obj") if match.group("obj") else match.end("obj2")
        metric = _metric(sentence, named if named > 0 else match.start())
        if metric is None:
            continue
        used.append(match.span())
        down = re.fullmatch(_DOWN, match.group("dir") or match.group("noun") or "", re.I) or (
            (match.group("noun") or "").lower() in ("decline", "drop", "fall")
        )
        growth = _value(pct.lstrip("+-")) / 100 * (-1 if down or pct.startswith("-") else 1)
        year = _fiscal_year(sentence, window)
        words = match.group(0)
        total = _TOTAL_AFTER.match(sentence[match.end() :])
        quarter, reason = _period_problem(sentence, metric, ticker, year)
        if metric[0] == "operating_margin" and not reason:
            reason = "a margin's growth; the checks measure a margin's level"
        if reason:
            found.append(_unmapped(sentence, words, growth, "fraction", reason))
            continue
        check: dict[str, Any] = {
            "kind": "metric_growth",
            "ticker": ticker,
            "metric": metric[0],
            "fiscal_year": year,
            **({"fiscal_quarter": quarter} if quarter else {}),
            "comparison": "about",
            "claimed": round(growth, 6),
            "tolerance": _half_unit(pct.lstrip("+-"), 0.01),
        }
        if total:
            scale = _SCALE[total.group("scale").lower()]
            check["claimed_total"] = _value(total.group("num")) * scale
            check["total_tolerance"] = _half_unit(total.group("num"), scale)
            used.append((match.end(), match.end() + total.end()))
            words += sentence[match.end() : match.end() + total.end()]
        found.append(DraftClaim(id="", sentence=sentence, number=words.strip(), check=check))
    return found


def _layoff_claims(
    sentence: str, ticker: str | None, window: tuple[dt.date, dt.date] | None, used: list
) -> list[DraftClaim]:
    found = []
    for match in _LAYOFF.finditer(sentence):
        num = match.group("num") or match.group("num2")
        used.append(match.span())
        before = sentence[: match.start("num") if match.group("num") else match.start()]
        comparison, explicit = _comparison(sentence[match.start() : match.start("num")]
                                           if match.group("num") else before)  # fmt: skip
        period = _period(sentence, window)
        if not isinstance(period, str) and period[1] < period[0]:
            period = "the period it names begins after the article was published"
        reason = _no_ticker(ticker) or (period if isinstance(period, str) else "")
        if reason:
            found.append(_unmapped(sentence, match.group(0), _value(num), "roles", reason))
            continue
        assert not isinstance(period, str)
        check = {
            "kind": "event_total",
            "ticker": ticker,
            "event_kind": "layoff",
            "status": "official",
            "start": period[0],
            "end": period[1],
            "field": "headcount",
            "comparison": comparison,
            "claimed": _value(num),
            "tolerance": 0.0 if explicit else _half_unit(num, rounded_zeros=True),
        }
        context = (
            "Official announcements only: a press report and the company's statement of the "
            "same cut would otherwise count twice. Check that no announcement is a cumulative "
            "total that includes an earlier one."
        )
        found.append(
            DraftClaim(
                id="", sentence=sentence, number=match.group(0), check=check, context=context
            )
        )
    return found


def _period(sentence: str, window: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | str:
    """The period a headcount covers, or the reason it cannot be known."""
    if window is None:
        return "the publication date is unknown, so the period cannot be placed"
    first, last = window
    span = _PERIOD_SPAN.search(sentence)
    if span:
        n = span.group("n")
        count = int(n) if n and n.isdigit() else _WORD_NUMBERS.get((n or "a").lower(), 1)
        months = count * (12 if span.group("unit").lower().startswith("year") else 1)
        year, month = divmod(first.year * 12 + first.month - 1 - months, 12)
        day = min(first.day, 28)
        return dt.date(year, month + 1, day), last
    between = _PERIOD_BETWEEN.search(sentence)
    if between:
        return dt.date(int(between.group("a")), 1, 1), min(
            dt.date(int(between.group("b")), 12, 31), last
        )
    since = _PERIOD_SINCE.search(sentence)
    if since:
        return dt.date(int(since.group("year")), 1, 1), last
    year = _PERIOD_YEAR.search(sentence)
    if year:
        y = int(year.group("year"))
        return dt.date(y, 1, 1), min(dt.date(y, 12, 31), last)
    this = _PERIOD_THIS.search(sentence)
    if this:
        y = last.year - (1 if this.group("which").lower() == "last" else 0)
        return dt.date(y, 1, 1), min(dt.date(y, 12, 31), last)
    return "no period is stated for the headcount"


def _investment_claims(
    sentence: str, ticker: str | None, window: tuple[dt.date, dt.date] | None, used: list
) -> list[DraftClaim]:
    found = []
    for verb in _INVEST.finditer(sentence):
        money = _MONEY.match(sentence, verb.end())
        if not money or not money.group("scale") or _inside(money.span(), used):
            continue
        used.append((verb.start(), money.end()))
        scale = _SCALE[money.group("scale").lower()]
        amount = _value(money.group("num")) * scale
        words = sentence[verb.start() : money.end()]
        comparison, explicit = _comparison(sentence[verb.start() : money.start()])
        if comparison == "about":
            comparison = "at_least"
        year = _fiscal_year(sentence, window) or (window[1].year if window else None)
        reason = _no_ticker(ticker) or ("" if year else "no year is stated and the date is unknown")
        if reason:
            found.append(_unmapped(sentence, words, amount, "USD millions", reason))
            continue
        into = _INTO.match(sentence[money.end() :])
        what = into.group("what").strip() if into else ""
        check = {
            "kind": "metric_total",
            "ticker": ticker,
            "metric": "capex",
            "fiscal_year": year,
            "comparison": comparison,
            "claimed": amount,
            "tolerance": 0.0 if explicit else _half_unit(money.group("num"), scale),
        }
        context = (
            f"Checked against total capex (all capital spending) of fiscal {year}; the data "
            f"cannot say how much of it went to {clip(what, 60)}."
            if what
            else ""
        )
        found.append(
            DraftClaim(
                id="",
                sentence=sentence,
                number=words,
                check=check,
                partial=bool(what),
                context=context,
            )
        )
    return found


def _total_claims(
    sentence: str, ticker: str | None, window: tuple[dt.date, dt.date] | None, used: list
) -> list[DraftClaim]:
    found = []
    for money in _MONEY.finditer(sentence):
        if _inside(money.span(), used) or not money.group("scale"):
            continue
        metric = _metric(sentence, money.start())
        if metric is None or metric[0] == "operating_margin":
            continue
        used.append(money.span())
        scale = _SCALE[money.group("scale").lower()]
        amount = _value(money.group("num")) * scale
        comparison, explicit = _comparison(sentence[: money.start()])
        year = _fiscal_year(sentence, window)
        quarter, reason = _period_problem(sentence, metric, ticker, year)
        if reason:
            found.append(_unmapped(sentence, money.group(0), amount, "USD millions", reason))
            continue
        check = {
            "kind": "metric_total",
            "ticker": ticker,
            "metric": metric[0],
            "fiscal_year": year,
            **({"fiscal_quarter": quarter} if quarter else {}),
            "comparison": comparison,
            "claimed": amount,
            "tolerance": 0.0 if explicit else _half_unit(money.group("num"), scale),
        }
        found.append(DraftClaim(id="", sentence=sentence, number=money.group(0), check=check))
    return found


def _margin_claims(
    sentence: str, ticker: str | None, window: tuple[dt.date, dt.date] | None, used: list
) -> list[DraftClaim]:
    """An operating margin's level ("operating margin reached 10.8% in 2024")."""
    found = []
    for match in _MARGIN_LEVEL.finditer(sentence):
        if _inside(match.span("num"), used):
            continue
        used.append(match.span())
        value = _value(match.group("num")) / 100
        year = _fiscal_year(sentence, window)
        quarter, reason = _period_problem(sentence, ("operating_margin", match.start()), ticker,
                                          year)  # fmt: skip
        words = match.group(0)
        if reason:
            found.append(_unmapped(sentence, words, value, "fraction", reason))
            continue
        check = {
            "kind": "metric_total",
            "ticker": ticker,
            "metric": "operating_margin",
            "fiscal_year": year,
            **({"fiscal_quarter": quarter} if quarter else {}),
            "comparison": "about",
            "claimed": round(value, 6),
            "tolerance": _half_unit(match.group("num"), 0.01),
        }
        found.append(DraftClaim(id="", sentence=sentence, number=words, check=check))
    return found


_SHARE_PRICE = re.compile(
    r"\b(?:price\s+target|target\s+price|fair\s+value|upside|downside|per\s+share|"
    r"a\s+share|shares?\s+(?:at|to|from|of)|valuation)\b",
    re.I,
)


def _unmeasured(sentence: str, match: re.Match[str]) -> str:
    """Why a number no rule maps cannot be checked: a share price or forecast of it (the
    call's test judges the price), else no check kind measures it."""
    around = sentence[max(0, match.start() - 100) : match.end() + 60]
    if _SHARE_PRICE.search(around):
        return (
            "a share price, target or expected move: the call's own test judges the price, "
            "the claims checks measure reported figures"
        )
    return "no check kind measures this number"


def _other_numbers(sentence: str, used: list) -> list[DraftClaim]:
    found = []
    for pattern, unit in ((_MONEY, "USD millions"), (_PERCENT, "fraction"), (_COUNT, "count")):
        for match in pattern.finditer(sentence):
            if _inside(match.span(), used):
                continue
            num = match.group("num")
            if unit == "count" and (
                _YEARISH.match(num)
                or _in_date_or_time(sentence, match)
                or _INDEX_NAME.search(sentence[: match.start()])
            ):
                continue
            used.append(match.span())
            value, stated = _value(num), unit
            if unit == "fraction":
                value /= 100
            elif unit == "USD millions" and match.group("scale"):
                value *= _SCALE[match.group("scale").lower()]
            elif unit == "USD millions":
                stated = "USD"
            found.append(
                _unmapped(sentence, match.group(0), value, stated, _unmeasured(sentence, match))
            )
    return found


def _in_date_or_time(sentence: str, match: re.Match[str]) -> bool:
    around = sentence[max(0, match.start() - 12) : match.end() + 12]
    return bool(
        re.search(r"\d[:.]\d{2}\s*[ap]\.?m|Q[1-4]\b|\b(?:19|20)\d{2}-\d{2}", around, re.I)
        or sentence[match.end() : match.end() + 1] == ":"
        or sentence[max(0, match.start() - 1) : match.start()] == ":"
        or _MONTH_BEFORE.search(sentence[max(0, match.start() - 16) : match.start()])
    )


def _unmapped(sentence: str, words: str, value: float, unit: str, reason: str) -> DraftClaim:
    check = {"kind": "not_in_data", "claimed": round(value, 6), "unit": unit}
    return DraftClaim(id="", sentence=sentence, number=words.strip(), check=check, reason=reason)


def _inside(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in used)


def _merged(drafts: list[DraftClaim]) -> list[DraftClaim]:
    """Claims whose checks test the same number are one claim; the later sentences are kept
    in ``also``."""
    kept: list[DraftClaim] = []
    first: dict[tuple[Any, ...], int] = {}
    for draft in drafts:
        key = _key(draft.check)
        if not draft.checkable or key not in first:
            if draft.checkable:
                first[key] = len(kept)
            kept.append(draft)
            continue
        twin = kept[first[key]]
        kept[first[key]] = replace(twin, also=(*twin.also, draft.sentence))
    return kept


def _key(check: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("kind", "ticker", "metric", "fiscal_year", "fiscal_quarter", "claimed", "event_kind",
            "start", "end")  # fmt: skip
    return tuple(check.get(k) for k in keys)


def _numbered(drafts: list[DraftClaim]) -> list[DraftClaim]:
    """Each claim gets a readable, unique id: the check's subject, or ``unchecked_`` and the
    number's words (``unchecked_13pct``)."""
    seen: dict[str, int] = {}
    out = []
    for draft in drafts:
        check = draft.check
        if check["kind"] in ("metric_growth", "metric_total"):
            kind = "growth" if "growth" in check["kind"] else "total"
            quarter = f"q{check['fiscal_quarter']}" if check.get("fiscal_quarter") else ""
            base = f"{check['metric']}_{kind}_{check['fiscal_year']}{quarter}"
        elif check["kind"] == "event_total":
            base = f"layoffs_{check['start'].year}_{check['end'].year}"
        else:
            words = draft.number.replace("%", "pct").replace("$", "usd").replace(",", "")
            base = "unchecked_" + (re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")[:40])
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base}_{seen[base]}"
        out.append(replace(draft, id=ident.lower()))
    return out
