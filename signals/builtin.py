"""Imports the built-in signal modules so that they register themselves."""
