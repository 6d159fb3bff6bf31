"""Canonical requests -> Messages API bodies, each one validated by the SDK's request schema."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.anthropic.capabilities import CURRENT_API_VERSION, rules
from switchboard.adapters.outbound.providers.anthropic.request import (
    RESPONSE_TOOL,
    WireRequest,
    WireSettings,
    chat_params,
    to_wire,
)
from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from tests.support.anthropic_wire import validate_request

HI = [{"role": "user", "content": "Hi"}]
WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather now.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
SCHEMA = {
    "type": "object",
    "properties": {"a": {"type": "integer"}},
    "required": ["a"],
    "additionalProperties": False,
}


def wire(
    model: str = "claude-sonnet-4-5",
    *,
    version: str | None = None,
    defaults: dict[str, Any] | None = None,
    stream: bool = False,
    **request: Any,
) -> WireRequest:
    settings = WireSettings(
        model=model,
        api_version=version or rules(model).default_api_version,
        defaults=defaults or {},
    )
    parsed = ChatRequest.model_validate({"model": "group", "messages": HI, **request})
    result = to_wire(parsed, settings, stream=stream)
    validate_request(result.body)
    return result


def test_the_body_names_the_upstream_model_and_a_default_max_tokens() -> None:
    body = wire().body
    assert body == {"model": "claude-sonnet-4-5", "messages": HI, "max_tokens": 4096}


def test_max_completion_tokens_becomes_max_tokens() -> None:
    assert wire(max_completion_tokens=300, max_tokens=10).body["max_tokens"] == 300


def test_a_deployment_default_max_tokens_applies_when_the_caller_sets_none() -> None:
    assert wire(defaults={"max_tokens": 777}).body["max_tokens"] == 777


def test_streaming_sets_stream() -> None:
    assert wire(stream=True).body["stream"] is True


def test_stop_becomes_stop_sequences_and_user_the_metadata_user_id() -> None:
    body = wire(stop="END", user="user-42").body
    assert body["stop_sequences"] == ["END"]
    assert body["metadata"] == {"user_id": "user-42"}


def test_safety_identifier_also_becomes_the_metadata_user_id() -> None:
    assert wire(safety_identifier="hash-1").body["metadata"] == {"user_id": "hash-1"}


def test_tools_carry_name_description_schema_strict_and_cache_control() -> None:
    tool = {**WEATHER, "cache_control": {"type": "ephemeral"}}
    tool["function"] = {**WEATHER["function"], "strict": True}
    body = wire(tools=[tool]).body
    assert body["tools"] == [
        {
            "name": "get_weather",
            "description": "Weather now.",
            "input_schema": WEATHER["function"]["parameters"],
            "strict": True,
            "cache_control": {"type": "ephemeral"},
        }
    ]


def test_a_tool_without_parameters_takes_an_empty_object_schema() -> None:
    body = wire(tools=[{"type": "function", "function": {"name": "now"}}]).body
    assert body["tools"] == [{"name": "now", "input_schema": {"type": "object", "properties": {}}}]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        ({"type": "function", "function": {"name": "get_weather"}}, {"type": "tool", "name": "get_weather"}),
    ],
)
def test_tool_choice_maps_to_its_anthropic_form(choice: Any, expected: dict[str, Any]) -> None:
    assert wire(tools=[WEATHER], tool_choice=choice).body["tool_choice"] == expected


def test_parallel_tool_calls_false_disables_parallel_tool_use() -> None:
    body = wire(tools=[WEATHER], parallel_tool_calls=False).body
    assert body["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}
    body = wire(tools=[WEATHER], tool_choice="required", parallel_tool_calls=False).body
    assert body["tool_choice"] == {"type": "any", "disable_parallel_tool_use": True}


def test_json_schema_uses_structured_outputs_on_models_that_have_them() -> None:
    result = wire(response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": SCHEMA}})
    assert result.body["output_config"] == {"format": {"type": "json_schema", "schema": SCHEMA}}
    assert result.response_tool is None


def test_json_schema_on_an_older_model_is_a_forced_tool() -> None:
    result = wire(
        "claude-3-5-sonnet-20241022",
        response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": SCHEMA}},
    )
    assert result.response_tool == RESPONSE_TOOL
    assert result.body["tools"][0]["input_schema"] == SCHEMA
    assert result.body["tool_choice"] == {"type": "tool", "name": RESPONSE_TOOL}
    assert "output_config" not in result.body


def test_json_object_is_a_forced_tool_taking_any_object() -> None:
    result = wire(response_format={"type": "json_object"})
    assert result.body["tools"][0]["input_schema"] == {"type": "object"}
    assert result.response_tool == RESPONSE_TOOL


def test_a_forced_json_tool_cannot_join_the_callers_tools() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        wire(tools=[WEATHER], response_format={"type": "json_object"})
    assert caught.value.param == "response_format"


def test_reasoning_effort_on_an_adaptive_model_is_adaptive_thinking_with_effort() -> None:
    body = wire("claude-opus-4-7", reasoning_effort="high").body
    assert body["thinking"] == {"type": "adaptive"}
    assert body["output_config"] == {"effort": "high"}
    assert body["max_tokens"] == 4096


def test_reasoning_effort_none_disables_adaptive_thinking() -> None:
    assert wire("claude-opus-4-7", reasoning_effort="none").body["thinking"] == {"type": "disabled"}


def test_reasoning_effort_on_a_budget_model_sets_a_budget_and_room_for_the_answer() -> None:
    body = wire("claude-sonnet-4-5", reasoning_effort="low").body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["max_tokens"] == 4096 + 2048


def test_a_thinking_budget_stays_below_the_callers_max_tokens() -> None:
    body = wire("claude-sonnet-4-5", reasoning_effort="high", max_tokens=5000).body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 4999}
    assert body["max_tokens"] == 5000


def test_thinking_with_too_few_max_tokens_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        wire("claude-sonnet-4-5", reasoning_effort="low", max_tokens=800)
    assert caught.value.param == "max_tokens"


def test_reasoning_effort_for_a_model_that_cannot_think_is_unsupported() -> None:
    with pytest.raises(UnsupportedParameter):
        wire("claude-3-5-sonnet-20241022", defaults={"reasoning_effort": "low"})


def test_an_unknown_reasoning_effort_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        wire("claude-opus-4-7", reasoning_effort="extreme")


def test_a_native_thinking_object_is_sent_as_given() -> None:
    body = wire("claude-sonnet-4-5", thinking={"type": "enabled", "budget_tokens": 3000}).body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 3000}
    assert body["max_tokens"] == 4096 + 3000


def test_sampling_parameters_pass_for_older_models_on_the_legacy_version() -> None:
    body = wire("claude-3-5-sonnet-20241022", temperature=0.2, top_p=0.9, top_k=40).body
    assert (body["temperature"], body["top_p"], body["top_k"]) == (0.2, 0.9, 40)


def test_a_deployment_default_temperature_applies_like_a_request_one() -> None:
    assert wire("claude-3-5-sonnet-20241022", defaults={"temperature": 0}).body["temperature"] == 0


def test_sampling_parameters_are_refused_for_current_models() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        wire("claude-opus-4-7", temperature=0.2)
    assert caught.value.param == "temperature"


def test_sampling_parameters_are_refused_when_a_deployment_pins_the_current_version() -> None:
    with pytest.raises(UnsupportedParameter):
        wire("claude-3-5-sonnet-20241022", version=CURRENT_API_VERSION, top_p=0.5)


def test_a_temperature_above_one_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        wire("claude-3-5-sonnet-20241022", temperature=1.5)
    assert caught.value.param == "temperature"


def test_n_above_one_is_unsupported_and_n_of_one_is_fine() -> None:
    assert "n" not in wire(n=1).body
    with pytest.raises(UnsupportedParameter):
        wire(n=2)


@pytest.mark.parametrize(
    ("model", "present", "absent"),
    [
        ("claude-3-5-sonnet-20241022", {"temperature", "top_p", "top_k"}, {"reasoning_effort"}),
        ("claude-sonnet-4-5", {"temperature", "reasoning_effort", "thinking"}, set()),
        ("claude-opus-4-7", {"reasoning_effort", "tools", "response_format"}, {"temperature", "top_p"}),
        ("claude-mythos-preview", {"reasoning_effort"}, {"temperature"}),
    ],
)
def test_supported_params_follow_the_model(model: str, present: set[str], absent: set[str]) -> None:
    supported = chat_params(model)
    assert present <= supported
    assert not absent & supported
    assert not {"logprobs", "frequency_penalty", "presence_penalty", "seed", "logit_bias"} & supported
