"""Statistics of return series: one small module per statistic or family."""
