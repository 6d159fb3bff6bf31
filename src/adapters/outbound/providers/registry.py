"""The provider registry: provider names to the adapters that serve them, per endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from domain.errors import BadRequest
from domain.ports.providers import ChatProvider, EmbeddingProvider


class ProviderRegistry:
    """Adapters register under one or more provider names; an adapter serves the endpoints whose
    methods it has (``complete``/``stream`` for chat, ``embed`` for embeddings...)."""

    def __init__(self) -> None:
        self._adapters: dict[str, object] = {}
        self._builders: dict[str, Callable[[], object]] = {}

    def register(self, names: str | Iterable[str], adapter: object) -> None:
        for name in [names] if isinstance(names, str) else names:
            self._adapters[name] = adapter

    def register_lazy(self, name: str, build: Callable[[], object]) -> None:
        """``build`` runs on the first lookup of ``name``: a provider nobody uses costs nothing."""
        self._builders[name] = build

    def names(self) -> frozenset[str]:
        return frozenset(self._adapters) | frozenset(self._builders)

    def __contains__(self, name: object) -> bool:
        return name in self._adapters or name in self._builders

    def adapter(self, provider: str) -> object:
        adapter = self._adapters.get(provider)
        if adapter is None:
            build = self._builders.get(provider)
            if build is None:
                raise BadRequest(f"Unknown provider '{provider}'.", param="model")
            adapter = self._adapters[provider] = build()
        return adapter

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
