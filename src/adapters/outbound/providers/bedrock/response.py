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

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.chat import ChatResponse, FinishReason

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


def usage_from_wire(usage: Mapping[str, Any]) -> dict[str, Any]:
    """OpenAI's usage object (as a dict) for Converse's ``usage``; details only where known."""
    read = usage.get("cacheReadInputTokens")
    written = usage.get("cacheWriteInputTokens")
    prompt = int(usage.get("inputTokens") or 0) + int(read or 0) + int(written or 0)
    completion = int(usage.get("outputTokens") or 0)
    out: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if read is not None or written is not None:
        out["prompt_tokens_details"] = {"cached_tokens": read, "cache_creation_tokens": written}
    return out


def thinking_block(text: str, signature: str | None) -> dict[str, Any]:
    """A reasoning block in LiteLLM's ``thinking_blocks`` shape (which the request side reads)."""
    block: dict[str, Any] = {"type": "thinking", "thinking": text}
    if signature:
        block["signature"] = signature
    return block


def message_from_blocks(blocks: list[Mapping[str, Any]], json_tool: str | None) -> dict[str, Any]:
    """The OpenAI assistant message (as a dict) for Converse content blocks."""
    if not isinstance(blocks, list):
        raise TypeError("content is not a list of blocks")
    texts: list[str] = []
    reasoning: list[str] = []
    thinking: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    for block in blocks:
        if not isinstance(block, dict):
            raise TypeError("a content block is not an object")
        if "text" in block:
            texts.append(block["text"])
        elif "toolUse" in block:
            use = block["toolUse"]
            arguments = orjson.dumps(use.get("input", {})).decode()
            if json_tool and use["name"] == json_tool:
                texts.append(arguments)
            else:
                function = {"name": use["name"], "arguments": arguments}
                calls.append({"id": use["toolUseId"], "type": "function", "function": function})
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
    message: dict[str, Any] = {"role": "assistant", "content": "".join(texts) if texts or not calls else None}
    if calls:
        message["tool_calls"] = calls
    if reasoning:
        message["reasoning_content"] = "".join(reasoning)
    if thinking:
        message["thinking_blocks"] = thinking  # an extra field, LiteLLM's name
    return message


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
        stop_reason = payload.get("stopReason")
        # One validation of plain data: about twice as fast as building the nested models one by one.
        return ChatResponse.model_validate(
            {
                "id": response_id,
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": message_from_blocks(payload["output"]["message"]["content"], json_tool),
                        "finish_reason": finish_reason(stop_reason, json_tool),
                    }
                ],
                "usage": usage_from_wire(payload["usage"]),
            }
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # ValueError: JSON and pydantic
        raise protocol_error(provider, "a Converse response we could not read") from exc
