"""Newsroom scale: finding keys, --baseline, --shard and merging partial reports, --compare.

The shard tests run a small web on six loopback addresses (127.0.0.1-6), so that hosts are
dealt out to shards as they would be on the internet.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from factcheck.errors import FactcheckError
from factcheck.findings import Code, Finding, Location, Severity
from factcheck.pipeline.shard import Shard, host_shard, parse_shard, url_host
from tests.common import write
from tests.conftest import Cli

WORDS = " ".join(f"word{i}" for i in range(300))
PAGE = (
    f"<html><head><title>Page</title></head><body><p>{WORDS} the quote is here.</p></body></html>"
)
OTHER = f"<html><head><title>Other</title></head><body><p>{WORDS} nothing else.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        status, body = (404, "<title>Gone</title>") if name.startswith("gone") else (200, PAGE)
        if name.startswith("other"):
            body = OTHER
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def hosts() -> Iterator[list[str]]:
    """Six web servers, on 127.0.0.1 to 127.0.0.6: their base URLs."""
    servers = []
    for n in range(1, 7):
        server = ThreadingHTTPServer((f"127.0.0.{n}", 0), _Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield [f"http://127.0.0.{n}:{s.server_address[1]}" for n, s in enumerate(servers, 1)]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _evidence(url: str, *, quote: bool = True, archive: str | None = None, extra: str = "") -> str:
    lines = [f"      - url: {url}", "        title: A page", "        publisher: A publisher"]
    if quote:
        lines.append('        quote: "the quote is here"')
    if archive:
        lines.append(f"        archive_url: {archive}")
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _archive_fact_check(directory: Path, hosts: list[str]) -> Path:
    """Claims whose evidence spreads over six hosts, with archive copies on other hosts than
    their live pages: every way the two halves of an item combine."""
    a, b, c, d, e, f = hosts
    cases = [
        # live fine, quote found
        [_evidence(f"{a}/p1"), _evidence(f"{b}/p2", quote=False)],
        # live broken, archive elsewhere works and has the quote: FC402 and FC503
        [_evidence(f"{a}/gone1", archive=f"{c}/archive/p3")],
        # live lacks the quote, the archive copy elsewhere has it: FC503
        [_evidence(f"{d}/other1", archive=f"{e}/archive/p4")],
        # live fine, archive broken: FC402 at the archive_url
        [_evidence(f"{f}/p5", archive=f"{b}/gone2")],
        # quote missing everywhere, read completely: FC501
        [_evidence(f"{c}/other2", archive=f"{f}/other3")],
        # broken, archive broken too: FC401; the item ignores FC402 (not raised anyway)
        [
            _evidence(
                f"{e}/gone3",
                archive=f"{d}/gone4",
                extra='        ignore: [{code: FC401, reason: "known", until: 2000-01-01}]',
            )
        ],
        # a dead link without archive, and the same host again
        [_evidence(f"{b}/gone5"), _evidence(f"{a}/p6")],
    ]
    claims = []
    for n, items in enumerate(cases, 1):
        claims.append(
            f'  - id: C{n:03}\n    quote: "Claim {n} is true"\n    status: supported\n'
            f"    rationale: The sources say so.\n    evidence:\n" + "\n".join(items)
        )
    article = "# Title\n\n" + " ".join(f"Claim {n} is true." for n in range(1, len(cases) + 1))
    write(directory / "article.md", article + "\n")
    head = (
        "version: 1\narticle:\n  title: Title\n  url: https://news.example.com/a\n"
        "  publisher: The Paper\n  text: article.md\nclaims:\n"
    )
    return write(directory / "claims.yaml", head + "\n".join(claims) + "\n")


ONLINE = ("--allow-cidr", "127.0.0.0/8", "--no-cache", "--timeout", "5", "--retries", "0")


def _verify_json(cli: Cli, path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = path.parent / f"run{'-'.join(a.replace('/', '_') for a in args)}.json"
    result = cli("verify", str(path), *ONLINE, *args, "--format", "json", "-o", str(out))
    return result.code, json.loads(out.read_text(encoding="utf-8"))


def _findings(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (f["code"], f["severity"], f["message"], f["file"], f["line"], f["column"], tuple(f["key"]))
        for f in report["findings"]
    )


# --------------------------------------------------------------------------- shards


def test_shards_cover_every_url_once_and_keep_each_host_in_one_shard() -> None:
    urls = [
        f"https://{host}/page/{n}"
        for host in ("example.org", "Example.COM", "news.example.net", "a.b.c.example", "127.0.0.1")
        for n in range(20)
    ] + ["http://EXAMPLE.org:8080/x", "not a url", "https://example.com./x"]
    for count in range(1, 6):
        shards = [Shard(k, count) for k in range(1, count + 1)]
        for url in urls:
            owners = [s for s in shards if s.owns(url)]
            assert len(owners) == 1, (url, count)
            expected = int(
                __import__("hashlib").sha256(url_host(url).lower().encode()).hexdigest(), 16
            )
            assert owners[0].index == expected % count + 1
        by_host: dict[str, set[int]] = {}
        for url in urls:
            by_host.setdefault(url_host(url).lower(), set()).add(host_shard(url_host(url), count))
        assert all(len(found) == 1 for found in by_host.values())


def test_shard_spec_is_k_of_n() -> None:
    assert parse_shard("2/4") == Shard(2, 4)
    for bad in ("0/4", "5/4", "2", "a/b", "1/0"):
        with pytest.raises(FactcheckError, match="K/N"):
            parse_shard(bad)


def test_merged_shard_reports_equal_the_single_run(
    cli: Cli, tmp_path: Path, hosts: list[str]
) -> None:
    path = _archive_fact_check(tmp_path, hosts)
    code, single = _verify_json(cli, path)
    assert code == 1
    codes = {f["code"] for f in single["findings"]}
    assert {"FC401", "FC402", "FC501", "FC503"} <= codes
    count = 3
    parts = []
    for k in range(1, count + 1):
        _, part = _verify_json(cli, path, "--shard", f"{k}/{count}")
        assert part["shard"]["index"] == k
        parts.append(part)
    # each URL was checked by exactly one shard, and each host by one shard only
    checked = [link["url"] for part in parts for link in part["links"]]
    assert sorted(checked) == sorted(link["url"] for link in single["links"])
    for part in parts:
        for link in part["links"]:
            assert Shard(part["shard"]["index"], count).owns(link["url"])
    assert any(part["shard"]["deferred"] for part in parts)  # some evidence was split
    names = []
    for k, part in enumerate(parts, 1):
        name = tmp_path / f"shard-{k}.json"
        name.write_text(json.dumps(part), encoding="utf-8")
        names += ["--from", str(name)]
    result = cli("report", *names, "--format", "json", "-o", str(tmp_path / "merged.json"))
    merged = json.loads((tmp_path / "merged.json").read_text(encoding="utf-8"))
    assert result.code == code
    assert _findings(merged) == _findings(single)
    assert merged["gate"] == single["gate"]
    assert merged["summary"] == single["summary"]
    assert merged["shard"] is None
    strip = ("from_cache",)
    for got, want in zip(merged["claims"], single["claims"], strict=True):
        assert (
            got["link_health"] == want["link_health"]
            and got["quote_health"] == want["quote_health"]
        )
        for a, b in zip(got["evidence"], want["evidence"], strict=True):
            assert (a["link"], a["archive_link"], a["quote"]) == (
                b["link"],
                b["archive_link"],
                b["quote"],
            )
    assert [{k: v for k, v in link.items() if k not in strip} for link in merged["links"]] == [
        {k: v for k, v in link.items() if k not in strip} for link in single["links"]
    ]


def test_a_shard_without_urls_skips_the_network_probe(cli: Cli, tmp_path: Path) -> None:
    """Every URL is on a dead host: the shard that has it finds it broken; the other has
    nothing to fetch, so it does not probe the network, and gates on its offline checks."""
    host = "dead.invalid"
    path = _baseline_case(tmp_path, "The sky is blue")
    text = path.read_text(encoding="utf-8").replace("example.org", host)
    path.write_text(text, encoding="utf-8")
    mine = host_shard(host, 2)
    result = cli("verify", "--shard", f"{3 - mine}/2", "--format", "json", "-o", "other.json")
    report = json.loads((tmp_path / "other.json").read_text(encoding="utf-8"))
    assert result.code == 0, result.err
    assert report["links"] == [] and report["claims"][0]["evidence"][0]["link"] is None
    owner = cli("verify", "--shard", f"{mine}/2", "--no-cache")
    assert owner.code == 1 and "FC401" in owner.out  # the shard that has the host checks it


def test_shard_needs_a_run_that_checks_links(cli: Cli, fact_check: Path) -> None:
    result = cli("validate", "--shard", "1/2")
    assert result.code == 2
    result = cli("verify", "--offline", "--shard", "3/2")
    assert result.code == 2 and "K/N" in result.err


# --------------------------------------------------------------------------- baseline


BASE_CLAIMS = """\
version: 1
article:
  title: Title
  url: https://news.example.com/a
  publisher: The Paper
  text: article.md
claims:
  - id: C001
    quote: "{quote}"
    status: supported
    rationale: The source says so.
    evidence:
      - url: https://example.org/source?token=secret
        title: Source
        publisher: Publisher
"""


def _baseline_case(tmp_path: Path, quote: str, *, top: str = "") -> Path:
    write(tmp_path / "article.md", "# Title\n\nThe sky is blue.\n")
    return write(tmp_path / "claims.yaml", top + BASE_CLAIMS.format(quote=quote))


def test_baseline_carries_known_findings_when_lines_move_and_text_changes(
    cli: Cli, tmp_path: Path
) -> None:
    _baseline_case(tmp_path, "The sky is green")  # FC301: not in the article
    result = cli("validate", "--format", "json", "-o", "base.json")
    assert result.code == 1
    base = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    (finding,) = base["findings"]
    assert finding["key"] == ["claims.yaml", "C001", "FC301", ""]

    # lines move (a comment above) and the finding's text changes (another wrong quote)
    _baseline_case(tmp_path, "The sky is purple", top="# moved\n# down\n")
    result = cli("validate", "--baseline", "base.json", "--format", "json", "-o", "now.json")
    now = json.loads((tmp_path / "now.json").read_text(encoding="utf-8"))
    assert result.code == 0
    assert now["findings"][0]["line"] == finding["line"] + 2
    assert now["findings"][0]["message"] != finding["message"]
    assert now["baseline"] == {"file": "base.json", "carried": 1, "new": 0}
    assert now["gate"]["passed"] is True
    console = cli("validate", "--baseline", "base.json")
    assert console.code == 0 and "1 known finding carried" in console.out + console.err

    # a new finding fails the gate; the known one is still carried
    text = (
        (tmp_path / "claims.yaml")
        .read_text(encoding="utf-8")
        .replace("rationale: The", "rationale: ''\n    x: The")
    )
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", "--baseline", "base.json", "--format", "json", "-o", "new.json")
    new = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert result.code == 1
    assert new["baseline"]["carried"] == 1 and new["baseline"]["new"] >= 1
    assert "FC301" not in " ".join(new["gate"]["reasons"])


def test_finding_keys_hash_the_unmasked_normalised_url(cli: Cli, tmp_path: Path) -> None:
    import hashlib

    _baseline_case(tmp_path, "The sky is blue")
    text = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(text.replace("        title: Source\n", ""), "utf-8")
    result = cli("validate", "--format", "json", "-o", "run.json")
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    (finding,) = [f for f in run["findings"] if f["code"] == "FC208"]
    digest = hashlib.sha256(b"https://example.org/source?token=secret").hexdigest()
    assert finding["key"] == ["claims.yaml", "C001", "FC208", digest]
    assert "secret" not in finding["message"]
    assert result.code == 0


def test_finding_keys_are_relative_to_the_git_root(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _baseline_case(tmp_path / "desk" / "story", "The sky is green")
    (tmp_path / "desk" / "story" / "article.md").write_text("# Title\n\nNo.\n", "utf-8")
    result = cli("validate", "story", "--format", "json", "-o", "run.json", cwd=tmp_path / "desk")
    run = json.loads((tmp_path / "desk" / "run.json").read_text(encoding="utf-8"))
    assert result.code == 1
    assert run["findings"][0]["key"][0] == "desk/story/claims.yaml"
    assert run["findings"][0]["file"] == "story/claims.yaml"


def test_a_baseline_that_is_not_a_report_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    _baseline_case(tmp_path, "The sky is blue")
    write(tmp_path / "base.json", "[]")
    result = cli("validate", "--baseline", "base.json")
    assert result.code == 2 and "base.json" in result.err


# --------------------------------------------------------------------------- compare


def test_compare_lists_the_claims_that_changed(cli: Cli, tmp_path: Path) -> None:
    _baseline_case(tmp_path, "The sky is blue")
    cli("validate", "--format", "json", "-o", "old.json")
    text = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    text = text.replace("status: supported", "status: contradicted").replace(
        "        publisher: Publisher\n",
        "        publisher: Publisher\n        stance: contradicts\n",
    )
    text += (
        '  - id: C002\n    quote: "The sky is green"\n    status: opinion\n    rationale: A view.\n'
    )
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    result = cli("report", "--offline", "--compare", "old.json", "-o", "changes.md")
    changes = (tmp_path / "changes.md").read_text(encoding="utf-8")
    assert "2 claim(s) changed" in changes
    assert "**supported** → **contradicted**" in changes
    assert "C002" in changes and "claim added" in changes
    assert "FC602" in changes  # the new finding of the contradicted claim
    assert result.code == 1  # the gate of the run itself: a contradicted claim in a draft
    from factcheck.report.compare import compare_reports, render_changes
    from factcheck.report.json import read_report

    found = compare_reports(read_report(tmp_path / "old.json"), read_report(tmp_path / "old.json"))
    assert found == [] and "No claim changed." in render_changes(found, "old.json", "markdown")
    assert json.loads(render_changes(found, "old.json", "json"))["changes"] == []


def test_a_keyed_finding_keeps_every_other_field() -> None:
    """``with_key`` builds the finding field by field: a field added later is not dropped."""
    original = Finding(
        Code.FC209,
        "7 is in none of C001's evidence passages",
        Location("desk/claims.yaml", 12, 5),
        claim="C001",
        severity=Severity.WARNING,
        article_line=3,
        evidence=1,
    )
    key = ("desk/claims.yaml", "C001", "FC209", "")
    assert original.with_key(key) == replace(original, key=key)
