"""OpenAI messages -> Gemini contents: the edges chat_body's tests do not reach."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from switchboard.adapters.outbound.providers.gemini.content import media_part, to_contents
from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import Message
from tests.support.google_schema import validate_request

MESSAGES = TypeAdapter(list[Message])


def contents(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    result, system = to_contents(MESSAGES.validate_python(messages))
    validate_request({"contents": result, "systemInstruction": system})
    return result, system


def test_empty_messages_are_left_out_rather_than_sent_without_parts() -> None:
    result, system = contents(
        [
            {"role": "system", "content": ""},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": ""},
        ]
    )
    assert result == [{"role": "user", "parts": [{"text": "Hi"}]}]
    assert system is None


def test_a_refusal_in_the_history_is_sent_as_text() -> None:
    result, _ = contents(
        [
            {"role": "user", "content": "x"},
            {"role": "assistant", "content": [{"type": "refusal", "refusal": "I can't help with that."}]},
        ]
    )
    assert result[1] == {"role": "model", "parts": [{"text": "I can't help with that."}]}


def test_a_deprecated_function_message_is_a_function_response_by_its_name() -> None:
    result, _ = contents(
        [{"role": "user", "content": "x"}, {"role": "function", "name": "lookup", "content": "[1, 2]"}]
    )
    assert result[-1]["parts"][-1] == {"functionResponse": {"name": "lookup", "response": {"output": [1, 2]}}}


def test_text_and_tool_calls_of_one_assistant_message_stay_in_one_turn() -> None:
    result, _ = contents(
        [
            {"role": "user", "content": "x"},
            {
                "role": "assistant",
                "content": "Let me look.",
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": ""}}],
            },
        ]
    )
    assert [list(part) for part in result[1]["parts"]] == [["text"], ["functionCall", "thoughtSignature"]]
    assert result[1]["parts"][1]["functionCall"] == {"name": "f", "args": {}}


def test_other_url_schemes_are_refused() -> None:
    with pytest.raises(BadRequest):
        media_part("ftp://host/file.png", None, "messages[0].content[0]")
