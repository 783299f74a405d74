"""Faults at every source boundary (issue 11), with fakes: bounded retries without waiting,
one message naming the source and the fix (exit 3), the cache never left corrupt, and data
cached before still usable offline."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import synthetic_prices

from catalystlab.core.atomic import replace_file
from catalystlab.core.errors import DataUnavailableError
from catalystlab.inputs.fundamentals.edgar_http import EdgarClient, HttpResponse
from catalystlab.inputs.prices.cache import CachedPriceSource
from catalystlab.inputs.prices.yahoo_source import YahooPriceSource

START, END = pd.Timestamp("2019-01-02"), pd.Timestamp("2019-12-31")
TODAY = pd.Timestamp("2020-01-02")
PRICES = synthetic_prices(days=260)


class _Timeout(Exception):
    """requests.Timeout as yfinance's HTTP layer raises it (matched by name)."""


_Timeout.__name__ = "ReadTimeout"


class _RateLimit(Exception):
    """yfinance's YFRateLimitError (matched by name)."""


_RateLimit.__name__ = "YFRateLimitError"


class _HTTPError(OSError):
    """requests.HTTPError of a 5xx answer (a RequestException is an OSError)."""


class Flaky:
    """A yfinance history fetcher that fails with ``faults`` (one per call) and then answers
    ``frame``; counts its calls."""

    def __init__(self, *faults: BaseException, frame: pd.DataFrame = PRICES) -> None:
        self.faults = list(faults)
        self.frame = frame
        self.calls = 0

    def __call__(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        self.calls += 1
        if self.faults:
            raise self.faults.pop(0)
        return self.frame.loc[start:end]


def _yahoo(history: Flaky, waits: list[float]) -> YahooPriceSource:
    return YahooPriceSource(history=history, retries=3, backoff_seconds=1.0, sleep=waits.append)


@pytest.mark.parametrize(
    "fault",
    [
        TimeoutError("timed out"),
        _Timeout("read timed out"),
        ConnectionError("connection reset"),
        _HTTPError("503 Server Error: Service Unavailable"),
        _HTTPError("429 Client Error: Too Many Requests"),
        _RateLimit("Too Many Requests. Rate limited. Try after a while."),
    ],
)
def test_transient_yahoo_faults_are_retried_with_backoff_then_succeed(fault):
    waits: list[float] = []
    history = Flaky(fault, fault)
    frame = _yahoo(history, waits).fetch("AAA", START, END)
    assert history.calls == 3 and waits == [1.0, 2.0]
    assert frame.index[0] == START


@pytest.mark.parametrize(
    "fault", [TimeoutError("timed out"), _RateLimit("Too Many Requests"), ConnectionError("x")]
)
def test_yahoo_faults_that_persist_end_in_one_message_after_bounded_tries(fault):
    waits: list[float] = []
    history = Flaky(*[fault] * 10)
    with pytest.raises(DataUnavailableError, match="Could not download AAA from Yahoo Finance"):
        _yahoo(history, waits).fetch("AAA", START, END)
    assert history.calls == 4 and waits == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(
    ("fault", "frame", "message"),
    [
        (json.JSONDecodeError("Expecting value", "<html>", 0), PRICES, "could not be read"),
        (KeyError("chart"), PRICES, "could not be read"),
        (None, PRICES.iloc[:0], "returned no prices for AAA"),
    ],
)
def test_malformed_or_empty_yahoo_answers_are_data_unavailable(fault, frame, message):
    history = Flaky(*([fault] if fault else []), frame=frame)
    with pytest.raises(DataUnavailableError, match=message) as error:
        _yahoo(history, []).fetch("AAA", START, END)
    assert "--offline" in str(error.value) or "check the ticker" in str(error.value)


def test_a_failed_refresh_leaves_the_cache_whole_and_usable_offline(tmp_path):
    good = CachedPriceSource(_yahoo(Flaky(), []), tmp_path, today=TODAY)
    before = good.load("AAA", start=START, end=END).frame
    cached = good.path_for("AAA").read_bytes()
    broken = CachedPriceSource(
        _yahoo(Flaky(*[ConnectionError("down")] * 10), []), tmp_path, refresh=True, today=TODAY
    )
    with pytest.raises(DataUnavailableError, match="Could not download AAA"):
        broken.load("AAA", start=START, end=END)
    assert good.path_for("AAA").read_bytes() == cached
    offline = CachedPriceSource(_yahoo(Flaky(), []), tmp_path, offline=True, today=TODAY)
    pd.testing.assert_frame_equal(offline.load("AAA", start=START, end=END).frame, before)


def test_a_write_cut_short_leaves_the_old_cache_file(tmp_path):
    source = CachedPriceSource(_yahoo(Flaky(), []), tmp_path, today=TODAY)
    source.load("AAA", start=START, end=END)
    path = source.path_for("AAA")
    cached = path.read_bytes()

    def partial(temporary):
        temporary.write_bytes(cached[: len(cached) // 2])
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        replace_file(path, partial)
    assert path.read_bytes() == cached
    assert [p.name for p in path.parent.iterdir()] == ["AAA.parquet"]


def test_a_corrupt_cache_offline_says_so_once_without_promising_a_download(tmp_path):
    notes: list[str] = []
    source = CachedPriceSource(
        _yahoo(Flaky(), []), tmp_path, offline=True, today=TODAY, on_note=notes.append
    )
    source.path_for("AAA").parent.mkdir(parents=True)
    source.path_for("AAA").write_bytes(b"PAR1 half a file")
    with pytest.raises(DataUnavailableError, match=r"corrupt .* --offline forbids") as error:
        source.load("AAA", start=START, end=END)
    assert notes == [] and "downloaded again" not in str(error.value)


def test_a_frame_missing_recent_days_is_noted_and_asked_for_again(tmp_path):
    notes: list[str] = []
    lagging = Flaky(frame=PRICES.loc[:"2019-11-29"])
    source = CachedPriceSource(_yahoo(lagging, []), tmp_path, today=TODAY, on_note=notes.append)
    loaded = source.load("AAA", start=START, end=END)
    assert loaded.last_date == pd.Timestamp("2019-11-29")
    assert len(notes) == 1 and "end on 2019-11-29" in notes[0]
    complete = Flaky()
    again = CachedPriceSource(_yahoo(complete, []), tmp_path, today=TODAY)
    assert again.load("AAA", start=START, end=END).last_date == pd.Timestamp("2019-12-31")
    assert complete.calls == 1  # the missing stretch was asked for


class _Answers:
    def __init__(self, *answers) -> None:
        self.answers = list(answers)

    def __call__(self, url, headers):
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def _edgar(tmp_path, getter, **kwargs) -> EdgarClient:
    return EdgarClient(
        user_agent="Jane Doe jane@example.com",
        cache_dir=tmp_path,
        getter=getter,
        sleep=lambda seconds: None,
        **kwargs,
    )


URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK0000000001.json"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([TimeoutError("timed out")], "after 5 tries"),
        ([ConnectionError("reset")], "after 5 tries"),
        ([HttpResponse(429, b"")], "HTTP 429"),
        ([HttpResponse(503, b"")], "HTTP 503"),
        ([HttpResponse(200, b"<html>maintenance</html>")], "not JSON"),
    ],
)
def test_edgar_faults_end_in_one_message_and_keep_the_cache(tmp_path, answers, message):
    document = {"facts": {"us-gaap": {}}}
    _edgar(tmp_path, _Answers(HttpResponse(200, json.dumps(document).encode()))).get_json(
        URL, "x.json"
    )
    with pytest.raises(DataUnavailableError, match=message):
        _edgar(tmp_path, _Answers(*answers), refresh=True, retries=4).get_json(URL, "x.json")
    offline = _edgar(tmp_path, _Answers(ConnectionError("never called")), offline=True)
    assert offline.get_json(URL, "x.json") == document
