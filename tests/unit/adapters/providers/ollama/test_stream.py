from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ollama
import pytest

from switchboard.adapters.outbound.providers.ndjson import NdjsonDecoder
from switchboard.adapters.outbound.providers.ollama.stream import OllamaStreamDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import NotFound, ProviderUnavailable
from tests.support.contracts import assert_conforms
from tests.support.streams import every_split

FIXTURES = Path(__file__).parent / "fixtures"


def decode(pieces: list[bytes]) -> list[dict[str, Any]]:
    lines, decoder = NdjsonDecoder(), OllamaStreamDecoder("chatcmpl-s1", "qwen3", 1_700_000_000, "d1")
    chunks: list[ChatChunk] = []
    for piece in pieces:
        for line in lines.feed(piece):
            chunks += decoder.feed(line)
    for line in lines.flush():
        chunks += decoder.feed(line)
    chunks += decoder.finish()
    return [chunk.model_dump(exclude_none=True) for chunk in chunks]


@pytest.mark.parametrize("name", ["stream_text.ndjson", "stream_tool_call.ndjson"])
def test_stream_fixtures_follow_the_official_schema(name: str) -> None:
    for line in (FIXTURES / name).read_text().splitlines():
        assert_conforms(ollama.ChatResponse, json.loads(line))


@pytest.mark.parametrize("name", ["stream_text.ndjson", "stream_tool_call.ndjson"])
def test_decoding_gives_the_same_chunks_wherever_the_bytes_are_split(name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    whole = decode([body])
    for pieces in every_split(body):
        assert decode(pieces) == whole


def test_a_last_line_without_a_newline_still_counts() -> None:
    body = (FIXTURES / "stream_text.ndjson").read_bytes().rstrip(b"\n")
    assert decode([body]) == decode([body + b"\n"])


def test_crlf_line_ends_decode_like_lf() -> None:
    body = (FIXTURES / "stream_text.ndjson").read_bytes()
    assert decode([body.replace(b"\n", b"\r\n")]) == decode([body])


def test_a_text_stream_joins_to_the_answer_and_ends_with_finish_and_usage() -> None:
    chunks = decode([(FIXTURES / "stream_text.ndjson").read_bytes()])
    assert chunks[0]["choices"][0]["delta"] == {
        "role": "assistant",
        "content": "",
        "reasoning_content": "Greeting.",
    }
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "Hello from Ollama é!"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 26, "completion_tokens": 4, "total_tokens": 30}


def test_streamed_tool_calls_get_sequential_indexes_ids_and_a_tool_calls_finish() -> None:
    chunks = decode([(FIXTURES / "stream_tool_call.ndjson").read_bytes()])
    deltas = [d for c in chunks for ch in c["choices"] for d in ch["delta"].get("tool_calls", ())]
    assert [(d["index"], d["id"], d["function"]["name"], json.loads(d["function"]["arguments"])) for d in deltas] == [
        (0, "call_s1_0", "get_weather", {"city": "Paris", "unit": "celsius"}),
        (1, "call_s1_1", "get_time", {}),
    ]
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"


def test_a_stream_cut_before_done_raises_provider_unavailable() -> None:
    lines = (FIXTURES / "stream_text.ndjson").read_bytes().splitlines(keepends=True)
    with pytest.raises(ProviderUnavailable):
        decode([b"".join(lines[:-1])])


def test_an_error_line_mid_stream_raises_a_domain_error() -> None:
    decoder = OllamaStreamDecoder("id", "m", 0)
    decoder.feed({"message": {"role": "assistant", "content": "Hi"}, "done": False})
    with pytest.raises(ProviderUnavailable) as caught:
        decoder.feed({"error": "an error was encountered while running the model"})
    assert "running the model" in caught.value.message
    assert not isinstance(caught.value, NotFound)
