"""Embedding vectors as OpenAI returns them: float lists, or base64 of little-endian float32."""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterable, Sequence

from switchboard.domain.embeddings import Embedding, EmbeddingResponse, EmbeddingUsage


def encode_vector(vector: Sequence[float], encoding_format: str | None) -> list[float] | str:
    """``vector`` as the caller asked: a list of floats, or (``"base64"``) the base64 of its
    float32 values in little-endian order, which is what OpenAI's ``encoding_format`` means."""
    if encoding_format == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    return list(vector)


def embedding_items(vectors: Iterable[Sequence[float]], encoding_format: str | None) -> list[Embedding]:
    """OpenAI's ``data`` items for ``vectors``, indexed in order and encoded as the caller asked."""
    return [
        Embedding(index=index, embedding=encode_vector(vector, encoding_format)) for index, vector in enumerate(vectors)
    ]


def to_embedding_response(
    vectors: Iterable[Sequence[float]], model: str, prompt_tokens: int, encoding_format: str | None
) -> EmbeddingResponse:
    """OpenAI's embeddings answer for ``vectors``; an embedding call's tokens are all prompt."""
    return EmbeddingResponse(
        data=embedding_items(vectors, encoding_format),
        model=model,
        usage=EmbeddingUsage(prompt_tokens=prompt_tokens, total_tokens=prompt_tokens),
    )
