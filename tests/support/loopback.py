"""Fake upstreams as real HTTP/1.1 servers on 127.0.0.1, reached through ``Http1Transport``, the
transport production uses, so every provider and sink test also proves that transport.

An adapter builds its real URLs (``https://api.anthropic.com/v1/messages``). The transport a test
gets from ``LoopbackUpstream.transport()`` sends every request to the upstream's server as its
proxy: an https request arrives as a ``CONNECT`` tunnel and is answered over TLS, with a
certificate for the requested host signed by a test authority only that transport trusts; an http
request arrives in absolute form. The server turns each request into an ``httpx.Request`` (the URL
the adapter built, its headers and body), asks the test's handler, and writes the handler's
``httpx.Response`` back: a body with a ``content-length`` whole, any other chunked, one write per
piece, so a stream reaches the adapter as the pieces the handler gave.

A handler that raises an ``httpx.TransportError`` (or whose stream does) makes the server drop the
connection, as a failing upstream would. Any other exception is a broken test: the connection is
dropped too, and ``close_all`` raises it when the test ends (the ``tests/conftest.py`` fixture).
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import shutil
import socket
import ssl
import tempfile
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import cache
from http import HTTPStatus
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from switchboard.adapters.outbound.transport.http1 import Http1Transport

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


class TestAuthority:
    """A certificate authority for tests: ``client`` trusts it; ``server`` presents, for each
    host a client names (SNI), a certificate for that host that it signed."""

    __test__ = False  # not a test class, whatever its name says

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Switchboard test authority")])
        self._name = name
        self._certificate = (
            _builder(name, name, self._key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
            .sign(self._key, hashes.SHA256())
        )
        self._directory = Path(tempfile.mkdtemp(prefix="switchboard-test-ca-"))
        weakref.finalize(self, shutil.rmtree, self._directory, ignore_errors=True)
        self._hosts: dict[str, ssl.SSLContext] = {}
        authority = self._certificate.public_bytes(serialization.Encoding.PEM).decode()
        self.client = ssl.create_default_context(cadata=authority)
        self.server = self._context_for("localhost")
        self.server.sni_callback = self._choose

    def _choose(self, connection: ssl.SSLObject, host: str | None, context: ssl.SSLContext) -> None:
        connection.context = self._context_for(host or "localhost")

    def _context_for(self, host: str) -> ssl.SSLContext:
        context = self._hosts.get(host)
        if context is None:
            cert_file, key_file = self._issue(host)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert_file, key_file)
            self._hosts[host] = context
        return context

    def _issue(self, host: str) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        try:
            alternative: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
        except ValueError:
            alternative = x509.DNSName(host)
        certificate = (
            _builder(subject, self._name, key.public_key())
            .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        cert_file = self._directory / f"{host}.pem"
        key_file = self._directory / f"{host}.key"
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cert_file, key_file


def _builder(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePublicKey) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


@cache
def authority() -> TestAuthority:
    """One authority per test run: certificates are made once per host."""
    return TestAuthority()


class LoopbackUpstream:
    """A server on 127.0.0.1 answering every host through ``handler``, and the transports that
    reach it. The server starts with the first ``transport()``, inside the running event loop."""

    def __init__(self, handler: Handler) -> None:
        self.url = ""
        self.address: tuple[str, int] | None = None
        self.failures: list[BaseException] = []
        self.transports: list[Http1Transport] = []
        self._handler = handler
        self._serving: asyncio.Task[asyncio.Server] | None = None
        self._connections: dict[asyncio.Task[object], asyncio.StreamWriter] = {}

    def transport(self) -> Http1Transport:
        """A new ``Http1Transport`` whose every request reaches this server."""
        if self._serving is None:
            self._start()
        transport = Http1Transport(ssl_context=authority().client, proxy=self.url, trust_env=False)
        self.transports.append(transport)
        return transport

    def in_flight(self) -> int:
        """Exchanges the transports have begun and not released (a stream whose context was never left)."""
        return sum(transport.in_flight for transport in self.transports)

    def _start(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "a loopback upstream serves inside a running event loop: use it in an async test"
            ) from None
        # IPPROTO_TCP named, so asyncio sets TCP_NODELAY on the accepted connections (as on a
        # server it binds itself); without it every answer waits out a delayed ACK.
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listening.bind(("127.0.0.1", 0))
        listening.listen(128)
        listening.setblocking(False)
        self.address = ("127.0.0.1", listening.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.address[1]}"
        # The socket listens already; connections wait in its backlog until the server runs.
        self._serving = loop.create_task(asyncio.start_server(self._accepted, sock=listening))
        _OPEN.append(self)

    async def close(self) -> None:
        for transport in self.transports:
            await transport.aclose()
        if self._serving is not None:
            server = await self._serving
            server.close()
        for writer in self._connections.values():
            writer.transport.abort()  # its exchange loop sees the end and returns
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = writer
        try:
            await self._exchanges(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client went away
        finally:
            self._connections.pop(task, None)
            writer.close()

    async def _exchanges(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        scheme = "http"
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return  # the client closed a kept-alive connection
            method, target, headers = _parse_head(head)
            if method == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.start_tls(authority().server)
                scheme = "https"
                continue
            length = int(_header(headers, "content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            url = target if "://" in target else f"{scheme}://{_header(headers, 'host')}{target}"
            request = httpx.Request(method, url, headers=headers, content=body)
            if not await self._answer(request, writer):
                writer.transport.abort()
                return

    async def _answer(self, request: httpx.Request, writer: asyncio.StreamWriter) -> bool:
        """Write the handler's answer; ``False`` when the connection must be dropped instead."""
        try:
            answer = self._handler(request)
            response = await answer if isinstance(answer, Awaitable) else answer
            writer.write(_response_head(response))
            whole = "content-length" in response.headers or _bodiless(response.status_code)
            async for piece in _pieces(response):
                writer.write(piece if whole else b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
            if not whole:
                writer.write(b"0\r\n\r\n")
            await writer.drain()
        except httpx.TransportError:
            return False  # the upstream fails as the handler says
        except (ConnectionError, ssl.SSLError):
            raise
        except Exception as exc:
            self.failures.append(exc)
            return False
        return True


_OPEN: list[LoopbackUpstream] = []


def serves(address: object) -> bool:
    """Whether ``address`` (a socket address) is where an open loopback upstream listens."""
    return any(address == upstream.address for upstream in _OPEN)


async def close_all() -> None:
    """Close every loopback upstream started since the last call, and raise the first exception
    a handler raised (a failed assertion in a fake upstream fails its test)."""
    opened = list(_OPEN)
    _OPEN.clear()
    for upstream in opened:
        await upstream.close()
    for upstream in opened:
        if upstream.failures:
            raise upstream.failures[0]


def _parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    request_line, *lines = head.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers = []
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    return method, target, headers


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _bodiless(status: int) -> bool:
    return status < 200 or status in (204, 304)


def _response_head(response: httpx.Response) -> bytes:
    try:
        reason = HTTPStatus(response.status_code).phrase
    except ValueError:
        reason = ""
    lines = [f"HTTP/1.1 {response.status_code} {reason}"]
    for name, value in response.headers.multi_items():
        if name.lower() not in ("transfer-encoding", "connection"):
            lines.append(f"{name}: {value}")
    if "content-length" not in response.headers and not _bodiless(response.status_code):
        lines.append("transfer-encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _pieces(response: httpx.Response) -> AsyncIterator[bytes]:
    stream = response.stream
    try:
        if isinstance(stream, httpx.AsyncByteStream):
            async for piece in stream:
                if piece:
                    yield piece
        elif isinstance(stream, httpx.SyncByteStream):
            for piece in stream:
                if piece:
                    yield piece
    finally:
        if isinstance(stream, httpx.AsyncByteStream):
            await stream.aclose()
