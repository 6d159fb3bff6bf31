from __future__ import annotations

import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock.request import JSON_TOOL
from switchboard.adapters.outbound.providers.bedrock.response import FINISH_REASONS, chat_response, finish_reason
from switchboard.domain.chat import ChatResponse
from switchboard.domain.errors import UpstreamProtocolError
from tests.support.bedrock_wire import check_response, operation
from tests.unit.adapters.providers.bedrock.fixture_files import load

FIXTURES = ["converse_text.json", "converse_tool_use.json", "converse_reasoning.json"]


def read(name: str, json_tool: str | None = None) -> ChatResponse:
    body = orjson.dumps(load(name))
    return chat_response(body, response_id="chatcmpl-1", created=1700000000, model="m", json_tool=json_tool)


@pytest.mark.parametrize("name", FIXTURES)
def test_the_fixtures_are_valid_converse_responses(name: str) -> None:
    check_response(load(name))


def test_text_usage_and_cache_figures_are_mapped() -> None:
    response = read("converse_text.json")
    assert response.text == "Paris is the capital of France."
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None
    # inputTokens (4) excludes the 1312 tokens read from the cache; OpenAI's prompt_tokens includes them
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (1316, 9)
    assert response.usage.total_tokens == 1325
    assert response.usage.cached_tokens == 1312
    assert (response.id, response.created, response.model) == ("chatcmpl-1", 1700000000, "m")


def test_tool_use_becomes_tool_calls_beside_the_text() -> None:
    message = read("converse_tool_use.json").choices[0]
    assert message.finish_reason == "tool_calls"
    assert message.message.content == "I'll look up the weather in Paris."
    [call] = message.message.tool_calls or []
    assert call.id == "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"
    assert call.function.name == "get_weather"
    assert orjson.loads(call.function.arguments) == {"city": "Paris", "unit": "celsius"}


def test_a_forced_json_tool_call_becomes_the_answer_text() -> None:
    body = load("converse_tool_use.json")
    body["output"]["message"]["content"] = [
        {"toolUse": {"toolUseId": "t1", "name": JSON_TOOL, "input": {"answer": 42}}}
    ]
    check_response(body)
    response = chat_response(orjson.dumps(body), response_id="c", created=0, model="m", json_tool=JSON_TOOL)
    assert orjson.loads(response.text) == {"answer": 42}
    assert response.choices[0].message.tool_calls is None
    assert response.choices[0].finish_reason == "stop"


def test_reasoning_comes_back_as_reasoning_content_and_thinking_blocks() -> None:
    response = read("converse_reasoning.json")
    message = response.choices[0].message
    assert message.content == "17 x 23 = 391."
    assert message.reasoning_content == "The user asks for 17 * 23. 17 * 20 = 340, 17 * 3 = 51, so 391."
    assert (message.model_extra or {})["thinking_blocks"] == [
        {
            "type": "thinking",
            "thinking": message.reasoning_content,
            "signature": "EqoBCkgIARABGAIiQJ3ExampleSignatureScrubbed==",
        },
        {"type": "redacted_thinking", "data": "RXhhbXBsZVJlZGFjdGVk"},
    ]
    assert response.usage is not None
    assert response.usage.prompt_tokens == 145
    assert response.usage.prompt_tokens_details is not None
    assert response.usage.prompt_tokens_details.cache_creation_tokens == 100


def test_every_converse_stop_reason_has_an_openai_word() -> None:
    assert set(FINISH_REASONS) == set(operation("Converse").output_shape.members["stopReason"].enum)


@pytest.mark.parametrize(
    ("stop", "expected"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("model_context_window_exceeded", "length"),
        ("tool_use", "tool_calls"),
        ("guardrail_intervened", "content_filter"),
        ("content_filtered", "content_filter"),
    ],
)
def test_stop_reasons_map_to_finish_reasons(stop: str, expected: str) -> None:
    assert finish_reason(stop) == expected


def test_an_unknown_stop_reason_is_a_plain_stop() -> None:
    assert finish_reason("something_new") == "stop"


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"output": {"message": {"content": "text"}}, "usage": {}}'])
def test_an_unreadable_response_is_a_protocol_error(body: bytes) -> None:
    with pytest.raises(UpstreamProtocolError):
        chat_response(body, response_id="c", created=0, model="m", json_tool=None)
