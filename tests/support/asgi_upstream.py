"""A base for fake upstreams as plain ASGI apps served by ``serve_asgi`` on 127.0.0.1.

A subclass implements ``answer(path, body)`` and returns an ``Answer``: a JSON body, or pieces
of a streamed body sent one by one (each piece is flushed to the socket as its own write).
Requests (path, JSON body, headers) are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from tests.support.asgi import Receive, Scope, Send, lifespan, read_body


@dataclass
class Answer:
    status: int = 200
    json: Any = None
    pieces: list[bytes] = field(default_factory=list)
    content_type: str = "application/json"
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


@dataclass
class Received:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


class AsgiUpstream:
    def __init__(self) -> None:
        self.received: list[Received] = []

    def answer(self, path: str, body: dict[str, Any]) -> Answer:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        raw = await read_body(receive)
        body = orjson.loads(raw) if raw else {}
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.received.append(Received(scope["path"], body, headers))
        answer = self.answer(scope["path"], body)
        start_headers = [(b"content-type", answer.content_type.encode()), *answer.headers]
        await send({"type": "http.response.start", "status": answer.status, "headers": start_headers})
        if answer.json is not None:
            await send({"type": "http.response.body", "body": orjson.dumps(answer.json)})
            return
        for piece in answer.pieces:
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
