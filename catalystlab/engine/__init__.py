"""The backtrader adapter: the only place, with ``strategies/target_weights.py``, that imports
backtrader. Everything else hands it pandas objects and gets pandas objects back."""
