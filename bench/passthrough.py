"""The floor a Python gateway is measured against: a bare Litestar + aiohttp passthrough.

It checks the bearer key, decodes the request with msgspec, sets the model, forwards it on one
pooled aiohttp session, decodes the answer (or every SSE event) and returns the upstream bytes.
No routing, limits, spend or logging. `make bench` runs it beside the gateway (as in
../shared/notes/perf.md) to print the gateway's share of the floor's throughput.

    MOCK_API_BASE=http://127.0.0.1:9100/v1 uvicorn --app-dir bench passthrough:app --port 4200
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import msgspec
from litestar import Litestar, Request, post
from litestar.response import Response, Stream

UPSTREAM = os.environ.get("MOCK_API_BASE", "http://127.0.0.1:9100/v1") + "/chat/completions"
KEY = "Bearer " + os.environ.get("PASSTHROUGH_KEY", "sk-bench")
session: aiohttp.ClientSession | None = None


async def start() -> None:
    global session
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1024))


async def stop() -> None:
    if session is not None:
        await session.close()


@post(["/v1/chat/completions"], status_code=200)
async def chat(request: Request[Any, Any, Any]) -> Response[bytes] | Stream:
    if request.headers.get("authorization") != KEY:
        return Response(b'{"error":{"message":"no"}}', status_code=401)
    body = msgspec.json.decode(await request.body())
    body["model"] = "mock"
    assert session is not None
    if not body.get("stream"):
        async with session.post(
            UPSTREAM, data=msgspec.json.encode(body), headers={"content-type": "application/json"}
        ) as upstream:
            data = await upstream.read()
        msgspec.json.decode(data)
        return Response(data, media_type="application/json")
    upstream = await session.post(
        UPSTREAM, data=msgspec.json.encode(body), headers={"content-type": "application/json"}
    )

    async def events() -> AsyncIterator[bytes]:
        try:
            async for line in upstream.content:
                if line.startswith(b"data: {"):
                    msgspec.json.decode(line[6:])
                yield line
        finally:
            upstream.close()

    return Stream(events(), media_type="text/event-stream")


app = Litestar([chat], on_startup=[start], on_shutdown=[stop], logging_config=None, openapi_config=None)
