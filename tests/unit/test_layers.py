"""The layers of docs/architecture.md hold: a lower layer never imports a higher one, and
only the engine and the backtrader face (``catalystlab.bt``) import backtrader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Lowest first; a module may import its own layer and the ones before it.
LAYERS = (
    "catalystlab.core",
    "catalystlab.inputs",
    "signals",
    "strategies",
    "catalystlab.engine",
    "catalystlab.analysis",
    "catalystlab.config",
    "catalystlab.pipeline",
    "catalystlab.report",
    "catalystlab.api",
    "catalystlab.bt",
    "catalystlab.cli",
)


def _layer(module: str) -> int | None:
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


SOURCES = sorted(
    path
    for folder in ("catalystlab", "signals", "strategies")
    for path in (REPO / folder).rglob("*.py")
)


def test_every_source_module_belongs_to_a_layer():
    assert SOURCES
    unplaced = [
        str(p.relative_to(REPO))
        for p in SOURCES
        if _layer(_module_name(p)) is None and _module_name(p) != "catalystlab"
    ]
    assert unplaced == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_import_reaches_up_a_layer(path):
    own = _layer(_module_name(path))
    if own is None:  # the package's __init__: the public API, on top of everything
        return
    upward = [m for m in _imports(path) if (_layer(m) or 0) > own]
    assert upward == [], f"{_module_name(path)} imports higher layers: {upward}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_engine_imports_backtrader(path):
    if _module_name(path).startswith(("catalystlab.engine", "catalystlab.bt")):
        return
    assert not any(m == "backtrader" or m.startswith("backtrader.") for m in _imports(path))


def test_the_checker_sees_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from catalystlab.report.write import write_results\nimport backtrader\n")
    assert _imports(probe) == {"catalystlab.report.write", "backtrader"}
    assert _layer("catalystlab.report.write") > _layer("catalystlab.analysis.stats")
