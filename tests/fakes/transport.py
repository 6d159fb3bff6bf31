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
