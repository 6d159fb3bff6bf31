"""Bedrock Converse responses -> canonical values (pure); shared by the stream decoder.

Usage: Converse's ``inputTokens`` excludes tokens read from or written to the prompt cache, while
OpenAI's ``prompt_tokens`` includes them, so ``prompt_tokens = inputTokens + cacheReadInputTokens
+ cacheWriteInputTokens``, with the cache figures in ``prompt_tokens_details``. Bedrock does not
report reasoning tokens separately (they are part of ``outputTokens``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from adapters.outbound.providers.failures import protocol_error
from domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from domain.messages import FunctionCall, ToolCall
from domain.usage import Usage

FINISH_REASONS: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
    "malformed_model_output": "stop",
    "malformed_tool_use": "tool_calls",
}


def finish_reason(stop_reason: str | None, json_tool: str | None = None) -> FinishReason:
    """OpenAI's word for a Converse ``stopReason``; a forced JSON tool's call is a plain stop."""
    mapped = FINISH_REASONS.get(stop_reason or "", "stop")
    return "stop" if mapped == "tool_calls" and json_tool else mapped


def usage_from_wire(usage: Mapping[str, Any]) -> Usage:
    read = usage.get("cacheReadInputTokens")
    written = usage.get("cacheWriteInputTokens")
    prompt = int(usage.get("inputTokens") or 0) + int(read or 0) + int(written or 0)
    return Usage.of(prompt, int(usage.get("outputTokens") or 0), cached=read, cache_creation=written)


def thinking_block(text: str, signature: str | None) -> dict[str, Any]:
    """A reasoning block in LiteLLM's ``thinking_blocks`` shape (which the request side reads)."""
    block: dict[str, Any] = {"type": "thinking", "thinking": text}
    if signature:
        block["signature"] = signature
    return block


def message_from_blocks(blocks: list[Mapping[str, Any]], json_tool: str | None) -> ResponseMessage:
    texts: list[str] = []
    reasoning: list[str] = []
    thinking: list[dict[str, Any]] = []
    calls: list[ToolCall] = []
    if not isinstance(blocks, list):
        raise TypeError("content is not a list of blocks")
    for block in blocks:
        if not isinstance(block, Mapping):
            raise TypeError("a content block is not an object")
        if "text" in block:
            texts.append(block["text"])
        elif "toolUse" in block:
            use = block["toolUse"]
            arguments = orjson.dumps(use.get("input", {})).decode()
            if json_tool and use["name"] == json_tool:
                texts.append(arguments)
            else:
                calls.append(
                    ToolCall(id=use["toolUseId"], function=FunctionCall(name=use["name"], arguments=arguments))
                )
        elif "reasoningContent" in block:
            content = block["reasoningContent"]
            if "reasoningText" in content:
                text = content["reasoningText"].get("text", "")
                reasoning.append(text)
                thinking.append(thinking_block(text, content["reasoningText"].get("signature")))
            elif "redactedContent" in content:
                thinking.append({"type": "redacted_thinking", "data": content["redactedContent"]})
        elif "citationsContent" in block:
            texts.extend(part.get("text", "") for part in block["citationsContent"].get("content", ()))
    extra = {"thinking_blocks": thinking} if thinking else {}  # an extra field, LiteLLM's name
    return ResponseMessage(
        content="".join(texts) if texts or not calls else None,
        tool_calls=calls or None,
        reasoning_content="".join(reasoning) if reasoning else None,
        **extra,
    )


def chat_response(
    body: bytes,
    *,
    response_id: str,
    created: int,
    model: str,
    json_tool: str | None,
    provider: str = "bedrock",
) -> ChatResponse:
    try:
        payload = orjson.loads(body)
        message = message_from_blocks(payload["output"]["message"]["content"], json_tool)
        usage = usage_from_wire(payload["usage"])
        stop_reason = payload.get("stopReason")
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(provider, "a Converse response we could not read") from exc
    return ChatResponse(
        id=response_id,
        created=created,
        model=model,
        choices=[Choice(index=0, message=message, finish_reason=finish_reason(stop_reason, json_tool))],
        usage=usage,
    )
