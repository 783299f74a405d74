"""Reports of a finished run: tearsheets, charts, the HTML report and the terminal summary.

Every module that draws selects matplotlib's Agg backend (files only, no window) before it
imports pyplot (:mod:`.charts`, :mod:`.sweep`, :mod:`.ledger`; the tearsheets are drawn once
:mod:`.write` has imported the charts): backtrader switches to TkAgg when its plotting is
imported, and a report must never need a display. The package itself imports no matplotlib,
so that the terminal summary of an unchanged re-run (:mod:`.reuse`) loads without it.
"""
