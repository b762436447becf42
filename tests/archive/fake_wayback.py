"""A fake Wayback Machine on loopback: a CDX endpoint, an availability endpoint and snapshot
pages, with the failures a real archive has (429, slow answers)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.links import servers
from tests.links.servers import Handler, reply


@dataclass
class FakeWayback:
    server: servers.TestServer
    #: original URL -> [(14-digit stamp, page html)]
    captures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: Answers to give before the real one: (status, headers) each.
    before: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    delay: float = 0.0
    #: Overrides the availability API's snapshot address.
    availability_url: str | None = None
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def cdx(self) -> str:
        return self.server.url("/cdx/search/cdx")

    @property
    def available(self) -> str:
        return self.server.url("/wayback/available")

    def capture(self, url: str, stamp: str, page: str) -> str:
        """Hold ``page`` as captured at ``stamp``; the snapshot's replay address."""
        self.captures.setdefault(url, []).append((stamp, page))
        for flag in ("", "id_"):
            self.server.route(f"/web/{stamp}{flag}/{url}", content_type="text/html", body=page)
        return self.server.url(f"/web/{stamp}/{url}")

    def closest(self, url: str, when: str) -> str | None:
        stamps = [stamp for stamp, _ in self.captures.get(url, [])]
        if not stamps:
            return None
        return min(stamps, key=lambda s: abs(int(s[:8]) - int(when[:8])))

    def answer(self, handler: Handler, availability: bool) -> None:
        try:
            with self.lock:
                early = self.before.pop(0) if self.before else None
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            if self.delay:
                time.sleep(self.delay)
            if early is not None:
                reply(handler, early[0], b"slow down", content_type="text/plain", headers=early[1])
                return
            query = parse_qs(urlsplit(handler.path).query)
            url = query["url"][0]
            when = (query.get("closest") or query.get("timestamp") or ["20240101"])[0]
            stamp = self.closest(url, when)
            if availability:
                closest = {}
                if stamp is not None or self.availability_url:
                    address = self.availability_url or self.server.url(f"/web/{stamp}/{url}")
                    closest = {
                        "closest": {
                            "available": True,
                            "url": address,
                            "timestamp": stamp or "20240416000000",
                            "status": "200",
                        }
                    }
                body = {"url": url, "archived_snapshots": closest}
            else:
                head = ["timestamp", "original", "statuscode"]
                body = [head, [stamp, url, "200"]] if stamp else []
            reply(handler, 200, json.dumps(body), content_type="application/json")
        finally:
            with self.lock:
                self.in_flight -= 1


def fake_wayback(server: servers.TestServer) -> FakeWayback:
    fake = FakeWayback(server)
    server.route("/cdx/search/cdx", lambda handler: fake.answer(handler, availability=False))
    server.route("/wayback/available", lambda handler: fake.answer(handler, availability=True))
    return fake
