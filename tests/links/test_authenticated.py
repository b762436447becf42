"""Sources behind a login: ``--header 'HOST=Name: value'``, ``FACTCHECK_HEADERS`` and
``--cookies FILE``, against a local server that answers only with the right header and cookie.
Credentials go to their host only (never across a redirect to another host), are never shown
in any format, and a page fetched with them keeps no text in the cache for a later run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli

from . import servers
from .servers import Handler, html, reply

TOKEN = "s3cr3t-t0ken-4711"
COOKIE = "c00kie-v4lue-0815"
PASSAGE = "the ministry paid 4.2 million crowns to the contractor"

ARTICLE = "# Payments\n\nThe ministry paid the contractor 4.2 million crowns.\n"


def claims(*urls: str, access: str | None = None, archive: str | None = None) -> str:
    items = ""
    for url in urls:
        items += (
            f"      - url: {url}\n"
            "        title: Payment register\n"
            "        publisher: Wire Service\n"
            f'        quote: "{PASSAGE}"\n'
        )
        if access:
            items += f"        access: {access}\n"
        if archive:
            items += f"        archive_url: {archive}\n"
    return (
        "version: 1\n"
        "article:\n"
        "  title: Payments\n"
        "  url: https://news.example.com/payments\n"
        "  publisher: The Example Courier\n"
        "  text: article.md\n"
        "claims:\n"
        "  - id: C001\n"
        '    quote: "The ministry paid the contractor 4.2 million crowns."\n'
        "    status: supported\n"
        "    rationale: The register lists the payment.\n"
        "    evidence:\n" + items
    )


def jar(host: str) -> str:
    return f"# Netscape HTTP Cookie File\n{host}\tFALSE\t/\tFALSE\t0\tsession\t{COOKIE}\n"


def members_only(handler: Handler) -> None:
    """The page, for a request with the API key and the session cookie; else 401."""
    headers = {k.lower(): v for k, v in handler.headers.items()}
    if headers.get("x-api-key") == TOKEN and f"session={COOKIE}" in headers.get("cookie", ""):
        page = html("Register", f"<p>In March {PASSAGE}, the register shows.</p>")
        reply(handler, 200, page)
    else:
        reply(handler, 401, html("Sign in", "<p>Members only.</p>"))


@pytest.fixture
def wire(make_server: Callable[..., servers.TestServer]) -> servers.TestServer:
    server = make_server("127.0.0.1")
    server.route("/register", members_only)
    return server


@pytest.fixture
def work(tmp_path: Path, wire: servers.TestServer) -> Path:
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(claims(wire.url("/register")), encoding="utf-8")
    (tmp_path / "cookies.txt").write_text(jar("127.0.0.1"), encoding="utf-8")
    return tmp_path


def verify(cli: Cli, *args: str, cwd: Path | None = None) -> dict:
    run = cli("verify", "--allow-cidr", "127.0.0.0/8", "--timeout", "2", *args, "-f", "json")
    assert run.code in (0, 1), run.err
    return json.loads(run.out)


def evidence(report: dict) -> dict:
    return report["claims"][0]["evidence"][0]


AUTH = ("--header", f"127.0.0.1=X-Api-Key: {TOKEN}", "--cookies", "cookies.txt")


def test_given_credentials_open_the_page(cli: Cli, work: Path, wire: servers.TestServer) -> None:
    report = verify(cli, *AUTH, "--no-cache")
    item = evidence(report)
    assert item["link"]["outcome"] == "ok"
    assert item["quote"]["result"] == "found"
    assert report["gate"]["passed"] is True
    sent = wire.requests[-1].headers
    assert sent["X-Api-Key"] == TOKEN and f"session={COOKIE}" in sent["Cookie"]


def test_without_credentials_the_page_is_closed(cli: Cli, work: Path) -> None:
    item = evidence(verify(cli, "--no-cache"))
    assert (item["link"]["outcome"], item["link"]["reason"]) == ("warning", "bot-blocked")
    assert item["quote"]["result"] == "skipped"


def test_the_environment_gives_headers_too(
    cli: Cli, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "FACTCHECK_HEADERS", f"other.example=X-Other: 1\n127.0.0.1=X-Api-Key: {TOKEN}\n"
    )
    item = evidence(verify(cli, "--cookies", "cookies.txt", "--no-cache"))
    assert item["quote"]["result"] == "found"


def test_credentials_never_follow_a_redirect_to_another_host(
    cli: Cli, work: Path, wire: servers.TestServer, make_server: Callable[..., servers.TestServer]
) -> None:
    other = make_server("127.0.0.2")
    other.route("/copy", body=html("Copy", f"<p>{PASSAGE}</p>"))
    wire.route("/moved", status=302, body="", headers={"Location": other.url("/copy")})
    (work / "claims.yaml").write_text(claims(wire.url("/moved")), encoding="utf-8")
    item = evidence(verify(cli, *AUTH, "--no-cache"))
    assert item["link"]["final_url"] == other.url("/copy")
    assert wire.requests[-1].headers["X-Api-Key"] == TOKEN  # the first hop has them
    (received,) = other.requests
    assert "X-Api-Key" not in received.headers
    assert COOKIE not in received.headers.get("Cookie", "")


def test_a_later_run_without_credentials_does_not_reuse_the_page(
    cli: Cli, work: Path, wire: servers.TestServer
) -> None:
    first = evidence(verify(cli, *AUTH))
    assert first["quote"]["result"] == "found"
    # Without credentials: not a cache hit (the entry is keyed by their salted hash).
    bare = evidence(verify(cli))
    assert bare["link"]["reason"] == "bot-blocked" and bare["quote"]["result"] == "skipped"
    assert wire.hits("/register") == 2
    # With them again: the outcome is cached but not the text, so the quote needs a request.
    again = evidence(verify(cli, *AUTH))
    assert again["quote"]["result"] == "found"
    assert wire.hits("/register") == 3
    # The cache file holds no word of the page.
    cache = (work / ".factcheck" / "cache.sqlite").read_bytes()
    assert b"register shows" not in cache and TOKEN.encode() not in cache


def test_cache_authenticated_keeps_the_text(cli: Cli, work: Path, wire: servers.TestServer) -> None:
    evidence(verify(cli, *AUTH, "--cache-authenticated"))
    again = evidence(verify(cli, *AUTH, "--cache-authenticated"))
    assert again["quote"]["result"] == "found"
    assert wire.hits("/register") == 1  # the second run read the cached page
    other_key = ("--header", "127.0.0.1=X-Api-Key: another-key", "--cookies", "cookies.txt")
    evidence(verify(cli, *other_key, "--cache-authenticated"))
    assert wire.hits("/register") == 2  # other credentials: another entry


def test_paywalled_evidence_is_checked_live_with_credentials(
    cli: Cli, work: Path, wire: servers.TestServer, make_server: Callable[..., servers.TestServer]
) -> None:
    archive = make_server("127.0.0.3")
    archive.route("/copy", body=html("Archived", f"<p>{PASSAGE}</p>"))
    text = claims(wire.url("/register"), access="paywalled", archive=archive.url("/copy"))
    (work / "claims.yaml").write_text(text, encoding="utf-8")
    live = evidence(verify(cli, *AUTH, "--no-cache"))
    assert (live["quote"]["result"], live["quote"]["copy"]) == ("found", "live")
    closed = evidence(verify(cli, "--no-cache"))
    assert (closed["quote"]["result"], closed["quote"]["copy"]) == ("found", "archive")


@pytest.mark.parametrize("fmt", ["console", "json", "markdown", "html", "junit", "github", "sarif"])
def test_credentials_are_never_shown(cli: Cli, work: Path, fmt: str) -> None:
    run = cli("verify", "--allow-cidr", "127.0.0.0/8", "--no-cache", *AUTH, "-v", "-f", fmt)
    assert run.code in (0, 1), run.err
    for text in (run.out, run.err):
        assert TOKEN not in text and COOKIE not in text
    if fmt == "json":
        settings = {s["name"]: s["value"] for s in json.loads(run.out)["settings"]}
        assert settings["header"] == "127.0.0.1=X-Api-Key: ***"
        assert settings["cookies"].endswith("cookies.txt")


def test_a_bad_header_is_one_line_without_its_value(cli: Cli, work: Path) -> None:
    run = cli("verify", "--header", f"X-Api-Key: {TOKEN}")
    assert run.code == 2
    assert len(run.err.strip().splitlines()) == 1 and "HOST=Name: value" in run.err
    assert TOKEN not in run.err


def test_a_configuration_file_cannot_give_credentials(cli: Cli, work: Path) -> None:
    for key, value in (("header", f'["127.0.0.1=X-Api-Key: {TOKEN}"]'), ("cookies", '"c.txt"')):
        (work / "factcheck.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
        run = cli("verify", "--offline")
        assert run.code == 2, key
        assert "only with --" in run.err and TOKEN not in run.err


def test_a_capture_leaves_out_pages_fetched_with_credentials(
    cli: Cli, work: Path, wire: servers.TestServer
) -> None:
    import gzip

    # A header of any name counts, not only Authorization.
    header = ("--header", f"127.0.0.1=X-Api-Key: {TOKEN}")
    run = cli(
        "capture", "-o", "run.warc.gz", "--allow-cidr", "127.0.0.0/8", "--timeout", "2", *header
    )
    assert run.code == 0, run.err
    assert wire.requests[-1].headers["X-Api-Key"] == TOKEN  # fetched with it ...
    assert "left out 1 pages fetched with credentials" in run.err
    warc = gzip.decompress((work / "run.warc.gz").read_bytes())
    assert b"Members only" not in warc and TOKEN.encode() not in warc  # ... and not kept
