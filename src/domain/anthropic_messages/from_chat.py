"""The gateway's chat answers -> Anthropic Messages answers, for a deployment whose provider does
not speak Messages (pure): a whole ``ChatResponse`` -> a ``MessagesResponse``, and usage both
ways.

- content: ``reasoning_content`` -> a ``thinking`` block first (its signature empty: no
  Anthropic model signed it), then the text, then one ``tool_use`` block per tool call (its
  JSON arguments parsed into ``input``).
- ``finish_reason`` -> ``stop_reason`` (``STOP_REASONS``).
- usage: Anthropic counts fresh input, cache reads and cache writes apart, chat counts all of
  them in ``prompt_tokens``; ``messages_usage`` and ``chat_usage`` convert between the two.
"""

from __future__ import annotations

import json
from typing import Any

from switchboard.domain.anthropic_messages.wire import (
    ContentBlock,
    MessagesResponse,
    MessagesUsage,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from switchboard.domain.chat import ChatResponse
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.usage import Usage

STOP_REASONS: dict[str, str] = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}


def stop_reason(finish_reason: str | None) -> str:
    return STOP_REASONS.get(finish_reason or "stop", "end_turn")


def messages_usage(usage: Usage | None) -> MessagesUsage:
    """Anthropic's usage for chat usage: ``input_tokens`` is what was neither read from nor
    written to the cache."""
    if usage is None:
        return MessagesUsage()
    details = usage.prompt_tokens_details
    read = details.cached_tokens if details else None
    written = details.cache_creation_tokens if details else None
    fresh = max(0, usage.prompt_tokens - (read or 0) - (written or 0))
    return MessagesUsage(
        input_tokens=fresh,
        output_tokens=usage.completion_tokens,
        cache_read_input_tokens=read,
        cache_creation_input_tokens=written,
    )


def chat_usage(usage: MessagesUsage | dict[str, Any]) -> Usage:
    """Chat usage for Anthropic's: ``prompt_tokens`` counts every input token the model read."""
    fields = usage.model_dump() if isinstance(usage, MessagesUsage) else usage
    fresh = fields.get("input_tokens") or 0
    read = fields.get("cache_read_input_tokens")
    written = fields.get("cache_creation_input_tokens")
    details = fields.get("output_tokens_details")
    thinking = details.get("thinking_tokens") if isinstance(details, dict) else None
    return Usage.of(
        fresh + (read or 0) + (written or 0),
        fields.get("output_tokens") or 0,
        cached=read,
        cache_creation=written,
        reasoning=thinking,
    )


def tool_input(arguments: str, provider: str | None = None) -> Any:
    """A tool call's JSON arguments as the ``input`` object (empty arguments: ``{}``)."""
    if not arguments.strip():
        return {}
    try:
        return json.loads(arguments)
    except ValueError as exc:
        raise UpstreamProtocolError(
            "The model's tool call arguments are not JSON; they cannot be sent as tool input.", provider=provider
        ) from exc


def message_id(chat_id: str) -> str:
    return chat_id if chat_id.startswith("msg_") else f"msg_{chat_id}"


def messages_response(response: ChatResponse, model: str) -> MessagesResponse:
    """The Messages answer for a chat answer; ``model`` is the name the caller asked for."""
    provider = response.route.provider if response.route else None
    blocks: list[ContentBlock] = []
    choice = response.choices[0] if response.choices else None
    finish = choice.finish_reason if choice else "stop"
    if choice is not None:
        message = choice.message
        if message.reasoning_content:
            blocks.append(ThinkingBlock(thinking=message.reasoning_content, signature=""))
        if message.content:
            blocks.append(TextBlock(text=message.content))
        blocks.extend(
            ToolUseBlock(id=call.id, name=call.function.name, input=tool_input(call.function.arguments, provider))
            for call in message.tool_calls or ()
        )
    return MessagesResponse(
        id=message_id(response.id),
        model=model,
        content=blocks,
        stop_reason=stop_reason(finish),
        usage=messages_usage(response.usage),
    )
