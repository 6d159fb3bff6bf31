"""Canonical tools in the shapes the wire formats share (pure).

Several APIs copied OpenAI's function tool (``{"type": "function", "function": {name, description,
parameters}}``); the others still need a JSON schema for a tool without parameters. Tools and a
named ``tool_choice`` from a deployment default arrive as plain dicts and are read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from switchboard.domain.messages import FunctionDefinition, NamedToolChoice, Tool


def as_tool(value: Tool | Mapping[str, Any]) -> Tool:
    """A tool from the request, or from a deployment default (still a plain dict)."""
    return value if isinstance(value, Tool) else Tool.model_validate(value)


def as_tool_choice(value: Any) -> Any:
    """``tool_choice`` with a deployment default's plain dict read as a ``NamedToolChoice``;
    the words (``auto``, ``none``, ``required``) as they are."""
    return NamedToolChoice.model_validate(value) if isinstance(value, Mapping) else value


def parameters_schema(function: FunctionDefinition) -> dict[str, Any]:
    """The function's JSON schema; a function without one takes an empty object."""
    return function.parameters or {"type": "object", "properties": {}}


def function_tool(tool: Tool, *, strict: bool = False) -> dict[str, Any]:
    """OpenAI's function tool; ``strict`` carries the function's own ``strict`` flag when set."""
    function = tool.function
    wire: dict[str, Any] = {"name": function.name, "parameters": parameters_schema(function)}
    if function.description:
        wire["description"] = function.description
    if strict and function.strict is not None:
        wire["strict"] = function.strict
    return {"type": "function", "function": wire}
