"""Measured targets, written by each benchmark for ``benchmarks/targets.py`` to print.

A benchmark given ``--targets FILE`` appends one JSON object per target it measured to
``FILE`` (a JSON list): what was measured (its unit in its name), the value, the goal and
whether it was met.
"""

from __future__ import annotations

import json
from pathlib import Path


def record(
    path: Path | None,
    target: str,
    measured: float,
    *,
    goal: float,
    at_least: bool,
    source: str,
) -> None:
    """Append ``measured`` against ``goal`` (met when at least, or at most, the goal) to
    the JSON list at ``path``; nothing without a path."""
    if path is None:
        return
    rows = json.loads(path.read_text()) if path.exists() else []
    met = measured >= goal if at_least else measured <= goal
    rows.append(
        {
            "target": target,
            "measured": measured,
            "goal": goal,
            "at_least": at_least,
            "met": met,
            "source": source,
        }
    )
    path.write_text(json.dumps(rows, indent=1))
