"""The fetch hook: a transport given to check_links sees every request, redirect hops included."""

from __future__ import annotations

from dataclasses import replace

from factcheck.links import HttpTransport, LinkKind, LinkRequest, check_links

from .servers import html


class Credentials:
    """Wraps the network: adds a header for one host only, and notes every URL requested."""

    def __init__(self, inner: HttpTransport, host: str) -> None:
        self.inner = inner
        self.host = host
        self.seen: list[str] = []

    async def send(self, request, deadline):
        self.seen.append(request.url)
        if f"//{self.host}/" in request.url:
            request = replace(request, headers={**request.headers, "X-Token": "secret"})
        return await self.inner.send(request, deadline)

    async def reach(self, host, port, deadline, *, via_proxy):
        await self.inner.reach(host, port, deadline, via_proxy=via_proxy)

    def close(self):
        self.inner.close()


def test_a_wrapping_transport_sees_each_hop_and_its_headers_stay_on_their_host(
    make_server, settings
):
    first = make_server("127.0.0.1")
    second = make_server("127.0.0.2")
    first.route("/story", status=302, body="", headers={"Location": second.url("/moved")})
    second.route("/moved", body=html("Moved"))
    wrappers: list[Credentials] = []

    def factory(link_settings, network):
        wrapper = Credentials(HttpTransport(link_settings, network), f"127.0.0.1:{first.port}")
        wrappers.append(wrapper)
        return wrapper

    results = check_links(
        [LinkRequest(first.url("/story"), LinkKind.EVIDENCE)], settings(), transport=factory
    )
    (result,) = results.values()
    assert (result.reason, result.final_url) == ("redirected", second.url("/moved"))
    assert wrappers[0].seen == [first.url("/story"), second.url("/moved")]
    assert first.requests[0].headers.get("X-Token") == "secret"
    assert "X-Token" not in second.requests[0].headers  # not carried across the redirect
