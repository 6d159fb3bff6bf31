"""AWS Bedrock: chat through the Converse API (JSON and the binary event stream), embeddings
through InvokeModel (Titan, Cohere), the Anthropic Messages door natively to Claude through
InvokeModel, authenticated with SigV4 or a Bedrock API key."""

from switchboard.adapters.outbound.providers.bedrock import request
from switchboard.adapters.outbound.providers.bedrock.client import BedrockProvider
from switchboard.adapters.outbound.providers.bedrock.messages import speaks_messages
from switchboard.adapters.outbound.providers.bedrock.target import without_route
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo
from switchboard.domain.endpoints import Endpoint


def chat_params(model: str) -> frozenset[str]:
    """What Converse honours for ``model`` (a ``converse/`` route prefix is no part of it)."""
    return request.chat_params(without_route(model))


def _build(deps: ProviderDeps) -> Adapters:
    adapter = BedrockProvider(transport=deps.transport, clock=deps.clock, ids=deps.ids, environ=deps.environ)
    return Adapters(chat=adapter, embeddings=adapter, messages=adapter)


PROVIDER = ProviderInfo(
    name="bedrock",
    title="AWS Bedrock (Converse, InvokeModel)",
    endpoints=frozenset({Endpoint.CHAT, Endpoint.EMBEDDINGS, Endpoint.MESSAGES}),
    chat_params=chat_params,
    messages_models=speaks_messages,
    build=_build,
    key_env=("AWS_ACCESS_KEY_ID", "AWS_BEARER_TOKEN_BEDROCK"),
    api_base="https://bedrock-runtime.{aws_region_name}.amazonaws.com",
)

__all__ = ["PROVIDER", "BedrockProvider", "chat_params"]
