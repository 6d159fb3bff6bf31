"""Chat streams -> Anthropic stream events, checked event by event against the anthropic SDK's
types and assembled by the SDK's own accumulator; upstream bytes split at every boundary."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

# The SDK's accumulator is what ``messages.stream()`` builds its final message with; a private
# module of code we do not own, used as the reference for how a client assembles our events.
from anthropic.lib.streaming._messages import accumulate_event
from anthropic.types import ParsedMessage

from switchboard.adapters.outbound.providers.anthropic.relay import MeteredEvents
from switchboard.adapters.outbound.providers.openai.stream import OpenAIChunkDecoder
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.anthropic_messages.chat_stream import MessagesEvents
from switchboard.domain.anthropic_messages.native import MessagesMeter
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import UpstreamProtocolError
from tests.support.anthropic_wire import sse_frames, validate_event


def _openai(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> bytes:
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-up",
        "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage:
        body["usage"] = usage
    return b"data: " + orjson.dumps(body) + b"\n\n"


def _call(index: int, arguments: str, *, id: str | None = None, name: str | None = None) -> dict[str, Any]:
    piece: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if id is not None:
        piece.update(id=id, type="function")
    if name is not None:
        piece["function"]["name"] = name
    return {"tool_calls": [piece]}


UPSTREAM = b"".join(
    [
        _openai({"role": "assistant", "content": ""}),
        _openai({"reasoning_content": "Think"}),
        _openai({"reasoning_content": "ing."}),
        _openai({"content": "Two "}),
        _openai({"content": "calls."}),
        _openai(_call(0, "", id="call_a", name="weather")),
        _openai(_call(0, '{"ci')),
        _openai(_call(0, 'ty": "Pa')),
        _openai(_call(0, 'ris"}')),
        _openai(_call(1, '{"q"', id="call_b", name="search")),
        _openai(_call(1, ': "é"}')),
        _openai({}, "tool_calls"),
        _openai({}, usage={"prompt_tokens": 20, "completion_tokens": 9, "prompt_tokens_details": {"cached_tokens": 5}}),
        b"data: [DONE]\n\n",
    ]
)


def _chunks(pieces: list[bytes]) -> list[ChatChunk]:
    sse, decoder = SseDecoder(), OpenAIChunkDecoder("openai")
    chunks: list[ChatChunk] = []
    for piece in pieces:
        for event in sse.feed(piece):
            if event.data != "[DONE]":
                chunks += decoder.feed(event.data)
    return chunks


def _translate(chunks: list[ChatChunk]) -> bytes:
    writer = MessagesEvents(model="asked", input_tokens=3, provider="openai")
    events = [event for chunk in chunks for event in writer.feed(chunk)]
    return b"".join([*events, *writer.finish()])


def _assemble(stream: bytes) -> tuple[ParsedMessage[None], list[str]]:
    """The final message as the SDK assembles it, and the event names in order; every event's
    name matches its type and its data validates against the SDK's types."""
    snapshot: ParsedMessage[None] | None = None
    json_bufs: dict[int, bytes] = {}
    names = []
    for event in SseDecoder().feed(stream):
        data = orjson.loads(event.data)
        assert event.event == data["type"]
        validate_event(data)
        names.append(data["type"])
        if data["type"] not in ("ping", "error"):
            snapshot = accumulate_event(event=data, current_snapshot=snapshot, json_bufs=json_bufs)
    assert snapshot is not None
    return snapshot, names


def _splits(data: bytes) -> list[list[bytes]]:
    """``data`` cut in two at every byte boundary, and cut into single bytes."""
    return [[data[:k], data[k:]] for k in range(len(data) + 1)] + [[data[i : i + 1] for i in range(len(data))]]


EXPECTED_CONTENT: list[dict[str, Any]] = [
    {"type": "thinking", "thinking": "Thinking.", "signature": ""},
    {"type": "text", "text": "Two calls.", "citations": None},
    {"type": "tool_use", "id": "call_a", "name": "weather", "input": {"city": "Paris"}, "caller": None},
    {"type": "tool_use", "id": "call_b", "name": "search", "input": {"q": "é"}, "caller": None},
]


def test_a_translated_stream_follows_anthropics_event_order() -> None:
    _, names = _assemble(_translate(_chunks([UPSTREAM])))
    assert names[:2] == ["message_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    assert names.count("content_block_start") == names.count("content_block_stop") == 4


def test_the_sdk_assembles_thinking_text_and_each_tool_input_from_split_deltas() -> None:
    message, _ = _assemble(_translate(_chunks([UPSTREAM])))
    content = [block.model_dump(exclude_unset=False) for block in message.content]
    assert [
        {k: v for k, v in block.items() if k in expected}
        for block, expected in zip(content, EXPECTED_CONTENT, strict=True)
    ] == EXPECTED_CONTENT
    assert message.stop_reason == "tool_use"
    assert (message.usage.input_tokens, message.usage.cache_read_input_tokens, message.usage.output_tokens) == (
        15,
        5,
        9,
    )


def test_upstream_bytes_split_at_any_boundary_give_the_same_events() -> None:
    whole = _translate(_chunks([UPSTREAM]))
    for pieces in _splits(UPSTREAM):
        assert _translate(_chunks(pieces)) == whole


def test_without_upstream_usage_the_message_reports_the_prompt_estimate() -> None:
    chunks = _chunks([_openai({"content": "hi"}), _openai({}, "stop")])
    message, _ = _assemble(_translate(chunks))
    assert (message.usage.input_tokens, message.stop_reason) == (3, "end_turn")


def test_arguments_before_the_tools_name_are_held_until_its_block_opens() -> None:
    chunks = _chunks(
        [
            _openai(_call(0, '{"a":', id="call_x")),
            _openai(_call(0, " 1}", name="late")),
            _openai({}, "tool_calls"),
        ]
    )
    message, _ = _assemble(_translate(chunks))
    call = message.content[0]
    assert call.type == "tool_use" and (call.name, call.input) == ("late", {"a": 1})


def test_a_stream_that_goes_back_to_an_ended_tool_call_is_a_protocol_error() -> None:
    chunks = _chunks(
        [
            _openai(_call(0, "{", id="a", name="one")),
            _openai(_call(1, "{}", id="b", name="two")),
            _openai(_call(0, "}")),
        ]
    )
    with pytest.raises(UpstreamProtocolError):
        _translate(chunks)


# --- the native relay's meter --------------------------------------------------------------------

NATIVE = b"".join(
    sse_frames(
        [
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-x",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 7, "cache_read_input_tokens": 3, "output_tokens": 1},
                },
            },
            {"type": "ping"},
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "héllo "}},
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "there"}},
            {"type": "content_block_stop", "index": 0},
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 4},
            },
            {"type": "message_stop"},
        ]
    )
)


def _metered(pieces: list[bytes]) -> MessagesMeter:
    meter = MessagesMeter()
    events = MeteredEvents(meter)
    for piece in pieces:
        events.feed(piece)
    events.flush()
    return meter


def test_the_relay_reads_usage_text_and_the_end_from_bytes_split_at_any_boundary() -> None:
    for pieces in _splits(NATIVE):
        meter = _metered(pieces)
        assert meter.text == "héllo there"
        assert meter.stopped
        usage = meter.chat_usage()
        assert usage is not None and (usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens) == (10, 3, 4)
