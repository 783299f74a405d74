"""Parameter sweeps: the grid of trials, screening metrics on equity matrices, walk-forward."""
