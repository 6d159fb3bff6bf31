"""The port of a provider that speaks Anthropic's Messages API natively: it is sent the caller's
request as it came (``domain.anthropic_messages.native``) and its answer is relayed as bytes.

As everywhere, every failure is a ``domain.errors`` error with ``provider`` set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from switchboard.domain.anthropic_messages.native import MessagesMeter
from switchboard.domain.deployments import Deployment


@dataclass(frozen=True, slots=True)
class MessagesCall:
    """One Messages request bound for one deployment: ``body`` as the deployment gets it
    (model set), ``headers`` the caller's ``anthropic-version`` / ``anthropic-beta`` to forward,
    ``meter`` where the adapter records what the answer says of itself as it relays it.
    Timeouts as in ``ChatCall``."""

    body: Mapping[str, Any]
    deployment: Deployment
    headers: Mapping[str, str] = field(default_factory=dict)
    meter: MessagesMeter = field(default_factory=MessagesMeter)
    request_id: str = ""
    timeout: float | None = None
    idle_timeout: float | None = None


class MessagesProvider(Protocol):
    """Anthropic's Messages API, spoken natively."""

    async def send_messages(self, call: MessagesCall) -> bytes:
        """The whole ``Message`` body as the API answered it (``call.meter`` read from it)."""
        ...

    def stream_messages(self, call: MessagesCall) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """The SSE stream's bytes as they arrive, in Anthropic's framing (``call.meter`` filled in
        as they pass); leaving the context closes the upstream request. Failures before the
        stream is open raise on enter; later ones raise while iterating."""
        ...

    async def count_message_tokens(self, call: MessagesCall) -> int:
        """The prompt's input tokens, as the API's ``count_tokens`` endpoint counts them."""
        ...


class MessagesDirectory(Protocol):
    """Finds the native Messages adapter of a provider."""

    def messages(self, provider: str, model: str) -> MessagesProvider | None:
        """The adapter, or ``None`` when the provider does not speak Messages for ``model`` (the
        deployment's model, as after ``provider/``): it is then served through chat, translated."""
        ...
