"""The backtrader face: catalyst feeds, indicators and analyzers for a user's own ``cerebro``.

See ``docs/backtrader.md``. Only this package and :mod:`catalystlab.engine` import backtrader.
"""

from catalystlab.bt.feeds import feed
from catalystlab.bt.indicators import Capex, Layoffs, Margin, Signal, Thesis

__all__ = ["Capex", "Layoffs", "Margin", "Signal", "Thesis", "feed"]
