"""The address a request came from: the socket's peer, or, when that peer is one of the
operator's ``trusted_proxies``, the client those proxies name in ``X-Forwarded-For``.

``X-Forwarded-For`` is read from the right: each proxy appends the address it received the
connection from, so the entries a client wrote itself are on the left and cannot be trusted.
The first address (from the right) that is not a trusted proxy is the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any

Network = IPv4Network | IPv6Network
UNKNOWN = "unknown"


def trusted_networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """``10.0.0.0/8``, ``::1``... as networks; raises ``ValueError`` on a malformed one."""
    return tuple(ip_network(cidr, strict=False) for cidr in cidrs)


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, networks: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def _forwarded_for(scope: Mapping[str, Any]) -> list[str]:
    entries: list[str] = []
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            entries.extend(value.decode("latin-1").split(","))
    return entries


def client_address(scope: Mapping[str, Any], trusted: Sequence[Network]) -> str:
    """The client's address as text (``unknown`` when the server gives no peer)."""
    peer = scope.get("client")
    address = str(peer[0]) if peer else UNKNOWN
    if not trusted or not _trusted(_parse(address), trusted):
        return address
    for entry in reversed(_forwarded_for(scope)):
        parsed = _parse(entry)
        if parsed is None:
            return address  # garbage a trusted proxy passed on: the last address we can vouch for
        address = str(parsed)
        if not _trusted(parsed, trusted):
            return address
    return address
