"""Canonical requests -> Cohere v2 wire bodies (pure).

Chat: ``POST /v2/chat`` (https://docs.cohere.com/reference/chat). Differences from OpenAI that
matter here: ``p`` for ``top_p``, ``stop_sequences``, ``tool_choice`` only ``REQUIRED``/``NONE``
(a named function becomes ``REQUIRED`` with that one tool), ``response_format`` has no
``json_schema`` type (a schema rides on ``json_object``), tool plans instead of reasoning on
tool-calling turns, no ``n``, no ``logit_bias``.
Embeddings: ``POST /v2/embed`` (https://docs.cohere.com/reference/embed) with ``texts``,
``input_type`` and ``embedding_types``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

from switchboard.adapters.outbound.providers.function_tools import as_tool, as_tool_choice, function_tool
from switchboard.adapters.outbound.providers.message_parts import assistant_text, image_url_part
from switchboard.adapters.outbound.providers.request_params import copy_params, output_limit, param, stop_list
from switchboard.domain.chat import ChatRequest, JsonObjectFormat, JsonSchemaResponseFormat, TextFormat
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
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

PROVIDER = "cohere"

# OpenAI parameters Cohere's chat honours (mapped below).
CHAT_PARAMS = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "max_tokens",
        "max_completion_tokens",
        "response_format",
        "seed",
        "stop",
        "temperature",
        "top_p",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
    }
)
# Cohere's own parameters, passed through as they are (``top_k`` is LiteLLM's name for ``k``).
PASSTHROUGH = ("k", "strict_tools", "safety_mode", "thinking", "priority", "documents", "citation_options")
EXTRA_PARAMS = frozenset({*PASSTHROUGH, "top_k"})
SUPPORTED_PARAMS = CHAT_PARAMS | EXTRA_PARAMS

# Sampling parameters, ours -> Cohere's.
_SAMPLING = {
    "temperature": "temperature",
    "top_p": "p",
    "seed": "seed",
    "frequency_penalty": "frequency_penalty",
    "presence_penalty": "presence_penalty",
}
DEFAULT_INPUT_TYPE = "search_document"
_EMBED_PASSTHROUGH = ("truncate", "max_tokens", "priority")


def chat_body(request: ChatRequest, model: str, *, stream: bool, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/v2/chat`` body. A part Cohere cannot carry raises ``BadRequest``."""
    body: dict[str, Any] = {"model": model, "messages": [_message(m) for m in request.messages]}
    tools = param(request, defaults, "tools")
    choice = param(request, defaults, "tool_choice")
    if tools:
        wire_tools, tool_choice = _tools(tools, choice)
        body["tools"] = wire_tools
        if tool_choice:
            body["tool_choice"] = tool_choice
        if any(as_tool(t).function.strict for t in tools):
            body["strict_tools"] = True
    elif choice in ("required",) or isinstance(choice, NamedToolChoice):
        raise BadRequest("tool_choice needs tools.", param="tool_choice")
    if param(request, defaults, "parallel_tool_calls") is False:
        raise UnsupportedParameter(
            "cohere always allows parallel tool calls; parallel_tool_calls=false cannot be honoured.",
            param="parallel_tool_calls",
            provider=PROVIDER,
            code="unsupported_parameter",
        )
    _sampling(body, request, defaults)
    response_format = param(request, defaults, "response_format")
    if response_format is not None:
        body["response_format"] = _response_format(response_format)
    copy_params(body, request, defaults, PASSTHROUGH)
    if "k" not in body and (top_k := param(request, defaults, "top_k")) is not None:
        body["k"] = top_k
    if stream:
        body["stream"] = True
    return body


def _sampling(body: dict[str, Any], request: ChatRequest, defaults: Mapping[str, Any]) -> None:
    copy_params(body, request, defaults, _SAMPLING)
    limit = output_limit(request, defaults)
    if limit is not None:
        body["max_tokens"] = limit
    stop = param(request, defaults, "stop")
    if stop:
        body["stop_sequences"] = stop_list(stop)


def _message(message: Any) -> dict[str, Any]:
    match message:
        case SystemMessage() | DeveloperMessage():
            return {"role": "system", "content": text_of(message.content)}
        case UserMessage():
            return {"role": "user", "content": _user_content(message.content)}
        case AssistantMessage():
            return _assistant(message)
        case ToolMessage():
            return {"role": "tool", "tool_call_id": message.tool_call_id, "content": text_of(message.content)}
        case FunctionMessage():
            raise BadRequest(
                "cohere cannot take legacy 'function' messages; send tool messages with a tool_call_id.",
                param="messages",
            )
        case _:
            raise BadRequest(f"cohere cannot take a {type(message).__name__}.", param="messages")


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
            case AudioPart() | FilePart():
                raise BadRequest(f"cohere cannot take '{part.type}' content parts.", param="messages")
            case _:
                assert_never(part)
    return parts


def _assistant(message: AssistantMessage) -> dict[str, Any]:
    if message.function_call is not None:
        raise BadRequest("cohere cannot take legacy function_call; use tool_calls.", param="messages")
    wire: dict[str, Any] = {"role": "assistant"}
    text = assistant_text(message.content) or ""
    if message.tool_calls:
        wire["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.function.name, "arguments": call.function.arguments},
            }
            for call in message.tool_calls
        ]
        # Cohere's reasoning before tool calls is its "tool plan"; we hand it out as
        # reasoning_content, so it comes back the same way.
        if message.reasoning_content:
            wire["tool_plan"] = message.reasoning_content
        if text:
            wire["content"] = text
        return wire
    if message.reasoning_content:
        wire["content"] = [
            {"type": "thinking", "thinking": message.reasoning_content},
            {"type": "text", "text": text},
        ]
    else:
        wire["content"] = text
    return wire


def _tools(tools: list[Any], choice: Any) -> tuple[list[dict[str, Any]], str | None]:
    chosen = [as_tool(t) for t in tools]
    wire_choice: str | None = None
    choice = as_tool_choice(choice)
    if isinstance(choice, NamedToolChoice):
        # Cohere cannot name a tool; offering only that tool and requiring a call is the same.
        chosen = [t for t in chosen if t.function.name == choice.function.name]
        if not chosen:
            raise BadRequest(f"tool_choice names '{choice.function.name}', which is not in tools.", param="tool_choice")
        wire_choice = "REQUIRED"
    elif choice == "required":
        wire_choice = "REQUIRED"
    elif choice == "none":
        wire_choice = "NONE"
    return [function_tool(t) for t in chosen], wire_choice


def _response_format(value: Any) -> dict[str, Any]:
    match value:
        case TextFormat():
            return {"type": "text"}
        case JsonObjectFormat():
            return {"type": "json_object"}
        case JsonSchemaResponseFormat():
            wire: dict[str, Any] = {"type": "json_object"}
            if value.json_schema.schema_ is not None:
                wire["json_schema"] = value.json_schema.schema_
            return wire
        case Mapping():
            kind = value.get("type")
            if kind == "json_schema":
                schema = (value.get("json_schema") or {}).get("schema")
                return {"type": "json_object", **({"json_schema": schema} if schema else {})}
            if kind in ("text", "json_object"):
                return {"type": kind}
    raise BadRequest("response_format must be text, json_object or json_schema.", param="response_format")


def embedding_body(request: EmbeddingRequest, model: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/v2/embed`` body: always float vectors (base64 is encoded on our side)."""
    texts = request.inputs
    if texts and not isinstance(texts[0], str):
        raise BadRequest("cohere embeds text, not token arrays.", param="input")
    body: dict[str, Any] = {
        "model": model,
        "texts": list(texts),
        "input_type": param(request, defaults, "input_type") or DEFAULT_INPUT_TYPE,
        "embedding_types": ["float"],
    }
    dimensions = request.dimensions or defaults.get("dimensions")
    if dimensions:
        body["output_dimension"] = dimensions
    copy_params(body, request, defaults, _EMBED_PASSTHROUGH)
    return body
