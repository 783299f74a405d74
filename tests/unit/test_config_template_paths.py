"""The --out folder of `init` is a user's text inside YAML: it is quoted, never parsed."""

from __future__ import annotations

import pytest
import yaml

import catalystlab as cl
from catalystlab.core.errors import BadInputError

_ARTICLE = (
    "Buy Apple\nPublished 2025-01-02\nWe rate Apple a buy.\n"
    "Apple revenue rose 10% to $400 billion in 2024.\n"
)


@pytest.mark.parametrize("folder", ["d #x", "d: x", "&a", "[x", "*b", "é 😀", "'q\""])
def test_any_printable_out_folder_reads_back_exactly(tmp_path, monkeypatch, folder):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(_ARTICLE, encoding="utf-8")
    done = cl.init_from_article("aapl", "a.txt", out=folder)
    raw = yaml.safe_load(done.config.read_text(encoding="utf-8"))
    assert raw["claims"] == f"{folder}/aapl_claims.yaml" == str(done.claims)
    assert raw["seed"] == 20250801 and raw["name"] == "aapl"
    plain = cl.init("x", ticker="AAPL", date="2025-01-02", out=folder)
    assert yaml.safe_load(plain.read_text(encoding="utf-8"))["name"] == "x"


@pytest.mark.parametrize("folder", ["d\nseed: 7", "d\u2028seed: 7", "d\rx", "d\x85x"])
def test_an_out_folder_with_a_line_break_is_refused_before_anything_is_written(
    tmp_path, monkeypatch, folder
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(_ARTICLE, encoding="utf-8")
    with pytest.raises(BadInputError, match="line break or control character"):
        cl.init_from_article("aapl", "a.txt", out=folder)
    with pytest.raises(BadInputError, match="line break or control character"):
        cl.init("x", ticker="AAPL", date="2025-01-02", out=folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_an_article_sentence_starting_given_with_is_quoted_like_any_other(tmp_path):
    # U+2028 is a line break to YAML: unquoted in a comment, it ended the comment.
    (tmp_path / "a.txt").write_text(
        "given with Apple\u2028seed: 7\nPublished 2025-01-02\nWe rate Apple a buy.\n",
        encoding="utf-8",
    )
    done = cl.init_from_article("aapl", tmp_path / "a.txt", out=tmp_path / "o")
    text = done.config.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["seed"] == 20250801
    assert '# read from: "given with Apple seed: 7"' in text
    given = cl.init_from_article(
        "aapl2", tmp_path / "a.txt", out=tmp_path / "o", ticker="AAPL", stance="buy"
    )
    assert "ticker: AAPL   # given with --ticker" in given.config.read_text(encoding="utf-8")
