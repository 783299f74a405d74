"""Wilson's score interval for a hit rate (Wilson 1927): better than the normal interval for
few calls and rates near 0 or 1: low <= hits/n <= high, all within [0, 1]."""

from __future__ import annotations

import math

from scipy.stats import norm


def wilson_interval(hits: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Two-sided ``level`` interval of the hit probability after ``hits`` of ``n`` (fractions);
    (nan, nan) when ``n`` is 0.

    With z the normal quantile, p = hits / n: centre (p + z²/2n) / (1 + z²/n), half-width
    z * sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
    """
    if n <= 0:
        return math.nan, math.nan
    if not 0 <= hits <= n:
        raise ValueError(f"hits {hits} must lie between 0 and n = {n}")
    z = float(norm.ppf(0.5 + level / 2))
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # The closed form is exact at hits = 0 (low = 0) and hits = n (high = 1) but floating point
    # lands a rounding error either side (0 of 3: low 5.6e-17); clamp to [0, p] and [p, 1].
    return min(max(0.0, centre - half), p), max(min(1.0, centre + half), p)
