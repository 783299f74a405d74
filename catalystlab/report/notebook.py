"""How results show in a notebook: a one-line ``repr``, an HTML block (headline, key tables,
links to the folder's report) for ``_repr_html_``, and the equity curves as a matplotlib chart.

Every cell is formatted by :func:`catalystlab.report.formatting.formatted` and escaped: user
text (config names, labels, claims) is data, never markup.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from catalystlab.report.formatting import formatted, psr_label
from catalystlab.report.tables import ranked_display

# The ranked table's columns shown in a notebook (the DSR's ranking, its answer first).
NOTEBOOK_RANKED = ("rank", "total_return", "sharpe", "psr", "dsr", "excess_return")
# Rows of a ranked table shown in a notebook; the attribute holds them all.
SHOWN_ROWS = 10


def one_line(kind: str, name: str, answer: str, folder: Path | None, **extra: object) -> str:
    """``Kind(name: answer, key=value, folder=...)``: a repr short enough for one line."""
    parts = [f"{name}: {answer}" if answer else name]
    parts += [f"{key}={value}" for key, value in extra.items()]
    parts.append(f"folder={str(folder) if folder is not None else None}")
    return f"{kind}({', '.join(parts)})"


def html_table(frame: pd.DataFrame, *, title: str, index_label: str = "") -> str:
    """``frame`` formatted and escaped as an HTML table under a small heading (at most
    :data:`SHOWN_ROWS` rows; the caption says how many more the attribute holds)."""
    shown = formatted(frame.head(SHOWN_ROWS))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [index_label, *shown.columns])
    body = "".join(
        f"<tr><td>{html.escape(str(label))}</td>"
        + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row)
        + "</tr>"
        for label, row in zip(shown.index, shown.to_numpy().tolist(), strict=True)
    )
    more = len(frame) - len(shown)
    caption = f"<caption>{more} more rows</caption>" if more > 0 else ""
    return (
        f"<h4>{html.escape(title)}</h4><table>{caption}<thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def html_block(
    answer: str, tables: list[str], folder: Path | None, page: str = "report.html"
) -> str:
    """The answer in bold, then ``tables``, then links to the folder and its ``page``."""
    links = (
        f'<p>Results: <a href="{html.escape((folder / page).as_uri())}">'
        f"{html.escape(str(folder / page))}</a></p>"
        if folder is not None
        else "<p>Nothing written (write=False).</p>"
    )
    return f"<div><p><strong>{html.escape(answer)}</strong></p>{''.join(tables)}{links}</div>"


def ranked_for_notebook(table: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """The columns of :data:`NOTEBOOK_RANKED` a ranked table has, for display (the excess
    interval in one cell), PSR labelled with ``benchmark``."""
    columns = tuple(c for c in NOTEBOOK_RANKED if c in table.columns)
    return ranked_display(table, columns).rename(columns={"psr": psr_label(benchmark)})


def plot_equity(equity: pd.DataFrame, *, title: str, ax: Any = None) -> Any:
    """Growth of 1 of every column of ``equity`` (values at each close), log scale, drawn as
    report.html draws it on ``ax`` (a new figure's when None); returns the Figure (a
    notebook shows it)."""
    import matplotlib.pyplot as plt

    from catalystlab.report.charts import draw_growth

    if equity.empty:
        raise ValueError("no equity curve to plot: this run has no strategy")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5.2))
    draw_growth(ax, equity, title=title, log_scale=True)
    return ax.figure
