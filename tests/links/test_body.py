"""Body checks: fragments, soft 404s, PDFs, charsets, Unicode paths, non-text bodies."""

from __future__ import annotations

import gzip
import zlib

import pytest

from factcheck.links import LinkKind, LinkRequest, check_links

from .servers import Handler, check_one, html, make_pdf, reply

ARTICLE = html(
    "Budget 2024",
    '<h1>Budget</h1><h2 id="spending">Spending</h2><p>The council spent 4.2 million.</p>'
    '<a name="old-anchor"></a><h2 id="caf\u00e9">Caf\u00e9</h2>',
)


@pytest.fixture
def article(server):
    server.route("/budget", body=ARTICLE)
    return server


def fragment_result(server, settings, *fragments: str):
    requests = [LinkRequest(server.url(f"/budget#{f}"), LinkKind.EVIDENCE) for f in fragments]
    (result,) = check_links(requests, settings()).values()
    return result


def test_a_fragment_present_on_the_page_is_ok(article, settings):
    result = fragment_result(article, settings, "spending", "old-anchor", "caf%C3%A9")
    assert (result.outcome, result.reason) == ("ok", "ok")
    assert article.hits("/budget") == 1  # one URL, three fragments, one request


def test_a_missing_fragment_is_a_warning(article, settings):
    result = fragment_result(article, settings, "spending", "revenue")
    assert (result.outcome, result.reason) == ("warning", "missing-fragment")
    assert result.missing_fragments == ("revenue",)
    assert "#revenue" in result.detail


@pytest.mark.parametrize(
    "fragment", [":~:text=council%20spent", "/route/x", "!/x", "page=3", "top"]
)
def test_text_fragments_routes_and_pdf_pages_are_not_checked(article, settings, fragment):
    assert fragment_result(article, settings, fragment).reason == "ok"


def test_a_fragment_on_a_truncated_page_is_not_judged(server, settings):
    body = html("Long", "<p>" + "words " * 2000 + "</p>")
    server.route("/long", body=body)
    request = LinkRequest(server.url("/long#far-below"), LinkKind.EVIDENCE)
    (result,) = check_links([request], settings(max_body=1000)).values()
    assert (result.reason, result.truncated) == ("ok", True)


@pytest.mark.parametrize(
    ("title", "h1"),
    [
        ("Page not found | Example News", "Example"),
        ("404", None),
        ("Example News", "Sorry, this page doesn't exist"),
        ("Seite nicht gefunden - Zeitung", None),
    ],
)
def test_a_200_that_says_not_found_is_a_soft_404(server, settings, title, h1):
    server.route("/lost", body=html(title, f"<h1>{h1}</h1>" if h1 else "<p>x</p>"))
    need_text = h1 is not None and h1 != "Example"  # the h1 is read with the text only
    result = check_one(server.url("/lost"), settings(), need_text=need_text)
    assert (result.outcome, result.reason, result.status_code) == ("warning", "soft-404", 200)


def test_a_story_about_a_missing_person_is_not_a_soft_404(server, settings):
    title = "Search for hiker not found after three days of storms in the Alps"
    server.route("/story", body=html(title, "<h1>Hiker still not found</h1>"))
    assert check_one(server.url("/story"), settings(), need_text=True).reason == "ok"


def test_a_link_only_check_reads_only_the_head(server, settings):
    sent = []

    def big(handler: Handler) -> None:
        head = b"<html><head><title>Big page</title></head><body>"
        filler = b"<p>" + b"x" * 65_000 + b"</p>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(head) + 100 * len(filler)))
        handler.end_headers()
        handler.wfile.write(head)
        for _ in range(100):
            handler.wfile.write(filler)
            sent.append(len(filler))

    server.route("/big", big)
    result = check_one(server.url("/big"), settings())
    assert (result.reason, result.page, result.truncated) == ("ok", None, False)
    assert sum(sent) < 100 * 65_000  # the connection was closed long before the end


def test_the_text_of_a_page_is_read_when_a_quote_needs_it(article, settings):
    result = check_one(article.url("/budget"), settings(), need_text=True)
    assert result.page is not None and result.page.complete
    assert "The council spent 4.2 million." in result.page.text
    assert result.page.title == "Budget 2024"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_pages_are_inflated(server, settings, encoding):
    body = ARTICLE.encode()
    data = gzip.compress(body) if encoding == "gzip" else zlib.compress(body)
    server.route("/z", body=data, headers={"Content-Encoding": encoding})
    result = check_one(server.url("/z"), settings(), need_text=True)
    assert result.page is not None and "4.2 million" in result.page.text


def test_a_pdf_is_read_for_its_text(server, settings):
    server.route("/report.pdf", body=make_pdf("Annual report 2023"), content_type="application/pdf")
    result = check_one(server.url("/report.pdf"), settings(), need_text=True)
    assert (result.reason, result.content_type) == ("ok", "application/pdf")
    assert result.page is not None and result.page.kind == "pdf"
    assert "Annual report 2023" in result.page.text


def test_a_pdf_served_as_octet_stream_is_recognised(server, settings):
    pdf = make_pdf("Minutes of the meeting")
    server.route("/minutes", body=pdf, content_type="application/octet-stream")
    result = check_one(server.url("/minutes"), settings(), need_text=True)
    assert result.page is not None and "Minutes of the meeting" in result.page.text


def test_a_pdf_over_its_cap_is_truncated(server, settings):
    pdf = make_pdf("Too big " * 50)
    server.route("/big.pdf", body=pdf, content_type="application/pdf")
    result = check_one(server.url("/big.pdf"), settings(max_pdf=200), need_text=True)
    assert (result.reason, result.truncated) == ("ok", True)
    assert result.page is not None and not result.page.complete


def test_a_link_only_check_of_a_pdf_reads_no_body(server, settings):
    server.route("/report.pdf", body=make_pdf("x"), content_type="application/pdf")
    result = check_one(server.url("/report.pdf"), settings())
    assert (result.reason, result.page) == ("ok", None)


def test_a_non_utf8_page_is_decoded_by_its_charset(server, settings):
    body = html("Caf\u00e9 cr\u00e8me", "<p>Le caf\u00e9 co\u00fbte 2 \u20ac.</p>")
    server.route("/fr", body=body.encode("cp1252"), content_type="text/html; charset=windows-1252")
    result = check_one(server.url("/fr"), settings(), need_text=True)
    assert result.page is not None and "Le caf\u00e9 co\u00fbte 2 \u20ac." in result.page.text


def test_a_unicode_path_is_requested_percent_encoded(server, settings):
    server.route("/caf%C3%A9/%C3%BCber", body=html("Unicode"))
    result = check_one(server.url("/caf\u00e9/\u00fcber"), settings())
    assert (result.reason, result.url) == ("ok", server.url("/caf\u00e9/\u00fcber"))
    assert [r.path for r in server.requests] == ["/caf%C3%A9/%C3%BCber"]


def test_an_image_is_ok_and_not_text(server, settings):
    server.route("/photo.jpg", body=b"\xff\xd8\xff" + b"\0" * 5000, content_type="image/jpeg")
    result = check_one(server.url("/photo.jpg"), settings(), need_text=True)
    assert (result.reason, result.content_type) == ("ok", "image/jpeg")
    assert result.page is not None and result.page.kind == "other"


def test_the_text_request_wins_when_one_url_is_asked_for_twice(server, settings):
    server.route("/both", body=ARTICLE)
    requests = [
        LinkRequest(server.url("/both"), LinkKind.ARCHIVE),
        LinkRequest(server.url("/both"), LinkKind.EVIDENCE, need_text=True),
    ]
    (result,) = check_links(requests, settings()).values()
    assert result.page is not None and "4.2 million" in result.page.text
    assert server.hits("/both") == 1


def test_an_error_page_body_is_not_taken_for_the_page(server, settings):
    server.route("/err", lambda h: reply(h, 404, ARTICLE))
    result = check_one(server.url("/err"), settings(), need_text=True)
    assert (result.reason, result.page) == ("http-status", None)
