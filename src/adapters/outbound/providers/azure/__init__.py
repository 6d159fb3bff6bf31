"""Azure OpenAI (deployment URLs and the v1 API, API keys and Entra ID) and Azure AI Foundry's
OpenAI-style model inference, both over OpenAI's wire format."""

from dataclasses import replace

from switchboard.adapters.outbound.providers.azure.client import (
    AZURE_AI_CHAT_PARAMS,
    AzureAIProvider,
    AzureOpenAIProvider,
)
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.openai.request import chat_params
from switchboard.domain.endpoints import Endpoint

_OPENAI_ENDPOINTS = frozenset(Endpoint) - {Endpoint.MESSAGES}  # Anthropic's Messages: translated to chat
_AI_ENDPOINTS = frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS})


def ai_chat_params(model: str) -> frozenset[str]:
    """What Foundry's model inference documents, the same for every model."""
    return AZURE_AI_CHAT_PARAMS


def _build_openai(deps: ProviderDeps) -> Adapters:
    adapter = AzureOpenAIProvider(transport=deps.transport, clock=deps.clock, environ=deps.environ)
    return replace(Adapters.of(adapter, _OPENAI_ENDPOINTS), responses=adapter)


def _build_ai(deps: ProviderDeps) -> Adapters:
    adapter = AzureAIProvider(transport=deps.transport, clock=deps.clock, environ=deps.environ)
    return Adapters.of(adapter, _AI_ENDPOINTS)


PROVIDER = ProviderInfo(
    name="azure",
    title="Azure OpenAI",
    endpoints=_OPENAI_ENDPOINTS,
    chat_params=chat_params,
    build=_build_openai,
    key_env=(AzureOpenAIProvider.key_env, "AZURE_AD_TOKEN"),
    api_base="api_base (https://{resource}.openai.azure.com)",
)
AZURE_AI = ProviderInfo(
    name="azure_ai",
    title="Azure AI Foundry (model inference)",
    endpoints=_AI_ENDPOINTS,
    chat_params=ai_chat_params,
    build=_build_ai,
    key_env=(AzureAIProvider.key_env,),
    api_base="api_base (https://{resource}.services.ai.azure.com/models)",
)

__all__ = ["AZURE_AI", "PROVIDER", "AzureAIProvider", "AzureOpenAIProvider"]
