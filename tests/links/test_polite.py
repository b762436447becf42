"""Polite re-checking: ``--host-interval`` spaces the requests to one host, and
``--respect-robots`` skips what a host's robots.txt disallows for us (``skipped/robots``)."""

from __future__ import annotations

import itertools
import time

import pytest

from factcheck.links import LinkKind, LinkRequest, Outcome, Reason, check_links

from .servers import Handler, html, reply

EVIDENCE = LinkKind.EVIDENCE
NIGHTLY = "factcheck-nightly (+mailto:desk@example.org)"


def requests_for(*urls: str) -> list[LinkRequest]:
    return [LinkRequest(url, EVIDENCE) for url in urls]


def timed(server, path: str, arrivals: list[tuple[str, float]]) -> None:
    def route(handler: Handler) -> None:
        arrivals.append((path, time.monotonic()))
        reply(handler, 200, html(path))

    server.route(path, route)


# --------------------------------------------------------------------------- --host-interval


def test_host_interval_spaces_the_requests_to_one_host(make_server, settings, resolver):
    news, other = make_server(), make_server()
    resolver.names.update({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    arrivals: list[tuple[str, float]] = []
    for name in "abcd":
        timed(news, f"/{name}", arrivals)
    timed(other, "/x", arrivals)
    urls = [news.url(f"/{name}", host="news.test") for name in "abcd"]
    results = check_links(
        requests_for(*urls, other.url("/x", host="other.test")),
        settings(host_interval=0.08, per_host=4),
        resolver=resolver,
    )
    assert {r.outcome for r in results.values()} == {Outcome.OK}
    on_news = [at for path, at in arrivals if path != "/x"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(on_news)]
    assert len(gaps) == 3 and min(gaps) >= 0.06, gaps  # 80 ms apart, with some slack
    # another host is not held back by this one's interval
    other_at = next(at for path, at in arrivals if path == "/x")
    assert other_at < on_news[2]


def test_without_host_interval_one_host_gets_its_requests_at_once(make_server, settings):
    server = make_server()
    arrivals: list[tuple[str, float]] = []
    for name in "abcd":
        timed(server, f"/{name}", arrivals)
    check_links(requests_for(*(server.url(f"/{n}") for n in "abcd")), settings(per_host=4))
    times = sorted(at for _, at in arrivals)
    assert times[-1] - times[0] < 0.06


def test_host_interval_outside_its_range_is_refused(settings):
    from factcheck.errors import FactcheckError

    for bad in (-1, 61):
        with pytest.raises(FactcheckError, match="between 0 and 60 seconds"):
            settings(host_interval=bad)


# --------------------------------------------------------------------------- --respect-robots


def robots(server, text: str) -> None:
    server.route("/robots.txt", body=text, content_type="text/plain")


def test_a_url_robots_txt_disallows_is_skipped_and_never_fetched(server, settings):
    robots(server, "User-agent: *\nDisallow: /private\n")
    server.route("/private/page", body=html())
    server.route("/public", body=html())
    server.route("/other", body=html())
    urls = [server.url("/private/page"), server.url("/public"), server.url("/other")]
    results = check_links(requests_for(*urls), settings(respect_robots=True, per_host=4))
    private, public, other = results.values()
    assert (private.outcome, private.reason) == (Outcome.SKIPPED, Reason.ROBOTS)
    assert "robots.txt disallows it" in private.detail
    assert public.outcome is Outcome.OK and other.outcome is Outcome.OK
    assert server.hits("/private/page") == 0
    assert server.hits("/robots.txt") == 1  # once per run, however many URLs wait for it


def test_without_respect_robots_robots_txt_is_not_read(server, settings):
    robots(server, "User-agent: *\nDisallow: /\n")
    server.route("/page", body=html())
    (result,) = check_links(requests_for(server.url("/page")), settings()).values()
    assert result.outcome is Outcome.OK
    assert server.hits("/robots.txt") == 0


@pytest.mark.parametrize(
    ("user_agent", "outcome"),
    [(None, Outcome.OK), (NIGHTLY, Outcome.SKIPPED)],
)
def test_a_group_for_the_user_agents_name_applies_to_runs_that_give_it(
    server, settings, user_agent, outcome
):
    robots(server, "User-agent: factcheck-nightly\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    server.route("/page", body=html())
    extra = {"user_agent": user_agent} if user_agent else {}
    (result,) = check_links(
        requests_for(server.url("/page")), settings(respect_robots=True, **extra)
    ).values()
    assert result.outcome is outcome
    if user_agent:
        assert server.requests[-1].headers["User-Agent"] == NIGHTLY


def test_a_group_for_factcheck_applies_whatever_the_user_agent(server, settings):
    robots(server, "User-agent: factcheck\nDisallow: /drafts/\n\nUser-agent: *\nDisallow:\n")
    server.route("/drafts/a", body=html())
    server.route("/final", body=html())
    results = check_links(
        requests_for(server.url("/drafts/a"), server.url("/final")),
        settings(respect_robots=True),
    )
    assert [r.reason for r in results.values()] == [Reason.ROBOTS, Reason.OK]


@pytest.mark.parametrize(
    "robots_reply",
    [
        None,  # no robots.txt: the server's 404
        {"status": 404, "body": "Not here", "content_type": "text/plain"},
        {"status": 500, "body": "oops", "content_type": "text/plain"},
        {"status": 503, "body": "busy", "content_type": "text/plain"},
        {"status": 200, "body": html("Home"), "content_type": "text/html"},  # not a text file
    ],
)
def test_a_missing_or_unreachable_robots_txt_allows_everything(server, settings, robots_reply):
    if robots_reply is not None:
        server.route("/robots.txt", **robots_reply)
    server.route("/page", body=html())
    (result,) = check_links(
        requests_for(server.url("/page")), settings(respect_robots=True)
    ).values()
    assert result.outcome is Outcome.OK
    assert server.hits("/robots.txt") == 1 and server.hits("/page") == 1


def test_a_redirect_to_a_disallowed_url_is_skipped_before_it_is_fetched(server, settings):
    robots(server, "User-agent: *\nDisallow: /members/\n")
    server.route("/old", status=301, headers={"Location": "/members/page"})
    server.route("/members/page", body=html())
    (result,) = check_links(
        requests_for(server.url("/old")), settings(respect_robots=True)
    ).values()
    assert (result.outcome, result.reason, result.status_code) == (
        Outcome.SKIPPED,
        Reason.ROBOTS,
        301,
    )
    assert "redirected to" in result.detail
    assert server.hits("/members/page") == 0


def test_robots_txt_is_kept_in_the_link_cache(server, settings, tmp_path):
    robots(server, "User-agent: *\nDisallow: /private\n")
    server.route("/private", body=html())
    make = settings(respect_robots=True, use_cache=True, cache_dir=tmp_path / "cache")
    for _ in range(2):
        (result,) = check_links(requests_for(server.url("/private")), make).values()
        assert result.reason is Reason.ROBOTS  # skipped results are not cached: decided anew
    assert server.hits("/robots.txt") == 1 and server.hits("/private") == 0


def test_robots_txt_is_spaced_like_any_request(make_server, settings):
    server = make_server()
    arrivals: list[tuple[str, float]] = []

    def robots_route(handler: Handler) -> None:
        arrivals.append(("/robots.txt", time.monotonic()))
        reply(handler, 200, "User-agent: *\nDisallow:\n", content_type="text/plain")

    server.route("/robots.txt", robots_route)
    timed(server, "/page", arrivals)
    check_links(
        requests_for(server.url("/page")), settings(respect_robots=True, host_interval=0.08)
    )
    assert [path for path, _ in arrivals] == ["/robots.txt", "/page"]
    assert arrivals[1][1] - arrivals[0][1] >= 0.06
