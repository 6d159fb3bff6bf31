"""Embeddings in OpenAI's format."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt

from switchboard.domain.caller_text import StoredText
from switchboard.domain.chat import RouteInfo
from switchboard.domain.messages import WireModel

EmbeddingInput = str | list[str] | list[int] | list[list[int]]


class EmbeddingRequest(WireModel):
    model: str = Field(min_length=1)
    input: EmbeddingInput
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: StrictInt | None = Field(default=None, ge=1)
    user: StoredText | None = None

    @property
    def inputs(self) -> list[str] | list[list[int]]:
        """The input as a list of items: strings, or token arrays."""
        value = self.input
        if isinstance(value, str):
            return [value]
        if value and isinstance(value[0], int):
            return [value]
        return value  # type: ignore[return-value]


class Embedding(WireModel):
    object: Literal["embedding"] = "embedding"
    index: int
    embedding: list[float] | str


class EmbeddingUsage(WireModel):
    prompt_tokens: int = 0
    total_tokens: int = 0


class EmbeddingResponse(WireModel):
    object: Literal["list"] = "list"
    data: list[Embedding]
    model: str
    usage: EmbeddingUsage = Field(default_factory=EmbeddingUsage)
    route: RouteInfo | None = Field(default=None, exclude=True)
