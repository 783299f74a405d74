"""Imports the built-in signal modules so that they register themselves."""

from signals import capex, layoffs, margin, thesis

__all__ = ["capex", "layoffs", "margin", "thesis"]
