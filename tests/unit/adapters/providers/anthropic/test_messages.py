"""Canonical messages -> Anthropic turns. Every result is sent through the SDK's request schema."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.anthropic.messages import to_turns
from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import BadRequest
from tests.support.anthropic_wire import validate_request

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


def turns(*messages: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    request = ChatRequest.model_validate({"model": "m", "messages": list(messages)})
    system, result = to_turns(request.messages)
    body: dict[str, Any] = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": result}
    if system is not None:
        body["system"] = system
    validate_request(body)
    return system, result


def test_a_lone_system_message_becomes_the_system_string() -> None:
    system, result = turns({"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"})
    assert system == "Be brief."
    assert result == [{"role": "user", "content": "Hi"}]


def test_system_and_developer_messages_become_text_blocks_in_order() -> None:
    system, _ = turns(
        {"role": "system", "content": "One."},
        {"role": "user", "content": "Hi"},
        {"role": "developer", "content": [{"type": "text", "text": "Two."}]},
    )
    assert system == [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}]


def test_cache_control_on_a_system_part_is_kept() -> None:
    part = {"type": "text", "text": "Long rules.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
    system, _ = turns({"role": "system", "content": [part]}, {"role": "user", "content": "Hi"})
    assert system == [part]


def test_a_message_level_cache_control_marks_its_last_block() -> None:
    _, result = turns(
        {
            "role": "user",
            "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
            "cache_control": {"type": "ephemeral"},
        }
    )
    assert result[0]["content"][-1] == {"type": "text", "text": "b", "cache_control": {"type": "ephemeral"}}


def test_consecutive_user_messages_merge_into_one_turn() -> None:
    _, result = turns({"role": "user", "content": "a"}, {"role": "user", "content": "b"})
    assert result == [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]


def test_a_conversation_opening_with_the_assistant_gets_a_user_turn_first() -> None:
    _, result = turns({"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Hi"})
    assert [t["role"] for t in result] == ["user", "assistant", "user"]


def test_a_conversation_of_system_text_alone_still_has_a_user_turn() -> None:
    _, result = turns({"role": "system", "content": "Say hi."})
    assert [t["role"] for t in result] == ["user"]


def test_tool_calls_become_tool_use_blocks_and_results_one_user_turn() -> None:
    _, result = turns(
        {"role": "user", "content": "Weather?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "w", "arguments": '{"city":"Paris"}'},
                },
                {"id": "call_2", "type": "function", "function": {"name": "w", "arguments": ""}},
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
        {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "3C"}]},
        {"role": "user", "content": "Thanks"},
    )
    assert result[1] == {
        "role": "assistant",
        "content": [
            {"type": "tool_use", "id": "call_1", "name": "w", "input": {"city": "Paris"}},
            {"type": "tool_use", "id": "call_2", "name": "w", "input": {}},
        ],
    }
    assert result[2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "call_1", "content": "18C"},
            {"type": "tool_result", "tool_use_id": "call_2", "content": [{"type": "text", "text": "3C"}]},
            {"type": "text", "text": "Thanks"},
        ],
    }


def test_tool_call_arguments_that_are_not_a_json_object_are_rejected() -> None:
    with pytest.raises(BadRequest) as caught:
        turns(
            {"role": "user", "content": "x"},
            {
                "role": "assistant",
                "tool_calls": [{"id": "c", "type": "function", "function": {"name": "w", "arguments": "[1]"}}],
            },
        )
    assert caught.value.param == "messages[1].tool_calls[0].function.arguments"


def test_an_image_url_becomes_a_url_source() -> None:
    _, result = turns(
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]}
    )
    assert result[0]["content"] == [{"type": "image", "source": {"type": "url", "url": "https://x.test/a.png"}}]


def test_a_base64_image_keeps_its_media_type_and_cache_control() -> None:
    part = {
        "type": "image_url",
        "image_url": {"url": f"data:image/png;base64,{PNG}", "detail": "high"},
        "cache_control": {"type": "ephemeral"},
    }
    _, result = turns({"role": "user", "content": [part]})
    assert result[0]["content"] == [
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": PNG},
            "cache_control": {"type": "ephemeral"},
        }
    ]


def test_a_pdf_file_part_becomes_a_document_block_titled_by_its_filename() -> None:
    part = {
        "type": "file",
        "file": {"file_data": "data:application/pdf;base64,JVBERi0x", "filename": "a.pdf"},
    }
    _, result = turns({"role": "user", "content": [part]})
    assert result[0]["content"] == [
        {
            "type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0x"},
            "title": "a.pdf",
        }
    ]


def test_a_plain_text_file_becomes_a_text_document() -> None:
    part = {"type": "file", "file": {"file_data": "data:text/plain;base64,aGVsbG8="}}
    _, result = turns({"role": "user", "content": [part]})
    assert result[0]["content"][0]["source"] == {"type": "text", "media_type": "text/plain", "data": "hello"}


def test_a_file_id_becomes_a_files_api_document() -> None:
    _, result = turns({"role": "user", "content": [{"type": "file", "file": {"file_id": "file_011"}}]})
    assert result[0]["content"] == [{"type": "document", "source": {"type": "file", "file_id": "file_011"}}]


@pytest.mark.parametrize(
    ("part", "param"),
    [
        ({"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}, "messages[0].content[0]"),
        (
            {"type": "image_url", "image_url": {"url": "data:image/tiff;base64,AAAA"}},
            "messages[0].content[0]",
        ),
        ({"type": "image_url", "image_url": {"url": "ftp://x.test/a.png"}}, "messages[0].content[0]"),
    ],
)
def test_content_anthropic_cannot_read_is_rejected_with_its_place(part: dict[str, Any], param: str) -> None:
    with pytest.raises(BadRequest) as caught:
        turns({"role": "user", "content": [part]})
    assert caught.value.param == param


def test_legacy_function_messages_are_rejected() -> None:
    with pytest.raises(BadRequest):
        turns({"role": "user", "content": "x"}, {"role": "function", "name": "f", "content": "1"})


def test_thinking_blocks_go_back_first_with_their_signature() -> None:
    thinking = [
        {"type": "thinking", "thinking": "Hmm.", "signature": "sig=="},
        {"type": "redacted_thinking", "data": "opaque"},
    ]
    _, result = turns(
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": "Answer.", "thinking_blocks": thinking, "reasoning_content": "Hmm."},
    )
    assert result[1]["content"] == [*thinking, {"type": "text", "text": "Answer."}]


def test_an_assistant_message_with_nothing_in_it_is_left_out() -> None:
    _, result = turns(
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": None},
        {"role": "user", "content": "b"},
    )
    assert len(result) == 1 and result[0]["role"] == "user"
