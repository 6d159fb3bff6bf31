from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest
from mistralai.client.models import ChatCompletionResponse, EmbeddingResponse
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion

from switchboard.adapters.outbound.providers.mistral.response import chat_response, embedding_response, finish_reason
from switchboard.domain.errors import ProviderUnavailable
from tests.support.contracts import assert_conforms, extras

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", ["chat_text.json", "chat_thinking.json", "chat_tool_call.json"])
def test_chat_fixtures_follow_the_official_schema(name: str) -> None:
    assert_conforms(ChatCompletionResponse, json.loads(fixture(name)))


def test_embeddings_fixture_follows_the_official_schema() -> None:
    assert_conforms(EmbeddingResponse, json.loads(fixture("embeddings.json")))


def test_a_plain_mistral_answer_is_also_an_openai_chat_completion_but_for_prefix() -> None:
    # Where the shapes coincide the OpenAI types read Mistral's answer; "prefix" is Mistral's own.
    completion = ChatCompletion.model_validate(json.loads(fixture("chat_text.json")))
    assert list(extras(completion)) == ["$.choices[0].message.prefix"]


@pytest.mark.parametrize("name", ["chat_text.json", "chat_thinking.json", "chat_tool_call.json"])
def test_what_we_return_is_a_plain_openai_chat_completion(name: str) -> None:
    response = chat_response(fixture(name))
    completion = ChatCompletion.model_validate(response.model_dump(exclude_none=True))
    assert [path for path in extras(completion) if not path.endswith("reasoning_content")] == []


def test_a_text_answer_keeps_id_created_text_and_usage() -> None:
    response = chat_response(fixture("chat_text.json"))
    assert (response.id, response.created, response.model) == (
        "cmpl-e5cc70bb28c444948073e77776eb30ef",
        1702256327,
        "mistral-small-latest",
    )
    assert response.text == "Hello! How can I help?"
    assert response.usage is not None and response.usage.total_tokens == 50


def test_thinking_chunks_become_reasoning_content() -> None:
    message = chat_response(fixture("chat_thinking.json")).choices[0].message
    assert (message.content, message.reasoning_content) == ("4", "Two plus two is four.")


def test_tool_call_arguments_are_always_json_strings() -> None:
    response = chat_response(fixture("chat_tool_call.json"))
    calls = response.choices[0].message.tool_calls
    assert calls is not None
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        ("D681PevKs", "get_weather", {"city": "Paris", "unit": "celsius"}),
        ("Zq81bQw2X", "get_time", {}),
    ]
    assert response.choices[0].finish_reason == "tool_calls"


@pytest.mark.parametrize(
    ("mistral", "openai"),
    [("stop", "stop"), ("length", "length"), ("model_length", "length"), ("tool_calls", "tool_calls")],
)
def test_finish_reasons_map_to_openai_words(mistral: str, openai: str) -> None:
    assert finish_reason(mistral) == openai


def test_an_error_finish_is_a_retryable_failure() -> None:
    with pytest.raises(ProviderUnavailable):
        finish_reason("error")


def test_embeddings_come_back_in_openai_shape_and_base64_on_request() -> None:
    CreateEmbeddingResponse.model_validate(embedding_response(fixture("embeddings.json"), None).model_dump())
    response = embedding_response(fixture("embeddings.json"), "base64")
    encoded = response.data[0].embedding
    assert isinstance(encoded, str)
    assert struct.unpack("<3f", base64.b64decode(encoded)) == (0.25, -0.5, 0.125)
    assert (response.model, response.usage.prompt_tokens) == ("mistral-embed", 6)
