"""Canonical requests -> Mistral chat and embeddings bodies (pure).

Mistral's ``POST /v1/chat/completions`` is OpenAI's shape with differences that matter here
(https://docs.mistral.ai/api/#tag/chat): unknown fields are rejected (422 ``extra_forbidden``),
so only what Mistral names is sent; ``random_seed`` instead of ``seed``; ``max_tokens`` only;
``tool_choice: "any"`` for required; no ``stream_options`` (usage always comes on the last
chunk); no ``logit_bias``, ``user``, ``store``; tool-call ids must be 9 characters of
``[a-zA-Z0-9]``; reasoning travels as ``thinking`` content chunks; Mistral's own
``safe_prompt``, ``prompt_mode``, ``min_tokens``... pass through.
Embeddings: ``POST /v1/embeddings`` with ``output_dimension`` and ``output_dtype``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, assert_never

from switchboard.adapters.outbound.providers.function_tools import as_tool, as_tool_choice, function_tool
from switchboard.adapters.outbound.providers.message_parts import assistant_text, image_url_part
from switchboard.adapters.outbound.providers.request_params import copy_params, output_limit, param
from switchboard.domain.chat import ChatRequest, JsonObjectFormat, JsonSchemaResponseFormat, TextFormat
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import (
    AssistantMessage,
    AudioPart,
    DeveloperMessage,
    FilePart,
    FunctionMessage,
    ImagePart,
    NamedToolChoice,
    SystemMessage,
    TextPart,
    ToolMessage,
    UserMessage,
    text_of,
)

PROVIDER = "mistral"

CHAT_PARAMS = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "logprobs",
        "top_logprobs",
        "max_tokens",
        "max_completion_tokens",
        "n",
        "response_format",
        "seed",
        "stop",
        "temperature",
        "top_p",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "prediction",
        "reasoning_effort",
        "prompt_cache_key",
    }
)
# Sent under the same name.
_SAME_NAME = (
    "temperature",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "n",
    "logprobs",
    "top_logprobs",
    "parallel_tool_calls",
    "prediction",
    "reasoning_effort",
    "prompt_cache_key",
)
# Mistral's own parameters, passed through as they are.
PASSTHROUGH = ("safe_prompt", "prompt_mode", "random_seed", "min_tokens", "top_k", "repetition_penalty")
EXTRA_PARAMS = frozenset(PASSTHROUGH)
SUPPORTED_PARAMS = CHAT_PARAMS | EXTRA_PARAMS

_TOOL_ID = re.compile(r"^[a-zA-Z0-9]{9}$")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tool_call_id(value: str) -> str:
    """``value`` if Mistral accepts it as a tool-call id, else a stable 9-character stand-in.

    Mistral rejects ids other than 9 alphanumerics ("Tool call id has to be 9 characters"),
    yet clients replay OpenAI ids (``call_...``). The same id always maps to the same stand-in,
    so a call and its tool result stay paired.
    """
    if _TOOL_ID.match(value):
        return value
    number = int.from_bytes(hashlib.sha256(value.encode()).digest()[:8], "big")
    chars = []
    for _ in range(9):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def chat_body(request: ChatRequest, model: str, *, stream: bool, defaults: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": [_message(m) for m in request.messages]}
    for name in _SAME_NAME:
        value = param(request, defaults, name)
        if value is not None:
            body[name] = value.model_dump(exclude_none=True) if hasattr(value, "model_dump") else value
    limit = output_limit(request, defaults)
    if limit is not None:
        body["max_tokens"] = limit
    seed = param(request, defaults, "seed")
    if seed is not None:
        body["random_seed"] = seed
    stop = param(request, defaults, "stop")
    if stop:
        body["stop"] = stop
    tools = param(request, defaults, "tools")
    if tools:
        body["tools"] = [function_tool(as_tool(t), strict=True) for t in tools]
    choice = param(request, defaults, "tool_choice")
    if choice is not None:
        body["tool_choice"] = _tool_choice(choice)
    response_format = param(request, defaults, "response_format")
    if response_format is not None:
        body["response_format"] = _response_format(response_format)
    copy_params(body, request, defaults, PASSTHROUGH)
    if stream:
        body["stream"] = True
    return body


def _message(message: Any) -> dict[str, Any]:
    match message:
        case SystemMessage() | DeveloperMessage():
            return {"role": "system", "content": text_of(message.content)}
        case UserMessage():
            return {"role": "user", "content": _user_content(message.content)}
        case AssistantMessage():
            return _assistant(message)
        case ToolMessage():
            return {
                "role": "tool",
                "tool_call_id": tool_call_id(message.tool_call_id),
                "content": text_of(message.content),
            }
        case FunctionMessage():
            raise BadRequest(
                "mistral cannot take legacy 'function' messages; send tool messages with a tool_call_id.",
                param="messages",
            )
        case _:
            raise BadRequest(f"mistral cannot take a {type(message).__name__}.", param="messages")


def _user_content(content: str | list[Any]) -> str | list[dict[str, Any]]:
    if isinstance(content, str):
        return content
    parts: list[dict[str, Any]] = []
    for part in content:
        match part:
            case TextPart():
                parts.append({"type": "text", "text": part.text})
            case ImagePart():
                parts.append(image_url_part(part))
            case AudioPart():
                parts.append({"type": "input_audio", "input_audio": part.input_audio.data})
            case FilePart():
                raise BadRequest("mistral cannot take 'file' content parts in chat.", param="messages")
            case _:
                assert_never(part)
    return parts


def _assistant(message: AssistantMessage) -> dict[str, Any]:
    if message.function_call is not None:
        raise BadRequest("mistral cannot take legacy function_call; use tool_calls.", param="messages")
    text = assistant_text(message.content)
    wire: dict[str, Any] = {"role": "assistant"}
    if message.reasoning_content:
        chunks: list[dict[str, Any]] = [
            {"type": "thinking", "thinking": [{"type": "text", "text": message.reasoning_content}]}
        ]
        if text:
            chunks.append({"type": "text", "text": text})
        wire["content"] = chunks
    elif text is not None:
        wire["content"] = text
    if message.tool_calls:
        wire["tool_calls"] = [
            {
                "id": tool_call_id(call.id),
                "type": "function",
                "function": {"name": call.function.name, "arguments": call.function.arguments},
            }
            for call in message.tool_calls
        ]
    return wire


def _tool_choice(choice: Any) -> Any:
    choice = as_tool_choice(choice)
    if isinstance(choice, NamedToolChoice):
        return {"type": "function", "function": {"name": choice.function.name}}
    # Mistral's documented word for "must call a tool" is "any".
    return "any" if choice == "required" else choice


def _response_format(value: Any) -> dict[str, Any]:
    match value:
        case TextFormat():
            return {"type": "text"}
        case JsonObjectFormat():
            return {"type": "json_object"}
        case JsonSchemaResponseFormat():
            spec = value.json_schema
            schema: dict[str, Any] = {"name": spec.name, "schema": spec.schema_ or {}}
            if spec.description:
                schema["description"] = spec.description
            if spec.strict is not None:
                schema["strict"] = spec.strict
            return {"type": "json_schema", "json_schema": schema}
        case Mapping():
            return dict(value)
    raise BadRequest("response_format must be text, json_object or json_schema.", param="response_format")


def embedding_body(request: EmbeddingRequest, model: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/v1/embeddings`` body. Vectors come back as numbers; base64 is encoded on our side."""
    texts = request.inputs
    if texts and not isinstance(texts[0], str):
        raise BadRequest("mistral embeds text, not token arrays.", param="input")
    body: dict[str, Any] = {"model": model, "input": list(texts)}
    dimensions = request.dimensions or defaults.get("dimensions") or param(request, defaults, "output_dimension")
    if dimensions:
        body["output_dimension"] = dimensions
    dtype = param(request, defaults, "output_dtype")
    if dtype is not None:
        if dtype != "float" and request.encoding_format == "base64":
            raise BadRequest(
                "base64 embeddings are float32; use output_dtype 'float' or encoding_format 'float'.",
                param="encoding_format",
            )
        body["output_dtype"] = dtype
    return body
