"""An OpenAI-style upstream whose answers wait for the test: ``arrived`` counts requests that are
waiting, ``release()`` lets every waiting (and later) request answer. Streams send their first
chunk at once and the rest after the release (``hold_head``: nothing before the release).
``cancelled`` counts the waiting requests the gateway gave up: their connection closed before
the release. Thread-safe: the test drives it from its own thread while the upstream serves on
another."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import orjson

from tests.support.asgi import lifespan, read_body, respond_json


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-gated",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gated",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + orjson.dumps(body) + b"\n\n"


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class GatedUpstream:
    def __init__(self, *, hold_head: bool = False) -> None:
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._arrived = 0
        self._cancelled = 0
        self._hold_head = hold_head
        self.arrival = threading.Condition(self._lock)

    @property
    def arrived(self) -> int:
        with self._lock:
            return self._arrived

    @property
    def cancelled(self) -> int:
        with self._lock:
            return self._cancelled

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        """Until ``count`` requests are waiting (or answered) in all."""
        with self.arrival:
            return self.arrival.wait_for(lambda: self._arrived >= count, timeout)

    def wait_for_cancelled(self, count: int, timeout: float = 30.0) -> bool:
        """Until the gateway has given up ``count`` waiting requests in all."""
        with self.arrival:
            return self.arrival.wait_for(lambda: self._cancelled >= count, timeout)

    def release(self) -> None:
        self._released.set()

    async def _gate(self, receive: Any) -> bool:
        """Wait for the release; ``False`` when the gateway closed the request's connection first."""
        with self.arrival:
            self._arrived += 1
            self.arrival.notify_all()
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            while not self._released.is_set():
                await asyncio.wait({gone}, timeout=0.02)  # the release comes from another thread
                if gone.done():
                    with self.arrival:
                        self._cancelled += 1
                        self.arrival.notify_all()
                    return False
        finally:
            gone.cancel()
        return True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        request = orjson.loads(body) if body.startswith(b"{") else {}  # multipart uploads: not read
        gated_now = not request.get("stream") or self._hold_head  # before the response starts
        if gated_now and not await self._gate(receive):
            return None
        if not request.get("stream"):
            return await respond_json(
                send,
                200,
                {
                    "id": "chatcmpl-gated",
                    "object": "chat.completion",
                    "created": 1,
                    "model": "gated",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
                },
            )
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        await send(
            {
                "type": "http.response.body",
                "body": _chunk({"role": "assistant", "content": "first "}),
                "more_body": True,
            }
        )
        if not gated_now and not await self._gate(receive):
            return None
        usage = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
        tail = (
            _chunk({"content": "last"}, "stop")
            + b"data: "
            + orjson.dumps(
                {
                    "id": "chatcmpl-gated",
                    "object": "chat.completion.chunk",
                    "created": 1,
                    "model": "gated",
                    "choices": [],
                    "usage": usage,
                }
            )
            + b"\n\ndata: [DONE]\n\n"
        )
        await send({"type": "http.response.body", "body": tail, "more_body": False})
        return None
