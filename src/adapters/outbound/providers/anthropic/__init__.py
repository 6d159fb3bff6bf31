"""Anthropic's Messages API (``POST /v1/messages``), JSON and streaming: chat translated to it, and
the Anthropic door's requests relayed to it as they came (``send_messages``, ``stream_messages``)."""

from switchboard.adapters.outbound.providers.anthropic.client import API_KEY_ENV, DEFAULT_API_BASE, AnthropicProvider
from switchboard.adapters.outbound.providers.anthropic.request import chat_params
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.domain.endpoints import Endpoint


def _build(deps: ProviderDeps) -> Adapters:
    adapter = AnthropicProvider(transport=deps.transport, clock=deps.clock, environ=deps.environ)
    return Adapters(chat=adapter, messages=adapter)


PROVIDER = ProviderInfo(
    name="anthropic",
    title="Anthropic",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.MESSAGES}),
    chat_params=chat_params,
    build=_build,
    key_env=(API_KEY_ENV,),
    api_base=DEFAULT_API_BASE,
)

__all__ = ["PROVIDER", "AnthropicProvider"]
