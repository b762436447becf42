"""Locating evidence quotes on pages, and what a fact-checker is told about it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.demo.pdf import make_pdf
from factcheck.extract import PageText, extract_page, extract_pdf
from factcheck.findings import Location
from factcheck.quotes import (
    Copy,
    QuoteMatch,
    QuoteResult,
    QuoteSkip,
    check_quote,
    find_quote,
    normalise_page,
)
from factcheck.report import QuoteInfo
from factcheck.rules.quotes import quote_findings, shorten
from factcheck.text import normalise

FILLER = " ".join(
    f"Paragraph {i} of the report describes the regional water supply in some detail."
    for i in range(30)
)  # 390 words: enough for a completely read page
QUOTE = "The minister said the tax on diesel rose by 4 percent in 2023."


def page(body: str, content_type: str = "text/html; charset=utf-8", **kw: bool) -> PageText:
    html = f"<html><head><title>Report</title></head><body><p>{FILLER}</p>{body}</body></html>"
    return extract_page(html.encode(), content_type, **kw)


def result(quote: str, body: str) -> QuoteResult:
    return find_quote(quote, page(body)).result


@pytest.mark.parametrize(
    "body",
    [
        "<p>The <a href='/m'>minister</a> said the <em>tax on</em> <span>diesel</span> rose by "
        "<strong>4 percent</strong> in 2023.</p>",
        "<p>The minister said the tax\n   on diesel rose by 4\npercent in 2023.</p>",
        "<p>The minister said<br>the tax on diesel rose by 4 percent in 2023.</p>",
        "<p>The&nbsp;minister said the tax on diesel rose by 4&#160;percent in 2023.</p>",
        "<p>THE MINISTER SAID the tax on diesel rose by 4 percent in 2023.</p>",
        "<p>The mini\u00adster said the tax on die\u200bsel rose by 4 per\u2060cent in 2023.</p>",
        "<p>The min<!-- x -->ister said the tax on diesel rose by 4 percent in 2023.</p>",
    ],
    ids=["inline-markup", "line-breaks", "br", "nbsp", "case", "soft-hyphen-zero-width", "comment"],
)
def test_quote_found_across_markup_and_invisible_characters(body: str) -> None:
    assert result(QUOTE, body) is QuoteResult.FOUND


def test_typographic_quotes_and_dashes_match_their_ascii_forms() -> None:
    body = "<p>He called it \u201ca \u2018fair\u2019 deal\u201d \u2013 for 2020\u20142024.</p>"
    assert result("He called it \"a 'fair' deal\" - for 2020-2024.", body) is QuoteResult.FOUND
    body = "<p>He called it \"a 'fair' deal\" - for 2020-2024.</p>"
    assert result("He called it „a ‚fair‘ deal“ — for 2020–2024.", body) is QuoteResult.FOUND


def test_text_in_script_or_hidden_elements_does_not_count() -> None:
    script = f"<script>var article = {QUOTE!r};</script>"
    assert result(QUOTE, script) is QuoteResult.MISSING
    for hidden in ("<div hidden>", "<div style='display: none'>", "<div aria-hidden='true'>"):
        assert result(QUOTE, f"{hidden}<p>{QUOTE}</p></div>") is QuoteResult.MISSING


def test_latin1_page_without_charset_header() -> None:
    quote = "Die Bürgermeisterin äußerte sich über die Straßenbahn."
    body = f"<html><body><p>{FILLER}</p><p>{quote}</p></body></html>".encode("latin-1")
    match = find_quote(quote, extract_page(body, "text/html"))
    assert match.result is QuoteResult.FOUND


def test_a_changed_word_is_near_with_the_passage_and_score() -> None:
    body = "<p>The minister said the tax on petrol rose by 4 percent in 2023.</p>"
    match = find_quote(QUOTE, page(body))
    assert match.result is QuoteResult.NEAR
    assert match.score is not None
    assert 90 <= match.score < 100
    assert match.score == round(match.score, 1)
    assert match.passage is not None
    assert "tax on petrol rose" in match.passage
    assert match.passage.startswith("The minister")  # as the page writes it, case kept


def test_near_match_in_a_long_page_is_found_around_rare_words() -> None:
    body = "<p>" + FILLER * 60 + "</p><p>The minister said the tax on petrol rose by 4 percent.</p>"
    match = find_quote("the minister said the tax on diesel rose by 4 percent", page(body))
    assert match.result is QuoteResult.NEAR
    assert match.passage is not None
    assert "petrol" in match.passage


def test_short_quote_never_matches_fuzzily() -> None:
    body = "<p>The tax rose by 4 percent.</p>"
    assert result("tax rose by 5 percent", body) is QuoteResult.MISSING  # five words
    assert result("tax rose by 4 percent", body) is QuoteResult.FOUND
    assert result("The tax rose by 5 percent.", body) is QuoteResult.NEAR  # six words


def test_a_figure_is_not_found_inside_a_larger_number() -> None:
    body = "<p>Prices rose by 14 percent, and rents rose to 4.5 percent.</p>"
    assert result("4 percent, and rents", body) is QuoteResult.MISSING
    assert result("rents rose to 4", body) is QuoteResult.MISSING
    assert result("rents rose to 4.5", body) is QuoteResult.FOUND


def test_unrelated_quote_is_missing_with_the_closest_passage_and_its_score() -> None:
    match = find_quote("Nothing like this sentence appears on the page at all.", page(""))
    assert match.result is QuoteResult.MISSING
    assert match.score is not None and match.score < 90
    assert match.passage is not None and match.passage in normalise(FILLER)
    assert match.complete_read


def test_a_page_without_text_has_no_closest_passage() -> None:
    match = find_quote(QUOTE, extract_page(b"<html><body></body></html>", "text/html"))
    assert (match.result, match.score, match.passage) == (QuoteResult.MISSING, None, None)


def test_pdf_hyphen_at_line_end_matches_with_or_without_it(tmp_path: Path) -> None:
    path = tmp_path / "study.pdf"
    lines = ["The survey shows that infor-", "mation campaigns reached a well-", "known group."]
    path.write_bytes(make_pdf([lines]))
    pdf = extract_pdf(path)
    assert find_quote("that information campaigns", pdf).result is QuoteResult.FOUND
    assert find_quote("reached a well-known group", pdf).result is QuoteResult.FOUND
    assert find_quote("reached a wellknown group", pdf).result is QuoteResult.FOUND


# --- check_quote: the whole decision -----------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Shaped like factcheck.links.LinkResult, as far as check_quote reads it."""

    outcome: str = "ok"
    reason: str | None = "ok"
    page: PageText | None = None
    truncated: bool = False
    content_type: str | None = "text/html"


def check(live: Link | None, archive: Link | None = None, *, paywalled: bool = False) -> QuoteMatch:
    return check_quote(QUOTE, live, archive, offline=False, paywalled=paywalled)


GOOD = Link(page=page(f"<p>{QUOTE}</p>"))
WITHOUT = Link(page=page("<p>Something else entirely.</p>"))
DEAD = Link(outcome="broken", reason="http-status")


def test_found_on_the_live_page() -> None:
    match = check(GOOD, GOOD)
    assert (match.result, match.copy, match.complete_read) == (QuoteResult.FOUND, Copy.LIVE, True)


def test_offline_skips_everything() -> None:
    match = check_quote(QUOTE, GOOD, None, offline=True, paywalled=False)
    assert (match.result, match.reason) == (QuoteResult.SKIPPED, "offline")


def test_dead_page_with_a_good_archive_copy_is_found_on_the_archive() -> None:
    match = check(DEAD, GOOD)
    assert (match.result, match.copy) == (QuoteResult.FOUND, Copy.ARCHIVE)
    codes = [f.code for f in quote_findings(match, **CLAIM)]
    assert codes == ["FC503"]


def test_live_page_without_the_quote_falls_back_to_the_archive() -> None:
    assert check(WITHOUT, GOOD).copy is Copy.ARCHIVE
    both_missing = check(WITHOUT, Link(page=page("<p>Neither.</p>")))
    assert (both_missing.result, both_missing.copy) == (QuoteResult.MISSING, Copy.LIVE)


def test_dead_page_without_archive_is_not_fetched() -> None:
    match = check(DEAD)
    assert (match.result, match.reason) == (QuoteResult.SKIPPED, "not-fetched")
    # the link's FC401 says why: no second finding about the same page
    assert quote_findings(match, **CLAIM, link_reported=True) == []  # type: ignore[arg-type]
    assert check(None).reason == "not-fetched"


def test_page_far_over_the_cap_is_truncated_not_missing() -> None:
    cap = 256 * 1024
    body = "<html><body>" + f"<p>{FILLER}</p>" * (cap // len(FILLER) + 10) + f"<p>{QUOTE}</p>"
    cut = extract_page(body.encode()[:cap], "text/html", truncated=True)
    match = check(Link(page=cut, truncated=True))
    assert (match.result, match.reason, match.truncated) == (
        QuoteResult.SKIPPED,
        QuoteSkip.TRUNCATED,
        True,
    )
    found_anyway = check(Link(page=page(f"<p>{QUOTE}</p>", truncated=True), truncated=True))
    assert (found_anyway.result, found_anyway.truncated) == (QuoteResult.FOUND, True)


def test_a_short_page_read_completely_is_judged_whatever_its_length() -> None:
    short = extract_page(("<p>" + "word " * 50 + "</p>").encode(), "text/html")
    match = check(Link(page=short))
    assert (match.result, match.complete_read) == (QuoteResult.MISSING, True)
    assert findings_for(match) == [("FC501", "error")]


def test_challenge_paywall_and_non_text_pages_are_skipped() -> None:
    challenge = extract_page(
        b"<html><head><title>Just a moment...</title></head>"
        b"<body><script>window._cf_chl_opt={}</script></body></html>",
        "text/html",
    )
    assert check(Link(page=challenge)).reason == "challenge"
    teaser = page("<p>Subscribe to continue reading.</p>")
    assert check(Link(page=teaser)).reason == "paywalled"
    image = extract_page(b"\x89PNG\r\n", "image/png")
    match = check(Link(page=image, content_type="image/png"))
    assert (match.reason, match.detail) == ("not-text", "content type image/png")
    broken_pdf = extract_page(b"%PDF-1.4 nothing", "application/pdf")
    assert check(Link(page=broken_pdf)).reason == "unreadable"


def test_paywalled_evidence_is_checked_on_the_archive_only() -> None:
    assert check(GOOD, paywalled=True).reason == "paywalled"
    match = check(WITHOUT, GOOD, paywalled=True)
    assert (match.result, match.copy) == (QuoteResult.FOUND, Copy.ARCHIVE)
    assert quote_findings(match, **CLAIM) == []  # the live page was never meant to have it


def test_json_shape() -> None:
    assert asdict(QuoteInfo.of(check(DEAD, GOOD))) == {  # type: ignore[arg-type]
        "result": "found",
        "reason": None,
        "score": None,
        "copy": "archive",
        "passage": None,
        "truncated": False,
    }


# --- findings -----------------------------------------------------------------------------------

CLAIM: dict[str, object] = {
    "status": "supported",
    "stance": "supports",
    "location": Location("claims.yaml", 12, 9),
    "claim": "C001",
    "url": "https://example.org/report",
}


def findings_for(match: QuoteMatch, **changes: object) -> list[tuple[str, str]]:
    found = quote_findings(match, **{**CLAIM, **changes})  # type: ignore[arg-type]
    return [(f.code, str(f.severity)) for f in found]


def test_missing_on_a_complete_page_is_an_error_for_the_evidence_the_status_rests_on() -> None:
    missing = check(WITHOUT)
    assert findings_for(missing) == [("FC501", "error")]
    assert findings_for(missing, status="contradicted", stance="contradicts") == [
        ("FC501", "error")
    ]
    assert findings_for(missing, stance="context") == [("FC502", "warning")]
    assert findings_for(missing, status="unverified") == [("FC502", "warning")]
    (only,) = quote_findings(missing, **CLAIM)  # type: ignore[arg-type]
    assert (only.claim, only.line, only.column) == ("C001", 12, 9)
    assert "https://example.org/report" in only.message


def test_missing_on_a_page_not_read_completely_is_only_a_warning() -> None:
    cut = extract_page(b"<p>a page cut short", "text/html", truncated=True)
    partial = find_quote(QUOTE, cut)
    assert partial.result is QuoteResult.MISSING
    assert not partial.complete_read
    assert findings_for(partial) == [("FC502", "warning")]


def test_missing_always_shows_the_closest_passage_and_its_score() -> None:
    body = "<p>Officials said the levy on heating oil went up sharply last winter.</p>"
    missing = check(Link(page=page(body)))
    assert missing.result is QuoteResult.MISSING
    (error,) = quote_findings(missing, **CLAIM)  # type: ignore[arg-type]
    assert error.code == "FC501"
    assert f"the closest passage (score {missing.score}) reads: “" in error.message
    (warning,) = quote_findings(missing, **{**CLAIM, "stance": "context"})  # type: ignore[arg-type]
    assert warning.code == "FC502"
    assert "closest passage" in warning.message


def test_a_long_closest_passage_is_cut_at_a_word_boundary() -> None:
    words = " ".join(f"word{i:03}" for i in range(60))
    shown = shorten(words, 50)
    assert shown.endswith("…”")
    assert shown[1:-2] == "word000 word001 word002 word003 word004 word005"
    assert shorten("short passage") == "“short passage”"


def test_near_is_a_warning_showing_the_passage() -> None:
    changed = "<p>The minister said the tax on petrol rose by 4 percent in 2023.</p>"
    near = check(Link(page=page(changed)))
    (only,) = quote_findings(near, **CLAIM)  # type: ignore[arg-type]
    assert only.code == "FC502"
    assert "petrol" in only.message
    assert str(near.score) in only.message


def test_found_reports_nothing_and_a_quote_not_checked_is_fc504() -> None:
    assert findings_for(check(GOOD)) == []
    assert quote_findings(None, **CLAIM) == []  # type: ignore[arg-type]
    assert findings_for(check(DEAD)) == [("FC504", "warning")]
    (only,) = quote_findings(check(DEAD), **CLAIM)  # type: ignore[arg-type]
    assert only.message.startswith(
        "quote not checked on https://example.org/report (not-fetched; the page could not be "
        "fetched: the live page could not be had (broken: http-status)): open the page"
    )
    assert "archive_url" in only.message and "ignore: [{code: FC504" in only.message


def test_fc504_only_for_the_evidence_the_status_rests_on_and_never_offline() -> None:
    assert findings_for(check(DEAD), stance="context") == []
    assert findings_for(check(DEAD), status="unverified") == []
    offline = check_quote(QUOTE, GOOD, None, offline=True, paywalled=False)
    assert findings_for(offline) == []  # the verdict says "links and quotes not checked" once


# --- the page normalisation is the one normalisation ------------------------------------------


TRICKY = "\u00a0\u2028\u2029\u1680\u3000\x1c\x1f\x85\u200b\u00ad\ufeff\u2060 \t\n\r\v\f"


@settings(max_examples=300)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(TRICKY))))
def test_page_normalisation_equals_the_shared_one(text: str) -> None:
    assert normalise_page(text) == normalise(text)


def test_near_passage_keeps_the_page_spelling_when_folding_changes_lengths() -> None:
    body = "<p>Die STRASSE und die Straße führen über die alte Brücke nach Weißenfels.</p>"
    match = find_quote("die Straße führen über die neue Brücke nach Weißenfels", page(body))
    assert match.result is QuoteResult.NEAR
    assert match.passage == "die Straße führen über die alte Brücke nach Weißenfels."


# --- through the fetcher: pages served by a real server on 127.0.0.1 -------------------------


class _Site:
    """Pages by path: (status, content type, body), and the link checker that fetches them."""

    def __init__(self, links: Any) -> None:
        self.links = links
        self.pages: dict[str, tuple[int, str | None, bytes]] = {}
        self.base = ""


@pytest.fixture
def site() -> Iterator[_Site]:
    state = _Site(pytest.importorskip("factcheck.links"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body = state.pages.get(self.path, (404, "text/html", b"gone"))
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the checker may stop reading at its cap
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def fetch(site: _Site, *paths: str, max_body: int = 5 * 1024 * 1024) -> list[Any]:
    links = site.links
    settings = links.LinkSettings(
        allow_cidrs=("127.0.0.1/32",), use_cache=False, timeout=2, retries=0, max_body=max_body
    )
    requests = [
        links.LinkRequest(site.base + p, links.LinkKind.EVIDENCE, need_text=True) for p in paths
    ]
    answer = links.check_links(requests, settings)
    return [answer[links.normalise_url(r.url)] for r in requests]


def served_html(text: str) -> bytes:
    return f"<html><body><p>{FILLER}</p><p>{text}</p></body></html>".encode()


def test_served_dead_page_with_a_good_archive_copy_gives_fc503(site: _Site) -> None:
    site.pages["/web/2024id_/report"] = (200, "text/html", served_html(QUOTE))
    live, archive = fetch(site, "/report", "/web/2024id_/report")
    match = check_quote(QUOTE, live, archive, offline=False, paywalled=False)
    assert (match.result, match.copy) == (QuoteResult.FOUND, Copy.ARCHIVE)
    assert [f.code for f in quote_findings(match, **CLAIM)] == ["FC503"]  # type: ignore[arg-type]


def test_served_latin1_page_without_charset_header(site: _Site) -> None:
    quote = "Die Bürgermeisterin äußerte sich über die Straßenbahn."
    body = f"<html><body><p>{FILLER}</p><p>{quote}</p></body></html>".encode("latin-1")
    site.pages["/latin1"] = (200, "text/html", body)
    (live,) = fetch(site, "/latin1")
    match = check_quote(quote, live, None, offline=False, paywalled=False)
    assert (match.result, match.copy, match.complete_read) == (QuoteResult.FOUND, Copy.LIVE, True)


def test_served_page_far_over_the_cap_is_skipped_as_truncated(site: _Site) -> None:
    site.pages["/huge"] = (200, "text/html; charset=utf-8", served_html(FILLER * 200 + QUOTE))
    (live,) = fetch(site, "/huge", max_body=64 * 1024)
    match = check_quote(QUOTE, live, None, offline=False, paywalled=False)
    assert (match.result, match.reason, match.truncated) == (QuoteResult.SKIPPED, "truncated", True)
    assert live.outcome == "ok"  # the link is fine: only FC504 says the quote was not checked
    (only,) = quote_findings(match, **CLAIM)  # type: ignore[arg-type]
    assert (only.code, str(only.severity)) == ("FC504", "warning")
    assert "(truncated; the page was cut off before its end" in only.message


# A wire brief of about 170 words: short pages are judged like long ones.
BRIEF = (
    "<html><head><title>Works delayed</title></head><body><article>"
    "<h1>Harbour works delayed</h1><p>"
    + "The harbour authority confirmed on Tuesday that the works on the northern quay will "
    "finish later than planned. "
    * 7
    + "The delay was caused by a worldwide shortage of copper cable, a spokesperson said.</p>"
    "</article></body></html>"
)
MISQUOTE = "the delay was caused by a shortage of copper cable"


def test_served_short_page_with_the_quote_is_found(site: _Site) -> None:
    site.pages["/brief"] = (200, "text/html", BRIEF.encode())
    (live,) = fetch(site, "/brief")
    quote = "The delay was caused by a worldwide shortage of copper cable"
    match = check_quote(quote, live, None, offline=False, paywalled=False)
    assert (match.result, match.complete_read) == (QuoteResult.FOUND, True)


def test_served_short_page_without_the_quote_is_an_error_with_the_closest_passage(
    site: _Site,
) -> None:
    site.pages["/brief"] = (200, "text/html", BRIEF.encode())
    (live,) = fetch(site, "/brief")
    assert live.page.word_count < 200
    match = check_quote(MISQUOTE, live, None, offline=False, paywalled=False)
    assert (match.result, match.complete_read) == (QuoteResult.MISSING, True)
    (only,) = quote_findings(match, **CLAIM)  # type: ignore[arg-type]
    assert only.code == "FC501"
    assert "worldwide shortage of copper cable" in only.message
    assert f"(score {match.score})" in only.message


@pytest.mark.parametrize(
    ("page_words", "result", "code"),
    [
        ("the delay is caused by shortages of copper cable", QuoteResult.NEAR, "FC502"),  # 92.9
        ("the work was stopped by a shortage of copper cable", QuoteResult.MISSING, "FC501"),  # 84
    ],
    ids=["near-93", "missing-84"],
)
def test_served_near_miss_at_93_is_near_and_at_84_is_missing(
    site: _Site, page_words: str, result: QuoteResult, code: str
) -> None:
    site.pages["/near"] = (200, "text/html", f"<p>{page_words}.</p>".encode())
    (live,) = fetch(site, "/near")
    match = check_quote(MISQUOTE, live, None, offline=False, paywalled=False)
    assert (match.result, round(match.score or 0)) == (result, 93 if code == "FC502" else 84)
    (only,) = quote_findings(match, **CLAIM)  # type: ignore[arg-type]
    assert only.code == code
    assert f"the closest passage (score {match.score}) reads: “{page_words}" in only.message


def test_served_challenge_page_is_not_checked(site: _Site) -> None:
    challenge = (
        b"<html><head><title>Just a moment...</title></head>"
        b"<body><script>window._cf_chl_opt={}</script></body></html>"
    )
    site.pages["/challenge"] = (200, "text/html", challenge)
    (live,) = fetch(site, "/challenge")
    match = check_quote(MISQUOTE, live, None, offline=False, paywalled=False)
    assert match.result is QuoteResult.SKIPPED
    # the link is bot-blocked: its FC402 says why, and the quote is not reported twice
    assert (live.outcome, live.reason) == ("warning", "bot-blocked")
    assert quote_findings(match, **CLAIM, link_reported=True) == []  # type: ignore[arg-type]
    (only,) = quote_findings(match, **CLAIM)  # type: ignore[arg-type]
    assert only.code == "FC504"


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        (
            "/app",
            "text/html",
            b"<html><head><title>Port authority</title></head><body><div id=root></div>"
            b"<script src=/bundle.js></script></body></html>",
        ),
        ("/scan.pdf", "application/pdf", make_pdf([[], []], title="Scanned notice")),
    ],
    ids=["page-built-by-scripts", "pdf-without-text-layer"],
)
def test_served_page_without_any_text_is_not_checked_rather_than_missing(
    site: _Site, path: str, content_type: str, body: bytes
) -> None:
    site.pages[path] = (200, content_type, body)
    (live,) = fetch(site, path)
    assert live.outcome == "ok"
    match = check_quote(MISQUOTE, live, None, offline=False, paywalled=False)
    assert (match.result, match.reason) == (QuoteResult.SKIPPED, "unreadable")
    (only,) = quote_findings(match, **CLAIM)  # type: ignore[arg-type]
    assert (only.code, str(only.severity)) == ("FC504", "warning")
    assert "no text could be read" in only.message


def test_served_non_text_is_skipped_with_its_content_type(site: _Site) -> None:
    site.pages["/chart.png"] = (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (live,) = fetch(site, "/chart.png")
    match = check_quote(QUOTE, live, None, offline=False, paywalled=False)
    assert (match.result, match.reason) == (QuoteResult.SKIPPED, "not-text")
    assert match.detail == "content type image/png"


def test_pdf_cut_by_the_cap_is_truncated_not_unreadable() -> None:
    body = make_pdf([["The rate rose by 4 percent."] * 40])
    cut = extract_page(body[: len(body) // 2], "application/pdf", truncated=True)
    assert not cut.complete
    match = check(Link(page=cut, truncated=True, content_type="application/pdf"))
    assert (match.result, match.reason) == (QuoteResult.SKIPPED, "truncated")


def test_a_page_shorter_than_the_quote_is_not_a_window_of_it() -> None:
    short = extract_page(b"<p>the tax on diesel rose</p>", "text/html")
    assert find_quote(QUOTE, short).result is QuoteResult.MISSING
    whole = extract_page(b"<p>The minister said the tax on diesel rose 4 percent in 2023</p>", None)
    assert find_quote(QUOTE, whole).result is QuoteResult.NEAR
