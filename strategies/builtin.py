"""Imports the built-in strategy kinds so that they register themselves."""

from strategies import basket, buy_and_hold, signal_strategy  # noqa: F401
