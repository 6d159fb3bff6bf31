from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import ollama
import pytest

from switchboard.adapters.outbound.providers.ollama.response import chat_response, embedding_response
from switchboard.domain.errors import UpstreamProtocolError
from tests.support.contracts import assert_conforms

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", ["chat_text.json", "chat_tool_call.json"])
def test_chat_fixtures_follow_the_official_schema(name: str) -> None:
    assert_conforms(ollama.ChatResponse, json.loads(fixture(name)))


def test_embed_fixture_follows_the_official_schema() -> None:
    assert_conforms(ollama.EmbedResponse, json.loads(fixture("embed.json")))


def test_a_text_answer_keeps_text_thinking_and_usage() -> None:
    response = chat_response(fixture("chat_text.json"), "chatcmpl-abc", "qwen3:8b", 1_700_000_000)
    choice = response.choices[0]
    assert (response.id, response.created, response.model) == ("chatcmpl-abc", 1_700_000_000, "qwen3:8b")
    assert choice.message.content == "The sky is blue because of Rayleigh scattering."
    assert choice.message.reasoning_content == "The user asks about the sky."
    assert choice.finish_reason == "stop"
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens, response.usage.total_tokens) == (
        26,
        12,
        38,
    )


def test_tool_calls_get_ids_and_json_string_arguments_and_finish_as_tool_calls() -> None:
    response = chat_response(fixture("chat_tool_call.json"), "chatcmpl-abc", "llama3.2", 0)
    calls = response.choices[0].message.tool_calls
    assert calls is not None
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        ("call_abc_0", "get_weather", {"city": "Paris", "unit": "celsius"}),
        ("call_abc_1", "get_time", {}),
    ]
    assert response.choices[0].finish_reason == "tool_calls"


def test_a_length_stop_is_a_length_finish() -> None:
    body = json.loads(fixture("chat_text.json")) | {"done_reason": "length"}
    assert chat_response(json.dumps(body).encode(), "id", "m", 0).choices[0].finish_reason == "length"


def test_a_prompt_served_from_cache_counts_zero_prompt_tokens() -> None:
    body = json.loads(fixture("chat_text.json"))
    del body["prompt_eval_count"]
    usage = chat_response(json.dumps(body).encode(), "id", "m", 0).usage
    assert usage is not None and (usage.prompt_tokens, usage.completion_tokens) == (0, 12)


def test_a_body_that_is_not_a_chat_answer_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        chat_response(b"[]", "id", "m", 0)


def test_embeddings_keep_order_usage_and_base64_on_request() -> None:
    response = embedding_response(fixture("embed.json"), "all-minilm", "base64")
    assert [d.index for d in response.data] == [0, 1]
    encoded = response.data[1].embedding
    assert isinstance(encoded, str)
    assert struct.unpack("<3f", base64.b64decode(encoded)) == (1.0, 0.0, -1.0)
    assert response.usage.prompt_tokens == 8
