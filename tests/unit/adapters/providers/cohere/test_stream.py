from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cohere.v2.types import V2ChatStreamResponse

from switchboard.adapters.outbound.providers.cohere.stream import CohereStreamDecoder
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import ProviderUnavailable, Timeout
from tests.support.contracts import assert_conforms
from tests.support.streams import every_split

FIXTURES = Path(__file__).parent / "fixtures"


def decode(pieces: list[bytes]) -> list[dict[str, Any]]:
    sse, decoder = SseDecoder(), CohereStreamDecoder("command-a-03-2025", 1_700_000_000, "d1")
    chunks: list[ChatChunk] = []
    for piece in pieces:
        for event in sse.feed(piece):
            chunks += decoder.feed(event.data)
    for event in sse.flush():
        chunks += decoder.feed(event.data)
    chunks += decoder.finish()
    return [chunk.model_dump(exclude_none=True) for chunk in chunks]


def events(name: str) -> list[str]:
    sse = SseDecoder()
    return [e.data for e in sse.feed((FIXTURES / name).read_bytes()) + sse.flush()]


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_call.sse"])
def test_stream_fixtures_follow_the_official_schema(name: str) -> None:
    for data in events(name):
        if data != "[DONE]":
            assert_conforms(V2ChatStreamResponse, json.loads(data))


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_call.sse"])
def test_decoding_gives_the_same_chunks_wherever_the_bytes_are_split(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    whole = decode([body])
    for pieces in every_split(body):
        assert decode(pieces) == whole


def test_a_text_stream_joins_to_the_answer_and_ends_with_finish_and_usage() -> None:
    chunks = decode([(FIXTURES / "stream_text.sse").read_bytes()])
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert {c["id"] for c in chunks} == {"29f14a5a-11de-4cae-9800-25e4747408ea"}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "Hello from Cohere é!"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}


def test_tool_calls_stream_with_sequential_indexes_and_joinable_arguments() -> None:
    chunks = decode([(FIXTURES / "stream_tool_call.sse").read_bytes()])
    calls: dict[int, dict[str, str]] = {}
    reasoning = ""
    for chunk in chunks:
        for choice in chunk["choices"]:
            reasoning += choice["delta"].get("reasoning_content", "")
            for delta in choice["delta"].get("tool_calls", ()):
                call = calls.setdefault(delta["index"], {"id": "", "name": "", "arguments": ""})
                call["id"] += delta.get("id", "")
                call["name"] += delta.get("function", {}).get("name", "")
                call["arguments"] += delta.get("function", {}).get("arguments", "")
    assert reasoning == "I will check the weather."
    assert calls == {
        0: {"id": "get_weather_p1x8", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        1: {"id": "get_time_q7m2", "name": "get_time", "arguments": "{}"},
    }
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"
    assert chunks[-1]["usage"]["prompt_tokens_details"] == {"cached_tokens": 176}


def test_a_stream_cut_before_message_end_raises_provider_unavailable() -> None:
    body = (FIXTURES / "stream_text.sse").read_bytes()
    cut = body[: body.index(b"event: message-end")]
    with pytest.raises(ProviderUnavailable):
        decode([cut])


def test_an_error_ending_mid_stream_raises() -> None:
    decoder = CohereStreamDecoder("command-a", 0)
    decoder.feed('{"type":"message-start","id":"x"}')
    with pytest.raises(ProviderUnavailable):
        decoder.feed('{"type":"message-end","delta":{"finish_reason":"ERROR","error":"overloaded"}}')


def test_a_timeout_ending_mid_stream_raises_timeout() -> None:
    decoder = CohereStreamDecoder("command-a", 0)
    with pytest.raises(Timeout):
        decoder.feed('{"type":"message-end","delta":{"finish_reason":"TIMEOUT"}}')
