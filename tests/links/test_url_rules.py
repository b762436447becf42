"""Which URLs are fetched, and where, through the CLI: ``--include`` over ``--exclude`` and
``.factcheckignore``, ``--remap``, and the same keys in a configuration file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli

from . import servers
from .servers import html

ARTICLE = "# Notes\n\nThe port opened in 1932.\n"


def claims(*urls: str) -> str:
    items = "".join(f"      - url: {url}\n        title: T\n        publisher: P\n" for url in urls)
    return (
        "version: 1\n"
        "article:\n"
        "  title: Notes\n"
        "  url: https://news.example.com/notes\n"
        "  publisher: The Example Courier\n"
        "  text: article.md\n"
        "claims:\n"
        "  - id: C001\n"
        '    quote: "The port opened in 1932."\n'
        "    status: supported\n"
        "    rationale: The records say so.\n"
        "    evidence:\n" + items
    )


@pytest.fixture
def site(make_server: Callable[..., servers.TestServer]) -> servers.TestServer:
    server = make_server("127.0.0.1")
    for path in ("/keep", "/skip", "/public/1", "/internal/2", "/moved-here/page"):
        server.route(path, body=html("Records", "<p>The port opened in 1932.</p>"))
    return server


def write(directory: Path, *urls: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "article.md").write_text(ARTICLE, encoding="utf-8")
    path = directory / "claims.yaml"
    path.write_text(claims(*urls), encoding="utf-8")
    return path


def links(cli: Cli, *args: str) -> dict[str, tuple[str, str, str]]:
    run = cli("verify", *args, "--allow-cidr", "127.0.0.0/8", "--no-cache", "-f", "json")
    assert run.code in (0, 1), run.err
    report = json.loads(run.out)
    return {
        link["url"]: (link["outcome"], link["reason"], link["detail"])
        for link in report["links"]
        if link["kind"] != "article"
    }


def test_include_overrides_exclude(cli: Cli, tmp_path: Path, site: servers.TestServer) -> None:
    write(tmp_path, site.url("/keep"), site.url("/skip"))
    found = links(cli, "--exclude", r"^http://127\.0\.0\.1:", "--include", "/keep$")
    assert found[site.url("/keep")][:2] == ("ok", "ok")
    assert found[site.url("/skip")][:2] == ("skipped", "excluded")
    assert (site.hits("/keep"), site.hits("/skip")) == (1, 0)


def test_remap_fetches_a_moved_domain_at_its_new_address(
    cli: Cli, tmp_path: Path, site: servers.TestServer
) -> None:
    cited = "https://old-domain.example/page"
    write(tmp_path, cited)
    rule = rf"^https://old-domain\.example/ {site.url('/moved-here/')}"
    found = links(cli, "--remap", rule)
    outcome, reason, detail = found[cited]
    assert (outcome, reason) == ("ok", "ok")
    assert f"fetched at {site.url('/moved-here/page')}" in detail
    assert site.hits("/moved-here/page") == 1


def test_a_bad_remap_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "https://a.example/")
    run = cli("verify", "--remap", "^https://a.example/")
    assert run.code == 2 and "write 'REGEX REPLACEMENT'" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_the_configuration_file_takes_include_exclude_and_remap(
    cli: Cli, tmp_path: Path, site: servers.TestServer
) -> None:
    cited = "https://old-domain.example/page"
    write(tmp_path, site.url("/keep"), site.url("/skip"), cited)
    (tmp_path / "factcheck.toml").write_text(
        'exclude = ["^http://127\\\\.0\\\\.0\\\\.1:"]\n'
        'include = ["/keep$"]\n'
        f'remap = ["^https://old-domain\\\\.example/ {site.url("/moved-here/")}"]\n',
        encoding="utf-8",
    )
    found = links(cli)
    assert found[site.url("/keep")][1] == "ok"
    assert found[site.url("/skip")][1] == "excluded"
    assert found[cited][:2] == ("ok", "ok")
    run = cli("verify", "--offline", "-f", "json")
    names = {s["name"] for s in json.loads(run.out)["settings"]}
    assert {"include", "remap", "exclude"} <= names
    (tmp_path / "factcheck.toml").write_text('remap = ["no-replacement"]\n', encoding="utf-8")
    bad = cli("verify", "--offline")
    assert bad.code == 2 and "invalid configuration" in bad.err


def test_factcheckignore_beside_the_claims_file(
    cli: Cli, tmp_path: Path, site: servers.TestServer
) -> None:
    write(tmp_path / "a", site.url("/public/1"), site.url("/internal/2"), site.url("/skip"))
    write(tmp_path / "b", site.url("/skip"))
    (tmp_path / "a" / ".factcheckignore").write_text(
        "# the intranet: checked by hand\n\n/internal/\n  /skip$  \n", encoding="utf-8"
    )
    found = links(cli, ".")
    assert found[site.url("/public/1")][1] == "ok"
    outcome, reason, detail = found[site.url("/internal/2")]
    assert (outcome, reason) == ("skipped", "excluded")
    assert detail == "excluded by .factcheckignore '/internal/'"
    assert site.hits("/internal/2") == 0
    # b/claims.yaml cites /skip too and has no ignore file: it is fetched for b.
    assert found[site.url("/skip")][1] == "ok"
    # --include wins over an ignore file.
    assert links(cli, "a/claims.yaml", "--include", "/internal/")[site.url("/internal/2")][1] == (
        "ok"
    )


def test_a_bad_ignore_pattern_is_exit_2_with_its_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "https://a.example/")
    (tmp_path / ".factcheckignore").write_text("# ok\n[broken\n", encoding="utf-8")
    run = cli("verify", "--allow-cidr", "127.0.0.0/8")
    assert run.code == 2 and ".factcheckignore:2:" in run.err
