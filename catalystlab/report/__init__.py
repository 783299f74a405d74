"""Reports of a finished run: tearsheets, charts, the HTML report and the terminal summary.

Importing this package selects matplotlib's Agg backend (files only, no window): backtrader
switches to TkAgg when its plotting is imported, and a report must never need a display.
"""

import matplotlib

matplotlib.use("Agg")
