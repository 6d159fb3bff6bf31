"""Chat requests -> generateContent bodies; every body is checked against the google-genai types."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.gemini.content import SKIP_SIGNATURE
from switchboard.adapters.outbound.providers.gemini.request import chat_body
from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from tests.support.google_schema import validate_request

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
            "required": ["city"],
            "additionalProperties": False,
        },
    },
}


def body(
    messages: list[dict[str, Any]] | None = None,
    *,
    model: str = "gemini-2.5-flash",
    defaults: dict[str, Any] | None = None,
    **params: Any,
) -> dict[str, Any]:
    request = ChatRequest.model_validate(
        {"model": "g", "messages": messages or [{"role": "user", "content": "Hi"}], **params}
    )
    wire = chat_body(request, model, defaults or {})
    validate_request(wire)
    return wire


# --- roles and content -------------------------------------------------------------------


def test_user_and_assistant_become_user_and_model_turns() -> None:
    wire = body(
        [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
            {"role": "user", "content": "Bye"},
        ]
    )
    assert wire["contents"] == [
        {"role": "user", "parts": [{"text": "Hi"}]},
        {"role": "model", "parts": [{"text": "Hello!"}]},
        {"role": "user", "parts": [{"text": "Bye"}]},
    ]


def test_system_and_developer_messages_become_the_system_instruction() -> None:
    wire = body(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "Use French."}]},
            {"role": "user", "content": "Hi"},
        ]
    )
    assert wire["systemInstruction"] == {"parts": [{"text": "Be brief."}, {"text": "Use French."}]}
    assert wire["contents"] == [{"role": "user", "parts": [{"text": "Hi"}]}]


def test_consecutive_turns_of_one_role_are_merged() -> None:
    wire = body([{"role": "user", "content": "One"}, {"role": "user", "content": "Two"}])
    assert wire["contents"] == [{"role": "user", "parts": [{"text": "One"}, {"text": "Two"}]}]


def test_a_request_with_only_a_system_message_is_refused() -> None:
    with pytest.raises(BadRequest):
        body([{"role": "system", "content": "Be brief."}])


def test_base64_images_become_inline_data_with_their_media_type() -> None:
    wire = body(
        [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                ],
            }
        ]
    )
    assert wire["contents"][0]["parts"][1] == {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}}


@pytest.mark.parametrize(
    ("url", "mime"),
    [
        ("gs://bucket/cat.png", "image/png"),
        ("https://example.com/photos/cat.jpg?sig=abc", "image/jpeg"),
        ("https://example.com/render", "image/jpeg"),
    ],
)
def test_image_urls_become_file_data(url: str, mime: str) -> None:
    wire = body([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": url}}]}])
    assert wire["contents"][0]["parts"][0] == {"fileData": {"fileUri": url, "mimeType": mime}}


def test_an_image_format_given_by_the_caller_wins() -> None:
    part = {"type": "image_url", "image_url": {"url": "gs://b/scan", "format": "application/pdf"}}
    wire = body([{"role": "user", "content": [part]}])
    assert wire["contents"][0]["parts"][0]["fileData"]["mimeType"] == "application/pdf"


def test_a_malformed_data_url_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        body([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png,xx"}}]}])
    assert caught.value.param == "messages[0].content[0]"


def test_audio_input_becomes_inline_audio() -> None:
    part = {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}
    wire = body([{"role": "user", "content": [part]}])
    assert wire["contents"][0]["parts"][0] == {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}}


def test_a_file_given_as_a_data_url_becomes_inline_data() -> None:
    part = {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}}
    wire = body([{"role": "user", "content": [part]}])
    assert wire["contents"][0]["parts"][0] == {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}}


# --- tools -------------------------------------------------------------------------------


def test_tools_become_function_declarations_with_json_schema_parameters() -> None:
    wire = body(tools=[WEATHER_TOOL])
    assert wire["tools"] == [
        {
            "functionDeclarations": [
                {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "parametersJsonSchema": WEATHER_TOOL["function"]["parameters"],
                }
            ]
        }
    ]


@pytest.mark.parametrize(
    ("choice", "config"),
    [
        ("auto", {"mode": "AUTO"}),
        ("none", {"mode": "NONE"}),
        ("required", {"mode": "ANY"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"mode": "ANY", "allowedFunctionNames": ["get_weather"]},
        ),
    ],
)
def test_tool_choice_becomes_the_function_calling_config(choice: Any, config: dict[str, Any]) -> None:
    wire = body(tools=[WEATHER_TOOL], tool_choice=choice)
    assert wire["toolConfig"] == {"functionCallingConfig": config}


def test_parallel_tool_calls_false_cannot_be_honoured() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        body(tools=[WEATHER_TOOL], parallel_tool_calls=False)
    assert caught.value.param == "parallel_tool_calls"


def test_parallel_tool_calls_true_is_gemini_s_own_behaviour() -> None:
    assert "toolConfig" not in body(tools=[WEATHER_TOOL], parallel_tool_calls=True)


CONVERSATION: list[dict[str, Any]] = [
    {"role": "user", "content": "Weather in Paris and Lyon?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                "extra_content": {"google": {"thought_signature": "c2lnLTE="}},
            },
            {
                "id": "call_2",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Lyon"}'},
            },
        ],
    },
    {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 21}'},
    {"role": "tool", "tool_call_id": "call_2", "content": "sunny"},
]


def test_assistant_tool_calls_become_function_calls_with_their_signature() -> None:
    wire = body(CONVERSATION, tools=[WEATHER_TOOL])
    assert wire["contents"][1] == {
        "role": "model",
        "parts": [
            {
                "functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                "thoughtSignature": "c2lnLTE=",
            },
            {"functionCall": {"name": "get_weather", "args": {"city": "Lyon"}}},
        ],
    }


def test_a_first_function_call_without_a_signature_gets_google_s_skip_value() -> None:
    conversation = [dict(m) for m in CONVERSATION]
    first = dict(conversation[1]["tool_calls"][0])
    del first["extra_content"]
    conversation[1] = {**conversation[1], "tool_calls": [first]}
    wire = body(conversation[:3], tools=[WEATHER_TOOL])
    assert wire["contents"][1]["parts"][0]["thoughtSignature"] == SKIP_SIGNATURE


def test_tool_results_become_function_responses_in_one_user_turn_by_name() -> None:
    wire = body(CONVERSATION, tools=[WEATHER_TOOL])
    assert wire["contents"][2] == {
        "role": "user",
        "parts": [
            {"functionResponse": {"name": "get_weather", "response": {"temp": 21}}},
            {"functionResponse": {"name": "get_weather", "response": {"output": "sunny"}}},
        ],
    }


def test_a_tool_result_for_an_unknown_call_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        body([{"role": "user", "content": "x"}, {"role": "tool", "tool_call_id": "nope", "content": "1"}])
    assert caught.value.param == "messages[1].tool_call_id"


def test_tool_call_arguments_that_are_not_json_are_a_bad_request() -> None:
    broken: list[dict[str, Any]] = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{oops"}}],
        },
    ]
    with pytest.raises(BadRequest):
        body(broken)


# --- generation config -------------------------------------------------------------------


def test_sampling_limits_and_stops_map_to_the_generation_config() -> None:
    wire = body(
        temperature=0.3,
        top_p=0.9,
        max_completion_tokens=256,
        stop=["END"],
        n=2,
        seed=7,
        presence_penalty=0.5,
        frequency_penalty=0.25,
        top_k=40,
    )
    assert wire["generationConfig"] == {
        "temperature": 0.3,
        "topP": 0.9,
        "topK": 40,
        "candidateCount": 2,
        "seed": 7,
        "presencePenalty": 0.5,
        "frequencyPenalty": 0.25,
        "maxOutputTokens": 256,
        "stopSequences": ["END"],
    }


def test_max_tokens_is_the_output_limit_when_max_completion_tokens_is_absent() -> None:
    assert body(max_tokens=100)["generationConfig"] == {"maxOutputTokens": 100}


def test_a_single_stop_string_is_a_list_of_one() -> None:
    assert body(stop="END")["generationConfig"]["stopSequences"] == ["END"]


def test_logprobs_ask_for_response_logprobs_and_the_top_count() -> None:
    assert body(logprobs=True, top_logprobs=3)["generationConfig"] == {
        "responseLogprobs": True,
        "logprobs": 3,
    }


def test_json_object_asks_for_json() -> None:
    wire = body(response_format={"type": "json_object"})
    assert wire["generationConfig"] == {"responseMimeType": "application/json"}


def test_json_schema_passes_as_response_json_schema() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"$ref": "#/$defs/t"}}},
        "$defs": {"t": {"type": "string"}},
        "required": ["name"],
    }
    wire = body(response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema}})
    assert wire["generationConfig"] == {"responseMimeType": "application/json", "responseJsonSchema": schema}


def test_text_response_format_adds_nothing() -> None:
    assert "generationConfig" not in body(response_format={"type": "text"})


@pytest.mark.parametrize(("effort", "budget"), [("none", 0), ("low", 1024), ("medium", 8192), ("high", 24576)])
def test_reasoning_effort_is_a_thinking_budget_on_gemini_2_5(effort: str, budget: int) -> None:
    config = body(reasoning_effort=effort)["generationConfig"]["thinkingConfig"]
    assert config == {"thinkingBudget": budget, "includeThoughts": effort != "none"}


@pytest.mark.parametrize(("effort", "level"), [("low", "LOW"), ("high", "HIGH"), ("minimal", "MINIMAL")])
def test_reasoning_effort_is_a_thinking_level_on_gemini_3(effort: str, level: str) -> None:
    config = body(model="gemini-3-pro-preview", reasoning_effort=effort)["generationConfig"]["thinkingConfig"]
    assert config == {"thinkingLevel": level, "includeThoughts": True}


def test_an_unknown_reasoning_effort_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        body(reasoning_effort="extreme")


def test_anthropic_style_thinking_sets_the_budget() -> None:
    config = body(thinking={"type": "enabled", "budget_tokens": 2048})["generationConfig"]["thinkingConfig"]
    assert config == {"includeThoughts": True, "thinkingBudget": 2048}


def test_safety_settings_pass_through() -> None:
    settings = [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}]
    assert body(safety_settings=settings)["safetySettings"] == settings


def test_deployment_defaults_apply_when_the_request_is_silent() -> None:
    defaults = {"temperature": 0.1, "max_tokens": 50, "vertex_project": "p"}
    assert body(defaults=defaults, temperature=0.7)["generationConfig"] == {
        "temperature": 0.7,
        "maxOutputTokens": 50,
    }
