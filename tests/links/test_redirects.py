"""Redirects: chains, loops, limits, soft 404s by redirect, cookies within one chain."""

from __future__ import annotations

from .servers import Handler, check_one, html, reply


def redirect(server, path: str, to: str, status: int = 301, headers=None) -> None:
    server.route(
        path, status=status, body="", content_type=None, headers={"Location": to, **(headers or {})}
    )


def test_a_chain_ends_redirected_with_the_final_url(server, settings):
    redirect(server, "/old", "/older", 301)
    redirect(server, "/older", server.url("/new"), 302)  # absolute
    server.route("/new", body=html("New home"))
    result = check_one(server.url("/old"), settings())
    assert (result.outcome, result.reason, result.status_code) == ("ok", "redirected", 200)
    assert result.final_url == server.url("/new")
    assert result.detail == "HTTP 200 OK after 2 redirects"


def test_a_loop_is_broken(server, settings):
    redirect(server, "/a", "/b")
    redirect(server, "/b", "/a")
    result = check_one(server.url("/a"), settings())
    assert (result.outcome, result.reason, result.status_code) == (
        "broken",
        "redirect-loop",
        301,
    )
    assert server.hits("/a") == 1 and server.hits("/b") == 1


def test_twelve_and_twenty_redirects_are_followed_as_browsers_do(server, settings):
    for i in range(20):
        redirect(server, f"/hop{i}", f"/hop{i + 1}", 307)
    server.route("/hop20", body=html("Arrived"))
    result = check_one(server.url("/hop8"), settings())  # 12 redirects
    assert (result.outcome, result.reason, result.status_code) == ("ok", "redirected", 200)
    assert result.detail == "HTTP 200 OK after 12 redirects"
    assert check_one(server.url("/hop0"), settings()).detail == "HTTP 200 OK after 20 redirects"


def test_twenty_five_redirects_are_too_many(server, settings):
    for i in range(25):
        redirect(server, f"/hop{i}", f"/hop{i + 1}", 307)
    server.route("/hop25", body=html("Arrived"))
    result = check_one(server.url("/hop0"), settings())
    assert (result.outcome, result.reason) == ("broken", "too-many-redirects")
    assert result.status_code == 307
    assert result.detail == "more than 20 redirects"
    assert server.hits("/hop20") == 1 and server.hits("/hop21") == 0  # the 21st is not followed


def test_a_chain_that_never_ends_is_too_many_and_a_loop_stays_a_loop(server, settings):
    def endless(handler: Handler) -> None:  # every hop a new address: no loop to detect
        step = int(handler.path.partition("?n=")[2] or 0) + 1
        reply(handler, 302, b"", content_type=None, headers={"Location": f"/endless?n={step}"})

    server.route("/endless", endless)
    result = check_one(server.url("/endless"), settings())
    assert (result.outcome, result.reason) == ("broken", "too-many-redirects")
    assert server.hits("/endless") == 21
    redirect(server, "/x", "/y")
    redirect(server, "/y", "/x")
    assert check_one(server.url("/x"), settings()).reason == "redirect-loop"


def test_a_deep_link_sent_to_the_home_page_is_a_soft_404(server, settings):
    redirect(server, "/news/2021/story-that-died", "/")
    server.route("/", body=html("Example News - Home"))
    result = check_one(server.url("/news/2021/story-that-died"), settings())
    assert (result.outcome, result.reason, result.status_code) == ("warning", "soft-404", 200)
    assert "home page" in result.detail


def test_a_deep_link_sent_to_a_login_page_is_a_soft_404(server, settings):
    redirect(server, "/premium/story", "/account/login?next=/premium/story")
    server.route("/account/login", body=html("Sign in"))
    result = check_one(server.url("/premium/story"), settings())
    assert (result.reason, result.final_url) == (
        "soft-404",
        server.url("/account/login?next=/premium/story"),
    )


def test_a_short_path_redirected_home_is_just_redirected(server, settings):
    redirect(server, "/home", "/")
    server.route("/", body=html("Home"))
    assert check_one(server.url("/home"), settings()).reason == "redirected"


def test_a_redirect_to_another_scheme_is_invalid(server, settings):
    redirect(server, "/ftp", "ftp://files.example.org/report.pdf")
    result = check_one(server.url("/ftp"), settings())
    assert (result.outcome, result.reason, result.status_code) == ("broken", "invalid-url", 301)


def test_cookies_live_within_one_redirect_chain(server, settings):
    """A consent redirect sets a cookie and sends the reader back; the next URL starts clean."""

    def gate(handler: Handler) -> None:
        if "consent=yes" in handler.headers.get("Cookie", ""):
            reply(handler, 200, html("The article"))
        else:
            reply(handler, 302, "", content_type=None, headers={"Location": "/set"})

    def consent(handler: Handler) -> None:
        headers = {"Set-Cookie": "consent=yes; Path=/", "Location": "/article"}
        reply(handler, 302, "", content_type=None, headers=headers)

    server.route("/article", gate)
    server.route("/article2", gate)
    server.route("/set", consent)
    first = check_one(server.url("/article"), settings())
    # /article -> /set -> /article again, now with the cookie: not a loop, and not a redirect
    assert (first.reason, first.status_code, first.final_url) == ("ok", 200, server.url("/article"))
    assert [r.headers.get("Cookie") for r in server.requests] == [None, None, "consent=yes"]
    server.requests.clear()
    second = check_one(server.url("/article2"), settings())
    assert server.requests[0].headers.get("Cookie") is None  # nothing kept from the other URL
    assert (second.reason, second.final_url) == ("redirected", server.url("/article"))


def test_a_raw_utf8_location_is_followed(server, settings):
    def raw(handler: Handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", "/caf\u00e9".encode().decode("latin-1"))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.route("/moved", raw)
    server.route("/caf%C3%A9", body=html("Caf\u00e9"))
    result = check_one(server.url("/moved"), settings())
    assert (result.reason, result.status_code) == ("redirected", 200)
