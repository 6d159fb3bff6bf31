"""The Responses door's ports: a provider's native Responses endpoint (``ResponsesProvider``) and
where stored responses live (``ResponseStore``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from switchboard.domain.deployments import Deployment
from switchboard.domain.responses.wire import Item, ResponseObject


@dataclass(frozen=True, slots=True)
class ResponsesCall:
    """One Responses request bound for one deployment: ``body`` is the request as the caller
    sent it, without the gateway's own parameters; the adapter puts the deployment's model in
    it. Timeouts as in ``ChatCall``."""

    body: dict[str, Any]
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None
    idle_timeout: float | None = None


class ResponsesProvider(Protocol):
    """A native ``/responses`` endpoint (OpenAI, Azure OpenAI): the request passes through."""

    async def create_response(self, call: ResponsesCall) -> ResponseObject:
        """Send one request and return the response as the upstream sent it."""
        ...

    def stream_response(self, call: ResponsesCall) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Open the upstream's event stream; each event as the upstream sent it (its ``type``
        and fields). Leaving the context closes the upstream request. Failures before the
        stream is open raise on enter; an upstream ``error`` event or a cut stream raises
        while iterating."""
        ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response kept for ``GET /v1/responses/{id}``, its input items and
    ``previous_response_id``. ``owner`` is the key (its hash) that created it, ``team_id`` its
    team; ``expires_at`` (epoch seconds) when it is forgotten (``None``: never)."""

    id: str
    owner: str
    team_id: str | None
    response: dict[str, Any]
    input_items: list[Item]
    created_at: float
    expires_at: float | None = None

    def live(self, now: float) -> bool:
        """Not yet expired at ``now``."""
        return self.expires_at is None or self.expires_at > now


class ResponseStore(Protocol):
    """Stored responses, each readable only by the key that created it.

    A response that belongs to another key, or has expired, is not found: ``get`` returns
    ``None`` and ``delete`` returns ``False``, exactly as for an id never stored, so a caller
    learns nothing about others' responses.
    """

    async def put(self, stored: StoredResponse) -> None:
        """Keep ``stored``, replacing any response with the same id and owner."""
        ...

    async def get(self, response_id: str, owner: str, now: float) -> StoredResponse | None:
        """The response, if ``owner`` created it and it has not expired by ``now``."""
        ...

    async def delete(self, response_id: str, owner: str) -> bool:
        """Forget the response; ``False`` when ``owner`` has no such response."""
        ...

    async def purge(self, now: float) -> int:
        """Forget every response expired by ``now``; how many were forgotten."""
        ...


class ResponsesDirectory(Protocol):
    """Finds a provider's native Responses endpoint."""

    def responses(self, provider: str) -> ResponsesProvider | None:
        """The native adapter, or ``None`` when the provider has none (the door then
        translates to chat completions)."""
        ...
