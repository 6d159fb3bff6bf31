from __future__ import annotations

from switchboard.adapters.outbound.providers.function_tools import (
    as_tool,
    as_tool_choice,
    function_tool,
    parameters_schema,
)
from switchboard.domain.messages import FunctionDefinition, NamedToolChoice, Tool

WEATHER = {
    "type": "function",
    "function": {"name": "weather", "description": "Today's weather", "parameters": {"type": "object"}, "strict": True},
}


def test_a_tool_from_a_deployment_default_is_read_as_a_tool() -> None:
    tool = as_tool(WEATHER)
    assert isinstance(tool, Tool)
    assert as_tool(tool) is tool


def test_a_named_tool_choice_from_a_deployment_default_is_read_and_words_pass() -> None:
    assert as_tool_choice({"type": "function", "function": {"name": "weather"}}) == NamedToolChoice.model_validate(
        {"type": "function", "function": {"name": "weather"}}
    )
    assert as_tool_choice("required") == "required"


def test_a_function_without_parameters_takes_an_empty_object() -> None:
    assert parameters_schema(FunctionDefinition(name="now")) == {"type": "object", "properties": {}}


def test_the_openai_function_tool_carries_strict_only_when_asked() -> None:
    tool = as_tool(WEATHER)
    assert function_tool(tool) == {
        "type": "function",
        "function": {"name": "weather", "parameters": {"type": "object"}, "description": "Today's weather"},
    }
    assert function_tool(tool, strict=True)["function"]["strict"] is True
    assert "strict" not in function_tool(as_tool({"function": {"name": "now"}}), strict=True)["function"]
