"""The article's text for anchoring: markdown rendered to text, with lines and sections."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError
from factcheck.files import Problem, UserFile, decode, read_bytes
from factcheck.files import real_path as resolve
from factcheck.text import normalise

if TYPE_CHECKING:
    from factcheck.extract import PageText
    from factcheck.load.model import Document

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_WORD = re.compile(r"\w+")


class ArticleSource(StrEnum):
    OPTION = "option"
    TEXT = "text"
    URL = "url"
    NONE = "none"


@dataclass(frozen=True)
class Heading:
    title: str  # normalised
    level: int
    start: int  # offset of the heading in the normalised text
    end: int  # where its section ends: the next heading of the same or a higher level
    line: int | None


#: Articles up to this many characters are searched by scanning, not through the word index:
#: the same offsets (see :meth:`ArticleText._candidates`).
SCAN_BELOW = 8192


@dataclass(frozen=True)
class ArticleText:
    """Normalised article text, joined from blocks, with the article line of every block."""

    source: ArticleSource
    origin: str
    text: str
    block_starts: tuple[int, ...] = ()
    block_lines: tuple[int | None, ...] = ()
    headings: tuple[Heading, ...] = ()

    def occurrences(self, quote: str) -> list[int]:
        """Offsets of every non-overlapping occurrence of a normalised quote."""
        found: list[int] = []
        if not quote:
            return found
        # A short article is scanned (microseconds a quote): indexing its words costs more
        # than the few quotes of its claims file ask (10,000 files of 10 claims: 1.4 s).
        small = len(self.text) <= SCAN_BELOW and "_word_starts" not in self.__dict__
        candidates = None if small else self._candidates(quote)
        if candidates is None:
            start = self.text.find(quote)
            while start != -1:
                found.append(start)
                start = self.text.find(quote, start + len(quote))
            return found
        end = 0
        for start in candidates:
            if start >= end and self.text.startswith(quote, start):
                found.append(start)
                end = start + len(quote)
        return found

    def _candidates(self, quote: str) -> list[int] | None:
        """Where ``quote`` may start, from its rarest whole word; None to scan the text.

        A word of the quote with a non-word character on each side is a whole word of the
        article wherever the quote occurs, so the word index gives every possible start.
        Scanning the text once per quote made anchoring quadratic in the article's length.
        Any such word gives every start (the others are turned away by a comparison): the
        words between two spaces are tried first, without a regex, then every word.
        """
        index = self._word_starts
        tokens = quote.split(" ")
        best: list[int] | None = None
        fewest = 0
        best_offset = 0
        offset = len(tokens[0]) + 1
        for token in tokens[1:-1]:
            # Letters and digits only (each a word character) with a space on each side.
            if token.isalnum():
                starts = index.get(token)
                if starts is None:  # a word the article does not have: nor has it the quote
                    return []
                if best is None or len(starts) < fewest:
                    best, fewest, best_offset = starts, len(starts), offset
                    if fewest <= 1:
                        break
            offset += len(token) + 1
        if best is not None:
            return [start - best_offset for start in best if start >= best_offset]
        return self._candidates_by_words(quote)

    def _candidates_by_words(self, quote: str) -> list[int] | None:
        """:meth:`_candidates` from every whole word of the quote (found by the regex)."""
        best: list[int] | None = None
        best_offset = 0
        for match in _WORD.finditer(quote):
            if match.start() == 0 or match.end() == len(quote):
                continue
            starts = self._word_starts.get(match.group(), [])
            if best is None or len(starts) < len(best):
                best, best_offset = starts, match.start()
                if len(best) <= 1:
                    break
        if best is None:
            return None
        return [start - best_offset for start in best if start >= best_offset]

    @property
    def words(self) -> dict[str, list[int]]:
        """Where each whole word of the text starts: the article's one index, built once."""
        return self._word_starts

    @cached_property
    def _word_starts(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        add = index.setdefault
        for match in _WORD.finditer(self.text):
            add(match.group(), []).append(match.start())
        return index

    def line_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.block_starts, offset) - 1
        return self.block_lines[index] if index >= 0 else None

    def sections_at(self, offset: int) -> list[Heading]:
        """Every heading whose section contains ``offset`` (innermost last)."""
        return [h for h in self.headings if h.start <= offset < h.end]

    def heading_named(self, title: str) -> list[Heading]:
        return list(self._headings_by_title.get(normalise(title), ()))

    @cached_property
    def _headings_by_title(self) -> dict[str, list[Heading]]:
        by_title: dict[str, list[Heading]] = {}
        for heading in self.headings:
            by_title.setdefault(heading.title, []).append(heading)
        return by_title


def _assemble(
    source: ArticleSource,
    origin: str,
    blocks: list[tuple[str, int | None, int]],
) -> ArticleText:
    """Join (text, line, heading level or 0) blocks into one normalised text."""
    parts: list[str] = []
    starts: list[int] = []
    lines: list[int | None] = []
    open_headings: list[tuple[str, int, int, int | None]] = []
    offset = 0
    for raw, line, level in blocks:
        text = normalise(raw)
        if not text:
            continue
        starts.append(offset)
        lines.append(line)
        parts.append(text)
        if level:
            open_headings.append((text, level, offset, line))
        offset += len(text) + 1
    total = max(offset - 1, 0)
    headings: list[Heading] = []
    for i, (title, level, start, line) in enumerate(open_headings):
        end = next((s for _, lv, s, _ in open_headings[i + 1 :] if lv <= level), total + 1)
        headings.append(Heading(title, level, start, end, line))
    return ArticleText(
        source,
        origin,
        " ".join(parts),
        tuple(starts),
        tuple(lines),
        tuple(headings),
    )


@functools.cache
def _markdown_parser() -> Any:
    """One CommonMark parser for the run: building one costs more than parsing a short
    article, and a run over an archive renders thousands."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def from_markdown(markdown: str, source: ArticleSource, origin: str) -> ArticleText:
    """Render markdown (CommonMark) to text blocks; ATX and setext headings are sections."""
    tokens = _markdown_parser().parse(markdown)
    blocks: list[tuple[str, int | None, int]] = []
    level = 0
    for token in tokens:
        if token.type == "heading_open":
            # h1 is the title, not a section; it stays in the text for anchoring.
            level = int(token.tag[1]) if token.tag != "h1" else 0
        elif token.type == "heading_close":
            level = 0
        elif token.type == "inline":
            line = token.map[0] + 1 if token.map else None
            blocks.append((_inline_text(token.children or []), line, level))
        elif token.type in {"code_block", "fence"}:
            line = token.map[0] + 1 if token.map else None
            blocks.append((token.content, line, 0))
    return _assemble(source, origin, blocks)


def _inline_text(children: Sequence[object]) -> str:
    out: list[str] = []
    for child in children:
        kind = getattr(child, "type", "")
        if kind in {"text", "code_inline"}:
            out.append(str(getattr(child, "content", "")))
        elif kind in {"softbreak", "hardbreak"}:
            out.append(" ")
        elif kind == "image":
            out.append(_inline_text(list(getattr(child, "children", None) or [])))
    return "".join(out)


def from_html(
    body: bytes, content_type: str | None, source: ArticleSource, origin: str
) -> ArticleText:
    """Visible text of an HTML page; headings located in order within the text."""
    from factcheck.extract import extract_page

    return from_page(extract_page(body, content_type, url=origin), source, origin)


def from_page(page: PageText, source: ArticleSource, origin: str) -> ArticleText:
    """Article text from an extracted page: headings located in order within the text."""
    text = normalise(page.text)
    positions: list[tuple[str, int]] = []
    cursor = 0
    for heading in page.headings:
        title = normalise(heading)
        at = text.find(title, cursor)
        if title and at != -1:
            positions.append((title, at))
            cursor = at + len(title)
    headings = tuple(
        Heading(
            title, 2, start, positions[i + 1][1] if i + 1 < len(positions) else len(text) + 1, None
        )
        for i, (title, start) in enumerate(positions)
    )
    return ArticleText(source, origin, text, (0,), (None,), headings)


@dataclass(frozen=True)
class ArticleFile:
    """A local article file, read and decoded but not yet rendered (rendering is the costly
    part, so a run can start its link checks first)."""

    path: Path
    source: ArticleSource
    #: The decoded text of a markdown or plain-text file; None for HTML.
    markdown: str | None = None
    html: bytes | None = field(default=None, repr=False)

    def parse(self) -> ArticleText:
        if self.html is not None:
            return from_html(self.html, "text/html", self.source, str(self.path))
        return from_markdown(self.markdown or "", self.source, str(self.path))


def read_local(path: Path, source: ArticleSource) -> ArticleText:
    """Read a local article file (markdown or plain text, or HTML by its suffix)."""
    return read_article_file(path, source).parse()


#: Article files (``--article``, ``article.text``).
ARTICLE_FILE = UserFile(
    "article file",
    MAX_ARTICLE_BYTES,
    {
        Problem.DIRECTORY: "the article path is a directory",
        Problem.NOT_REGULAR: "the article path is not a regular file",
        Problem.TOO_LARGE: "article file is over {cap} MiB",
        Problem.UNREADABLE: "cannot read article: {reason}",
        Problem.NOT_TEXT: "the article file is not UTF-8 text",
    },
)


def read_article_file(path: Path, source: ArticleSource) -> ArticleFile:
    """Read (not render) a local article file; raises :class:`FactcheckError` with the reason."""
    data = read_bytes(path, ARTICLE_FILE)
    if path.suffix.lower() in HTML_SUFFIXES:
        return ArticleFile(path, source, html=data)
    return ArticleFile(path, source, markdown=decode(data, ARTICLE_FILE, location=str(path)))


def needs_article_url(document: Document, option: Path | None) -> bool:
    """Whether the article's text must come from ``article.url``: neither ``--article`` nor
    ``article.text`` names a local copy."""
    return option is None and document.article.text is None


def local_article(
    document: Document, claims_path: Path, option: Path | None
) -> tuple[ArticleText | None, str | None]:
    """The article text from ``--article`` or ``article.text``, or why ``article.text`` cannot
    be used (the caller reports it: FC306, or exit 2 for ``coverage``).

    Returns (None, None) when neither is given: the caller fetches ``article.url`` or reports
    FC304. ``--article`` problems raise (exit 2): the user named that file on the command line.
    """
    file, problem = local_article_file(document, claims_path, option)
    return (file.parse() if file is not None else None), problem


def local_article_file(
    document: Document, claims_path: Path, option: Path | None, *, real_path: str | None = None
) -> tuple[ArticleFile | None, str | None]:
    """:func:`local_article`, read but not rendered (``real_path``: the claims file resolved,
    when the caller has it)."""
    if option is not None:
        return read_article_file(option, ArticleSource.OPTION), None
    relative = document.article.text
    if relative is None:
        return None, None
    base = Path(real_path or resolve(claims_path)).parent
    try:
        target = Path(resolve(base / relative))
    except (ValueError, OSError):  # a NUL byte, a path too long to resolve
        return None, f"article.text {relative!r} is not a usable path"
    if not target.is_relative_to(base):
        return None, (
            f"article.text {relative!r} points outside the claims file's directory; "
            "keep the article beside the claims file or pass --article"
        )
    try:
        return read_article_file(target, ArticleSource.TEXT), None
    except FactcheckError as exc:
        return None, f"article.text {relative!r}: {exc.message}"
