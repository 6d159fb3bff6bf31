"""Claude on Bedrock through InvokeModel, as the fake Bedrock runtime speaks it: the request is
Anthropic's Messages body with ``anthropic_version: bedrock-2023-05-31`` (and ``anthropic_beta``),
no ``model`` and no ``stream``, checked against the ``anthropic`` SDK's request schema; the
whole answer is a ``Message``; the stream is event-stream ``chunk`` events whose payload is
``{"bytes": base64(event JSON)}``, the last one carrying ``amazon-bedrock-invocationMetrics``.
The frames are checked with botocore's decoder against the InvokeModelWithResponseStream model.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import orjson

from tests.support.anthropic_wire import validate_event, validate_message, validate_request
from tests.support.bedrock_wire import check_stream, event

MESSAGE_ID = "msg_bdrk_01Echo"
MODEL = "claude-sonnet-4-5-20250929"
METRICS = {"inputTokenCount": 9, "outputTokenCount": 4, "invocationLatency": 321, "firstByteLatency": 120}


def check_invoke_request(body: Mapping[str, Any]) -> None:
    """An InvokeModel body for Claude; raises ``AssertionError`` or ``ValidationError`` if not."""
    assert body.get("anthropic_version") == "bedrock-2023-05-31", body.get("anthropic_version")
    assert "model" not in body and "stream" not in body
    betas = body.get("anthropic_beta", [])
    assert isinstance(betas, list) and all(isinstance(b, str) for b in betas)
    rest = {k: v for k, v in body.items() if k not in ("anthropic_version", "anthropic_beta")}
    validate_request({**rest, "model": MODEL})


def _last_text(body: Mapping[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content if isinstance(block, dict))


def invoke_answer(body: Mapping[str, Any]) -> dict[str, Any]:
    answer = {
        "id": MESSAGE_ID,
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": [{"type": "text", "text": "echo: " + _last_text(body)}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 9, "cache_read_input_tokens": 3, "output_tokens": 4},
    }
    validate_message(answer)
    return answer


def stream_events(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    start: dict[str, Any] = {
        **invoke_answer(body),
        "content": [],
        "stop_reason": None,
        "usage": {"input_tokens": 9, "cache_read_input_tokens": 3, "output_tokens": 1},
    }
    words = ("echo: " + _last_text(body)).split(" ")
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        *(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}
            for text in [words[0], *(" " + word for word in words[1:])]
        ),
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": 4},
        },
        {"type": "message_stop"},
    ]
    for item in events:
        validate_event(item)
    return events


def chunk(item: Mapping[str, Any]) -> bytes:
    """One ``chunk`` event-stream message carrying ``item`` (with Bedrock's ``p`` padding)."""
    return event("chunk", {"bytes": base64.b64encode(orjson.dumps(item)).decode(), "p": "abcdefgh"})


def stream_frames(body: Mapping[str, Any], *, metrics: bool = True) -> list[bytes]:
    events = stream_events(body)
    if metrics:
        events[-1] = {**events[-1], "amazon-bedrock-invocationMetrics": METRICS}
    frames = [chunk(item) for item in events]
    check_stream(frames, "InvokeModelWithResponseStream", "body")
    return frames
