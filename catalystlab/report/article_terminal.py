"""What ``init --from-article`` prints: what it read from the article, and where it wrote."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from catalystlab.inputs.articles import Article
from catalystlab.report.config_template import one_line
from catalystlab.report.formatting import counted
from catalystlab.report.rich_text import literal


def article_lines(article: Article, left_out: tuple[str, ...] = ()) -> list[str]:
    """Plain lines (no markup) saying what was read: call, date, benchmarks (``left_out``:
    named but without prices), catalysts, claims."""
    checkable = sum(claim.checkable for claim in article.claims)
    kept = [t for t in article.benchmarks if t not in left_out]
    count = len(article.claims)
    lines = [
        f"Call: {article.stance} {article.ticker} ({article.timing}).",
        f'  stance read from: "{one_line(article.stance_sentence)}"',
        f"Benchmarks: {', '.join(kept)}"
        + (f"; rivals named: {', '.join(article.rivals)}" if article.rivals else "; no rival named")
        + (f"; left out for want of prices: {', '.join(left_out)}" if left_out else "")
        + ".",
        "Catalysts: " + (", ".join(c.signal for c in article.catalysts) or "none named") + ".",
        f"Claims: {counted(count, 'number')}, {checkable} with a check against "
        f"the data, {count - checkable} listed as not checkable.",
    ]
    return lines


def print_article(
    out: Console,
    article: Article,
    config: Path,
    claims: Path | None,
    left_out: tuple[str, ...] = (),
) -> None:
    """The article as read, then the files written and the next command."""
    for line in article_lines(article, left_out):
        out.print(literal(line), highlight=False, soft_wrap=True)
    written = f"Wrote {config}" + (f" and {claims}" if claims else "")
    out.print(
        literal(f"{written}. Read the comments, then: runner.py validate {config} --data-dir DIR"),
        highlight=False,
        soft_wrap=True,
    )
