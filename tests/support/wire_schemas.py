"""Request-body schemas composed from the official SDK types, where the SDK has no single one.

Cohere's SDK builds the ``/v2/chat`` and ``/v2/embed`` bodies from keyword arguments, and
Ollama's ``ChatRequest`` types ``messages`` and ``options`` loosely (``Mapping | Message``), so
these models name each body field with the SDK's own type for it. Unknown top-level fields are
forbidden; ``assert_conforms`` catches unknown nested ones.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import ollama
from cohere.types import ChatMessageV2, EmbeddingType, EmbedInputType, ResponseFormatV2, Thinking, ToolV2
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CohereChatBody(_Strict):
    """``POST /v2/chat`` (the keyword arguments of ``cohere.ClientV2.chat``)."""

    model: str
    messages: list[ChatMessageV2]
    tools: list[ToolV2] | None = None
    strict_tools: bool | None = None
    response_format: ResponseFormatV2 | None = None
    safety_mode: Literal["CONTEXTUAL", "STRICT", "OFF"] | None = None
    max_tokens: int | None = None
    stop_sequences: list[str] | None = None
    temperature: float | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    k: int | None = None
    p: float | None = None
    logprobs: bool | None = None
    tool_choice: Literal["REQUIRED", "NONE"] | None = None
    thinking: Thinking | None = None
    priority: int | None = None
    stream: bool | None = None


class CohereEmbedBody(_Strict):
    """``POST /v2/embed`` (the keyword arguments of ``cohere.ClientV2.embed``)."""

    model: str
    texts: list[str]
    input_type: EmbedInputType
    embedding_types: list[EmbeddingType]
    output_dimension: int | None = None
    max_tokens: int | None = None
    truncate: Literal["NONE", "START", "END"] | None = None
    priority: int | None = None


def _base64_image(value: object) -> ollama.Image:
    """The SDK's ``Image`` of an image on the wire, which must be its base64 text (the SDK's
    ``Image`` also takes a path or bytes, which it encodes)."""
    if not isinstance(value, str):
        raise ValueError(f"an image on the wire is base64 text, not {type(value).__name__}")
    base64.b64decode(value, validate=True)
    return ollama.Image(value=value)


class OllamaMessage(ollama.Message):
    """``ollama.Message`` as it is on the wire: each image is its base64 text."""

    images: Sequence[Annotated[ollama.Image, BeforeValidator(_base64_image)]] | None = None


class OllamaChatBody(_Strict):
    """``POST /api/chat`` with each field as ``ollama.ChatRequest`` means it, strictly typed."""

    model: str
    messages: list[OllamaMessage]
    tools: list[ollama.Tool] | None = None
    stream: bool | None = None
    format: Literal["", "json"] | dict[str, Any] | None = None
    options: ollama.Options | None = None
    keep_alive: float | str | None = None
    think: bool | Literal["low", "medium", "high"] | None = None


class OllamaEmbedBody(_Strict):
    model: str
    input: list[str]
    truncate: bool | None = None
    options: ollama.Options | None = None
    keep_alive: float | str | None = None
    dimensions: int | None = Field(default=None, ge=1)
