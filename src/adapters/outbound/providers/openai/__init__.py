"""OpenAI's APIs (chat, embeddings, completions, images, audio), and the base of every
OpenAI-compatible API."""

from dataclasses import replace

from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.openai.client import OpenAIProvider
from switchboard.adapters.outbound.providers.openai.request import chat_params
from switchboard.domain.endpoints import Endpoint

_ENDPOINTS = frozenset(Endpoint) - {Endpoint.MESSAGES}  # Anthropic's Messages: translated to chat


def _build(deps: ProviderDeps) -> Adapters:
    adapter = OpenAIProvider(transport=deps.transport, environ=deps.environ)
    return replace(Adapters.of(adapter, _ENDPOINTS), responses=adapter)


PROVIDER = ProviderInfo(
    name="openai",
    title="OpenAI",
    endpoints=_ENDPOINTS,
    chat_params=chat_params,
    build=_build,
    key_env=("OPENAI_API_KEY",),
    api_base="https://api.openai.com/v1",
)

__all__ = ["PROVIDER", "OpenAIProvider"]
