"""Bad input is refused with OpenAI-style messages that name the field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from switchboard.domain.chat import ChatRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.validation import TOO_DEEP, field_path, parse_json, parse_mapping


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


def test_an_unknown_role_is_an_invalid_value_of_the_role() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "wizard", "content": "x"}]}')
    assert error.param == "messages[0].role"
    assert error.message.startswith("Invalid value for 'messages[0].role'")
    assert "wizard" in error.message


def test_a_missing_role_is_a_missing_parameter_named_by_its_path() -> None:
    error = refusal(b'{"model": "m", "messages": [{"content": "x"}]}')
    assert error.param == "messages[0].role"
    assert error.message == "Missing required parameter: 'messages[0].role'."


def test_an_unknown_content_part_type_names_the_type_field() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "user", "content": [{"type": "hologram"}]}]}')
    assert error.param == "messages[0].content[0].type"


def test_an_unknown_response_format_type_names_the_type_field() -> None:
    error = refusal(b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "x"}}')
    assert error.param == "response_format.type"


def test_a_named_tool_choice_without_a_name_names_the_callers_path() -> None:
    body = (
        b'{"model": "m", "messages": [{"role": "user", "content": "x"}], '
        b'"tool_choice": {"type": "function", "function": {}}}'
    )
    assert refusal(body).param == "tool_choice.function.name"


USER = b'"messages": [{"role": "user", "content": "x"}]'


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stream", b'"yes"'),
        ("stream", b"1"),
        ("logprobs", b'"true"'),
        ("max_tokens", b'"5"'),
        ("max_tokens", b"5.0"),
        ("n", b"true"),
        ("seed", b'"7"'),
        ("temperature", b'"0.5"'),
        ("parallel_tool_calls", b'"false"'),
    ],
)
def test_booleans_integers_and_numbers_are_strict_as_openais_are(field: str, value: bytes) -> None:
    error = refusal(b'{"model": "m", ' + USER + b', "' + field.encode() + b'": ' + value + b"}")
    assert error.param == field
    assert error.message.startswith(f"Invalid type for '{field}'")


def test_a_strict_option_inside_an_object_names_its_path() -> None:
    error = refusal(b'{"model": "m", ' + USER + b', "stream_options": {"include_usage": "yes"}}')
    assert error.param == "stream_options.include_usage"


def test_a_whole_number_is_still_a_number() -> None:
    assert parse_json(ChatRequest, b'{"model": "m", ' + USER + b', "temperature": 1}').temperature == 1.0


@pytest.mark.parametrize(
    ("model", "body", "param"),
    [
        (EmbeddingRequest, b'{"model": "e", "input": "x", "dimensions": "8"}', "dimensions"),
        (CompletionRequest, b'{"model": "c", "prompt": "x", "echo": "yes"}', "echo"),
        (CompletionRequest, b'{"model": "c", "prompt": "x", "stream": "no"}', "stream"),
    ],
)
def test_embeddings_and_completions_are_as_strict(model: type[BaseModel], body: bytes, param: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_json(model, body)
    assert caught.value.param == param


def test_json_nested_deeper_than_the_parser_goes_is_refused_as_too_deep() -> None:
    deep = b'{"model": "m", "messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    error = refusal(deep)
    assert error.message == TOO_DEEP
    assert error.param is None


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
