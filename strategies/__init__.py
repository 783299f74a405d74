"""Strategies: rules that turn prices and signals into target portfolio weights.

Each strategy kind is a parameter dataclass and a function that returns a *schedule*: a
DataFrame on the run's trading days, one column per ticker it trades, whose non-NaN rows are
target weights (fractions of portfolio value, summing to at most 1; the rest is cash) decided
at that day's close and filled at the next open. An all-NaN row means "keep what you hold".
``catalystlab.engine.target_weights`` is the one backtrader strategy that executes any schedule.
"""
