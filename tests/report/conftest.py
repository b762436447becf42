"""Fixtures for the report tests: a fact-check on disk, a hand-built Report, golden files,
`cli` with every JSON report it makes validated against the JSON Schema, and a small web
on 127.0.0.1.

Golden files are compared byte for byte; regenerate them with
``FACTCHECK_UPDATE_GOLDENS=1 python -m pytest tests/report``.
"""

from __future__ import annotations

import json
import os
import socket
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from factcheck.findings import Finding, Location, Severity
from factcheck.report import (
    ClaimReport,
    EvidenceReport,
    FileReport,
    Gate,
    LinkEntry,
    LinkInfo,
    QuoteInfo,
    Report,
)
from factcheck.settings import Setting
from tests.conftest import Cli, Result

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "goldens"
REPO = HERE.parents[1]
SCHEMA_PATH = REPO / "src" / "factcheck" / "json-report.schema.json"
UPDATE = os.environ.get("FACTCHECK_UPDATE_GOLDENS") == "1"


# --------------------------------------------------------------------------- no internet


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any DNS look-up and any connection outside 127.0.0.0/8 (runs are in-process)."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def loopback(host: object) -> bool:
        return isinstance(host, str) and (host == "localhost" or host.startswith("127."))

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not loopback(address[0]):
            raise AssertionError(f"a test tried to connect to {address[0]}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not loopback(host):
            raise AssertionError(f"a test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# --------------------------------------------------------------------------- goldens


def golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``goldens/<name>`` byte for byte (or rewrite it when updating)."""
    path = GOLDENS / name
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8", newline="\n")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written: check it in")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; FACTCHECK_UPDATE_GOLDENS=1 regenerates it"


# --------------------------------------------------------------------------- JSON Schema


def _strict(schema: Any) -> Any:
    """The schema with every documented object closed: a key the docs do not list fails."""
    if isinstance(schema, dict):
        out = {key: _strict(value) for key, value in schema.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
_STRICT = jsonschema.Draft202012Validator(_strict(SCHEMA))


def assert_valid_report(document: str | dict[str, Any]) -> dict[str, Any]:
    """Validate a JSON report against the published schema, and check every key is documented."""
    data = json.loads(document) if isinstance(document, str) else document
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    undocumented = sorted(_STRICT.iter_errors(data), key=lambda e: list(e.path))
    assert not undocumented, [f"{list(e.path)}: {e.message}" for e in undocumented[:5]]
    return data


# --------------------------------------------------------------------------- the CLI in-process


@pytest.fixture
def cli(cli: Cli, tmp_path: Path) -> Cli:
    """The suite's ``cli``, and every JSON report a run makes is checked against the schema."""

    def call(*args: str, cwd: Path | None = None, timeout: float = 60) -> Result:
        result = cli(*args, cwd=cwd, timeout=timeout)
        _check_json_output(list(args), result.out, cwd or tmp_path)
        return result

    return call


def _check_json_output(args: list[str], out: str, cwd: Path) -> None:
    """Every JSON report a test makes is validated against the schema, wherever it went."""
    formats = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in {"-f", "--format"}]
    if "json" not in formats or "--summary" in args:
        return
    targets = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in {"-o", "--output"}]
    if targets and targets[0] != "-":
        path = cwd / targets[0]
        if path.exists():
            assert_valid_report(path.read_text(encoding="utf-8"))
    elif out.strip():
        assert_valid_report(out)


# --------------------------------------------------------------------------- a fact-check on disk

ARTICLE = """\
# Budget 2026: the city's numbers

The council approved a budget of 412 million euros on Tuesday.

## Schools

Spending on schools rises by 4 percent, the mayor said.
Class sizes will fall to 24 pupils.

## Transport

The tram line to the airport opens in 2027.
Bus fares are the lowest in the country.
Cycling is the future of the city.
"""

CLAIMS = """\
version: 1
mode: {mode}
article:
  title: "Budget 2026: the city's numbers"
  url: https://news.example.com/budget-2026
  publisher: The Example Gazette
  published: 2026-03-02
  authors: [Ana Example]
claims:
  - id: C001
    quote: "a budget of 412 million euros"
    assertion: The council approved a 412 million euro budget.
    status: supported
    rationale: The council's minutes give the figure.
    evidence:
      - url: {base}/minutes
        title: Council minutes, 28 February
        publisher: City Council
        quote: "approved the budget of EUR 412 million"
  - id: C002
    quote: "Spending on schools rises by 4 percent"
    section: Schools
    status: partially_supported
    rationale: The rise is 3.6 percent, not 4; the article rounds up.
    evidence:
      - url: {base}/budget.pdf
        title: Budget 2026
        publisher: City Council
        stance: supports
        quote: "education spending grows by 3.6 percent"
      - url: {base}/moved
        title: Schools plan
        publisher: Education Office
        stance: context
  - id: C003
    quote: "The tram line to the airport opens in 2027."
    section: Transport
    status: contradicted
    rationale: The transport authority now says 2029.
    evidence:
      - url: {base}/tram
        title: Tram timetable
        publisher: Transport Authority
        stance: contradicts
        quote: "opening is now planned for 2029"
        archive_url: https://web.archive.org/web/2026/{base}/tram
  - id: C004
    quote: "Bus fares are the lowest in the country."
    status: unverified
    rationale: No national comparison of fares exists.
    evidence:
      - url: {base}/gone
        stance: context
        ignore: [{{code: FC208, reason: "the page has no title", until: 2027-01-01}}]
  - id: C005
    quote: "Cycling is the future of the city."
    status: opinion
    rationale: A judgement, not a checkable fact.
  - id: C006
    quote: "Class sizes will fall to 24 pupils."
    section: Schools
    status: pending
"""


def write_factcheck(
    directory: Path, *, base: str = "https://sources.example.org", mode: str = "draft"
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "article.md").write_text(ARTICLE, encoding="utf-8")
    path = directory / "claims.yaml"
    path.write_text(CLAIMS.format(base=base, mode=mode), encoding="utf-8")
    return path


@pytest.fixture
def fact_check(tmp_path: Path) -> Path:
    return write_factcheck(tmp_path)


# --------------------------------------------------------------------------- a small web


PAGES: dict[str, tuple[int, str, str]] = {
    "/minutes": (
        200,
        "text/html",
        "<html><head><title>Minutes</title></head><body><main><p>"
        + "The council met on 28 February. " * 40
        + "It approved the budget of EUR 412 million by 31 votes to 20.</p></main></body></html>",
    ),
    "/tram": (
        200,
        "text/html",
        "<html><head><title>Tram</title></head><body><p>"
        + "The airport tram is the largest project of the decade. " * 30
        + "Opening is now planned for 2029 after delays.</p></body></html>",
    ),
    "/schools": (
        200,
        "text/html",
        "<html><head><title>Schools plan</title></head><body><p>The plan.</p></body></html>",
    ),
    "/budget.pdf": (404, "text/html", "<html><head><title>Not found</title></head></html>"),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/schools")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, kind, body = PAGES.get(self.path, (404, "text/html", "<title>Gone</title>"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_HEAD = do_GET


@pytest.fixture
def web() -> Iterator[str]:
    """A small web on 127.0.0.1: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- a hand-built Report


def _finding(
    code: str, severity: Severity, message: str, line: int, claim: str | None, file: str
) -> Finding:
    return Finding(code, message, Location(file, line, 9), claim=claim, severity=severity)


def sample_report(file: str = "claims.yaml", *, fail_on: str = "error") -> Report:
    """A verified run with every link outcome and quote result a reader can meet."""
    ok = LinkInfo("ok", "ok", 200, "https://council.example.org/minutes")
    moved = LinkInfo(
        "ok", "redirected", 200, "https://edu.example.org/plan", "redirected once (301)"
    )
    blocked = LinkInfo("warning", "bot-blocked", 403, "https://fares.example.com/", "HTTP 403")
    gone = LinkInfo("broken", "http-status", 404, "https://transport.example.org/tram", "HTTP 404")
    archived = LinkInfo("ok", "ok", 200, "https://web.archive.org/web/2026id_/x")
    claims = [
        ClaimReport(
            file,
            "C001",
            "supported",
            9,
            5,
            "a budget of 412 million euros",
            assertion="The council approved a 412 million euro budget.",
            rationale="The council's minutes give the figure.",
            evidence=(
                EvidenceReport(
                    "https://council.example.org/minutes",
                    15,
                    14,
                    title="Council minutes, 28 February",
                    publisher="City Council",
                    quote_text="approved the budget of EUR 412 million",
                    link=ok,
                    quote=QuoteInfo("found", copy="live"),
                ),
            ),
        ),
        ClaimReport(
            file,
            "C002",
            "partially_supported",
            20,
            5,
            "Spending on schools rises by 4 percent",
            section="Schools",
            rationale="The rise is 3.6 percent; the article rounds up.",
            evidence=(
                EvidenceReport(
                    "https://council.example.org/budget.pdf?token=s3cr3t",
                    26,
                    14,
                    title="Budget 2026",
                    publisher="City Council",
                    quote_text="education spending grows by 3.6 percent",
                    quote_translation="(English original)",
                    link=ok,
                    quote=QuoteInfo(
                        "near",
                        score=93.4,
                        copy="live",
                        passage="education spending grows by 3.6 per cent",
                    ),
                ),
                EvidenceReport(
                    "https://edu.example.org/old-plan",
                    32,
                    14,
                    title="Schools plan",
                    publisher="Education Office",
                    stance="context",
                    link=moved,
                ),
            ),
        ),
        ClaimReport(
            file,
            "C003",
            "contradicted",
            37,
            5,
            "The tram line to the airport opens in 2027.",
            section="Transport",
            rationale="The transport authority now says 2029.",
            evidence=(
                EvidenceReport(
                    "https://transport.example.org/tram",
                    43,
                    14,
                    title="Tram timetable",
                    publisher="Transport Authority",
                    stance="contradicts",
                    archive_url="https://web.archive.org/web/2026/https://transport.example.org/tram",
                    quote_text="opening is now planned for 2029",
                    link=gone,
                    archive_link=archived,
                    quote=QuoteInfo("found", copy="archive"),
                ),
            ),
        ),
        ClaimReport(
            file,
            "C004",
            "unverified",
            50,
            5,
            "Bus fares are the lowest in the country.",
            rationale="No national comparison of fares exists.",
            evidence=(
                EvidenceReport(
                    "https://fares.example.com/",
                    55,
                    14,
                    stance="context",
                    link=blocked,
                    quote_text="the cheapest fares",
                    quote=QuoteInfo("skipped", "not-fetched"),
                ),
            ),
        ),
        ClaimReport(
            file,
            "C005",
            "opinion",
            58,
            5,
            "Cycling is the future of the city.",
            rationale="A judgement, not a checkable fact.",
        ),
        ClaimReport(
            file,
            "C006",
            "pending",
            62,
            5,
            "Class sizes will fall to 24 pupils.",
            section="Schools",
        ),
    ]
    E, W = Severity.ERROR, Severity.WARNING
    findings = sorted(
        [
            _finding("FC502", W, "quote near (93.4%) on the page, not exact", 30, "C002", file),
            _finding("FC503", W, "quote found only on the archive copy", 47, "C003", file),
            _finding("FC402", W, "link bot-blocked (HTTP 403)", 55, "C004", file),
            _finding("FC602", E, "claim is contradicted by the evidence", 41, "C003", file),
            _finding("FC603", W, "claim is unverified: no source settles it", 52, "C004", file),
            _finding("FC601", E, "claim is still pending", 64, "C006", file),
        ],
        key=Finding.sort_key,
    )
    links = [
        LinkEntry(
            "https://council.example.org/budget.pdf?token=s3cr3t",
            "evidence",
            "ok",
            "ok",
            200,
            "https://council.example.org/budget.pdf",
            ((file, "C002"),),
        ),
        LinkEntry(
            "https://council.example.org/minutes",
            "evidence",
            "ok",
            "ok",
            200,
            "https://council.example.org/minutes",
            ((file, "C001"),),
            from_cache=True,
        ),
        LinkEntry(
            "https://edu.example.org/old-plan",
            "evidence",
            "ok",
            "redirected",
            200,
            "https://edu.example.org/plan",
            ((file, "C002"),),
        ),
        LinkEntry(
            "https://fares.example.com/",
            "evidence",
            "warning",
            "bot-blocked",
            403,
            "https://fares.example.com/",
            ((file, "C004"),),
        ),
        LinkEntry(
            "https://transport.example.org/tram",
            "evidence",
            "broken",
            "http-status",
            404,
            "https://transport.example.org/tram",
            ((file, "C003"),),
        ),
        LinkEntry(
            "https://web.archive.org/web/2026/https://transport.example.org/tram",
            "archive",
            "ok",
            "ok",
            200,
            None,
            ((file, "C003"),),
        ),
    ]
    return Report(
        command="verify",
        tool_version="0.1.0",
        checked_at="2026-11-18T11:06:40+00:00",
        files=[
            FileReport(
                file,
                "draft",
                {
                    "title": "Budget 2026: the city's numbers",
                    "url": "https://news.example.com/budget-2026",
                    "publisher": "The Example Gazette",
                    "published": "2026-03-02",
                    "authors": ["Ana Example"],
                },
                "option",
                False,
                ["FC601", "FC602"],
                article_origin="drafts/article.md",
            )
        ],
        claims=claims,
        links=links,
        findings=findings,
        gate=Gate(False, fail_on, ["FC601", "FC602"], offline=False),
        settings=[
            Setting("timeout", "10", "factcheck.toml"),
            Setting("fail_on", "error", "--fail-on"),
        ],
        links_checked=True,
    )


def article_text() -> str:
    return textwrap.dedent(ARTICLE)
