"""A transport over ``httpx.AsyncClient``: used by tests (``httpx.MockTransport``) and tools."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx

from switchboard.adapters.outbound.transport.base import ConnectFailed, ConnectionLost, ReadTimedOut, Reply


def _mapped(exc: httpx.TransportError) -> Exception:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return ConnectFailed(str(exc))
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimedOut("no response within the timeout")
    return ConnectionLost(str(exc) or type(exc).__name__)


class HttpxStreamReply:
    __slots__ = ("_response",)

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    async def read(self) -> bytes:
        try:
            return await self._response.aread()
        except httpx.TransportError as exc:
            raise _mapped(exc) from exc

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for data in self._response.aiter_bytes():
                yield data
        except httpx.TransportError as exc:
            raise _mapped(exc) from exc


class HttpxTransport:
    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(timeout=None)

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        try:
            response = await self._client.request(method, url, content=body, headers=headers, timeout=timeout)
        except httpx.TransportError as exc:
            raise _mapped(exc) from exc
        return Reply(response.status_code, response.headers, response.content)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncIterator[HttpxStreamReply]:
        request = self._client.build_request(method, url, content=body, headers=headers, timeout=idle_timeout)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TransportError as exc:
            raise _mapped(exc) from exc
        try:
            yield HttpxStreamReply(response)
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()
