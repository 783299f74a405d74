"""Market-model event studies of catalyst events (layoffs, capex guidance, ...).

Method. Each event's day 0 is the session of its announcement (the next session for one after
the close; the trading rules' known-at dating is left to them: :mod:`.timing`). A market
model fitted on the estimation window (default [-250, -30] trading days) gives the abnormal
return AR = R - alpha - beta * M on each day; the CAR of an event window (default [-1, +1],
[0, +5], [0, +20], [0, +60]) is the sum of its ARs (:mod:`.market_model`). Per window, the
CARs of each company and of all events pooled are tested with the cross-sectional t, BMP and
Patell tests and ranked against a placebo distribution from random non-event days of the
same companies (:mod:`.significance`, :mod:`.placebo`). Events that cannot be measured (too
close to the data's start or end, missing returns) are listed with the reason, never
silently dropped.

Caveat for readers of the tests: events of different companies on the same dates are
correlated through the market, and overlapping events of one company share abnormal returns
(see ``nearby_events``); the placebo comparison is the check least affected by both.
"""

from catalystlab.analysis.eventstudy.params import EventStudyParams, window_label
from catalystlab.analysis.eventstudy.paths import mean_car_path
from catalystlab.analysis.eventstudy.significance import summarise
from catalystlab.analysis.eventstudy.study import EventStudyResult, run_event_study

__all__ = [
    "EventStudyParams",
    "EventStudyResult",
    "mean_car_path",
    "run_event_study",
    "summarise",
    "window_label",
]
