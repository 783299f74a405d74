"""A folder of articles as a ledger of calls: "is this author any good?" in one command.

Every ``.txt``, ``.html``, ``.htm`` and ``.md`` file directly in the folder is read with
:func:`~catalystlab.inputs.articles.read_article`; each that is a buy or sell call on a ticker
with a date becomes a ledger row (its id is the file's name, unique in the folder; its
source the ``source`` given, else the byline, else "no byline"). Every other file is listed
with the reason it is not a call (no rating, hold, no date, no ticker, unreadable) and the fix
in the file, never silently dropped. An article published during the session (entered at that
day's close by ``init``) is dated the next day: a ledger prices every call under one entry
convention, and the next day's open is the first price surely after publication.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.hashing import file_sha256
from catalystlab.inputs.articles.article import read_article
from catalystlab.inputs.articles.text import read_article_file
from catalystlab.inputs.ledger import Ledger, LedgerCall

SUFFIXES = (".txt", ".html", ".htm", ".md")
# init's flags fix one article; in a folder, the fix is in the file itself
_FOLDER_FIXES = (
    ("give --date or --window", "add a line such as 'Published: July 15, 2025' to the file"),
    ("give --ticker", "write the ticker in the file, e.g. 'Acme Corp. (NYSE: ACME)'"),
    (
        "give --stance buy|sell if it is one",
        "if it is one, write the author's rating in the file, e.g. 'Rating: Buy'",
    ),
    ("give --stance", "keep only the author's rating of the subject in the file"),
)
MAX_ARTICLES = 5000  # files read from one folder
MAX_SOURCE_LENGTH = 200


@dataclass(frozen=True)
class SkippedArticle:
    """An article file that is not a call, with the ``reason``."""

    path: Path
    reason: str


def articles_ledger(
    folder: str | Path, *, source: str | None = None
) -> tuple[Ledger, tuple[SkippedArticle, ...]]:
    """The ledger of the calls made by the articles in ``folder`` and the articles that are
    not calls. BadInputError when the folder holds no article file, too many, or no call."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataUnavailableError(f"No folder {folder}; give the folder of saved articles.")
    if source is not None and not 0 < len(source.strip()) <= MAX_SOURCE_LENGTH:
        raise BadInputError(f"--source: give a name of 1 to {MAX_SOURCE_LENGTH} characters.")
    files = []
    for path in folder.iterdir():
        if path.suffix.lower() in SUFFIXES and path.is_file():
            files.append(path)
            if len(files) > MAX_ARTICLES:
                raise BadInputError(
                    f"{folder} holds more than {MAX_ARTICLES:,} article files; split it."
                )
    if not files:
        raise BadInputError(
            f"{folder} holds no article ({', '.join(SUFFIXES)} files); save the author's "
            "articles there."
        )
    calls: list[LedgerCall] = []
    skipped: list[SkippedArticle] = []
    digest = hashlib.sha256()
    for line, path in enumerate(sorted(files), start=1):
        try:
            article = read_article(read_article_file(path))
        except BadInputError as error:
            skipped.append(SkippedArticle(path, str(error)))
            continue
        digest.update(f"{path.name}\0{file_sha256(path)}\n".encode())
        if not article.is_call:
            skipped.append(SkippedArticle(path, _folder_reason("; ".join(article.problems))))
            continue
        assert article.ticker and article.stance and article.date and article.window
        first, last = article.window
        day, note = article.date, f"{path.name}: {article.timing}"
        if article.entry == "close":
            # the ledger prices every call under one convention: the next day's open is the
            # first price surely after an article published during the session
            day, first, last = day + dt.timedelta(days=1), day, day + dt.timedelta(days=1)
            note += "; in a ledger, dated the next day (one entry convention for every call)"
        calls.append(
            LedgerCall(
                id=path.name,
                ticker=article.ticker,
                date=day,
                window=(first, last) if first != last else None,
                stance=article.stance,
                benchmark=None,
                horizons=(),
                source=(source or article.source or "no byline").strip(),
                url=article.url or "",
                note=note,
                line=line,
            )
        )
    if not calls:
        listed = "\n  ".join(f"{s.path.name}: {s.reason}" for s in skipped)
        raise BadInputError(f"None of the articles in {folder} is a buy or sell call:\n  {listed}")
    return Ledger(path=folder, sha256=digest.hexdigest(), calls=tuple(calls)), tuple(skipped)


def _folder_reason(problems: str) -> str:
    """An article's problems with init's flags replaced by the fix a folder of files takes."""
    for flag, fix in _FOLDER_FIXES:
        problems = problems.replace(flag, fix)
    return problems
