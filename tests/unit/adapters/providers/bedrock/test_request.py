from __future__ import annotations

from typing import Any

import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock.request import JSON_TOOL, WireRequest, chat_params, to_wire
from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from tests.support.bedrock_wire import check_request

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
NOVA = "us.amazon.nova-pro-v1:0"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def wire(model: str = HAIKU, params: dict[str, Any] | None = None, **request: Any) -> WireRequest:
    body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], **request}
    result = to_wire(ChatRequest.model_validate(body), model, params or {})
    check_request(result.body)
    check_request(result.body, "ConverseStream")
    return result


def test_a_plain_prompt_becomes_one_user_turn() -> None:
    assert wire().body == {"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}


def test_system_and_developer_messages_become_system_blocks_wherever_they_are() -> None:
    body = wire(
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
        ]
    ).body
    assert body["system"] == [{"text": "Be brief."}, {"text": "Answer in French."}]
    assert body["messages"] == [{"role": "user", "content": [{"text": "Hi"}]}]


def test_consecutive_messages_of_one_role_merge_into_one_turn() -> None:
    body = wire(
        messages=[
            {"role": "user", "content": "one"},
            {"role": "user", "content": "two"},
            {"role": "assistant", "content": "three"},
            {"role": "assistant", "content": "four"},
            {"role": "user", "content": "five"},
        ]
    ).body
    assert [t["role"] for t in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][0]["content"] == [{"text": "one"}, {"text": "two"}]
    assert body["messages"][1]["content"] == [{"text": "three"}, {"text": "four"}]


def test_tool_calls_and_results_become_tool_use_and_tool_result_blocks() -> None:
    body = wire(
        messages=[
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                    {
                        "id": "call_2",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "21C"}]},
            {"role": "user", "content": "Thanks"},
        ],
        tools=[WEATHER_TOOL],
    ).body
    assistant, results = body["messages"][1], body["messages"][2]
    assert assistant == {
        "role": "assistant",
        "content": [
            {"toolUse": {"toolUseId": "call_1", "name": "get_weather", "input": {"city": "Paris"}}},
            {"toolUse": {"toolUseId": "call_2", "name": "get_weather", "input": {}}},
        ],
    }
    assert results == {
        "role": "user",
        "content": [
            {"toolResult": {"toolUseId": "call_1", "content": [{"text": "18C"}]}},
            {"toolResult": {"toolUseId": "call_2", "content": [{"text": "21C"}]}},
            {"text": "Thanks"},
        ],
    }


def test_tool_call_arguments_that_are_not_json_are_refused() -> None:
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{city: Paris"}}
    with pytest.raises(BadRequest, match="not valid JSON"):
        wire(messages=[{"role": "user", "content": "x"}, {"role": "assistant", "tool_calls": [call]}])


def test_tools_become_tool_specs() -> None:
    strict = {**WEATHER_TOOL, "function": {**WEATHER_TOOL["function"], "strict": True}}
    bare = {"type": "function", "function": {"name": "ping"}}
    body = wire(tools=[strict, bare]).body
    assert body["toolConfig"] == {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "inputSchema": {"json": WEATHER_TOOL["function"]["parameters"]},
                    "strict": True,
                }
            },
            {"toolSpec": {"name": "ping", "inputSchema": {"json": {"type": "object", "properties": {}}}}},
        ]
    }


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"auto": {}}),
        ("required", {"any": {}}),
        ({"type": "function", "function": {"name": "get_weather"}}, {"tool": {"name": "get_weather"}}),
    ],
)
def test_tool_choice_maps_to_converse_words(choice: Any, expected: dict[str, Any]) -> None:
    assert wire(tools=[WEATHER_TOOL], tool_choice=choice).body["toolConfig"]["toolChoice"] == expected


def test_tool_choice_none_leaves_the_tools_out() -> None:
    assert "toolConfig" not in wire(tools=[WEATHER_TOOL], tool_choice="none").body


def test_tool_choice_none_cannot_be_honoured_once_tools_were_used() -> None:
    call = {"id": "c", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
    messages = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c", "content": "ok"},
    ]
    with pytest.raises(BadRequest) as caught:
        wire(messages=messages, tools=[WEATHER_TOOL], tool_choice="none")
    assert caught.value.param == "tool_choice"


def test_sampling_and_length_parameters_go_to_inference_config() -> None:
    body = wire(temperature=0.2, top_p=0.9, max_tokens=300, stop="END").body
    assert body["inferenceConfig"] == {
        "maxTokens": 300,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["END"],
    }


def test_max_completion_tokens_wins_over_max_tokens() -> None:
    assert wire(max_tokens=10, max_completion_tokens=20).body["inferenceConfig"] == {"maxTokens": 20}


def test_deployment_defaults_fill_parameters_the_request_left_out() -> None:
    body = wire(params={"temperature": 0, "max_tokens": 64}, temperature=0.5).body
    assert body["inferenceConfig"] == {"maxTokens": 64, "temperature": 0.5}


def test_a_temperature_above_one_is_refused_with_its_name() -> None:
    with pytest.raises(BadRequest) as caught:
        wire(temperature=1.5)
    assert caught.value.param == "temperature"


def test_a_data_url_image_is_sent_inline() -> None:
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
    ]
    body = wire(messages=[{"role": "user", "content": content}]).body
    assert body["messages"][0]["content"][1] == {"image": {"format": "png", "source": {"bytes": PNG}}}


def test_an_s3_image_is_sent_by_location() -> None:
    content = [{"type": "image_url", "image_url": {"url": "s3://bucket/cats/tabby.JPG"}}]
    body = wire(messages=[{"role": "user", "content": content}]).body
    assert body["messages"][0]["content"] == [
        {"image": {"format": "jpeg", "source": {"s3Location": {"uri": "s3://bucket/cats/tabby.JPG"}}}}
    ]


def test_an_http_image_url_is_refused_with_a_clear_message() -> None:
    content = [{"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]
    with pytest.raises(BadRequest, match="data: URL"):
        wire(messages=[{"role": "user", "content": content}])


def test_an_unsupported_image_type_is_refused() -> None:
    content = [{"type": "image_url", "image_url": {"url": "data:image/tiff;base64,AAAA"}}]
    with pytest.raises(BadRequest, match="tiff"):
        wire(messages=[{"role": "user", "content": content}])


def test_a_pdf_file_becomes_a_document_block() -> None:
    content = [
        {
            "type": "file",
            "file": {
                "file_data": "data:application/pdf;base64,JVBERi0xLjQK",
                "filename": "Q3 report (final).pdf",
            },
        }
    ]
    body = wire(messages=[{"role": "user", "content": content}]).body
    assert body["messages"][0]["content"] == [
        {"document": {"format": "pdf", "name": "Q3 report (final)", "source": {"bytes": "JVBERi0xLjQK"}}}
    ]


def test_a_file_id_cannot_be_sent() -> None:
    content = [{"type": "file", "file": {"file_id": "file-abc"}}]
    with pytest.raises(BadRequest, match="file_data"):
        wire(messages=[{"role": "user", "content": content}])


def test_input_audio_becomes_an_audio_block() -> None:
    content = [{"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]
    body = wire(messages=[{"role": "user", "content": content}]).body
    assert body["messages"][0]["content"] == [{"audio": {"format": "wav", "source": {"bytes": "UklGRg=="}}}]


def test_cache_control_adds_a_cache_point_after_the_part() -> None:
    messages = [
        {"role": "system", "content": "Long instructions", "cache_control": {"type": "ephemeral"}},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Long document", "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": "Question"},
            ],
        },
    ]
    body = wire(messages=messages).body
    assert body["system"] == [{"text": "Long instructions"}, {"cachePoint": {"type": "default"}}]
    assert body["messages"][0]["content"] == [
        {"text": "Long document"},
        {"cachePoint": {"type": "default"}},
        {"text": "Question"},
    ]


def test_cache_control_on_a_system_part_adds_a_cache_point_after_it() -> None:
    content = [
        {"type": "text", "text": "Rules", "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": "More"},
    ]
    body = wire(messages=[{"role": "system", "content": content}, {"role": "user", "content": "Hi"}]).body
    assert body["system"] == [{"text": "Rules"}, {"cachePoint": {"type": "default"}}, {"text": "More"}]


def test_an_assistant_refusal_goes_back_as_text() -> None:
    messages = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": None, "refusal": "I can't help with that."},
        {"role": "user", "content": "ok"},
    ]
    assert wire(messages=messages).body["messages"][1]["content"] == [{"text": "I can't help with that."}]


def test_thinking_blocks_go_back_as_reasoning_content_before_the_text() -> None:
    assistant = {
        "role": "assistant",
        "content": "391",
        "reasoning_content": "ignored: it has no signature",
        "thinking_blocks": [
            {"type": "thinking", "thinking": "17*23...", "signature": "sig=="},
            {"type": "redacted_thinking", "data": "UmVkYWN0ZWQ="},
        ],
    }
    body = wire(messages=[{"role": "user", "content": "17*23?"}, assistant, {"role": "user", "content": "ok"}]).body
    assert body["messages"][1]["content"] == [
        {"reasoningContent": {"reasoningText": {"text": "17*23...", "signature": "sig=="}}},
        {"reasoningContent": {"redactedContent": "UmVkYWN0ZWQ="}},
        {"text": "391"},
    ]


def test_json_schema_uses_converse_structured_output() -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    result = wire(
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "reply", "description": "The reply", "schema": schema},
        }
    )
    assert result.json_tool is None
    text_format = result.body["outputConfig"]["textFormat"]
    assert text_format["type"] == "json_schema"
    definition = text_format["structure"]["jsonSchema"]
    assert (definition["name"], definition["description"]) == ("reply", "The reply")
    assert orjson.loads(definition["schema"]) == schema


def test_json_schema_can_be_carried_by_a_forced_tool_instead() -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    result = wire(
        params={"structured_output": "tool"},
        response_format={"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}},
    )
    assert result.json_tool == JSON_TOOL
    assert result.body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"] == {"json": schema}
    assert result.body["toolConfig"]["toolChoice"] == {"tool": {"name": JSON_TOOL}}


def test_json_object_is_carried_by_a_forced_tool() -> None:
    result = wire(response_format={"type": "json_object"})
    assert result.json_tool == JSON_TOOL
    assert result.body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"] == {"json": {"type": "object"}}


def test_json_object_with_tools_is_refused() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        wire(response_format={"type": "json_object"}, tools=[WEATHER_TOOL])
    assert caught.value.param == "response_format"


def test_a_text_response_format_changes_nothing() -> None:
    assert wire(response_format={"type": "text"}).body == wire().body


@pytest.mark.parametrize(("effort", "budget"), [("low", 1024), ("medium", 2048), ("high", 4096)])
def test_reasoning_effort_becomes_an_anthropic_thinking_budget(effort: str, budget: int) -> None:
    body = wire(reasoning_effort=effort, max_tokens=8000).body
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled", "budget_tokens": budget}}


def test_an_explicit_thinking_parameter_passes_as_given() -> None:
    body = wire(thinking={"type": "enabled", "budget_tokens": 3000}).body
    assert body["additionalModelRequestFields"] == {"thinking": {"type": "enabled", "budget_tokens": 3000}}


def test_reasoning_parameters_are_offered_for_anthropic_models_only() -> None:
    assert {"reasoning_effort", "thinking"} <= chat_params(HAIKU)
    assert {"reasoning_effort", "thinking"} <= chat_params("us." + HAIKU)
    assert not {"reasoning_effort", "thinking"} & chat_params(NOVA)


def test_unsupported_openai_parameters_are_not_offered() -> None:
    offered = chat_params(HAIKU)
    for name in (
        "n",
        "logprobs",
        "seed",
        "frequency_penalty",
        "presence_penalty",
        "logit_bias",
        "parallel_tool_calls",
    ):
        assert name not in offered


def test_converse_fields_pass_through_and_merge_with_mapped_ones() -> None:
    params = {
        "additionalModelRequestFields": {"top_k": 50},
        "guardrailConfig": {"guardrailIdentifier": "gr-1", "guardrailVersion": "1"},
    }
    body = wire(
        params=params,
        reasoning_effort="low",
        additionalModelRequestFields={"anthropic_beta": ["context-1m-2025-08-07"]},
        performanceConfig={"latency": "optimized"},
    ).body
    assert body["additionalModelRequestFields"] == {
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "top_k": 50,
        "anthropic_beta": ["context-1m-2025-08-07"],
    }
    assert body["guardrailConfig"] == {"guardrailIdentifier": "gr-1", "guardrailVersion": "1"}
    assert body["performanceConfig"] == {"latency": "optimized"}


def test_a_conversation_of_only_system_messages_is_refused() -> None:
    with pytest.raises(BadRequest, match="at least one"):
        wire(messages=[{"role": "system", "content": "x"}])


def test_legacy_function_messages_are_refused() -> None:
    with pytest.raises(BadRequest, match="legacy"):
        wire(messages=[{"role": "user", "content": "x"}, {"role": "function", "name": "f", "content": "y"}])


def test_the_request_body_never_carries_the_model() -> None:
    assert "modelId" not in wire().body and "model" not in wire().body


@pytest.mark.parametrize(
    "body",
    [
        {"messages": [{"role": "user", "content": [{"text": "x"}]}], "temperature": 0.5},
        {"messages": [{"role": "robot", "content": [{"text": "x"}]}]},
        {
            "messages": [
                {
                    "role": "user",
                    "content": [{"image": {"format": "png", "source": {"bytes": "not base64!"}}}],
                }
            ]
        },
        {"messages": [{"role": "user", "content": [{"text": 3}]}]},
    ],
    ids=["unknown key", "bad enum", "bad base64", "wrong type"],
)
def test_the_schema_check_itself_catches_wrong_bodies(body: dict[str, Any]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - botocore raises several kinds
        check_request(body)
