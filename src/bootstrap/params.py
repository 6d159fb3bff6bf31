"""``supported_params(model, provider=None)``: which OpenAI parameters a provider accepts for a
model, answered by the provider's own adapter (the same answer the gateway enforces)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cache

from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.adapters.outbound.system import SystemClock, UuidIdSource
from switchboard.adapters.outbound.tokens import TiktokenCounter
from switchboard.adapters.outbound.transport import Reply, StreamReply
from switchboard.bootstrap.providers import ProviderDeps, build_registry, known_providers
from switchboard.domain.deployments import split_model
from switchboard.domain.params import BASE_CHAT_PARAMS


class _NoTransport:
    """Adapters built only to answer questions never send anything."""

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        raise RuntimeError("supported_params adapters do not send requests")

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
        raise RuntimeError("supported_params adapters do not send requests")
        yield  # pragma: no cover

    async def aclose(self) -> None:
        return None


@cache
def _registry() -> ProviderRegistry:
    return build_registry(ProviderDeps(_NoTransport(), SystemClock(), UuidIdSource(), TiktokenCounter(), environ={}))


def supported_params(model: str, provider: str | None = None) -> frozenset[str]:
    """The OpenAI chat parameters ``provider`` (or the one ``model`` names, as in
    ``anthropic/claude-sonnet-4-5``) accepts for ``model``, besides model, messages and stream.

    Raises ``ValueError`` for a model whose provider cannot be told, and ``BadRequest`` for a
    provider without chat completions.
    """
    if provider is None:
        provider, model = split_model(model, known_providers())
    return _registry().chat(provider).supported_params(model) - BASE_CHAT_PARAMS
