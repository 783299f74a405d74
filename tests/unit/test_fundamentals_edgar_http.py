"""The EDGAR client: User-Agent, rate limit, retries and the on-disk cache, against fakes."""

from __future__ import annotations

import json
import os

import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.fundamentals.edgar_http import EdgarClient, HttpResponse, RateLimiter

UA = "Jane Doe jane@example.com"
URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK0000000001.json"


class FakeClock:
    """Monotonic seconds that only move when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeGetter:
    """Answers each call with the next item of ``answers`` (an HttpResponse or an exception
    to raise); records (url, headers, clock time) of every call."""

    def __init__(self, answers, clock: FakeClock | None = None) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict, float]] = []
        self.clock = clock

    def __call__(self, url, headers):
        self.calls.append((url, dict(headers), self.clock() if self.clock else 0.0))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def ok(document) -> HttpResponse:
    return HttpResponse(200, json.dumps(document).encode())


def client(tmp_path, getter, clock=None, **kwargs) -> EdgarClient:
    clock = clock or FakeClock()
    return EdgarClient(
        user_agent=UA, cache_dir=tmp_path, getter=getter, clock=clock, sleep=clock.sleep, **kwargs
    )


def test_missing_user_agent_says_how_to_set_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SEC_USER_AGENT", raising=False)
    with pytest.raises(BadInputError) as info:
        EdgarClient(cache_dir=tmp_path, getter=FakeGetter([ok({})]))
    assert 'SEC_USER_AGENT="Jane Doe jane@example.com"' in str(info.value)


def test_user_agent_without_contact_is_refused(tmp_path):
    with pytest.raises(BadInputError, match="lacks a name and an e-mail"):
        EdgarClient(user_agent="python-requests", cache_dir=tmp_path)


def test_user_agent_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SEC_USER_AGENT", "Ann Lee ann@example.org")
    getter = FakeGetter([ok({"a": 1})])
    EdgarClient(cache_dir=tmp_path, getter=getter, sleep=lambda s: None).get_json(URL, "x.json")
    assert getter.calls[0][1]["User-Agent"] == "Ann Lee ann@example.org"


def test_offline_needs_no_user_agent(tmp_path, monkeypatch):
    monkeypatch.delenv("SEC_USER_AGENT", raising=False)
    EdgarClient(cache_dir=tmp_path, offline=True)


def test_refresh_and_offline_together_are_refused(tmp_path):
    with pytest.raises(BadInputError, match="pick one"):
        EdgarClient(user_agent=UA, cache_dir=tmp_path, refresh=True, offline=True)


def test_429_is_retried_after_the_servers_wait_then_succeeds(tmp_path):
    clock = FakeClock()
    getter = FakeGetter([HttpResponse(429, b"slow down", {"Retry-After": "3"}), ok({"a": 1})])
    assert client(tmp_path, getter, clock).get_json(URL, "x.json") == {"a": 1}
    assert len(getter.calls) == 2
    assert 3.0 in clock.sleeps  # Retry-After (3 s) is longer than the first backoff (1 s)


def test_server_errors_back_off_exponentially_then_fail(tmp_path):
    clock = FakeClock()
    getter = FakeGetter([HttpResponse(503, b"")])
    with pytest.raises(DataUnavailableError, match=r"after 3 tries \(last: HTTP 503\)"):
        client(tmp_path, getter, clock, retries=2, backoff_seconds=1.5).get_json(URL, "x.json")
    assert len(getter.calls) == 3
    assert [s for s in clock.sleeps if s >= 1.5] == [1.5, 3.0]


def test_network_failure_ends_in_data_unavailable(tmp_path):
    getter = FakeGetter([ConnectionError("connection refused")])
    with pytest.raises(DataUnavailableError) as info:
        client(tmp_path, getter, retries=3).get_json(URL, "x.json")
    assert len(getter.calls) == 4
    assert "ConnectionError: connection refused" in str(info.value)
    assert not (tmp_path / "edgar" / "x.json").exists()


def test_not_found_is_not_retried(tmp_path):
    getter = FakeGetter([HttpResponse(404, b"")])
    with pytest.raises(DataUnavailableError, match="HTTP 404"):
        client(tmp_path, getter).get_json(URL, "x.json")
    assert len(getter.calls) == 1


def test_forbidden_points_at_the_user_agent(tmp_path):
    getter = FakeGetter([HttpResponse(403, b"")])
    with pytest.raises(DataUnavailableError, match="SEC_USER_AGENT"):
        client(tmp_path, getter).get_json(URL, "x.json")


def test_an_answer_that_is_not_json_is_reported(tmp_path):
    getter = FakeGetter([HttpResponse(200, b"<html>maintenance</html>")])
    with pytest.raises(DataUnavailableError, match="not JSON"):
        client(tmp_path, getter).get_json(URL, "x.json")


def test_requests_respect_ten_per_second(tmp_path):
    clock = FakeClock()
    getter = FakeGetter([ok({})], clock)
    edgar = client(tmp_path, getter, clock)
    for n in range(25):
        edgar.get_json(f"{URL}?n={n}", f"doc{n}.json")
    times = [t for _, _, t in getter.calls]
    assert len(times) == 25
    assert all(
        later - earlier >= 1.0 - 1e-9 for earlier, later in zip(times, times[10:], strict=False)
    )
    assert times[-1] == pytest.approx(2.4)  # no slower than the limit needs


def test_rate_limiter_lets_the_first_call_through_and_spaces_the_next():
    clock = FakeClock()
    limiter = RateLimiter(max_per_second=4, clock=clock, sleep=clock.sleep)
    limiter.wait()
    assert clock.sleeps == []
    clock.now += 0.1
    limiter.wait()
    assert clock.sleeps == [pytest.approx(0.15)]


def test_cache_hit_makes_no_request(tmp_path):
    getter = FakeGetter([ok({"a": 1})])
    assert client(tmp_path, getter).get_json(URL, "facts/x.json") == {"a": 1}
    assert client(tmp_path, getter).get_json(URL, "facts/x.json") == {"a": 1}
    assert len(getter.calls) == 1
    assert json.loads((tmp_path / "edgar" / "facts" / "x.json").read_text()) == {"a": 1}


def test_stale_cache_and_refresh_download_again(tmp_path):
    getter = FakeGetter([ok({"v": 1}), ok({"v": 2}), ok({"v": 3})])
    client(tmp_path, getter).get_json(URL, "x.json")
    mtime = os.path.getmtime(tmp_path / "edgar" / "x.json")
    young = client(tmp_path, getter, wall_clock=lambda: mtime + 3600)
    assert young.get_json(URL, "x.json") == {"v": 1}
    old = client(tmp_path, getter, wall_clock=lambda: mtime + 2 * 86400)
    assert old.get_json(URL, "x.json") == {"v": 2}
    assert client(tmp_path, getter, refresh=True).get_json(URL, "x.json") == {"v": 3}
    assert len(getter.calls) == 3


def test_offline_serves_the_cache_even_when_stale(tmp_path):
    client(tmp_path, FakeGetter([ok({"v": 1})])).get_json(URL, "x.json")
    offline = EdgarClient(
        cache_dir=tmp_path, offline=True, getter=FakeGetter([]), wall_clock=lambda: 1e12
    )
    assert offline.get_json(URL, "x.json") == {"v": 1}


def test_offline_without_cache_names_the_file(tmp_path):
    offline = EdgarClient(cache_dir=tmp_path, offline=True, getter=FakeGetter([]))
    with pytest.raises(DataUnavailableError, match="not in the EDGAR cache"):
        offline.get_json(URL, "x.json")


def test_corrupt_cache_is_downloaded_again_unless_offline(tmp_path):
    (tmp_path / "edgar").mkdir()
    (tmp_path / "edgar" / "x.json").write_text("{not json")
    offline = EdgarClient(cache_dir=tmp_path, offline=True, getter=FakeGetter([]))
    with pytest.raises(DataUnavailableError, match="corrupt"):
        offline.get_json(URL, "x.json")
    getter = FakeGetter([ok({"v": 1})])
    assert client(tmp_path, getter).get_json(URL, "x.json") == {"v": 1}
    assert len(getter.calls) == 1
