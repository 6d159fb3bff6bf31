"""Canonical chat requests -> ``generateContent`` bodies (pure); shared by Gemini and Vertex AI.

Tools and JSON schemas pass as JSON Schema (``parametersJsonSchema``, ``responseJsonSchema``)
rather than converted to Gemini's OpenAPI subset (``parameters``, ``responseSchema``), so
``$ref``, ``anyOf`` and ``additionalProperties`` reach the model as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from switchboard.adapters.outbound.providers.gemini.content import to_contents
from switchboard.adapters.outbound.providers.request_params import copy_params, param, stop_list
from switchboard.domain.chat import ChatRequest, JsonObjectFormat, JsonSchemaResponseFormat, TextFormat
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.messages import NamedToolChoice, Tool

CHAT_PARAMS = frozenset(
    {
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "n",
        "stop",
        "seed",
        "presence_penalty",
        "frequency_penalty",
        "logprobs",
        "top_logprobs",
        "response_format",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning_effort",
        # LiteLLM's Gemini extras, accepted so its users' requests carry over
        "top_k",
        "safety_settings",
        "thinking",
    }
)

# OpenAI reasoning_effort -> Gemini 2.5 thinkingBudget: Google's own mapping in its OpenAI
# compatible API (https://ai.google.dev/gemini-api/docs/openai): 1K, 8K and 24K tokens.
_THINKING_BUDGET = {"none": 0, "minimal": 1024, "low": 1024, "medium": 8192, "high": 24576, "xhigh": 32768}
# Gemini 3 and later take a level instead; thinking cannot be turned off there, so "none" asks
# for the least the model allows.
_THINKING_LEVEL = {
    "none": "MINIMAL",
    "minimal": "MINIMAL",
    "low": "LOW",
    "medium": "MEDIUM",
    "high": "HIGH",
    "xhigh": "XHIGH",
}
_GENERATION = re.compile(r"gemini-(\d+)", re.IGNORECASE)


def uses_thinking_levels(model: str) -> bool:
    """Gemini 3 and later models take ``thinkingLevel``; earlier ones ``thinkingBudget``."""
    found = _GENERATION.search(model)
    return bool(found and int(found.group(1)) >= 3)


def chat_body(request: ChatRequest, model: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of ``generateContent``/``streamGenerateContent`` for ``request``."""
    contents, system = to_contents(request.messages)
    if not contents:
        raise BadRequest("Gemini needs at least one user or assistant message", param="messages")
    body: dict[str, Any] = {"contents": contents}
    if system:
        body["systemInstruction"] = system
    if request.tools:
        body["tools"] = [{"functionDeclarations": [_declaration(tool) for tool in request.tools]}]
    if request.tool_choice is not None:
        body["toolConfig"] = {"functionCallingConfig": _calling_config(request.tool_choice)}
    if request.parallel_tool_calls is False:
        raise UnsupportedParameter(
            "Gemini cannot be told to avoid parallel function calls (parallel_tool_calls: false).",
            param="parallel_tool_calls",
            code="unsupported_parameter",
        )
    if safety := param(request, defaults, "safety_settings"):
        body["safetySettings"] = safety
    generation = _generation_config(request, defaults, model)
    if generation:
        body["generationConfig"] = generation
    return body


_GENERATION_KEYS = {
    "temperature": "temperature",
    "top_p": "topP",
    "top_k": "topK",
    "n": "candidateCount",
    "seed": "seed",
    "presence_penalty": "presencePenalty",
    "frequency_penalty": "frequencyPenalty",
}


def _generation_config(request: ChatRequest, defaults: Mapping[str, Any], model: str) -> dict[str, Any]:
    config: dict[str, Any] = {}
    copy_params(config, request, defaults, _GENERATION_KEYS)
    limit = param(request, defaults, "max_completion_tokens") or param(request, defaults, "max_tokens")
    if limit is not None:
        config["maxOutputTokens"] = limit
    stop = param(request, defaults, "stop")
    if stop:
        config["stopSequences"] = stop_list(stop)
    if request.logprobs:
        config["responseLogprobs"] = True
        if request.top_logprobs:
            config["logprobs"] = request.top_logprobs
    match request.response_format:
        case None | TextFormat():
            pass
        case JsonObjectFormat():
            config["responseMimeType"] = "application/json"
        case JsonSchemaResponseFormat(json_schema=spec):
            config["responseMimeType"] = "application/json"
            if spec.schema_ is not None:
                config["responseJsonSchema"] = spec.schema_
    thinking = _thinking_config(
        param(request, defaults, "reasoning_effort"), param(request, defaults, "thinking"), model
    )
    if thinking is not None:
        config["thinkingConfig"] = thinking
    return config


def _thinking_config(effort: Any, thinking: Any, model: str) -> dict[str, Any] | None:
    if effort is not None:
        effort = str(effort).lower()
        table: Mapping[str, Any] = _THINKING_LEVEL if uses_thinking_levels(model) else _THINKING_BUDGET
        if effort not in table:
            raise BadRequest(f"reasoning_effort must be one of {', '.join(sorted(table))}", param="reasoning_effort")
        key = "thinkingLevel" if table is _THINKING_LEVEL else "thinkingBudget"
        # Thought summaries come back as reasoning_content, as they do from OpenAI's o-series.
        return {key: table[effort], "includeThoughts": effort != "none"}
    if isinstance(thinking, Mapping):  # Anthropic's shape, which LiteLLM accepts for Gemini too
        if thinking.get("type") == "disabled":
            return {"thinkingBudget": 0}
        budget = thinking.get("budget_tokens")
        config: dict[str, Any] = {"includeThoughts": True}
        if isinstance(budget, int):
            config["thinkingBudget"] = budget
        return config
    if thinking is not None:
        raise BadRequest("thinking must be an object like {type: enabled, budget_tokens: N}", param="thinking")
    return None


def _declaration(tool: Tool) -> dict[str, Any]:
    function = tool.function
    declaration: dict[str, Any] = {"name": function.name}
    if function.description:
        declaration["description"] = function.description
    if function.parameters:
        declaration["parametersJsonSchema"] = function.parameters
    return declaration


def _calling_config(choice: Any) -> dict[str, Any]:
    if isinstance(choice, NamedToolChoice):
        return {"mode": "ANY", "allowedFunctionNames": [choice.function.name]}
    return {"mode": {"none": "NONE", "auto": "AUTO", "required": "ANY"}[choice]}
