"""EdgarFundamentalsSource end to end: ticker -> CIK -> companyfacts -> table, with a fake SEC."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalystlab.core.errors import DataUnavailableError
from catalystlab.inputs.fundamentals.edgar import EdgarFundamentalsSource
from catalystlab.inputs.fundamentals.edgar_http import EdgarClient, HttpResponse
from catalystlab.inputs.fundamentals.edgar_parse import parse_companyfacts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "edgar"
TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"
FACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK0001018724.json"


class FakeSec:
    """Serves fixture files by URL (404 otherwise) and records the URLs asked for."""

    def __init__(self, routes: dict[str, bytes]) -> None:
        self.routes = routes
        self.urls: list[str] = []

    def __call__(self, url, headers):
        self.urls.append(url)
        if url in self.routes:
            return HttpResponse(200, self.routes[url])
        return HttpResponse(404, b"")


@pytest.fixture
def sec() -> FakeSec:
    return FakeSec(
        {
            TICKERS_URL: (FIXTURES / "company_tickers.json").read_bytes(),
            FACTS_URL: (FIXTURES / "companyfacts_example.json").read_bytes(),
        }
    )


def source(tmp_path, getter) -> EdgarFundamentalsSource:
    client = EdgarClient(
        user_agent="Jane Doe jane@example.com", cache_dir=tmp_path, getter=getter, sleep=lambda s: 0
    )
    return EdgarFundamentalsSource(client=client)


def test_ticker_to_cik(tmp_path, sec):
    edgar = source(tmp_path, sec)
    assert edgar.cik("EXR") == 1018724
    assert edgar.cik("brk.b") == 1067983
    assert sec.urls == [TICKERS_URL]  # the list is read once


def test_unknown_ticker_is_reported(tmp_path, sec):
    with pytest.raises(DataUnavailableError, match="has no 'ZZZZ'"):
        source(tmp_path, sec).cik("ZZZZ")


def test_load_reads_companyfacts_and_caches_both_documents(tmp_path, sec):
    table = source(tmp_path, sec).load(["exr"])
    document = json.loads((FIXTURES / "companyfacts_example.json").read_text())
    expected = parse_companyfacts(document, ticker="EXR")
    assert table.equals(expected)
    assert sec.urls == [TICKERS_URL, FACTS_URL]
    again = source(tmp_path, sec).load(["EXR"])
    assert again.equals(table)
    assert sec.urls == [TICKERS_URL, FACTS_URL]  # second run: no request
    assert (tmp_path / "edgar" / "companyfacts" / "CIK0001018724.json").is_file()


def test_load_of_no_ticker_is_an_empty_table(tmp_path, sec):
    assert source(tmp_path, sec).load([]).empty


def test_unexpected_ticker_list_format(tmp_path):
    sec = FakeSec({TICKERS_URL: b'["AMZN", "MSFT"]'})
    with pytest.raises(DataUnavailableError, match="not in the expected format"):
        source(tmp_path, sec).cik("AMZN")


def test_companyfacts_without_facts(tmp_path, sec):
    sec.routes[FACTS_URL] = b'{"cik": 1018724, "entityName": "X"}'
    with pytest.raises(DataUnavailableError, match="has no 'facts'"):
        source(tmp_path, sec).load(["EXR"])
