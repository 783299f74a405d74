"""The call under uncertainty: entry conventions, the publication-window band, base rates.

Pure functions on aligned price frames (``AlignedPrices.frames``) and total-return index
series, all on one trading calendar; results are fractions, not %. Modules:

- :mod:`.conventions`: ``prev_close``, ``next_open`` (default) and ``close`` entries;
- :mod:`.sessions`: dates to trading-day positions, with the user-facing date checks;
- :mod:`.holding`: entry prices and holding returns of a frame or an index series;
- :mod:`.fills`: a leg sold at a close with the run's costs (the call's legs are round trips);
- :mod:`.short`: a sell call's short position, paying its own fills and borrow fee;
- :mod:`.band`: the outcome for every entry day of a window, against each benchmark;
- :mod:`.base_rate`: the call's excess among all earlier same-length windows;
- :mod:`.horizons`: excess and base-rate percentile at 1/3/6/12 calendar months;
- :mod:`.charts`: the band chart and the base-rate histogram (PNG).
"""

from catalystlab.analysis.call.band import EXCESS_DEFINITION, BandStats, WindowBand, window_band
from catalystlab.analysis.call.base_rate import (
    DEFAULT_HISTORY_START,
    PERCENTILE_DEFINITION,
    BaseRate,
    base_rate,
    percentile_of,
)
from catalystlab.analysis.call.conventions import (
    DEFAULT_CONVENTION,
    EntryConvention,
    parse_convention,
)
from catalystlab.analysis.call.holding import Priced, entry_price, holding_return
from catalystlab.analysis.call.horizons import DEFAULT_MONTHS, HorizonRow, horizon_base_rates

__all__ = [
    "DEFAULT_CONVENTION",
    "DEFAULT_HISTORY_START",
    "DEFAULT_MONTHS",
    "EXCESS_DEFINITION",
    "PERCENTILE_DEFINITION",
    "BandStats",
    "BaseRate",
    "EntryConvention",
    "HorizonRow",
    "Priced",
    "WindowBand",
    "base_rate",
    "entry_price",
    "holding_return",
    "horizon_base_rates",
    "parse_convention",
    "percentile_of",
    "window_band",
]
