"""A fake Anthropic Messages API as a plain ASGI app, for acceptance tests on loopback.

``POST /v1/messages`` answers ``echo: <last user text>`` as JSON or as Anthropic's SSE stream.
Every request body is validated against the anthropic SDK's ``MessageCreateParams``; a body
that fails is answered 400 and kept in ``rejected``. The model name picks a fault:
``claude-fail-529`` (overloaded), ``claude-fail-429`` (rate limited, ``retry-after: 3``),
``claude-fail-401`` (authentication, echoing a secret), ``claude-overload-mid`` (an
``overloaded_error`` event after the first text delta). ``claude-tool`` calls the first tool
offered (input ``{"city": "Paris"}``, streamed as split ``input_json_delta`` pieces) until the
last turn carries a tool result, and thinks first (a ``thinking`` block with its signature).
``POST /v1/messages/count_tokens`` answers ``{"input_tokens": 42}``.
"""

from __future__ import annotations

from typing import Any

import orjson

from tests.support.anthropic_wire import sse_frames, validate_request
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body

MESSAGE_ID = "msg_01AcceptanceEcho"


def _last_text(body: dict[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content if block.get("type") == "text")


def _answers_a_tool(body: dict[str, Any]) -> bool:
    content = body["messages"][-1]["content"]
    return isinstance(content, list) and any(block.get("type") == "tool_result" for block in content)


TOOL_INPUT_PIECES = ['{"ci', 'ty": "Pa', 'ris"}']
SIGNATURE = "sig-EqQBCgIYAhIM"


class AnthropicUpstream:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.rejected: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        raw = await read_body(receive)
        body = orjson.loads(raw)
        self.bodies.append(body)
        self.headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
        if scope["path"].endswith("/count_tokens"):
            await self._send(send, 200, orjson.dumps({"input_tokens": 42}))
            return
        if body.get("model") == "claude-tool" and body.get("tools") and not _answers_a_tool(body):
            await self._tool_call(send, body)
            return
        await self._answer(send, body)

    async def _answer(self, send: Send, body: dict[str, Any]) -> None:
        try:
            validate_request(body)
        except Exception as exc:  # any schema failure: answer as Anthropic would, and remember it
            self.rejected.append(str(exc))
            await self._error(send, 400, "invalid_request_error", "body failed the SDK schema")
            return
        model = body["model"]
        faults = {
            "claude-fail-529": (529, "overloaded_error", "Overloaded", []),
            "claude-fail-429": (429, "rate_limit_error", "slow down", [(b"retry-after", b"3")]),
            "claude-fail-401": (401, "authentication_error", "invalid x-api-key sk-ant-upstream-key", []),
        }
        if model in faults:
            await self._error(send, *faults[model])
            return
        text = "echo: " + _last_text(body)
        if body.get("stream"):
            await self._stream(send, model, text)
            return
        reply = {
            "id": MESSAGE_ID,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 5, "cache_read_input_tokens": 2, "output_tokens": 3},
        }
        await self._send(send, 200, orjson.dumps(reply))

    async def _send(
        self, send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), *(headers or [])],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _error(
        self, send: Send, status: int, kind: str, text: str, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        body = {"type": "error", "error": {"type": kind, "message": text}, "request_id": "req_1"}
        await self._send(send, status, orjson.dumps(body), headers)

    async def _stream(self, send: Send, model: str, text: str) -> None:
        start: dict[str, Any] = {
            "id": MESSAGE_ID,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 5, "cache_read_input_tokens": 2, "output_tokens": 1},
        }
        events: list[dict[str, Any]] = [
            {"type": "message_start", "message": start},
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ]
        events += [
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": word + " "}}
            for word in text.split(" ")
        ]
        if model == "claude-overload-mid":
            events = [
                *events[:3],
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            ]
        else:
            events += [
                {"type": "content_block_stop", "index": 0},
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 3},
                },
                {"type": "message_stop"},
            ]
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        for frame in sse_frames(events):
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _tool_call(self, send: Send, body: dict[str, Any]) -> None:
        validate_request(body)
        name = body["tools"][0]["name"]
        thinking = {"type": "thinking", "thinking": "I should look it up.", "signature": SIGNATURE}
        tool_use = {"type": "tool_use", "id": "toolu_01A", "name": name, "input": {"city": "Paris"}}
        usage = {"input_tokens": 11, "cache_creation_input_tokens": 4, "output_tokens": 9}
        if not body.get("stream"):
            reply = {
                "id": "msg_01Tool",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [thinking, tool_use],
                "stop_reason": "tool_use",
                "stop_sequence": None,
                "usage": usage,
            }
            await self._send(send, 200, orjson.dumps(reply))
            return
        start = {
            "id": "msg_01Tool",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {**usage, "output_tokens": 1},
        }
        events: list[dict[str, Any]] = [
            {"type": "message_start", "message": start},
            {"type": "ping"},
            {"type": "content_block_start", "index": 0, "content_block": {**thinking, "thinking": "", "signature": ""}},
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "thinking_delta", "thinking": "I should look it up."},
            },
            {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": SIGNATURE}},
            {"type": "content_block_stop", "index": 0},
            {"type": "content_block_start", "index": 1, "content_block": {**tool_use, "input": {}}},
            *(
                {
                    "type": "content_block_delta",
                    "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": piece},
                }
                for piece in TOOL_INPUT_PIECES
            ),
            {"type": "content_block_stop", "index": 1},
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 9},
            },
            {"type": "message_stop"},
        ]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        for frame in sse_frames(events):
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
