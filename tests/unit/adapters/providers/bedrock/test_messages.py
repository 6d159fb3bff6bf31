"""Claude on Bedrock, spoken natively for the Messages door: which deployments, the InvokeModel
body, the event stream relayed as Anthropic's SSE, and the client's three calls."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock import PROVIDER
from switchboard.adapters.outbound.providers.bedrock.eventstream import EventStreamDecoder
from switchboard.adapters.outbound.providers.bedrock.messages import ChunkRelay, invoke_body, speaks_messages
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.anthropic_messages.native import MessagesMeter
from switchboard.domain.errors import RateLimited, UpstreamProtocolError
from switchboard.domain.ports.messages import MessagesCall
from tests.support import bedrock_claude
from tests.support.bedrock_upstream import signature_problem
from tests.support.bedrock_wire import exception
from tests.support.upstream import StreamCounter, TrackedStream
from tests.unit.adapters.providers.bedrock.test_client import KEYS, setup, verified

BODY: dict[str, Any] = {
    "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "max_tokens": 2048,
    "stream": True,
    "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
    "thinking": {"type": "enabled", "budget_tokens": 1024},
    "messages": [
        {"role": "user", "content": "Hi"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "A greeting.", "signature": "sig-EqQB"},
                {"type": "text", "text": "Hello."},
            ],
        },
        {"role": "user", "content": [{"type": "text", "text": "how are you", "cache_control": {"type": "ephemeral"}}]},
    ],
    "metadata": {"user_id": "user-7"},
}


@pytest.mark.parametrize(
    ("model", "native"),
    [
        ("anthropic.claude-3-haiku-20240307-v1:0", True),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", True),
        ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", True),
        ("invoke/anthropic.claude-3-5-sonnet-20240620-v1:0", True),
        ("converse/anthropic.claude-3-haiku-20240307-v1:0", False),
        ("meta.llama3-70b-instruct-v1:0", False),
        ("invoke/amazon.titan-text-express-v1", False),
    ],
)
def test_claude_models_speak_messages_natively_unless_routed_through_converse(model: str, native: bool) -> None:
    assert speaks_messages(model) is native
    assert PROVIDER.messages_models(model) is native


def test_the_invoke_body_is_the_callers_body_without_model_and_stream_with_the_bedrock_version() -> None:
    wire = invoke_body(BODY, {"anthropic-beta": "interleaved-thinking-2025-05-14, context-1m-2025-08-07"})
    expected = {k: v for k, v in BODY.items() if k not in ("model", "stream")}
    assert wire == {
        "anthropic_version": "bedrock-2023-05-31",
        **expected,
        "anthropic_beta": ["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"],
    }
    bedrock_claude.check_invoke_request(wire)


def test_without_a_beta_header_no_anthropic_beta_is_sent() -> None:
    assert "anthropic_beta" not in invoke_body(BODY, {})


def _sse(events: list[dict[str, Any]]) -> list[tuple[str | None, dict[str, Any]]]:
    return [(event["type"], event) for event in events]


def _relayed(data: bytes, pieces: list[bytes], meter: MessagesMeter) -> list[tuple[str | None, dict[str, Any]]]:
    frames, relay, sse = EventStreamDecoder(), ChunkRelay(meter), SseDecoder()
    out: list[tuple[str | None, dict[str, Any]]] = []
    for piece in pieces:
        for message in frames.feed(piece):
            out += [(e.event, orjson.loads(e.data)) for e in sse.feed(relay.feed(message))]
    assert frames.pending == 0
    return out


def test_the_event_stream_relays_as_anthropic_sse_split_at_every_byte_boundary() -> None:
    data = b"".join(bedrock_claude.stream_frames(BODY))
    expected = _sse(bedrock_claude.stream_events(BODY))  # the metrics are no part of Anthropic's format
    for cut in range(1, len(data)):
        meter = MessagesMeter()
        assert _relayed(data, [data[:cut], data[cut:]], meter) == expected, cut
        assert meter.stopped and meter.text == "echo: how are you"
        assert meter.usage == {"input_tokens": 9, "cache_read_input_tokens": 3, "output_tokens": 4}


def test_bedrock_metrics_give_the_usage_the_events_did_not() -> None:
    events = [
        {"type": "message_stop", "amazon-bedrock-invocationMetrics": bedrock_claude.METRICS},
    ]
    meter = MessagesMeter()
    data = bedrock_claude.chunk(events[0])
    assert _relayed(data, [data], meter) == [("message_stop", {"type": "message_stop"})]
    assert meter.usage == {"input_tokens": 9, "output_tokens": 4}


def test_an_exception_message_raises_its_error() -> None:
    [message] = EventStreamDecoder().feed(exception("throttlingException", "Too many tokens"))
    with pytest.raises(RateLimited, match="Too many tokens"):
        ChunkRelay(MessagesMeter()).feed(message)


def test_a_chunk_that_is_not_base64_json_is_a_protocol_error() -> None:
    from tests.support.bedrock_wire import event

    [message] = EventStreamDecoder().feed(event("chunk", {"bytes": "not base64!"}))
    with pytest.raises(UpstreamProtocolError):
        ChunkRelay(MessagesMeter()).feed(message)


# --- the client --------------------------------------------------------------------------------


def _call(provider_deployment: Any, body: dict[str, Any], **headers: str) -> MessagesCall:
    return MessagesCall(body=body, deployment=provider_deployment, headers=headers)


def _answer_invoke(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
    body = orjson.loads(request.content)
    if request.url.path.endswith("/invoke-with-response-stream"):
        data = b"".join(bedrock_claude.stream_frames(body))
        pieces = [data[i : i + 9] for i in range(0, len(data), 9)]
        return httpx.Response(
            200, stream=TrackedStream(pieces, counter), headers={"content-type": "application/vnd.amazon.eventstream"}
        )
    if request.url.path.endswith("/count-tokens"):
        bedrock_claude.check_invoke_request(orjson.loads(body["input"]["invokeModel"]["body"]))
        return httpx.Response(200, json={"inputTokens": 17})
    assert request.url.path.endswith("/invoke")
    return httpx.Response(200, json=bedrock_claude.invoke_answer(body))


MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
ORIGIN = "https://bedrock-runtime.us-east-1.amazonaws.com"


async def test_a_message_goes_to_invoke_signed_and_its_answer_comes_back_as_sent() -> None:
    provider, deployment, upstream = setup(verified(_answer_invoke), model=MODEL, **KEYS)
    call = _call(deployment, {**BODY, "stream": False}, **{"anthropic-beta": "context-1m-2025-08-07"})
    answer = await provider.send_messages(call)
    [sent] = upstream.requests
    assert str(sent.url) == f"{ORIGIN}/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"
    sent_body = orjson.loads(sent.content)
    assert sent_body["anthropic_beta"] == ["context-1m-2025-08-07"]
    assert sent_body["thinking"] == BODY["thinking"] and sent_body["metadata"] == BODY["metadata"]
    assert orjson.loads(answer) == bedrock_claude.invoke_answer(sent_body)
    assert call.meter.text == "echo: how are you" and call.meter.usage["input_tokens"] == 9


async def test_a_stream_goes_to_invoke_with_response_stream_and_relays_anthropic_sse() -> None:
    provider, deployment, upstream = setup(verified(_answer_invoke), model=MODEL, **KEYS)
    call = _call(deployment, BODY)
    async with provider.stream_messages(call) as pieces:
        data = b"".join([piece async for piece in pieces])
    [sent] = upstream.requests
    assert sent.url.path.endswith("/invoke-with-response-stream")
    assert signature_problem("POST", str(sent.url), dict(sent.headers), sent.content) is None
    events = [(e.event, orjson.loads(e.data)) for e in SseDecoder().feed(data)]
    assert events == _sse(bedrock_claude.stream_events(BODY))
    assert call.meter.stopped and upstream.counter.open == 0


async def test_count_tokens_asks_bedrock_count_tokens_for_the_base_model() -> None:
    provider, deployment, upstream = setup(verified(_answer_invoke), model=MODEL, **KEYS)
    body = {k: v for k, v in BODY.items() if k not in ("max_tokens", "stream")}
    assert await provider.count_message_tokens(_call(deployment, body)) == 17
    [sent] = upstream.requests
    assert str(sent.url) == f"{ORIGIN}/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens"


async def test_an_exception_after_the_first_events_raises_while_iterating_and_closes_the_stream() -> None:
    frames = [*bedrock_claude.stream_frames(BODY)[:3], exception("throttlingException", "Too many tokens")]

    def answer(request: httpx.Request, counter: StreamCounter) -> httpx.Response:
        return httpx.Response(200, stream=TrackedStream(frames, counter))

    provider, deployment, upstream = setup(answer, model=MODEL, **KEYS)
    relayed: list[bytes] = []
    with pytest.raises(RateLimited):
        async with provider.stream_messages(_call(deployment, BODY)) as pieces:
            async for piece in pieces:
                relayed.append(piece)  # noqa: PERF401 - the pieces before the error are kept
    assert b"event: message_start" in b"".join(relayed)
    assert upstream.counter.open == 0
