"""Prices: the validated frame, its sources (CSV folder, yfinance with an on-disk cache) and
the common calendar of a run."""
