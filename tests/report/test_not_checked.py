"""Never pass silently: every verdict says what was really checked (issue 13).

Each case runs ``verify`` in process against pages served on 127.0.0.1: a short page with and
without the quote, a body the server cuts short, and the JSON, JUnit and markdown shape of a
quote that was not checked.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

#: A wire brief of about 170 words: a short page is judged like a long one.
BRIEF = (
    "<html><head><title>Works delayed</title></head><body><article><h1>Harbour works delayed"
    "</h1><p>"
    + "The harbour authority confirmed on Tuesday that the works on the northern quay will "
    "finish later than planned. "
    * 7
    + "The delay was caused by a worldwide shortage of copper cable, a spokesperson said.</p>"
    "</article></body></html>"
)
MISQUOTE = "the delay was caused by a shortage of copper cable"
QUOTE = "The delay was caused by a worldwide shortage of copper cable"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = BRIEF.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if self.path == "/cut":  # promises more than it sends, then closes: a truncated body
            self.send_header("Content-Length", str(len(body) * 4))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def web() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def write_claims(directory: Path, *evidence: tuple[str, str]) -> Path:
    """One supported claim citing each (url, quote)."""
    items = "".join(
        f"      - url: {url}\n        title: Works delayed\n        publisher: Harbour News\n"
        f"        quote: {quote!r}\n"
        for url, quote in evidence
    )
    (directory / "article.md").write_text("# The quay\n\nWe hear the works are late.\n")
    path = directory / "claims.yaml"
    path.write_text(
        "version: 1\nmode: review\narticle:\n  title: The quay\n"
        "  url: https://news.example.com/quay\n  publisher: The Paper\n  text: article.md\n"
        "claims:\n"
        "  - id: C001\n    quote: the works are late\n    status: supported\n"
        "    rationale: The harbour authority says so.\n    evidence:\n" + items,
        encoding="utf-8",
    )
    return path


ONLINE = ("--allow-cidr", "127.0.0.1/32", "--no-cache", "--timeout", "2", "--retries", "0")


def verify(cli: Cli, *args: str) -> Any:
    return cli("verify", *ONLINE, *args)


def test_a_misquote_on_a_short_page_fails_the_gate_with_the_closest_passage(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    write_claims(tmp_path, (f"{web}/brief", MISQUOTE))
    run = verify(cli)
    assert run.code == 1, run.out + run.err
    assert "error FC501 [C001]" in run.out
    assert "worldwide shortage of copper cable" in run.out  # the closest passage
    assert "passed" not in run.out.splitlines()[-1]


def test_the_right_quote_on_a_short_page_passes(cli: Cli, tmp_path: Path, web: str) -> None:
    write_claims(tmp_path, (f"{web}/brief", QUOTE))
    run = verify(cli)
    assert run.code == 0, run.out + run.err
    assert run.out.splitlines()[-1] == (
        "passed: 0 errors, 0 warnings, none at or above --fail-on error"
    )


def test_a_truncated_page_is_fc504_and_the_verdict_counts_it(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    write_claims(tmp_path, (f"{web}/cut", MISQUOTE), (f"{web}/brief", QUOTE))
    run = verify(cli)
    assert run.code == 0, run.out + run.err  # a warning: the gate is --fail-on error
    assert "warning FC504 [C001] quote not checked on" in run.out
    assert "(truncated; the page was cut off before its end" in run.out
    assert run.out.splitlines()[-1] == (
        "passed: 0 errors, 1 warning, none at or above --fail-on error (1 quote not checked)"
    )
    assert verify(cli, "--fail-on", "warning").code == 1


def test_offline_says_it_once_instead_of_one_fc504_per_quote(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    write_claims(tmp_path, (f"{web}/cut", MISQUOTE), (f"{web}/brief", QUOTE))
    run = cli("verify", "--offline")
    assert "FC504" not in run.out
    assert run.out.splitlines()[-1].endswith("(offline: links and quotes not checked)")


def test_json_markdown_and_junit_shapes_of_a_quote_not_checked(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    write_claims(tmp_path, (f"{web}/cut", MISQUOTE))
    data = json.loads(verify(cli, "-f", "json").out)
    (item,) = data["claims"][0]["evidence"]
    assert item["link"]["outcome"] == "ok"
    assert (item["quote"]["result"], item["quote"]["reason"]) == ("skipped", "truncated")
    assert [f["code"] for f in data["findings"]] == ["FC504"]

    markdown = verify(cli, "-f", "markdown").out
    assert "FC504" in markdown

    junit = ET.fromstring(verify(cli, "-f", "junit").out)
    (case,) = [c for c in junit.iter("testcase") if c.get("name") == "C001"]
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert "quote not checked" in (skipped.get("message") or "")


def test_offline_junit_shows_claims_with_evidence_as_skipped_not_passed(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    path = write_claims(tmp_path, (f"{web}/brief", QUOTE))
    with path.open("a", encoding="utf-8") as stream:  # a claim without evidence, and a pending one
        stream.write(
            "  - id: C002\n    quote: We hear\n    status: opinion\n    rationale: a view\n"
            "  - id: C003\n    quote: The quay\n    status: pending\n"
        )
    junit = ET.fromstring(cli("verify", "--offline", "--format", "junit").out)
    cases = {c.get("name"): c for c in junit.iter("testcase")}
    skipped = cases["C001"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (f"link not checked (offline): {web}/brief (and 1 more)")
    assert "quote not checked (offline)" in (skipped.text or "")
    assert list(cases["C002"]) == []  # no evidence: judged by its findings alone, and it passes
    assert cases["C003"].find("failure") is not None  # failure first: pending blocks
    assert cases["C003"].find("skipped") is None
    assert junit.get("skipped") == "1"


def test_a_private_address_is_skipped_with_the_allowance_hint_never_the_archive_advice(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    write_claims(tmp_path, (f"{web}/brief", QUOTE))
    run = cli("verify", "--no-cache", "--timeout", "2", "--retries", "0", "-f", "json")
    data = json.loads(run.out)
    link = data["claims"][0]["evidence"][0]["link"]
    assert (link["outcome"], link["reason"]) == ("skipped", "private-address")
    assert data["summary"]["links"]["skipped"] == 1 and data["summary"]["links"]["broken"] == 0
    (only,) = data["findings"]
    assert (only["code"], only["severity"]) == ("FC402", "warning")
    assert "--allow-private" in only["message"] and "--allow-cidr CIDR" in only["message"]
    assert "archive" not in only["message"]
    assert run.code == 0  # a warning; the quote's "not checked" is said by FC402, once

    allowed = verify(cli, "-f", "json")  # --allow-cidr 127.0.0.1/32
    link = json.loads(allowed.out)["claims"][0]["evidence"][0]["link"]
    assert (link["outcome"], link["reason"]) == ("ok", "ok")


CITED = (
    "  - id: C002\n    quote: We hear\n    status: supported\n    rationale: The print edition.\n"
    "    evidence:\n      - citation: 'TIME, 2 January 1956, p. 21'\n        title: Burma\n"
    "        publisher: TIME\n        quote: the works are late\n"
)


def test_a_source_without_a_url_is_never_fetched_and_its_quote_is_not_checked(
    cli: Cli, tmp_path: Path, web: str
) -> None:
    path = write_claims(tmp_path, (f"{web}/brief", QUOTE))
    with path.open("a", encoding="utf-8") as stream:
        stream.write(CITED)
    run = verify(cli, "-f", "json")
    assert run.code == 0, run.out + run.err
    data = json.loads(run.out)
    assert data["findings"] == []  # no FC504 for a source that has no page to check
    cited = data["claims"][1]
    (item,) = cited["evidence"]
    assert (item["url"], item["citation"]) == (None, "TIME, 2 January 1956, p. 21")
    assert (item["link"], item["archive_link"]) == (None, None)
    assert (item["quote"]["result"], item["quote"]["reason"]) == ("skipped", "offline-source")
    assert cited["rests_on_offline_sources"] is True
    assert data["claims"][0]["rests_on_offline_sources"] is False
    assert [link["url"] for link in data["links"]] == [f"{web}/brief"]

    markdown = verify(cli, "-f", "markdown").out
    assert "TIME, 2 January 1956, p. 21" in markdown
    assert "the status rests only on offline sources" in markdown
    assert "not checked (offline source)" in markdown

    junit = ET.fromstring(verify(cli, "-f", "junit").out)
    (case,) = [c for c in junit.iter("testcase") if c.get("name") == "C002"]
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "quote not checked (offline-source): TIME, 2 January 1956, p. 21"
    )


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ("      - title: T\n", "needs url (the page where you saw the passage) or"),
        (
            "      - url: https://a.example.org/\n        citation: 'TIME, p. 21'\n",
            "give url or citation, not both",
        ),
    ],
)
def test_evidence_needs_a_url_or_a_citation_but_not_both(
    cli: Cli, tmp_path: Path, evidence: str, message: str
) -> None:
    path = write_claims(tmp_path)
    path.write_text(path.read_text() + evidence, encoding="utf-8")
    run = cli("validate")
    assert run.code == 1
    assert f"claims.yaml:14:9: error FC104 [C001] evidence 1: {message}" in run.out
