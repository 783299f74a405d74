"""Polite, cached JSON downloads from SEC EDGAR.

SEC's fair-access rules: every request carries a descriptive User-Agent naming a person or
company and a contact e-mail, and a client sends at most 10 requests per second. This client
enforces both, retries rate limits (429), server errors (5xx) and network failures with
exponential backoff, and keeps each answer as a JSON file in a cache folder so that a second
run makes no request. The HTTP call itself is injectable (``getter``) so that tests use fakes;
so are the clocks of the rate limiter and of the cache's age.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalystlab.core.atomic import replace_file
from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.prices.cache import default_cache_dir

USER_AGENT_ENV = "SEC_USER_AGENT"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpResponse:
    """What a getter returns: the HTTP status, the body's bytes and the response headers."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


HttpGetter = Callable[[str, Mapping[str, str]], HttpResponse]
"""``getter(url, headers) -> HttpResponse``; raises OSError (or a subclass) on network errors."""


def requests_getter(url: str, headers: Mapping[str, str]) -> HttpResponse:
    """GET ``url`` with the ``requests`` library (30 s timeout)."""
    import requests

    response = requests.get(url, headers=dict(headers), timeout=30)
    return HttpResponse(response.status_code, response.content, dict(response.headers))


def resolve_user_agent(user_agent: str | None) -> str:
    """``user_agent``, else ``$SEC_USER_AGENT``; BadInputError when neither names a contact."""
    value = (user_agent or os.environ.get(USER_AGENT_ENV) or "").strip()
    if "@" not in value or len(value.split()) < 2:
        given = f" ({value!r} lacks a name and an e-mail address)" if value else ""
        raise BadInputError(
            f"SEC EDGAR needs a User-Agent that names you and gives a contact e-mail{given}: "
            f'set it in the environment, e.g. export {USER_AGENT_ENV}="Jane Doe '
            'jane@example.com", or set signal_data.sec_user_agent in the run config.'
        )
    return value


class RateLimiter:
    """Spaces calls at least ``1 / max_per_second`` seconds apart (so never more than
    ``max_per_second`` in any one-second window). ``clock`` returns seconds (monotonic) and
    ``sleep`` waits; both are injectable for tests."""

    def __init__(
        self,
        *,
        max_per_second: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_per_second <= 0:
            raise ValueError("max_per_second must be positive")
        self._interval = 1.0 / max_per_second
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        """Return when the next call is allowed, sleeping if it is too early."""
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = max(self._clock(), self._next)
        self._next = now + self._interval


class EdgarClient:
    """JSON documents from SEC EDGAR, through an on-disk cache.

    ``user_agent``: "Name e-mail" (else ``$SEC_USER_AGENT``; not needed when ``offline``).
    ``cache_dir``: the cache folder (files go to its ``edgar/``; None: the default cache
    folder, :func:`catalystlab.inputs.prices.cache.default_cache_dir`). A cached file
    younger than ``max_age_days`` is served without a request (None: never expires);
    ``refresh`` downloads again; ``offline`` never downloads. ``retries`` is the number of
    extra tries after a 429, 5xx or network error, waiting ``backoff_seconds * 2**k`` (or
    the server's Retry-After, if longer).
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        cache_dir: str | Path | None = None,
        getter: HttpGetter = requests_getter,
        max_per_second: float = 10.0,
        retries: int = 4,
        backoff_seconds: float = 1.0,
        max_age_days: float | None = 1.0,
        refresh: bool = False,
        offline: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if refresh and offline:
            raise BadInputError(
                "--refresh downloads again and --offline never downloads: pick one."
            )
        self._user_agent = None if offline else resolve_user_agent(user_agent)
        self.folder = Path(cache_dir if cache_dir is not None else default_cache_dir()) / "edgar"
        self._getter = getter
        self._limiter = RateLimiter(max_per_second=max_per_second, clock=clock, sleep=sleep)
        self._retries = retries
        self._backoff = backoff_seconds
        self._max_age = None if max_age_days is None else max_age_days * 86400.0
        self._refresh = refresh
        self._offline = offline
        self._sleep = sleep
        self._wall_clock = wall_clock

    def get_json(self, url: str, cache_name: str) -> Any:
        """The JSON document at ``url``, from ``<cache>/<cache_name>`` when it is fresh."""
        path = self.folder / cache_name
        cached = self._read(path)
        if cached is not None and (self._offline or (not self._refresh and self._fresh(path))):
            return cached
        if self._offline:
            raise DataUnavailableError(
                f"{url} is not in the EDGAR cache ({path}) and --offline forbids downloading "
                "it: run once without --offline, or use --data-dir DIR."
            )
        document = self._download(url)
        self._write(path, document)
        return document

    def _fresh(self, path: Path) -> bool:
        if self._max_age is None:
            return True
        return self._wall_clock() - path.stat().st_mtime < self._max_age

    def _download(self, url: str) -> Any:
        headers = {"User-Agent": self._user_agent or "", "Accept-Encoding": "gzip, deflate"}
        problem = ""
        for attempt in range(self._retries + 1):
            self._limiter.wait()
            try:
                response = self._getter(url, headers)
            except OSError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                wait = self._backoff * 2**attempt
            else:
                if response.status == 200:
                    return _parse_json(url, response.body)
                if response.status not in _RETRY_STATUSES:
                    raise DataUnavailableError(_refusal(url, response.status))
                problem = f"HTTP {response.status}"
                wait = max(self._backoff * 2**attempt, _retry_after(response.headers))
            if attempt < self._retries:
                self._sleep(wait)
        raise DataUnavailableError(
            f"Could not download {url} after {self._retries + 1} tries (last: {problem}); "
            "check the network and try again later, or use --offline (cached data) or "
            "--data-dir DIR (CSV files)."
        )

    def _read(self, path: Path) -> Any | None:
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_bytes())
        except (ValueError, OSError):
            if self._offline:
                raise DataUnavailableError(
                    f"The EDGAR cache file {path} is corrupt and --offline forbids downloading "
                    "it again: run without --offline."
                ) from None
            return None

    def _write(self, path: Path, document: Any) -> None:
        replace_file(path, lambda temporary: temporary.write_text(json.dumps(document)))


def _parse_json(url: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise DataUnavailableError(
            f"{url} answered with something that is not JSON ({body[:80]!r}...); SEC may be "
            "down for maintenance: try again later."
        ) from None


def _refusal(url: str, status: int) -> str:
    if status == 404:
        return f"{url}: SEC has no such document (HTTP 404); check the ticker or CIK."
    if status == 403:
        return (
            f"{url}: SEC refused the request (HTTP 403). It does so when the User-Agent does "
            f"not name a person and e-mail (set {USER_AGENT_ENV}) or after too many requests; "
            "fix the User-Agent or wait ten minutes."
        )
    return f"{url}: SEC answered HTTP {status}; try again later."


def _retry_after(headers: Mapping[str, str]) -> float:
    """Seconds from a numeric Retry-After header (0 when absent or a date)."""
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return 0.0
    return 0.0
