"""CompatibleProvider: OpenAIProvider pointed at another API, shaped by that API's profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from switchboard.adapters.outbound.providers.access import extra_headers
from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile
from switchboard.adapters.outbound.providers.compatible.request import (
    adapt_chat_body,
    api_base,
    api_key,
    profile_headers,
)
from switchboard.adapters.outbound.providers.compatible.response import move_chunk_reasoning, move_reasoning
from switchboard.adapters.outbound.providers.openai.client import ChunkDecoder, OpenAIProvider, Target
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.providers import EmbeddingCall


class CompatibleProvider(OpenAIProvider):
    """One OpenAI-compatible API, described by a ``ProviderProfile`` (a row of the table).

    Everything but the differences the profile names is OpenAI's: the wire format, streaming,
    error mapping. What the API serves and which parameters it takes is the row's declaration
    (``compatible.rows``).
    """

    def __init__(
        self,
        transport: Transport,
        profile: ProviderProfile,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            transport,
            name=profile.name,
            default_api_base=profile.api_base or "",
            api_key_env=None,
            key_required=profile.key_required,
            environ=environ,
        )
        self.profile = profile

    def _build_target(self, deployment: Deployment) -> Target:
        profile, environ = self.profile, self._environ
        base = api_base(profile, deployment, environ)
        key = api_key(profile, deployment, environ)
        headers = {"content-type": "application/json"}
        if key:
            headers["authorization"] = f"Bearer {key}"
        headers.update(profile_headers(profile, deployment, environ))
        headers.update(extra_headers(deployment))
        return Target(base, headers, key)

    def _chat_body(self, request: ChatRequest, deployment: Deployment, *, stream: bool) -> dict[str, Any]:
        body = super()._chat_body(request, deployment, stream=stream)
        return adapt_chat_body(body, self.profile, stream=stream, defaults=deployment.params)

    def _chat_response(self, body: bytes, deployment: Deployment) -> ChatResponse:
        response = super()._chat_response(body, deployment)
        field = self.profile.reasoning_field
        return move_reasoning(response, field) if field else response

    def _chunk_decoder(self, deployment: Deployment) -> ChunkDecoder:
        decoder = super()._chunk_decoder(deployment)
        field = self.profile.reasoning_field
        return _ReasoningMover(decoder, field) if field else decoder

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        if Endpoint.EMBEDDINGS not in self.profile.endpoints:
            raise BadRequest(f"Provider '{self.name}' does not offer embeddings.", param="model")
        return await super().embed(call)


class _ReasoningMover:
    """Moves a provider's own reasoning field to ``reasoning_content`` in every chunk."""

    __slots__ = ("_decoder", "_field")

    def __init__(self, decoder: ChunkDecoder, field: str) -> None:
        self._decoder = decoder
        self._field = field

    def feed(self, data: str) -> list[ChatChunk]:
        return [move_chunk_reasoning(chunk, self._field) for chunk in self._decoder.feed(data)]

    def finish(self) -> list[ChatChunk]:
        return [move_chunk_reasoning(chunk, self._field) for chunk in self._decoder.finish()]
