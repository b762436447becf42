"""The online half of a run (factcheck.pipeline.online) as a library: links read off the YAML trees
start early, and what that head start missed is fetched before the report is made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.links import LinkKind, LinkRequest, LinkSettings
from factcheck.load.discover import parse_file
from factcheck.load.loader import load_parsed
from factcheck.pipeline.online import OnlineCheck, early_requests
from tests.links.servers import TestServer as Server
from tests.links.servers import html

PAGE = html("Minutes", "<p>The council approved a budget of 4.2 million crowns.</p>")


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.route("/minutes", body=PAGE)
    srv.route("/notes", body=PAGE)
    yield srv
    srv.stop()


def write(tmp_path: Path, server: Server) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(
        "version: 1\n"
        "article: {title: Ferry, url: 'https://news.example.org/a', publisher: P, text: a.md}\n"
        "claims:\n"
        "  - id: C1\n"
        "    quote: The ferry runs.\n"
        "    status: supported\n"
        "    evidence:\n"
        f"      - url: {server.url('/minutes')}\n"
        "        quote: a budget of 4.2 million crowns\n"
        f"      - url: {server.url('/notes')}\n"
        "  - id: C2\n"
        "    quote: The ferry sails.\n"
        "    status: opinion\n"
    )
    (tmp_path / "a.md").write_text("The ferry runs. The ferry sails.\n")
    return path


SETTINGS = LinkSettings(allow_cidrs=("127.0.0.1/32",), use_cache=False, timeout=2, retries=0)


def test_the_links_a_tree_cites_are_read_before_validation(tmp_path: Path, server: Server) -> None:
    parsed = [parse_file(write(tmp_path, server))]
    early = early_requests(parsed)
    assert [(r.url, r.kind, r.need_text) for r in early] == [
        (server.url("/minutes"), LinkKind.EVIDENCE, True),
        (server.url("/notes"), LinkKind.EVIDENCE, False),
    ]
    assert early_requests(parsed, claim_filter=("C2",)) == []


def test_what_the_head_start_missed_is_fetched_before_the_report(
    tmp_path: Path, server: Server
) -> None:
    path = write(tmp_path, server)
    parsed = parse_file(path)
    loaded = load_parsed(parsed)
    assert loaded.document is not None
    files = [(loaded.path, loaded.document)]
    # A head start that missed /notes and read /minutes without its text.
    check = OnlineCheck([LinkRequest(server.url("/minutes"), LinkKind.EVIDENCE)], SETTINGS)
    check.start()
    check.attach(files)
    assert {r.url for r in check.missing} == {server.url("/minutes"), server.url("/notes")}
    results = check.finish(files)
    assert {(e.url, e.outcome) for e in results.links} == {
        (server.url("/minutes"), "ok"),
        (server.url("/notes"), "ok"),
    }
    quote = results.evidence[(loaded.path, "C1", 0)].quote
    assert quote is not None and quote.result == "found"
    assert server.hits("/notes") == 1
