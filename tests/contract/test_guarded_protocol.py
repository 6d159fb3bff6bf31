"""The server's own limits, over raw sockets: a client that trickles its headers or its body is
answered 408 and disconnected; one address cannot hold more than its share of connections;
clients that behave see nothing of it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from switchboard.adapters.inbound.http.guarded_protocol import GuardedHttpToolsProtocol, configure
from tests.support.asgi import Receive, Scope, Send
from tests.support.servers import serve_asgi


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"got " + str(len(body)).encode()})


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    saved = (
        GuardedHttpToolsProtocol.header_timeout,
        GuardedHttpToolsProtocol.body_timeout,
        GuardedHttpToolsProtocol.max_connections_per_client,
    )
    configure(header_timeout=0.3, body_timeout=0.3, max_connections_per_client=4)
    try:
        with serve_asgi(_echo, http=GuardedHttpToolsProtocol) as url:
            yield "127.0.0.1", int(url.rsplit(":", 1)[1])
    finally:
        configure(header_timeout=saved[0], body_timeout=saved[1], max_connections_per_client=saved[2])


def _connect(address: tuple[str, int]) -> socket.socket:
    return socket.create_connection(address, timeout=10)


def _read_all(client: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the test's timeout fails it)."""
    data = b""
    while chunk := client.recv(65536):
        data += chunk
    return data


def test_headers_trickled_past_the_timeout_get_408_and_a_closed_connection(server: tuple[str, int]) -> None:
    with _connect(server) as client:
        client.sendall(b"POST /echo HTTP/1.1\r\nhost: x\r\n")  # and never the rest

        answer = _read_all(client)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"code":"request_timeout"' in answer


def test_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    with _connect(server) as client:
        assert _read_all(client).startswith(b"HTTP/1.1 408 ")


def test_a_body_that_stalls_gets_408_and_a_closed_connection(server: tuple[str, int]) -> None:
    with _connect(server) as client:
        client.sendall(b"POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n" + b"x" * 10)

        answer = _read_all(client)

    assert answer.startswith(b"HTTP/1.1 408 ")


def test_one_address_cannot_hold_more_connections_than_its_share(server: tuple[str, int]) -> None:
    held = [_connect(server) for _ in range(4)]
    try:
        with _connect(server) as extra:
            assert _read_all(extra) == b""  # closed at once, before any request
    finally:
        for client in held:
            client.close()


def test_a_closed_connection_frees_its_place(server: tuple[str, int]) -> None:
    for _ in range(3):
        held = [_connect(server) for _ in range(4)]
        for client in held:
            client.close()

    answer = httpx.post(f"http://{server[0]}:{server[1]}/echo", content=b"abc", timeout=10)

    assert answer.text == "got 3"


def test_requests_that_behave_are_served_over_one_kept_alive_connection(server: tuple[str, int]) -> None:
    with httpx.Client(base_url=f"http://{server[0]}:{server[1]}", timeout=10) as client:
        answers = [client.post("/echo", content=b"x" * n).text for n in (1, 1000, 100_000)]

    assert answers == ["got 1", "got 1000", "got 100000"]
