"""Credentials for sources behind a login: parsed from --header and FACTCHECK_HEADERS, sent to
their host and its subdomains only, never shown, and hashed with a salt for the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.links.credentials import Credentials, credentials_from, parse_header

SECRET = "Bearer s3cr3t-t0ken"

JAR = (
    "# Netscape HTTP Cookie File\n"
    "# written by a browser extension\n"
    ".wire.example.com\tTRUE\t/\tFALSE\t0\tsession\tw1re-cookie\n"
    "#HttpOnly_courts.example.org\tFALSE\t/cases\tTRUE\t4102444800\tauth\tc0urt-cookie\n"
    "old.example.net\tFALSE\t/\tFALSE\t1000000000\texpired\tgone-cookie\n"
)


def jar(tmp_path: Path, text: str = JAR) -> Path:
    path = tmp_path / "cookies.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_goes_to_its_host_and_subdomains_only() -> None:
    creds = credentials_from([f"Wire.Example.com=Authorization: {SECRET}"], None)
    sent = [("Authorization", SECRET)]
    assert creds.for_url("https://wire.example.com/story/1") == sent
    assert creds.for_url("https://eu.wire.example.com:8443/x?y=1") == sent
    assert creds.for_url("https://WIRE.EXAMPLE.COM./x") == sent
    for other in (
        "https://example.com/",
        "https://notwire.example.com/",
        "https://wire.example.com.evil.test/",
        "https://evil.test/?u=wire.example.com",
        "ftp://wire.example.com/",
    ):
        assert creds.for_url(other) == [], other


def test_the_environment_adds_entries_one_a_line() -> None:
    environ = {"FACTCHECK_HEADERS": "\n a.example=X-Key: one \n\nb.example=X-Key: two\n"}
    creds = credentials_from(["c.example=X-Key: three"], None, environ)
    assert [(e.host, e.value, e.source) for e in creds.headers] == [
        ("c.example", "three", "--header"),
        ("a.example", "one", "FACTCHECK_HEADERS"),
        ("b.example", "two", "FACTCHECK_HEADERS"),
    ]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        (f"Authorization: {SECRET}", "write HOST=Name: value"),
        (f"https://wire.example.com=Authorization: {SECRET}", "is not a host name"),
        (f"Authorization: {SECRET}=x: y", "is not a host name"),
        (f"wire.example.com=Bad Name: {SECRET}", "not a valid HTTP header name"),
        (f"wire.example.com=Host: {SECRET}", "set by factcheck itself"),
        (f"wire.example.com=Cookie: {SECRET}", "--cookies FILE"),
        ("wire.example.com=Authorization:", "has no value"),
        (f"wire.example.com=Authorization: {SECRET}\r\nX: y", "line break"),
    ],
)
def test_a_bad_entry_is_one_line_that_never_shows_the_value(entry: str, says: str) -> None:
    with pytest.raises(FactcheckError) as caught:
        parse_header(entry)
    message = str(caught.value)
    assert says in message and "s3cr3t" not in message and "\n" not in message


def test_cookies_follow_the_jar_rules(tmp_path: Path) -> None:
    creds = credentials_from([], jar(tmp_path))
    assert creds.for_url("http://wire.example.com/a") == [("Cookie", "session=w1re-cookie")]
    assert creds.for_url("https://news.wire.example.com/") == [("Cookie", "session=w1re-cookie")]
    # Host-only, secure and below /cases: exactly that.
    assert creds.for_url("https://courts.example.org/cases/12") == [("Cookie", "auth=c0urt-cookie")]
    assert creds.for_url("http://courts.example.org/cases/12") == []
    assert creds.for_url("https://courts.example.org/about") == []
    assert creds.for_url("https://www.courts.example.org/cases/12") == []
    # Expired cookies are not sent; other hosts get nothing.
    assert creds.for_url("http://old.example.net/") == []
    assert creds.for_url("https://example.com/") == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("wire.example.com\tTRUE\t/\n", "line 1: a Netscape cookie line has 7"),
        ("# c\nwire.example.com\tyes\t/\tFALSE\t0\ta\tb\n", "line 2: the 2nd and 4th"),
        ("wire.example.com\tTRUE\t/\tFALSE\tsoon\ta\tb\n", "expiry (5th field)"),
        ("# Netscape HTTP Cookie File\n", "holds no cookie"),
    ],
)
def test_a_bad_cookie_file_is_a_located_error(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(FactcheckError) as caught:
        credentials_from([], jar(tmp_path, text))
    assert says in str(caught.value) and "cookies.txt" in str(caught.value.location)


def test_a_missing_cookie_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="no such cookie file"):
        credentials_from([], tmp_path / "nope.txt")


def test_the_digest_changes_with_what_is_sent_and_the_salt(tmp_path: Path) -> None:
    one = credentials_from([f"wire.example.com=Authorization: {SECRET}"], None)
    two = credentials_from(["wire.example.com=Authorization: Bearer other"], None)
    url = "https://wire.example.com/story"
    assert len(one.digest(url, b"salt")) == 64
    assert one.digest(url, b"salt") == one.digest(url, b"salt")
    assert one.digest(url, b"salt") != two.digest(url, b"salt")
    assert one.digest(url, b"salt") != one.digest(url, b"pepper")
    assert one.digest("https://example.org/", b"salt") == ""
    assert Credentials().digest(url, b"salt") == ""


def test_no_value_is_in_what_a_traceback_or_log_would_show(tmp_path: Path) -> None:
    creds = credentials_from([f"wire.example.com=Authorization: {SECRET}"], jar(tmp_path))
    shown = repr(creds.headers) + str(creds.headers)
    assert "wire.example.com" in shown and "Authorization" in shown
    assert "s3cr3t" not in shown
