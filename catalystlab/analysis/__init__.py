"""What the numbers say: comparison statistics, the call test, the event study and the claims
audit. Numbers and dataclasses only; prose, tables and charts live in :mod:`catalystlab.report`."""
