"""Anthropic SSE streams -> canonical chunks, from recorded streams split every possible way."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
import pytest
from openai.types.chat import ChatCompletionChunk

from switchboard.adapters.outbound.providers.anthropic.stream import AnthropicStreamDecoder
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import ContentPolicyViolation, ProviderUnavailable, RateLimited, UpstreamProtocolError
from tests.support.anthropic_wire import sse_frames, validate_event

FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name: str) -> bytes:
    raw = (FIXTURES / name).read_bytes()
    for event in SseDecoder().feed(raw):
        validate_event(json.loads(event.data))
    return raw


def decode(pieces: Iterable[bytes], response_tool: str | None = None) -> list[ChatChunk]:
    """The chunks for a body arriving in ``pieces``, the way the client reads it."""
    events, decoder = SseDecoder(), AnthropicStreamDecoder("claude", 1_700_000_000, response_tool)
    chunks = [c for piece in pieces for e in events.feed(piece) for c in decoder.feed(e)]
    chunks += [c for e in events.flush() for c in decoder.feed(e)]
    return chunks + decoder.finish()


def dumped(chunks: list[ChatChunk]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", exclude_none=True) for c in chunks]


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tools.sse"])
def test_every_chunk_is_a_valid_openai_chunk(name: str) -> None:
    for chunk in dumped(decode([recorded(name)])):
        ChatCompletionChunk.model_validate(chunk)


def text(chunks: list[ChatChunk]) -> str:
    return "".join(c.text for c in chunks)


def test_text_deltas_join_to_the_answer_after_a_role_chunk() -> None:
    chunks = decode([recorded("stream_text.sse")])
    assert chunks[0].choices[0].delta.role == "assistant"
    assert text(chunks) == "Hello wörld, from Claude 🌍."
    assert {c.id for c in chunks} == {"msg_01Stream7Text"}
    assert chunks[0].model == "claude-sonnet-4-5-20250929"


def test_the_stream_finishes_then_reports_usage_last() -> None:
    chunks = decode([recorded("stream_text.sse")])
    assert [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason] == ["stop"]
    usage = chunks[-1].usage
    assert chunks[-1].choices == []
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == (25 + 1024, 15, 1024)


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tools.sse"])
def test_any_split_of_the_bytes_gives_the_same_chunks(name: str) -> None:
    raw = recorded(name)
    whole = dumped(decode([raw]))
    for cut in range(1, len(raw)):
        assert dumped(decode([raw[:cut], raw[cut:]])) == whole, f"split at byte {cut}"


def test_a_byte_at_a_time_gives_the_same_chunks() -> None:
    raw = recorded("stream_tools.sse")
    assert dumped(decode([raw[i : i + 1] for i in range(len(raw))])) == dumped(decode([raw]))


def test_tool_use_blocks_stream_as_tool_calls_counted_from_zero() -> None:
    chunks = decode([recorded("stream_tools.sse")])
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks:
        for choice in chunk.choices:
            for delta in choice.delta.tool_calls or ():
                call = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
                call["id"] += delta.id or ""
                call["name"] += (delta.function and delta.function.name) or ""
                call["arguments"] += (delta.function and delta.function.arguments) or ""
    assert {i: (c["id"], c["name"], json.loads(c["arguments"])) for i, c in calls.items()} == {
        0: ("toolu_01T1x1FJ34PAkaseA5iCzGNh", "get_weather", {"city": "Paris"}),
        1: ("toolu_01T1x1FJ34PAkaseA5iCzGNi", "get_weather", {"city": "Oslo"}),
    }
    assert [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason] == ["tool_calls"]
    assert text(chunks) == "Checking."


def test_thinking_streams_as_reasoning_content_and_ends_as_a_signed_block() -> None:
    chunks = decode([recorded("stream_tools.sse")])
    reasoning = "".join(ch.delta.reasoning_content or "" for c in chunks for ch in c.choices)
    blocks = [b for c in chunks for ch in c.choices for b in (ch.delta.model_extra or {}).get("thinking_blocks", [])]
    assert reasoning == "Two cities, two calls."
    assert blocks == [
        {
            "type": "thinking",
            "thinking": "Two cities, two calls.",
            "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
        }
    ]


def test_output_token_details_become_reasoning_tokens() -> None:
    usage = decode([recorded("stream_tools.sse")])[-1].usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.reasoning_tokens) == (472, 89, 12)


def test_an_overloaded_error_mid_stream_is_a_retryable_provider_unavailable() -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        decode([recorded("stream_overloaded.sse")])
    assert caught.value.retryable
    assert caught.value.provider == "anthropic"


def start(model: str = "claude") -> dict[str, Any]:
    return {
        "type": "message_start",
        "message": {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 3, "output_tokens": 1},
        },
    }


STOP: list[dict[str, Any]] = [
    {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 4},
    },
    {"type": "message_stop"},
]


def test_a_stream_that_ends_before_message_stop_raises_provider_unavailable() -> None:
    frames = sse_frames(
        [start(), {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}]
    )
    with pytest.raises(ProviderUnavailable):
        decode(frames)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            {"type": "invalid_request_error", "message": "Output blocked by content filtering policy"},
            ContentPolicyViolation,
        ),
        ({"type": "rate_limit_error", "message": "slow down"}, RateLimited),
        ({"type": "api_error", "message": "Internal server error"}, ProviderUnavailable),
    ],
)
def test_error_events_are_classified_by_their_type(error: dict[str, Any], expected: type[Exception]) -> None:
    with pytest.raises(expected):
        decode(sse_frames([start(), {"type": "error", "error": error}]))


def test_a_forced_json_tool_streams_as_content() -> None:
    events = [
        start(),
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "toolu_9", "name": "json_response", "input": {}},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"a": '},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": "1}"},
        },
        {"type": "content_block_stop", "index": 0},
        {**STOP[0], "delta": {"stop_reason": "tool_use", "stop_sequence": None}},
        STOP[1],
    ]
    chunks = decode(sse_frames(events), response_tool="json_response")
    assert json.loads(text(chunks)) == {"a": 1}
    assert not any(ch.delta.tool_calls for c in chunks for ch in c.choices)
    assert [ch.finish_reason for c in chunks for ch in c.choices if ch.finish_reason] == ["stop"]


def test_a_redacted_thinking_block_is_passed_on_whole() -> None:
    events = [
        start(),
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "redacted_thinking", "data": "opaque"},
        },
        {"type": "content_block_stop", "index": 0},
        *STOP,
    ]
    chunks = decode(sse_frames(events))
    blocks = [b for c in chunks for ch in c.choices for b in (ch.delta.model_extra or {}).get("thinking_blocks", [])]
    assert blocks == [{"type": "redacted_thinking", "data": "opaque"}]


def test_unknown_event_types_are_ignored() -> None:
    frame = b"event: future_event\ndata: " + orjson.dumps({"type": "future_event", "x": 1}) + b"\n\n"
    chunks = decode([*sse_frames([start()]), frame, *sse_frames(STOP)])
    usage = chunks[-1].usage
    assert usage is not None and usage.total_tokens == 7


def test_a_delta_for_a_block_that_never_started_is_a_protocol_error() -> None:
    delta = {"type": "content_block_delta", "index": 4, "delta": {"type": "text_delta", "text": "x"}}
    with pytest.raises(UpstreamProtocolError):
        decode(sse_frames([start(), delta]))


def test_an_event_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        decode([b"event: message_start\ndata: {nope\n\n"])
