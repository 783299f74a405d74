"""Backtrader data feeds that bulk-load numpy arrays instead of reading a frame cell by cell.

Stock ``bt.feeds.PandasData`` converts one row per ``_load`` call; these feeds fill each
line's buffer in one step during ``preload`` and give the same bars (see the equivalence
test). Without preloading (``cerebro.run(preload=False)``) they deliver the same rows one at a
time. :class:`ArrayFeed` carries, besides OHLCV, a ``target`` line: the target portfolio weight
of this data decided at that bar's close (NaN = no instruction).
"""

from __future__ import annotations

from array import array

import backtrader as bt
import numpy as np
import pandas as pd


def price_columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The standard lines of daily bars from a price frame (Open, High, Low, Close, Volume,
    indexed by tz-naive dates): backtrader date numbers and float64 arrays."""
    ordinals = np.fromiter(
        (bt.date2num(moment) for moment in frame.index.to_pydatetime()),
        dtype="float64",
        count=len(frame),
    )
    return {
        "datetime": ordinals,
        "open": frame["Open"].to_numpy("float64"),
        "high": frame["High"].to_numpy("float64"),
        "low": frame["Low"].to_numpy("float64"),
        "close": frame["Close"].to_numpy("float64"),
        "volume": frame["Volume"].to_numpy("float64"),
        "openinterest": np.zeros(len(frame)),
    }


class ColumnFeed(bt.feeds.DataBase):
    """Bars from equal-length float arrays, one per line: a subclass sets ``self._columns``
    (line name -> array, ``datetime`` in backtrader date numbers) in ``start``."""

    _columns: dict[str, np.ndarray]

    def start(self) -> None:
        super().start()
        self._row = 0

    def preload(self) -> None:
        for name, values in self._columns.items():
            buffer = array("d")
            buffer.frombytes(np.ascontiguousarray(values, dtype="float64").tobytes())
            getattr(self.lines, name).array = buffer
        self._row = len(self._columns["datetime"])  # every row is delivered
        self._last()
        self.home()

    def _load(self) -> bool:
        if self._row >= len(self._columns["datetime"]):
            return False
        for name, values in self._columns.items():
            getattr(self.lines, name)[0] = float(values[self._row])
        self._row += 1
        return True


class ArrayFeed(ColumnFeed):
    """Daily bars from a price frame (Open, High, Low, Close, Volume) plus a ``target`` line."""

    lines = ("target",)
    params = (("frame", None), ("target", None))

    def start(self) -> None:
        super().start()
        frame: pd.DataFrame = self.p.frame
        target = self.p.target
        if target is None:
            target = np.full(len(frame), np.nan)
        self._columns = price_columns(frame) | {"target": np.asarray(target, dtype="float64")}
