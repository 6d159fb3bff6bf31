"""OpenAI wire responses -> canonical values (pure)."""

from __future__ import annotations

from pydantic import ValidationError

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.embeddings import EmbeddingResponse


def chat_response(body: bytes, provider: str) -> ChatResponse:
    try:
        return ChatResponse.model_validate_json(body)
    except ValidationError as exc:
        raise protocol_error(provider, f"a chat response we could not read ({exc.error_count()} errors)") from exc


def chat_chunk(data: str, provider: str) -> ChatChunk:
    try:
        return ChatChunk.model_validate_json(data)
    except ValidationError as exc:
        raise protocol_error(provider, "a stream chunk we could not read") from exc


def embedding_response(body: bytes, provider: str) -> EmbeddingResponse:
    try:
        return EmbeddingResponse.model_validate_json(body)
    except ValidationError as exc:
        raise protocol_error(provider, "an embeddings response we could not read") from exc
