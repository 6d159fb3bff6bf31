"""Azure's additions to OpenAI's stream (pure).

Azure opens a chat stream with a chunk that carries only the prompt's content-filter results
(``choices: []``, ``object: ""``, no usage). It says nothing a caller of an OpenAI-format API
reads, and its empty ``object`` is not a chunk type, so it is dropped. The filter results on later
chunks travel on as extra fields, and ``finish_reason: content_filter`` is kept.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError

from adapters.outbound.providers.failures import protocol_error
from domain.chat import ChatChunk


def chat_chunk(data: str, provider: str) -> ChatChunk | None:
    try:
        payload: Any = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise protocol_error(provider, "a stream chunk we could not read") from exc
    if (
        isinstance(payload, dict)
        and "prompt_filter_results" in payload
        and not payload.get("choices")
        and payload.get("usage") is None
    ):
        return None
    try:
        return ChatChunk.model_validate(payload)
    except ValidationError as exc:
        raise protocol_error(provider, "a stream chunk we could not read") from exc
