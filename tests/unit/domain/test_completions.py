from __future__ import annotations

import orjson
import pytest
from openai.types import Completion

from switchboard.domain.completions import CompletionChoice, CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.errors import BadRequest
from switchboard.domain.usage import Usage
from switchboard.domain.validation import parse_json


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("hello", ["hello"]),
        (["a", "b"], ["a", "b"]),
        ([1, 2, 3], [[1, 2, 3]]),
        ([[1, 2], [3]], [[1, 2], [3]]),
        (None, [""]),
    ],
)
def test_a_prompt_is_read_as_a_list_of_items(prompt: object, expected: list[object]) -> None:
    assert CompletionRequest.model_validate({"model": "m", "prompt": prompt}).prompts == expected


def test_a_request_without_a_prompt_names_the_missing_parameter() -> None:
    with pytest.raises(BadRequest) as caught:
        parse_json(CompletionRequest, b'{"model": "m"}')
    assert caught.value.param == "prompt"


def test_logprobs_above_five_are_rejected() -> None:
    with pytest.raises(BadRequest) as caught:
        parse_json(CompletionRequest, b'{"model": "m", "prompt": "x", "logprobs": 6}')
    assert caught.value.param == "logprobs"


def test_a_response_always_carries_finish_reason_and_logprobs_keys() -> None:
    response = CompletionResponse(
        id="cmpl-1",
        created=1,
        model="m",
        choices=[CompletionChoice(text="hi", finish_reason="stop")],
        usage=Usage.of(1, 1),
    )
    body = orjson.loads(response.__pydantic_serializer__.to_json(response, exclude_none=True))
    assert body["choices"][0] == {"index": 0, "text": "hi", "logprobs": None, "finish_reason": "stop"}
    Completion.model_validate(body)


def test_a_stream_chunk_says_finish_reason_null_until_the_end() -> None:
    chunk = CompletionChunk(id="cmpl-1", created=1, model="m", choices=[CompletionChoice(text="hi")])
    body = orjson.loads(chunk.__pydantic_serializer__.to_json(chunk, exclude_none=True))
    assert body["object"] == "text_completion"
    assert body["choices"][0]["finish_reason"] is None


def test_the_route_never_reaches_the_wire() -> None:
    response = CompletionResponse(id="c", created=1, model="m", choices=[])
    assert "route" not in response.model_dump()
