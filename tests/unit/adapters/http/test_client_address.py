"""The client's address: the socket's peer, or X-Forwarded-For only from a trusted proxy
(issue 11, item 14)."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.inbound.http.client_address import UNKNOWN, client_address, trusted_networks

PROXIES = trusted_networks(["10.0.0.0/8", "::1"])


def scope(peer: str | None, *forwarded: str) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"client": (peer, 5000) if peer else None, "headers": headers}


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() -> None:
    assert client_address(scope("203.0.113.9", "198.51.100.1"), ()) == "203.0.113.9"


def test_an_untrusted_peer_cannot_name_another_client() -> None:
    assert client_address(scope("203.0.113.9", "198.51.100.1"), PROXIES) == "203.0.113.9"


def test_a_trusted_proxy_names_the_client() -> None:
    assert client_address(scope("10.1.2.3", "198.51.100.1"), PROXIES) == "198.51.100.1"


def test_the_client_is_the_first_untrusted_address_from_the_right() -> None:
    forged = scope("10.1.2.3", "1.1.1.1, 198.51.100.1, 10.9.9.9")
    assert client_address(forged, PROXIES) == "198.51.100.1"


def test_several_header_lines_read_as_one_list() -> None:
    assert client_address(scope("::1", "1.1.1.1", "198.51.100.1"), PROXIES) == "198.51.100.1"


def test_garbage_stops_the_walk_at_the_last_address_vouched_for() -> None:
    assert client_address(scope("10.1.2.3", "not-an-address, 10.4.4.4"), PROXIES) == "10.4.4.4"


def test_a_trusted_peer_without_the_header_is_the_client() -> None:
    assert client_address(scope("10.1.2.3"), PROXIES) == "10.1.2.3"


def test_no_peer_is_unknown() -> None:
    assert client_address(scope(None), PROXIES) == UNKNOWN


def test_a_malformed_network_is_refused() -> None:
    with pytest.raises(ValueError):
        trusted_networks(["10.0.0.0/33"])
