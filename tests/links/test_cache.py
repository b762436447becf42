"""The link cache: warm runs without requests, what is kept and for how long, shared and
killed runs."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import factcheck
from factcheck.links import (
    LinkKind,
    LinkRequest,
    cache_clear,
    cache_info,
    check_links,
)

from .servers import html

ARTICLE = html("Budget", '<h2 id="spending">Spending</h2><p>The council spent 4.2 million.</p>')


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def run(urls, settings, clock, *, need_text=False, **options):
    requests = [LinkRequest(url, LinkKind.EVIDENCE, need_text=need_text) for url in urls]
    return check_links(requests, settings(**{"use_cache": True, **options}), clock=clock)


def test_a_warm_run_makes_no_request(server, settings, clock):
    server.route("/a", body=ARTICLE)
    server.route("/b", status=301, body="", headers={"Location": "/a"})
    urls = [server.url("/a"), server.url("/b")]
    cold = run(urls, settings, clock)
    assert len(server.requests) == 3
    clock.now += 3600
    warm = run(urls, settings, clock)
    assert len(server.requests) == 3
    assert all(r.from_cache for r in warm.values())
    for url in urls:
        fresh, cached = cold[url], warm[url]
        assert (cached.outcome, cached.reason, cached.status_code, cached.final_url) == (
            fresh.outcome,
            fresh.reason,
            fresh.status_code,
            fresh.final_url,
        )


def test_the_cache_directory_is_ignored_by_git(server, settings, clock, tmp_path):
    server.route("/a", body=ARTICLE)
    run([server.url("/a")], settings, clock)
    assert (tmp_path / "cache" / ".gitignore").read_text() == "*\n"
    assert (tmp_path / "cache" / "cache.sqlite").exists()


def test_a_cached_page_serves_quotes_and_fragments_without_a_request(server, settings, clock):
    server.route("/a", body=ARTICLE)
    url = server.url("/a")
    run([url], settings, clock, need_text=True)
    assert server.hits("/a") == 1
    (text,) = run([url], settings, clock, need_text=True).values()
    assert text.from_cache and text.page is not None and "4.2 million" in text.page.text
    requests = [
        LinkRequest(url + "#spending", LinkKind.EVIDENCE),
        LinkRequest(url + "#revenue", LinkKind.EVIDENCE),
    ]
    (fragments,) = check_links(requests, settings(use_cache=True), clock=clock).values()
    assert (fragments.reason, fragments.missing_fragments) == ("missing-fragment", ("revenue",))
    assert server.hits("/a") == 1


def test_a_link_only_entry_does_not_serve_a_text_request(server, settings, clock):
    server.route("/a", body=ARTICLE)
    run([server.url("/a")], settings, clock)
    (result,) = run([server.url("/a")], settings, clock, need_text=True).values()
    assert not result.from_cache and result.page is not None
    assert server.hits("/a") == 2


def test_broken_results_are_not_kept(server, settings, clock):
    server.route("/gone", status=404, body="")
    run([server.url("/gone")], settings, clock)
    run([server.url("/gone")], settings, clock)
    assert server.hits("/gone") == 2


def test_warnings_are_kept_one_hour(server, settings, clock):
    server.route("/blocked", status=403, body="")
    url = server.url("/blocked")
    run([url], settings, clock)
    clock.now += 3000
    assert run([url], settings, clock)[url].from_cache
    clock.now += 700
    assert not run([url], settings, clock)[url].from_cache
    assert server.hits("/blocked") == 2


def test_ok_entries_expire_after_the_max_cache_age(server, settings, clock):
    server.route("/a", body=ARTICLE)
    url = server.url("/a")
    run([url], settings, clock)
    clock.now += 86_000
    assert run([url], settings, clock)[url].from_cache
    clock.now += 1000
    assert not run([url], settings, clock)[url].from_cache
    assert not run([url], settings, clock, max_cache_age=0)[url].from_cache
    assert server.hits("/a") == 3


def test_settings_that_change_results_do_not_share_entries(server, settings, clock):
    server.route("/a", body=ARTICLE)
    url = server.url("/a")
    run([url], settings, clock)
    assert not run([url], settings, clock, user_agent="Other/1.0")[url].from_cache
    assert not run([url], settings, clock, max_body=1024)[url].from_cache
    assert run([url], settings, clock, timeout=3.0)[url].from_cache  # not in the fingerprint
    assert server.hits("/a") == 3


def test_no_cache_reads_and_writes_nothing(server, settings, clock, tmp_path):
    server.route("/a", body=ARTICLE)
    run([server.url("/a")], settings, clock, use_cache=False)
    assert not (tmp_path / "cache").exists()


def test_cache_info_and_clear(server, settings, clock, tmp_path):
    server.route("/a", body=ARTICLE)
    server.route("/b", status=403, body="")
    server.route("/c", status=404, body="")
    run([server.url(p) for p in ("/a", "/b", "/c")], settings, clock)
    info = cache_info(tmp_path / "cache")
    assert (info.exists, info.entries, info.outcomes) == (True, 2, {"ok": 1, "warning": 1})
    assert info.size_bytes > 0 and info.oldest == info.newest == clock.now
    assert cache_clear(tmp_path / "cache") == 2
    assert cache_info(tmp_path / "cache").entries == 0
    assert cache_info(tmp_path / "nowhere").exists is False
    assert cache_clear(tmp_path / "nowhere") == 0


def test_a_damaged_cache_file_is_set_aside(server, settings, clock, tmp_path, caplog):
    server.route("/a", body=ARTICLE)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    (result,) = run([server.url("/a")], settings, clock).values()
    assert result.reason == "ok"
    assert list((tmp_path / "cache").glob("cache.sqlite.damaged-*"))
    assert "unreadable" in caplog.text
    assert run([server.url("/a")], settings, clock)[server.url("/a")].from_cache


# -- several processes ---------------------------------------------------------------------------


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def child_env() -> dict[str, str]:
    src = str(Path(factcheck.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": src}


def test_two_runs_can_share_the_cache(server, settings, tmp_path):
    for i in range(60):
        server.route(f"/p{i}", body=ARTICLE)
    urls = [server.url(f"/p{i}") for i in range(60)]
    code = f"""
        from pathlib import Path
        from factcheck.links import LinkKind, LinkRequest, LinkSettings, check_links
        cache = Path({str(tmp_path / "cache")!r})
        settings = LinkSettings(allow_cidrs=("127.0.0.0/8",), cache_dir=cache)
        requests = [LinkRequest(u, LinkKind.EVIDENCE, need_text=True) for u in {urls!r}]
        results = check_links(requests, settings)
        assert all(r.reason == "ok" for r in results.values()), results
    """
    runs = [subprocess.Popen(python(code), env=child_env()) for _ in range(2)]
    assert [p.wait(timeout=60) for p in runs] == [0, 0]
    info = cache_info(tmp_path / "cache")
    assert info.entries == 60


def test_a_run_killed_while_writing_leaves_a_whole_cache(server, settings, tmp_path):
    cache_dir = tmp_path / "cache"
    code = f"""
        import sys, time
        from pathlib import Path
        from factcheck.extract import extract_page
        from factcheck.links import Reason
        from factcheck.links.cache import LinkCache
        from factcheck.links.types import make_result
        page = extract_page(b"<title>x</title><p>" + b"words " * 20000 + b"</p>", "text/html")
        cache = LinkCache(Path({str(cache_dir)!r}), "fp", max_age=86400)
        for i in range(10**9):
            url = f"https://example.org/{{i}}"
            cache.put(make_result(url, Reason.OK, "HTTP 200 OK", page=page))
            if i == 20:
                print("writing", flush=True)
    """
    child = subprocess.Popen(python(code), env=child_env(), stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"writing\n"
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    db = sqlite3.connect(cache_dir / "cache.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count = db.execute("SELECT count(*) FROM links").fetchone()[0]
    db.close()
    assert count > 20
    server.route("/a", body=ARTICLE)
    url = server.url("/a")
    assert run([url], settings, time.time)[url].reason == "ok"
    assert run([url], settings, time.time)[url].from_cache
    assert cache_info(cache_dir).entries == count + 1
