"""Data sources: prices (CSV folder, yfinance with an on-disk cache), validation, alignment."""
