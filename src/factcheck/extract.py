"""Visible text of a fetched page: HTML, PDF or plain text.

The text is what a reader sees, in reading order, so that a quoted passage can be looked up in
it (README, "claims.yaml reference": an evidence quote must be on the page). Inline elements
join their text to their neighbours', block elements and ``<br>`` separate words; script, style,
template, noscript and hidden elements are dropped. The same pass collects what the link checker
needs from a page: the ``<title>`` and first ``<h1>`` (soft-404 detection), the fragment ids,
and whether the body is a bot challenge, consent or paywall interstitial rather than the page
itself.

Extraction never raises on page content: a page that cannot be read gives a :class:`PageText`
with ``complete=False`` and an ``error``.
"""

from __future__ import annotations

import codecs
import io
import re
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import IO

from selectolax.lexbor import LexborHTMLParser, LexborNode


class PageKind(StrEnum):
    HTML = "html"
    PDF = "pdf"
    TEXT = "text"
    OTHER = "other"


class Interstitial(StrEnum):
    """A page that stands in front of the content instead of being it."""

    CHALLENGE = "challenge"
    CONSENT = "consent"
    PAYWALL = "paywall"


@dataclass(frozen=True, kw_only=True)
class PageText:
    kind: PageKind
    #: Visible text in reading order; whitespace collapsed, otherwise not normalised.
    #: PDF text keeps its line breaks so that hyphenated line ends can be matched both ways.
    text: str
    title: str | None = None
    h1: str | None = None
    fragment_ids: frozenset[str] = frozenset()
    #: h2-h6 inside ``<article>``/``<main>`` (else the body), for article anchoring.
    headings: tuple[str, ...] = ()
    word_count: int
    #: Parsed in full: not truncated by the body cap, no parse error, no time or page budget cut.
    complete: bool
    #: A bot challenge or consent interstitial stands in for the page (the link checker's
    #: ``bot-blocked``). A paywall is not a challenge: see :attr:`interstitial`.
    challenge: bool = False
    content_type: str | None
    charset: str | None = None
    interstitial: Interstitial | None = None
    #: Why the page could not be read (a broken PDF, a parse error), else None.
    error: str | None = None
    #: The page's structure is too costly to take apart within the CPU budget of a page (deep
    #: nesting, thousands of attributes on one tag): no text, and the quote is ``too-complex``.
    too_complex: bool = False


# Inline elements join text; every other element separates words, as browsers render them
# (a em strong b i span sup sub, plus the other phrasing elements a browser renders inline).
_INLINE_TAGS = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span",
    "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
}  # fmt: skip
_DROPPED = "script, style, template, noscript, iframe, object, [hidden], [aria-hidden=true i]"
_STYLED = "[style]"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HEADINGS = "h2, h3, h4, h5, h6"
_PUNCTUATION_TOKEN = re.compile(r" [^\w ]+(?= |$)")

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers read differently from Python (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "iso8859-1": "cp1252",  # codec names, after lookup: latin-1 and ascii read as windows-1252
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "tis-620": "cp874",
    "unicode": "utf-8",
    "utf-16": "utf-8",  # a declared utf-16 without BOM is read as utf-8 by browsers
}
_DETECTION_SAMPLE = 256 * 1024


def _usable_charset(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when Python cannot read text with it."""
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
        if info.name in _CHARSET_ALIASES:
            info = codecs.lookup(_CHARSET_ALIASES[info.name])
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13 and the like
        return None
    return info.name


def _detect_charset(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A body cut by the cap may end inside a multi-byte character.
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes  # only for undeclared non-UTF-8 pages

    best = from_bytes(body[:_DETECTION_SAMPLE]).best()
    return _usable_charset(best.encoding if best else None) or "cp1252"


def decode_body(body: bytes, content_type: str | None, *, sniff_meta: bool) -> tuple[str, str]:
    """Decode ``body``; the charset comes from the BOM, the header, a ``<meta>`` in the first
    1 KiB (HTML only), then detection. Returns the text and the codec used."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name
    charset = None
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        charset = _usable_charset(match.group(1))
    if charset is None and sniff_meta and (meta := _META_CHARSET.search(body[:1024])):
        charset = _usable_charset(meta.group(1).decode("ascii", "replace"))
        if charset is not None and charset.startswith(("utf-16", "utf-32")):
            # A page that could say it in ASCII is not UTF-16 or UTF-32: browsers ignore such
            # a label in a meta tag (WHATWG Encoding; only a BOM or the header sets them).
            charset = None
    if charset is None:
        charset = _detect_charset(body)
    return body.decode(charset, errors="replace"), charset


def page_kind(content_type: str | None, body: bytes) -> PageKind:
    """The kind of page from its media type, sniffing the body when there is none."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return PageKind.HTML
    if media in ("application/pdf", "application/x-pdf"):
        return PageKind.PDF
    if media.startswith("text/") or media in ("application/json", "application/xml"):
        return PageKind.TEXT
    if media and media not in ("application/octet-stream", "binary/octet-stream"):
        return PageKind.OTHER
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return PageKind.PDF
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--")):
        return PageKind.HTML
    if not media and b"\x00" not in body[:1024]:
        return PageKind.TEXT
    return PageKind.OTHER


def extract_page(
    body: bytes, content_type: str | None, *, url: str | None = None, truncated: bool = False
) -> PageText:
    """The visible text of a fetched body, by its content type.

    ``truncated`` says the body was cut by the size cap: the page is then not ``complete``.
    """
    kind = page_kind(content_type, body)
    if kind is PageKind.HTML:
        return _extract_html(body, content_type, url=url, truncated=truncated)
    if kind is PageKind.PDF:
        pdf = _extract_pdf_stream(io.BytesIO(body), content_type, 10.0, 500)
        return replace(pdf, complete=False) if truncated else pdf
    if kind is PageKind.TEXT:
        text, charset = decode_body(body, content_type, sniff_meta=False)
        return PageText(
            kind=PageKind.TEXT,
            text=text,
            word_count=_count_words(text),
            complete=not truncated,
            content_type=content_type,
            charset=charset,
        )
    return PageText(
        kind=PageKind.OTHER,
        text="",
        word_count=0,
        complete=not truncated,
        content_type=content_type,
    )


def _count_words(text: str, *, collapsed: bool = False) -> int:
    """Whitespace-separated tokens with a letter or digit (a "|" or "-" is not a word)."""
    if not collapsed:
        text = " ".join(text.split())
    if not text:
        return 0
    return text.count(" ") + 1 - len(_PUNCTUATION_TOKEN.findall(" " + text))


def _join_inline(root: LexborNode) -> None:
    """Make inline elements and comments vanish so that their text joins its neighbours'.

    One walk instead of ``unwrap_tags``, which runs a CSS query per tag.
    """
    comments = []
    inline = []
    for node in root.traverse(include_text=True):
        if node.is_comment_node:
            comments.append(node)
        elif node.tag in _INLINE_TAGS:
            inline.append(node)
    for node in comments:
        node.decompose()
    # Innermost first: unwrapping an element costs as much as its subtree, so outermost first
    # was quadratic in the nesting of inline elements.
    for node in reversed(inline):
        node.unwrap()
    root.merge_text_nodes()


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _top_level(nodes: list[LexborNode]) -> list[LexborNode]:
    """Drop nodes inside another node of the list: removing an ancestor frees its subtree."""
    ids = {node.mem_id for node in nodes}
    # Whether each element walked through is inside one of the nodes: every element is walked
    # once, however deep the page (walking to the root from each node was quadratic).
    inside: dict[int, bool] = {}
    kept = []
    for node in nodes:
        path = []
        parent = node.parent
        answer = False
        while parent is not None:
            key = parent.mem_id
            if key in ids:
                answer = True
                break
            known = inside.get(key)
            if known is not None:
                answer = known
                break
            path.append(key)
            parent = parent.parent
        for key in path:
            inside[key] = answer
        if not answer:
            kept.append(node)
    return kept


def _fragment_ids(tree: LexborHTMLParser) -> frozenset[str]:
    # One node at a time: a list of every element with an id held them all at once.
    ids = {node.id for node in tree.root.traverse()} if tree.root is not None else set()
    ids.update(node.attributes.get("name") for node in tree.css("a[name]"))
    return frozenset(i for i in ids if i)


def _headings(tree: LexborHTMLParser, body: LexborNode) -> tuple[str, ...]:
    containers = tree.css("article, main")
    if containers:
        seen: set[int] = set()
        nodes = []
        for container in _top_level(containers):
            for node in container.css(_HEADINGS):
                if node.mem_id not in seen:
                    seen.add(node.mem_id)
                    nodes.append(node)
    else:
        nodes = body.css(_HEADINGS)
    texts = (_clean(node.text(separator=" ")) for node in nodes)
    return tuple(text for text in texts if text)


# --- the CPU budget of a page ------------------------------------------------------------------
# An HTML parser follows the HTML standard's tree construction, whose steps look through the
# open elements: on deeply nested markup (100,000 ``<div>``s, unclosed ``<b><i>`` pairs) or a
# tag with 300,000 attributes its work grows with the square of the page. A linear scan of the
# tags estimates that work first; a page past the budget is not parsed at all (``too_complex``),
# and a page that parses is still held to a CPU budget between the steps of extraction.

#: Estimated parser steps (open elements passed per tag, attribute pairs compared) allowed for
#: one page: about a second of parsing at worst; real pages, even 5 MiB ones, need a few million.
MAX_STRUCTURE_COST = 100_000_000
#: Elements allowed on one page: the parsed tree takes about 400 bytes per element (a 5 MiB
#: page of 400,000 elements with ids took 300 MB).
MAX_ELEMENTS = 150_000
#: CPU seconds for extracting the text of one HTML page.
HTML_CPU_BUDGET = 3.0

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)([^<>]*)")
# Elements whose end tag may be left out (the parser closes them): not counted as open.
_NOT_NESTED = {
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc", "area", "base",
    "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "keygen", "basefont", "bgsound", "frame", "image",
}  # fmt: skip
_FORMATTING = {
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u",
}  # fmt: skip
# Elements whose content is text up to their end tag (no tags inside).
_RAW_TEXT_NAMES = "script style textarea title xmp iframe noembed noframes noscript"
_RAW_TEXT = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _RAW_TEXT_NAMES.split(" ")}


def too_complex(html: str) -> str | None:
    """Why parsing ``html`` would cost too much (its structure or its number of elements),
    else None.

    Linear in the page: one regular-expression match per tag, the text of comments and raw
    text elements skipped with ``str.find``, and it stops as soon as a bound is passed. Each
    start tag costs the elements still open before it (end tags left out of ``p``, ``li``,
    ``td`` and the like are not counted: the parser closes them), a formatting element (``b``,
    ``i``, ``a``…) the open ones too, and a tag with ``n`` attributes costs ``n * n``.
    """
    cost = 0
    depth = 0
    formatting = 0
    elements = 0
    open_counts: dict[str, int] = {}
    position = 0
    search = _TAG.search
    find = html.find
    while cost <= MAX_STRUCTURE_COST and elements <= MAX_ELEMENTS:
        match = search(html, position)
        if match is None:
            return None
        comment = find("<!--", position, match.start())
        if comment != -1:  # a comment before this tag: skip to its end
            end = find("-->", comment + 4)
            if end == -1:
                return None
            position = end + 3
            continue
        closing, name, attributes = match.group(1, 2, 3)
        name = name.lower()
        position = match.end()
        if closing:
            count = open_counts.get(name, 0)
            if count:
                open_counts[name] = count - 1
                depth -= 1
                formatting -= name in _FORMATTING
            continue
        elements += 1
        if len(attributes) > 256:
            pairs = len(attributes.split())
            cost += pairs * pairs
        if name == "plaintext":  # the rest of the page is its text
            return None
        if name in _RAW_TEXT:
            closed = _RAW_TEXT[name].search(html, position)
            if closed is None:  # the rest of the page is this element's text
                return None
            position = closed.start()
            continue
        if name in _NOT_NESTED:
            continue
        if attributes.endswith("/") and (open_counts.get("svg") or open_counts.get("math")):
            continue  # self-closing only in SVG and MathML: an HTML <div/> stays open
        cost += depth
        if name in _FORMATTING:  # the list of active formatting elements is searched too
            formatting += 1
            cost += formatting
        depth += 1
        open_counts[name] = open_counts.get(name, 0) + 1
    if elements > MAX_ELEMENTS:
        return f"over {MAX_ELEMENTS:,} elements"
    return "nesting or attributes"


def _complex_page(content_type: str | None, charset: str | None, why: str) -> PageText:
    return PageText(
        kind=PageKind.HTML,
        text="",
        word_count=0,
        complete=False,
        content_type=content_type,
        charset=charset,
        too_complex=True,
        error=f"the page is too complex to read within its CPU budget ({why})",
    )


def _extract_html(
    body: bytes, content_type: str | None, *, url: str | None, truncated: bool
) -> PageText:
    started = time.thread_time()
    html, charset = decode_body(body, content_type, sniff_meta=True)
    if (why := too_complex(html)) is not None:
        return _complex_page(content_type, charset, why)

    def over_budget() -> bool:
        return time.thread_time() - started > HTML_CPU_BUDGET

    tree = LexborHTMLParser(html, scripting=True)
    if over_budget():
        return _complex_page(content_type, charset, "parsing")
    fragment_ids = _fragment_ids(tree)
    title_node = tree.css_first("head > title") or tree.css_first("title")
    title = _clean(title_node.text()) if title_node is not None else None

    dropped = tree.css(_DROPPED)
    dropped += [n for n in tree.css(_STYLED) if _HIDDEN_STYLE.search(n.attributes["style"] or "")]
    for node in _top_level(dropped):
        node.decompose()

    root = tree.body or tree.root
    text = ""
    h1 = None
    headings: tuple[str, ...] = ()
    word_count = 0
    if root is not None:
        if over_budget():
            return _complex_page(content_type, charset, "hidden elements")
        _join_inline(root)
        if over_budget():
            return _complex_page(content_type, charset, "inline elements")
        h1_node = root.css_first("h1")
        h1 = _clean(h1_node.text(separator=" ")) if h1_node is not None else None
        headings = _headings(tree, root)
        text = " ".join(root.text(separator=" ").split())
        word_count = _count_words(text, collapsed=True)
    interstitial = _interstitial(body, title, text, word_count, url)
    return PageText(
        kind=PageKind.HTML,
        text=text,
        title=title,
        h1=h1,
        fragment_ids=fragment_ids,
        headings=headings,
        word_count=word_count,
        complete=not truncated,
        challenge=interstitial in (Interstitial.CHALLENGE, Interstitial.CONSENT),
        content_type=content_type,
        charset=charset,
        interstitial=interstitial,
    )


# --- interstitials ---------------------------------------------------------------------------
# Known bodies only, and only on pages with little text of their own, so that an article that
# merely mentions a captcha or embeds a protection script is never taken for a challenge.

#: Page titles that mean a bot challenge stands in for the page (lower case); the link
#: checker matches sniffed titles against them too.
CHALLENGE_TITLES = frozenset(
    {
        "just a moment...",
        "just a moment…",
        "attention required! | cloudflare",
        "please wait... | cloudflare",
        "access denied",
        "ddos-guard",
        "are you a robot?",
        "robot check",
        "human verification",
        "pardon our interruption",
        "security check",
        "one moment, please...",
        "verifying your browser",
        "checking your browser",
        "you have been blocked",
        "request rejected",
    }
)
_CHALLENGE_MARKERS = (
    b"window._cf_chl_opt",
    b"cf-browser-verification",
    b"cf_chl_prog",
    b"/cdn-cgi/challenge-platform/h/",
    b"captcha-delivery.com",
    b"_incapsula_resource",
    b"incapsula incident id",
    b"px-captcha",
    b"sucuri website firewall",
    b"ddos-guard",
    b"awswafintegration",
    b"errors.edgesuite.net",
    b"checking your browser before accessing",
    b"enable javascript and cookies to continue",
    b"verify you are a human",
)
_CONSENT_MARKERS = (
    b"consent.google.",
    b"consent.yahoo.com",
    b"guce.yahoo.com",
    b"consent.youtube.com",
    b"before you continue to google",
    b"bevor sie zu google weitergehen",
)
_CONSENT_HOSTS = re.compile(r"^https?://(consent\.|guce\.)", re.IGNORECASE)
_PAYWALL_PHRASES = re.compile(
    r"subscribe to (continue reading|read (the full|this|more))|"
    r"(to continue reading|to read the full (article|story)),? "
    r"(please )?(subscribe|log in|sign in)|"
    r"this (article|content|story) is (only available|reserved) (to|for) (subscribers|members)|"
    r"already a subscriber\? (log|sign) in|"
    r"(jetzt|hier) (weiterlesen mit|abonnieren und weiterlesen)|"
    r"dieser (artikel|beitrag|inhalt) ist (nur )?(für )?(abonnenten|abonnentinnen)",
    re.IGNORECASE,
)
_NOT_FREE = re.compile(rb""""isAccessibleForFree"\s*:\s*"?(false|False|FALSE)""")
_FEW_WORDS = 200
_TEASER_WORDS = 1000
_MARKER_WINDOW = 64 * 1024


def _interstitial(
    body: bytes, title: str | None, text: str, word_count: int, url: str | None
) -> Interstitial | None:
    if url and _CONSENT_HOSTS.match(url):
        return Interstitial.CONSENT
    if word_count < _FEW_WORDS:
        head = body[:_MARKER_WINDOW].lower()
        if (title or "").lower() in CHALLENGE_TITLES or any(m in head for m in _CHALLENGE_MARKERS):
            return Interstitial.CHALLENGE
        if any(m in head for m in _CONSENT_MARKERS):
            return Interstitial.CONSENT
    if word_count < _TEASER_WORDS and (_PAYWALL_PHRASES.search(text) or _NOT_FREE.search(body)):
        return Interstitial.PAYWALL
    return None


# --- PDF -----------------------------------------------------------------------------------


def extract_pdf(path: Path, *, time_budget: float = 10.0, max_pages: int = 500) -> PageText:
    """The text of every page of a PDF, in page order, within a time and page budget.

    A PDF that stops the budget is not ``complete``; one that cannot be parsed at all has an
    ``error``. Line breaks are kept (see :attr:`PageText.text`).
    """
    try:
        with path.open("rb") as stream:
            return _extract_pdf_stream(stream, "application/pdf", time_budget, max_pages)
    except OSError as exc:
        return _unreadable(PageKind.PDF, "application/pdf", f"the PDF could not be opened: {exc}")


def _unreadable(kind: PageKind, content_type: str | None, error: str) -> PageText:
    return PageText(
        kind=kind,
        text="",
        word_count=0,
        complete=False,
        content_type=content_type,
        error=error,
    )


def _extract_pdf_stream(
    stream: IO[bytes], content_type: str | None, time_budget: float, max_pages: int
) -> PageText:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs are common and noisy
    deadline = time.monotonic() + time_budget
    texts: list[str] = []
    complete = True
    title = None
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            return _unreadable(PageKind.PDF, content_type, "the PDF is encrypted")
        metadata = reader.metadata
        title = _clean(str(metadata.title)) if metadata and metadata.title else None
        pages = reader.pages
        for index, page in enumerate(pages):
            if index >= max_pages or time.monotonic() > deadline:
                complete = False
                break
            texts.append(page.extract_text() or "")
    except Exception as exc:  # pypdf raises many types on malformed input
        if not texts:
            return _unreadable(PageKind.PDF, content_type, f"the PDF could not be parsed: {exc}")
        complete = False
    text = "\n".join(texts)
    return PageText(
        kind=PageKind.PDF,
        text=text,
        title=title,
        word_count=_count_words(text),
        complete=complete,
        content_type=content_type,
    )
