"""The upstream transport contract, for the httptools and aiohttp transports, against a real
HTTP server on 127.0.0.1: bodies, keep-alive, chunked answers, timeouts, failures, streams."""

from __future__ import annotations

import asyncio
import gzip
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from switchboard.adapters.outbound.transport import ConnectFailed, ConnectionLost, ReadTimedOut, Transport
from tests.support.servers import free_port
from tests.support.tls import self_signed

JSON = {"content-type": "application/json"}


@dataclass
class Upstream:
    """What the test server saw."""

    base: str
    connections: set[int] = field(default_factory=set)
    paths: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    closed_streams: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)


def _app(seen: Upstream) -> web.Application:
    async def echo(request: web.Request) -> web.Response:
        seen.connections.add(id(request.transport))
        seen.paths.append(request.raw_path)
        seen.bodies.append(await request.read())
        return web.json_response({"ok": True}, headers={"X-Request-Seen": str(len(seen.paths))})

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), body=b'{"error":"no"}', headers=JSON)

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers=JSON)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b'{"a":', b" 1,", b' "b": 2}'):
            await response.write(part)
        await response.write_eof()
        return response

    async def large(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (5 << 20))

    async def busy(request: web.Request) -> web.Response:
        seen.in_flight += 1
        seen.most_in_flight = max(seen.most_in_flight, seen.in_flight)
        await asyncio.sleep(0.1)
        seen.in_flight -= 1
        return web.json_response({})

    async def gzipped(request: web.Request) -> web.StreamResponse:
        body = gzip.compress(b"data: 1\n\n" * 200)
        response = web.StreamResponse(headers={"content-type": "text/event-stream", "content-encoding": "gzip"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(body), 7):  # pieces that split the compressed stream anywhere
            await response.write(body[start : start + 7])
        await response.write_eof()
        return response

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=b"late")

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        try:
            await response.write(b"data: 1\n\n")
            await seen.release.wait()  # the second event only once the test has read the first
            await response.write(b"data: 2\n\n")
            await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
        except (ConnectionResetError, asyncio.CancelledError):
            seen.closed_streams += 1
            raise
        return response

    async def stalls(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"data: 1\n\n")
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            seen.closed_streams += 1
            raise
        return response

    app = web.Application()
    app.router.add_post("/echo", echo)
    app.router.add_post("/v1/model/{id}/invoke", echo)
    app.router.add_post("/status/{code}", status)
    app.router.add_post("/chunked", chunked)
    app.router.add_post("/slow", slow)
    app.router.add_post("/large", large)
    app.router.add_post("/busy", busy)
    app.router.add_post("/gzipped", gzipped)
    app.router.add_post("/events", events)
    app.router.add_post("/stalls", stalls)
    return app


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    port = free_port()
    seen = Upstream(base=f"http://127.0.0.1:{port}")
    runner = web.AppRunner(_app(seen), handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield seen
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _cut_short_server(reply: bytes) -> AsyncIterator[str]:
    """A server that answers every request with ``reply`` and then closes the connection."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def make_transport(kind: str, ssl_context: ssl.SSLContext | None = None) -> Transport:
    """A transport of ``kind`` that gives up connecting after 2 s."""
    if kind == "http1":
        from switchboard.adapters.outbound.transport.http1 import Http1Transport

        return Http1Transport(connect_timeout=2, ssl_context=ssl_context)
    from switchboard.adapters.outbound.transport.aiohttp_transport import AiohttpTransport

    return AiohttpTransport(connect_timeout=2, ssl_context=ssl_context)


@pytest.fixture(params=["http1", "aiohttp"])
def transport_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
async def transport(transport_kind: str, certificate: tuple[Path, Path]) -> AsyncIterator[Transport]:
    trusted = ssl.create_default_context(cafile=str(certificate[0]))  # trusts the TLS test server
    made = make_transport(transport_kind, trusted)
    try:
        yield made
    finally:
        await made.aclose()


@pytest.fixture(params=["http1", "aiohttp"])
async def two_at_a_time(request: pytest.FixtureRequest) -> AsyncIterator[Transport]:
    """A transport allowed two connections in flight."""
    made: Transport
    if request.param == "http1":
        from switchboard.adapters.outbound.transport.http1 import Http1Transport

        made = Http1Transport(max_connections=2)
    else:
        from switchboard.adapters.outbound.transport.aiohttp_transport import AiohttpTransport

        made = AiohttpTransport(pool_size=2)
    try:
        yield made
    finally:
        await made.aclose()


async def test_requests_over_the_connection_limit_wait_their_turn(two_at_a_time: Transport, upstream: Upstream) -> None:
    replies = await asyncio.gather(
        *(two_at_a_time.send("POST", f"{upstream.base}/busy", headers=JSON, body=b"{}", timeout=5) for _ in range(6))
    )
    assert [r.status for r in replies] == [200] * 6
    assert upstream.most_in_flight == 2


async def test_a_request_gets_status_headers_and_body(transport: Transport, upstream: Upstream) -> None:
    reply = await transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b'{"q": 1}', timeout=5)
    assert reply.status == 200
    assert reply.body == b'{"ok": true}'
    assert reply.headers["x-request-seen"] == reply.headers["X-Request-Seen"] == "1"
    assert upstream.bodies == [b'{"q": 1}']


async def test_connections_are_kept_alive_between_requests(transport: Transport, upstream: Upstream) -> None:
    for _ in range(20):
        await transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b"{}", timeout=5)
    assert len(upstream.connections) == 1


async def test_concurrent_requests_each_get_their_own_answer(transport: Transport, upstream: Upstream) -> None:
    replies = await asyncio.gather(
        *(transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b"{}", timeout=5) for _ in range(50))
    )
    assert sorted(int(r.headers["x-request-seen"]) for r in replies) == list(range(1, 51))


async def test_a_host_header_given_by_the_caller_is_the_only_one(transport: Transport, upstream: Upstream) -> None:
    host = upstream.base.removeprefix("http://")
    reply = await transport.send("POST", f"{upstream.base}/echo", headers={**JSON, "host": host}, body=b"", timeout=5)
    assert reply.status == 200


async def test_the_path_is_sent_exactly_as_given(transport: Transport, upstream: Upstream) -> None:
    await transport.send("POST", f"{upstream.base}/v1/model/a.b-v1%3A0/invoke?x=1", headers=JSON, body=b"", timeout=5)
    assert upstream.paths == ["/v1/model/a.b-v1%3A0/invoke?x=1"]


async def test_a_chunked_answer_is_read_whole(transport: Transport, upstream: Upstream) -> None:
    reply = await transport.send("POST", f"{upstream.base}/chunked", headers=JSON, body=b"{}", timeout=5)
    assert reply.body == b'{"a": 1, "b": 2}'


async def test_a_large_answer_is_read_whole(transport: Transport, upstream: Upstream) -> None:
    reply = await transport.send("POST", f"{upstream.base}/large", headers=JSON, body=b"{}", timeout=10)
    assert len(reply.body) == 5 << 20
    async with transport.stream("POST", f"{upstream.base}/large", headers=JSON, body=b"{}", idle_timeout=5) as streamed:
        assert len(await streamed.read()) == 5 << 20


async def test_a_compressed_answer_is_decompressed_whole_and_streamed(transport: Transport, upstream: Upstream) -> None:
    reply = await transport.send("POST", f"{upstream.base}/gzipped", headers=JSON, body=b"{}", timeout=5)
    assert reply.body == b"data: 1\n\n" * 200
    async with transport.stream(
        "POST", f"{upstream.base}/gzipped", headers=JSON, body=b"{}", idle_timeout=5
    ) as streamed:
        assert b"".join([chunk async for chunk in streamed.chunks()]) == b"data: 1\n\n" * 200


async def test_an_error_status_is_an_answer_not_a_failure(transport: Transport, upstream: Upstream) -> None:
    reply = await transport.send("POST", f"{upstream.base}/status/429", headers=JSON, body=b"{}", timeout=5)
    assert (reply.status, reply.body) == (429, b'{"error":"no"}')
    assert (await transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b"{}", timeout=5)).status == 200


async def test_no_answer_within_the_timeout_is_a_read_timeout(transport: Transport, upstream: Upstream) -> None:
    with pytest.raises(ReadTimedOut):
        await transport.send("POST", f"{upstream.base}/slow", headers=JSON, body=b"{}", timeout=0.2)
    assert (await transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b"{}", timeout=5)).status == 200


async def test_a_refused_connection_is_a_connect_failure(transport: Transport) -> None:
    with pytest.raises(ConnectFailed):
        await transport.send("POST", f"http://127.0.0.1:{free_port()}/x", headers=JSON, body=b"{}", timeout=5)


async def test_a_body_cut_short_is_a_lost_connection(transport: Transport) -> None:
    reply = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"partial'
    async with _cut_short_server(reply) as base:
        with pytest.raises(ConnectionLost):
            await transport.send("POST", f"{base}/x", headers=JSON, body=b"{}", timeout=5)


async def test_an_interim_answer_is_skipped(transport: Transport) -> None:
    reply = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
    )
    async with _cut_short_server(reply) as base:
        answer = await transport.send("POST", f"{base}/x", headers=JSON, body=b"{}", timeout=5)
    assert (answer.status, answer.body) == (201, b"{}")


async def test_https_is_verified_and_kept_alive(
    transport: Transport, upstream: Upstream, certificate: tuple[Path, Path]
) -> None:
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(*certificate)
    port = free_port()
    runner = web.AppRunner(_app(upstream))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=served).start()
    try:
        for _ in range(3):
            reply = await transport.send("POST", f"https://127.0.0.1:{port}/echo", headers=JSON, body=b"{}", timeout=5)
            assert reply.status == 200
        assert len(upstream.connections) == 1
    finally:
        await runner.cleanup()


async def test_an_untrusted_certificate_is_a_connect_failure(
    transport_kind: str, certificate: tuple[Path, Path]
) -> None:
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(*certificate)
    port = free_port()

    async def hello(request: web.Request) -> web.Response:
        return web.Response(body=b"{}")

    app = web.Application()
    app.router.add_post("/x", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=served).start()
    untrusting = make_transport(transport_kind)  # the system's authorities only
    try:
        with pytest.raises(ConnectFailed):
            await untrusting.send("POST", f"https://127.0.0.1:{port}/x", headers=JSON, body=b"{}", timeout=5)
    finally:
        await untrusting.aclose()
        await runner.cleanup()


async def test_a_body_without_length_ends_with_the_connection(transport: Transport) -> None:
    reply = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nall of it"
    async with _cut_short_server(reply) as base:
        answer = await transport.send("POST", f"{base}/x", headers=JSON, body=b"{}", timeout=5)
    assert (answer.status, answer.body) == (200, b"all of it")


async def _first(chunks: AsyncIterator[bytes]) -> bytes:
    return await anext(aiter(chunks))


async def test_a_stream_delivers_each_event_as_it_is_sent(transport: Transport, upstream: Upstream) -> None:
    async with transport.stream("POST", f"{upstream.base}/events", headers=JSON, body=b"{}", idle_timeout=5) as reply:
        assert reply.status == 200
        chunks = reply.chunks()
        assert await _first(chunks) == b"data: 1\n\n"  # before the server was told to send more
        upstream.release.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert rest == b"data: 2\n\ndata: [DONE]\n\n"


async def test_a_stream_left_early_closes_its_connection(transport: Transport, upstream: Upstream) -> None:
    async with transport.stream("POST", f"{upstream.base}/events", headers=JSON, body=b"{}", idle_timeout=5) as reply:
        assert await _first(reply.chunks()) == b"data: 1\n\n"
    await _eventually(lambda: upstream.closed_streams == 1)
    assert (await transport.send("POST", f"{upstream.base}/echo", headers=JSON, body=b"{}", timeout=5)).status == 200


async def test_a_stream_that_stalls_times_out_and_is_closed(transport: Transport, upstream: Upstream) -> None:
    async with transport.stream("POST", f"{upstream.base}/stalls", headers=JSON, body=b"{}", idle_timeout=0.2) as reply:
        chunks = reply.chunks()
        assert await _first(chunks) == b"data: 1\n\n"
        with pytest.raises(ReadTimedOut):
            await anext(chunks)
    await _eventually(lambda: upstream.closed_streams == 1)


async def test_an_error_status_on_a_stream_has_a_readable_body(transport: Transport, upstream: Upstream) -> None:
    async with transport.stream(
        "POST", f"{upstream.base}/status/500", headers=JSON, body=b"{}", idle_timeout=5
    ) as reply:
        assert (reply.status, await reply.read()) == (500, b'{"error":"no"}')


async def _eventually(check: Callable[[], bool], within: float = 3.0) -> None:
    """Polls what the server counted (it has no event to wait on)."""

    async def poll() -> None:
        while not check():  # noqa: ASYNC110
            await asyncio.sleep(0.01)

    waiting: Awaitable[None] = poll()
    await asyncio.wait_for(waiting, within)
