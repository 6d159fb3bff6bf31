"""Canonical chat requests -> Bedrock Converse / ConverseStream bodies (pure).

Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html.
The body never carries the model id (it is in the URL). Messages map in ``conversation.py``;
the rest maps here:

- tools -> ``toolConfig.tools[].toolSpec``; tool_choice auto/required/named -> auto/any/tool
- temperature, top_p, max_(completion_)tokens, stop -> ``inferenceConfig``
- response_format json_schema -> ``outputConfig.textFormat`` (or, with the deployment param
  ``structured_output: tool``, a forced tool); json_object -> a forced tool whose input is the answer
- reasoning_effort / thinking (Anthropic models) -> ``additionalModelRequestFields.thinking``
- ``additionalModelRequestFields``, ``additionalModelResponseFieldPaths``, ``guardrailConfig``,
  ``performanceConfig``, ``requestMetadata`` pass through from deployment params or the request
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, assert_never

import orjson
from pydantic import TypeAdapter

from switchboard.adapters.outbound.providers.bedrock.conversation import conversation
from switchboard.adapters.outbound.providers.bedrock.target import bare_model
from switchboard.adapters.outbound.providers.function_tools import as_tool, parameters_schema
from switchboard.adapters.outbound.providers.request_params import param
from switchboard.domain.chat import (
    ChatRequest,
    JsonObjectFormat,
    JsonSchemaResponseFormat,
    ResponseFormat,
    TextFormat,
)
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.messages import NamedToolChoice, Tool

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
# Anthropic's thinking budgets for OpenAI's effort words (the API minimum is 1024).
THINKING_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096}

_RESPONSE_FORMAT: TypeAdapter[Any] = TypeAdapter(ResponseFormat)


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A Converse body, and the name of the forced tool that carries a JSON answer, if any."""

    body: dict[str, Any]
    json_tool: str | None = None


@lru_cache(maxsize=256)
def is_anthropic(model_id: str) -> bool:
    return bare_model(model_id).startswith("anthropic.")


@lru_cache(maxsize=256)
def chat_params(model_id: str) -> frozenset[str]:
    """The OpenAI parameters Converse honours for ``model_id`` (plus the Converse passthroughs)."""
    return _BASE_PARAMS | _ANTHROPIC_PARAMS if is_anthropic(model_id) else _BASE_PARAMS


def _bad(message: str, param: str = "messages") -> BadRequest:
    return BadRequest(f"bedrock: {message}", param=param, provider="bedrock")


def _tool_spec(tool: Tool) -> dict[str, Any]:
    function = tool.function
    spec: dict[str, Any] = {
        "name": function.name,
        "inputSchema": {"json": parameters_schema(function)},
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


def _tool_config(request: ChatRequest, params: Mapping[str, Any], turns: list[dict[str, Any]]) -> dict[str, Any] | None:
    tools = param(request, params, "tools")
    choice = param(request, params, "tool_choice")
    if not tools:
        return None
    if choice == "none":
        if _uses_tools(turns):
            raise _bad(
                "tool_choice 'none' cannot be honoured by Converse once the conversation holds tool calls; use 'auto'.",
                "tool_choice",
            )
        return None  # without a toolConfig the model cannot call a tool
    specs = [_tool_spec(as_tool(t)) for t in tools]
    config: dict[str, Any] = {"tools": specs}
    mapped = _tool_choice(choice)
    if mapped is not None:
        config["toolChoice"] = mapped
    return config


def _inference_config(request: ChatRequest, params: Mapping[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    limit = param(request, params, "max_completion_tokens") or param(request, params, "max_tokens")
    if limit is not None:
        config["maxTokens"] = int(limit)
    temperature = param(request, params, "temperature")
    if temperature is not None:
        if not 0 <= float(temperature) <= 1:
            raise _bad("temperature must be between 0 and 1 on Bedrock.", "temperature")
        config["temperature"] = float(temperature)
    top_p = param(request, params, "top_p")
    if top_p is not None:
        config["topP"] = float(top_p)
    stop = param(request, params, "stop")
    if stop:
        config["stopSequences"] = [stop] if isinstance(stop, str) else [s for s in stop if s]
    return config


def _json_tool(schema: Mapping[str, Any] | None, description: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": JSON_TOOL, "inputSchema": {"json": schema or {"type": "object"}}}
    spec["description"] = description or "Answer with a JSON object."
    return {"toolSpec": spec}


def _structured_output(body: dict[str, Any], request: ChatRequest, params: Mapping[str, Any]) -> str | None:
    """Apply response_format; returns the forced JSON tool's name when one carries the answer."""
    chosen = param(request, params, "response_format")
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
    thinking = param(request, params, "thinking")
    if thinking is not None:
        return dict(thinking)
    effort = param(request, params, "reasoning_effort")
    if effort is None or effort == "none":
        return None
    budget = THINKING_BUDGETS.get(str(effort))
    if budget is None:
        raise _bad(f"reasoning_effort {effort!r} is not one of {sorted(THINKING_BUDGETS)}.", "reasoning_effort")
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
    extra = request.__pydantic_extra__ or {}
    if not extra and not params:
        return
    for name in PASSTHROUGH:
        default, given = params.get(name), extra.get(name)
        if default is None and given is None:
            continue
        if isinstance(default, Mapping) or isinstance(given, Mapping):
            value: Any = _merged(body.get(name) or {}, _merged(default or {}, given or {}))
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
