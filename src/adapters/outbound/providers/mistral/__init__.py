"""Mistral's chat completions and embeddings APIs (OpenAI-like, with Mistral's differences)."""

from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.mistral.client import DEFAULT_API_BASE, KEY_VARIABLE, MistralProvider
from switchboard.adapters.outbound.providers.mistral.request import SUPPORTED_PARAMS
from switchboard.domain.endpoints import Endpoint


def chat_params(model: str) -> frozenset[str]:
    """The same for every Mistral model."""
    return SUPPORTED_PARAMS


def _build(deps: ProviderDeps) -> Adapters:
    adapter = MistralProvider(transport=deps.transport, environ=deps.environ)
    return Adapters(chat=adapter, embeddings=adapter)


PROVIDER = ProviderInfo(
    name="mistral",
    title="Mistral AI",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS}),
    chat_params=chat_params,
    build=_build,
    key_env=(KEY_VARIABLE,),
    api_base=DEFAULT_API_BASE,
)

__all__ = ["PROVIDER", "MistralProvider"]
