"""A fake OpenAI Responses API (``POST /v1/responses``), JSON and SSE, as OpenAI frames them.

Every body it receives is checked against the openai SDK's ``ResponseCreateParams`` (an invalid
one is answered 400, so a test sees it). What it answers, by the request:

- a ``function_call_output`` in the input: ``"the weather is <output>"``;
- function tools offered: a ``function_call`` of the first tool, arguments ``{"city":"Paris"}``
  (streamed in two argument deltas);
- otherwise ``"echo: <the last user text>"``.

The model ``fail-429`` answers 429 (a rate limit, before any byte of a stream).
"""

from __future__ import annotations

from typing import Any

import orjson
from openai.types.responses import ResponseCreateParams
from pydantic import ValidationError

from tests.support.asgi_upstream import Answer, AsgiUpstream
from tests.support.sdk_schema import validate_params

USAGE = {
    "input_tokens": 11,
    "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
    "output_tokens": 7,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 18,
}


def _last_user_text(items: Any) -> str:
    if isinstance(items, str):
        return items
    for item in reversed(items or []):
        if item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                return content
            return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _output(body: dict[str, Any], n: int) -> dict[str, Any]:
    given = body.get("input")
    items: list[Any] = given if isinstance(given, list) else []
    outputs = [i for i in items if isinstance(i, dict) and i.get("type") == "function_call_output"]
    if outputs:
        return _message(f"the weather is {outputs[-1]['output']}", n)
    tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    if tools:
        return {
            "type": "function_call",
            "id": f"fc_up{n}",
            "call_id": f"call_up{n}",
            "name": tools[0]["name"],
            "arguments": '{"city":"Paris"}',
            "status": "completed",
        }
    return _message(f"echo: {_last_user_text(body.get('input'))}", n)


def _message(text: str, n: int) -> dict[str, Any]:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    return {"type": "message", "id": f"msg_up{n}", "role": "assistant", "status": "completed", "content": [part]}


class OpenAIResponsesUpstream(AsgiUpstream):
    def __init__(self) -> None:
        super().__init__()
        self.invalid: list[str] = []

    def answer(self, path: str, body: dict[str, Any]) -> Answer:
        if path != "/v1/responses":
            return Answer(404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}})
        if body.get("model") == "fail-429":
            return Answer(429, {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}})
        try:
            validate_params(ResponseCreateParams, body)
        except ValidationError as error:
            self.invalid.append(str(error))
            return Answer(400, {"error": {"message": str(error)[:500], "type": "invalid_request_error"}})
        n = len(self.received)
        response = {
            "id": f"resp_up{n}",
            "object": "response",
            "created_at": 1741476542,
            "status": "completed",
            "model": body["model"],
            "output": [_output(body, n)],
            "parallel_tool_calls": True,
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools", []),
            "usage": USAGE,
        }
        if not body.get("stream"):
            return Answer(json=response)
        return Answer(pieces=_events(response), content_type="text/event-stream")


def _events(response: dict[str, Any]) -> list[bytes]:
    events: list[dict[str, Any]] = []

    def emit(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    shell = {**response, "status": "in_progress", "output": [], "usage": None}
    emit("response.created", response=shell)
    emit("response.in_progress", response=shell)
    item = response["output"][0]
    if item["type"] == "message":
        text = item["content"][0]["text"]
        emit("response.output_item.added", output_index=0, item={**item, "status": "in_progress", "content": []})
        part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
        emit("response.content_part.added", item_id=item["id"], output_index=0, content_index=0, part=part)
        for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
            emit(
                "response.output_text.delta",
                item_id=item["id"],
                output_index=0,
                content_index=0,
                delta=piece,
                logprobs=[],
            )
        emit("response.output_text.done", item_id=item["id"], output_index=0, content_index=0, text=text, logprobs=[])
        emit("response.content_part.done", item_id=item["id"], output_index=0, content_index=0, part=item["content"][0])
    else:
        emit("response.output_item.added", output_index=0, item={**item, "status": "in_progress", "arguments": ""})
        for piece in ('{"city":', '"Paris"}'):
            emit("response.function_call_arguments.delta", item_id=item["id"], output_index=0, delta=piece)
        emit("response.function_call_arguments.done", item_id=item["id"], output_index=0, arguments=item["arguments"])
    emit("response.output_item.done", output_index=0, item=item)
    emit("response.completed", response=response)
    return [b"event: " + e["type"].encode() + b"\ndata: " + orjson.dumps(e) + b"\n\n" for e in events]
