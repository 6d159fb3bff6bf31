"""``Upstream``: the one way a provider shell talks HTTP to its API.

Every exchange is a POST to an ``Endpoint``. Transport failures become domain errors
(``transport_failures``), and an error status raises the provider's own error, read from the
whole body by the provider's ``ErrorReader`` with the endpoint's secrets masked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from switchboard.adapters.outbound.providers.failures import transport_failures
from switchboard.adapters.outbound.transport import Reply, StreamReply, Transport
from switchboard.domain.errors import SwitchboardError


@dataclass(slots=True)
class Endpoint:
    """Where one kind of call goes and with which headers; ``secrets`` (the key or token in
    those headers) are masked in error messages. Built once per deployment where possible;
    never changed once built (not frozen only because Bedrock and Vertex build one per call,
    and a frozen dataclass costs three times as much to make)."""

    url: str
    headers: Mapping[str, str]
    secrets: tuple[str, ...] = ()


class ErrorReader(Protocol):
    """A provider's ``error_from_response``: an error answer -> the domain error it means."""

    def __call__(
        self,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        provider: str,
        deployment: str | None = None,
        secrets: Iterable[str] = (),
    ) -> SwitchboardError: ...


class Upstream:
    """One provider's exchanges over ``transport``, its errors read by ``error``."""

    __slots__ = ("_error", "_provider", "_transport")

    def __init__(self, transport: Transport, provider: str, error: ErrorReader) -> None:
        self._transport = transport
        self._provider = provider
        self._error = error

    async def post(self, endpoint: Endpoint, body: bytes, timeout: float | None, deployment: str) -> Reply:
        """The whole answer; an error status raises."""
        async with transport_failures(self._provider, deployment):
            reply = await self._transport.send(
                "POST", endpoint.url, headers=endpoint.headers, body=body, timeout=timeout
            )
        if reply.status >= 400:
            raise self._failure(reply.status, reply.headers, reply.body, endpoint, deployment)
        return reply

    @asynccontextmanager
    async def stream(
        self, endpoint: Endpoint, body: bytes, idle_timeout: float | None, deployment: str
    ) -> AsyncIterator[StreamReply]:
        """The answer as it arrives: an error status raises on enter, and leaving the block
        closes the response whatever happened inside it."""
        async with (
            transport_failures(self._provider, deployment),
            self._transport.stream(
                "POST", endpoint.url, headers=endpoint.headers, body=body, idle_timeout=idle_timeout
            ) as reply,
        ):
            if reply.status >= 400:
                raise self._failure(reply.status, reply.headers, await reply.read(), endpoint, deployment)
            yield reply

    def _failure(
        self, status: int, headers: Mapping[str, str], body: bytes, endpoint: Endpoint, deployment: str
    ) -> SwitchboardError:
        return self._error(
            status, headers, body, provider=self._provider, deployment=deployment, secrets=endpoint.secrets
        )
