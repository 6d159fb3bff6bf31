"""Unit tests never touch the network: any socket connection fails loudly, except one to a fake
upstream the test itself serves on 127.0.0.1 (``tests/support/loopback.py``)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.support.loopback import serves


class NetworkAccessInUnitTest(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkAccessInUnitTest(f"unit tests may not open connections: {args!r}")

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        if not serves(address):
            refuse(sock, address)
        connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
        if not serves(address):
            refuse(sock, address)
        return connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", refuse)
