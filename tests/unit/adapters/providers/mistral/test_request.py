from __future__ import annotations

from typing import Any

import pytest
from mistralai.client.models import (
    ChatCompletionRequest,
    ChatCompletionStreamRequest,
)
from mistralai.client.models import (
    EmbeddingRequest as WireEmbedding,
)

from switchboard.adapters.outbound.providers.mistral.request import chat_body, embedding_body, tool_call_id
from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest
from tests.support.contracts import assert_conforms

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def body(defaults: dict[str, Any] | None = None, *, stream: bool = False, **request: Any) -> dict[str, Any]:
    request.setdefault("messages", [{"role": "user", "content": "Hi"}])
    wire = chat_body(
        ChatRequest.model_validate({"model": "mistral/mistral-small", **request}),
        "mistral-small-latest",
        stream=stream,
        defaults=defaults or {},
    )
    assert_conforms(ChatCompletionStreamRequest if stream else ChatCompletionRequest, wire)
    return wire


def test_openai_tool_call_ids_become_stable_nine_character_ids() -> None:
    short = tool_call_id("call_abc123XYZ_long")
    assert len(short) == 9 and short.isalnum()
    assert tool_call_id("call_abc123XYZ_long") == short
    assert tool_call_id("call_other") != short
    assert tool_call_id("D681PevKs") == "D681PevKs"


def test_a_whole_conversation_keeps_tool_calls_paired_with_their_results() -> None:
    wire = body(
        messages=[
            {"role": "developer", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Weather where this was taken?"},
                    {
                        "type": "image_url",
                        "image_url": {"url": "https://example.com/street.jpg", "detail": "high"},
                    },
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "21C"},
            {"role": "assistant", "content": "It is 21C.", "reasoning_content": "Read the tool result."},
        ],
        tools=[WEATHER],
    )
    messages = wire["messages"]
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1]["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/street.jpg", "detail": "high"},
    }
    assert messages[2]["tool_calls"][0]["id"] == messages[3]["tool_call_id"] == tool_call_id("call_1")
    assert messages[4]["content"] == [
        {"type": "thinking", "thinking": [{"type": "text", "text": "Read the tool result."}]},
        {"type": "text", "text": "It is 21C."},
    ]


def test_parameters_take_mistral_names_and_nothing_unknown_is_sent() -> None:
    wire = body(
        temperature=0.3,
        top_p=0.9,
        max_completion_tokens=128,
        seed=7,
        stop="END",
        n=2,
        presence_penalty=0.1,
        frequency_penalty=0.2,
        user="someone",
        stream_options={"include_usage": True},
        safe_prompt=True,
        prompt_mode="reasoning",
    )
    assert {k: v for k, v in wire.items() if k not in ("model", "messages")} == {
        "temperature": 0.3,
        "top_p": 0.9,
        "max_tokens": 128,
        "random_seed": 7,
        "stop": "END",
        "n": 2,
        "presence_penalty": 0.1,
        "frequency_penalty": 0.2,
        "safe_prompt": True,
        "prompt_mode": "reasoning",
    }


def test_required_tool_choice_is_any_and_a_named_one_is_an_object() -> None:
    assert body(tools=[WEATHER], tool_choice="required")["tool_choice"] == "any"
    named = body(tools=[WEATHER], tool_choice={"type": "function", "function": {"name": "get_weather"}})
    assert named["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}


def test_json_schema_response_format_keeps_its_schema() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}}
    wire = body(
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "person", "schema": schema, "strict": True},
        }
    )
    assert wire["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "person", "schema": schema, "strict": True},
    }


def test_a_stream_request_has_no_stream_options() -> None:
    wire = body(stream=True, stream_options={"include_usage": True})
    assert wire["stream"] is True
    assert "stream_options" not in wire


def test_deployment_defaults_fill_in_unset_parameters() -> None:
    wire = body({"temperature": 0.0, "safe_prompt": True, "max_tokens": 50})
    assert (wire["temperature"], wire["safe_prompt"], wire["max_tokens"]) == (0.0, True, 50)


def test_file_parts_are_refused() -> None:
    with pytest.raises(BadRequest):
        body(messages=[{"role": "user", "content": [{"type": "file", "file": {"file_id": "f1"}}]}])


def test_embeddings_map_dimensions_and_dtype() -> None:
    request = EmbeddingRequest.model_validate(
        {"model": "e", "input": ["a", "b"], "dimensions": 512, "output_dtype": "int8"}
    )
    wire = embedding_body(request, "codestral-embed", {})
    assert_conforms(WireEmbedding, wire)
    assert wire == {
        "model": "codestral-embed",
        "input": ["a", "b"],
        "output_dimension": 512,
        "output_dtype": "int8",
    }


def test_base64_of_integer_embeddings_is_refused() -> None:
    request = EmbeddingRequest.model_validate(
        {"model": "e", "input": "a", "encoding_format": "base64", "output_dtype": "int8"}
    )
    with pytest.raises(BadRequest):
        embedding_body(request, "codestral-embed", {})
