"""What the status of a response makes of a link, retries included."""

from __future__ import annotations

import time

import pytest

from factcheck.links import Outcome, Reason

from .servers import Handler, check_one, html, reply


def test_a_page_that_answers_200_is_ok(server, settings):
    server.route("/story", body=html("A story"))
    result = check_one(server.url("/story"), settings())
    assert (result.outcome, result.reason, result.status_code) == ("ok", "ok", 200)
    assert result.final_url == server.url("/story")
    assert result.detail == "HTTP 200 OK"


@pytest.mark.parametrize("status", [404, 410, 400, 451])
def test_gone_pages_are_broken_with_their_status(server, settings, status):
    server.route("/gone", status=status, body="gone")
    result = check_one(server.url("/gone"), settings(retries=2))
    assert (result.outcome, result.reason, result.status_code) == ("broken", "http-status", status)
    assert server.hits("/gone") == 1  # 4xx are not retried


def test_500_is_broken_at_once_without_retries(server, settings):
    server.route("/boom", status=500, body="oops")
    result = check_one(server.url("/boom"), settings(retries=2))
    assert (result.reason, result.status_code) == ("http-status", 500)
    assert result.detail == "HTTP 500 Internal Server Error"
    assert server.hits("/boom") == 1


def test_503_then_200_waits_for_retry_after(server, settings):
    answers = iter([503, 200])

    def flaky(handler: Handler) -> None:
        status = next(answers)
        reply(handler, status, html("Back"), headers={"Retry-After": "1"})

    server.route("/flaky", flaky)
    started = time.monotonic()
    result = check_one(server.url("/flaky"), settings(retries=2))
    assert (result.outcome, result.status_code) == ("ok", 200)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 honoured
    assert server.hits("/flaky") == 2


def test_429_then_200_is_ok(server, settings):
    answers = iter([429, 200])
    server.route(
        "/limited",
        lambda h: reply(h, next(answers), html("Fine"), headers={"Retry-After": "0"}),
    )
    result = check_one(server.url("/limited"), settings(retries=2))
    assert (result.outcome, result.reason) == ("ok", "ok")


def test_429_forever_is_rate_limited_after_the_retries(server, settings):
    server.route("/limited", status=429, body="slow down", headers={"Retry-After": "0"})
    result = check_one(server.url("/limited"), settings(retries=2))
    assert (result.outcome, result.reason, result.status_code) == ("warning", "rate-limited", 429)
    assert server.hits("/limited") == 3
    assert "after 2 retries" in result.detail


def test_a_retry_after_beyond_30_seconds_is_not_waited_for(server, settings):
    server.route("/later", status=503, body="maintenance", headers={"Retry-After": "3600"})
    started = time.monotonic()
    result = check_one(server.url("/later"), settings(retries=2))
    assert (result.reason, result.status_code) == ("http-status", 503)
    assert time.monotonic() - started < 1.0
    assert server.hits("/later") == 1


def test_502_forever_is_broken_after_backoff_retries(server, settings):
    server.route("/bad-gateway", status=502, body="")
    result = check_one(server.url("/bad-gateway"), settings(retries=1))
    assert (result.outcome, result.reason, result.status_code) == ("broken", "http-status", 502)
    assert server.hits("/bad-gateway") == 2


@pytest.mark.parametrize("status", [401, 403, 999])
def test_bot_statuses_are_warnings(server, settings, status):
    server.route("/blocked", status=status, body="no")
    result = check_one(server.url("/blocked"), settings())
    assert (result.outcome, result.reason, result.status_code) == ("warning", "bot-blocked", status)


def test_a_server_that_refuses_non_browser_agents(server, settings):
    def picky(handler: Handler) -> None:
        agent = handler.headers.get("User-Agent", "")
        if "Mozilla/" in agent and "Chrome/" in agent:
            reply(handler, 200, html("Welcome"))
        else:
            reply(handler, 403, "robots go away")

    server.route("/picky", picky)
    assert check_one(server.url("/picky"), settings()).reason == Reason.OK
    blocked = check_one(server.url("/picky"), settings(user_agent="curl/8.5"))
    assert blocked.reason == Reason.BOT_BLOCKED


def test_a_challenge_header_blocks_even_a_503_without_retrying(server, settings):
    server.route("/cf", status=503, body="wait", headers={"cf-mitigated": "challenge"})
    result = check_one(server.url("/cf"), settings(retries=2))
    assert (result.outcome, result.reason, result.status_code) == ("warning", "bot-blocked", 503)
    assert server.hits("/cf") == 1


def test_a_challenge_body_at_503_is_bot_blocked(server, settings):
    challenge = html("Just a moment...", "<script>window._cf_chl_opt={cType: 'managed'};</script>")
    server.route("/js", status=503, body=challenge)
    result = check_one(server.url("/js"), settings(retries=2))
    assert (result.reason, result.status_code) == ("bot-blocked", 503)
    assert server.hits("/js") == 1


@pytest.mark.parametrize("need_text", [False, True])
def test_a_challenge_page_served_with_200_is_bot_blocked(server, settings, need_text):
    server.route("/js", status=200, body=html("Just a moment...", "<p>Checking...</p>"))
    result = check_one(server.url("/js"), settings(), need_text=need_text)
    assert (result.outcome, result.reason, result.status_code) == ("warning", "bot-blocked", 200)


def test_head_hostile_servers_are_checked_with_get(server, settings):
    def no_head(handler: Handler) -> None:
        if handler.command == "HEAD":
            reply(handler, 405, "")
        else:
            reply(handler, 200, html("Only GET"))

    server.route("/get-only", no_head)
    result = check_one(server.url("/get-only"), settings())
    assert result.outcome == Outcome.OK
    assert [r.method for r in server.requests] == ["GET"]


def test_a_redirect_status_without_location_is_broken(server, settings):
    server.route("/nowhere", status=302, body="")
    result = check_one(server.url("/nowhere"), settings())
    assert (result.reason, result.status_code) == ("http-status", 302)
    assert "without a Location" in result.detail


def test_a_browser_like_request_is_sent(server, settings):
    server.route("/headers", body=html())
    check_one(server.url("/headers"), settings())
    (request,) = server.requests
    assert request.headers["User-Agent"].startswith("Mozilla/5.0")
    assert "text/html" in request.headers["Accept"]
    assert "gzip" in request.headers["Accept-Encoding"]
    assert "Authorization" not in request.headers and "Cookie" not in request.headers
