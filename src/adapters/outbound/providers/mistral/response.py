"""Mistral chat and embeddings answers -> canonical values (pure), shared by JSON and stream.

Where Mistral's answer differs from OpenAI's: ``content`` may be a list of chunks (``text`` and,
for reasoning models, ``thinking`` chunks holding text chunks); tool-call ``arguments`` may be a
JSON object; finish reasons add ``model_length`` (the context window filled up) and ``error``;
log-probs carry ``token_id``. These are normalised here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.adapters.outbound.providers.vectors import encode_vector
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.embeddings import Embedding, EmbeddingResponse, EmbeddingUsage
from switchboard.domain.errors import ProviderUnavailable, SwitchboardError
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

PROVIDER = "mistral"

FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "model_length": "length",
    "tool_calls": "tool_calls",
}


def finish_reason(value: str | None, deployment: str | None = None) -> FinishReason | None:
    """The canonical finish reason (``None`` while a stream goes on); ``error`` raises."""
    if value is None:
        return None
    if value == "error":
        raise ProviderUnavailable("mistral stopped with an error.", provider=PROVIDER, deployment=deployment)
    return FINISH_REASONS.get(value, "stop")


def split_content(content: Any) -> tuple[str | None, str | None]:
    """(text, reasoning) of a message's ``content``: a string, or a list of chunks."""
    if content is None or isinstance(content, str):
        return content, None
    texts, thoughts = [], []
    for chunk in content:
        kind = chunk.get("type") if isinstance(chunk, Mapping) else None
        if kind == "text":
            texts.append(chunk.get("text") or "")
        elif kind == "thinking":
            thinking = chunk.get("thinking")
            if isinstance(thinking, str):
                thoughts.append(thinking)
            else:
                thoughts.extend(part.get("text") or "" for part in thinking or () if part.get("type") == "text")
    return "".join(texts) if texts else None, "".join(thoughts) if thoughts else None


def arguments(value: Any) -> str:
    return value if isinstance(value, str) else orjson.dumps(value or {}).decode()


def usage(wire: Mapping[str, Any] | None) -> Usage | None:
    if not wire:
        return None
    details = wire.get("prompt_tokens_details") or {}
    cached = details.get("cached_tokens") if isinstance(details, Mapping) else None
    return Usage.of(int(wire.get("prompt_tokens") or 0), int(wire.get("completion_tokens") or 0), cached=cached)


def logprobs(wire: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """OpenAI's ``{"content": [{token, logprob, bytes, top_logprobs}]}`` from Mistral's."""
    if not wire:
        return None

    def entry(item: Mapping[str, Any]) -> dict[str, Any]:
        return {"token": item.get("token"), "logprob": item.get("logprob"), "bytes": item.get("bytes")}

    return {
        "content": [
            {**entry(item), "top_logprobs": [entry(top) for top in item.get("top_logprobs") or ()]}
            for item in wire.get("content") or ()
        ]
    }


def _choice(wire: Mapping[str, Any], deployment: str | None) -> Choice:
    message = wire.get("message") or {}
    text, reasoning = split_content(message.get("content"))
    calls = [
        ToolCall(
            id=str(call.get("id") or ""),
            function=FunctionCall(
                name=call["function"]["name"], arguments=arguments(call["function"].get("arguments"))
            ),
        )
        for call in message.get("tool_calls") or ()
    ]
    return Choice(
        index=int(wire.get("index") or 0),
        message=ResponseMessage(content=text, tool_calls=calls or None, reasoning_content=reasoning),
        finish_reason=finish_reason(wire.get("finish_reason"), deployment) or "stop",
        logprobs=logprobs(wire.get("logprobs")),
    )


def chat_response(body: bytes, deployment: str | None = None) -> ChatResponse:
    try:
        wire = orjson.loads(body)
        return ChatResponse(
            id=str(wire["id"]),
            created=int(wire["created"]),
            model=str(wire["model"]),
            choices=[_choice(choice, deployment) for choice in wire["choices"]],
            usage=usage(wire.get("usage")),
        )
    except SwitchboardError:
        raise
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "a chat response we could not read", deployment) from exc


def embedding_response(body: bytes, encoding_format: str | None, deployment: str | None = None) -> EmbeddingResponse:
    try:
        wire = orjson.loads(body)
        reported = wire.get("usage") or {}
        tokens = int(reported.get("prompt_tokens") or 0)
        return EmbeddingResponse(
            data=[
                Embedding(
                    index=int(item.get("index", index)),
                    embedding=encode_vector(item["embedding"], encoding_format),
                )
                for index, item in enumerate(wire["data"])
            ],
            model=str(wire.get("model") or ""),
            usage=EmbeddingUsage(prompt_tokens=tokens, total_tokens=int(reported.get("total_tokens") or tokens)),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise protocol_error(PROVIDER, "an embeddings response we could not read", deployment) from exc
