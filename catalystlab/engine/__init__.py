"""The engine: the backtrader adapter (the only package that imports backtrader). Everything
else hands it a target-weight schedule and pandas price frames and gets pandas objects back."""
