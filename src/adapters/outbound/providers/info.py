"""A provider, declared once: ``ProviderInfo`` says what it is (name, title, key variables, API
base), what it serves (``endpoints``), which request parameters its chat API takes
(``chat_params``, a pure function of the model) and how to build its adapters (``build``).

Each native provider's package exports its ``ProviderInfo``; each row of the OpenAI-compatible
table becomes one. The registry, ``supported_params`` and the README's provider table all read
these values, so what a provider can do is written in one place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.endpoints import CompletionProvider, ImageProvider, SpeechProvider, TranscriptionProvider
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.messages import MessagesProvider
from switchboard.domain.ports.providers import ChatProvider, EmbeddingProvider
from switchboard.domain.ports.responses import ResponsesProvider
from switchboard.domain.ports.tokens import TokenCounter


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderDeps:
    """What a provider's adapters are built from."""

    transport: Transport
    clock: Clock
    ids: IdSource
    tokens: TokenCounter
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


class EveryEndpoint(
    ChatProvider, EmbeddingProvider, CompletionProvider, ImageProvider, TranscriptionProvider, SpeechProvider, Protocol
):
    """One adapter with a method for every endpoint (OpenAI's wire format, the mock)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Adapters:
    """What a provider's ``build`` returns: the adapter serving each endpoint it declares, ``None``
    for the others."""

    chat: ChatProvider | None = None
    embeddings: EmbeddingProvider | None = None
    completions: CompletionProvider | None = None
    images: ImageProvider | None = None
    transcriptions: TranscriptionProvider | None = None
    speech: SpeechProvider | None = None
    messages: MessagesProvider | None = None  # Anthropic's Messages API, natively
    responses: ResponsesProvider | None = None  # a native Responses endpoint (else: through chat)

    @classmethod
    def of(cls, adapter: EveryEndpoint, endpoints: Collection[Endpoint]) -> Adapters:
        """``adapter`` serving each of ``endpoints`` and nothing else (``responses``, which
        ``EveryEndpoint`` does not promise, is set apart: ``dataclasses.replace``)."""
        return cls(
            chat=adapter if Endpoint.CHAT in endpoints else None,
            embeddings=adapter if Endpoint.EMBEDDINGS in endpoints else None,
            completions=adapter if Endpoint.COMPLETIONS in endpoints else None,
            images=adapter if Endpoint.IMAGES in endpoints else None,
            transcriptions=adapter if Endpoint.TRANSCRIPTIONS in endpoints else None,
            speech=adapter if Endpoint.SPEECH in endpoints else None,
        )

    def endpoints(self) -> frozenset[Endpoint]:
        served = {
            Endpoint.CHAT: self.chat,
            Endpoint.EMBEDDINGS: self.embeddings,
            Endpoint.COMPLETIONS: self.completions,
            Endpoint.IMAGES: self.images,
            Endpoint.TRANSCRIPTIONS: self.transcriptions,
            Endpoint.SPEECH: self.speech,
            Endpoint.MESSAGES: self.messages,
            Endpoint.RESPONSES: self.responses,
        }
        return frozenset(endpoint for endpoint, adapter in served.items() if adapter is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderInfo:
    """One provider, as ``provider/model`` strings name it.

    - ``endpoints``: what it serves; its ``build`` returns an adapter for exactly these.
    - ``chat_params``: the OpenAI request parameters its chat API takes for a model (besides
      model and messages). Pure: answering it builds nothing.
    - ``messages_models``: with ``Endpoint.MESSAGES``, which of its models speak Anthropic's
      Messages natively (pure, of the model); the others are served through chat, translated.
    - ``build``: its adapters, from the process's shared parts; called once per process.
    - ``key_env``: the variables read for its key when a deployment gives none
      (``key_required=False``: it works without one).
    - ``api_base``: its default API base as the documentation shows it (``None``: a deployment
      must give one, or set ``api_base_env``); ``in_process``: it answers from the gateway's own
      process and has no API base.
    """

    name: str
    title: str
    endpoints: frozenset[Endpoint]
    chat_params: Callable[[str], frozenset[str]]
    build: Callable[[ProviderDeps], Adapters]
    key_env: tuple[str, ...] = ()
    key_required: bool = True
    api_base: str | None = None
    api_base_env: str | None = None
    in_process: bool = False
    messages_models: Callable[[str], bool] = field(default=lambda model: True)  # every model

    def adapters(self, deps: ProviderDeps) -> Adapters:
        """Build the adapters; raises ``TypeError`` when they do not serve what ``endpoints`` says."""
        built = self.build(deps)
        if built.endpoints() != self.endpoints:
            declared, served = sorted(self.endpoints), sorted(built.endpoints())
            raise TypeError(f"provider {self.name!r} declares {declared} but its build serves {served}")
        return built


def _returning(info: ProviderInfo) -> Callable[[], ProviderInfo]:
    return lambda: info


def not_offered(provider: str, endpoint: Endpoint) -> BadRequest:
    return BadRequest(f"Provider '{provider}' does not offer {endpoint.description}.", param="model")


class Declarations(Mapping[str, ProviderInfo]):
    """Provider names to their declarations, each loaded on first use: importing a provider's
    package costs 5-50 ms, and most configurations use two or three of them."""

    def __init__(self, loaders: Mapping[str, Callable[[], ProviderInfo]]) -> None:
        self._loaders = dict(loaders)
        self._loaded: dict[str, ProviderInfo] = {}

    @classmethod
    def of(cls, *infos: ProviderInfo) -> Declarations:
        """Declarations already loaded, in the order given."""
        return cls({info.name: _returning(info) for info in infos})

    def __getitem__(self, name: str) -> ProviderInfo:
        info = self._loaded.get(name)
        if info is None:
            info = self._loaders[name]()
            if info.name != name:
                raise ValueError(f"the declaration listed as {name!r} names provider {info.name!r}")
            self._loaded[name] = info
        return info

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)

    def __contains__(self, name: object) -> bool:
        return name in self._loaders

    def info(self, provider: str) -> ProviderInfo:
        """The declaration of ``provider``; an unknown name raises ``BadRequest``."""
        if provider not in self._loaders:
            raise BadRequest(f"Unknown provider '{provider}'.", param="model")
        return self[provider]

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        """What ``provider``'s chat API takes for ``model``; ``BadRequest`` for an unknown
        provider or one without chat."""
        info = self.info(provider)
        if Endpoint.CHAT not in info.endpoints:
            raise not_offered(provider, Endpoint.CHAT)
        return info.chat_params(model)
