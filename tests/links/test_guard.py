"""The private-address guard and the injectable resolver: nothing leaves loopback."""

from __future__ import annotations

import ipaddress

import pytest

from factcheck.links import LinkKind, LinkRequest, check_links
from factcheck.links.guard import AddressGuard, embedded_ipv4, is_public

from .servers import check_one, html

REFUSED_ADDRESSES = [
    "10.1.2.3",
    "169.254.169.254",  # the cloud metadata service
    "100.64.0.1",  # carrier-grade NAT
    "192.168.1.1",
    "0.0.0.0",
    "64:ff9b::7f00:1",  # NAT64 form of 127.0.0.1
    "64:ff9b:1::7f00:1",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 form of 127.0.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::7f00:1",  # IPv4-compatible
    "::1",
    "fe80::1",
    "fc00::1",
    "224.0.0.1",
]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_non_public_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "64:ff9b::5db8:d70e"])
def test_public_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))


def test_translated_addresses_decode_to_their_ipv4_address():
    loopback = ipaddress.IPv4Address("127.0.0.1")
    for form in ("64:ff9b::7f00:1", "2002:7f00:1::", "::ffff:127.0.0.1"):
        assert embedded_ipv4(ipaddress.IPv6Address(form)) == loopback


@pytest.mark.parametrize("address", [a for a in REFUSED_ADDRESSES if a != "::ffff:127.0.0.1"])
def test_names_that_resolve_to_non_public_addresses_are_refused_without_a_packet(
    address, settings, resolver, tripwire
):
    resolver.names["internal.example.org"] = [address]
    result = check_one(
        "http://internal.example.org/admin",
        settings(allow_cidrs=("127.0.0.1/32",)),
        resolver=resolver,
    )
    assert (result.outcome, result.reason, result.status_code) == (
        "skipped",
        "private-address",
        None,
    )
    assert address in result.detail
    assert tripwire.connects == []  # not even loopback: no connection was tried


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://[::ffff:127.0.0.1]:8080/"])
def test_a_private_ip_literal_is_refused(settings, tripwire, url):
    result = check_one(url, settings(allow_cidrs=()))
    assert result.reason == "private-address"
    assert tripwire.connects == []


def test_the_test_server_is_refused_unless_allowed(server, settings):
    server.route("/", body=html())
    assert check_one(server.url(), settings(allow_cidrs=())).reason == "private-address"
    assert check_one(server.url(), settings(allow_cidrs=("127.0.0.1/32",))).reason == "ok"
    assert check_one(server.url(), settings(allow_cidrs=(), allow_private=True)).reason == "ok"
    assert len(server.requests) == 2


def test_an_allowance_for_127_0_0_1_does_not_allow_its_nat64_form():
    from factcheck.links import LinkSettings

    guard = AddressGuard(LinkSettings(allow_cidrs=("127.0.0.1/32",)))
    assert guard.allows("127.0.0.1")
    assert guard.allows("::ffff:127.0.0.1")  # the same address on a dual-stack socket
    assert not guard.allows("64:ff9b::7f00:1")
    assert not guard.allows("2002:7f00:1::")
    assert not guard.allows("127.0.0.2")


def test_a_redirect_to_another_loopback_address_is_still_refused(make_server, settings):
    first = make_server("127.0.0.1")
    second = make_server("127.0.0.2")
    second.route("/", body=html("Inside"))
    first.route("/hop", status=302, body="", headers={"Location": second.url("/")})
    result = check_one(first.url("/hop"), settings(allow_cidrs=("127.0.0.1/32",)))
    assert (result.outcome, result.reason) == ("skipped", "private-address")
    assert (result.status_code, result.final_url) == (302, first.url("/hop"))
    assert second.requests == []


def test_a_name_redirecting_to_a_private_name_is_refused_at_the_hop(server, settings, resolver):
    resolver.names.update({"news.test": ["127.0.0.1"], "metadata.test": ["169.254.169.254"]})
    server.route("/story", status=301, body="", headers={"Location": "http://metadata.test/"})
    url = server.url("/story", host="news.test")
    result = check_one(url, settings(allow_cidrs=("127.0.0.1/32",)), resolver=resolver)
    assert (result.reason, result.status_code) == ("private-address", 301)


def test_only_allowed_addresses_of_a_mixed_answer_are_connected_to(
    server, settings, resolver, tripwire
):
    server.route("/", body=html())
    resolver.names["mixed.test"] = ["10.9.9.9", "127.0.0.1"]
    result = check_one(server.url("/", host="mixed.test"), settings(), resolver=resolver)
    assert result.reason == "ok"
    assert "10.9.9.9" not in tripwire.connects


def test_invalid_names_fail_locally_without_a_lookup(settings, tripwire):
    result = check_one("https://www.example.invalid/page", settings())  # the system resolver
    assert (result.outcome, result.reason) == ("broken", "dns")
    assert tripwire.lookups == [] and tripwire.connects == []


def test_an_unknown_name_is_a_dns_failure(server, settings, resolver):
    server.route("/", body=html())
    resolver.names["news.test"] = ["127.0.0.1"]
    requests = [
        LinkRequest("http://gone.test/story", LinkKind.EVIDENCE),
        LinkRequest(server.url("/", host="news.test"), LinkKind.EVIDENCE),
    ]
    results = check_links(requests, settings(), resolver=resolver)
    assert results["http://gone.test/story"].reason == "dns"
    assert resolver.calls.count("gone.test") == 1  # once per run, failures included


def test_a_unicode_host_is_resolved_in_its_idna_form(server, settings, resolver):
    server.route("/", body=html())
    resolver.names["xn--bcher-kva.test"] = ["127.0.0.1"]
    result = check_one(server.url("/", host="b\u00fccher.test"), settings(), resolver=resolver)
    assert result.reason == "ok"
    assert server.requests[0].headers["Host"].startswith("xn--bcher-kva.test")
