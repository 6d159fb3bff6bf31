"""The hot-path transport: HTTP/1.1 over pooled keep-alive connections, parsed by httptools.

Measured on the 2-core benchmark machine, sequential POSTs to a local upstream cost 180 µs of
CPU per call through ``aiohttp.ClientSession`` (pyreqwest: 111 µs, httpx: ~700 µs) against about
40 µs for the bytes themselves; at one connection the client was a third of the gateway's CPU.
This module keeps only what an LLM API exchange needs: one request written in one go, the
response read by httptools (the parser uvicorn uses: status, headers, content-length and chunked
bodies), connections kept alive per host and reused most-recent-first, TLS through ``ssl``.

Proxies come from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``, as urllib reads
them), or one is given (``proxy``, then it carries every request): an https upstream through a
``CONNECT`` tunnel, an http one in absolute form; credentials in the proxy URL go as
``Proxy-Authorization: Basic``. What it does not do, on purpose: redirects
(an API that redirects a POST is answered with the 3xx), asking for compressed responses (a gzip
or deflate body sent anyway is decompressed), HTTP/2, proxies reached over TLS.

A pooled connection is reused only when the previous exchange ended cleanly with keep-alive;
one the server closed while idle is seen as closed (EOF) and dropped. A response left before
its end closes its connection, so no half-read body is ever handed to the next request.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import zlib
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, cast
from urllib.parse import unquote, urlsplit

# typeshed does not declare these two undocumented functions (the proxies of the environment alone).
from urllib.request import getproxies_environment, proxy_bypass_environment  # type: ignore[attr-defined]

import httptools

from switchboard.adapters.outbound.transport.base import (
    ConnectFailed,
    ConnectionLost,
    ReadTimedOut,
    Reply,
    TransportError,
)

_ONE_WRITE = 1 << 16  # bodies up to this size are copied behind the head and sent in one write
_PAUSE_AT = 1 << 20  # buffered body bytes at which reading pauses until the consumer catches up
_Key = tuple[str, str, int]  # scheme, host, port
_LOOPBACK = frozenset({"localhost", "::1"})


class Headers(Mapping[str, str]):
    """Response headers; names are case-insensitive, repeated headers are joined with ``, ``."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[str, str] = {}

    def add(self, name: str, value: str) -> None:
        key = name.lower()
        known = self._items.get(key)
        self._items[key] = value if known is None else f"{known}, {value}"

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def get(self, name: str, default: Any = None) -> Any:
        return self._items.get(name.lower(), default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class _Exchange:
    """One response as it arrives: the parser's callbacks fill it, the caller waits on it."""

    __slots__ = (
        "_waiter",
        "buffered",
        "complete",
        "error",
        "has_head",
        "headers",
        "keep_alive",
        "paced",
        "parts",
        "status",
    )

    def __init__(self, paced: bool) -> None:
        self.paced = paced  # a stream's reader takes the parts as they come: reading may wait for it
        self.status = 0
        self.headers = Headers()
        self.parts: deque[bytes] = deque()
        self.buffered = 0
        self.has_head = False
        self.complete = False
        self.keep_alive = False
        self.error: TransportError | None = None
        self._waiter: asyncio.Future[None] | None = None

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def changed(self) -> None:
        """Until the parser or the connection says something new."""
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def fail(self, error: TransportError) -> None:
        if not self.complete and self.error is None:
            self.error = error
            self.wake()


def _ends_at_close(exchange: _Exchange) -> bool:
    """A body with neither a length nor chunks: it runs until the connection closes."""
    headers = exchange.headers
    return "content-length" not in headers and "chunked" not in headers.get("transfer-encoding", "").lower()


class _Connection(asyncio.Protocol):
    """One kept-alive connection and its response parser."""

    def __init__(self, key: _Key, forward: dict[str, str] | None = None) -> None:
        self.key = key
        # Through an http proxy: requests name the whole URL and carry the proxy's headers.
        self.forward = forward
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.paused = False
        self.exchange: _Exchange | None = None
        self._parser: httptools.HttpResponseParser | None = None

    # --- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a stream connection's transport

    def data_received(self, data: bytes) -> None:
        exchange = self.exchange
        if exchange is None or self._parser is None:  # bytes nobody asked for: not reusable
            self.close()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            exchange.fail(ConnectionLost("the upstream switched protocols"))
            self.close()
        except httptools.HttpParserError as exc:
            exchange.fail(ConnectionLost(f"the upstream sent a malformed response ({exc})"))
            self.close()

    def eof_received(self) -> bool:
        exchange = self.exchange
        if exchange is not None and exchange.has_head and not exchange.complete and _ends_at_close(exchange):
            self.on_message_complete()  # a body without length or chunks ends with the connection
        self._lost()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost()

    def _lost(self) -> None:
        self.closed = True
        if self.exchange is not None:
            self.exchange.fail(ConnectionLost("the upstream closed the connection before the response ended"))

    # --- httptools callbacks -------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.exchange is not None
        self.exchange.headers.add(name.decode("latin-1"), value.decode("latin-1"))

    def on_headers_complete(self) -> None:
        exchange, parser = self.exchange, self._parser
        assert exchange is not None and parser is not None
        exchange.status = parser.get_status_code()
        if 100 <= exchange.status < 200:
            return  # an interim answer (100 Continue, 103 Early Hints): the real one follows
        exchange.keep_alive = parser.should_keep_alive()
        exchange.has_head = True
        exchange.wake()

    def on_body(self, body: bytes) -> None:
        exchange = self.exchange
        assert exchange is not None
        exchange.parts.append(body)
        exchange.buffered += len(body)
        if exchange.paced and exchange.buffered > _PAUSE_AT and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        exchange.wake()

    def on_message_complete(self) -> None:
        exchange = self.exchange
        if exchange is not None and not exchange.has_head:  # the end of an interim answer
            exchange.status = 0
            exchange.headers = Headers()
            return
        if exchange is not None and not exchange.complete:
            exchange.complete = True
            exchange.wake()

    # --- use ------------------------------------------------------------------------------

    def begin(self, request: bytes, body: bytes | None, *, paced: bool = False) -> _Exchange:
        """Send one request; its response arrives in the returned exchange (``paced``: read only
        as fast as the caller takes the body)."""
        assert self.transport is not None
        self.exchange = exchange = _Exchange(paced)
        self._parser = httptools.HttpResponseParser(self)
        if body and len(body) > _ONE_WRITE:
            self.transport.writelines((request, body))
        else:  # one write, one packet: the upstream has the whole request at once
            self.transport.write(request + body if body else request)
        return exchange

    def consumed(self, exchange: _Exchange, taken: int) -> None:
        exchange.buffered -= taken
        if self.paused and exchange.buffered <= _PAUSE_AT // 2 and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()

    def reusable(self) -> bool:
        exchange = self.exchange
        return (
            not self.closed
            and exchange is not None
            and exchange.complete
            and exchange.error is None
            and exchange.keep_alive
            and not exchange.parts
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        """Close at once: no TLS close_notify exchange, nothing left for the collector."""
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


class _Handshake(asyncio.Protocol):
    """A proxy's answer to ``CONNECT``: its status line and headers, up to the blank line."""

    def __init__(self) -> None:
        self.answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._received = b""

    def data_received(self, data: bytes) -> None:
        self._received += data
        if b"\r\n\r\n" in self._received and not self.answer.done():
            self.answer.set_result(self._received)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.answer.done():
            self.answer.set_exception(ConnectFailed("the proxy closed the connection"))


@lru_cache(maxsize=1024)
def _target(url: str) -> tuple[_Key, str, str]:
    """(pool key, request target, host header) of ``url``; the path is sent exactly as given."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ConnectFailed(f"not an http(s) URL: {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (scheme, parts.hostname, port), target, parts.netloc.rpartition("@")[2]


def _head(
    method: str,
    target: str,
    host: str,
    headers: Mapping[str, str],
    length: int | None,
    extra: Mapping[str, str] | None = None,
) -> bytes:
    """The request line and headers. ``host`` and ``content-length`` are added unless given (a
    request signature, AWS SigV4 for one, may have covered the caller's own)."""
    lines = [f"{method} {target} HTTP/1.1"]
    given = set()
    for name, value in (headers if not extra else {**headers, **extra}).items():
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            raise ValueError(f"header {name!r} holds a line break")
        lines.append(f"{name}: {value}")
        given.add(name.lower())
    if "host" not in given:
        lines.append(f"host: {host}")
    if length is not None and "content-length" not in given:
        lines.append(f"content-length: {length}")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("utf-8")


class _StreamReply:
    __slots__ = ("_connection", "_exchange", "_idle")

    def __init__(self, connection: _Connection, exchange: _Exchange, idle: float | None) -> None:
        self._connection = connection
        self._exchange = exchange
        self._idle = idle

    @property
    def status(self) -> int:
        return self._exchange.status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._exchange.headers

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks()])

    async def chunks(self) -> AsyncIterator[bytes]:
        exchange, connection = self._exchange, self._connection
        decoder = _decoder(exchange.headers)
        while True:
            if exchange.parts:
                chunk = exchange.parts.popleft()
                connection.consumed(exchange, len(chunk))
                if decoder is not None:
                    chunk = _decoded(decoder, chunk, final=False)
                    if not chunk:
                        continue
                yield chunk
                continue
            if exchange.complete:
                if decoder is not None and (rest := _decoded(decoder, b"", final=True)):
                    yield rest
                return
            if exchange.error is not None:
                raise exchange.error
            try:
                async with asyncio.timeout(self._idle):
                    await exchange.changed()
            except TimeoutError:
                raise ReadTimedOut(f"no bytes from the upstream within {self._idle:g}s") from None


class Http1Transport:
    """Keep-alive HTTP/1.1 connections to every upstream, made inside the running event loop.

    At most ``max_connections`` exchanges are in flight at once (aiohttp's default, 1024); more
    wait for a slot, within their own timeout, so a burst cannot run the process out of file
    descriptors.

    ``proxy`` (an ``http://`` URL) carries every request, a loopback upstream's too; without it,
    ``trust_env`` reads the proxies from the environment, which a loopback upstream and the hosts
    in ``NO_PROXY`` bypass.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        keepalive: float = 30.0,
        idle_per_host: int = 256,
        max_connections: int = 1024,
        ssl_context: ssl.SSLContext | None = None,
        trust_env: bool = True,
        proxy: str | None = None,
    ) -> None:
        self._slots = asyncio.Semaphore(max_connections)
        self._every_request_proxy = proxy
        self._proxies = getproxies_environment() if trust_env and proxy is None else {}
        self._connect_timeout = connect_timeout
        self._keepalive = keepalive
        self._idle_per_host = idle_per_host
        self._ssl = ssl_context
        self._idle: dict[_Key, deque[_Connection]] = {}
        self._busy: set[_Connection] = set()

    @property
    def in_flight(self) -> int:
        """Exchanges begun and not yet released: a stream counts until its context is left."""
        return len(self._busy)

    def _tls(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context()
        return self._ssl

    async def _acquire(self, key: _Key) -> _Connection:
        """A connection to ``key`` and a slot for it; ``_release`` gives both back."""
        await self._slots.acquire()
        try:
            idle = self._idle.get(key)
            now = asyncio.get_running_loop().time()
            while idle:
                connection = idle.pop()  # the most recently used: the least likely to be stale
                if not connection.closed and now - connection.idle_since < self._keepalive:
                    self._busy.add(connection)
                    return connection
                connection.close()
            connection = await self._connect(key)
        except BaseException:
            self._slots.release()
            raise
        self._busy.add(connection)
        return connection

    def _proxy(self, scheme: str, host: str) -> str | None:
        """The proxy for ``host``, if any; a loopback upstream (Ollama, vLLM on this machine) never
        goes through one, unless it is the one ``proxy`` given for every request."""
        if self._every_request_proxy is not None:
            return self._every_request_proxy
        proxy = self._proxies.get(scheme)
        if not proxy or host in _LOOPBACK or host.startswith("127.") or proxy_bypass_environment(host, self._proxies):
            return None
        return proxy

    async def _connect(self, key: _Key) -> _Connection:
        scheme, host, port = key
        proxy = self._proxy(scheme, host)
        try:
            async with asyncio.timeout(self._connect_timeout):
                if proxy is None:
                    return await self._direct(key)
                return await self._through(proxy, key)
        except TimeoutError:
            raise ConnectFailed(f"no connection to {host}:{port} within {self._connect_timeout:g}s") from None
        except (OSError, ssl.SSLError) as exc:
            raise ConnectFailed(f"cannot connect to {host}:{port}: {exc}") from exc

    async def _direct(self, key: _Key) -> _Connection:
        scheme, host, port = key
        loop = asyncio.get_running_loop()
        if scheme != "https":
            _, connection = await loop.create_connection(lambda: _Connection(key), host, port)
            return connection
        # TCP first, then TLS over it: a failed handshake (an untrusted certificate) leaves us the
        # socket to close; ``create_connection(ssl=...)`` on CPython 3.11 leaks it to the collector.
        raw, _ = await loop.create_connection(asyncio.Protocol, host, port)
        connection = _Connection(key)
        try:
            secure = await loop.start_tls(raw, connection, self._tls(), server_hostname=host)
        except BaseException:
            raw.abort()
            raise
        if secure is None:
            raise ConnectFailed(f"no TLS to {host}:{port}")
        connection.connection_made(secure)
        return connection

    async def _through(self, proxy: str, key: _Key) -> _Connection:
        """A connection to ``key`` through ``proxy``: a tunnel for https, forwarding for http."""
        scheme, host, port = key
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parts.scheme != "http" or not parts.hostname:
            raise ConnectFailed(f"unsupported proxy {parts.scheme}://{parts.hostname}: use an http:// proxy")
        auth: dict[str, str] = {}
        if parts.username is not None:
            secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            auth["proxy-authorization"] = "Basic " + base64.b64encode(secret).decode()
        loop = asyncio.get_running_loop()
        if scheme == "http":
            _, connection = await loop.create_connection(
                lambda: _Connection(key, forward=auth), parts.hostname, parts.port or 80
            )
            return connection
        raw, handshake = await loop.create_connection(_Handshake, parts.hostname, parts.port or 80)
        try:
            raw.write(_head("CONNECT", f"{host}:{port}", f"{host}:{port}", auth, None))
            answer = await handshake.answer
            status = answer.split(b" ", 2)[1] if b" " in answer else b""
            if status != b"200":
                raise ConnectFailed(f"the proxy refused a tunnel to {host}:{port} ({status.decode('latin-1')})")
            connection = _Connection(key)
            tunneled = await loop.start_tls(raw, connection, self._tls(), server_hostname=host)
        except BaseException:
            raw.close()
            raise
        if tunneled is None:
            raise ConnectFailed(f"no TLS through the proxy to {host}:{port}")
        connection.connection_made(tunneled)
        return connection

    def _release(self, connection: _Connection) -> None:
        if connection in self._busy:
            self._busy.discard(connection)
            self._slots.release()
        if not connection.reusable():
            connection.close()
            return
        idle = self._idle.setdefault(connection.key, deque())
        now = asyncio.get_running_loop().time()
        while idle and (idle[0].closed or now - idle[0].idle_since >= self._keepalive):
            idle.popleft().close()
        if len(idle) >= self._idle_per_host:
            connection.close()
            return
        connection.exchange = None
        connection.idle_since = now
        idle.append(connection)

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        key, target, host = _target(url)
        length = len(body) if body is not None else _empty_length(method)
        connection: _Connection | None = None
        try:
            async with asyncio.timeout(timeout):
                connection = await self._acquire(key)
                exchange = connection.begin(_request(connection, method, url, target, host, headers, length), body)
                while not exchange.complete:
                    if exchange.error is not None:
                        raise exchange.error
                    await exchange.changed()
            data = b"".join(exchange.parts)
            exchange.parts.clear()
            decoder = _decoder(exchange.headers)
            if decoder is not None:
                data = _decoded(decoder, data, final=True)
            return Reply(exchange.status, exchange.headers, data)
        except TimeoutError:
            raise ReadTimedOut(f"no complete answer from the upstream within {timeout:g}s") from None
        finally:
            if connection is not None:
                self._release(connection)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncIterator[_StreamReply]:
        key, target, host = _target(url)
        length = len(body) if body is not None else _empty_length(method)
        connection = await self._acquire(key)
        try:
            exchange = connection.begin(
                _request(connection, method, url, target, host, headers, length), body, paced=True
            )
            try:
                while not exchange.has_head:
                    if exchange.error is not None:
                        raise exchange.error
                    async with asyncio.timeout(idle_timeout):
                        await exchange.changed()
            except TimeoutError:
                raise ReadTimedOut(f"no answer from the upstream within {idle_timeout:g}s") from None
            yield _StreamReply(connection, exchange, idle_timeout)
        finally:
            self._release(connection)  # closed unless the body was read to its end

    async def aclose(self) -> None:
        """Drop every connection. They are aborted, not closed: a TLS connection closed
        gracefully waits for its peer's close_notify, which the shutting-down loop may never
        see, and its socket would be left to the collector."""
        for idle in self._idle.values():
            while idle:
                idle.pop().abort()
        self._idle.clear()
        for connection in list(self._busy):
            connection.abort()
        self._busy.clear()
        await asyncio.sleep(0)  # let the transports run their close callbacks


def _request(
    connection: _Connection,
    method: str,
    url: str,
    target: str,
    host: str,
    headers: Mapping[str, str],
    length: int | None,
) -> bytes:
    if connection.forward is None:
        return _head(method, target, host, headers, length)
    return _head(method, url, host, headers, length, connection.forward)  # to an http proxy: the whole URL


def _decoder(headers: Headers) -> Any:
    """A decompressor for a gzip or deflate body, which an upstream may send although it was not
    asked (this transport sends no ``accept-encoding``); ``None`` for a plain one."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    return None


def _decoded(decoder: Any, data: bytes, *, final: bool) -> bytes:
    try:
        out: bytes = decoder.decompress(data)
        return out + decoder.flush() if final else out
    except zlib.error as exc:
        raise ConnectionLost(f"the upstream sent a body that does not decompress ({exc})") from exc


def _empty_length(method: str) -> int | None:
    return 0 if method in ("POST", "PUT", "PATCH") else None
