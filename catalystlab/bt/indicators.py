"""One backtrader indicator per catalyst signal, on a :func:`catalystlab.bt.feed` data.

Each indicator has one line, ``exposure`` (fraction of equity, 0..1): on a bar, the signal's
exposure decided at that bar's close from what was known then, the same number the signal
strategy of a ``run`` uses (the signal module's own function on the feed's point-in-time
inputs; it is computed once for the whole feed and handed out bar by bar). Parameters have the
signal's names, defaults and checks (see ``python runner.py list``); a bad value or an unknown
name is a :class:`~catalystlab.core.errors.BadInputError`. Like ``run``, an indicator refuses a
ticker that lacks the data its signal reads unless ``allow_missing_data=True``.
"""

from __future__ import annotations

import dataclasses
from array import array
from typing import Any, ClassVar

import backtrader as bt
import numpy as np

from catalystlab.bt.feeds import CatalystFeed
from catalystlab.core.errors import BadInputError
from catalystlab.core.registry import build_params
from catalystlab.pipeline.data_check import unmet_needs
from signals.base import SIGNALS, compute_signal
from signals.capex import CapexParams
from signals.layoffs import LayoffsParams
from signals.margin import MarginParams
from signals.thesis import ThesisParams


def _params_of(params_type: type) -> tuple[tuple[str, Any], ...]:
    """backtrader ``params`` from a signal's parameter dataclass (same names and defaults),
    plus ``allow_missing_data``."""
    found = []
    for field in dataclasses.fields(params_type):
        if field.default is not dataclasses.MISSING:
            found.append((field.name, field.default))
        else:
            found.append((field.name, field.default_factory()))
    return (*found, ("allow_missing_data", False))


def catalyst_feed(data: object, who: str) -> CatalystFeed:
    """The :class:`CatalystFeed` behind ``data``: itself, or the feed a clone was made of
    (``cerebro.resampledata`` of a feed already added); BadInputError for any other data."""
    source = data.p.dataname if isinstance(data, bt.DataClone) else data
    if not isinstance(source, CatalystFeed):
        name = getattr(data, "_name", "") or type(data).__name__
        raise BadInputError(
            f"{who} reads catalysts from a catalystlab.bt.feed, and its data {name!r} is a "
            f"{type(source).__name__}; add the ticker with cerebro.adddata(catalystlab.bt.feed("
            "'AMZN', data_dir=...))."
        )
    return source


def signal_exposure(
    data: CatalystFeed, signal: str, params: dict[str, Any], *, allow_missing_data: bool, who: str
) -> np.ndarray:
    """Exposure of ``signal`` with ``params`` on each daily row of ``data``, fractions 0..1,
    computed by the signal's own function on the feed's inputs."""
    catalysts = data.catalysts
    definition = SIGNALS.get(signal)
    parsed = build_params(definition.params_type, params, where=who)
    if not catalysts.loaded:
        raise BadInputError(
            f"{who}: the feed of {catalysts.ticker} was made with catalysts=False; make it "
            "with catalysts=True (the default) to read its fundamentals and events."
        )
    if definition.needs is not None and not allow_missing_data:
        missing = unmet_needs(
            definition.needs(parsed),
            catalysts.ticker,
            fundamentals=catalysts.inputs.fundamentals,
            events=catalysts.inputs.events,
        )
        if missing:
            raise BadInputError(
                f"{who}: there is no {' and no '.join(missing)} for {catalysts.ticker}, so the "
                "signal would never see a catalyst; add the data (the data_dir files), use a "
                "ticker that has it, or pass allow_missing_data=True to run it anyway."
            )
    exposure = compute_signal(signal, catalysts.inputs, [catalysts.ticker], params)
    return exposure[catalysts.ticker].to_numpy(dtype="float64")


class _Exposure(bt.Indicator):
    """The ``exposure`` line of a signal, filled from values computed once per feed: a bar
    gets the value of the last trading day on or before its date (a weekly bar resampled from
    the feed: the value at the close of the week's last session)."""

    lines = ("exposure",)
    plotinfo: ClassVar[dict[str, Any]] = {"plotymargin": 0.05, "plotyhlines": [0.0, 1.0]}

    _values: np.ndarray
    _dates: np.ndarray

    def _compute(
        self, signal: str, params: dict[str, Any], *, allow_missing_data: bool, who: str
    ) -> None:
        source = catalyst_feed(self.data, who)
        self._dates = source.dates
        self._values = signal_exposure(
            source, signal, params, allow_missing_data=allow_missing_data, who=who
        )

    def _at(self, moments: np.ndarray) -> np.ndarray:
        """Exposure at backtrader date numbers ``moments`` (NaN before the feed's first day)."""
        position = np.searchsorted(self._dates, moments, side="right") - 1
        return np.where(position >= 0, self._values[np.maximum(position, 0)], np.nan)

    def next(self) -> None:
        self.lines.exposure[0] = float(self._at(np.array([self.data.datetime[0]]))[0])

    def once(self, start: int, end: int) -> None:
        moments = np.asarray(self.data.datetime.array[start:end], dtype="float64")
        self.lines.exposure.array[start:end] = array("d", self._at(moments))


class _BuiltinSignal(_Exposure):
    signal: ClassVar[str]
    params_type: ClassVar[type]

    def __init__(self, **unknown: Any) -> None:
        who = f"catalystlab.bt.{type(self).__name__}"
        names = [field.name for field in dataclasses.fields(self.params_type)]
        values = {name: getattr(self.p, name) for name in names} | unknown
        self._compute(
            self.signal, values, allow_missing_data=bool(self.p.allow_missing_data), who=who
        )


class Margin(_BuiltinSignal):
    """Signal ``margin``: 1 while the trailing-four-quarter operating margin change (or
    operating income growth, ``measure``) is above ``threshold`` (see :mod:`signals.margin`)."""

    signal = "margin"
    params_type = MarginParams
    params = _params_of(MarginParams)


class Layoffs(_BuiltinSignal):
    """Signal ``layoffs``: 1 for ``hold_days`` sessions after a layoff announcement that passes
    the size and status filters (see :mod:`signals.layoffs`)."""

    signal = "layoffs"
    params_type = LayoffsParams
    params = _params_of(LayoffsParams)


class Capex(_BuiltinSignal):
    """Signal ``capex``: 1 while capex grows above ``threshold`` and/or after capex guidance
    (``mode``; see :mod:`signals.capex`)."""

    signal = "capex"
    params_type = CapexParams
    params = _params_of(CapexParams)


class Thesis(_BuiltinSignal):
    """Signal ``thesis``: margin, layoffs and capex combined (``combine``: all, any or
    weighted; each component's parameters as a dict; see :mod:`signals.thesis`)."""

    signal = "thesis"
    params_type = ThesisParams
    params = _params_of(ThesisParams)


class _NamedSignalMeta(type(bt.Indicator)):
    """Lets ``Signal("name", data, **params)`` pass the name and the signal's parameters past
    backtrader, which would take a leading text argument for a data and unknown keywords for
    errors."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        names = [arg for arg in args if isinstance(arg, str)]
        if len(names) != 1:
            raise BadInputError(
                "catalystlab.bt.Signal: give one signal name, e.g. "
                "Signal('margin', threshold=0.01) or Signal('margin', self.data1)."
            )
        datas = [arg for arg in args if not isinstance(arg, str)]
        allow = kwargs.pop("allow_missing_data", False)
        return super().__call__(
            *datas, signal=names[0], signal_params=kwargs, allow_missing_data=allow
        )


class Signal(_Exposure, metaclass=_NamedSignalMeta):
    """Any registered signal, plugins included (entry point ``catalystlab.signals``), by name:
    ``Signal("my_signal", threshold=0.1)`` on the strategy's first data, or
    ``Signal("my_signal", self.data1, ...)`` (or ``Signal(self.data1, "my_signal")``) on
    another."""

    params = (("signal", ""), ("signal_params", None), ("allow_missing_data", False))

    def __init__(self) -> None:
        self._compute(
            self.p.signal,
            dict(self.p.signal_params or {}),
            allow_missing_data=bool(self.p.allow_missing_data),
            who=f"catalystlab.bt.Signal({self.p.signal!r})",
        )
