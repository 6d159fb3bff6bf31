"""The built-in ``mock`` provider: deterministic answers, offline, with configurable latency,
chunking and failures. Deployment params (``litellm_params``) or request fields set:

- ``mock_response``: the reply text (default: a fixed sentence that quotes the last user message)
- ``mock_latency_ms``: wait before the answer (or the first chunk)
- ``mock_chunk_delay_ms``: wait between stream chunks
- ``mock_chunk_size``: words per stream chunk (default 1)
- ``mock_error``: ``{status, message, retry_after}``, fail every call with that upstream status
- ``mock_dimensions``: embedding size (default 64)
"""

from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.mock.client import MOCK_PARAMS, MockProvider
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.params import OPENAI_CHAT_PARAMS

# Anthropic's Messages and Responses: through chat, so the doors translate
_ENDPOINTS = frozenset(Endpoint) - {Endpoint.MESSAGES, Endpoint.RESPONSES}


def chat_params(model: str) -> frozenset[str]:
    """Every OpenAI chat parameter (accepted and ignored), and the mock's own."""
    return OPENAI_CHAT_PARAMS | MOCK_PARAMS


def _build(deps: ProviderDeps) -> Adapters:
    return Adapters.of(MockProvider(clock=deps.clock, ids=deps.ids, tokens=deps.tokens), _ENDPOINTS)


PROVIDER = ProviderInfo(
    name="mock",
    title="Built-in mock (offline, no key)",
    endpoints=_ENDPOINTS,
    chat_params=chat_params,
    build=_build,
    key_required=False,
    in_process=True,
)

__all__ = ["PROVIDER", "MockProvider"]
