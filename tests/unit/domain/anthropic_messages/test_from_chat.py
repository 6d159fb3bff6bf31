"""Chat answers -> Anthropic Messages answers, checked against the anthropic SDK's types."""

from __future__ import annotations

import orjson
import pytest

from switchboard.domain.anthropic_messages.from_chat import chat_usage, messages_response, messages_usage
from switchboard.domain.chat import ChatResponse, Choice, FinishReason, ResponseMessage
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage
from tests.support.anthropic_wire import validate_message


def _response(message: ResponseMessage, finish: FinishReason = "stop", usage: Usage | None = None) -> ChatResponse:
    return ChatResponse(
        id="chatcmpl-1",
        created=1,
        model="gpt-up",
        choices=[Choice(message=message, finish_reason=finish)],
        usage=usage or Usage.of(10, 3),
    )


def _wire(response: ChatResponse) -> bytes:
    message = messages_response(response, "asked-model")
    return message.__pydantic_serializer__.to_json(message, exclude_none=True)


def test_a_text_answer_is_a_message_the_sdk_reads() -> None:
    parsed = validate_message(orjson.loads(_wire(_response(ResponseMessage(content="hello")))))
    assert parsed.id == "msg_chatcmpl-1"
    assert parsed.model == "asked-model"
    assert parsed.content[0].type == "text" and parsed.content[0].text == "hello"
    assert parsed.stop_reason == "end_turn" and parsed.stop_sequence is None
    assert (parsed.usage.input_tokens, parsed.usage.output_tokens) == (10, 3)


def test_reasoning_and_tool_calls_become_thinking_and_tool_use_blocks() -> None:
    message = ResponseMessage(
        reasoning_content="Look it up.",
        tool_calls=[ToolCall(id="call_1", function=FunctionCall(name="weather", arguments='{"city":"Paris"}'))],
    )
    parsed = validate_message(orjson.loads(_wire(_response(message, "tool_calls"))))
    thinking, call = parsed.content
    assert thinking.type == "thinking" and thinking.thinking == "Look it up."
    assert call.type == "tool_use" and (call.id, call.name, call.input) == ("call_1", "weather", {"city": "Paris"})
    assert parsed.stop_reason == "tool_use"


@pytest.mark.parametrize(
    ("finish", "stop"), [("length", "max_tokens"), ("content_filter", "refusal"), ("stop", "end_turn")]
)
def test_finish_reasons_map_to_stop_reasons(finish: FinishReason, stop: str) -> None:
    assert messages_response(_response(ResponseMessage(content="x"), finish), "m").stop_reason == stop


def test_tool_arguments_that_are_not_json_are_a_protocol_error() -> None:
    message = ResponseMessage(tool_calls=[ToolCall(id="c", function=FunctionCall(name="t", arguments="{oops"))])
    with pytest.raises(UpstreamProtocolError):
        messages_response(_response(message, "tool_calls"), "m")


def test_cache_reads_and_writes_are_counted_apart_from_fresh_input() -> None:
    usage = messages_usage(Usage.of(100, 7, cached=60, cache_creation=30))
    assert (usage.input_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens) == (10, 60, 30)
    assert usage.output_tokens == 7


def test_anthropic_usage_counts_every_input_token_as_prompt() -> None:
    usage = chat_usage({"input_tokens": 10, "cache_read_input_tokens": 60, "cache_creation_input_tokens": 30})
    assert (usage.prompt_tokens, usage.cached_tokens) == (100, 60)
