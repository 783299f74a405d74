"""Imports the built-in strategy kinds so that they register themselves."""

from strategies import basket, buy_and_hold, signal_strategy

__all__ = ["basket", "buy_and_hold", "signal_strategy"]
