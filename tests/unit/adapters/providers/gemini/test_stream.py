"""streamGenerateContent?alt=sse bytes -> chat chunks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.types.chat import ChatCompletionChunk

from switchboard.adapters.outbound.providers.gemini.stream import GeminiStreamDecoder
from switchboard.domain.chat import ChatChunk
from switchboard.domain.errors import ContentPolicyViolation, ProviderUnavailable, RateLimited, UpstreamProtocolError
from tests.unit.adapters.providers.gemini.recorded import load, raw


def decoder() -> GeminiStreamDecoder:
    return GeminiStreamDecoder(
        model="gemini-2.5-flash",
        fallback_id="fallback",
        created=1_700_000_000,
        provider="gemini",
        deployment="d1",
        secrets=("sk-secret-key-1",),
    )


def decoded(*pieces: bytes) -> list[ChatChunk]:
    fold = decoder()
    chunks = [chunk for piece in pieces for chunk in fold.feed(piece)]
    return chunks + fold.finish()


def summary(chunks: list[ChatChunk]) -> dict[str, Any]:
    """What a client would assemble from the chunks."""
    content, reasoning, finishes, calls = [], [], [], []
    for chunk in chunks:
        for choice in chunk.choices:
            content.append(choice.delta.content or "")
            reasoning.append(choice.delta.reasoning_content or "")
            finishes.append(choice.finish_reason)
            calls += [c.model_dump(exclude_none=True) for c in choice.delta.tool_calls or ()]
    return {
        "content": "".join(content),
        "reasoning": "".join(reasoning),
        "finishes": [f for f in finishes if f],
        "calls": calls,
        "usage": [c.usage.model_dump() for c in chunks if c.usage],
        "ids": sorted({c.id for c in chunks}),
    }


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_calls.sse"])
def test_the_result_is_the_same_whatever_the_byte_boundaries(name: str) -> None:
    body = raw(name)
    whole = summary(decoded(body))
    for cut in range(1, len(body)):
        assert summary(decoded(body[:cut], body[cut:])) == whole, f"split at byte {cut}"


def test_byte_at_a_time_gives_the_same_result() -> None:
    body = raw("stream_text.sse")
    assert summary(decoded(*(body[i : i + 1] for i in range(len(body))))) == summary(decoded(body))


def test_text_and_thoughts_stream_as_content_and_reasoning() -> None:
    result = summary(decoded(raw("stream_text.sse")))
    assert result["content"] == "Autumn moonlight \u2014\na worm digs silently\ninto the chestnut."
    assert result["reasoning"] == "The user wants a haiku."
    assert result["finishes"] == ["stop"]
    assert result["ids"] == ["chatcmpl-sse-1"]


def test_the_first_chunk_carries_the_assistant_role() -> None:
    chunks = decoded(raw("stream_text.sse"))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.choices[0].delta.role is None for c in chunks[1:] if c.choices)


def test_the_last_chunk_carries_the_last_usage_with_thoughts_in_completion_tokens() -> None:
    chunks = decoded(raw("stream_text.sse"))
    assert chunks[-1].choices == []
    usage = chunks[-1].usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (7, 34, 41)
    assert usage.reasoning_tokens == 18


def test_every_chunk_is_a_valid_openai_chunk() -> None:
    for chunk in decoded(raw("stream_tool_calls.sse")):
        ChatCompletionChunk.model_validate(chunk.model_dump(mode="json", exclude_none=True))


def test_each_function_call_is_one_whole_tool_call_delta_with_its_own_index() -> None:
    calls = summary(decoded(raw("stream_tool_calls.sse")))["calls"]
    assert [(c["index"], c["function"]["name"]) for c in calls] == [(0, "get_weather"), (1, "get_weather")]
    assert [json.loads(c["function"]["arguments"]) for c in calls] == [{"city": "Paris"}, {"city": "Lyon"}]
    assert calls[0]["extra_content"] == {"google": {"thought_signature": "CiQB0e2Kb7Kqh0Ux"}}
    assert calls[0]["id"] != calls[1]["id"]


def test_a_stop_after_function_calls_is_a_tool_calls_finish() -> None:
    assert summary(decoded(raw("stream_tool_calls.sse")))["finishes"] == ["tool_calls"]


def test_a_body_cut_before_any_finish_reason_raises_provider_unavailable() -> None:
    body = raw("stream_text.sse")
    cut = body[: body.index(b"data:", 10)]  # the first event only
    fold = decoder()
    assert fold.feed(cut)
    with pytest.raises(ProviderUnavailable):
        fold.finish()


def test_a_final_event_without_its_blank_line_is_still_read() -> None:
    body = raw("stream_text.sse").rstrip(b"\r\n")
    assert summary(decoded(body)) == summary(decoded(raw("stream_text.sse")))


def test_an_error_event_raises_the_mapped_error_without_secrets() -> None:
    error = {"code": 429, "message": "quota for sk-secret-key-1", "status": "RESOURCE_EXHAUSTED"}
    event = b"data: " + json.dumps({"error": error}).encode() + b"\r\n\r\n"
    with pytest.raises(RateLimited) as caught:
        decoder().feed(event)
    assert "sk-secret-key-1" not in caught.value.message


def test_a_blocked_prompt_in_the_stream_is_a_content_policy_violation() -> None:
    event = b"data: " + raw("blocked_prompt.json").replace(b"\n", b"") + b"\r\n\r\n"
    with pytest.raises(ContentPolicyViolation):
        decoder().feed(event)


def test_a_safety_stop_before_any_text_is_a_content_policy_violation() -> None:
    event = b"data: " + raw("safety_stop.json").replace(b"\n", b"") + b"\r\n\r\n"
    with pytest.raises(ContentPolicyViolation):
        decoder().feed(event)


def test_an_event_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        decoder().feed(b"data: <html>\r\n\r\n")


def test_without_a_response_id_the_fallback_id_names_the_chunks() -> None:
    payload = load("text_response.json")
    del payload["responseId"]
    event = b"data: " + json.dumps(payload).encode() + b"\n\n"
    assert {c.id for c in decoded(event)} == {"chatcmpl-fallback"}
