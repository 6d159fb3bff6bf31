"""Canonical chat requests -> Bedrock Converse / ConverseStream bodies (pure).

Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html.
The body never carries the model id (it is in the URL). Mapping:

- system and developer messages -> ``system`` text blocks (in order, wherever they appear)
- user / assistant messages -> ``messages`` with content blocks; consecutive messages of one
  role merge into one turn (Converse wants user and assistant turns to alternate)
- tool messages -> ``toolResult`` blocks in a user turn; assistant ``tool_calls`` -> ``toolUse``
- images: ``data:`` URLs -> ``image.source.bytes``, ``s3://`` URIs -> ``image.source.s3Location``;
  http(s) image URLs are refused (Switchboard does not fetch them)
- files (``data:`` URLs) -> ``document`` (pdf, csv, doc(x), xls(x), html, txt, md), ``image`` or
  ``video`` blocks; ``input_audio`` -> ``audio``
- ``cache_control`` on a content part or message -> a ``cachePoint`` block after it
- ``thinking_blocks`` on an assistant message (LiteLLM's shape) -> ``reasoningContent`` blocks
- tools -> ``toolConfig.tools[].toolSpec``; tool_choice auto/required/named -> auto/any/tool
- temperature, top_p, max_(completion_)tokens, stop -> ``inferenceConfig``
- response_format json_schema -> ``outputConfig.textFormat`` (or, with the deployment param
  ``structured_output: tool``, a forced tool); json_object -> a forced tool whose input is the answer
- reasoning_effort / thinking (Anthropic models) -> ``additionalModelRequestFields.thinking``
- ``additionalModelRequestFields``, ``additionalModelResponseFieldPaths``, ``guardrailConfig``,
  ``performanceConfig``, ``requestMetadata`` pass through from deployment params or the request
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, assert_never

import orjson
from pydantic import TypeAdapter

from domain.chat import (
    ChatRequest,
    JsonObjectFormat,
    JsonSchemaResponseFormat,
    ResponseFormat,
    TextFormat,
)
from domain.errors import BadRequest, UnsupportedParameter
from domain.messages import (
    AssistantMessage,
    AudioPart,
    DeveloperMessage,
    FilePart,
    FunctionMessage,
    ImagePart,
    NamedToolChoice,
    RefusalPart,
    SystemMessage,
    TextPart,
    Tool,
    ToolMessage,
    UserMessage,
    WireModel,
    text_of,
)

JSON_TOOL = "json_tool_call"
PASSTHROUGH = (
    "additionalModelRequestFields",
    "additionalModelResponseFieldPaths",
    "guardrailConfig",
    "performanceConfig",
    "requestMetadata",
)
_BASE_PARAMS = frozenset(
    {"max_tokens", "max_completion_tokens", "stop", "temperature", "top_p", "tools", "tool_choice"}
    | {"response_format", *PASSTHROUGH}
)
_ANTHROPIC_PARAMS = frozenset({"reasoning_effort", "thinking"})
_REGION_PREFIXES = ("us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca.")
# Anthropic's thinking budgets for OpenAI's effort words (the API minimum is 1024).
THINKING_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096}

_IMAGE_FORMATS = {"png": "png", "jpeg": "jpeg", "jpg": "jpeg", "gif": "gif", "webp": "webp"}
_DOCUMENT_FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
_VIDEO_FORMATS = {
    "mp4": "mp4",
    "quicktime": "mov",
    "webm": "webm",
    "x-matroska": "mkv",
    "x-flv": "flv",
    "mpeg": "mpeg",
    "x-ms-wmv": "wmv",
    "3gpp": "three_gp",
}
_AUDIO_FORMATS = frozenset(
    {"mp3", "opus", "wav", "aac", "flac", "mp4", "ogg", "mkv", "mka", "x-aac", "m4a", "mpeg", "mpga"}
    | {"pcm", "webm"}
)
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?:;[\w=.+-]+)*;base64,(?P<data>.*)$", re.DOTALL)
_DOCUMENT_NAME_JUNK = re.compile(r"[^A-Za-z0-9\s\-()\[\]]+")
_RESPONSE_FORMAT: TypeAdapter[Any] = TypeAdapter(ResponseFormat)


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A Converse body, and the name of the forced tool that carries a JSON answer, if any."""

    body: dict[str, Any]
    json_tool: str | None = None


def bare_model(model_id: str) -> str:
    """``us.anthropic.claude-...`` -> ``anthropic.claude-...``; ARNs keep their last path part."""
    name = model_id.rsplit("/", 1)[-1]
    for prefix in _REGION_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def is_anthropic(model_id: str) -> bool:
    return bare_model(model_id).startswith("anthropic.")


@lru_cache(maxsize=256)
def chat_params(model_id: str) -> frozenset[str]:
    """The OpenAI parameters Converse honours for ``model_id`` (plus the Converse passthroughs)."""
    return _BASE_PARAMS | _ANTHROPIC_PARAMS if is_anthropic(model_id) else _BASE_PARAMS


def _bad(message: str, param: str = "messages") -> BadRequest:
    return BadRequest(f"bedrock: {message}", param=param, provider="bedrock")


def _setting(request: ChatRequest, params: Mapping[str, Any], name: str) -> Any:
    """A request parameter, else the deployment's default for it (``litellm_params``)."""
    value = getattr(request, name, None)
    if value is None and request.model_extra:
        value = request.model_extra.get(name)
    return params.get(name) if value is None else value


def _cache_point(holder: WireModel) -> list[dict[str, Any]]:
    extra = holder.model_extra
    return [{"cachePoint": {"type": "default"}}] if extra and extra.get("cache_control") else []


def _data_url(url: str) -> tuple[str, str]:
    """``(mime type, base64 data)`` of a ``data:`` URL."""
    match = _DATA_URL.match(url)
    if match is None:
        raise _bad("a data: URL must be base64-encoded (data:<type>;base64,<data>).")
    return (match["mime"] or "").lower(), match["data"]


def _image_block(url: str) -> dict[str, Any]:
    if url.startswith("data:"):
        mime, data = _data_url(url)
        kind, _, subtype = mime.partition("/")
        image_format = _IMAGE_FORMATS.get(subtype)
        if kind != "image" or image_format is None:
            raise _bad(f"image type {mime or 'unknown'!r} is not supported (png, jpeg, gif, webp).")
        return {"image": {"format": image_format, "source": {"bytes": data}}}
    if url.startswith("s3://"):
        image_format = _IMAGE_FORMATS.get(url.rsplit(".", 1)[-1].lower())
        if image_format is None:
            raise _bad("an s3:// image URI must end in .png, .jpeg, .jpg, .gif or .webp.")
        return {"image": {"format": image_format, "source": {"s3Location": {"uri": url}}}}
    raise _bad(
        "image URLs are not fetched by Switchboard; send the image inline as a data: URL "
        "(data:image/png;base64,...) or as an s3:// URI."
    )


def _document_name(filename: str | None, index: int) -> str:
    stem = (filename or "").rsplit(".", 1)[0]
    name = " ".join(_DOCUMENT_NAME_JUNK.sub("-", stem).split())[:200]
    return name or f"document-{index}"


def _file_block(part: FilePart, index: int) -> dict[str, Any]:
    ref = part.file
    if not ref.file_data:
        raise _bad("file parts need file_data (a data: URL); uploaded file ids are not supported.")
    if ref.file_data.startswith("data:"):
        mime, data = _data_url(ref.file_data)
    else:
        mime, data = (ref.format or "").lower(), ref.file_data
    kind, _, subtype = mime.partition("/")
    if kind == "image":
        return _image_block(f"data:{mime};base64,{data}")
    if kind == "video" and subtype in _VIDEO_FORMATS:
        return {"video": {"format": _VIDEO_FORMATS[subtype], "source": {"bytes": data}}}
    document_format = _DOCUMENT_FORMATS.get(mime)
    if document_format is None:
        raise _bad(f"file type {mime or 'unknown'!r} is not supported by Bedrock.")
    name = _document_name(ref.filename, index)
    return {"document": {"format": document_format, "name": name, "source": {"bytes": data}}}


def _user_blocks(message: UserMessage) -> list[dict[str, Any]]:
    if isinstance(message.content, str):
        blocks = [{"text": message.content}] if message.content else []
        return blocks + _cache_point(message)
    blocks = []
    for index, part in enumerate(message.content):
        match part:
            case TextPart():
                if part.text:
                    blocks.append({"text": part.text})
            case ImagePart():
                blocks.append(_image_block(part.image_url.url))
            case AudioPart():
                audio_format = part.input_audio.format
                if audio_format not in _AUDIO_FORMATS:
                    raise _bad(f"audio format {audio_format!r} is not supported by Bedrock.")
                blocks.append({"audio": {"format": audio_format, "source": {"bytes": part.input_audio.data}}})
            case FilePart():
                blocks.append(_file_block(part, index))
            case _:
                assert_never(part)
        blocks.extend(_cache_point(part))
    return blocks + _cache_point(message)


def _thinking_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    """LiteLLM's ``thinking_blocks`` (thinking text + signature, or redacted data) as Converse
    ``reasoningContent``. Plain ``reasoning_content`` has no signature, so it cannot go back."""
    blocks: list[dict[str, Any]] = []
    for item in (message.model_extra or {}).get("thinking_blocks") or ():
        if not isinstance(item, Mapping):
            raise _bad("thinking_blocks items must be objects.")
        if item.get("type") == "redacted_thinking" and item.get("data"):
            blocks.append({"reasoningContent": {"redactedContent": item["data"]}})
        elif item.get("type") == "thinking":
            text: dict[str, Any] = {"text": str(item.get("thinking") or "")}
            if item.get("signature"):
                text["signature"] = str(item["signature"])
            blocks.append({"reasoningContent": {"reasoningText": text}})
    return blocks


def _tool_input(arguments: str) -> Any:
    if not arguments.strip():
        return {}
    try:
        return orjson.loads(arguments)
    except orjson.JSONDecodeError:
        raise _bad("a tool call's arguments are not valid JSON.") from None


def _assistant_blocks(message: AssistantMessage) -> list[dict[str, Any]]:
    if message.function_call is not None:
        raise _bad("legacy function_call messages are not supported; use tool_calls.")
    blocks = _thinking_blocks(message)
    content = message.content
    if isinstance(content, str):
        if content:
            blocks.append({"text": content})
    elif content:
        for part in content:
            match part:
                case TextPart():
                    if part.text:
                        blocks.append({"text": part.text})
                case RefusalPart():
                    blocks.append({"text": part.refusal})
                case _:
                    assert_never(part)
            blocks.extend(_cache_point(part))
    for call in message.tool_calls or ():
        blocks.append(
            {
                "toolUse": {
                    "toolUseId": call.id,
                    "name": call.function.name,
                    "input": _tool_input(call.function.arguments),
                }
            }
        )
    return blocks + _cache_point(message)


def _tool_result(message: ToolMessage) -> list[dict[str, Any]]:
    result = {"toolUseId": message.tool_call_id, "content": [{"text": text_of(message.content)}]}
    return [{"toolResult": result}, *_cache_point(message)]


def _append(turns: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    if not blocks:
        return
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    else:
        turns.append({"role": role, "content": blocks})


def conversation(request: ChatRequest) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(system blocks, message turns)``, with same-role neighbours merged."""
    system: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for message in request.messages:
        match message:
            case SystemMessage() | DeveloperMessage():
                text = text_of(message.content)
                if text:
                    system.append({"text": text})
                system.extend(_cache_point(message))
            case UserMessage():
                _append(turns, "user", _user_blocks(message))
            case AssistantMessage():
                _append(turns, "assistant", _assistant_blocks(message))
            case ToolMessage():
                _append(turns, "user", _tool_result(message))
            case FunctionMessage():
                raise _bad("legacy function messages are not supported; use tool messages.")
            case _:
                assert_never(message)
    if not turns:
        raise _bad("the conversation needs at least one user or assistant message.")
    return system, turns


def _tool_spec(tool: Tool) -> dict[str, Any]:
    function = tool.function
    spec: dict[str, Any] = {
        "name": function.name,
        "inputSchema": {"json": function.parameters or {"type": "object", "properties": {}}},
    }
    if function.description:
        spec["description"] = function.description
    if function.strict is not None:
        spec["strict"] = function.strict
    return {"toolSpec": spec}


def _tool_choice(choice: Any) -> dict[str, Any] | None:
    """Converse's toolChoice for an OpenAI tool_choice; ``None`` for ``auto`` (the default)."""
    if isinstance(choice, NamedToolChoice):
        return {"tool": {"name": choice.function.name}}
    if isinstance(choice, Mapping):
        return {"tool": {"name": str(choice["function"]["name"])}}
    return {"any": {}} if choice == "required" else {"auto": {}} if choice == "auto" else None


def _uses_tools(turns: list[dict[str, Any]]) -> bool:
    return any("toolUse" in b or "toolResult" in b for turn in turns for b in turn["content"])


def _tool_config(
    request: ChatRequest, params: Mapping[str, Any], turns: list[dict[str, Any]]
) -> dict[str, Any] | None:
    tools = _setting(request, params, "tools")
    choice = _setting(request, params, "tool_choice")
    if not tools:
        return None
    if choice == "none":
        if _uses_tools(turns):
            raise _bad(
                "tool_choice 'none' cannot be honoured by Converse once the conversation holds "
                "tool calls; use 'auto'.",
                "tool_choice",
            )
        return None  # without a toolConfig the model cannot call a tool
    specs = [_tool_spec(t if isinstance(t, Tool) else Tool.model_validate(t)) for t in tools]
    config: dict[str, Any] = {"tools": specs}
    mapped = _tool_choice(choice)
    if mapped is not None:
        config["toolChoice"] = mapped
    return config


def _inference_config(request: ChatRequest, params: Mapping[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    limit = _setting(request, params, "max_completion_tokens") or _setting(request, params, "max_tokens")
    if limit is not None:
        config["maxTokens"] = int(limit)
    temperature = _setting(request, params, "temperature")
    if temperature is not None:
        if not 0 <= float(temperature) <= 1:
            raise _bad("temperature must be between 0 and 1 on Bedrock.", "temperature")
        config["temperature"] = float(temperature)
    top_p = _setting(request, params, "top_p")
    if top_p is not None:
        config["topP"] = float(top_p)
    stop = _setting(request, params, "stop")
    if stop:
        config["stopSequences"] = [stop] if isinstance(stop, str) else [s for s in stop if s]
    return config


def _json_tool(schema: Mapping[str, Any] | None, description: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": JSON_TOOL, "inputSchema": {"json": schema or {"type": "object"}}}
    spec["description"] = description or "Answer with a JSON object."
    return {"toolSpec": spec}


def _structured_output(body: dict[str, Any], request: ChatRequest, params: Mapping[str, Any]) -> str | None:
    """Apply response_format; returns the forced JSON tool's name when one carries the answer."""
    chosen = _setting(request, params, "response_format")
    if isinstance(chosen, Mapping):  # a deployment default, still a plain dict
        chosen = _RESPONSE_FORMAT.validate_python(chosen)
    match chosen:
        case None | TextFormat():
            return None
        case JsonSchemaResponseFormat():
            spec = chosen.json_schema
            if spec.schema_ is not None and params.get("structured_output", "native") != "tool":
                definition: dict[str, Any] = {
                    "schema": orjson.dumps(spec.schema_).decode(),
                    "name": spec.name,
                }
                if spec.description:
                    definition["description"] = spec.description
                output = body.setdefault("outputConfig", {})
                output["textFormat"] = {"type": "json_schema", "structure": {"jsonSchema": definition}}
                return None
            schema, description = spec.schema_, spec.description
        case JsonObjectFormat():
            schema, description = None, None
        case _:
            assert_never(chosen)
    if "toolConfig" in body:
        raise UnsupportedParameter(
            "bedrock: response_format json_object (or json_schema as a tool) cannot be combined "
            "with tools; Converse carries the JSON answer as a forced tool call.",
            param="response_format",
            provider="bedrock",
        )
    body["toolConfig"] = {
        "tools": [_json_tool(schema, description)],
        "toolChoice": {"tool": {"name": JSON_TOOL}},
    }
    return JSON_TOOL


def _thinking(request: ChatRequest, params: Mapping[str, Any]) -> dict[str, Any] | None:
    thinking = _setting(request, params, "thinking")
    if thinking is not None:
        return dict(thinking)
    effort = _setting(request, params, "reasoning_effort")
    if effort is None or effort == "none":
        return None
    budget = THINKING_BUDGETS.get(str(effort))
    if budget is None:
        raise _bad(
            f"reasoning_effort {effort!r} is not one of {sorted(THINKING_BUDGETS)}.", "reasoning_effort"
        )
    return {"type": "enabled", "budget_tokens": budget}


def _merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``, one level of nested objects deep."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _passthrough(body: dict[str, Any], request: ChatRequest, params: Mapping[str, Any]) -> None:
    extra = request.model_extra or {}
    for name in PASSTHROUGH:
        default, given = params.get(name), extra.get(name)
        if isinstance(default, Mapping) or isinstance(given, Mapping):
            value = _merged(body.get(name, {}), _merged(default or {}, given or {}))
        else:
            value = given if given is not None else default
        if value:
            body[name] = value


def to_wire(request: ChatRequest, model_id: str, params: Mapping[str, Any]) -> WireRequest:
    """The Converse body for ``request`` (ConverseStream takes the same body)."""
    system, turns = conversation(request)
    body: dict[str, Any] = {"messages": turns}
    if system:
        body["system"] = system
    inference = _inference_config(request, params)
    if inference:
        body["inferenceConfig"] = inference
    tools = _tool_config(request, params, turns)
    if tools is not None:
        body["toolConfig"] = tools
    json_tool = _structured_output(body, request, params)
    if is_anthropic(model_id):
        thinking = _thinking(request, params)
        if thinking is not None:
            body["additionalModelRequestFields"] = {"thinking": thinking}
    _passthrough(body, request, params)
    return WireRequest(body, json_tool)
