"""The backtrader face: catalyst feeds, indicators and analyzers for a user's own ``cerebro``.

See ``docs/backtrader.md``. Only this package and :mod:`catalystlab.engine` import backtrader.
"""

from catalystlab.bt.analyzers import CallTest, Significance, Tearsheet
from catalystlab.bt.report import report

__all__ = ["CallTest", "Significance", "Tearsheet", "report"]
