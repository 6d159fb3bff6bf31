"""A fake provider that speaks Anthropic's Messages natively: it answers a canned message (JSON,
or an SSE stream that may stop short), or fails before answering. It remembers every call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.info import Adapters
from switchboard.domain.errors import ProviderUnavailable
from switchboard.domain.ports.messages import MessagesCall, MessagesProvider

USAGE = {"input_tokens": 6, "cache_read_input_tokens": 4, "output_tokens": 2}


def frame(event: dict[str, Any]) -> bytes:
    return b"event: " + str(event["type"]).encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n"


def _message(model: str) -> dict[str, Any]:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": "native hi"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": USAGE,
    }


def stream_frames(model: str, *, stop: bool = True) -> list[bytes]:
    start = {**_message(model), "content": [], "stop_reason": None, "usage": {**USAGE, "output_tokens": 1}}
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "native hi"}},
    ]
    if stop:
        events += [
            {"type": "content_block_stop", "index": 0},
            {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}},
            {"type": "message_stop"},
        ]
    return [frame(event) for event in events]


class FakeMessagesProvider(MessagesProvider):
    def __init__(self, *, fail: bool = False, stop: bool = True) -> None:
        self.calls: list[MessagesCall] = []
        self.closed_streams = 0
        self._fail = fail
        self._stop = stop

    def adapters(self) -> Adapters:
        return Adapters(messages=self)

    def _check(self, call: MessagesCall) -> None:
        self.calls.append(call)
        if self._fail:
            raise ProviderUnavailable("overloaded", provider="native", deployment=call.deployment.id, status=529)

    async def send_messages(self, call: MessagesCall) -> bytes:
        self._check(call)
        body = orjson.dumps(_message(str(call.body["model"])))
        call.meter.read_message(orjson.loads(body))
        return body

    @asynccontextmanager
    async def stream_messages(self, call: MessagesCall) -> AsyncIterator[AsyncIterator[bytes]]:
        self._check(call)
        try:
            yield self._pieces(call)
        finally:
            self.closed_streams += 1

    async def _pieces(self, call: MessagesCall) -> AsyncIterator[bytes]:
        for piece in stream_frames(str(call.body["model"]), stop=self._stop):
            call.meter.read_event(orjson.loads(piece.split(b"data: ", 1)[1]))
            yield piece

    async def count_message_tokens(self, call: MessagesCall) -> int:
        self._check(call)
        return 42
