"""``init --from-article``: the claims file of an article, drafted from the numbers it states.

The file follows ``config/claims/README.md`` and is validated against the claims schema before
it is returned. Each claim is preceded by a comment with the words its number was read from;
a number no check can measure is written as ``not_in_data`` with the reason, never dropped.
"""

from __future__ import annotations

import re

import pydantic
import yaml

from catalystlab.analysis.audit.schema import ClaimsFile
from catalystlab.inputs.articles import Article
from catalystlab.inputs.articles.claims import DraftClaim
from catalystlab.report.config_template import one_line

MAX_TEXT = 400  # characters of a claim's sentence kept as its text


def claims_text(article: Article) -> str | None:
    """The commented claims YAML of the article's numbers; None when it states none."""
    if not article.claims:
        return None
    entries = [_entry(claim) for claim in article.claims]
    try:
        ClaimsFile.model_validate({"claims": entries})
    except pydantic.ValidationError as error:  # a bug of the drafting rules, not of the user
        raise AssertionError(f"drafted claims do not validate: {error}") from error
    checkable = sum(claim.checkable for claim in article.claims)
    lines = [
        f"# The numbers of {one_line(article.title)!s}",
        f"# drafted by `runner.py init --from-article`: {len(article.claims)} claims, "
        f"{checkable} with a check against the data.",
        "# Each claim's check was chosen by the rules of docs/articles.md: read the comment",
        "# above it and correct what does not fit (format: config/claims/README.md).",
        "claims:",
    ]
    for claim, entry in zip(article.claims, entries, strict=True):
        lines.append(f"  # read from: {one_line(claim.number)}")
        if claim.reason:
            lines.append(f"  # not checkable: {one_line(claim.reason)}")
        dumped = yaml.safe_dump(
            [entry], sort_keys=False, allow_unicode=True, width=96, default_flow_style=False
        )
        lines.extend("  " + line for line in dumped.splitlines())
    return "\n".join(lines) + "\n"


def _entry(claim: DraftClaim) -> dict[str, object]:
    sentence = " ".join(claim.sentence.split())
    text = clause(sentence, claim.number)
    source = "Article" if text == sentence else f"Article, in: {sentence}"
    if claim.also:
        source += f"; also stated: {' | '.join(one_line(s) for s in claim.also)}"
    entry: dict[str, object] = {
        "id": claim.id,
        "text": text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3].rstrip() + "...",
        "source": source,
    }
    context = claim.context or (f"Not checkable: {claim.reason}." if claim.reason else "")
    if context:
        entry["context"] = context
    if claim.partial:
        entry["partial"] = True
    entry["check"] = {k: v for k, v in claim.check.items()}
    return entry


def clause(sentence: str, words: str) -> str:
    """The part of ``sentence`` between dashes or semicolons that holds ``words`` (the whole
    sentence when it has one part or the words are not found)."""
    at = sentence.find(words)
    if at < 0:
        return sentence
    start = 0
    for part in re.split(r"(\s*[—–;]\s*|\s+-\s+)", sentence):
        end = start + len(part)
        if start <= at < end and not re.fullmatch(r"\s*[—–;-]\s*", part):
            return part.strip()
        start = end
    return sentence
