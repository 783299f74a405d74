"""A run: plan a config into strategies and the call's legs, backtest them, collect the
outcome (:mod:`.execute`); rank runs (:mod:`.ranking`, :mod:`.cross_run`)."""
