"""Inputs of a run: prices (CSV, yfinance, cache, calendar alignment), point-in-time
fundamentals and dated events."""
