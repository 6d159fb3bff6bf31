"""Compatible providers' answers -> canonical values (pure): the quirks on top of OpenAI's format."""

from __future__ import annotations

from switchboard.domain.chat import ChatChunk, ChatResponse


def move_reasoning(response: ChatResponse, field: str) -> ChatResponse:
    """Reasoning text the API sends as ``field`` (OpenRouter: ``reasoning``) moved to
    ``reasoning_content``, where every other provider puts it. Changes ``response`` in place."""
    for choice in response.choices:
        extra = choice.message.model_extra
        if extra and field in extra:
            text = extra.pop(field)
            if isinstance(text, str) and choice.message.reasoning_content is None:
                choice.message.reasoning_content = text
    return response


def move_chunk_reasoning(chunk: ChatChunk, field: str) -> ChatChunk:
    """As ``move_reasoning``, for one stream chunk's deltas."""
    for choice in chunk.choices:
        extra = choice.delta.model_extra
        if extra and field in extra:
            text = extra.pop(field)
            if isinstance(text, str) and choice.delta.reasoning_content is None:
                choice.delta.reasoning_content = text
    return chunk
