"""What a check measured, and the rule that compares a measured number with a claimed one."""

from __future__ import annotations

from dataclasses import dataclass

from catalystlab.analysis.audit.schema import Comparison


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """The result of one check before it becomes a verdict.

    ``met``: one bool per number the claim states (True where the data support it), or None
    when the data cannot measure it. ``measured``/``claimed`` are in ``unit`` (NaN when
    none); ``detail`` is one plain sentence with the measured number.
    """

    measured: float
    claimed: float
    unit: str
    met: tuple[bool, ...] | None
    detail: str


def meets(measured: float, claimed: float, comparison: Comparison, tolerance: float) -> bool:
    """Whether ``measured`` supports ``claimed``; ``tolerance`` is absolute, edge included.

    ``about``: |measured - claimed| <= tolerance; ``at_least``: measured >= claimed -
    tolerance; ``at_most``: measured <= claimed + tolerance. The edge allows float rounding:
    a slack of 1e-9 times the largest magnitude involved (at least 1).
    """
    gap = {
        "about": abs(measured - claimed),
        "at_least": claimed - measured,
        "at_most": measured - claimed,
    }[comparison]
    slack = 1e-9 * max(abs(measured), abs(claimed), tolerance, 1.0)
    return gap <= tolerance + slack


def wording(comparison: Comparison, claimed: str) -> str:
    """'about 86.0%', 'at least 27,000', 'at most ...' for detail sentences."""
    return f"{comparison.replace('_', ' ')} {claimed}"
