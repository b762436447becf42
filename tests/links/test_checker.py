"""check_links as a whole: merging, local decisions, offline, no network, limits, proxies."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from factcheck.errors import FactcheckError
from factcheck.links import (
    LinkKind,
    LinkRequest,
    LinkSettings,
    NoNetworkError,
    Outcome,
    Reason,
    check_links,
    normalise_url,
)

from .servers import Handler, html, read_request, reply, server_context

EVIDENCE = LinkKind.EVIDENCE


def requests_for(*urls: str, kind: LinkKind = EVIDENCE) -> list[LinkRequest]:
    return [LinkRequest(url, kind) for url in urls]


def test_each_distinct_url_is_fetched_once_and_keyed_by_its_normal_form(server, settings):
    server.route("/a", body=html())
    url = server.url("/a")
    variants = [url, url.replace("http://", "HTTP://"), url + "#intro", url.replace("/a", "/a")]
    results = check_links(requests_for(*variants), settings())
    assert list(results) == [normalise_url(url)]
    assert server.hits("/a") == 1


def test_results_come_in_the_order_of_the_requests(server, settings):
    for name in "abcdef":
        server.route(f"/{name}", body=html(name))
    urls = [server.url(f"/{name}") for name in "fbdace"]
    assert list(check_links(requests_for(*urls), settings(per_host=6))) == urls


def test_links_that_are_not_fetched_are_decided_locally(settings, tripwire):
    results = check_links(
        requests_for(
            "mailto:desk@example.org",
            "ftp://files.example.org/x",
            "not a url",
            "https://user:secret@example.org/",
            "https://",
            "https://example.org:99999/",
            "https://tracker.example.org/pixel",
        ),
        settings(excludes=(r"tracker\.",)),
    )
    assert [(r.outcome, r.reason) for r in results.values()] == [
        ("skipped", "not-http"),
        ("skipped", "not-http"),
        ("broken", "invalid-url"),
        ("broken", "invalid-url"),
        ("broken", "invalid-url"),
        ("broken", "invalid-url"),
        ("skipped", "excluded"),
    ]
    assert "secret" not in " ".join(results)  # credentials are not part of the identity
    assert tripwire.connects == [] and tripwire.lookups == []


def test_offline_opens_no_socket_at_all(settings, monkeypatch):
    def no_sockets(*args, **kwargs):
        raise AssertionError("a socket was created offline")

    monkeypatch.setattr(socket, "socket", no_sockets)
    monkeypatch.setattr(socket, "create_connection", no_sockets)
    seen = []
    results = check_links(
        requests_for("https://example.org/a", "mailto:x@example.org", "https://example.org/b"),
        settings(offline=True, use_cache=True),
        progress=seen.append,
    )
    assert {(r.outcome, r.reason) for r in results.values()} == {("skipped", "offline")}
    assert len(seen) == 3
    assert not (settings().cache_dir).exists()  # not even the cache is opened


def test_progress_is_called_once_per_url(server, settings):
    for name in "abc":
        server.route(f"/{name}", body=html())
    seen: list[str] = []
    urls = [server.url(f"/{name}") for name in "abc"]
    check_links(
        requests_for(*urls, urls[0], "mailto:x@y.org"),
        settings(),
        progress=lambda r: seen.append(r.url),
    )
    assert sorted(seen) == sorted([*urls, "mailto:x@y.org"])


# -- no network --------------------------------------------------------------------------------


class DeadResolver:
    """A resolver on a machine without network: every look-up fails for lack of an answer."""

    def resolve(self, host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


def test_no_reachable_host_at_all_is_no_network(settings):
    started = time.monotonic()
    with pytest.raises(NoNetworkError) as caught:
        check_links(
            requests_for("https://a.example.org/1", "https://b.example.net/2"),
            settings(retries=2),
            resolver=DeadResolver(),
        )
    assert isinstance(caught.value, FactcheckError) and caught.value.exit_code == 2
    assert "no network" in str(caught.value) and "\n" not in str(caught.value)
    assert time.monotonic() - started < 1.0  # one short probe round, not the retries


def test_one_reachable_host_is_enough(server, settings, resolver):
    server.route("/", body=html())
    resolver.names["news.test"] = ["127.0.0.1"]
    results = check_links(
        requests_for("https://gone.test/1", server.url("/", host="news.test")),
        settings(),
        resolver=resolver,
    )
    assert [r.reason for r in results.values()] == ["dns", "ok"]


def test_a_host_that_refuses_the_connection_is_reached(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    (result,) = check_links(requests_for(f"http://127.0.0.1:{port}/"), settings()).values()
    assert result.reason == "refused"  # a host that answers "no" is not a dead network


def test_guard_refused_and_excluded_links_do_not_count_as_unreachable(settings, resolver):
    resolver.names["intranet.test"] = ["10.0.0.7"]
    results = check_links(
        requests_for("http://intranet.test/", "http://skip.test/", "https://x.invalid/"),
        settings(excludes=("skip",)),
        resolver=resolver,
    )
    assert [r.reason for r in results.values()] == ["private-address", "excluded", "dns"]


# -- concurrency -------------------------------------------------------------------------------


class Gauge:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def slow_page(self, handler: Handler) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(0.05)
        with self.lock:
            self.now -= 1
        reply(handler, 200, html())


def test_at_most_per_host_requests_run_at_once_on_one_host(server, settings):
    gauge = Gauge()
    for i in range(12):
        server.route(f"/p{i}", gauge.slow_page)
    urls = [server.url(f"/p{i}") for i in range(12)]
    check_links(requests_for(*urls), settings(per_host=3, concurrency=10))
    assert gauge.peak == 3


def test_hosts_are_checked_side_by_side_within_the_global_limit(make_server, settings):
    gauge = Gauge()
    servers = [make_server(f"127.0.0.{i}") for i in range(1, 5)]
    urls = []
    for srv in servers:
        for i in range(4):
            srv.route(f"/p{i}", gauge.slow_page)
            urls.append(srv.url(f"/p{i}"))
    started = time.monotonic()
    check_links(requests_for(*urls), settings(per_host=2, concurrency=6))
    assert gauge.peak == 6
    assert time.monotonic() - started < 0.6  # 16 pages x 50 ms in 6 lanes: about 0.15 s


def test_an_archive_host_gets_one_request_at_a_time(server, settings, resolver):
    gauge = Gauge()
    for i in range(4):
        server.route(f"/web/2024010100000{i}id_/https://example.org/", gauge.slow_page)
    resolver.names["web.archive.org"] = ["127.0.0.1"]
    port = server.port
    urls = [
        f"http://web.archive.org:{port}/web/2024010100000{i}/https://example.org/" for i in range(4)
    ]
    results = check_links(requests_for(*urls, kind=LinkKind.ARCHIVE), settings(), resolver=resolver)
    assert gauge.peak == 1
    assert all(r.reason == "ok" for r in results.values())
    assert all("id_/" in r.path for r in server.requests)  # the Wayback page without toolbar
    assert all(r.final_url == r.url for r in results.values())


# -- proxies and the environment ------------------------------------------------------------


def test_proxy_variables_are_ignored_without_the_proxy_option(server, settings, monkeypatch):
    server.route("/", body=html())
    monkeypatch.setenv("HTTP_PROXY", "http://10.1.1.1:3128")
    monkeypatch.setenv("http_proxy", "http://10.1.1.1:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.1.1.1:3128")
    (result,) = check_links(requests_for(server.url()), settings()).values()
    assert result.reason == "ok"


def test_requests_go_through_the_given_proxy(settings, resolver):
    """A forward proxy on loopback sees the absolute URL; the target name is never resolved
    or connected to here."""
    lines: list[str] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                request = read_request(conn)
                lines.append(request.split(b"\r\n", 1)[0].decode())
                body = html("Via proxy").encode()
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body) + body
                )

    threading.Thread(target=serve, daemon=True).start()
    try:
        (result,) = check_links(
            requests_for("http://far-away.test/story"),
            settings(proxy=f"http://127.0.0.1:{port}"),
            resolver=resolver,
        ).values()
    finally:
        listener.close()
    assert (result.reason, result.status_code) == ("ok", 200)
    # the probe's bare connection, then the request with its absolute URL
    assert [line for line in lines if line] == ["GET http://far-away.test/story HTTP/1.1"]
    assert resolver.calls == ["far-away.test"]  # looked up for the guard only


def test_through_a_proxy_a_target_that_resolves_privately_is_refused(settings, resolver, tripwire):
    resolver.names["metadata.test"] = ["169.254.169.254"]
    (result,) = check_links(
        requests_for("http://metadata.test/latest/"),
        settings(proxy="http://127.0.0.1:9", allow_cidrs=()),
        resolver=resolver,
    ).values()
    assert result.reason == "private-address"


# -- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"allow_cidrs": ("10.0.0.0/33",)},
        {"excludes": ("(",)},
        {"timeout": 0},
        {"per_host": 0},
        {"proxy": "socks5://127.0.0.1:1080"},
    ],
)
def test_bad_settings_are_usage_errors(options):
    with pytest.raises(FactcheckError):
        LinkSettings(**options)


def test_every_reason_belongs_to_its_outcome():
    assert {r.outcome for r in Reason} == set(Outcome)
    assert Reason.CONNECT_TIMEOUT.outcome is Outcome.WARNING
    assert Reason.PRIVATE_ADDRESS.outcome is Outcome.SKIPPED  # not fetched, not dead
    assert Reason.EXCLUDED.outcome is Outcome.SKIPPED


def test_https_goes_through_the_proxy_in_a_tunnel(make_server, ca, ca_file, settings, resolver):
    cert = ca.issue_cert("secure.test")
    target = make_server(tls=server_context(cert))
    target.route("/", body=html("Tunnelled"))
    tunnels: list[str] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            request = read_request(conn)
            if not request:
                conn.close()
                continue
            line = request.split(b"\r\n", 1)[0].decode()
            tunnels.append(line)
            upstream = socket.create_connection(("127.0.0.1", target.port))
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            threading.Thread(target=pump, args=(conn, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, conn), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        url = target.url("/", host="secure.test")
        (result,) = check_links(
            requests_for(url),
            settings(proxy=f"http://127.0.0.1:{listener.getsockname()[1]}", ca_bundle=ca_file),
            resolver=resolver,
        ).values()
    finally:
        listener.close()
    assert (result.reason, result.status_code) == ("ok", 200)
    assert [line.rsplit(" ", 1)[0] for line in tunnels] == [f"CONNECT secure.test:{target.port}"]


def test_started_is_called_once_when_every_worker_has_a_link(server, settings):
    # A caller runs other work from then on (verify renders the article and runs the rules).
    for name in "abcdef":
        server.route(f"/{name}", body=html(name))
    urls = [server.url(f"/{name}") for name in "abcdef"]
    calls: list[int] = []
    results = check_links(
        requests_for(*urls),
        settings(per_host=2),
        started=lambda: calls.append(len(server.requests)),
    )
    assert len(calls) == 1
    assert calls[0] <= 2  # while the first requests were in flight, not at the end
    assert all(r.outcome is Outcome.OK for r in results.values())


def test_started_is_not_called_when_nothing_is_fetched(settings, tripwire):
    calls: list[str] = []
    check_links(
        requests_for("mailto:desk@example.org"), settings(), started=lambda: calls.append("x")
    )
    check_links(
        requests_for("https://example.org/"),
        settings(offline=True),
        started=lambda: calls.append("x"),
    )
    assert calls == []
