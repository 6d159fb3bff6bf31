from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mistralai.client.models import CompletionChunk
from openai.types.chat import ChatCompletionChunk

from switchboard.adapters.outbound.providers.mistral.stream import MistralChunkDecoder
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import ContextWindowExceeded, ProviderUnavailable
from tests.support.contracts import assert_conforms
from tests.support.streams import every_split

FIXTURES = Path(__file__).parent / "fixtures"


def decode(pieces: list[bytes]) -> list[dict[str, Any]]:
    """As the client does: stop at [DONE]; call finish only if the body ends without it."""
    sse, decoder = SseDecoder(), MistralChunkDecoder("d1")
    chunks: list[ChatChunk] = []
    events = [e for piece in pieces for e in sse.feed(piece)] + sse.flush()
    for event in events:
        if event.data == "[DONE]":
            break
        chunks += decoder.feed(event.data)
    else:
        chunks += decoder.finish()
    return [chunk.model_dump(exclude_none=True) for chunk in chunks]


def events(name: str) -> list[str]:
    sse = SseDecoder()
    return [e.data for e in sse.feed((FIXTURES / name).read_bytes()) + sse.flush() if e.data != "[DONE]"]


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_call.sse"])
def test_stream_fixtures_follow_the_official_schema(name: str) -> None:
    for data in events(name):
        assert_conforms(CompletionChunk, json.loads(data))


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_call.sse"])
def test_decoding_gives_the_same_chunks_wherever_the_bytes_are_split(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    whole = decode([body])
    for pieces in every_split(body):
        assert decode(pieces) == whole


def test_usage_on_the_last_chunk_is_split_into_a_usage_only_chunk() -> None:
    chunks = decode([(FIXTURES / "stream_text.sse").read_bytes()])
    assert (
        "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]) == "Hello from Mistral é!"
    )
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert "usage" not in chunks[-2]
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14}
    for chunk in chunks:
        ChatCompletionChunk.model_validate(chunk)


def test_whole_tool_calls_in_one_delta_keep_their_ids_and_order() -> None:
    chunks = decode([(FIXTURES / "stream_tool_call.sse").read_bytes()])
    deltas = [d for c in chunks for ch in c["choices"] for d in ch["delta"].get("tool_calls", ())]
    assert [(d["index"], d["id"], d["function"]["name"], json.loads(d["function"]["arguments"])) for d in deltas] == [
        (0, "D681PevKs", "get_weather", {"city": "Paris", "unit": "celsius"}),
        (1, "Zq81bQw2X", "get_time", {}),
    ]


def test_a_stream_cut_before_its_finish_raises_provider_unavailable() -> None:
    body = (FIXTURES / "stream_text.sse").read_bytes()
    last = body.rindex(b"data: {")  # the chunk with the finish reason
    with pytest.raises(ProviderUnavailable):
        decode([body[:last]])


def test_an_error_event_mid_stream_raises_a_domain_error() -> None:
    decoder = MistralChunkDecoder()
    error = {
        "object": "error",
        "message": "Prompt contains 140000 tokens, too large for model with 131072 maximum context length",
        "type": "invalid_request_invalid_args",
        "param": None,
        "code": "3051",
        "raw_status_code": 400,
    }
    with pytest.raises(ContextWindowExceeded):
        decoder.feed(json.dumps(error))
