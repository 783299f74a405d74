"""Parameters of an event study: windows in trading days relative to the event day."""

from __future__ import annotations

from dataclasses import dataclass

from catalystlab.core.errors import BadInputError

Window = tuple[int, int]


@dataclass(frozen=True, kw_only=True)
class EventStudyParams:
    """Windows and thresholds of a market-model event study.

    All offsets are trading days relative to the event day (day 0 = the first trading day on
    whose close the event could be traded); both ends of a window are included.

    - ``estimation``: window of the market-model fit, before every event window
      (default [-250, -30]).
    - ``windows``: event windows whose cumulative abnormal return (CAR) is measured
      (default [-1, +1], [0, +5], [0, +20], [0, +60]).
    - ``min_estimation_days``: days with both a stock and a market return needed in the
      estimation window (at least 5; ``None`` = half the window's days, rounded up: 111 of
      the default 221); an event with fewer is skipped.
    - ``placebo_draws``: random non-event samples for the placebo distribution (0 = none).
    - ``placebo_exclusion``: a placebo day lies more than this many trading days from every
      real event day of its company; ``None`` = the span from the earliest window start to
      the latest window end, so that no placebo window overlaps a real one.
    """

    estimation: Window = (-250, -30)
    windows: tuple[Window, ...] = ((-1, 1), (0, 5), (0, 20), (0, 60))
    min_estimation_days: int | None = None
    placebo_draws: int = 1000
    placebo_exclusion: int | None = None

    def __post_init__(self) -> None:
        # YAML gives lists: keep hashable, comparable tuples.
        object.__setattr__(self, "estimation", _window(self.estimation))
        object.__setattr__(self, "windows", tuple(_window(w) for w in self.windows))
        first, last = self.estimation
        if first >= last:
            raise BadInputError(
                f"The estimation window [{first}, {last}] must start before it ends."
            )
        if not self.windows:
            raise BadInputError("Give at least one event window, e.g. [[0, 5]].")
        for start, end in self.windows:
            if start > end:
                raise BadInputError(
                    f"The event window [{start}, {end}] must not end before it starts."
                )
            if last >= start:
                raise BadInputError(
                    f"The estimation window [{first}, {last}] must end before the event window "
                    f"[{start}, {end}] starts."
                )
        if not 5 <= self.min_obs <= last - first + 1:
            raise BadInputError(
                f"min_estimation_days must lie between 5 and the estimation window's "
                f"{last - first + 1} days, got {self.min_obs}."
            )
        if self.placebo_draws < 0:
            raise BadInputError(f"placebo_draws must be >= 0, got {self.placebo_draws}.")
        if self.placebo_exclusion is not None and self.placebo_exclusion < 0:
            raise BadInputError(f"placebo_exclusion must be >= 0, got {self.placebo_exclusion}.")

    @property
    def min_obs(self) -> int:
        """Days with both returns that the estimation window must hold."""
        if self.min_estimation_days is not None:
            return self.min_estimation_days
        first, last = self.estimation
        return -(-(last - first + 1) // 2)

    @property
    def exclusion(self) -> int:
        """Trading days a placebo day keeps from every real event day of its company."""
        if self.placebo_exclusion is not None:
            return self.placebo_exclusion
        return max(end for _, end in self.windows) - min(start for start, _ in self.windows)


def _window(value: object) -> Window:
    try:
        start, end = value  # type: ignore[misc]
        if int(start) != start or int(end) != end:
            raise ValueError
    except (TypeError, ValueError):
        raise BadInputError(
            f"A window is two whole trading-day offsets such as [-1, 1], got {value!r}."
        ) from None
    return int(start), int(end)


def window_label(window: Window) -> str:
    """``(-1, 1)`` -> ``"[-1,+1]"``, ``(0, 5)`` -> ``"[0,+5]"``."""
    return "[" + ",".join(f"{day:+d}" if day else "0" for day in window) + "]"
