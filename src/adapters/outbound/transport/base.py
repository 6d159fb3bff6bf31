"""The transport interface and its error tree.

TransportError
├── ConnectFailed     the connection could not be made (refused, DNS, TLS)
├── ReadTimedOut      no bytes within the timeout
└── ConnectionLost    the connection closed or the body was cut short
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol


class TransportError(Exception):
    """The request did not complete at the HTTP level."""


class ConnectFailed(TransportError):
    pass


class ReadTimedOut(TransportError):
    pass


class ConnectionLost(TransportError):
    pass


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole response. ``headers`` is case-insensitive."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class StreamReply(Protocol):
    """A response whose body is still arriving."""

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    async def read(self) -> bytes:
        """The rest of the body (for error bodies)."""
        ...

    def chunks(self) -> AsyncIterator[bytes]:
        """Body bytes as they arrive; raises ``TransportError`` if the connection fails."""
        ...


class Transport(Protocol):
    """Sends HTTP requests over pooled connections."""

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """One request, whole body read. ``timeout`` bounds the whole exchange.

        ``url`` must be percent-encoded already; it is sent exactly as given, never re-quoted.
        """
        ...

    def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AbstractAsyncContextManager[StreamReply]:
        """A request whose body is read as it arrives; leaving the context closes it.

        ``idle_timeout`` bounds each wait for more bytes. A connection left before the body's
        end is closed, never returned to the pool.
        """
        ...

    async def aclose(self) -> None:
        """Close every pooled connection."""
        ...
