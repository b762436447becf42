"""``capture`` then ``verify --replay``: the capture stands in for the web, with no socket
opened; what it lacks is ``skipped/not-captured``, never ``ok``; a broken capture is exit 2."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factcheck.archive.replay import Recorder
from factcheck.archive.warc import read_capture
from factcheck.links.transport import Request
from tests.conftest import Cli
from tests.links import servers

QUOTE = "the harbour budget was approved at 4.2 million crowns"
PAGE = f"<html><head><title>Minutes</title></head><body><p>On Tuesday {QUOTE}.</p></body></html>"

CLAIMS = """\
version: 1
article: {{title: Budget, url: "https://paper.example/budget", publisher: Paper, text: a.md}}
claims:
  - id: C001
    quote: "The harbour budget is 4.2 million crowns."
    status: supported
    rationale: The minutes say so.
    evidence:
      - url: {minutes}
        title: Minutes
        publisher: Council
        quote: "{quote}"
      - url: {moved}
        title: Radio
        publisher: Radio
      - url: {gone}
        title: Gone
        publisher: Gone
"""
FLAGS = ("--allow-cidr", "127.0.0.1/32", "--no-cache", "--format", "json")


@pytest.fixture
def site(make_server: Callable[..., servers.TestServer], tmp_path: Path) -> servers.TestServer:
    web = make_server()
    web.route("/minutes", body=PAGE)
    web.route("/old-radio", status=301, headers={"Location": "/radio"})
    web.route("/radio", body="<title>Radio</title><p>On air.</p>")
    claims = CLAIMS.format(
        minutes=web.url("/minutes"), moved=web.url("/old-radio"), gone=web.url("/gone"), quote=QUOTE
    )
    (tmp_path / "claims.yaml").write_text(claims, "utf-8")
    (tmp_path / "a.md").write_text("The harbour budget is 4.2 million crowns.\n", "utf-8")
    return web


def links_of(out: str) -> dict[str, tuple[str, str]]:
    data = json.loads(out)
    return {link["url"]: (link["outcome"], link["reason"]) for link in data["links"]}


def test_capture_then_replay_with_the_server_stopped_opens_no_socket(
    cli: Cli,
    site: servers.TestServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = cli("verify", *FLAGS, cwd=tmp_path)
    captured = cli("capture", "-o", "evidence.warc.gz", *FLAGS[:3], cwd=tmp_path)
    assert captured.code == 0, captured.err
    assert "captured 4 responses for 3 URLs into evidence.warc.gz" in captured.err
    site.stop()

    opened: list[str] = []
    real_init = socket.socket.__init__

    def init(self: socket.socket, family: Any = -1, *args: Any, **kwargs: Any) -> None:
        if family in (socket.AF_INET, socket.AF_INET6):
            opened.append("an internet socket")
            raise AssertionError("tripwire: replay opened an internet socket")
        real_init(self, family, *args, **kwargs)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        opened.append("a connection or look-up")
        raise AssertionError("tripwire: replay used the network")

    monkeypatch.setattr(socket.socket, "__init__", init)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    replayed = cli("verify", *FLAGS, "--replay", "evidence.warc.gz", cwd=tmp_path)

    assert opened == []
    assert replayed.code == live.code == 1  # the dead link fails the gate, as it did live
    assert links_of(replayed.out) == links_of(live.out)
    data = json.loads(replayed.out)
    assert data["gate"]["capture"] == "2026-11-18"
    quote = data["claims"][0]["evidence"][0]["quote"]
    assert quote["result"] == "found"
    assert "checked against the capture of 2026-11-18" in replayed.err


def test_the_capture_holds_the_claims_file_and_a_manifest(
    cli: Cli, site: servers.TestServer, tmp_path: Path
) -> None:
    assert cli("capture", "-o", "e.warc.gz", *FLAGS[:3], cwd=tmp_path).code == 0

    capture = read_capture(tmp_path / "e.warc.gz")

    assert capture.claims_files == {"claims.yaml": (tmp_path / "claims.yaml").read_bytes()}
    urls = capture.manifest["urls"]
    assert urls[site.url("/minutes")]["digest"].startswith("sha256:")
    assert urls[site.url("/old-radio")]["status"] == 301
    assert capture.responses[site.url("/minutes")].body == PAGE.encode()
    raw = gzip.decompress((tmp_path / "e.warc.gz").read_bytes())
    assert raw.startswith(b"WARC/1.1\r\n")
    assert b"WARC-Type: resource" in raw and b"WARC-Type: response" in raw


def test_replay_of_a_capture_for_another_file_is_not_captured_never_ok(
    cli: Cli, site: servers.TestServer, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "claims.yaml").write_text(
        (tmp_path / "claims.yaml").read_text("utf-8").replace("/minutes", "/elsewhere"), "utf-8"
    )
    (other / "a.md").write_text((tmp_path / "a.md").read_text("utf-8"), "utf-8")
    assert cli("capture", "-o", "e.warc.gz", *FLAGS[:3], cwd=tmp_path).code == 0

    replayed = cli("verify", *FLAGS, "--replay", "../e.warc.gz", cwd=other)

    links = links_of(replayed.out)
    assert links[site.url("/elsewhere")] == ("skipped", "not-captured")
    assert links[site.url("/old-radio")] == ("ok", "redirected")
    evidence = json.loads(replayed.out)["claims"][0]["evidence"][0]
    assert evidence["quote"]["result"] == "skipped"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "not a complete WARC file"),
        (lambda data: data[:-40], "not a complete WARC file"),
        (lambda data: b"version: 1\n", "not a WARC file"),
        (lambda data: gzip.compress(b"hello"), "not a complete WARC file"),
    ],
)
def test_a_truncated_or_foreign_capture_is_exit_2_with_one_line(
    cli: Cli,
    site: servers.TestServer,
    tmp_path: Path,
    damage: Callable[[bytes], bytes],
    message: str,
) -> None:
    assert cli("capture", "-o", "e.warc.gz", *FLAGS[:3], cwd=tmp_path).code == 0
    path = tmp_path / "e.warc.gz"
    path.write_bytes(damage(path.read_bytes()))

    result = cli("verify", "--replay", "e.warc.gz", "--no-cache", cwd=tmp_path)

    assert result.code == 2
    assert "Traceback" not in result.err
    assert f"e.warc.gz: {message}" in result.err


def test_credentials_are_told_apart_from_the_run_s_own_cookies() -> None:
    recorder = Recorder()
    recorder.saw_cookies(["consent=yes; Path=/"])

    assert recorder.authenticated(Request("http://a.example/", {"Authorization": "Bearer x"}))
    assert recorder.authenticated(Request("http://a.example/", {"Cookie": "session=abc"}))
    assert not recorder.authenticated(Request("http://a.example/", {"Cookie": "consent=yes"}))
    assert not recorder.authenticated(Request("http://a.example/", {"User-Agent": "x"}))
