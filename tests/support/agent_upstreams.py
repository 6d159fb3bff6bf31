"""Scripted fake upstreams for real agent CLIs (Claude Code, Codex) driven through the gateway.

Each fake plays a one-tool task in the wire format of its API: on the first turn it asks the
agent to run ``echo sb-marker-$((6*7))`` with the agent's shell tool; when a later turn carries
that tool's result, it checks the result holds ``sb-marker-42`` (which only a shell that really
ran the command prints) and answers ``TOOL-OK`` (or ``TOOL-MISSING``). Streams split the tool's
arguments over several events, as real upstreams do.

- ``AnthropicAgent``: Anthropic Messages (``POST /v1/messages``), JSON or SSE.
- ``ChatAgent``: OpenAI Chat Completions (``POST /v1/chat/completions``), JSON or SSE.
- ``ResponsesAgent``: OpenAI Responses (``POST /v1/responses``), JSON or SSE.

Every request body is kept in ``bodies``, for the test to inspect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from tests.support.asgi import Receive, Scope, Send, lifespan, read_body, respond_json, stream

COMMAND = "echo sb-marker-$((6*7))"
MARKER = "sb-marker-42"
SHELL_TOOLS = ("Bash", "exec_command", "shell")
USAGE_IN, USAGE_OUT = 11, 5


def _text_of(value: Any) -> str:
    """All the text inside a tool result, however the API nests it."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_text_of(part) for part in value)
    if isinstance(value, dict):
        return "".join(_text_of(value.get(key)) for key in ("text", "content", "output") if key in value)
    return ""


def _arguments(tool: str) -> dict[str, Any]:
    """The shell command in the argument shape of each agent's shell tool."""
    return {"cmd": COMMAND} if tool == "exec_command" else {"command": COMMAND}


def _verdict(results: Sequence[str]) -> str:
    return "TOOL-OK" if any(MARKER in result for result in results) else "TOOL-MISSING"


def _split(text: str) -> list[str]:
    third = max(1, len(text) // 3)
    return [text[:third], text[third : 2 * third], text[2 * third :]]


def _sse(event: str | None, payload: dict[str, Any]) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + orjson.dumps(payload) + b"\n\n"


class _Agent:
    path = ""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        raw = await read_body(receive)
        if scope["method"] != "POST" or not scope["path"].endswith(self.path):
            await respond_json(send, 404, {"error": {"message": f"no route {scope['path']}"}})
            return
        body = orjson.loads(raw)
        self.bodies.append(body)
        await self.answer(send, body)

    async def answer(self, send: Send, body: dict[str, Any]) -> None:
        raise NotImplementedError


class AnthropicAgent(_Agent):
    path = "/messages"

    async def answer(self, send: Send, body: dict[str, Any]) -> None:
        results = [
            _text_of(block.get("content"))
            for message in body["messages"]
            if isinstance(message["content"], list)
            for block in message["content"]
            if block.get("type") == "tool_result"
        ]
        tools = [tool.get("name") for tool in body.get("tools", [])]
        shell = next((name for name in SHELL_TOOLS if name in tools), None)
        if results or shell is None:
            blocks: list[dict[str, Any]] = [{"type": "text", "text": _verdict(results) if results else "NO-TOOL"}]
            stop = "end_turn"
        else:
            blocks = [{"type": "tool_use", "id": "toolu_sb1", "name": shell, "input": _arguments(shell)}]
            stop = "tool_use"
        message = {
            "id": "msg_sb1",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": blocks,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": USAGE_IN, "output_tokens": USAGE_OUT},
        }
        if not body.get("stream"):
            await respond_json(send, 200, message)
            return
        start = {**message, "content": [], "stop_reason": None, "usage": {"input_tokens": USAGE_IN, "output_tokens": 1}}
        frames = [_sse("message_start", {"type": "message_start", "message": start})]
        for index, block in enumerate(blocks):
            if block["type"] == "text":
                opened: dict[str, Any] = {"type": "text", "text": ""}
                deltas = [{"type": "text_delta", "text": block["text"]}]
            else:
                opened = {**block, "input": {}}
                deltas = [
                    {"type": "input_json_delta", "partial_json": piece}
                    for piece in _split(orjson.dumps(block["input"]).decode())
                ]
            frames.append(
                _sse("content_block_start", {"type": "content_block_start", "index": index, "content_block": opened})
            )
            frames += [
                _sse("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
                for delta in deltas
            ]
            frames.append(_sse("content_block_stop", {"type": "content_block_stop", "index": index}))
        frames.append(
            _sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": USAGE_OUT},
                },
            )
        )
        frames.append(_sse("message_stop", {"type": "message_stop"}))
        await stream(send, frames, "text/event-stream")


class ChatAgent(_Agent):
    path = "/chat/completions"

    async def answer(self, send: Send, body: dict[str, Any]) -> None:
        results = [_text_of(m.get("content")) for m in body["messages"] if m.get("role") == "tool"]
        tools = [tool.get("function", {}).get("name") for tool in body.get("tools", [])]
        shell = next((name for name in SHELL_TOOLS if name in tools), None)
        usage = {"prompt_tokens": USAGE_IN, "completion_tokens": USAGE_OUT, "total_tokens": USAGE_IN + USAGE_OUT}
        base = {"id": "chatcmpl-sb1", "created": 1, "model": body["model"]}
        if results or shell is None:
            text = _verdict(results) if results else "NO-TOOL"
            message: dict[str, Any] = {"role": "assistant", "content": text}
            finish = "stop"
        else:
            arguments = orjson.dumps(_arguments(shell)).decode()
            call = {"id": "call_sb1", "type": "function", "function": {"name": shell, "arguments": arguments}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            finish = "tool_calls"
        if not body.get("stream"):
            choice = {"index": 0, "message": message, "finish_reason": finish}
            await respond_json(send, 200, {**base, "object": "chat.completion", "choices": [choice], "usage": usage})
            return

        def chunk(delta: dict[str, Any], reason: str | None = None, **extra: Any) -> bytes:
            choice = {"index": 0, "delta": delta, "finish_reason": reason}
            return _sse(None, {**base, "object": "chat.completion.chunk", "choices": [choice], **extra})

        frames = [chunk({"role": "assistant", "content": ""})]
        if message.get("tool_calls"):
            call = message["tool_calls"][0]
            pieces = _split(call["function"]["arguments"])
            head = {"index": 0, "id": call["id"], "type": "function", "function": {"name": call["function"]["name"]}}
            frames.append(chunk({"tool_calls": [{**head, "function": {**head["function"], "arguments": pieces[0]}}]}))
            frames += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in pieces[1:]]
        else:
            frames.append(chunk({"content": message["content"]}))
        frames.append(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            frames.append(_sse(None, {**base, "object": "chat.completion.chunk", "choices": [], "usage": usage}))
        frames.append(b"data: [DONE]\n\n")
        await stream(send, frames, "text/event-stream")


class ResponsesAgent(_Agent):
    path = "/responses"

    async def answer(self, send: Send, body: dict[str, Any]) -> None:
        items = body["input"] if isinstance(body["input"], list) else []
        results = [_text_of(item.get("output")) for item in items if item.get("type") == "function_call_output"]
        tools = [tool.get("name") for tool in body.get("tools", []) if tool.get("type") == "function"]
        shell = next((name for name in SHELL_TOOLS if name in tools), None)
        usage = {
            "input_tokens": USAGE_IN,
            "output_tokens": USAGE_OUT,
            "total_tokens": USAGE_IN + USAGE_OUT,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        }
        if results or shell is None:
            text = _verdict(results) if results else "NO-TOOL"
            item: dict[str, Any] = {
                "type": "message",
                "id": "msg_sb1",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        else:
            arguments = orjson.dumps(_arguments(shell)).decode()
            item = {
                "type": "function_call",
                "id": "fc_sb1",
                "call_id": "call_sb1",
                "name": shell,
                "arguments": arguments,
                "status": "completed",
            }
        response: dict[str, Any] = {
            "id": "resp_sb1",
            "object": "response",
            "created_at": 1,
            "status": "completed",
            "model": body["model"],
            "output": [item],
            "parallel_tool_calls": False,
            "tool_choice": "auto",
            "tools": [],
            "usage": usage,
        }
        if not body.get("stream"):
            await respond_json(send, 200, response)
            return
        sequence = iter(range(1_000))

        def event(kind: str, **fields: Any) -> bytes:
            return _sse(kind, {"type": kind, "sequence_number": next(sequence), **fields})

        pending = {**response, "status": "in_progress", "output": [], "usage": None}
        frames = [event("response.created", response=pending), event("response.in_progress", response=pending)]
        if item["type"] == "function_call":
            frames.append(event("response.output_item.added", output_index=0, item={**item, "arguments": ""}))
            frames += [
                event("response.function_call_arguments.delta", output_index=0, item_id=item["id"], delta=piece)
                for piece in _split(item["arguments"])
            ]
            frames.append(
                event(
                    "response.function_call_arguments.done",
                    output_index=0,
                    item_id=item["id"],
                    arguments=item["arguments"],
                )
            )
        else:
            text = item["content"][0]["text"]
            frames.append(
                event(
                    "response.output_item.added", output_index=0, item={**item, "content": [], "status": "in_progress"}
                )
            )
            part = {"type": "output_text", "text": "", "annotations": []}
            frames.append(
                event("response.content_part.added", output_index=0, item_id=item["id"], content_index=0, part=part)
            )
            frames.append(
                event(
                    "response.output_text.delta",
                    output_index=0,
                    item_id=item["id"],
                    content_index=0,
                    delta=text,
                    logprobs=[],
                )
            )
            frames.append(
                event(
                    "response.output_text.done",
                    output_index=0,
                    item_id=item["id"],
                    content_index=0,
                    text=text,
                    logprobs=[],
                )
            )
            frames.append(
                event(
                    "response.content_part.done",
                    output_index=0,
                    item_id=item["id"],
                    content_index=0,
                    part={**part, "text": text},
                )
            )
        frames.append(event("response.output_item.done", output_index=0, item=item))
        frames.append(event("response.completed", response=response))
        await stream(send, frames, "text/event-stream")
