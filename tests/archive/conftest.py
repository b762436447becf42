"""The archive's tests run against servers on loopback under the link tests' tripwire: a
connection outside 127.0.0.0/8 or any DNS look-up fails the test."""

from __future__ import annotations

from tests.links.conftest import make_server, resolver, settings, tripwire

__all__ = ["make_server", "resolver", "settings", "tripwire"]
