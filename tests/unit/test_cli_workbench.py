"""``init``, ``validate``, ``data fetch|status|import|clear`` and the output modes (``--version``,
``--quiet``, ``--json``, ``--seed``, plain progress, 80-column tables), through the command line
with exit codes and no traceback; Yahoo Finance is faked, never the network."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import synthetic_prices, write_price_csv
from rich.console import Console

import catalystlab as cl
from catalystlab.cli import main
from catalystlab.core.errors import DataUnavailableError
from catalystlab.core.progress import SilentProgress
from catalystlab.inputs.prices import store
from catalystlab.report.terminal import TerminalProgress, _rich_table


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"catalystlab \d+\.\d+\.\d+\n", capsys.readouterr().out)


# --- init -------------------------------------------------------------------------------------


def test_init_writes_a_commented_valid_config_and_never_overwrites(tmp_path, capsys):
    args = ["init", "meta_sell", "--ticker", "META", "--date", "2024-01-02", "--stance", "sell"]
    assert main([*args, "--benchmarks", "SPY", "^GSPC", "--out", str(tmp_path)]) == 0
    path = tmp_path / "meta_sell.yaml"
    text = path.read_text()
    assert text.count("#") > 10
    config = cl.load_config(path)
    assert config.call.stance == "sell" and config.call.ticker == "META"
    assert config.call.benchmarks == ("SPY", "^GSPC") and config.benchmark == "SPY"
    assert config.costs.commission == config.costs.slippage == 0.0005
    assert config.call.horizons_months == (1, 3, 6, 12) and config.call.entry == "next_open"
    assert config.start is not None and config.strategies == ()
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path)]) == 2
    assert "exists" in capsys.readouterr().err and path.read_text() == text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--ticker", "../x"], "not a ticker symbol"),
        (["--ticker", "SPY"], "is the called ticker"),
        (["--ticker", "AAA", "--benchmarks", "a/b"], "not a ticker symbol"),
        (["--ticker", "AAA", "--stance", "short"], "invalid choice"),
    ],
)
def test_init_bad_inputs(tmp_path, capsys, extra, message):
    args = ["init", "bad", "--date", "2024-01-02", "--out", str(tmp_path), *extra]
    if "invalid choice" in message:
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 2
    else:
        assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "bad.yaml").exists()


def test_init_refuses_a_long_name_and_an_out_that_is_a_file(tmp_path, capsys):
    base = ["--ticker", "AAA", "--date", "2024-01-02"]
    for name in ("a" * 101, "a" * 300):
        assert main(["init", name, *base, "--out", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert f": {len(name)} characters is longer than a name may be (at most 100" in err
        assert err.startswith("error: NAME aaaa")
        assert "Traceback" not in err
    assert main(["init", "a" * 100, *base, "--out", str(tmp_path)]) == 0
    assert (tmp_path / f"{'a' * 100}.yaml").is_file()
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for out in (blocker, blocker / "below"):
        assert main(["init", "ok", *base, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"{blocker} is a file; give a folder for the config" in err
        assert "Traceback" not in err
    assert blocker.read_text() == "x"


# --- validate ---------------------------------------------------------------------------------


@pytest.fixture
def config_file(tmp_path, price_folder):
    data = price_folder(("AAA", "SPY"), days=300)
    path = tmp_path / "call.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "call",
                "start": "2019-01-02",
                "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY"]},
            }
        )
    )
    return path, data


def test_validate_ok_and_its_findings(config_file, capsys):
    path, data = config_file
    assert main(["validate", str(path), "--data-dir", str(data)]) == 0
    assert "ok:" in capsys.readouterr().out
    assert main(["validate", str(path), "--data-dir", str(data), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is True and document["exit_code"] == 0


def test_validate_bad_config_missing_prices_and_bad_folder(config_file, tmp_path, capsys):
    path, data = config_file
    text = path.read_text()
    path.write_text(text.replace("ticker: AAA", "ticker: ZZZ"))
    assert main(["validate", str(path), "--data-dir", str(data)]) == 3
    err = capsys.readouterr().err
    assert _lines(err) == [x for x in _lines(err) if x.startswith("error: No price file for ZZZ")]
    path.write_text(text + "colour: blue\n")
    assert main(["validate", str(path)]) == 2
    assert "colour: unknown key" in capsys.readouterr().err
    path.write_text(text.replace("name: call", "name: " + "a" * 250))
    assert main(["validate", str(path)]) == 2
    assert "name: 250 characters is longer than a name may be" in capsys.readouterr().err
    path.write_text(text)
    assert main(["validate", str(path), "--data-dir", str(tmp_path / "nowhere")]) == 2
    assert main(["validate", str(tmp_path / "none.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


# --- data -------------------------------------------------------------------------------------


class FakeYahoo:
    """Synthetic bars for any ticker but ZZZ (which Yahoo does not know); counts calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def fetch(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        self.calls.append(ticker)
        if ticker == "ZZZ":
            raise DataUnavailableError("Yahoo Finance has no prices for ZZZ; check the symbol.")
        frame = synthetic_prices(start="2020-01-01", days=1500, seed=len(ticker))
        return frame.loc[start:end]


@pytest.fixture
def fake_yahoo(monkeypatch):
    fake = FakeYahoo()
    monkeypatch.setattr(store, "YahooPriceSource", lambda: fake)
    return fake


def test_data_fetch_status_clear(tmp_path, fake_yahoo, capsys):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert main(["data", "fetch", "AAA", "^GSPC", "--start", "2021-01-04", *cache, "--json"]) == 0
    fetched = json.loads(capsys.readouterr().out)["tickers"]
    assert [row["ticker"] for row in fetched] == ["AAA", "^GSPC"]
    assert fetched[0]["first"] == "2021-01-04" and fetched[0]["source"] == "yfinance"
    assert (tmp_path / "cache" / "prices" / "^GSPC.parquet").is_file()
    assert main(["data", "status", *cache, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["tickers"]
    assert {row["ticker"] for row in rows} == {"AAA", "^GSPC"}
    assert main(["data", "status", *cache]) == 0
    assert "^GSPC" in capsys.readouterr().out
    assert main(["data", "fetch", "ZZZ", "BBB", *cache]) == 3
    err = capsys.readouterr().err
    assert "ZZZ" in err and "Fetched: BBB" in err and "Traceback" not in err
    assert main(["data", "clear", "AAA", *cache]) == 0
    assert not (tmp_path / "cache" / "prices" / "AAA.parquet").exists()
    assert main(["data", "clear", "AAA", *cache]) == 2
    assert main(["data", "clear", *cache, "--yes", "--json"]) == 0
    capsys.readouterr()
    assert main(["data", "status", *cache, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tickers"] == []


@pytest.mark.parametrize("symbol", ["../x", "/etc/passwd", "a/b", "..", "A\x00B"])
def test_data_commands_refuse_path_like_symbols(tmp_path, fake_yahoo, capsys, symbol):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert main(["data", "fetch", symbol, *cache]) == 2
    assert main(["data", "clear", symbol, *cache]) == 2
    err = capsys.readouterr().err
    assert "not a ticker symbol" in err and "Traceback" not in err
    assert fake_yahoo.calls == []
    assert not (tmp_path / "x.parquet").exists() and not (tmp_path / "cache" / "x.parquet").exists()


def test_stale_is_a_last_date_before_the_last_weekday(tmp_path, fake_yahoo):
    assert store.last_weekday_before(pd.Timestamp("2024-03-11")) == pd.Timestamp("2024-03-08")
    assert store.last_weekday_before(pd.Timestamp("2024-03-12")) == pd.Timestamp("2024-03-11")
    source = store.cache_source(tmp_path, today=pd.Timestamp("2024-03-09"))
    source.load("AAA", start=pd.Timestamp("2024-01-02"), end=None)
    (row,) = store.status(source, today=pd.Timestamp("2024-03-09"))
    assert row.last == pd.Timestamp("2024-03-08") and not row.stale
    (row,) = store.status(source, today=pd.Timestamp("2024-03-13"))
    assert row.stale


def test_data_import_validates_every_file_and_imports_all_or_nothing(tmp_path, capsys):
    folder = tmp_path / "incoming"
    write_price_csv(synthetic_prices(seed=1, days=50), folder / "^GSPC.csv")
    write_price_csv(synthetic_prices(seed=2, days=50), folder / "BRK-B.csv")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    bad = synthetic_prices(seed=3, days=50)
    bad.iloc[10, bad.columns.get_loc("Close")] = -1.0
    write_price_csv(bad, folder / "BAD.csv")
    assert main(["data", "import", str(folder), *cache]) == 2
    err = capsys.readouterr().err
    assert "BAD.csv" in err and "Nothing imported" in err and "Traceback" not in err
    assert not (tmp_path / "cache" / "prices").exists() or not any(
        (tmp_path / "cache" / "prices").iterdir()
    )
    (folder / "BAD.csv").unlink()
    assert main(["data", "import", str(folder), *cache, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["tickers"]
    assert {r["ticker"] for r in rows} == {"^GSPC", "BRK-B"}
    assert all(r["source"].startswith("imported") and r["rows"] == 50 for r in rows)
    # an offline run reads what was imported
    config = {
        "name": "imported",
        "benchmark": "^GSPC",
        "call": {"ticker": "BRK-B", "date": "2019-02-01", "benchmarks": ["^GSPC"]},
    }
    result = cl.run(config, cache_dir=tmp_path / "cache", offline=True, write=False)
    assert list(result.call.out_of_sample.index) == ["BRK-B", "^GSPC"]
    assert main(["data", "import", str(tmp_path / "nowhere"), *cache]) == 2


# --- output modes -----------------------------------------------------------------------------


def _run_args(path: Path, data: Path, out: Path) -> list[str]:
    return ["run", str(path), "--data-dir", str(data), "--out", str(out)]


def test_run_json_quiet_and_seed(config_file, tmp_path, capsys):
    path, data = config_file
    out = tmp_path / "out"
    assert main([*_run_args(path, data, out), "--json", "--seed", "7"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["call"]["ticker"] == "AAA" and document["comparison"]["seed"] == 7
    assert Path(document["folder"]).is_dir()
    assert "Loading prices" in captured.err  # progress goes to stderr, plain lines
    assert main([*_run_args(path, data, out), "--quiet"]) == 0
    captured = capsys.readouterr()
    (line,) = _lines(captured.out)
    assert Path(line).is_dir() and captured.err == ""


def test_plain_progress_lines_when_not_a_terminal():
    buffer = io.StringIO()
    progress = TerminalProgress(Console(file=buffer, force_terminal=False))
    assert list(progress.track([1, 2, 3], description="Backtesting", total=3)) == [1, 2, 3]
    lines = _lines(buffer.getvalue())
    assert lines[0] == "Backtesting: 3 ..." and lines[1].startswith("Backtesting: done in")
    assert list(SilentProgress().track([1], description="x", total=1)) == [1]


def test_tables_at_80_columns_never_cut_a_number():
    frame = pd.DataFrame(
        {
            "total_return": [5540.82123, 0.148, -0.5],
            "cagr": [1.2, 0.1, -0.2],
            "volatility": [0.3, 0.2, 0.25],
            "sharpe": [1.23, 0.45, -0.1],
            "max_drawdown": [-0.55, -0.3, -0.6],
            "excess_total_return": [20.6, -0.099, 0.0],
            "trades": [554082, 3, 12],
            "psr": [0.9, 0.4, 0.1],
            "dsr": [0.97, 0.5, 0.2],
        },
        index=["Thesis composite, SPY when off (AMZN)", "Buy & hold AMZN", "SPY (benchmark)"],
    )
    console = Console(width=80, record=True, file=io.StringIO())
    table = _rich_table(console.width, frame, title="Ranked", index_label="strategy")
    console.print(table)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    borders = [line.rstrip() for line in text.splitlines() if line.startswith(("┏", "┡", "└"))]
    assert borders and all(line.endswith(("┓", "┩", "┘")) for line in borders)  # not cropped
    shown_columns = [c.header for c in table.renderables[0].columns][1:]
    from catalystlab.report.formatting import formatted

    cells = formatted(frame)
    for header in shown_columns:
        for cell in cells[header]:
            assert all(word in text for word in str(cell).split()), (header, cell)
    assert "…" not in text
    dropped = [c for c in cells.columns if c not in shown_columns]
    if dropped:
        assert "left out at this width" in text
