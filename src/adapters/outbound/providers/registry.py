"""The provider registry: provider names to the adapters that serve them, per endpoint."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import BadRequest
from domain.ports.providers import ChatProvider, EmbeddingProvider


class ProviderRegistry:
    """Adapters register under one or more provider names; an adapter serves the endpoints whose
    methods it has (``complete``/``stream`` for chat, ``embed`` for embeddings...)."""

    def __init__(self) -> None:
        self._adapters: dict[str, object] = {}

    def register(self, names: str | Iterable[str], adapter: object) -> None:
        for name in [names] if isinstance(names, str) else names:
            self._adapters[name] = adapter

    def names(self) -> frozenset[str]:
        return frozenset(self._adapters)

    def __contains__(self, name: object) -> bool:
        return name in self._adapters

    def adapter(self, provider: str) -> object:
        try:
            return self._adapters[provider]
        except KeyError:
            raise BadRequest(f"Unknown provider '{provider}'.", param="model") from None

    def chat(self, provider: str) -> ChatProvider:
        adapter = self.adapter(provider)
        if not hasattr(adapter, "complete"):
            raise BadRequest(f"Provider '{provider}' does not offer chat completions.", param="model")
        return adapter  # type: ignore[return-value]

    def embeddings(self, provider: str) -> EmbeddingProvider:
        adapter = self.adapter(provider)
        if not hasattr(adapter, "embed"):
            raise BadRequest(f"Provider '{provider}' does not offer embeddings.", param="model")
        return adapter  # type: ignore[return-value]
