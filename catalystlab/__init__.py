"""catalystlab: put a published stock call to the test with point-in-time catalyst backtests."""

__version__ = "0.1.0"
