"""The call ledger: a list of published calls tested together (issue 12).

Pure numbers on price frames: :mod:`.calls` (every call at every horizon under an entry
convention, hit or miss by stance, base-rate percentile), :mod:`.stance` (the excess a buy
and a sell are judged by), :mod:`.wilson` (the hit rate's interval), :mod:`.portfolio` (the
daily excess of the portfolio of open calls), :mod:`.bootstrap` (calendar-block intervals),
:mod:`.permutation` (skill against random dates and random stances) and :mod:`.evaluate`
(all of it per source).
"""

from catalystlab.analysis.ledger.evaluate import (
    ALL,
    UNATTRIBUTED,
    LedgerResult,
    SourceHorizon,
    evaluate_ledger,
)

__all__ = ["ALL", "UNATTRIBUTED", "LedgerResult", "SourceHorizon", "evaluate_ledger"]
