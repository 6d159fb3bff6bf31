"""The provider registry: provider names to the adapters serving each endpoint, as the providers'
declarations (``ProviderInfo``) say."""

from __future__ import annotations

from collections.abc import Iterable

from switchboard.adapters.outbound.providers.info import Adapters, Declarations, ProviderDeps, ProviderInfo, not_offered
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.ports.endpoints import CompletionProvider, ImageProvider, SpeechProvider, TranscriptionProvider
from switchboard.domain.ports.messages import MessagesProvider
from switchboard.domain.ports.providers import ChatProvider, EmbeddingProvider
from switchboard.domain.ports.responses import ResponsesProvider


class ProviderRegistry:
    """Serves the ``ProviderDirectory`` and ``EndpointDirectory`` ports from declarations.

    A provider serves the endpoints its declaration lists, no more; its adapters are built on
    first use (``warm`` builds them now), from ``deps``. An unknown provider name raises
    ``BadRequest``, and so does an endpoint its provider does not serve.
    """

    def __init__(self, declarations: Declarations, deps: ProviderDeps) -> None:
        self._declarations = declarations
        self._deps = deps
        self._built: dict[str, Adapters] = {}
        self._params: dict[tuple[str, str], frozenset[str]] = {}  # deployments' models: a bounded set

    def __contains__(self, name: object) -> bool:
        return name in self._declarations

    def names(self) -> frozenset[str]:
        return frozenset(self._declarations)

    def info(self, provider: str) -> ProviderInfo:
        return self._declarations.info(provider)

    def warm(self, providers: Iterable[str]) -> None:
        """Build these providers' adapters now, so no request pays for their imports."""
        for provider in providers:
            self._adapters(provider)

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        key = (provider, model)
        params = self._params.get(key)
        if params is None:
            params = self._params[key] = self._declarations.chat_params(provider, model)
        return params

    def _adapters(self, provider: str) -> Adapters:
        built = self._built.get(provider)
        if built is None:
            built = self._built[provider] = self.info(provider).adapters(self._deps)
        return built

    def chat(self, provider: str) -> ChatProvider:
        adapter = self._adapters(provider).chat
        if adapter is None:
            raise not_offered(provider, Endpoint.CHAT)
        return adapter

    def embeddings(self, provider: str) -> EmbeddingProvider:
        adapter = self._adapters(provider).embeddings
        if adapter is None:
            raise not_offered(provider, Endpoint.EMBEDDINGS)
        return adapter

    def completions(self, provider: str) -> CompletionProvider | None:
        if Endpoint.COMPLETIONS not in self.info(provider).endpoints:
            return None  # served through chat; nothing to build
        return self._adapters(provider).completions

    def images(self, provider: str) -> ImageProvider:
        adapter = self._adapters(provider).images
        if adapter is None:
            raise not_offered(provider, Endpoint.IMAGES)
        return adapter

    def transcriptions(self, provider: str) -> TranscriptionProvider:
        adapter = self._adapters(provider).transcriptions
        if adapter is None:
            raise not_offered(provider, Endpoint.TRANSCRIPTIONS)
        return adapter

    def speech(self, provider: str) -> SpeechProvider:
        adapter = self._adapters(provider).speech
        if adapter is None:
            raise not_offered(provider, Endpoint.SPEECH)
        return adapter

    def messages(self, provider: str, model: str) -> MessagesProvider | None:
        info = self.info(provider)
        if Endpoint.MESSAGES not in info.endpoints or not info.messages_models(model):
            return None  # served through chat, translated
        return self._adapters(provider).messages

    def responses(self, provider: str) -> ResponsesProvider | None:
        if Endpoint.RESPONSES not in self.info(provider).endpoints:
            return None  # served through chat; nothing to build
        return self._adapters(provider).responses
