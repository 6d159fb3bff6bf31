"""Anthropic Messages responses -> canonical values (pure). The stream decoder shares the
finish-reason table and the usage mapping.

Usage follows OpenAI's counting: ``prompt_tokens`` is every input token the model read, so it is
Anthropic's ``input_tokens`` plus ``cache_read_input_tokens`` plus ``cache_creation_input_tokens``
(Anthropic reports the three apart; their sum is the request's input). ``cached_tokens`` is the
cache read, ``cache_creation_tokens`` the cache write, and ``reasoning_tokens`` Anthropic's
``output_tokens_details.thinking_tokens`` when it reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from pydantic import ValidationError

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

PROVIDER = "anthropic"

FINISH_REASONS: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",  # a server tool paused the turn; the answer so far is complete text
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def finish_reason(stop_reason: str | None, *, response_tool: bool = False) -> FinishReason:
    """OpenAI's finish reason for Anthropic's ``stop_reason``. A forced JSON tool is a plain stop."""
    if stop_reason == "tool_use" and response_tool:
        return "stop"
    return FINISH_REASONS.get(stop_reason or "", "stop")


def usage_of(fields: Mapping[str, Any]) -> Usage:
    """OpenAI usage from Anthropic's ``usage`` object (see the module docstring)."""
    fresh = fields.get("input_tokens") or 0
    read = fields.get("cache_read_input_tokens")
    written = fields.get("cache_creation_input_tokens")
    details = fields.get("output_tokens_details")
    thinking = details.get("thinking_tokens") if isinstance(details, Mapping) else None
    return Usage.of(
        fresh + (read or 0) + (written or 0),
        fields.get("output_tokens") or 0,
        cached=read,
        cache_creation=written,
        reasoning=thinking,
    )


def tool_arguments(value: Any) -> str:
    return orjson.dumps(value).decode()


def _message(blocks: list[Any], response_tool: str | None) -> ResponseMessage:
    texts: list[str] = []
    reasoning: list[str] = []
    thinking_blocks: list[dict[str, Any]] = []
    calls: list[ToolCall] = []
    for block in blocks:
        kind = block["type"]
        if kind == "text":
            texts.append(block["text"])
        elif kind == "tool_use" and block["name"] == response_tool:
            texts.append(tool_arguments(block["input"]))
        elif kind == "tool_use":
            calls.append(
                ToolCall(
                    id=block["id"],
                    function=FunctionCall(name=block["name"], arguments=tool_arguments(block["input"])),
                )
            )
        elif kind == "thinking":
            reasoning.append(block["thinking"])
            thinking_blocks.append({"type": "thinking", "thinking": block["thinking"], "signature": block["signature"]})
        elif kind == "redacted_thinking":
            thinking_blocks.append({"type": "redacted_thinking", "data": block["data"]})
        # server-tool blocks (web search results...) answer tools this adapter never sends
    extra = {"thinking_blocks": thinking_blocks} if thinking_blocks else {}
    return ResponseMessage(
        content="".join(texts) if texts or not calls else None,
        tool_calls=calls or None,
        reasoning_content="".join(reasoning) if reasoning else None,
        **extra,
    )


def chat_response(body: bytes, *, created: int, response_tool: str | None = None) -> ChatResponse:
    """The canonical response for an Anthropic ``Message`` body.

    ``created`` comes from the caller's clock (Anthropic sends no timestamp); ``response_tool``
    names the forced tool that carries a JSON answer, if the request used one.
    """
    try:
        payload = orjson.loads(body)
        message = _message(payload["content"], response_tool)
        return ChatResponse(
            id=payload["id"],
            created=created,
            model=payload["model"],
            choices=[
                Choice(
                    message=message,
                    finish_reason=finish_reason(payload.get("stop_reason"), response_tool=response_tool is not None),
                )
            ],
            usage=usage_of(payload["usage"]),
        )
    except (orjson.JSONDecodeError, ValidationError, KeyError, TypeError, AttributeError) as exc:
        raise protocol_error(PROVIDER, "a message we could not read") from exc
