"""The API examples of the README and of ``catalystlab.api``'s docstring run as written, on the
real snapshot, from the repository's root, and agree with the flagship's known numbers."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import catalystlab.api

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def at_repo_root(shared_data, monkeypatch):
    if shared_data.resolve() != (REPO.parent / "shared" / "data").resolve():
        pytest.skip("the examples name ../shared/data")
    monkeypatch.chdir(REPO)


def test_the_docstring_example_runs(at_repo_root):
    failures, tried = doctest.testmod(catalystlab.api, raise_on_error=False)
    assert tried >= 4 and failures == 0


def test_the_readme_example_runs_as_written(at_repo_root, capsys):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From Python") :]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    result = namespace["result"]
    assert result.folder is None
    assert "AMZN" in capsys.readouterr().out
    assert result.summary["call"]["out_of_sample"]["AMZN"]["total_return"] == pytest.approx(
        0.147, abs=0.0005
    )
