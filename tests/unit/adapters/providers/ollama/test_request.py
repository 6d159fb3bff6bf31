from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.ollama.request import chat_body, embedding_body
from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from tests.support.contracts import assert_conforms
from tests.support.wire_schemas import OllamaChatBody, OllamaEmbedBody

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
PNG = "iVBORw0KGgo="


def body(defaults: dict[str, Any] | None = None, *, stream: bool = False, **request: Any) -> dict[str, Any]:
    request.setdefault("messages", [{"role": "user", "content": "Hi"}])
    wire = chat_body(
        ChatRequest.model_validate({"model": "ollama/llama3.2", **request}),
        "llama3.2",
        stream=stream,
        defaults=defaults or {},
    )
    assert_conforms(OllamaChatBody, wire)
    return wire


def test_a_whole_conversation_maps_to_ollama_messages() -> None:
    wire = body(
        messages=[
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "reasoning_content": "I need the weather.",
                "tool_calls": [
                    {
                        "id": "call_9",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_9", "content": '{"temp": 21}'},
        ],
        tools=[WEATHER],
    )
    assert wire["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is this?", "images": [PNG]},
        {
            "role": "assistant",
            "content": "",
            "thinking": "I need the weather.",
            "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}],
        },
        {"role": "tool", "content": '{"temp": 21}', "tool_name": "get_weather"},
    ]
    assert wire["tools"] == [WEATHER]
    assert wire["stream"] is False


def test_sampling_parameters_go_into_options() -> None:
    wire = body(
        temperature=0.2,
        top_p=0.9,
        max_tokens=64,
        stop=["\n\n", "User:"],
        seed=42,
        top_k=40,
        repeat_penalty=1.1,
        num_ctx=8192,
    )
    assert wire["options"] == {
        "temperature": 0.2,
        "top_p": 0.9,
        "num_predict": 64,
        "stop": ["\n\n", "User:"],
        "seed": 42,
        "top_k": 40,
        "repeat_penalty": 1.1,
        "num_ctx": 8192,
    }


def test_deployment_options_and_keep_alive_are_defaults() -> None:
    wire = body({"num_ctx": 4096, "keep_alive": "10m", "temperature": 0}, temperature=0.7)
    assert wire["options"] == {"temperature": 0.7, "num_ctx": 4096}
    assert wire["keep_alive"] == "10m"


def test_response_formats_become_ollama_format() -> None:
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}
    assert body(response_format={"type": "json_object"})["format"] == "json"
    assert (
        body(response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}})["format"]
        == schema
    )
    assert "format" not in body(response_format={"type": "text"})


def test_reasoning_effort_becomes_think() -> None:
    assert body(reasoning_effort="high")["think"] == "high"
    assert body(reasoning_effort="none")["think"] is False
    assert body(think=True)["think"] is True


def test_tool_choice_none_offers_no_tools() -> None:
    assert "tools" not in body(tools=[WEATHER], tool_choice="none")


@pytest.mark.parametrize("choice", ["required", {"type": "function", "function": {"name": "get_weather"}}])
def test_forcing_a_tool_call_cannot_be_honoured(choice: Any) -> None:
    with pytest.raises(UnsupportedParameter):
        body(tools=[WEATHER], tool_choice=choice)


def test_images_by_link_are_refused_because_ollama_takes_bytes_only() -> None:
    with pytest.raises(BadRequest) as caught:
        body(
            messages=[
                {
                    "role": "user",
                    "content": [{"type": "image_url", "image_url": {"url": "https://x/cat.png"}}],
                }
            ]
        )
    assert "base64" in caught.value.message


def test_tool_call_arguments_that_are_not_an_object_are_refused() -> None:
    with pytest.raises(BadRequest):
        body(
            messages=[
                {
                    "role": "assistant",
                    "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1]"}}],
                }
            ]
        )


def test_a_stream_request_says_so() -> None:
    assert body(stream=True)["stream"] is True


def test_embeddings_send_an_input_list_and_dimensions() -> None:
    wire = embedding_body(EmbeddingRequest(model="e", input="hello", dimensions=64), "all-minilm", {"keep_alive": "5m"})
    assert_conforms(OllamaEmbedBody, wire)
    assert wire == {"model": "all-minilm", "input": ["hello"], "dimensions": 64, "keep_alive": "5m"}
