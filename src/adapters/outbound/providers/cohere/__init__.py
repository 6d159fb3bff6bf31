"""Cohere's v2 Chat and Embed APIs."""

from switchboard.adapters.outbound.providers.cohere.client import DEFAULT_API_BASE, KEY_VARIABLES, CohereProvider
from switchboard.adapters.outbound.providers.cohere.request import SUPPORTED_PARAMS
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.domain.endpoints import Endpoint


def chat_params(model: str) -> frozenset[str]:
    """The same for every Cohere model."""
    return SUPPORTED_PARAMS


def _build(deps: ProviderDeps) -> Adapters:
    adapter = CohereProvider(transport=deps.transport, clock=deps.clock, environ=deps.environ)
    return Adapters(chat=adapter, embeddings=adapter)


PROVIDER = ProviderInfo(
    name="cohere",
    title="Cohere (v2)",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS}),
    chat_params=chat_params,
    build=_build,
    key_env=KEY_VARIABLES,
    api_base=DEFAULT_API_BASE,
)

__all__ = ["PROVIDER", "CohereProvider"]
