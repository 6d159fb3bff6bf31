"""Canonical chat requests -> Anthropic Messages API bodies (pure).

Parameter by parameter (see ``docs/providers/anthropic.md`` for the user's view):

- ``max_completion_tokens`` / ``max_tokens`` -> ``max_tokens``. Anthropic requires it; when the
  caller gives none, the deployment's ``max_tokens`` default, else its ``model_info``
  ``max_output_tokens``, else 4096 is sent (plus the thinking budget when one is set).
- ``stop`` -> ``stop_sequences``; ``user`` / ``safety_identifier`` -> ``metadata.user_id``.
- ``tools`` -> ``tools`` (name, description, ``input_schema``, ``strict``, ``cache_control``);
  ``tool_choice`` auto / none / required -> any / named -> tool;
  ``parallel_tool_calls: false`` -> ``tool_choice.disable_parallel_tool_use``.
- ``response_format``: ``json_schema`` -> ``output_config.format`` on models with structured
  outputs; otherwise, and for ``json_object``, a forced tool (``RESPONSE_TOOL``) whose input is
  the answer (``response.py`` turns it back into message text).
- ``reasoning_effort`` -> adaptive thinking with ``output_config.effort`` (4.6 and later), or
  ``thinking.budget_tokens`` from ``THINKING_BUDGETS`` (3.7 to 4.5). A native ``thinking``
  object in the request wins.
- ``temperature`` / ``top_p`` / ``top_k`` reach the wire only for models and API versions that
  still accept them (``capabilities.py``).
- ``n`` above 1 cannot be served (Anthropic answers once per request).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from switchboard.adapters.outbound.providers.anthropic.capabilities import (
    SAMPLING_PARAMS,
    rules,
    version_accepts_sampling,
)
from switchboard.adapters.outbound.providers.anthropic.messages import Block, to_turns
from switchboard.adapters.outbound.providers.function_tools import parameters_schema
from switchboard.adapters.outbound.providers.request_params import output_limit, param, stop_list
from switchboard.domain.chat import ChatRequest, JsonObjectFormat, JsonSchemaResponseFormat, TextFormat
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.messages import NamedToolChoice, Tool

DEFAULT_MAX_TOKENS = 4096
RESPONSE_TOOL = "json_response"
MIN_THINKING_BUDGET = 1024

# reasoning_effort -> thinking budget (models with the budget form) or effort (adaptive form).
THINKING_BUDGETS: dict[str, int] = {
    "minimal": 1024,
    "low": 2048,
    "medium": 8192,
    "high": 16384,
    "xhigh": 24576,  # with the 4096 answer default, under the smallest 4.x output cap (32k)
    "max": 24576,
}
EFFORTS: dict[str, str] = {
    "minimal": "low",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "xhigh": "xhigh",
    "max": "max",
}

_BASE_PARAMS = frozenset(
    {
        "max_tokens",
        "max_completion_tokens",
        "n",
        "stop",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "user",
        "safety_identifier",
    }
)
_THINKING_PARAMS = frozenset({"reasoning_effort", "thinking"})


def chat_params(model: str) -> frozenset[str]:
    """The OpenAI parameters (and Anthropic's ``top_k``/``thinking``) honoured for ``model``."""
    model_rules = rules(model)
    supported = _BASE_PARAMS
    if model_rules.thinking != "none":
        supported = supported | _THINKING_PARAMS
    if model_rules.accepts_sampling:
        supported = supported | SAMPLING_PARAMS
    return supported


@dataclass(frozen=True, slots=True)
class WireSettings:
    """What a deployment adds to every request: the upstream model, the API version, defaults."""

    model: str
    api_version: str
    defaults: Mapping[str, Any] = field(default_factory=dict)
    max_tokens: int = DEFAULT_MAX_TOKENS


@dataclass(slots=True)
class WireRequest:
    """The body to send, and whether the answer comes back through ``RESPONSE_TOOL``."""

    body: dict[str, Any]
    response_tool: str | None = None


def _tool(tool: Tool) -> Block:
    function = tool.function
    block: Block = {
        "name": function.name,
        "input_schema": parameters_schema(function),
    }
    if function.description:
        block["description"] = function.description
    if function.strict is not None:
        block["strict"] = function.strict
    control = (tool.model_extra or {}).get("cache_control") or (function.model_extra or {}).get("cache_control")
    if control is not None:
        block["cache_control"] = control
    return block


def _tool_choice(choice: Any, parallel: bool | None) -> Block | None:
    wire: Block | None
    match choice:
        case None:
            wire = None
        case "auto":
            wire = {"type": "auto"}
        case "none":
            return {"type": "none"}  # takes no disable_parallel_tool_use
        case "required":
            wire = {"type": "any"}
        case NamedToolChoice():
            wire = {"type": "tool", "name": choice.function.name}
        case _:
            raise BadRequest(f"Invalid value for 'tool_choice': {choice!r}.", param="tool_choice")
    if parallel is False:
        wire = wire or {"type": "auto"}
        wire["disable_parallel_tool_use"] = True
    return wire


def _response_format(request: ChatRequest, body: dict[str, Any], structured: bool) -> str | None:
    """Sets the output format on ``body``; returns the forced tool's name when one is used."""
    match request.response_format:
        case None | TextFormat():
            return None
        case JsonSchemaResponseFormat(json_schema=spec) if structured:
            body.setdefault("output_config", {})["format"] = {
                "type": "json_schema",
                "schema": spec.schema_ or {"type": "object"},
            }
            return None
        case JsonSchemaResponseFormat(json_schema=spec):
            schema, description = spec.schema_ or {"type": "object"}, spec.description
        case JsonObjectFormat():
            schema, description = {"type": "object"}, None
        case _:
            raise BadRequest("Invalid value for 'response_format'.", param="response_format")
    if request.tools:
        raise UnsupportedParameter(
            "anthropic cannot combine tools with this response_format on this model: JSON output "
            "is produced by a forced tool here. Use json_schema on a Claude 4.5 or later model, "
            "or drop one of the two.",
            param="response_format",
            provider="anthropic",
        )
    body["tools"] = [
        {
            "name": RESPONSE_TOOL,
            "description": description or "Give the answer as this tool's input.",
            "input_schema": schema,
        }
    ]
    body["tool_choice"] = {"type": "tool", "name": RESPONSE_TOOL}
    return RESPONSE_TOOL


def _thinking(request: ChatRequest, settings: WireSettings, body: dict[str, Any], limit: int | None) -> int:
    """Sets ``thinking`` (and the effort) on ``body``; returns the thinking budget in tokens."""
    native = param(request, settings.defaults, "thinking")
    if isinstance(native, Mapping):
        body["thinking"] = dict(native)
        budget = native.get("budget_tokens")
        return budget if isinstance(budget, int) else 0
    effort = param(request, settings.defaults, "reasoning_effort")
    if effort is None:
        return 0
    style = rules(settings.model).thinking
    if style == "none":
        raise UnsupportedParameter(
            f"{settings.model} cannot think; remove reasoning_effort, or set drop_params: true.",
            param="reasoning_effort",
            provider="anthropic",
            code="unsupported_parameter",
        )
    if effort == "none":
        if style == "adaptive":
            body["thinking"] = {"type": "disabled"}
        return 0
    if effort not in EFFORTS:
        raise BadRequest(
            f"Invalid value for 'reasoning_effort': {effort!r}; expected one of "
            "none, minimal, low, medium, high, xhigh, max.",
            param="reasoning_effort",
        )
    if style == "adaptive":
        body["thinking"] = {"type": "adaptive"}
        body.setdefault("output_config", {})["effort"] = EFFORTS[effort]
        return 0
    budget = THINKING_BUDGETS[effort]
    if limit is not None:
        budget = min(budget, limit - 1)
        if budget < MIN_THINKING_BUDGET:
            raise BadRequest(
                f"anthropic needs max_tokens above {MIN_THINKING_BUDGET} to think "
                f"(reasoning_effort={effort!r}); raise max_tokens or drop reasoning_effort.",
                param="max_tokens",
                provider="anthropic",
            )
    body["thinking"] = {"type": "enabled", "budget_tokens": budget}
    return budget


def _sampling(request: ChatRequest, settings: WireSettings, body: dict[str, Any]) -> None:
    for name in ("temperature", "top_p", "top_k"):
        value = param(request, settings.defaults, name)
        if value is None:
            continue
        if not version_accepts_sampling(settings.api_version) or not rules(settings.model).accepts_sampling:
            raise UnsupportedParameter(
                f"anthropic does not accept '{name}' for {settings.model} with anthropic-version "
                f"{settings.api_version}. Remove it, or set drop_params: true.",
                param=name,
                provider="anthropic",
                code="unsupported_parameter",
            )
        if name == "temperature" and value > 1:
            raise BadRequest(f"anthropic takes temperature from 0 to 1, not {value}.", param="temperature")
        body[name] = value


def to_wire(request: ChatRequest, settings: WireSettings, *, stream: bool) -> WireRequest:
    """The Messages API body for ``request`` on the deployment described by ``settings``."""
    n = param(request, settings.defaults, "n")
    if n is not None and n > 1:
        raise UnsupportedParameter(
            "anthropic answers once per request; n above 1 is not supported.",
            param="n",
            provider="anthropic",
            code="unsupported_parameter",
        )
    system, turns = to_turns(request.messages)
    body: dict[str, Any] = {"model": settings.model, "messages": turns}
    if system is not None:
        body["system"] = system
    limit = output_limit(request, settings.defaults)
    budget = _thinking(request, settings, body, limit)
    body["max_tokens"] = limit or settings.max_tokens + budget
    if stop := request.stop_sequences or param(request, settings.defaults, "stop"):
        body["stop_sequences"] = stop_list(stop)
    if user := request.user or param(request, settings.defaults, "safety_identifier"):
        body["metadata"] = {"user_id": user}
    _sampling(request, settings, body)
    if request.tools:
        body["tools"] = [_tool(tool) for tool in request.tools]
    choice = _tool_choice(request.tool_choice, request.parallel_tool_calls)
    if choice is not None:
        body["tool_choice"] = choice
    response_tool = _response_format(request, body, rules(settings.model).structured_output)
    if stream:
        body["stream"] = True
    return WireRequest(body, response_tool)
