"""``verify --suggest-archive``: the snapshot closest to ``accessed``, the quote checked on it,
the sentence in every format; look-ups under the guard, the deadline and the retry rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from factcheck.archive.suggest import Wanted, find_copies
from factcheck.links import LinkSettings
from factcheck.quotes import QuoteResult
from tests.conftest import Cli
from tests.links import servers

from .fake_wayback import fake_wayback

QUOTE = "the harbour budget was approved at 4.2 million crowns"
PAGE = f"<html><head><title>Minutes</title></head><body><p>On Tuesday {QUOTE}.</p></body></html>"


def test_the_snapshot_closest_to_accessed_is_found_and_has_the_quote(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    gone = "http://news.example/minutes"
    archive.capture(gone, "20230101000000", "<p>an older page</p>")
    replay = archive.capture(gone, "20240416101500", PAGE)
    archive.capture(gone, "20250101000000", "<p>a later page</p>")

    wanted = Wanted(gone, date(2024, 4, 17), QUOTE)
    (copy,) = find_copies([wanted], settings(), archive.cdx).values()

    assert copy.snapshot_url == replay
    assert copy.snapshot_day == date(2024, 4, 16)
    assert copy.quote is QuoteResult.FOUND and copy.usable
    assert copy.sentence() == f"archive copy of 2024-04-16 has the quote: {replay}"
    # The page was read without the archive's banner.
    assert archive.server.hits(f"/web/20240416101500id_/{gone}") == 1


def test_the_availability_api_and_a_copy_without_the_quote(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    gone = "http://news.example/minutes"
    replay = archive.capture(gone, "20240416101500", "<p>Nothing about the budget.</p>" * 80)

    wanted = [Wanted(gone, date(2024, 4, 17), QUOTE)]
    (copy,) = find_copies(wanted, settings(), archive.available).values()

    assert copy.snapshot_url == replay
    assert copy.quote is QuoteResult.MISSING and not copy.usable
    assert copy.sentence() == f"archive copy of 2024-04-16 lacks the quote: {replay}"


def test_no_copy_and_a_429_that_passes(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    archive.before = [(429, {"Retry-After": "0"})]

    (copy,) = find_copies(
        [Wanted("http://news.example/never", date(2024, 4, 17))], settings(retries=1), archive.cdx
    ).values()

    assert copy.snapshot_url is None and copy.problem is None
    assert copy.sentence() == "no archive copy at 127.0.0.1"
    assert archive.server.hits("/cdx/search/cdx") == 2


def test_a_429_that_lasts_is_rate_limited_and_a_long_retry_after_is_not_waited_for(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    archive.before = [(429, {"Retry-After": "3600"})] * 3

    (copy,) = find_copies(
        [Wanted("http://news.example/a", date(2024, 4, 17))], settings(retries=2), archive.cdx
    ).values()

    assert copy.sentence().startswith("archive look-up at 127.0.0.1 failed (rate-limited")
    assert archive.server.hits("/cdx/search/cdx") == 1


def test_a_slow_archive_is_a_timeout_not_a_hang(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    archive.delay = 1.0

    (copy,) = find_copies(
        [Wanted("http://news.example/a", date(2024, 4, 17))], settings(timeout=0.3), archive.cdx
    ).values()

    assert copy.sentence().startswith("archive look-up at 127.0.0.1 failed (timeout")


def test_the_guard_refuses_an_archive_answer_pointing_at_a_private_address(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server())
    gone = "http://news.example/minutes"
    archive.capture(gone, "20240416101500", PAGE)
    archive.availability_url = f"http://10.1.2.3/web/20240416101500/{gone}"

    (copy,) = find_copies(
        [Wanted(gone, date(2024, 4, 17), QUOTE)],
        settings(allow_cidrs=("127.0.0.1/32",)),
        archive.available,
    ).values()

    assert not copy.usable
    assert "private-address" in copy.sentence()
    assert "10.1.2.3 is not a public address" in copy.sentence()


def test_the_guard_refuses_an_archive_endpoint_at_a_private_address(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    archive = fake_wayback(make_server("127.0.0.2"))

    (copy,) = find_copies(
        [Wanted("http://news.example/a", date(2024, 4, 17))],
        settings(allow_cidrs=("127.0.0.1/32",)),
        archive.cdx,
    ).values()

    assert copy.sentence() == (
        "archive look-up at 127.0.0.2 failed (private-address: 127.0.0.2 is not a public address)"
    )
    assert archive.server.requests == []


def test_a_redirect_from_the_archive_to_a_private_address_is_refused(
    make_server: Callable[..., servers.TestServer], settings: Callable[..., LinkSettings]
) -> None:
    inside = make_server("127.0.0.2")
    inside.route("/cdx", body="[]", content_type="application/json")
    front = make_server()
    front.route("/cdx/search/cdx", status=302, headers={"Location": inside.url("/cdx")})

    (copy,) = find_copies(
        [Wanted("http://news.example/a", date(2024, 4, 17))],
        settings(allow_cidrs=("127.0.0.1/32",)),
        front.url("/cdx/search/cdx"),
    ).values()

    assert "private-address" in copy.sentence()
    assert inside.requests == []


def test_look_ups_are_one_at_a_time_and_cached(
    make_server: Callable[..., servers.TestServer],
    settings: Callable[..., LinkSettings],
    tmp_path: Path,
) -> None:
    archive = fake_wayback(make_server())
    archive.delay = 0.02
    pages = [f"http://news.example/{n}" for n in range(4)]
    for page in pages:
        archive.capture(page, "20240416000000", PAGE)
    wanted = [Wanted(page, date(2024, 4, 17), QUOTE) for page in pages]
    cached = settings(use_cache=True, cache_dir=tmp_path / "cache", concurrency=8, per_host=8)

    first = find_copies(wanted, cached, archive.cdx)
    again = find_copies(wanted, cached, archive.cdx)

    assert archive.most_in_flight == 1
    assert archive.server.hits("/cdx/search/cdx") == 4  # the second run asked nothing
    assert first == again and all(copy.usable for copy in first.values())


CLAIMS = """\
version: 1
article: {{title: Budget, url: "https://paper.example/budget", publisher: Paper, text: a.md}}
claims:
  - id: C001
    quote: "The harbour budget is 4.2 million crowns."
    status: supported
    rationale: The minutes say so.
    evidence:
      - url: {gone}
        title: Minutes
        publisher: Council
        accessed: 2024-04-17
        quote: "{quote}"
"""


@pytest.mark.parametrize("output_format", ["console", "json", "markdown", "github", "junit"])
def test_verify_suggest_archive_says_it_in_every_format(
    cli: Cli,
    make_server: Callable[..., servers.TestServer],
    tmp_path: Path,
    output_format: str,
) -> None:
    web = make_server()
    gone = web.url("/minutes")  # 404: the page is gone
    archive = fake_wayback(web)
    replay = archive.capture(gone, "20240416101500", PAGE)
    (tmp_path / "claims.yaml").write_text(CLAIMS.format(gone=gone, quote=QUOTE), "utf-8")
    (tmp_path / "a.md").write_text("The harbour budget is 4.2 million crowns.\n", "utf-8")

    result = cli(
        "verify",
        "--suggest-archive",
        "--archive-endpoint",
        archive.cdx,
        "--allow-cidr",
        "127.0.0.1/32",
        "--no-cache",
        "--timeout",
        "2",
        "--format",
        output_format,
        cwd=tmp_path,
    )

    assert result.code == 1, result.err
    sentence = f"archive copy of 2024-04-16 has the quote: {replay}"
    if output_format == "json":
        data = json.loads(result.out)
        (evidence,) = data["claims"][0]["evidence"]
        assert evidence["archive_copy"]["url"] == replay
        assert evidence["archive_copy"]["date"] == "2024-04-16"
        assert evidence["archive_copy"]["usable"] is True
        assert any(sentence in f["message"] for f in data["findings"])
    else:
        # Markdown escapes ``:`` (no autolinks from untrusted text), GitHub ``%3A``-escapes.
        shown = result.out.replace("\\:", ":").replace("%3A", ":")
        assert "archive copy of 2024-04-16 has the quote" in shown
        assert replay in shown
