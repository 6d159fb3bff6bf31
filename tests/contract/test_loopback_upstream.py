"""The fake upstreams provider and sink tests run against (``tests/support/loopback.py``): what a
handler sees and answers crosses a real socket and the production transport, unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from switchboard.adapters.outbound.transport import ConnectionLost
from tests.support.loopback import LoopbackUpstream, close_all

JSON = {"content-type": "application/json"}


async def test_an_https_request_reaches_the_handler_as_the_adapter_sent_it() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"ok": True}, headers={"x-upstream": "yes"})

    transport = LoopbackUpstream(handler).transport()
    reply = await transport.send(
        "POST", "https://api.example.test/v1/x?y=1", headers={**JSON, "x-api-key": "k"}, body=b"{}", timeout=5
    )
    assert (reply.status, reply.body, reply.headers["x-upstream"]) == (201, b'{"ok":true}', "yes")
    [request] = seen
    assert str(request.url) == "https://api.example.test/v1/x?y=1"
    assert (request.method, request.headers["x-api-key"], request.content) == ("POST", "k", b"{}")


async def test_an_http_request_to_a_loopback_address_reaches_the_handler_too() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"ok")

    reply = await LoopbackUpstream(handler).transport().send("GET", "http://localhost:11434/api/tags", headers={})
    assert (reply.status, reply.body, seen) == (200, b"ok", ["http://localhost:11434/api/tags"])


async def test_a_streamed_answer_arrives_whole_and_its_exchange_is_released() -> None:
    class Pieces(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for piece in (b"data: 1\n\n", b"data: 2\n\n"):
                yield piece

    upstream = LoopbackUpstream(lambda request: httpx.Response(200, stream=Pieces()))
    transport = upstream.transport()
    async with transport.stream("POST", "https://api.example.test/s", headers=JSON, body=b"{}") as reply:
        assert upstream.in_flight() == 1
        received = b"".join([chunk async for chunk in reply.chunks()])
    assert received == b"data: 1\n\ndata: 2\n\n"
    assert upstream.in_flight() == 0


async def test_a_handler_raising_a_transport_error_drops_the_connection() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("the upstream went away")

    with pytest.raises(ConnectionLost):
        await LoopbackUpstream(handler).transport().send("POST", "https://api.example.test/x", headers=JSON, body=b"")


async def test_a_handler_that_fails_fails_its_test() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("the adapter sent the wrong body")

    with pytest.raises(ConnectionLost):
        await LoopbackUpstream(handler).transport().send("POST", "https://api.example.test/x", headers=JSON, body=b"")
    with pytest.raises(AssertionError, match="wrong body"):
        await close_all()
