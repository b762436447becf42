"""Visible text of pages: what a reader sees is what a quote is looked up in."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.demo.pdf import make_pdf
from factcheck.extract import Interstitial, PageKind, extract_page, extract_pdf
from factcheck.text import fold


def html(body: str, head: str = "<title>A page</title>") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def visible(body: str) -> str:
    return extract_page(html(body), "text/html; charset=utf-8").text


def test_inline_markup_does_not_break_words_and_blocks_separate_them() -> None:
    text = visible(
        "<p>The <a href='/x'>min<em>ist</em>er</a> said<br>that <b>tax</b><sup>1</sup> "
        "rose.</p><p>Next</p><div>one<p>two</p>three</div><ul><li>a</li><li>b</li></ul>"
    )
    assert text == "The minister said that tax1 rose. Next one two three a b"


def test_comments_join_and_entities_decode() -> None:
    text = visible("<p>wor<!-- ad -->ld&nbsp;&amp;&#8212;caf&eacute;</p>")
    assert fold(text) == "world &-café"


def test_script_style_template_noscript_and_hidden_text_do_not_count() -> None:
    text = visible(
        "<script>var quote = 'secret words';</script><style>p{}</style>"
        "<template><p>template words</p></template><noscript>noscript words</noscript>"
        "<div hidden>hidden attribute</div><p aria-hidden='true'>aria hidden</p>"
        "<p style='color: red; DISPLAY : none'>inline none</p>"
        "<p style='visibility:hidden'>invisible</p>"
        "<p class='hidden'>classes are ignored</p><p>shown</p>"
    )
    assert text == "classes are ignored shown"


def test_title_h1_headings_and_fragment_ids() -> None:
    page = extract_page(
        html(
            "<nav><h2>Menu</h2></nav><h1 id='top'>The <em>head</em>line</h1>"
            "<main><h2>First<br>part</h2><p>x</p><article><h3>Inner</h3></article></main>"
            "<a name='old-anchor'>x</a><footer><h2>Footer</h2></footer>",
            head="<title> Site &ndash; story </title>",
        ),
        "text/html",
    )
    assert page.title == "Site – story"
    assert page.h1 == "The headline"
    assert page.headings == ("First part", "Inner")
    assert page.fragment_ids == {"top", "old-anchor"}
    assert page.kind is PageKind.HTML
    assert page.complete


def test_headings_fall_back_to_body_without_article_or_main() -> None:
    page = extract_page(html("<h2>One</h2><p>x</p><h4>Two</h4>"), "text/html")
    assert page.headings == ("One", "Two")


def test_latin1_page_without_any_declaration_is_detected() -> None:
    body = "<html><body><p>" + "Die Bürgermeisterin äußerte sich über Straßen. " * 20
    page = extract_page((body + "</p></body></html>").encode("latin-1"), "text/html")
    assert "Bürgermeisterin äußerte sich über Straßen" in page.text
    assert "\ufffd" not in page.text


def test_charset_order_bom_header_meta() -> None:
    word = "Привет мир"
    meta = f'<html><head><meta charset="windows-1251"></head><body>{word}</body></html>'
    assert extract_page(meta.encode("cp1251"), "text/html").text == word
    # the header wins over the meta tag
    assert extract_page(meta.encode("koi8-r"), "text/html; charset=koi8-r").text == word
    # the BOM wins over both
    bom = b"\xef\xbb\xbf" + meta.encode("utf-8")
    page = extract_page(bom, "text/html; charset=koi8-r")
    assert page.text == word
    assert page.charset == "utf-8"


def test_an_unknown_or_binary_charset_label_falls_back_to_detection() -> None:
    body = "<p>naïve café</p>".encode()
    assert extract_page(body, "text/html; charset=rot13").text == "naïve café"
    assert extract_page(body, "text/html; charset=no-such-thing").text == "naïve café"


def test_truncated_body_is_not_complete() -> None:
    page = extract_page(html("<p>cut her"), "text/html", truncated=True)
    assert not page.complete
    assert page.text == "cut her"


def test_plain_text_and_other_kinds() -> None:
    page = extract_page(b"Line one\nline two", "text/plain; charset=utf-8")
    assert (page.kind, page.text, page.word_count) == (PageKind.TEXT, "Line one\nline two", 4)
    other = extract_page(b"\x89PNG\r\n\x1a\n", "image/png")
    assert (other.kind, other.text, other.content_type) == (PageKind.OTHER, "", "image/png")
    sniffed = extract_page(b"<!DOCTYPE html><p>hi</p>", None)
    assert sniffed.kind is PageKind.HTML


CLOUDFLARE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<noscript>Enable JavaScript and cookies to continue</noscript>"
    "<script>window._cf_chl_opt={cvId: '3'};</script></body></html>"
)


def test_bot_challenge_and_consent_pages_are_flagged() -> None:
    challenge = extract_page(CLOUDFLARE.encode(), "text/html", url="https://example.org/a/b")
    assert challenge.challenge
    assert challenge.interstitial is Interstitial.CHALLENGE
    consent = extract_page(
        html("<form action='https://consent.google.com/save'>Before you continue</form>"),
        "text/html",
    )
    assert consent.challenge
    assert consent.interstitial is Interstitial.CONSENT


def test_an_article_that_mentions_challenges_is_not_one() -> None:
    article = " ".join(["Readers saw 'Just a moment...' and a captcha."] * 60)
    page = extract_page(
        html(
            f"<article><p>{article}</p></article>"
            "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script>"
        ),
        "text/html",
    )
    assert not page.challenge
    assert page.interstitial is None


def test_paywall_teaser_is_flagged_but_not_as_a_challenge() -> None:
    teaser = " ".join(["The council met on Tuesday to discuss the budget."] * 30)
    page = extract_page(
        html(f"<article><p>{teaser}</p><p>Subscribe to continue reading.</p></article>"),
        "text/html",
    )
    assert page.interstitial is Interstitial.PAYWALL
    assert not page.challenge


def test_pdf_text_of_every_page(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([["Annual report", "The rate rose by"], ["4.2 percent in 2023."]]))
    page = extract_pdf(path)
    assert page.kind is PageKind.PDF
    assert page.complete
    assert "Annual report" in page.text
    assert "4.2 percent in 2023." in page.text
    assert page.word_count == 10


def test_pdf_page_budget_and_bytes(tmp_path: Path) -> None:
    body = make_pdf([[f"Page {i}"] for i in range(5)])
    path = tmp_path / "long.pdf"
    path.write_bytes(body)
    cut = extract_pdf(path, max_pages=2)
    assert not cut.complete
    assert "Page 1" in cut.text
    assert "Page 2" not in cut.text
    assert extract_page(body, "application/pdf").complete
    assert extract_pdf(path, time_budget=-1).complete is False


@pytest.mark.parametrize("body", [b"%PDF-1.4 garbage", b"not a pdf at all"])
def test_unreadable_pdf_is_an_error_not_an_exception(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(body)
    page = extract_pdf(path)
    assert not page.complete
    assert page.error
    assert extract_pdf(tmp_path / "absent.pdf").error
