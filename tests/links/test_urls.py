"""URL identity and shape, the wire form of URLs, and the pure verdict rules."""

from __future__ import annotations

import email.utils

import pytest

from factcheck.links import fragment_to_check, normalise_url
from factcheck.links.urls import shape_problem, wayback_raw, wire_url, without_wayback_flag
from factcheck.links.verdict import challenge_header, not_found_text, retry_after


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("HTTPS://Example.ORG/Path?Q=1#frag", "https://example.org/Path?Q=1"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://user:pw@example.org/a", "https://example.org/a"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
        ("https://B\u00fccher.example/caf\u00e9", "https://b\u00fccher.example/caf\u00e9"),
    ],
)
def test_url_identity(url, key):
    assert normalise_url(url) == key


def test_url_identity_agrees_with_the_validator():
    urls = pytest.importorskip("factcheck.urls")
    for url in ("HTTPS://Example.ORG:443/a?b#c", "http://x.org", "https://u:p@x.org:8080/"):
        assert normalise_url(url) == urls.normalise_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mailto:desk@example.org", "not-http"),
        ("javascript:alert(1)", "not-http"),
        ("//example.org/a", "invalid-url"),
        ("example.org/a", "invalid-url"),
        ("https://exa mple.org/", "invalid-url"),
        ("https://example.org:70000/", "invalid-url"),
        ("https://a:b@example.org/", "invalid-url"),
        ("https:///path", "invalid-url"),
        ("https://example.org/a\nb", "invalid-url"),
    ],
)
def test_urls_that_cannot_be_fetched(url, reason):
    problem = shape_problem(url)
    assert problem is not None and problem[0] == reason


def test_the_wire_form_is_ascii():
    assert wire_url("https://b\u00fccher.example/caf\u00e9 au lait?q=\u00e9t\u00e9") == (
        "https://xn--bcher-kva.example/caf%C3%A9%20au%20lait?q=%C3%A9t%C3%A9"
    )
    assert wire_url("https://example.org/already%20encoded") == (
        "https://example.org/already%20encoded"
    )


def test_wayback_urls_are_fetched_without_the_toolbar():
    plain = "https://web.archive.org/web/20240101000000/https://example.org/a"
    flagged = "https://web.archive.org/web/20240101000000id_/https://example.org/a"
    assert wayback_raw(plain) == flagged
    assert wayback_raw("https://web.archive.org/web/20240101000000if_/https://example.org/a") == (
        flagged
    )
    assert wayback_raw("https://example.org/web/2024/x") == "https://example.org/web/2024/x"
    assert without_wayback_flag(flagged, plain) == plain


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://x.org/a#section-2", "section-2"),
        ("https://x.org/a", None),
        ("https://x.org/a#", None),
        ("https://x.org/a#:~:text=some%20words", None),
        ("https://x.org/a#intro:~:text=words", "intro"),
        ("https://x.org/app#/route/1", None),
        ("https://x.org/app#!/route", None),
        ("https://x.org/doc.pdf#page=4", None),
        ("https://x.org/a#top", None),
    ],
)
def test_fragments_to_check(url, fragment):
    assert fragment_to_check(url) == fragment


@pytest.mark.parametrize(
    "title",
    [
        "Page Not Found",
        "404",
        "404 | The Daily",
        "Not found \u2013 The Daily",
        "Error 404 - The Daily",
        "Oops! We can\u2019t find the page you\u2019re looking for",
        "P\u00e1gina no encontrada",
        "Seite nicht gefunden",
        "\u30da\u30fc\u30b8\u304c\u898b\u3064\u304b\u308a\u307e\u305b\u3093",
    ],
)
def test_not_found_titles(title):
    assert not_found_text(title, None) == title


@pytest.mark.parametrize(
    "title",
    [
        "Hiker not found after three days",
        "Why 404 errors hurt your SEO",
        "Budget 2024: what was found in the accounts",
        "",
        None,
    ],
)
def test_ordinary_titles(title):
    assert not_found_text(title, None) is None


def test_retry_after_in_seconds_or_as_a_date():
    now = 1_800_000_000.0
    assert retry_after("120", now) == 120.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == pytest.approx(30)
    assert retry_after("yesterday", now) is None
    assert retry_after(None, now) is None


def test_challenge_headers():
    assert challenge_header({"cf-mitigated": "challenge"}) == "cf-mitigated: challenge"
    assert challenge_header({"x-amzn-waf-action": "captcha"}) is not None
    assert challenge_header({"x-amzn-waf-action": "allow"}) is None
    assert challenge_header({"server": "cloudflare"}) is None


SCHEMES = ["https://", "http://", "HTTPS://", "ftp://", "//", "https:", "", "https:///"]
HOSTS = ["example.org", "Example.ORG", "a-b.example", "..", "1.2.3.4", "[::1]", "[", "", "x"]
AFTER_HOST = ["", ":443", ":80", ":8080", ":x", "@y", ":p@z"]
PIECES = [
    "/",
    "/path",
    "//x",
    "/caf\u00e9",
    "/a b",
    "/a%20b",
    "/a;b",
    "/a:b",
    "/a@b",
    "/~x",
    "?",
    "?q=1",
    "?a=b&c=d",
    "??",
    "#",
    "#frag",
    " ",
    "\t",
    "\n",
    "\u00a0",
    "x",
    "-",
    ".",
    "'",
    "*",
]
#: Pieces of URLs in normal form (and of some that only look it: "??", "/?").
PLAIN_PIECES = [
    "/path",
    "//x",
    "/a%20b",
    "/a;b",
    "/a:b",
    "/a@b",
    "/~x",
    "?q=1",
    "?a=b&c",
    "??",
    "*",
]


@pytest.mark.parametrize("seed", range(4))
def test_urls_in_normal_form_are_judged_as_when_parsed(seed: int) -> None:
    """URLs already in normal form skip parsing: the same identity and the same problems."""
    import random

    from factcheck import urls

    chosen = random.Random(seed)
    normal = 0
    for _ in range(3000):
        if chosen.random() < 0.5:  # any URL
            url = chosen.choice(SCHEMES) + chosen.choice(HOSTS) + chosen.choice(AFTER_HOST)
            pieces = PIECES
        else:  # most in normal form
            url = chosen.choice(SCHEMES[:2]) + chosen.choice(HOSTS[:5])
            pieces = PLAIN_PIECES
        url += "/" if chosen.random() < 0.7 else ""
        url += "".join(chosen.choice(pieces) for _ in range(chosen.randint(0, 4)))
        normal += bool(urls._NORMAL_URL.fullmatch(url))
        assert urls.normalise_url(url) == urls._parsed_normal_url(url), url
        assert urls.url_problem(url) == urls._parsed_url_problem(url), url
    assert normal > 500  # the short way is taken, and agrees
