from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.cohere.request import chat_body, embedding_body
from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from tests.support.contracts import assert_conforms
from tests.support.wire_schemas import CohereChatBody, CohereEmbedBody

WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
TIME = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}


def body(defaults: dict[str, Any] | None = None, *, stream: bool = False, **request: Any) -> dict[str, Any]:
    request.setdefault("messages", [{"role": "user", "content": "Hi"}])
    wire = chat_body(
        ChatRequest.model_validate({"model": "cohere/command-a", **request}),
        "command-a-03-2025",
        stream=stream,
        defaults=defaults or {},
    )
    assert_conforms(CohereChatBody, wire)
    return wire


def test_a_whole_conversation_maps_to_cohere_roles_and_parts() -> None:
    wire = body(
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "Use metric units."}]},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {
                        "type": "image_url",
                        "image_url": {"url": "https://example.com/cat.png", "detail": "low"},
                    },
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "reasoning_content": "I need the weather.",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 21}'},
            {"role": "assistant", "content": "It is 21 degrees."},
        ],
        tools=[WEATHER],
    )
    assert wire["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "system", "content": "Use metric units."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            ],
        },
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
            "tool_plan": "I need the weather.",
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 21}'},
        {"role": "assistant", "content": "It is 21 degrees."},
    ]


def test_sampling_parameters_take_cohere_names() -> None:
    wire = body(
        temperature=0.2,
        top_p=0.9,
        max_completion_tokens=50,
        stop="END",
        seed=7,
        frequency_penalty=0.1,
        presence_penalty=0.2,
        top_k=40,
    )
    assert {k: v for k, v in wire.items() if k not in ("model", "messages")} == {
        "temperature": 0.2,
        "p": 0.9,
        "max_tokens": 50,
        "stop_sequences": ["END"],
        "seed": 7,
        "frequency_penalty": 0.1,
        "presence_penalty": 0.2,
        "k": 40,
    }


def test_deployment_defaults_apply_only_when_the_caller_sent_nothing() -> None:
    wire = body({"temperature": 0.0, "max_tokens": 100, "safety_mode": "STRICT"}, temperature=0.5)
    assert (wire["temperature"], wire["max_tokens"], wire["safety_mode"]) == (0.5, 100, "STRICT")


def test_required_and_none_tool_choices_become_cohere_words() -> None:
    assert body(tools=[WEATHER], tool_choice="required")["tool_choice"] == "REQUIRED"
    assert body(tools=[WEATHER], tool_choice="none")["tool_choice"] == "NONE"
    assert "tool_choice" not in body(tools=[WEATHER], tool_choice="auto")


def test_a_named_tool_choice_offers_only_that_tool_and_requires_a_call() -> None:
    wire = body(tools=[WEATHER, TIME], tool_choice={"type": "function", "function": {"name": "get_time"}})
    assert [t["function"]["name"] for t in wire["tools"]] == ["get_time"]
    assert wire["tool_choice"] == "REQUIRED"


def test_strict_functions_turn_on_strict_tools() -> None:
    strict = {"type": "function", "function": {**WEATHER["function"], "strict": True}}
    assert body(tools=[strict])["strict_tools"] is True


def test_parallel_tool_calls_false_cannot_be_honoured() -> None:
    with pytest.raises(UnsupportedParameter) as caught:
        body(tools=[WEATHER], parallel_tool_calls=False)
    assert caught.value.param == "parallel_tool_calls"


def test_json_schema_rides_on_a_json_object_format() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    wire = body(response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema}})
    assert wire["response_format"] == {"type": "json_object", "json_schema": schema}
    assert body(response_format={"type": "json_object"})["response_format"] == {"type": "json_object"}


def test_a_stream_request_says_so() -> None:
    assert body(stream=True)["stream"] is True
    assert "stream" not in body()


@pytest.mark.parametrize(
    "part",
    [
        {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}},
        {"type": "file", "file": {"file_id": "file-1"}},
    ],
)
def test_parts_cohere_cannot_carry_are_refused(part: dict[str, Any]) -> None:
    with pytest.raises(BadRequest):
        body(messages=[{"role": "user", "content": [part]}])


def test_embeddings_ask_for_float_vectors_for_documents_by_default() -> None:
    wire = embedding_body(EmbeddingRequest(model="embed", input=["a", "b"], dimensions=256), "embed-v4.0", {})
    assert_conforms(CohereEmbedBody, wire)
    assert wire == {
        "model": "embed-v4.0",
        "texts": ["a", "b"],
        "input_type": "search_document",
        "embedding_types": ["float"],
        "output_dimension": 256,
    }


def test_the_embedding_input_type_comes_from_the_request_or_the_deployment() -> None:
    request = EmbeddingRequest.model_validate({"model": "embed", "input": "q", "input_type": "search_query"})
    assert embedding_body(request, "embed-v4.0", {"input_type": "clustering"})["input_type"] == "search_query"
    plain = EmbeddingRequest(model="embed", input="q")
    assert embedding_body(plain, "embed-v4.0", {"input_type": "clustering"})["input_type"] == "clustering"


def test_token_arrays_cannot_be_embedded() -> None:
    with pytest.raises(BadRequest):
        embedding_body(EmbeddingRequest(model="embed", input=[1, 2, 3]), "embed-v4.0", {})
