"""Google's Gemini API (AI Studio): chat over ``generateContent`` and embeddings.

The pure mapping modules (``request``, ``content``, ``response``, ``stream``, ``errors``,
``embeddings``) and the shared I/O shell (``client.GenerateContentClient``) also serve Vertex AI,
which speaks the same wire format (see ``providers.vertex_ai``).
"""

from switchboard.adapters.outbound.providers.gemini.client import GeminiProvider
from switchboard.adapters.outbound.providers.gemini.request import CHAT_PARAMS
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.domain.endpoints import Endpoint


def chat_params(model: str) -> frozenset[str]:
    """The same for every Gemini model."""
    return CHAT_PARAMS


def _build(deps: ProviderDeps) -> Adapters:
    adapter = GeminiProvider(
        transport=deps.transport, clock=deps.clock, ids=deps.ids, tokens=deps.tokens, environ=deps.environ
    )
    return Adapters(chat=adapter, embeddings=adapter)


PROVIDER = ProviderInfo(
    name="gemini",
    title="Google Gemini API (AI Studio)",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS}),
    chat_params=chat_params,
    build=_build,
    key_env=GeminiProvider.KEY_VARIABLES,
    api_base="https://generativelanguage.googleapis.com",
)

__all__ = ["PROVIDER", "GeminiProvider", "chat_params"]
