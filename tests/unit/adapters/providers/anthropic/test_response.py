"""Anthropic ``Message`` bodies -> canonical responses, from recorded fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from openai.types.chat import ChatCompletion

from switchboard.adapters.outbound.providers.anthropic.response import chat_response, finish_reason, usage_of
from switchboard.domain.errors import UpstreamProtocolError
from tests.support.anthropic_wire import validate_message

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    validate_message(body)
    return body


def respond(body: dict[str, Any], response_tool: str | None = None) -> Any:
    response = chat_response(orjson.dumps(body), created=1_700_000_000, response_tool=response_tool)
    ChatCompletion.model_validate(response.model_dump(mode="json", exclude_none=True))
    return response


def test_a_text_message_becomes_the_answer_text() -> None:
    response = respond(fixture("message_text.json"))
    assert response.text == "Paris is the capital of France."
    assert response.id == "msg_01XFDUDYJgAACzvnptvVoYEL"
    assert response.model == "claude-sonnet-4-5-20250929"
    assert response.created == 1_700_000_000
    assert response.choices[0].finish_reason == "stop"


def test_prompt_tokens_count_cache_reads_and_writes_as_openai_does() -> None:
    usage = respond(fixture("message_text.json")).usage
    assert usage.prompt_tokens == 12 + 2048 + 100
    assert usage.completion_tokens == 9
    assert usage.total_tokens == 12 + 2048 + 100 + 9
    assert usage.cached_tokens == 2048
    assert usage.prompt_tokens_details.cache_creation_tokens == 100


def test_tool_use_blocks_become_tool_calls_with_json_arguments() -> None:
    response = respond(fixture("message_tool_use.json"))
    message = response.choices[0].message
    assert response.choices[0].finish_reason == "tool_calls"
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls] == [
        ("toolu_01A09q90qw90lq917835lq9", "get_weather", {"city": "Paris", "unit": "celsius"}),
        ("toolu_01B19q90qw90lq917835lr0", "get_weather", {"city": "Oslo", "unit": "celsius"}),
    ]
    assert message.content == "I'll look both up."


def test_thinking_becomes_reasoning_content_and_blocks_keep_their_signatures() -> None:
    message = respond(fixture("message_tool_use.json")).choices[0].message
    assert message.reasoning_content == "The user wants the weather in two cities."
    assert message.model_extra["thinking_blocks"] == [
        {
            "type": "thinking",
            "thinking": "The user wants the weather in two cities.",
            "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
        },
        {
            "type": "redacted_thinking",
            "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
        },
    ]


def test_thinking_tokens_are_reasoning_tokens() -> None:
    assert respond(fixture("message_tool_use.json")).usage.reasoning_tokens == 42


def test_a_forced_json_tool_answer_is_message_text_with_a_plain_stop() -> None:
    body = fixture("message_text.json")
    body["content"] = [{"type": "tool_use", "id": "toolu_1", "name": "json_response", "input": {"a": 1}}]
    body["stop_reason"] = "tool_use"
    validate_message(body)
    response = respond(body, response_tool="json_response")
    assert json.loads(response.text) == {"a": 1}
    assert response.choices[0].message.tool_calls is None
    assert response.choices[0].finish_reason == "stop"


@pytest.mark.parametrize(
    ("stop_reason", "expected"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("model_context_window_exceeded", "length"),
        ("tool_use", "tool_calls"),
        ("refusal", "content_filter"),
        ("pause_turn", "stop"),
    ],
)
def test_stop_reasons_become_finish_reasons(stop_reason: str, expected: str) -> None:
    assert finish_reason(stop_reason) == expected


def test_a_refusal_keeps_what_was_said_and_finishes_as_content_filter() -> None:
    body = fixture("message_text.json")
    body["stop_reason"] = "refusal"
    body["stop_details"] = {"type": "refusal", "category": "cyber", "explanation": None}
    validate_message(body)
    response = respond(body)
    assert response.choices[0].finish_reason == "content_filter"
    assert response.text == "Paris is the capital of France."


def test_usage_without_cache_fields_has_no_prompt_details() -> None:
    usage = usage_of({"input_tokens": 5, "output_tokens": 2})
    assert (usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details) == (5, 2, None)


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"id": "m", "content": "x", "model": "c", "usage": {}}'])
def test_an_unreadable_message_is_a_protocol_error(body: bytes) -> None:
    with pytest.raises(UpstreamProtocolError):
        chat_response(body, created=0)
