"""The request id: taken from ``x-request-id`` (when sane) or made, echoed on every response,
and bound to the structlog context so every log line of the request carries it."""

from __future__ import annotations

import random
import re
import time
from typing import Final

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from structlog.contextvars import bind_contextvars

from switchboard.domain.ids import uuid7_hex

_SANE = re.compile(rb"^[A-Za-z0-9._:\-]{1,128}$")
REQUEST_ID_STATE = "request_id"
RESPONSE_HEADERS_STATE = "response_headers"  # headers the call's steps add (rate-limit figures)
_HTTP: Final[str] = "http"  # a plain string, as servers send it: compared by identity first


class RequestIdMiddleware:
    """Pure ASGI middleware: a few microseconds per request, no framework objects."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != _HTTP:
            await self.app(scope, receive, send)
            return
        request_id = b""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                if _SANE.match(value):
                    request_id = value
                break
        if not request_id:
            # time-ordered, so the spend log's request-id index grows at its end; the random bits
            # need not be secret (the module's generator is reseeded in a forked worker)
            request_id = uuid7_hex(time.time_ns() // 1_000_000, random.getrandbits(80)).encode()
        text = request_id.decode()
        state = scope.setdefault("state", {})
        state[REQUEST_ID_STATE] = text
        extra: dict[str, str] = {}
        state[RESPONSE_HEADERS_STATE] = extra
        # uvicorn runs each request in its own task, whose context starts from the server's:
        # binding here cannot leak into another request.
        bind_contextvars(request_id=text)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), (b"x-request-id", request_id)]
                if extra:
                    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)
