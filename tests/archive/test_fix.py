"""``factcheck fix --archive``: a diff by default, the file changed only with ``--write``, only
``archive_url`` lines added, ``accessed`` never written."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Cli
from tests.links import servers

from .fake_wayback import fake_wayback

QUOTE = "the harbour budget was approved at 4.2 million crowns"
PAGE = f"<html><head><title>Minutes</title></head><body><p>On Tuesday {QUOTE}.</p></body></html>"

CLAIMS = """\
version: 1   # keep this comment
article: {{title: Budget, url: "https://paper.example/budget", publisher: Paper, text: a.md}}

claims:
  - id: C001
    quote: "The harbour budget is 4.2 million crowns."
    status: supported
    rationale: The minutes say so.
    evidence:
      - url: {gone}     # gone since May
        title: 'Minutes'
        publisher: Council
        accessed: 2024-04-17
        quote: "{quote}"
      - url: {live}
        title: Radio
        publisher: Radio
"""


def setup(
    tmp_path: Path, make_server: Callable[..., servers.TestServer]
) -> tuple[str, Path, list[str]]:
    web = make_server()
    web.route("/radio", body=f"<title>Radio</title><p>{QUOTE}</p>")
    archive = fake_wayback(web)
    gone, live = web.url("/minutes"), web.url("/radio")
    replay = archive.capture(gone, "20240416101500", PAGE)
    archive.capture(gone, "20261101000000", PAGE)  # closest to the run's today (2026-11-18)
    archive.capture(live, "20240301000000", PAGE)
    claims = tmp_path / "claims.yaml"
    claims.write_bytes(
        CLAIMS.format(gone=gone, live=live, quote=QUOTE).replace("\n", "\r\n").encode()
    )
    (tmp_path / "a.md").write_text("The harbour budget is 4.2 million crowns.\n", "utf-8")
    flags = ["--archive-endpoint", archive.cdx, "--allow-cidr", "127.0.0.1/32", "--no-cache"]
    return replay, claims, flags


def test_fix_prints_a_diff_and_writes_only_with_write(
    cli: Cli, make_server: Callable[..., servers.TestServer], tmp_path: Path
) -> None:
    replay, claims, flags = setup(tmp_path, make_server)
    before = claims.read_bytes()

    shown = cli("fix", "--archive", *flags, cwd=tmp_path)

    assert shown.code == 0, shown.err
    assert claims.read_bytes() == before  # a dry run
    assert f"+        archive_url: {replay}\r\n" in shown.out
    assert shown.out.startswith("--- a/claims.yaml\n+++ b/claims.yaml\n")

    written = cli("fix", "--archive", "--write", *flags, cwd=tmp_path)

    assert written.code == 0, written.err
    assert "wrote 1 archive_url into claims.yaml" in written.err
    after = claims.read_bytes()
    added = f"        archive_url: {replay}\r\n".encode()
    assert after.replace(added, b"", 1) == before  # one line added, every other byte kept
    assert after.count(b"accessed") == before.count(b"accessed")
    # verify now passes the item on its archive copy: FC402, not FC401.
    again = cli("verify", *flags[2:], "--format", "json", cwd=tmp_path)
    codes = {f["code"] for f in json.loads(again.out)["findings"]}
    assert "FC401" not in codes and "FC402" in codes


def test_fix_all_takes_every_item_without_an_archive_url(
    cli: Cli, make_server: Callable[..., servers.TestServer], tmp_path: Path
) -> None:
    replay, _, flags = setup(tmp_path, make_server)

    result = cli("fix", "--archive", "--all", *flags, cwd=tmp_path)

    assert result.code == 0, result.err
    added = [line for line in result.out.splitlines() if line.startswith("+ ")]
    assert len(added) == 2
    assert replay in added[0] and "/web/20240301000000/" in added[1]


def test_fix_from_a_saved_run_asks_the_archive_nothing_more(
    cli: Cli, make_server: Callable[..., servers.TestServer], tmp_path: Path
) -> None:
    replay, claims, flags = setup(tmp_path, make_server)
    run = cli(
        "verify", "--suggest-archive", *flags, "--format", "json", "-o", "run.json", cwd=tmp_path
    )
    assert run.code == 1, run.err

    result = cli("fix", "--archive", "--from", "run.json", "--write", *flags, cwd=tmp_path)

    assert result.code == 0, result.err
    assert f"archive_url: {replay}" in claims.read_text("utf-8")


def test_fix_all_without_accessed_wants_the_last_commit_day(
    cli: Cli, make_server: Callable[..., servers.TestServer], tmp_path: Path
) -> None:
    replay, claims, flags = setup(tmp_path, make_server)
    claims.write_bytes(claims.read_bytes().replace(b"        accessed: 2024-04-17\r\n", b""))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "claims.yaml"], cwd=tmp_path, check=True)
    env = {"GIT_COMMITTER_DATE": "2024-04-20T12:00:00", "GIT_AUTHOR_DATE": "2024-04-20T12:00:00"}
    subprocess.run(
        [*git, "commit", "-qm", "c"], cwd=tmp_path, check=True, env={**os.environ, **env}
    )

    result = cli("fix", "--archive", "--all", *flags, cwd=tmp_path)

    assert result.code == 0, result.err
    assert replay in result.out  # the capture closest to the commit, not to today
    added = [line for line in result.out.splitlines() if line.startswith("+ ")]
    assert not any("accessed" in line for line in added)


def test_fix_without_archive_or_with_a_broken_file_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("version: 2\n", "utf-8")

    assert cli("fix", cwd=tmp_path).code == 2
    broken = cli("fix", "--archive", cwd=tmp_path)
    assert broken.code == 2 and "cannot fix" in broken.err


def test_the_demo_finds_the_vanished_page_in_its_archive_and_fix_writes_it(
    cli: Cli, tmp_path: Path
) -> None:
    from factcheck.commands.demo import write_demo
    from factcheck.demo.site import CDX_PATH, DemoSite

    shown = cli("demo", cwd=tmp_path)
    assert "archive copy of 2024-04-16 has the quote: http://127.0.0.1:" in shown.out
    assert "factcheck fix --archive" in shown.out

    with DemoSite() as site:
        claims = write_demo(tmp_path / "kept", site.base_url)
        flags = ["--archive-endpoint", site.base_url + CDX_PATH, "--allow-cidr", "127.0.0.1/32"]
        result = cli("fix", "--archive", *flags, "--no-cache", cwd=claims.parent)

    timetable = f"{site.base_url}/web/20240416093000/{site.base_url}/ferry/timetable-summer-2024"
    assert f"+        archive_url: {timetable}\n" in result.out
    assert [line for line in result.out.splitlines() if line.startswith("+ ")] == [
        f"+        archive_url: {timetable}"
    ]
