"""A fake OpenAI upstream as a plain ASGI app: chat (JSON and SSE), embeddings, and faults.

The reply text is ``echo: <last user message>``; the model name picks a fault:
``fail-429`` (429 with Retry-After: 3), ``fail-429-1s`` (Retry-After: 1), ``fail-500``,
``fail-529`` (overloaded), ``fail-401``, ``hang`` (never answers), ``hang-stream`` (sends the
stream's headers, never a chunk), ``drop`` (stream cut after the first chunk). ``state`` counts
requests, open streams, requests left hanging and the ones the gateway cancelled.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson

from tests.support.asgi import Receive, Scope, Send, lifespan, read_body, respond_json


@dataclass
class UpstreamState:
    requests: int = 0
    open_streams: int = 0
    hanging: int = 0
    cancelled: int = 0


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-up",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + orjson.dumps(body) + b"\n\n"


class OpenAIUpstream:
    def __init__(self, chunk_delay: float = 0.0) -> None:
        self.state = UpstreamState()
        self.chunk_delay = chunk_delay
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        self.state.requests += 1
        request = orjson.loads(body) if body else {}
        self.bodies.append(request)
        self.headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
        self.paths.append(scope["path"])
        model = request.get("model", "")
        if model == "fail-429":
            return await respond_json(
                send,
                429,
                {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}},
                [(b"retry-after", b"3")],
            )
        if model == "fail-429-1s":
            return await respond_json(
                send,
                429,
                {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}},
                [(b"retry-after", b"1")],
            )
        if model == "fail-529":
            return await respond_json(
                send, 529, {"error": {"message": "Overloaded", "type": "overloaded_error", "code": "overloaded"}}
            )
        if model in ("hang", "hang-stream"):
            return await self._hang(receive, send, headers_first=model == "hang-stream")
        if model == "fail-500":
            return await respond_json(send, 500, {"error": {"message": "boom", "type": "server_error"}})
        if model == "fail-401":
            return await respond_json(
                send,
                401,
                {
                    "error": {
                        "message": "bad key sk-secret-upstream-key",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
            )
        if scope["path"].endswith("/embeddings"):
            inputs = request["input"] if isinstance(request["input"], list) else [request["input"]]
            data = [{"object": "embedding", "index": i, "embedding": [0.5, float(i)]} for i in range(len(inputs))]
            return await respond_json(
                send,
                200,
                {
                    "object": "list",
                    "data": data,
                    "model": model,
                    "usage": {"prompt_tokens": 3, "total_tokens": 3},
                },
            )
        text = "echo: " + str(request["messages"][-1]["content"])
        if request.get("stream"):
            return await self._watched(receive, self._stream(send, model, text, cut=model == "drop"))
        return await respond_json(
            send,
            200,
            {
                "id": "chatcmpl-up",
                "object": "chat.completion",
                "created": 1700000000,
                "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
            },
        )

    async def _hang(self, receive: Receive, send: Send, *, headers_first: bool) -> None:
        """Never answer (or never send a chunk) until the gateway drops the connection."""
        self.state.hanging += 1
        try:
            if headers_first:
                start = {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")],
                }
                await send(start)
            while (await receive())["type"] != "http.disconnect":
                pass
            self.state.cancelled += 1
        finally:
            self.state.hanging -= 1

    async def _watched(self, receive: Receive, streaming: Any) -> None:
        """Run the stream until it ends or the gateway drops the connection (then cancel it)."""
        task = asyncio.ensure_future(streaming)

        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        watcher = asyncio.ensure_future(disconnected())
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            task.cancel()
        watcher.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _stream(self, send: Send, model: str, text: str, cut: bool) -> None:
        self.state.open_streams += 1
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")],
                }
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": _chunk(model, {"role": "assistant", "content": ""}),
                    "more_body": True,
                }
            )
            for word in text.split(" "):
                if self.chunk_delay:
                    await asyncio.sleep(self.chunk_delay)
                await send(
                    {
                        "type": "http.response.body",
                        "body": _chunk(model, {"content": word + " "}),
                        "more_body": True,
                    }
                )
                if cut:
                    return
            await send({"type": "http.response.body", "body": _chunk(model, {}, "stop"), "more_body": True})
            usage = {
                "id": "chatcmpl-up",
                "object": "chat.completion.chunk",
                "created": 1700000000,
                "model": model,
                "choices": [],
                "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
            }
            await send(
                {
                    "type": "http.response.body",
                    "body": b"data: " + orjson.dumps(usage) + b"\n\n",
                    "more_body": True,
                }
            )
            await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})
        except asyncio.CancelledError:
            self.state.cancelled += 1
            raise
        finally:
            self.state.open_streams -= 1
