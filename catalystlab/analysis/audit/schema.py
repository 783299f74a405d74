"""The claims file's schema: claims as data, each with one check of a small set of kinds.

Every model rejects unknown keys. Units: fundamentals totals in USD millions, growth as a
fraction (0.86 for +86%), headcounts in roles, event amounts in USD billions. ``tolerance`` is
absolute, in the check's unit, and its edge counts as met. The file format is documented for
users in ``config/claims/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from catalystlab.core.tickers import parse_ticker
from catalystlab.inputs.events import EVENT_KINDS

Comparison = Literal["about", "at_least", "at_most"]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _CompanyCheck(_Strict):
    ticker: str

    _check_ticker = field_validator("ticker")(classmethod(lambda cls, v: parse_ticker(v)))


class _Compared(_Strict):
    comparison: Comparison = "about"
    claimed: float
    tolerance: float = Field(default=0.0, ge=0.0)


class _MetricCheck(_CompanyCheck, _Compared):
    metric: str
    fiscal_year: int = Field(ge=1900, le=2200)
    fiscal_quarter: int | None = Field(default=None, ge=1, le=4)  # None: the whole year

    @field_validator("metric")
    @classmethod
    def _metric_name(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("use a metric name such as operating_income, capex or revenue")
        return value


class MetricTotal(_MetricCheck):
    """Sum of ``metric``'s four quarters of ``fiscal_year`` (or its ``fiscal_quarter`` alone;
    USD millions) vs ``claimed``. ``operating_margin`` is operating income over revenue of the
    period (fraction)."""

    kind: Literal["metric_total"]


class MetricGrowth(_MetricCheck):
    """Growth of the fiscal-year total (or of the ``fiscal_quarter``) over the same period a
    year before (fraction) vs ``claimed``.

    ``claimed_total`` (optional, USD millions): the year's total the claim also states, met
    when within ``total_tolerance`` of the measured total.
    """

    kind: Literal["metric_growth"]
    claimed_total: float | None = None
    total_tolerance: float = Field(default=0.0, ge=0.0)


class _EventFilter(_CompanyCheck):
    event_kind: str
    status: Literal["report", "official"] | None = None
    start: dt.date
    end: dt.date

    @field_validator("event_kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {value!r}; use one of {', '.join(EVENT_KINDS)}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> _EventFilter:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; give start <= end")
        return self


class EventTotal(_EventFilter, _Compared):
    """Sum of ``field`` over the matching events (``event_date`` in [start, end]) vs
    ``claimed``; events without a number are listed, not counted."""

    kind: Literal["event_total"]
    field: Literal["headcount", "value_usd_bn"] = "headcount"


class EventExists(_EventFilter):
    """At least one matching event whose description contains every ``description_contains``
    text (case-insensitive)."""

    kind: Literal["event_exists"]
    description_contains: tuple[str, ...] = ()

    @field_validator("description_contains", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("description_contains")
    @classmethod
    def _not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not text.strip() for text in value):
            raise ValueError("remove the blank text, or give words the description must contain")
        return value


class NotInData(_Strict):
    """The data cannot check the claim; ``claimed`` and ``unit`` only record what it says."""

    kind: Literal["not_in_data"]
    claimed: float | None = None
    unit: str = ""


Check = Annotated[
    MetricTotal | MetricGrowth | EventTotal | EventExists | NotInData,
    Field(discriminator="kind"),
]
CHECK_KINDS: tuple[str, ...] = (
    "metric_total",
    "metric_growth",
    "event_total",
    "event_exists",
    "not_in_data",
)


class Claim(_Strict):
    """One claim of an article: its words, where it and its evidence are, and its check.

    ``partial``: the data support the claim's number but not all of its wording (``context``
    says why); a met check is then ``partly`` rather than ``confirmed``.
    """

    id: str
    text: str = Field(min_length=1)
    source: str = Field(min_length=1)
    context: str = ""
    partial: bool = False
    check: Check

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("use lower-case letters, digits, '_' and '-' (e.g. jobs_cut)")
        return value

    @model_validator(mode="after")
    def _partial_explained(self) -> Claim:
        if self.partial and not self.context.strip():
            raise ValueError("partial: true needs a context that says what the data qualify")
        return self


class ClaimsFile(_Strict):
    """A whole claims file: ``claims``, a non-empty list with unique ids."""

    claims: tuple[Claim, ...]

    @model_validator(mode="after")
    def _unique(self) -> ClaimsFile:
        if not self.claims:
            raise ValueError("claims: the list is empty; add at least one claim")
        ids = [c.id for c in self.claims]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(
                f"duplicate claim id(s) {', '.join(twice)}; give each claim its own id"
            )
        return self
