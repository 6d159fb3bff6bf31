from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest
from cohere.types import EmbedByTypeResponse
from cohere.v2.types import V2ChatResponse

from switchboard.adapters.outbound.providers.cohere.response import chat_response, embedding_response, finish_reason
from switchboard.domain.errors import ProviderUnavailable, Timeout, UpstreamProtocolError
from tests.support.contracts import assert_conforms

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", ["chat_text.json", "chat_tool_call.json"])
def test_chat_fixtures_follow_the_official_schema(name: str) -> None:
    assert_conforms(V2ChatResponse, json.loads(fixture(name)))


def test_embed_fixture_follows_the_official_schema() -> None:
    assert_conforms(EmbedByTypeResponse, json.loads(fixture("embed.json")))


def test_a_text_answer_keeps_text_thinking_and_billed_usage() -> None:
    response = chat_response(fixture("chat_text.json"), "command-a-03-2025", 1_700_000_000)
    choice = response.choices[0]
    assert response.id == "c14c80c3-18eb-4519-9460-6c92edd8cfb4"
    assert (response.created, response.model) == (1_700_000_000, "command-a-03-2025")
    assert choice.message.content == "Hello! How can I help you today?"
    assert choice.message.reasoning_content == "The user greets me."
    assert choice.finish_reason == "stop"
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens, response.usage.total_tokens) == (
        5,
        9,
        14,
    )
    assert response.usage.cached_tokens == 64


def test_a_tool_call_answer_has_openai_tool_calls_and_the_plan_as_reasoning() -> None:
    response = chat_response(fixture("chat_tool_call.json"), "command-a-03-2025", 0)
    message = response.choices[0].message
    assert message.tool_calls is not None
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls] == [
        ("get_weather_k6s9a1yq3wz2", "get_weather", {"city": "Paris", "unit": "celsius"})
    ]
    assert message.content is None
    assert message.reasoning_content == "I will look up the weather in Paris."
    assert response.choices[0].finish_reason == "tool_calls"


@pytest.mark.parametrize(
    ("cohere", "openai"),
    [("COMPLETE", "stop"), ("STOP_SEQUENCE", "stop"), ("MAX_TOKENS", "length"), ("TOOL_CALL", "tool_calls")],
)
def test_finish_reasons_map_to_openai_words(cohere: str, openai: str) -> None:
    assert finish_reason(cohere) == openai


def test_an_error_ending_is_a_retryable_failure() -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        finish_reason("ERROR", "internal failure")
    assert caught.value.retryable


def test_a_timeout_ending_is_a_timeout() -> None:
    with pytest.raises(Timeout):
        finish_reason("TIMEOUT")


def test_a_body_that_is_not_a_chat_answer_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        chat_response(b'{"unexpected": true}', "command-a", 0)


def test_embeddings_keep_the_input_order_and_report_billed_tokens() -> None:
    response = embedding_response(fixture("embed.json"), "embed-v4.0", None)
    assert [(d.index, d.embedding) for d in response.data] == [
        (0, [0.25, -0.5, 0.125]),
        (1, [1.0, 0.0, -1.0]),
    ]
    assert response.usage.prompt_tokens == 2


def test_base64_embeddings_are_little_endian_float32() -> None:
    response = embedding_response(fixture("embed.json"), "embed-v4.0", "base64")
    encoded = response.data[0].embedding
    assert isinstance(encoded, str)
    assert struct.unpack("<3f", base64.b64decode(encoded)) == (0.25, -0.5, 0.125)
