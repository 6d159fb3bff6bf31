"""A fast mock upstream for the Messages and Responses doors' benchmark (bench/doors.py).

Answers, over HTTP/1.1 keep-alive, as cheaply as asyncio allows (the answers are built once):

  POST /v1/messages    an Anthropic Messages answer, JSON or SSE (``"stream": true`` in the body)
  POST /v1/responses   an OpenAI Responses answer, JSON or SSE
  GET  /health         200

    python bench/door_mock.py --port 9300 [--chunks 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable

_MESSAGE = {
    "id": "msg_bench",
    "type": "message",
    "role": "assistant",
    "model": "claude-mock",
    "content": [{"type": "text", "text": "Hello from the mock."}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 12, "output_tokens": 6},
}
_USAGE = {
    "input_tokens": 12,
    "output_tokens": 6,
    "total_tokens": 18,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens_details": {"reasoning_tokens": 0},
}
_ITEM = {
    "type": "message",
    "id": "msg_bench",
    "status": "completed",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "Hello from the mock.", "annotations": []}],
}
_RESPONSE = {
    "id": "resp_bench",
    "object": "response",
    "created_at": 1,
    "status": "completed",
    "model": "mock",
    "output": [_ITEM],
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
    "usage": _USAGE,
}


def _sse(event: str, payload: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(payload)}\n\n".encode()


def messages_stream(chunks: int) -> bytes:
    start = {**_MESSAGE, "content": [], "stop_reason": None, "usage": {"input_tokens": 12, "output_tokens": 1}}
    frames = [
        _sse("message_start", {"type": "message_start", "message": start}),
        _sse(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
    ]
    frames += [
        _sse(
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"tok{i} "}},
        )
        for i in range(chunks)
    ]
    frames += [
        _sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
        _sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": chunks},
            },
        ),
        _sse("message_stop", {"type": "message_stop"}),
    ]
    return b"".join(frames)


def responses_stream(chunks: int) -> bytes:
    seq = iter(range(10_000))

    def event(kind: str, **fields: object) -> bytes:
        return _sse(kind, {"type": kind, "sequence_number": next(seq), **fields})

    pending = {**_RESPONSE, "status": "in_progress", "output": [], "usage": None}
    text = "".join(f"tok{i} " for i in range(chunks))
    part = {"type": "output_text", "text": "", "annotations": []}
    frames = [
        event("response.created", response=pending),
        event("response.in_progress", response=pending),
        event("response.output_item.added", output_index=0, item={**_ITEM, "content": [], "status": "in_progress"}),
        event("response.content_part.added", output_index=0, item_id="msg_bench", content_index=0, part=part),
    ]
    frames += [
        event(
            "response.output_text.delta",
            output_index=0,
            item_id="msg_bench",
            content_index=0,
            delta=f"tok{i} ",
            logprobs=[],
        )
        for i in range(chunks)
    ]
    done_item = {**_ITEM, "content": [{**part, "text": text}]}
    frames += [
        event(
            "response.output_text.done", output_index=0, item_id="msg_bench", content_index=0, text=text, logprobs=[]
        ),
        event(
            "response.content_part.done",
            output_index=0,
            item_id="msg_bench",
            content_index=0,
            part={**part, "text": text},
        ),
        event("response.output_item.done", output_index=0, item=done_item),
        event("response.completed", response={**_RESPONSE, "output": [done_item]}),
    ]
    return b"".join(frames)


def _answer(body: bytes, content_type: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: "
        + content_type
        + b"\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


class Answers:
    def __init__(self, chunks: int) -> None:
        self.by_route = {
            (b"/v1/messages", False): _answer(json.dumps(_MESSAGE).encode(), b"application/json"),
            (b"/v1/messages", True): _answer(messages_stream(chunks), b"text/event-stream"),
            (b"/v1/responses", False): _answer(json.dumps(_RESPONSE).encode(), b"application/json"),
            (b"/v1/responses", True): _answer(responses_stream(chunks), b"text/event-stream"),
        }
        self.health = _answer(b"{}", b"application/json")
        self.missing = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"


class MockProtocol(asyncio.Protocol):
    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.buffer = b""
        self.transport: asyncio.WriteTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a TCP transport writes (uvloop's is not asyncio's class)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            lines = head.split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            path = target.split("?", 1)[0].encode()
            assert self.transport is not None
            if method == "GET":
                self.transport.write(self.answers.health)
                continue
            streamed = b'"stream": true' in body or b'"stream":true' in body
            self.transport.write(self.answers.by_route.get((path, streamed), self.answers.missing))


async def serve(port: int, chunks: int) -> None:
    answers = Answers(chunks)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: MockProtocol(answers), "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9300)
    parser.add_argument("--chunks", type=int, default=20)
    args = parser.parse_args()
    loop_factory: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(serve(args.port, args.chunks))


if __name__ == "__main__":
    main()
