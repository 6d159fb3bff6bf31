"""Gemini models on Google Cloud Vertex AI.

The wire format is the Gemini API's, so the mapping comes from ``providers.gemini``; this package
adds what differs: Google credentials traded for OAuth access tokens (``credentials``,
``tokens``), Vertex URLs (``urls``) and ``predict`` embeddings (``client``). Claude, a partner
model there, gets the Anthropic Messages door's requests natively (``claude``).
"""

from switchboard.adapters.outbound.providers.gemini import chat_params
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.vertex_ai.claude import speaks_messages
from switchboard.adapters.outbound.providers.vertex_ai.client import VertexProvider
from switchboard.domain.endpoints import Endpoint


def _build(deps: ProviderDeps) -> Adapters:
    adapter = VertexProvider(
        transport=deps.transport, clock=deps.clock, ids=deps.ids, tokens=deps.tokens, environ=deps.environ
    )
    return Adapters(chat=adapter, embeddings=adapter, messages=adapter)


PROVIDER = ProviderInfo(
    name="vertex_ai",
    title="Google Vertex AI",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS, Endpoint.MESSAGES}),
    chat_params=chat_params,
    messages_models=speaks_messages,
    build=_build,
    key_env=("GOOGLE_APPLICATION_CREDENTIALS",),
    api_base="https://{vertex_location}-aiplatform.googleapis.com",
)

__all__ = ["PROVIDER", "VertexProvider"]
