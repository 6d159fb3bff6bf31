"""MistralProvider: OpenAI's I/O shell with Mistral's wire mapping swapped in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from switchboard.adapters.outbound.providers.mistral.errors import error_from_response
from switchboard.adapters.outbound.providers.mistral.request import chat_body, embedding_body
from switchboard.adapters.outbound.providers.mistral.response import chat_response, embedding_response
from switchboard.adapters.outbound.providers.mistral.stream import MistralChunkDecoder
from switchboard.adapters.outbound.providers.openai import OpenAIProvider
from switchboard.adapters.outbound.providers.openai.client import ChunkDecoder
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatRequest, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse

DEFAULT_API_BASE = "https://api.mistral.ai/v1"
KEY_VARIABLE = "MISTRAL_API_KEY"


class MistralProvider(OpenAIProvider):
    """Chat (JSON and SSE) and embeddings over Mistral's API.

    The HTTP exchange (paths, bearer key, SSE with ``data: [DONE]``) is OpenAI's; the bodies,
    answers, stream chunks and errors go through the Mistral mapping.
    """

    def __init__(self, transport: Transport, *, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(
            transport,
            name="mistral",
            default_api_base=DEFAULT_API_BASE,
            api_key_env=KEY_VARIABLE,
            environ=environ,
            errors=error_from_response,
        )

    def _chat_body(self, request: ChatRequest, deployment: Deployment, *, stream: bool) -> dict[str, Any]:
        return chat_body(request, deployment.model, stream=stream, defaults=deployment.params)

    def _chat_response(self, body: bytes, deployment: Deployment) -> ChatResponse:
        return chat_response(body, deployment.id)

    def _chunk_decoder(self, deployment: Deployment) -> ChunkDecoder:
        return MistralChunkDecoder(deployment.id)

    def _embedding_body(self, request: EmbeddingRequest, deployment: Deployment) -> dict[str, Any]:
        return embedding_body(request, deployment.model, deployment.params)

    def _embedding_response(self, body: bytes, request: EmbeddingRequest) -> EmbeddingResponse:
        return embedding_response(body, request.encoding_format)
