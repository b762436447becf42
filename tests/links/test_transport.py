"""Hostile and broken servers: refused and silent ports, bad TLS, slow and endless answers."""

from __future__ import annotations

import datetime
import socket
import time
import tracemalloc

import pytest

from factcheck.links import LinkKind, LinkRequest, check_links

from .servers import (
    Handler,
    check_one,
    gzip_bomb_blocks,
    html,
    server_context,
)

GIB = 1024**3
MIB = 1024**2
#: Python memory of a link-only check of an endless body: the 64 KiB head and buffers.
LINK_PEAK = 16 * MIB
#: With the text read: the 5 MiB cap plus the extractor's working set on it (about 20 times
#: the body for 5 MiB of NUL bytes), and nothing that grows with the body's 1-2 GB.
PAGE_PEAK = 160 * MIB


def test_a_closed_port_is_refused(settings):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    result = check_one(f"http://127.0.0.1:{port}/", settings(retries=1))
    assert (result.outcome, result.reason, result.status_code) == ("broken", "refused", None)
    assert result.final_url is None


def test_a_listener_that_never_accepts_is_a_connect_timeout(server, settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    for _ in range(4):  # fill the accept queue: further SYNs are dropped
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(address)
        fillers.append(filler)
    try:
        started = time.monotonic()
        silent = f"http://127.0.0.1:{address[1]}/"
        # With no host reachable at all the run would stop (no network): one host answers.
        requests = [
            LinkRequest(silent, LinkKind.EVIDENCE),
            LinkRequest(server.url(), LinkKind.EVIDENCE),
        ]
        result = check_links(requests, settings(timeout=0.5))[silent]
        assert (result.outcome, result.reason) == ("warning", "connect-timeout")
        assert time.monotonic() - started < 1.5
    finally:
        for sock in (*fillers, listener):
            sock.close()


# -- TLS ----------------------------------------------------------------------------------------


def tls_server(make_server, ca, *names, **cert_options):
    cert = ca.issue_cert(*names, **cert_options)
    return make_server(tls=server_context(cert))


def test_tls_with_a_trusted_certificate_is_ok(make_server, ca, ca_file, settings, resolver):
    secure = tls_server(make_server, ca, "news.test")
    secure.route("/", body=html("Secure"))
    resolver.names["news.test"] = ["127.0.0.1"]
    result = check_one(
        secure.url("/", host="news.test"), settings(ca_bundle=ca_file), resolver=resolver
    )
    assert (result.outcome, result.reason) == ("ok", "ok")


def test_an_expired_certificate_is_a_tls_error(make_server, ca, ca_file, settings, resolver):
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    secure = tls_server(
        make_server, ca, "old.test", not_before=past, not_after=past + datetime.timedelta(days=30)
    )
    resolver.names["old.test"] = ["127.0.0.1"]
    result = check_one(
        secure.url("/", host="old.test"), settings(ca_bundle=ca_file, retries=2), resolver=resolver
    )
    assert (result.outcome, result.reason) == ("broken", "tls")
    assert "expired" in result.detail
    assert secure.requests == []


def test_a_certificate_for_another_host_is_a_tls_error(
    make_server, ca, ca_file, settings, resolver
):
    secure = tls_server(make_server, ca, "other.test")
    resolver.names["news.test"] = ["127.0.0.1"]
    result = check_one(
        secure.url("/", host="news.test"), settings(ca_bundle=ca_file), resolver=resolver
    )
    assert result.reason == "tls"
    assert "news.test" in result.detail or "mismatch" in result.detail.lower()


def test_a_certificate_from_an_unknown_authority_is_a_tls_error(
    make_server, ca, settings, resolver
):
    secure = tls_server(make_server, ca, "news.test")
    resolver.names["news.test"] = ["127.0.0.1"]
    result = check_one(secure.url("/", host="news.test"), settings(), resolver=resolver)  # certifi
    assert result.reason == "tls"


# -- slow servers -----------------------------------------------------------------------------


def test_a_server_that_answers_after_the_deadline_is_a_timeout(raw_server, settings):
    def late(conn, server):
        server.stopped.wait(3)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    slow = raw_server(late)
    started = time.monotonic()
    result = check_one(slow.url(), settings(timeout=0.5))
    assert (result.outcome, result.reason, result.status_code) == ("warning", "timeout", None)
    assert time.monotonic() - started < 1.2


def test_a_header_drip_cannot_stretch_the_deadline(raw_server, settings):
    """One header byte every 0.1 s: no single read times out, the attempt's deadline does."""

    def drip(conn, server):
        for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 10_000:
            if server.stopped.wait(0.1):
                return
            conn.sendall(bytes([byte]))

    slow = raw_server(drip)
    started = time.monotonic()
    result = check_one(slow.url(), settings(timeout=0.6))
    assert result.reason == "timeout"
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("need_text", [False, True])
def test_headers_then_a_body_drip_is_reachable_and_truncated(raw_server, settings, need_text):
    def drip(conn, server):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 99999\r\n\r\n")
        conn.sendall(b"<html><body><p>The start of a long page")
        while not server.stopped.wait(0.2):
            conn.sendall(b".")

    slow = raw_server(drip)
    started = time.monotonic()
    result = check_one(slow.url(), settings(timeout=0.6), need_text=need_text)
    assert (result.outcome, result.reason, result.status_code) == ("ok", "ok", 200)
    assert result.truncated
    assert time.monotonic() - started < 1.2
    if need_text:
        assert result.page is not None and "The start of a long page" in result.page.text
        assert not result.page.complete


# -- endless bodies ---------------------------------------------------------------------------


def endless(handler: Handler, head: bytes, block: bytes, blocks: int, encoding: str | None) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    if encoding:
        handler.send_header("Content-Encoding", encoding)
    handler.send_header("Content-Length", str(len(head) + len(block) * blocks))
    handler.end_headers()
    handler.wfile.write(head)
    for _ in range(blocks):
        if handler.server.owner.stopped.is_set():
            return
        handler.wfile.write(block)


@pytest.mark.parametrize("need_text", [False, True])
def test_a_2_gb_body_is_read_only_up_to_the_cap(server, settings, need_text):
    block = b"<p>" + (b"x" * 49 + b" ") * 1300 + b"</p>\n"  # 64 KiB of text
    head = b"<!doctype html><html><head><title>Huge</title></head><body>"
    blocks = 2 * GIB // len(block)
    server.route("/huge", lambda h: endless(h, head, block, blocks, None))
    tracemalloc.start()
    try:
        result = check_one(server.url("/huge"), settings(timeout=5), need_text=need_text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.outcome, result.reason) == ("ok", "ok")
    if need_text:
        assert result.truncated and result.page is not None and not result.page.complete
        assert 4_000_000 < len(result.page.text) <= 5 * 1024 * 1024
    else:
        assert not result.truncated  # a link-only check stops after </title>, by design
    assert peak < (PAGE_PEAK if need_text else LINK_PEAK)


@pytest.mark.parametrize("need_text", [False, True])
def test_a_gzip_bomb_inflates_no_further_than_the_cap(server, settings, need_text):
    head, block = gzip_bomb_blocks()  # each block: 1 MiB of zeros, about 1 KiB on the wire
    server.route("/bomb", lambda h: endless(h, head, block, 1000, "gzip"))  # 1 GB inflated
    tracemalloc.start()
    try:
        result = check_one(server.url("/bomb"), settings(timeout=5), need_text=need_text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.outcome == "ok"
    if need_text:
        assert result.truncated
    assert peak < (PAGE_PEAK if need_text else LINK_PEAK)


# -- cut connections ------------------------------------------------------------------------------


def test_a_server_that_hangs_up_without_answering_is_a_connection_error(raw_server, settings):
    silent = raw_server(lambda conn, server: None)  # reads the request, closes
    result = check_one(silent.url(), settings(retries=1))
    assert (result.outcome, result.reason, result.status_code) == ("broken", "connection", None)
    assert silent.connections == 3  # the probe, then two attempts: connection errors are retried


def test_a_server_that_does_not_speak_http_is_a_connection_error(raw_server, settings):
    garbage = raw_server(lambda conn, server: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n"))
    assert check_one(garbage.url(), settings()).reason == "connection"


def test_a_kept_alive_connection_the_server_closed_is_replaced_silently(raw_server, settings):
    """The server answers one request per connection without saying so (no Connection:
    close): the next URL finds the pooled connection dead and quietly opens a new one."""

    def one_and_done(conn, server):
        body = html("Once").encode()
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
            + body
        )

    once = raw_server(one_and_done)
    urls = [once.url(f"/{i}") for i in range(4)]
    results = check_links(
        [LinkRequest(url, LinkKind.EVIDENCE) for url in urls], settings(per_host=1, retries=0)
    )
    assert [r.reason for r in results.values()] == ["ok"] * 4
