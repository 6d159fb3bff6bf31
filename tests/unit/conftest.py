"""Unit tests never touch the network: any socket connection fails loudly."""

from __future__ import annotations

import socket

import pytest


class NetworkAccessInUnitTest(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkAccessInUnitTest(f"unit tests may not open connections: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
