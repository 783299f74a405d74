"""What ``init --from-article`` prints: what it read from the article, and where it wrote."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from catalystlab.inputs.articles import Article
from catalystlab.report.config_template import one_line
from catalystlab.report.rich_text import literal


def article_lines(article: Article) -> list[str]:
    """Plain lines (no markup) saying what was read: call, date, benchmarks, catalysts,
    claims."""
    checkable = sum(claim.checkable for claim in article.claims)
    lines = [
        f"Call: {article.stance} {article.ticker} ({article.timing}).",
        f'  stance read from: "{one_line(article.stance_sentence)}"',
        f"Benchmarks: {', '.join(article.benchmarks)}"
        + (f"; rivals named: {', '.join(article.rivals)}" if article.rivals else "; no rival named")
        + ".",
        "Catalysts: " + (", ".join(c.signal for c in article.catalysts) or "none named") + ".",
        f"Claims: {len(article.claims)} numbers, {checkable} with a check against the data, "
        f"{len(article.claims) - checkable} listed as not checkable.",
    ]
    return lines


def print_article(out: Console, article: Article, config: Path, claims: Path | None) -> None:
    """The article as read, then the files written and the next command."""
    for line in article_lines(article):
        out.print(literal(line), highlight=False, soft_wrap=True)
    written = f"Wrote {config}" + (f" and {claims}" if claims else "")
    out.print(
        literal(f"{written}. Read the comments, then: runner.py validate {config} --data-dir DIR"),
        highlight=False,
        soft_wrap=True,
    )
