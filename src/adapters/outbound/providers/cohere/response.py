"""Cohere v2 wire responses -> canonical values (pure).

Shared by the JSON and the streaming paths: finish reasons, usage and the ``ERROR``/``TIMEOUT``
endings (https://docs.cohere.com/reference/chat, ``finish_reason``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.errors import ProviderUnavailable, SwitchboardError, Timeout
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

PROVIDER = "cohere"

FINISH_REASONS: dict[str, FinishReason] = {
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "MAX_TOKENS": "length",
    "TOOL_CALL": "tool_calls",
}


def finish_reason(value: str | None, error: str | None = None, deployment: str | None = None) -> FinishReason:
    """The canonical finish reason; ``ERROR`` and ``TIMEOUT`` mean the answer failed and raise."""
    if value == "ERROR":
        raise ProviderUnavailable(
            f"cohere stopped with an error: {error or 'no details'}", provider=PROVIDER, deployment=deployment
        )
    if value == "TIMEOUT":
        raise Timeout("cohere timed out while generating the answer.", provider=PROVIDER, deployment=deployment)
    return FINISH_REASONS.get(value or "", "stop")


def usage(wire: Mapping[str, Any] | None) -> Usage | None:
    """Billed units when present (what Cohere invoices, so spend matches the bill), else the
    raw token counts; ``cached_tokens`` becomes the prompt's cached tokens."""
    if not wire:
        return None
    counts = wire.get("billed_units") or wire.get("tokens") or {}
    cached = wire.get("cached_tokens")
    return Usage.of(
        int(counts.get("input_tokens") or 0),
        int(counts.get("output_tokens") or 0),
        cached=int(cached) if cached is not None else None,
    )


def tool_calls(wire: Sequence[Mapping[str, Any]] | None) -> list[ToolCall] | None:
    if not wire:
        return None
    calls = []
    for call in wire:
        function = call.get("function") or {}
        calls.append(
            ToolCall(
                id=str(call.get("id") or ""),
                function=FunctionCall(name=function.get("name") or "", arguments=function.get("arguments") or "{}"),
            )
        )
    return calls


def chat_response(body: bytes, model: str, created: int, deployment: str | None = None) -> ChatResponse:
    """A ``/v2/chat`` JSON answer as an OpenAI chat completion."""
    try:
        wire = orjson.loads(body)
        message = wire["message"]
        texts, thoughts = [], []
        for part in message.get("content") or ():
            if part.get("type") == "text":
                texts.append(part.get("text") or "")
            elif part.get("type") == "thinking":
                thoughts.append(part.get("thinking") or "")
        if message.get("tool_plan"):
            thoughts.append(message["tool_plan"])
        calls = tool_calls(message.get("tool_calls"))
        response_message = ResponseMessage(
            content="".join(texts) if texts or not calls else None,
            tool_calls=calls,
            reasoning_content="".join(thoughts) or None,
        )
        reason = finish_reason(wire.get("finish_reason"), None, deployment)
        return ChatResponse(
            id=str(wire.get("id") or ""),
            created=created,
            model=model,
            choices=[Choice(index=0, message=response_message, finish_reason=reason)],
            usage=usage(wire.get("usage")),
        )
    except SwitchboardError:
        raise
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "a chat response we could not read", deployment) from exc


def embedding_response(
    body: bytes, model: str, encoding_format: str | None, deployment: str | None = None
) -> EmbeddingResponse:
    """A ``/v2/embed`` answer (float embeddings) in OpenAI's shape."""
    try:
        wire = orjson.loads(body)
        vectors = wire["embeddings"]["float"]
        billed = (wire.get("meta") or {}).get("billed_units") or {}
        tokens = int(billed.get("input_tokens") or 0)
        return to_embedding_response(vectors, model, tokens, encoding_format)
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "an embeddings response we could not read", deployment) from exc
