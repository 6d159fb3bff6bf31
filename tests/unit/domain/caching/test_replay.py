"""Replaying a cached answer as a stream, and assembling a streamed answer for the cache."""

from __future__ import annotations

from switchboard.domain.caching.entries import decode_entry, encode_entry
from switchboard.domain.caching.replay import assemble, chunks_of, split_text
from switchboard.domain.chat import ChatChunk, ChatResponse, ChunkChoice, Delta, FinishReason
from switchboard.domain.usage import Usage


def response(**message: object) -> ChatResponse:
    return ChatResponse.model_validate(
        {
            "id": "chatcmpl-1",
            "created": 7,
            "model": "up-model",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8},
        }
    )


def test_split_text_cuts_after_spaces_and_joins_back_exactly() -> None:
    text = "The quick brown fox jumps over the lazy dog " * 5
    pieces = split_text(text, 20)
    assert "".join(pieces) == text
    assert all(len(p) <= 20 for p in pieces)
    assert all(p.endswith(" ") for p in pieces[:-1])


def test_split_text_cuts_a_long_word_at_the_size() -> None:
    assert split_text("x" * 50, 20) == ["x" * 20, "x" * 20, "x" * 10]
    assert split_text("", 20) == []


def test_a_replayed_answer_starts_with_the_role_and_ends_with_finish_then_usage() -> None:
    chunks = chunks_of(response(content="Hello there, this is a cached answer."), size=10)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage == Usage.of(3, 5)
    assert "".join(c.text for c in chunks) == "Hello there, this is a cached answer."
    assert len([c for c in chunks if c.text]) > 1
    assert {c.id for c in chunks} == {"chatcmpl-1"}


def test_a_replayed_stream_assembles_back_to_the_same_answer() -> None:
    original = response(content="Some text " * 30, reasoning_content="thinking " * 10)
    assert assemble(chunks_of(original)) == original


def test_tool_calls_survive_a_replay_and_an_assembly() -> None:
    calls = [
        {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Oslo"}'}},
        {"id": "call_2", "type": "function", "function": {"name": "time", "arguments": "{}"}},
    ]
    original = response(content=None, tool_calls=calls)
    original.choices[0].finish_reason = "tool_calls"
    assert assemble(chunks_of(original)) == original


def test_assembling_joins_tool_call_arguments_sent_in_pieces() -> None:
    def chunk(delta: dict[str, object], finish: FinishReason | None = None) -> ChatChunk:
        return ChatChunk(
            id="c", created=1, model="m", choices=[ChunkChoice(delta=Delta.model_validate(delta), finish_reason=finish)]
        )

    call = {"index": 0, "id": "call_9", "type": "function", "function": {"name": "f", "arguments": '{"a"'}}
    more = {"index": 0, "function": {"arguments": ": 1}"}}
    assembled = assemble([chunk({"tool_calls": [call]}), chunk({"tool_calls": [more]}), chunk({}, "tool_calls")])
    assert assembled is not None
    [tool_call] = assembled.choices[0].message.tool_calls or []
    assert (tool_call.id, tool_call.function.name, tool_call.function.arguments) == ("call_9", "f", '{"a": 1}')


def test_a_stream_that_never_finished_assembles_to_nothing() -> None:
    cut = [c for c in chunks_of(response(content="partial answer")) if not any(ch.finish_reason for ch in c.choices)]
    assert assemble(cut) is None
    assert assemble([]) is None


def test_an_entry_keeps_its_time_and_where_the_answer_came_from() -> None:
    raw = encode_entry(1700000000.25, b'{"a": 1}\n', deployment="dep 1", provider="openai")
    entry = decode_entry(raw)
    assert entry is not None
    assert (entry.stored_at, entry.body, entry.deployment, entry.provider) == (
        1700000000.25,
        b'{"a": 1}\n',
        "dep_1",
        "openai",
    )
    assert entry.age(1700000010.25) == 10.0


def test_bytes_in_another_format_are_no_entry() -> None:
    assert decode_entry(b'{"id": "x"}') is None
    assert decode_entry(b"sb1 notatime - -\n{}") is None
    assert decode_entry(b"sb1 12.0") is None
