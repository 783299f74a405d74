"""Bounds of sizes a user controls that more than one layer checks (a config key and a
command-line option of the same meaning share one bound)."""

from __future__ import annotations

MAX_HORIZON_MONTHS = 600  # 50 years
MAX_SEED = 2**32 - 1  # numpy's seeds are 0 .. 2**32 - 1
