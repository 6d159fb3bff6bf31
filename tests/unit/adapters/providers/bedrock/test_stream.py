from __future__ import annotations

import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock.eventstream import EventStreamDecoder
from switchboard.adapters.outbound.providers.bedrock.request import JSON_TOOL
from switchboard.adapters.outbound.providers.bedrock.stream import ConverseStreamDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import BadRequest, ProviderUnavailable, RateLimited, UpstreamProtocolError
from tests.support.bedrock_wire import encode_message, event, exception
from tests.unit.adapters.providers.bedrock.fixture_files import stream


def decode(data: bytes, *, offset: int | None = None, json_tool: str | None = None) -> list[ChatChunk]:
    frames = EventStreamDecoder()
    decoder = ConverseStreamDecoder(response_id="chatcmpl-1", created=1700000000, model="m", json_tool=json_tool)
    pieces = [data] if offset is None else [data[:offset], data[offset:]]
    chunks = [chunk for piece in pieces for message in frames.feed(piece) for chunk in decoder.feed(message)]
    return chunks + decoder.finish()


def dumped(chunks: list[ChatChunk]) -> list[dict[str, object]]:
    return [c.model_dump(exclude_none=True) for c in chunks]


def test_text_and_a_tool_call_stream_in_openai_shape() -> None:
    chunks = decode(stream("converse_stream_tool.json"))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.text for c in chunks) == "Let me check the weather."
    calls = [d for c in chunks for ch in c.choices for d in ch.delta.tool_calls or ()]
    assert calls[0].id == "tooluse_3Jvx4IbqQ8e1mXjvYxTE9A"
    assert calls[0].function is not None and calls[0].function.name == "get_weather"
    assert {d.index for d in calls} == {0}
    arguments = "".join(d.function.arguments or "" for d in calls if d.function)
    assert orjson.loads(arguments) == {"city": "Paris", "unit": "celsius"}
    finishes = [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason]
    assert finishes == ["tool_calls"]


def test_the_last_chunk_carries_the_usage() -> None:
    last = decode(stream("converse_stream_tool.json"))[-1]
    assert last.choices == []
    assert last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.cached_tokens) == (
        475,
        66,
        100,
    )
    assert last.usage.total_tokens == 541


def test_every_chunk_carries_the_response_identity() -> None:
    chunks = decode(stream("converse_stream_tool.json"))
    assert {(c.id, c.created, c.model) for c in chunks} == {("chatcmpl-1", 1700000000, "m")}


@pytest.mark.parametrize("name", ["converse_stream_tool.json", "converse_stream_reasoning.json"])
def test_the_same_chunks_come_out_wherever_the_bytes_are_split(name: str) -> None:
    data = stream(name)
    whole = dumped(decode(data))
    for offset in range(1, len(data)):
        assert dumped(decode(data, offset=offset)) == whole, offset


def test_reasoning_streams_as_reasoning_content_then_a_signed_thinking_block() -> None:
    chunks = decode(stream("converse_stream_reasoning.json"))
    reasoning = "".join(c.choices[0].delta.reasoning_content or "" for c in chunks if c.choices)
    assert reasoning == "17 * 20 = 340, plus 51 is 391."
    blocks = [b for c in chunks if c.choices for b in (c.choices[0].delta.model_extra or {}).get("thinking_blocks", ())]
    assert blocks == [
        {
            "type": "thinking",
            "thinking": reasoning,
            "signature": "EqoBCkgIARABGAIiQJ3ExampleSignatureScrubbed==",
        }
    ]
    assert "".join(c.text for c in chunks) == "17 x 23 = 391."


def test_a_forced_json_tool_streams_as_content() -> None:
    frames = [
        event("messageStart", {"role": "assistant"}),
        event(
            "contentBlockStart",
            {"contentBlockIndex": 0, "start": {"toolUse": {"toolUseId": "t", "name": JSON_TOOL}}},
        ),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": '{"answer":'}}}),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"toolUse": {"input": " 42}"}}}),
        event("contentBlockStop", {"contentBlockIndex": 0}),
        event("messageStop", {"stopReason": "tool_use"}),
    ]
    chunks = decode(b"".join(frames), json_tool=JSON_TOOL)
    assert orjson.loads("".join(c.text for c in chunks)) == {"answer": 42}
    assert not any(ch.delta.tool_calls for c in chunks for ch in c.choices)
    assert [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason] == ["stop"]


def test_an_exception_message_raises_its_domain_error() -> None:
    data = event("messageStart", {"role": "assistant"}) + exception("throttlingException", "Too many tokens")
    with pytest.raises(RateLimited) as caught:
        decode(data)
    assert caught.value.code == "throttlingException"


def test_a_validation_exception_mid_stream_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        decode(exception("validationException", "Input is too long"))


def test_a_generic_error_message_raises_too() -> None:
    frame = encode_message({":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom"}, b"")
    with pytest.raises(ProviderUnavailable, match="boom"):
        decode(frame)


def test_a_stream_without_message_stop_was_cut_short() -> None:
    data = event("messageStart", {"role": "assistant"}) + event(
        "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hel"}}
    )
    with pytest.raises(ProviderUnavailable, match="ended before"):
        decode(data)


def test_events_this_decoder_does_not_know_are_ignored() -> None:
    frames = [
        event("messageStart", {"role": "assistant"}),
        event("somethingNew", {"x": 1}),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"citation": {"title": "t"}}}),
        event("messageStop", {"stopReason": "end_turn"}),
    ]
    chunks = decode(b"".join(frames))
    assert [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason] == ["stop"]


def test_an_unreadable_event_payload_is_a_protocol_error() -> None:
    frame = encode_message({":message-type": "event", ":event-type": "contentBlockDelta"}, b"{not json")
    with pytest.raises(UpstreamProtocolError):
        decode(frame)
