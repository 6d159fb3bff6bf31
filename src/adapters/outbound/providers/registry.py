"""The provider registry: provider names to the adapters that serve them, per endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.endpoints import CompletionProvider, ImageProvider, SpeechProvider, TranscriptionProvider
from switchboard.domain.ports.providers import ChatProvider, EmbeddingProvider

# Endpoint -> the method an adapter serving it has.
ENDPOINT_METHODS = {
    "chat": "complete",
    "embeddings": "embed",
    "completions": "complete_text",
    "images": "generate_images",
    "transcriptions": "transcribe",
    "speech": "speak",
}
_WHAT = {
    "chat": "chat completions",
    "embeddings": "embeddings",
    "completions": "text completions",
    "images": "image generation",
    "transcriptions": "audio transcription",
    "speech": "text to speech",
}


def offers(adapter: object, endpoint: str) -> bool:
    """Whether ``adapter`` serves ``endpoint``: it has the method, and, if it says which
    endpoints it offers (``offers(endpoint)``, for adapters configured per provider), it agrees."""
    if not hasattr(adapter, ENDPOINT_METHODS[endpoint]):
        return False
    says: Any = getattr(adapter, "offers", None)
    return bool(says(endpoint)) if callable(says) else True


class ProviderRegistry:
    """Adapters register under one or more provider names; an adapter serves the endpoints whose
    methods it has (``complete``/``stream`` for chat, ``embed`` for embeddings...).

    An adapter may also be registered for one endpoint of a provider (``register_endpoint``);
    it then serves that endpoint ahead of the provider's general adapter, so a provider's audio
    can come from one adapter and its chat from another.
    """

    def __init__(self) -> None:
        self._adapters: dict[str, object] = {}
        self._builders: dict[str, Callable[[], object]] = {}
        self._endpoints: dict[tuple[str, str], object] = {}
        self._serving: dict[tuple[str, str], Any] = {}  # lookups on the hot path, resolved once

    def register(self, names: str | Iterable[str], adapter: object) -> None:
        for name in [names] if isinstance(names, str) else names:
            self._adapters[name] = adapter
        self._serving.clear()

    def register_lazy(self, name: str, build: Callable[[], object]) -> None:
        """``build`` runs on the first lookup of ``name``: a provider nobody uses costs nothing."""
        self._builders[name] = build
        self._serving.clear()

    def register_endpoint(self, name: str, endpoint: str, adapter: object) -> None:
        if endpoint not in ENDPOINT_METHODS:
            raise ValueError(f"unknown endpoint {endpoint!r}")
        self._endpoints[(name, endpoint)] = adapter
        self._serving.clear()

    def names(self) -> frozenset[str]:
        return frozenset(self._adapters) | frozenset(self._builders) | {name for name, _ in self._endpoints}

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def adapter(self, provider: str) -> object:
        adapter = self._adapters.get(provider)
        if adapter is None:
            build = self._builders.get(provider)
            if build is None:
                raise BadRequest(f"Unknown provider '{provider}'.", param="model")
            adapter = self._adapters[provider] = build()
        return adapter

    def serving(self, provider: str, endpoint: str) -> Any:
        """The adapter serving ``endpoint`` for ``provider``, or ``None`` if it offers none.

        An unknown provider raises ``BadRequest``.
        """
        key = (provider, endpoint)
        if key in self._serving:
            return self._serving[key]
        found = self._resolve(provider, endpoint)
        self._serving[key] = found
        return found

    def _resolve(self, provider: str, endpoint: str) -> Any:
        specific = self._endpoints.get((provider, endpoint))
        if specific is not None:
            return specific
        if provider not in self._adapters and provider not in self._builders and provider in self:
            return None  # known only for other endpoints
        adapter = self.adapter(provider)
        return adapter if offers(adapter, endpoint) else None

    def _required(self, provider: str, endpoint: str) -> Any:
        adapter = self.serving(provider, endpoint)
        if adapter is None:
            raise BadRequest(f"Provider '{provider}' does not offer {_WHAT[endpoint]}.", param="model")
        return adapter

    def chat(self, provider: str) -> ChatProvider:
        adapter: ChatProvider = self._required(provider, "chat")
        return adapter

    def embeddings(self, provider: str) -> EmbeddingProvider:
        adapter: EmbeddingProvider = self._required(provider, "embeddings")
        return adapter

    def completions(self, provider: str) -> CompletionProvider | None:
        adapter: CompletionProvider | None = self.serving(provider, "completions")
        return adapter

    def images(self, provider: str) -> ImageProvider:
        adapter: ImageProvider = self._required(provider, "images")
        return adapter

    def transcriptions(self, provider: str) -> TranscriptionProvider:
        adapter: TranscriptionProvider = self._required(provider, "transcriptions")
        return adapter

    def speech(self, provider: str) -> SpeechProvider:
        adapter: SpeechProvider = self._required(provider, "speech")
        return adapter
