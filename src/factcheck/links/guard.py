"""The private-address guard: only globally routable addresses are fetched, unless the
command line allows more (SPEC.md, "Security").

An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 and 6to4)
is judged by the IPv4 address it leads to, so ``64:ff9b::7f00:1`` is loopback.
"""

from __future__ import annotations

import ipaddress

from factcheck.links.types import LinkSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the translation forms."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable, never multicast. A translated IPv6 address (IPv4-mapped, NAT64,
    6to4) is as public as the IPv4 address it leads to: on an IPv6-only network with DNS64
    every IPv4 site has a NAT64 address. Deprecated IPv4-compatible addresses never are."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _IPV4_COMPATIBLE:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
    )


class AddressGuard:
    """Which addresses may be connected to under the run's settings."""

    def __init__(self, settings: LinkSettings) -> None:
        self._allow_all = settings.allow_private
        self._networks = settings.allowed_networks

    def allows(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        if self._allow_all or is_public(ip):
            return True
        # An allowance matches the address connected to (an IPv4-mapped address is that IPv4
        # address on a dual-stack socket); a NAT64 or 6to4 form of an allowed address is not
        # that address, and stays refused.
        candidates: list[IPAddress] = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        return any(
            c in net for c in candidates for net in self._networks if c.version == net.version
        )
