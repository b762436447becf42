"""Reading a response body: only as much as the checks need, decompressed with capped output
(a gzip bomb costs no more memory than the cap), and the head of a page judged cheaply."""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.extract import PageText
    from factcheck.links.transport import Response

KIB = 1024
#: A link-only check reads at most this much of an HTML page (SPEC: "</title> or 64 KiB").
HEAD_LIMIT = 64 * KIB
#: Error pages and redirect bodies: read this much, for challenge markers or to keep the
#: connection; a longer rest is not drained but the connection closed.
SMALL_LIMIT = 64 * KIB
_CHUNK = 64 * KIB
TITLE_END = re.compile(rb"</title\s*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b[^>]*>", re.IGNORECASE)
_TITLE_TEXT = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


@dataclass
class Body:
    data: bytes
    #: The cap or the deadline stopped the read before the end of the body.
    truncated: bool
    #: The whole body was read (the connection can be reused).
    complete: bool
    timed_out: bool = False


class Inflater:
    """Content-Encoding decoder with capped output (``max_length``): memory stays flat."""

    def __init__(self, encoding: str | None) -> None:
        encoding = (encoding or "").strip().lower()
        self.raw_deflate_tried = False
        self.supported = True
        self._zlib: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            self.supported = False
        self.encoding = encoding
        self.overflow = False

    def feed(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            if len(data) > room:
                self.overflow = True
            return data[:room]
        try:
            out: bytes = self._zlib.decompress(data, room)
        except zlib.error:
            if self.encoding == "deflate" and not self.raw_deflate_tried:
                self.raw_deflate_tried = True  # servers that send raw deflate without zlib header
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise
        if self._zlib.unconsumed_tail:
            self.overflow = True
        self.raw_deflate_tried = True
        return out


async def read_body(
    response: Response, limit: int, *, stop_at_title: bool = False, sink: IO[bytes] | None = None
) -> Body:
    """Up to ``limit`` decoded bytes of the body (into ``sink`` when given)."""
    inflater = Inflater(response.headers.get("content-encoding"))
    if not inflater.supported:
        return Body(b"", truncated=True, complete=False)
    buffer = bytearray()
    size = 0
    raw = 0
    timed_out = False
    complete = False
    truncated = False
    while True:
        try:
            chunk = await response.read1(_CHUNK)
        except TimeoutError:
            timed_out = truncated = True
            break
        except OSError:  # ssl.SSLError and ConnectionError included
            truncated = True  # the server cut the body short
            break
        if not chunk:
            complete = True
            break
        raw += len(chunk)
        try:
            data = inflater.feed(chunk, limit + 1 - size)
        except zlib.error:
            truncated = True
            break
        size += len(data)
        if sink is not None:
            sink.write(data)
        else:
            buffer += data
        if inflater.overflow or size > limit or raw > 2 * limit + _CHUNK:
            truncated = True
            break
        if stop_at_title and TITLE_END.search(buffer, max(0, len(buffer) - len(data) - 8)):
            break
    if sink is None and len(buffer) > limit:
        del buffer[limit:]
    return Body(bytes(buffer), truncated=truncated, complete=complete, timed_out=timed_out)


async def finish(response: Response, body: Body) -> None:
    """Done with the body: when the rest of it is short it is read (and dropped), so that
    :meth:`Response.release` can keep the connection; else the connection is closed then."""
    if not body.complete and not body.truncated:
        remaining = response.length_remaining
        if remaining is not None and remaining <= SMALL_LIMIT:
            await read_body(response, SMALL_LIMIT)


def judge_head(
    head: bytes, content_type: str | None, url: str, *, complete: bool
) -> tuple[str | None, str | None]:
    """The title of a page's head and whether it is a challenge page.

    The extractor takes about 150 µs plus 15 µs per KiB, and news sites put tens of KiB of
    scripts before their ``<title>``; a link-only check needs the title alone, so it is sniffed
    here (about 10 µs) and matched against the extractor's own list of challenge titles. A
    small page without a title is handed to the extractor whole (challenge markers).
    """
    from factcheck import extract as extractor

    match = _TITLE.search(head)
    if match is None:
        if not complete:
            return None, None
        page = read_page(head, content_type, url, truncated=not complete)
        if page.kind != "html":
            return None, None
        return page.title, (
            f"a {page.interstitial or 'challenge'} page" if page.challenge else None
        )
    text, _ = extractor.decode_body(head, content_type, sniff_meta=True)
    found = _TITLE_TEXT.search(text)
    if found is None:
        return None, None
    title = " ".join(html.unescape(found.group(1)).split()) or None
    if title is not None and title.lower() in extractor.CHALLENGE_TITLES:
        return title, "a challenge page"
    return title, None


def read_page(body: bytes, content_type: str | None, url: str, truncated: bool) -> PageText:
    """The extractor's reading of a body."""
    from factcheck.extract import extract_page

    return extract_page(body, content_type, url=url, truncated=truncated)
