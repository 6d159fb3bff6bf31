"""A fake OpenAI chat upstream that calls tools, as a plain ASGI app (for the Anthropic door's
translated path).

Offered tools and no tool result yet: it reasons a little, then calls the first tool with
``{"city": "Paris"}`` (streamed as the id and name first, then the arguments in three pieces,
as OpenAI splits them). Otherwise it answers ``echo: <last message text>``. Usage reports 12
prompt tokens of which 4 were read from the cache.
"""

from __future__ import annotations

from typing import Any

import orjson

from tests.support.asgi import Receive, Scope, Send, lifespan, read_body, respond_json

ARGUMENT_PIECES = ['{"ci', 'ty": "Pa', 'ris"}']
USAGE = {
    "prompt_tokens": 12,
    "completion_tokens": 5,
    "total_tokens": 17,
    "prompt_tokens_details": {"cached_tokens": 4},
}


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if part.get("type") == "text")
    return str(content or "")


def _chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> bytes:
    body: dict[str, Any] = {
        "id": "chatcmpl-tool",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-up",
        "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage:
        body["usage"] = usage
    return b"data: " + orjson.dumps(body) + b"\n\n"


class OpenAIToolUpstream:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        request = orjson.loads(await read_body(receive))
        self.bodies.append(request)
        calls = bool(request.get("tools")) and request["messages"][-1]["role"] != "tool"
        if request.get("stream"):
            return await self._stream(send, request, calls)
        message: dict[str, Any] = {"role": "assistant", "content": "echo: " + _text(request["messages"][-1])}
        finish = "stop"
        if calls:
            name = request["tools"][0]["function"]["name"]
            function = {"name": name, "arguments": "".join(ARGUMENT_PIECES)}
            message = {
                "role": "assistant",
                "content": None,
                "reasoning_content": "I should look it up.",
                "tool_calls": [{"id": "call_1", "type": "function", "function": function}],
            }
            finish = "tool_calls"
        body = {
            "id": "chatcmpl-tool",
            "object": "chat.completion",
            "created": 1700000000,
            "model": "gpt-up",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": USAGE,
        }
        return await respond_json(send, 200, body)

    async def _stream(self, send: Send, request: dict[str, Any], calls: bool) -> None:
        chunks = [_chunk({"role": "assistant", "content": ""})]
        if calls:
            name = request["tools"][0]["function"]["name"]
            chunks.append(_chunk({"reasoning_content": "I should look it up."}))
            first = {"index": 0, "id": "call_1", "type": "function", "function": {"name": name, "arguments": ""}}
            chunks.append(_chunk({"tool_calls": [first]}))
            chunks += [
                _chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}) for piece in ARGUMENT_PIECES
            ]
            chunks.append(_chunk({}, "tool_calls"))
        else:
            words = ("echo: " + _text(request["messages"][-1])).split(" ")
            chunks += [_chunk({"content": word if i == 0 else " " + word}) for i, word in enumerate(words)]
            chunks.append(_chunk({}, "stop"))
        chunks.append(_chunk({}, usage=USAGE))
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})
