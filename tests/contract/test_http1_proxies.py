"""The lean transport behind a proxy from the environment, against real servers on 127.0.0.1:
a CONNECT tunnel for https, absolute requests for http, NO_PROXY and loopback upstreams go
direct, and a refused tunnel fails. (The aiohttp transport reads no proxy settings.)"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from switchboard.adapters.outbound.transport import ConnectFailed
from switchboard.adapters.outbound.transport.http1 import Http1Transport
from tests.support.servers import free_port
from tests.support.tls import self_signed

JSON = {"content-type": "application/json"}
_PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY")


@dataclass
class Proxy:
    """A test proxy: tunnels every CONNECT to ``tunnel_to`` (or refuses with ``refuse``), and
    answers plain requests itself. Records what it was asked."""

    tunnel_to: int = 0
    refuse: int = 0
    url: str = ""
    asked: list[str] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@asynccontextmanager
async def running(proxy: Proxy) -> AsyncIterator[Proxy]:
    writers: set[asyncio.StreamWriter] = set()  # closed at the end: a kept-alive client may never hang up

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.add(writer)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()
                return
            lines = head.decode("latin-1").split("\r\n")
            proxy.asked.append(lines[0])
            headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
            proxy.auth.append(headers.get("proxy-authorization", ""))
            if lines[0].startswith("CONNECT"):
                if proxy.refuse:
                    writer.write(f"HTTP/1.1 {proxy.refuse} No\r\ncontent-length: 0\r\n\r\n".encode())
                    await writer.drain()
                    writer.close()
                    return
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", proxy.tunnel_to)
                writers.add(up_writer)
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            await reader.readexactly(int(headers.get("content-length", "0")))
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
            await writer.drain()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    proxy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield proxy
    finally:
        server.close()
        for writer in writers:
            writer.close()
        await server.wait_closed()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
async def tls_upstream(certificate: tuple[Path, Path]) -> AsyncIterator[int]:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"host": request.host, "path": request.raw_path})

    app = web.Application()
    app.router.add_post("/{tail:.*}", echo)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(*certificate)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=served).start()
    try:
        yield port
    finally:
        await runner.cleanup()


async def test_https_goes_through_a_connect_tunnel_with_the_proxys_credentials(
    environment: pytest.MonkeyPatch, tls_upstream: int, certificate: tuple[Path, Path]
) -> None:
    async with running(Proxy(tunnel_to=tls_upstream)) as proxy:
        environment.setenv("HTTPS_PROXY", proxy.url.replace("http://", "http://ann:p%40ss@"))
        transport = Http1Transport(ssl_context=ssl.create_default_context(cafile=str(certificate[0])))
        try:
            for _ in range(2):
                reply = await transport.send("POST", "https://upstream.test/v1/x", headers=JSON, body=b"{}", timeout=5)
                assert reply.status == 200
                assert reply.body == b'{"host": "upstream.test", "path": "/v1/x"}'
        finally:
            await transport.aclose()
    assert proxy.asked == ["CONNECT upstream.test:443 HTTP/1.1"]  # one tunnel, kept alive
    assert proxy.auth == ["Basic " + base64.b64encode(b"ann:p@ss").decode()]


async def test_http_is_asked_of_the_proxy_with_the_whole_url(environment: pytest.MonkeyPatch) -> None:
    async with running(Proxy()) as proxy:
        environment.setenv("HTTP_PROXY", proxy.url)
        transport = Http1Transport()
        try:
            reply = await transport.send(
                "POST", "http://upstream.test:8080/v1/x?y=1", headers=JSON, body=b"", timeout=5
            )
        finally:
            await transport.aclose()
    assert (reply.status, reply.body) == (200, b"{}")
    assert proxy.asked == ["POST http://upstream.test:8080/v1/x?y=1 HTTP/1.1"]


async def test_a_refused_tunnel_is_a_connect_failure(environment: pytest.MonkeyPatch) -> None:
    async with running(Proxy(refuse=407)) as proxy:
        environment.setenv("HTTPS_PROXY", proxy.url)
        transport = Http1Transport()
        try:
            with pytest.raises(ConnectFailed, match="refused a tunnel"):
                await transport.send("POST", "https://upstream.test/v1/x", headers=JSON, body=b"{}", timeout=5)
        finally:
            await transport.aclose()


@pytest.mark.parametrize("bypass", ["no_proxy", "untrusted_env"])
async def test_no_proxy_and_an_untrusted_environment_go_direct(environment: pytest.MonkeyPatch, bypass: str) -> None:
    async with running(Proxy()) as proxy:
        environment.setenv("HTTP_PROXY", proxy.url)
        if bypass == "no_proxy":
            environment.setenv("NO_PROXY", "example.com,upstream.test")
        transport = Http1Transport(trust_env=bypass != "untrusted_env")
        try:
            with pytest.raises(ConnectFailed):  # direct: upstream.test does not resolve
                await transport.send("POST", "http://upstream.test/v1/x", headers=JSON, body=b"", timeout=5)
        finally:
            await transport.aclose()
    assert proxy.asked == []


async def test_a_loopback_upstream_never_goes_through_the_proxy(environment: pytest.MonkeyPatch) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.json_response({"direct": True})

    app = web.Application()
    app.router.add_post("/x", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    environment.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    transport = Http1Transport()
    try:
        for host in ("127.0.0.1", "localhost"):
            reply = await transport.send("POST", f"http://{host}:{port}/x", headers=JSON, body=b"", timeout=5)
            assert reply.body == b'{"direct": true}'
    finally:
        await transport.aclose()
        await runner.cleanup()


async def test_a_proxy_given_to_the_transport_carries_every_request_a_loopback_ones_too(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # ignored: nothing listens there
    environment.setenv("NO_PROXY", "upstream.test")
    async with running(Proxy()) as proxy:
        transport = Http1Transport(proxy=proxy.url)
        try:
            for url in ("http://127.0.0.1:9/x", "http://upstream.test/y"):
                reply = await transport.send("POST", url, headers=JSON, body=b"", timeout=5)
                assert (reply.status, reply.body) == (200, b"{}")
        finally:
            await transport.aclose()
    assert proxy.asked == ["POST http://127.0.0.1:9/x HTTP/1.1", "POST http://upstream.test/y HTTP/1.1"]
