"""Azure's additions to OpenAI's stream (pure).

Azure opens a chat stream with a chunk that carries only the prompt's content-filter results
(``choices: []``, ``object: ""``, no usage). It says nothing a caller of an OpenAI-format API
reads, and its empty ``object`` is not a chunk type, so it is dropped. The filter results on later
chunks travel on as extra fields, and ``finish_reason: content_filter`` is kept.
"""

from __future__ import annotations

from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.adapters.outbound.providers.openai.stream import OpenAIChunkDecoder
from switchboard.domain.chat import ChatChunk


def is_prompt_filter_chunk(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and "prompt_filter_results" in payload
        and not payload.get("choices")
        and payload.get("usage") is None
    )


class AzureChunkDecoder:
    """OpenAI's chunk decoder, without Azure's prompt-filter chunk."""

    __slots__ = ("_inner", "_provider")

    def __init__(self, provider: str, deployment: str | None = None) -> None:
        self._inner = OpenAIChunkDecoder(provider, deployment)
        self._provider = provider

    def feed(self, data: str) -> list[ChatChunk]:
        if '"prompt_filter_results"' in data:  # a cheap look first: most chunks have none
            try:
                payload = orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                raise protocol_error(self._provider, "a stream chunk we could not read") from exc
            if is_prompt_filter_chunk(payload):
                return []
        return self._inner.feed(data)

    def finish(self) -> list[ChatChunk]:
        return self._inner.finish()
