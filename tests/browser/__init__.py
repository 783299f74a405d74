"""Browser tests and their harness (harness.py): pages opened in headless Chromium."""
