"""An article's words: a saved page or a text file in, plain text and its sentences out.

The size is bounded before anything is read (``MAX_ARTICLE_BYTES``); the bytes must be UTF-8
(a byte-order mark is allowed) and must not look binary. HTML (a saved page) loses its markup,
scripts, styles and page furniture (navigation, headers, footers, forms, asides, and any
element whose role, class or id marks it as a cookie banner, related stories, sharing or ads); block
elements become line breaks, so headings and paragraphs stay apart.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from catalystlab.core.errors import BadInputError

MAX_ARTICLE_BYTES = 2_000_000  # a long article is ~50 kB; a saved page with its markup ~1 MB
MAX_ARTICLE_CHARS = 500_000  # text handed to read_article directly
_SKIPPED = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "iframe",
     "template", "button", "select", "head"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
     "section", "article", "main", "blockquote", "pre", "title", "dt", "dd", "figcaption",
     "time", "address"}
)  # fmt: skip
_FURNITURE = re.compile(
    r"cookie|consent|gdpr|newsletter|subscribe|paywall|related|share|social|advert|promo|"
    r"sidebar|breadcrumb|comments?\b|\bad\b|\bads\b",
    re.I,
)  # class, id or aria-label words of page furniture (a cookie banner, related stories)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "col"})
_LOOKS_HTML = re.compile(r"<\s*(?:!doctype|html|body|p|div|h[1-6]|article|script)\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_article_file(path: str | Path) -> str:
    """The plain text of the article file at ``path``; BadInputError for a missing, empty,
    oversized, binary or non-UTF-8 file (checked by size first, never read whole)."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"No article file at {path}; give the path of a saved article.")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise BadInputError(
            f"{path} is {size:,} bytes, more than an article's {MAX_ARTICLE_BYTES:,}; "
            "save the article's page or text alone."
        )
    return article_text(path.read_bytes(), where=str(path))


def article_text(raw: str | bytes, *, where: str = "the article") -> str:
    """Plain text of an article given as text or bytes (HTML is stripped); BadInputError
    when it is empty, too long, binary or not UTF-8."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_ARTICLE_BYTES:
            raise BadInputError(
                f"{where} is {len(raw):,} bytes, more than an article's "
                f"{MAX_ARTICLE_BYTES:,}; give the article alone."
            )
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise BadInputError(f"{where} is UTF-16 text; save it as UTF-8.")
        if b"\x00" in raw:
            raise BadInputError(f"{where} is binary, not text; save the article as text or HTML.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadInputError(
                f"{where} is not UTF-8 text; save it as UTF-8 (most editors offer "
                "'Save with encoding')."
            ) from None
    if len(raw) > MAX_ARTICLE_CHARS:
        raise BadInputError(
            f"{where} has {len(raw):,} characters, more than an article's "
            f"{MAX_ARTICLE_CHARS:,}; give the article alone."
        )
    if "\x00" in raw:
        raise BadInputError(f"{where} is binary, not text; save the article as text or HTML.")
    text = _strip_html(raw) if _LOOKS_HTML.search(raw) else raw
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise BadInputError(f"{where} holds no text; give a saved article.")
    return text


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and not self._skipping:
                self.parts.append("\n")
            return
        if self._skipping or tag in _SKIPPED or _is_furniture(attrs):
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:
                while self._skipping and self._skipping.pop() != tag:
                    pass
            return
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    """An element marked as page furniture by its role, class, id or label."""
    values = dict(attrs)
    if (values.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    marks = " ".join(values.get(key) or "" for key in ("class", "id", "aria-label"))
    return bool(_FURNITURE.search(marks))


def _strip_html(raw: str) -> str:
    parser = _TextParser()
    parser.feed(raw)
    parser.close()
    return html.unescape("".join(parser.parts))


MAX_SENTENCE = 1_000  # characters


def _bounded_lines(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        while len(line) > MAX_SENTENCE:
            cut = line.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    return lines


_ABBREVIATIONS = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Mr|Ms|Mrs|Dr|St|vs|No|U\.S|e\.g|i\.e|approx|est|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$"
)


def sentences(text: str) -> list[str]:
    """The text's sentences in order: each line is split at '.', '!' or '?' followed by a
    space and a capital, a digit or a quote, except after an abbreviation or a decimal; a
    'sentence' longer than ``MAX_SENTENCE`` characters (no prose has one) is cut at spaces,
    so that the work per sentence stays bounded."""
    found: list[str] = []
    for line in _bounded_lines(text):
        start = 0
        for match in re.finditer(r"[.!?][\"”’)]?\s+(?=[A-Z0-9\"“$(])", line):
            head = line[start : match.start() + 1]
            if _ABBREVIATIONS.search(head) or re.search(r"\b[A-Z]\.$", head):
                continue
            found.append(line[start : match.end()].strip())
            start = match.end()
        if line[start:].strip():
            found.append(line[start:].strip())
    return found


def clip(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace made one space), at most ``limit``
    characters, ending in '...' where it was cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."
