"""A transport for adapters built where nothing may be sent: every use fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from switchboard.adapters.outbound.transport import Reply, StreamReply, Transport


class UnusedTransport(Transport):
    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        raise AssertionError(f"nothing may be sent here ({method} {url})")

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncIterator[StreamReply]:
        raise AssertionError(f"nothing may be sent here ({method} {url})")
        yield  # an async generator, as the context manager needs

    async def aclose(self) -> None:
        return None


class CannedTransport(Transport):
    """An upstream that answers every request with ``reply`` and keeps what was asked of it."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.sent: list[tuple[str, str]] = []  # (method, url)
        self.closed = False

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        self.sent.append((method, url))
        return self.reply

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncIterator[StreamReply]:
        raise AssertionError(f"this upstream does not stream ({method} {url})")
        yield  # an async generator, as the context manager needs

    async def aclose(self) -> None:
        self.closed = True
