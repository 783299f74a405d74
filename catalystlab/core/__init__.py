"""Building blocks every layer uses: errors, tickers, the registry, point-in-time tables,
progress, atomic files, YAML, digests and JSON values."""
