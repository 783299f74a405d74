"""A backtrader data feed that bulk-loads numpy arrays instead of reading a frame cell by cell.

Stock ``bt.feeds.PandasData`` converts one row per ``_load`` call; this feed fills each line's
buffer in one step during ``preload`` and gives the same bars (see the equivalence test).
Besides OHLCV it carries a ``target`` line: the target portfolio weight of this data decided
at that bar's close (NaN = no instruction).
"""

from __future__ import annotations

from array import array

import backtrader as bt
import numpy as np
import pandas as pd


class ArrayFeed(bt.feeds.DataBase):
    """Daily bars from a price frame (Open, High, Low, Close, Volume) plus a ``target`` line."""

    lines = ("target",)
    params = (("frame", None), ("target", None))

    def start(self) -> None:
        super().start()
        frame: pd.DataFrame = self.p.frame
        target = self.p.target
        if target is None:
            target = np.full(len(frame), np.nan)
        ordinals = np.fromiter(
            (bt.date2num(moment) for moment in frame.index.to_pydatetime()),
            dtype="float64",
            count=len(frame),
        )
        self._columns = {
            "datetime": ordinals,
            "open": frame["Open"].to_numpy("float64"),
            "high": frame["High"].to_numpy("float64"),
            "low": frame["Low"].to_numpy("float64"),
            "close": frame["Close"].to_numpy("float64"),
            "volume": frame["Volume"].to_numpy("float64"),
            "openinterest": np.zeros(len(frame)),
            "target": np.asarray(target, dtype="float64"),
        }

    def preload(self) -> None:
        for name, values in self._columns.items():
            buffer = array("d")
            buffer.frombytes(np.ascontiguousarray(values, dtype="float64").tobytes())
            getattr(self.lines, name).array = buffer
        self._last()
        self.home()

    def _load(self) -> bool:
        return False
