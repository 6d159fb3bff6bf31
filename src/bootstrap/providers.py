"""Which adapter serves which provider name. Adding a native provider is one entry here."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from adapters.outbound.providers.anthropic import AnthropicProvider
from adapters.outbound.providers.azure import AzureAIProvider, AzureOpenAIProvider
from adapters.outbound.providers.cohere import CohereProvider
from adapters.outbound.providers.gemini import GeminiProvider
from adapters.outbound.providers.mistral import MistralProvider
from adapters.outbound.providers.mock import MockProvider
from adapters.outbound.providers.ollama import OllamaProvider
from adapters.outbound.providers.openai import ALL_ENDPOINTS, OpenAIProvider
from adapters.outbound.providers.registry import ProviderRegistry
from adapters.outbound.providers.vertex_ai import VertexProvider
from adapters.outbound.transport import Transport
from domain.ports.clock import Clock
from domain.ports.ids import IdSource
from domain.ports.tokens import TokenCounter


@dataclass(frozen=True)
class ProviderDeps:
    """What provider adapters may be built from."""

    transport: Transport
    clock: Clock
    ids: IdSource
    tokens: TokenCounter
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


ProviderFactory = Callable[[ProviderDeps], object]


def provider_factories() -> dict[str, ProviderFactory]:
    """Provider name -> how to build its adapter. Names are what ``provider/model`` strings use."""
    return {
        "anthropic": lambda d: AnthropicProvider(d.transport, d.clock, environ=d.environ),
        "mock": lambda d: MockProvider(d.clock, d.ids, d.tokens),
        "openai": lambda d: OpenAIProvider(d.transport, environ=d.environ, endpoints=ALL_ENDPOINTS),
        "azure": lambda d: AzureOpenAIProvider(d.transport, d.clock, environ=d.environ),
        "azure_ai": lambda d: AzureAIProvider(d.transport, d.clock, environ=d.environ),
        "gemini": lambda d: GeminiProvider(d.transport, d.clock, d.ids, d.tokens, environ=d.environ),
        "vertex_ai": lambda d: VertexProvider(d.transport, d.clock, d.ids, d.tokens, environ=d.environ),
        "cohere": lambda d: CohereProvider(d.transport, d.clock, environ=d.environ),
        "mistral": lambda d: MistralProvider(d.transport, environ=d.environ),
        "ollama": lambda d: OllamaProvider(d.transport, d.clock, d.ids, environ=d.environ),
        # LiteLLM's name for Ollama's chat endpoint; ours always uses /api/chat.
        "ollama_chat": lambda d: OllamaProvider(d.transport, d.clock, d.ids, environ=d.environ),
    }


def endpoint_factories() -> dict[tuple[str, str], ProviderFactory]:
    """(provider name, endpoint) -> an adapter serving just that endpoint of the provider, ahead
    of the provider's general adapter. Groq's chat lives with the OpenAI-compatible providers;
    its Whisper transcriptions are served here."""
    return {
        ("groq", "transcriptions"): lambda d: OpenAIProvider(
            d.transport,
            name="groq",
            default_api_base="https://api.groq.com/openai/v1",
            api_key_env="GROQ_API_KEY",
            environ=d.environ,
            endpoints=frozenset({"transcriptions"}),
        ),
    }


def known_providers() -> frozenset[str]:
    return frozenset(provider_factories()) | {name for name, _ in endpoint_factories()}


def build_registry(deps: ProviderDeps) -> ProviderRegistry:
    registry = ProviderRegistry()
    for name, factory in provider_factories().items():
        registry.register(name, factory(deps))
    for (name, endpoint), factory in endpoint_factories().items():
        registry.register_endpoint(name, endpoint, factory(deps))
    return registry
