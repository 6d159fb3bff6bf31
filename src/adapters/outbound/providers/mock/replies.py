"""Pure parts of the mock provider: what it answers, and how it splits an answer into chunks."""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Mapping
from typing import Any

from switchboard.domain.chat import ChatRequest
from switchboard.domain.messages import UserMessage, text_of

DEFAULT_DIMENSIONS = 64


def reply_text(request: ChatRequest, params: Mapping[str, Any]) -> str:
    """The request's ``mock_response``, else the deployment's, else a sentence quoting the prompt."""
    extra = request.model_extra or {}
    chosen = extra.get("mock_response", params.get("mock_response"))
    if chosen is not None:
        return str(chosen)
    last_user = next((m for m in reversed(request.messages) if isinstance(m, UserMessage)), None)
    quoted = text_of(last_user.content)[:200] if last_user else ""
    return f"This is a mock response from Switchboard. You said: {quoted}"


def split_words(text: str, words_per_chunk: int) -> list[str]:
    """``text`` in pieces of ``words_per_chunk`` words that join back to exactly ``text``."""
    if not text:
        return []
    pieces: list[str] = []
    words = text.split(" ")
    size = max(words_per_chunk, 1)
    for start in range(0, len(words), size):
        piece = " ".join(words[start : start + size])
        pieces.append(piece if start + size >= len(words) else piece + " ")
    return pieces


def embedding_vector(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector derived from ``text``: equal texts, equal vectors."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend(v / 2**31 - 1.0 for v in struct.unpack(">8I", digest))
        counter += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 6) for v in values]
