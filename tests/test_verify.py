"""`factcheck verify` end to end, as a user runs it (in process, isolated as a process): against
a real server on 127.0.0.1, reading what the console and the JSON report say and what the
server saw."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli, Result
from tests.links.servers import TestServer as Server
from tests.links.servers import html

WORDS = " ".join(f"word{i}" for i in range(250))
PAGE = html(
    "Council minutes", f"<p>The council approved a budget of 4.2 million crowns. {WORDS}</p>"
)
ARTICLE_PAGE = html(
    "Ferry is back",
    "<article><h1>Ferry is back</h1><h2>Money</h2>"
    f"<p>The ferry will run again from May. The budget is 4.2 million crowns. {WORDS}</p>"
    "</article>",
)


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.route("/minutes", body=PAGE)
    srv.route("/article", body=ARTICLE_PAGE)
    srv.route("/gone", status=404, body=html("Not here", "<p>Nothing</p>"))
    yield srv
    srv.stop()


def claims_file(path: Path, server: Server, claims: str, *, article: str = "/article") -> Path:
    path.write_text(
        "version: 1\n"
        "mode: draft\n"
        "article:\n"
        "  title: Ferry is back\n"
        f"  url: {server.url(article)}\n"
        "  publisher: The Courier\n"
        "claims:\n" + claims
    )
    return path


def claim(claim_id: str, quote: str, url: str, evidence_quote: str | None = None) -> str:
    text = (
        f"  - id: {claim_id}\n"
        f"    quote: {quote}\n"
        "    status: supported\n"
        "    rationale: The minutes say so.\n"
        "    evidence:\n"
        f"      - url: {url}\n"
        "        title: Minutes\n"
        "        publisher: Council\n"
    )
    if evidence_quote:
        text += f"        quote: {evidence_quote}\n"
    return text


Verify = Callable[..., Result]


@pytest.fixture
def verify(cli: Cli) -> Verify:
    """``factcheck verify`` in ``cwd`` against 127.0.0.1 only, quickly, with its own cache."""
    return lambda cwd, *args: cli(
        "verify",
        *args,
        "--allow-cidr",
        "127.0.0.1/32",
        "--timeout",
        "2",
        "--retries",
        "0",
        "--cache-dir",
        str(cwd / ".cache"),
        cwd=cwd,
    )


def test_a_good_link_and_quote_pass(verify: Verify, tmp_path: Path, server: Server) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim(
            "C1",
            "The ferry will run again from May.",
            server.url("/minutes"),
            "a budget of 4.2 million crowns",
        ),
    )
    result = verify(tmp_path, "-v")  # every claim and link, not only the problems
    assert result.code == 0, result.out + result.err
    assert "quote found" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("passed")


def test_a_broken_link_is_fc401_at_the_line_of_its_url(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/gone")),
    )
    result = verify(tmp_path, "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    [finding] = [f for f in report["findings"] if f["code"] == "FC401"]
    assert (finding["line"], finding["column"], finding["claim"]) == (13, 14, "C1")
    link = report["claims"][0]["evidence"][0]["link"]
    assert (link["outcome"], link["reason"], link["status_code"]) == ("broken", "http-status", 404)


def test_a_quote_missing_from_a_completely_read_page_is_fc501(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim(
            "C1",
            "The ferry will run again from May.",
            server.url("/minutes"),
            "the council rejected every budget proposal",
        ),
    )
    result = verify(tmp_path)
    assert result.code == 1
    assert "error FC501 [C1]" in result.out


def test_each_url_is_fetched_once_however_many_claims_and_files_cite_it(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    url = server.url("/minutes")
    both = claim("C1", "The ferry will run again from May.", url, "4.2 million crowns") + claim(
        "C2", "The budget is 4.2 million crowns.", url + "#budget"
    )
    claims_file(tmp_path / "a.claims.yaml", server, both)
    claims_file(tmp_path / "b.claims.yaml", server, both)
    result = verify(tmp_path, ".")
    assert server.hits("/minutes") == 1, result.out
    assert server.hits("/article") == 1
    assert "2 files, 4 claims" in result.out


def test_claim_selects_what_is_checked_and_the_verdict_says_the_run_was_partial(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/gone"))
        + claim("C2", "The budget is 4.2 million crowns.", server.url("/minutes")),
    )
    result = verify(tmp_path, "--claim", "C2")
    assert result.code == 0, result.out
    assert server.hits("/gone") == 0
    assert "partial run: 1 claim selected with --claim" in result.out


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("C3", "--claim C3: no claim C3 in the claims file; did you mean C1?"),
        ("C999", "--claim C999: no claim C999 in the claims file"),
        ("other.yaml:C1", "--claim other.yaml:C1: no claim C1 in other.yaml"),
    ],
)
def test_claim_that_no_file_has_is_exit_2_with_the_nearest_id(
    verify: Verify, tmp_path: Path, server: Server, selector: str, message: str
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes")),
    )
    result = verify(tmp_path, "--claim", "C1", "--claim", selector)
    assert result.code == 2, result.out
    assert result.err.strip() == f"factcheck: error: {message}"
    assert "passed" not in result.out


def test_offline_makes_no_request_and_says_so(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/gone")),
    )
    result = verify(tmp_path, "--offline")
    assert result.code == 0
    assert server.requests == []
    assert "links and quotes not checked" in result.out.splitlines()[-1]


def test_the_article_page_is_fetched_and_anchors_the_claim_quotes(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes"))
        + claim("C2", "The ferry sails to the moon.", server.url("/minutes")),
    )
    result = verify(tmp_path, "--format", "json")
    report = json.loads(result.out)
    assert report["files"][0]["article_source"] == "url"
    assert [(f["code"], f["claim"]) for f in report["findings"]] == [("FC301", "C2")]


def test_a_page_that_is_not_the_article_is_one_fc305(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes"))
        + claim("C2", "The ferry sails to the moon.", server.url("/minutes")),
        article="/minutes",
    )
    result = verify(tmp_path)
    assert result.code == 1
    assert result.out.count("error FC305") == 1
    assert "FC301" not in result.out


def test_no_reachable_host_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    # A listener that never accepts, with its backlog full: connections time out.
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(0)
    port = blackhole.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    try:
        (tmp_path / "claims.yaml").write_text(
            "version: 1\n"
            f"article: {{title: T, url: 'http://127.0.0.1:{port}/a', publisher: P}}\n"
            "claims:\n" + claim("C1", "a quote", f"http://127.0.0.1:{port}/x")
        )
        result = cli(
            "verify",
            "--allow-cidr",
            "127.0.0.1/32",
            "--timeout",
            "1",
            "--retries",
            "0",
            "--no-cache",
            cwd=tmp_path,
        )
    finally:
        for filler in fillers:
            filler.close()
        blackhole.close()
    assert result.code == 2, result.out + result.err
    assert result.err.count("\n") == 1 and "no network" in result.err
    assert "Traceback" not in result.err


def test_an_unreadable_article_option_stops_the_run_before_any_request(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    # Link checks start as soon as the files are loaded; a bad --article must still come first.
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes")),
    )
    result = verify(tmp_path, "claims.yaml", "--article", "missing.md")
    assert result.code == 2
    assert "no such article file" in result.err
    assert server.requests == []


def test_a_local_article_text_file_is_used_and_the_article_url_not_fetched(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    (tmp_path / "article.md").write_text(
        "# Ferry is back\n\n## Money\n\nThe ferry will run again from May.\n"
    )
    path = claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes"))
        + claim("C2", "The ferry sails to the moon.", server.url("/minutes")),
    )
    path.write_text(path.read_text().replace("claims:\n", "  text: article.md\nclaims:\n", 1))
    result = verify(tmp_path, "--format", "json")
    report = json.loads(result.out)
    assert report["files"][0]["article_source"] == "text"
    assert [(f["code"], f["claim"]) for f in report["findings"]] == [("FC301", "C2")]
    assert server.hits("/article") == 0
    assert server.hits("/minutes") == 1


def test_a_large_report_reaches_a_pipe_whole_with_the_exit_code(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    # The command ends with a hard exit once its output is flushed: nothing may be cut off.
    claims = "".join(
        claim(f"C{i}", "The ferry will run again from May.", server.url(f"/gone?page={i}"))
        for i in range(60)
    )
    claims_file(tmp_path / "claims.yaml", server, claims)
    result = verify(tmp_path, "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)  # the whole document, parseable
    assert len(report["links"]) == 61
    assert sum(f["code"] == "FC401" for f in report["findings"]) == 60


def test_a_file_that_cannot_be_used_makes_no_request(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    path = claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes")),
    )
    path.write_text("version: 2\n" + path.read_text().split("\n", 1)[1])
    result = verify(tmp_path)
    assert result.code == 2
    assert "FC101" in result.out
    assert server.requests == []


def test_only_claims_that_validate_are_reported(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    # Links are read off the YAML tree to start early; a claim that does not validate
    # must still not appear in the report (its link is not reported).
    bad = claim("C2", "The budget is 4.2 million crowns.", server.url("/gone")).replace(
        "status: supported", "status: probably"
    )
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes")) + bad,
    )
    result = verify(tmp_path, "--format", "json")
    report = json.loads(result.out)
    assert [c["id"] for c in report["claims"]] == ["C1"]
    assert [link["url"] for link in report["links"]] == [
        server.url("/article"),
        server.url("/minutes"),
    ]
    assert not any(f["code"] == "FC401" for f in report["findings"])


def test_respect_robots_skips_a_disallowed_source_without_calling_it_broken(
    verify: Verify, tmp_path: Path, server: Server
) -> None:
    server.route(
        "/robots.txt", body="User-agent: *\nDisallow: /minutes\n", content_type="text/plain"
    )
    claims_file(
        tmp_path / "claims.yaml",
        server,
        claim("C1", "The ferry will run again from May.", server.url("/minutes")),
    )
    result = verify(tmp_path, "--respect-robots", "--host-interval", "0.05", "--format", "json")
    report = json.loads(result.out)
    link = report["claims"][0]["evidence"][0]["link"]
    assert (link["outcome"], link["reason"]) == ("skipped", "robots")
    assert not [f for f in report["findings"] if f["code"] in ("FC401", "FC402")]
    assert server.hits("/minutes") == 0
    assert result.code == 0, result.err
