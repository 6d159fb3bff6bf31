"""In-process cost of the gateway's own code per chat request: the ASGI app driven directly,
with an upstream transport that answers instantly from memory (no sockets, no server).

    .venv/bin/python bench/hot_path.py [--n 20000] [--stream] [--profile]

Prints CPU microseconds per request (best of 5 rounds; CPU time, so other load on the machine
disturbs it less than wall time). What it leaves out (socket I/O, HTTP parsing by uvicorn,
aiohttp's client work) is measured by `make bench`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import orjson

from switchboard.adapters.outbound.transport import Reply
from switchboard.bootstrap.container import Container
from switchboard.bootstrap.http import create_app
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings

CONFIG = {
    "model_list": [
        {
            "model_name": "mock",
            "litellm_params": {"model": "openai/mock", "api_base": "http://up/v1", "api_key": "x"},
        }
    ],
    "general_settings": {"master_key": "sk-bench"},
}
REQUEST = orjson.dumps(
    {
        "model": "mock",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Say hello to the benchmark in one short sentence, please."},
        ],
        "max_tokens": 64,
    }
)
ANSWER = orjson.dumps(
    {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "mock",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello, benchmark!"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 4, "total_tokens": 24},
    }
)


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "mock",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + orjson.dumps(body) + b"\n\n"


STREAM = (
    [_chunk({"role": "assistant", "content": ""})]
    + [_chunk({"content": f"w{i} "}) for i in range(20)]
    + [
        _chunk({}, "stop"),
        b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"mock","choices":[],'
        b'"usage":{"prompt_tokens":20,"completion_tokens":20,"total_tokens":40}}\n\n',
        b"data: [DONE]\n\n",
    ]
)


class InstantStreamReply:
    status = 200
    headers: Mapping[str, str] = {"content-type": "text/event-stream"}

    async def read(self) -> bytes:
        return b""

    async def chunks(self) -> AsyncIterator[bytes]:
        for piece in STREAM:
            yield piece


class InstantTransport:
    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        return Reply(200, {"content-type": "application/json"}, ANSWER)

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncIterator[InstantStreamReply]:
        yield InstantStreamReply()

    async def aclose(self) -> None:
        pass


async def _instant() -> AsyncIterator[InstantTransport]:
    yield InstantTransport()


async def drive(app: Any, body: bytes, n: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 4000),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", b"Bearer sk-bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    sent = {"done": False}

    async def receive() -> dict[str, Any]:
        if not sent["done"]:
            sent["done"] = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    start = time.process_time()
    for _ in range(n):
        sent["done"] = False
        await app(dict(scope), receive, send)
    elapsed = time.process_time() - start
    assert set(status) == {200}, set(status)
    return elapsed / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--open", action="store_true", help="no master key: governance (keys, spend) off")
    args = parser.parse_args()
    Container.transport.override(__import__("dependency_injector.providers").providers.Resource(_instant))
    config = {**CONFIG, "general_settings": {}} if args.open else CONFIG
    app = create_app(load_settings(config, known_providers()))
    body = orjson.dumps({**orjson.loads(REQUEST), "stream": True}) if args.stream else REQUEST
    async with app.lifespan():
        await drive(app, body, 500)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            us = await drive(app, body, args.n)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
                int(os.environ.get("ROWS", "30"))
            )
        else:
            us = min([await drive(app, body, args.n // 5) for _ in range(5)])
    print(f"{'stream' if args.stream else 'chat'}: {us:.1f} us per request in the gateway's own code")


if __name__ == "__main__":
    asyncio.run(main())
