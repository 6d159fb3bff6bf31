"""Ollama's native chat and embed APIs (``/api/chat``, ``/api/embed``)."""

from dataclasses import replace

from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.ollama.client import DEFAULT_API_BASE, KEY_VARIABLE, OllamaProvider
from switchboard.adapters.outbound.providers.ollama.request import SUPPORTED_PARAMS
from switchboard.domain.endpoints import Endpoint


def chat_params(model: str) -> frozenset[str]:
    """The same for every model Ollama serves."""
    return SUPPORTED_PARAMS


def _build(deps: ProviderDeps) -> Adapters:
    adapter = OllamaProvider(transport=deps.transport, clock=deps.clock, ids=deps.ids, environ=deps.environ)
    return Adapters(chat=adapter, embeddings=adapter)


PROVIDER = ProviderInfo(
    name="ollama",
    title="Ollama (native /api/chat)",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS}),
    chat_params=chat_params,
    build=_build,
    key_env=(KEY_VARIABLE,),
    key_required=False,
    api_base=DEFAULT_API_BASE,
)
# LiteLLM's name for Ollama's chat endpoint; ours always uses /api/chat.
OLLAMA_CHAT = replace(PROVIDER, name="ollama_chat", title="Ollama (LiteLLM's ollama_chat name)")

__all__ = ["OLLAMA_CHAT", "PROVIDER", "OllamaProvider"]
