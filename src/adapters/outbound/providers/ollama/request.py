"""Canonical requests -> Ollama native wire bodies (pure).

Chat: ``POST /api/chat`` (https://github.com/ollama/ollama/blob/main/docs/api.md). Differences
from OpenAI that matter here: sampling knobs live in ``options`` (``num_predict`` for the output
limit), images are bare base64 strings on the message, tool-call arguments are JSON objects and
tool results name their tool (``tool_name``) instead of a call id, ``format`` is ``"json"`` or a
JSON schema, reasoning models take ``think``. Ollama has no ``tool_choice``, no ``n``, no
``logit_bias``. Embeddings: ``POST /api/embed`` with an ``input`` list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

import orjson

from switchboard.adapters.outbound.providers.function_tools import as_tool, function_tool
from switchboard.adapters.outbound.providers.message_parts import assistant_text
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

PROVIDER = "ollama"

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
        "reasoning_effort",
    }
)
# Model options (Modelfile parameters) a request may set directly, besides the OpenAI ones.
OPTION_NAMES = (
    "top_k",
    "min_p",
    "typical_p",
    "repeat_last_n",
    "repeat_penalty",
    "num_ctx",
    "num_keep",
    "num_batch",
    "num_gpu",
    "main_gpu",
    "num_thread",
    "mirostat",
    "mirostat_tau",
    "mirostat_eta",
    "penalize_newline",
    "tfs_z",
    "use_mmap",
    "use_mlock",
    "numa",
    "low_vram",
)
EXTRA_PARAMS = frozenset({*OPTION_NAMES, "options", "think", "keep_alive"})
SUPPORTED_PARAMS = CHAT_PARAMS | EXTRA_PARAMS

# OpenAI reasoning_effort -> Ollama "think" (levels are for models such as gpt-oss; "none" is off).
_THINK_LEVELS: dict[str, bool | str] = {
    "none": False,
    "minimal": "low",
    "low": "low",
    "medium": "medium",
    "high": "high",
}
# OpenAI parameters that are model options of the same name.
_MAPPED_OPTIONS = ("temperature", "top_p", "seed", "frequency_penalty", "presence_penalty")


def chat_body(request: ChatRequest, model: str, *, stream: bool, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/api/chat`` body. ``stream`` is always explicit: Ollama streams by default."""
    body: dict[str, Any] = {"model": model, "messages": _messages(request.messages), "stream": stream}
    tools = param(request, defaults, "tools")
    choice = param(request, defaults, "tool_choice")
    if isinstance(choice, NamedToolChoice | Mapping) or choice == "required":
        raise UnsupportedParameter(
            "ollama cannot force a tool call; use tool_choice 'auto' or 'none'.",
            param="tool_choice",
            provider=PROVIDER,
            code="unsupported_parameter",
        )
    if tools and choice != "none":  # "none": the model may not call tools, so it is not offered any
        body["tools"] = [function_tool(as_tool(t)) for t in tools]
    options = _options(request, defaults)
    if options:
        body["options"] = options
    response_format = param(request, defaults, "response_format")
    if response_format is not None and (wire_format := _format(response_format)) is not None:
        body["format"] = wire_format
    think = param(request, defaults, "think")
    effort = param(request, defaults, "reasoning_effort")
    if think is None and effort is not None:
        if effort not in _THINK_LEVELS:
            raise BadRequest(f"reasoning_effort '{effort}' has no Ollama 'think' level.", param="reasoning_effort")
        think = _THINK_LEVELS[effort]
    if think is not None:
        body["think"] = think
    keep_alive = param(request, defaults, "keep_alive")
    if keep_alive is not None:
        body["keep_alive"] = keep_alive
    return body


def _options(request: ChatRequest, defaults: Mapping[str, Any]) -> dict[str, Any]:
    given = param(request, defaults, "options")
    options: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
    copy_params(options, request, defaults, _MAPPED_OPTIONS)
    limit = output_limit(request, defaults)
    if limit is not None:
        options["num_predict"] = limit
    stop = param(request, defaults, "stop")
    if stop:
        options["stop"] = stop_list(stop)
    copy_params(options, request, defaults, OPTION_NAMES)
    return options


def _messages(messages: list[Any]) -> list[dict[str, Any]]:
    tool_names: dict[str, str] = {}  # tool_call_id -> function name, from earlier assistant turns
    wire = []
    for message in messages:
        match message:
            case SystemMessage() | DeveloperMessage():
                wire.append({"role": "system", "content": text_of(message.content)})
            case UserMessage():
                wire.append(_user(message))
            case AssistantMessage():
                for call in message.tool_calls or ():
                    tool_names[call.id] = call.function.name
                wire.append(_assistant(message))
            case ToolMessage():
                tool: dict[str, Any] = {"role": "tool", "content": text_of(message.content)}
                if message.tool_call_id in tool_names:
                    tool["tool_name"] = tool_names[message.tool_call_id]
                wire.append(tool)
            case FunctionMessage():
                wire.append({"role": "tool", "content": message.content or "", "tool_name": message.name})
            case _:
                raise BadRequest(f"ollama cannot take a {type(message).__name__}.", param="messages")
    return wire


def _user(message: UserMessage) -> dict[str, Any]:
    if isinstance(message.content, str):
        return {"role": "user", "content": message.content}
    texts: list[str] = []
    images: list[str] = []
    for part in message.content:
        match part:
            case TextPart():
                texts.append(part.text)
            case ImagePart():
                images.append(image_data(part.image_url.url))
            case AudioPart() | FilePart():
                raise BadRequest(f"ollama cannot take '{part.type}' content parts.", param="messages")
            case _:
                assert_never(part)
    wire: dict[str, Any] = {"role": "user", "content": "\n".join(texts)}
    if images:
        wire["images"] = images
    return wire


def image_data(url: str) -> str:
    """The base64 payload of a ``data:`` URL. Ollama takes image bytes only, never a link."""
    if not url.startswith("data:"):
        raise BadRequest(
            "ollama takes images as base64 data URLs (data:image/png;base64,...), not links.",
            param="messages",
        )
    header, sep, data = url.partition(",")
    if not sep or not header.endswith(";base64"):
        raise BadRequest("an image data URL must be base64-encoded.", param="messages")
    return data


def _assistant(message: AssistantMessage) -> dict[str, Any]:
    if message.function_call is not None:
        raise BadRequest("ollama cannot take legacy function_call; use tool_calls.", param="messages")
    wire: dict[str, Any] = {"role": "assistant", "content": assistant_text(message.content) or ""}
    if message.reasoning_content:
        wire["thinking"] = message.reasoning_content
    if message.tool_calls:
        wire["tool_calls"] = [
            {"function": {"name": call.function.name, "arguments": _arguments(call.function.arguments)}}
            for call in message.tool_calls
        ]
    return wire


def _arguments(arguments: str) -> Any:
    try:
        value = orjson.loads(arguments or "{}")
    except orjson.JSONDecodeError:
        raise BadRequest("tool call arguments must be a JSON object for ollama.", param="messages") from None
    if not isinstance(value, dict):
        raise BadRequest("tool call arguments must be a JSON object for ollama.", param="messages")
    return value


def _format(value: Any) -> str | dict[str, Any] | None:
    match value:
        case TextFormat():
            return None
        case JsonObjectFormat():
            return "json"
        case JsonSchemaResponseFormat():
            return value.json_schema.schema_ or "json"
        case Mapping():
            kind = value.get("type")
            if kind == "json_schema":
                return (value.get("json_schema") or {}).get("schema") or "json"
            if kind == "json_object":
                return "json"
            if kind == "text":
                return None
    raise BadRequest("response_format must be text, json_object or json_schema.", param="response_format")


def embedding_body(request: EmbeddingRequest, model: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/api/embed`` body (float vectors; base64 is encoded on our side)."""
    texts = request.inputs
    if texts and not isinstance(texts[0], str):
        raise BadRequest("ollama embeds text, not token arrays.", param="input")
    body: dict[str, Any] = {"model": model, "input": list(texts)}
    dimensions = request.dimensions or defaults.get("dimensions")
    if dimensions:
        body["dimensions"] = dimensions
    copy_params(body, request, defaults, ("truncate", "keep_alive", "options"))
    return body
