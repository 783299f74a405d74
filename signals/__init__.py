"""Catalyst signals: pure functions from point-in-time inputs to daily target exposure.

Import :mod:`signals.base` for the contract; the built-in signals register themselves when
this package is imported.
"""
