"""Bad input is refused with OpenAI-style messages that name the field."""

from __future__ import annotations

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.validation import field_path, parse_json, parse_mapping


def refusal(body: bytes) -> BadRequest:
    with pytest.raises(BadRequest) as caught:
        parse_json(ChatRequest, body)
    return caught.value


def test_a_missing_field_is_named() -> None:
    error = refusal(b'{"model": "m"}')
    assert error.message == "Missing required parameter: 'messages'."
    assert error.param == "messages"


def test_a_wrong_type_inside_a_message_names_its_path() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "user", "content": 5}]}')
    assert error.param == "messages[0].content"
    assert error.message.startswith("Invalid type for 'messages[0].content'")


def test_an_unknown_role_is_an_invalid_value_of_the_message() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "wizard", "content": "x"}]}')
    assert error.param == "messages[0]"
    assert "wizard" in error.message


def test_an_out_of_range_number_is_an_invalid_value() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": 3}')
    assert error.param == "temperature"
    assert error.message.startswith("Invalid value for 'temperature'")


def test_an_empty_message_list_is_refused() -> None:
    error = refusal(b'{"model": "m", "messages": []}')
    assert error.param == "messages"


def test_malformed_json_says_the_body_is_not_json() -> None:
    error = refusal(b'{"model": "m",')
    assert "could not parse the JSON body" in error.message
    assert error.param is None


def test_an_empty_body_is_refused() -> None:
    assert "empty" in refusal(b"  ").message


def test_a_json_array_is_not_a_request_object() -> None:
    assert refusal(b"[1, 2]").message == "The request body must be a JSON object."


def test_a_bad_tool_call_field_names_the_nested_path() -> None:
    body = (
        b'{"model": "m", "messages": [{"role": "assistant", "tool_calls": '
        b'[{"id": "c", "type": "function", "function": {"name": "f"}}]}]}'
    )
    error = refusal(body)
    assert error.param == "messages[0].tool_calls[0].function.arguments"


def test_unknown_fields_are_kept_for_the_provider_to_judge() -> None:
    request = parse_json(ChatRequest, b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "top_k": 3}')
    assert request.model_extra == {"top_k": 3}


def test_keyword_arguments_are_checked_like_json_bodies() -> None:
    with pytest.raises(BadRequest) as caught:
        parse_mapping(EmbeddingRequest, {"model": "e"})
    assert caught.value.param == "input"


CALL = {"id": "c", "type": "function", "function": {"arguments": "{}"}}


@pytest.mark.parametrize(
    ("loc", "data", "path"),
    [
        (
            ("messages", 0, "user", "content"),
            {"messages": [{"role": "user", "content": 5}]},
            "messages[0].content",
        ),
        (
            ("messages", 0, "assistant", "tool_calls", 0, "function", "name"),
            {"messages": [{"role": "assistant", "tool_calls": [CALL]}]},
            "messages[0].tool_calls[0].function.name",
        ),
        (("stop", "str"), {"stop": 5}, "stop"),
        (
            ("response_format", "json_schema", "json_schema", "name"),
            {"response_format": {"type": "json_schema", "json_schema": {}}},
            "response_format.json_schema.name",
        ),
        (("messages", 1, "tool", "content"), None, "messages[1].content"),
    ],
)
def test_field_paths_read_like_the_callers_json(loc: tuple[int | str, ...], data: object, path: str) -> None:
    assert field_path(loc, data) == path
