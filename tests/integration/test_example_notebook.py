"""examples/flagship.ipynb runs as written (nbclient, a fresh ipykernel) and shows the call's
headline and numbers: the same as the command line's flagship run on the data snapshot."""

from __future__ import annotations

import json
import os

import pytest
from conftest import REPO

pytestmark = pytest.mark.integration


def _text(output: dict) -> str:
    if output["output_type"] == "stream":
        return output["text"]
    return "".join(output.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html"))


def test_the_example_notebook_runs_and_shows_the_answer(shared_data, flagship_run, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("CATALYSTLAB_SHARED_DATA", str(shared_data))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.read(REPO / "examples" / "flagship.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": REPO / "examples"}},
    )
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = ["".join(_text(o) for o in cell.outputs) for cell in code]
    assert not any(o["output_type"] == "error" for cell in code for o in cell.outputs)
    summary = json.loads((flagship_run / "summary.json").read_text())
    shown, printed = outputs[1], outputs[2]
    # the command line's headline, with the call's return the README states (+14.7%)
    assert printed.strip() == summary["headline"]
    assert printed.startswith("AMZN +14.7% vs SPY ")
    assert summary["headline"].replace("'", "&#x27;") in shown  # the result's HTML leads with it
    amzn = summary["call"]["out_of_sample"]["AMZN"]["total_return"]
    assert f"{amzn:.6f}"[:6] in outputs[3]  # the out-of-sample table, fractions
    assert "pooled [-1,+1]" in outputs[5] and "mean_car" in outputs[5]  # a table
    assert "image/png" in code[-1].outputs[0]["data"]  # the equity curves are drawn
