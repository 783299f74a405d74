"""The backtrader face: catalyst feeds, indicators and analyzers for a user's own ``cerebro``.

See ``docs/backtrader.md``. Only this package and :mod:`catalystlab.engine` import backtrader.
"""

from catalystlab.bt.analyzers import CallTest, Significance, Tearsheet
from catalystlab.bt.feeds import feed
from catalystlab.bt.indicators import Capex, Layoffs, Margin, Signal, Thesis
from catalystlab.bt.report import report

__all__ = [
    "CallTest",
    "Capex",
    "Layoffs",
    "Margin",
    "Signal",
    "Significance",
    "Tearsheet",
    "Thesis",
    "feed",
    "report",
]
