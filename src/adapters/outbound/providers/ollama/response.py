"""Ollama wire responses -> canonical values (pure), shared by the JSON and streaming paths.

Ollama answers carry no id and give tool calls without ids and with object arguments; both are
made here from the response id the client assigns. ``done_reason`` is ``stop`` even when the
model called tools, so the finish reason comes from the presence of tool calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

PROVIDER = "ollama"


def finish_reason(done_reason: str | None, called_tools: bool) -> FinishReason:
    if called_tools:
        return "tool_calls"
    return "length" if done_reason == "length" else "stop"


def usage(wire: Mapping[str, Any]) -> Usage:
    """``prompt_eval_count`` is left out when the whole prompt came from Ollama's cache: 0 then."""
    return Usage.of(int(wire.get("prompt_eval_count") or 0), int(wire.get("eval_count") or 0))


def tool_call_id(response_id: str, index: int) -> str:
    """A stable id for the ``index``-th tool call of an answer (Ollama sends none)."""
    return f"call_{response_id.rsplit('-', 1)[-1]}_{index}"


def tool_calls(wire: Sequence[Mapping[str, Any]] | None, response_id: str, first_index: int = 0) -> list[ToolCall]:
    calls = []
    for offset, call in enumerate(wire or ()):
        function = call.get("function") or {}
        arguments = function.get("arguments")
        encoded = arguments if isinstance(arguments, str) else orjson.dumps(arguments or {}).decode()
        index = first_index + offset
        calls.append(
            ToolCall(
                id=str(call.get("id") or tool_call_id(response_id, index)),
                function=FunctionCall(name=str(function.get("name") or ""), arguments=encoded),
            )
        )
    return calls


def chat_response(
    body: bytes, response_id: str, model: str, created: int, deployment: str | None = None
) -> ChatResponse:
    """A ``/api/chat`` answer (``stream: false``) as an OpenAI chat completion."""
    try:
        wire = orjson.loads(body)
        message = wire["message"]
        calls = tool_calls(message.get("tool_calls"), response_id)
        response_message = ResponseMessage(
            content=message.get("content") or ("" if not calls else None),
            tool_calls=calls or None,
            reasoning_content=message.get("thinking") or None,
        )
        return ChatResponse(
            id=response_id,
            created=created,
            model=model,
            choices=[
                Choice(
                    index=0,
                    message=response_message,
                    finish_reason=finish_reason(wire.get("done_reason"), bool(calls)),
                )
            ],
            usage=usage(wire),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "a chat response we could not read", deployment) from exc


def embedding_response(
    body: bytes, model: str, encoding_format: str | None, deployment: str | None = None
) -> EmbeddingResponse:
    """An ``/api/embed`` answer in OpenAI's shape."""
    try:
        wire = orjson.loads(body)
        tokens = int(wire.get("prompt_eval_count") or 0)
        return to_embedding_response(wire["embeddings"], model, tokens, encoding_format)
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "an embeddings response we could not read", deployment) from exc
