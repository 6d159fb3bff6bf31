"""The SSE decoder gives the same events whatever the byte boundaries."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.sse import SseDecoder, SseEvent

STREAM = (
    b": a comment\n"
    b"event: message_start\n"
    b'data: {"a": 1}\n\n'
    b"data: line one\r\n"
    b"data: line two\r\n\r\n"
    b"id: 7\nretry: 100\ndata:no-space\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    SseEvent('{"a": 1}', "message_start"),
    SseEvent("line one\nline two"),
    SseEvent("no-space"),
    SseEvent("[DONE]"),
]


def decode(pieces: list[bytes]) -> list[SseEvent]:
    decoder = SseDecoder()
    events = [event for piece in pieces for event in decoder.feed(piece)]
    return events + decoder.flush()


def test_a_whole_stream_decodes_to_its_events() -> None:
    assert decode([STREAM]) == EXPECTED


@pytest.mark.parametrize("cut", range(1, len(STREAM)))
def test_a_stream_split_anywhere_decodes_the_same(cut: int) -> None:
    assert decode([STREAM[:cut], STREAM[cut:]]) == EXPECTED


def test_a_stream_fed_byte_by_byte_decodes_the_same() -> None:
    assert decode([STREAM[i : i + 1] for i in range(len(STREAM))]) == EXPECTED


def test_an_event_without_its_final_blank_line_is_flushed_at_the_end() -> None:
    assert decode([b"data: last"]) == [SseEvent("last")]


def test_multibyte_characters_split_across_reads_survive() -> None:
    text = "data: héllo 世界\n\n".encode()
    cut = text.index("世".encode()) + 1
    assert decode([text[:cut], text[cut:]]) == [SseEvent("héllo 世界")]
