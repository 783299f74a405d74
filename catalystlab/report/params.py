"""Signal parameters as a reader's label: ``margin: income growth > 2%``,
``layoffs: hold 20 days, min 10,000``. Parameters without a wording of their own (a plugin's)
read ``name value``."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np


def parameter_label(signal: str, params: Mapping[str, Any]) -> str:
    """``signal: parameters`` in words; numbers as integers where they are whole, fractions
    as percent where the signal documents them as fractions."""
    words = _WORDING.get(signal, _generic)(dict(params))
    return f"{signal}: {words}" if words else signal


def number(value: object) -> str:
    """A parameter value: whole numbers with thousands separators (10,000, not 1e+04),
    others to three significant digits, never in scientific notation (numpy's numbers too);
    infinite as "∞" or "-∞", never "inf"; text as is; missing (None, NaN) as "none"."""
    if value is None:
        return "none"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if math.isnan(value):
        return "none"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if float(value).is_integer():
        return f"{int(value):,}"
    return np.format_float_positional(value, precision=3, fractional=False, trim="-")


def _percent(value: float) -> str:
    """A fraction as percent without trailing zeros: 0.02 -> "2%", -0.025 -> "-2.5%"; NaN
    reads "none"."""
    text = number(100 * value)
    return text if text == "none" else f"{text}%"


def _margin(params: dict[str, Any]) -> str:
    measure = params.pop("measure", "margin_change")
    threshold = params.pop("threshold", 0.0)
    # A change of margin is in percentage points of revenue, a growth of income in percent.
    level = f"{number(100 * threshold)} pts" if measure == "margin_change" else _percent(threshold)
    parts = [f"{str(measure).replace('_', ' ')} > {level}"]
    if "off_exposure" in params:
        parts.append(f"{_percent(params.pop('off_exposure'))} held when off")
    if "missing_exposure" in params:
        parts.append(f"{_percent(params.pop('missing_exposure'))} held without data")
    return ", ".join([*parts, _generic(params)] if params else parts)


def _layoffs(params: dict[str, Any]) -> str:
    parts = []
    if "hold_days" in params:
        parts.append(f"hold {number(params.pop('hold_days'))} days")
    if "min_headcount" in params:
        headcount = params.pop("min_headcount")
        parts.append("any size" if not headcount else f"min {number(headcount)}")
    if "min_pct" in params:
        share = params.pop("min_pct")
        parts.append("any share" if share is None else f"min {_percent(share)} of staff")
    return ", ".join([*parts, _generic(params)] if params else parts)


def _generic(params: dict[str, Any]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {number(v)}" for name, v in params.items())


_WORDING: dict[str, Callable[[dict[str, Any]], str]] = {"margin": _margin, "layoffs": _layoffs}

# Grid parameters documented as fractions: on a chart's axis in percent (or points), named so.
_AXIS_IN_PERCENT = {
    "margin.threshold": "threshold (margin change: points; income growth: %)",
    "margin.off_exposure": "held when off (%)",
    "margin.missing_exposure": "held without data (%)",
    "layoffs.min_pct": "min share of staff (%)",
}


def axis_label(key: str) -> str:
    """A grid parameter (``signal.name``) as a chart axis's title: ``min headcount``; a
    fraction says its unit: ``threshold (margin change: points; income growth: %)``."""
    return _AXIS_IN_PERCENT.get(key, key.partition(".")[2].replace("_", " "))


def axis_tick(key: str, value: object) -> str:
    """A grid parameter's value on a chart's axis: 5, not 5.0; 10,000, not 10000.0; a
    fraction in percent (0.02 -> 2, under :func:`axis_label`'s unit); words without "_"."""
    if key in _AXIS_IN_PERCENT and isinstance(value, int | float) and not isinstance(value, bool):
        return number(100 * value)
    return number(value).replace("_", " ")
