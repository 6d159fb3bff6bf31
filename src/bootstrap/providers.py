"""Which adapter serves which provider name.

A native provider is one entry in ``_native_providers``; an OpenAI-compatible one is a row of
the compatible adapter's table (``profiles.json``), and gets its entry from there.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from switchboard.adapters.outbound.providers.compatible import CompatibleProvider, ProviderProfile, load_profiles
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.tokens import TokenCounter


def _adapter(package: str, name: str) -> Any:
    """A native adapter class, imported on first use: each costs 5-50 ms to import, and most
    configurations use two or three of the twenty-odd packages."""
    return getattr(importlib.import_module(f"switchboard.adapters.outbound.providers.{package}"), name)


@dataclass(frozen=True)
class ProviderDeps:
    """What provider adapters may be built from."""

    transport: Transport
    clock: Clock
    ids: IdSource
    tokens: TokenCounter
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


ProviderFactory = Callable[[ProviderDeps], object]


@dataclass(frozen=True)
class ProviderSpec:
    """How to build one provider's adapter, and what the README says of it."""

    factory: ProviderFactory
    title: str
    endpoints: tuple[str, ...]
    key_env: tuple[str, ...] = ()
    api_base: str | None = None
    kind: str = "native"
    key_required: bool = True
    api_base_env: str | None = None


def _native_providers() -> dict[str, ProviderSpec]:
    return {
        "anthropic": ProviderSpec(
            lambda d: _adapter("anthropic", "AnthropicProvider")(d.transport, d.clock, environ=d.environ),
            "Anthropic",
            ("chat",),
            ("ANTHROPIC_API_KEY",),
            "https://api.anthropic.com",
        ),
        "mock": ProviderSpec(
            lambda d: _adapter("mock", "MockProvider")(d.clock, d.ids, d.tokens),
            "Built-in mock (offline, no key)",
            ("chat", "embeddings", "completions", "images", "transcriptions", "speech"),
            key_required=False,
        ),
        "openai": ProviderSpec(
            lambda d: _adapter("openai", "OpenAIProvider")(
                d.transport, environ=d.environ, endpoints=_adapter("openai", "ALL_ENDPOINTS")
            ),
            "OpenAI",
            ("chat", "embeddings", "completions", "images", "transcriptions", "speech"),
            ("OPENAI_API_KEY",),
            "https://api.openai.com/v1",
        ),
        "gemini": ProviderSpec(
            lambda d: _adapter("gemini", "GeminiProvider")(d.transport, d.clock, d.ids, d.tokens, environ=d.environ),
            "Google Gemini API (AI Studio)",
            ("chat", "embeddings"),
            ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            "https://generativelanguage.googleapis.com",
        ),
        "vertex_ai": ProviderSpec(
            lambda d: _adapter("vertex_ai", "VertexProvider")(d.transport, d.clock, d.ids, d.tokens, environ=d.environ),
            "Google Vertex AI",
            ("chat", "embeddings"),
            ("GOOGLE_APPLICATION_CREDENTIALS",),
            "https://{vertex_location}-aiplatform.googleapis.com",
        ),
        "cohere": ProviderSpec(
            lambda d: _adapter("cohere", "CohereProvider")(d.transport, d.clock, environ=d.environ),
            "Cohere (v2)",
            ("chat", "embeddings"),
            ("COHERE_API_KEY", "CO_API_KEY"),
            "https://api.cohere.com",
        ),
        "mistral": ProviderSpec(
            lambda d: _adapter("mistral", "MistralProvider")(d.transport, environ=d.environ),
            "Mistral AI",
            ("chat", "embeddings"),
            ("MISTRAL_API_KEY",),
            "https://api.mistral.ai/v1",
        ),
        "ollama": ProviderSpec(
            lambda d: _adapter("ollama", "OllamaProvider")(d.transport, d.clock, d.ids, environ=d.environ),
            "Ollama (native /api/chat)",
            ("chat", "embeddings"),
            ("OLLAMA_API_KEY",),
            "http://localhost:11434",
            key_required=False,
        ),
        "bedrock": ProviderSpec(
            lambda d: _adapter("bedrock", "BedrockProvider")(d.transport, d.clock, d.ids, environ=d.environ),
            "AWS Bedrock (Converse, InvokeModel embeddings)",
            ("chat", "embeddings"),
            ("AWS_ACCESS_KEY_ID", "AWS_BEARER_TOKEN_BEDROCK"),
            "https://bedrock-runtime.{aws_region_name}.amazonaws.com",
        ),
        "azure": ProviderSpec(
            lambda d: _adapter("azure", "AzureOpenAIProvider")(d.transport, d.clock, environ=d.environ),
            "Azure OpenAI",
            ("chat", "embeddings", "completions", "images", "transcriptions", "speech"),
            ("AZURE_API_KEY", "AZURE_AD_TOKEN"),
            "api_base (https://{resource}.openai.azure.com)",
        ),
        "azure_ai": ProviderSpec(
            lambda d: _adapter("azure", "AzureAIProvider")(d.transport, d.clock, environ=d.environ),
            "Azure AI Foundry (model inference)",
            ("chat", "embeddings"),
            ("AZURE_AI_API_KEY",),
            "api_base (https://{resource}.services.ai.azure.com/models)",
        ),
        # LiteLLM's name for Ollama's chat endpoint; ours always uses /api/chat.
        "ollama_chat": ProviderSpec(
            lambda d: _adapter("ollama", "OllamaProvider")(d.transport, d.clock, d.ids, environ=d.environ),
            "Ollama (LiteLLM's ollama_chat name)",
            ("chat", "embeddings"),
            ("OLLAMA_API_KEY",),
            "http://localhost:11434",
            key_required=False,
        ),
    }


def _compatible_spec(profile: ProviderProfile) -> ProviderSpec:
    return ProviderSpec(
        lambda d: CompatibleProvider(d.transport, profile, environ=d.environ),
        profile.title,
        ("chat", "embeddings") if profile.embeddings else ("chat",),
        profile.key_env,
        profile.api_base,
        "openai-compatible",
        profile.key_required,
        profile.api_base_env,
    )


def provider_specs() -> dict[str, ProviderSpec]:
    """Every provider name, natives first, then the OpenAI-compatible table in its order."""
    specs = _native_providers()
    for name, profile in load_profiles().items():
        if name in specs:
            raise ValueError(f"provider {name!r} is both native and in the compatible table")
        specs[name] = _compatible_spec(profile)
    return specs


def provider_factories() -> dict[str, ProviderFactory]:
    """Provider name -> how to build its adapter. Names are what ``provider/model`` strings use."""
    return {name: spec.factory for name, spec in provider_specs().items()}


def endpoint_factories() -> dict[tuple[str, str], ProviderFactory]:
    """(provider name, endpoint) -> an adapter serving just that endpoint of the provider, ahead
    of the provider's general adapter. Groq's chat is a row of the OpenAI-compatible table; its
    Whisper transcriptions are served here."""
    return {
        ("groq", "transcriptions"): lambda d: _adapter("openai", "OpenAIProvider")(
            d.transport,
            name="groq",
            default_api_base="https://api.groq.com/openai/v1",
            api_key_env="GROQ_API_KEY",
            environ=d.environ,
            endpoints=frozenset({"transcriptions"}),
        ),
    }


def known_providers() -> frozenset[str]:
    return frozenset(provider_specs()) | {name for name, _ in endpoint_factories()}


def build_registry(deps: ProviderDeps, warm: Sequence[str] = ()) -> ProviderRegistry:
    """Every provider, built on first use; the ``warm`` ones (those the configuration uses) now,
    so the first request does not pay for imports."""
    registry = ProviderRegistry()
    for name, factory in provider_factories().items():
        registry.register_lazy(name, lambda factory=factory: factory(deps))  # type: ignore[misc]
    for (name, endpoint), factory in endpoint_factories().items():
        registry.register_endpoint(name, endpoint, factory(deps))
    for name in warm:
        if name in registry:
            registry.adapter(name)
    return registry
