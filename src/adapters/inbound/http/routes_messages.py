"""The Anthropic door: ``POST /v1/messages`` (JSON, or SSE in Anthropic's framing) and
``POST /v1/messages/count_tokens``; each also answers without ``/v1``.

Callers authenticate as Anthropic clients do (``x-api-key``, or ``Authorization: Bearer``: the
``presented_key`` of every LLM route), and their ``anthropic-version`` / ``anthropic-beta``
headers are forwarded to deployments that speak Messages natively. Every failure answers in
Anthropic's error shape (``anthropic_errors``), before the stream as a status, after its first
byte as an ``error`` event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from litestar.exceptions import MethodNotAllowedException
from litestar.handlers import ASGIRouteHandler
from litestar.types import HTTPScope
from litestar.types import Receive as ASGIReceive
from litestar.types import Send as ASGISend

from switchboard.adapters.inbound.http.access import ACCESS, SelfGuardedASGIRoute, decide
from switchboard.adapters.inbound.http.anthropic_errors import error_event, render
from switchboard.adapters.inbound.http.credentials import read_body
from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.adapters.inbound.http.responses import (
    CLIENT_GONE,
    Close,
    JsonResponse,
    Receive,
    Reply,
    Scope,
    Send,
    closing,
    sse_start,
    until_disconnect,
)
from switchboard.adapters.inbound.http.routes import both, route_headers, scope_context
from switchboard.adapters.inbound.http.schema import DOC, AnthropicErrorBody, RawRoute
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.messages import MessagesService, MessagesStream
from switchboard.domain.anthropic_messages.native import FORWARDED_HEADERS
from switchboard.domain.anthropic_messages.wire import (
    CountTokensRequest,
    MessagesRequest,
    MessagesResponse,
    TokenCount,
)
from switchboard.domain.errors import NotFound
from switchboard.domain.governance.access import LLM_ROUTES
from switchboard.domain.validation import parse_json

_FORWARDED = tuple(name.encode() for name in FORWARDED_HEADERS)


def forwarded(scope: Mapping[str, Any]) -> dict[str, str]:
    """The caller's ``anthropic-version`` and ``anthropic-beta`` (several ``anthropic-beta``
    headers join with commas, as HTTP allows)."""
    found: dict[str, list[str]] = {}
    for key, value in scope["headers"]:
        if key in _FORWARDED:
            found.setdefault(key.decode(), []).append(value.decode("latin-1"))
    return {name: ",".join(values) for name, values in found.items()}


def _error(exc: BaseException) -> JsonResponse:
    status, body, headers = render(exc)
    return JsonResponse(body, status, headers)


def _service(services: HttpServices) -> MessagesService:
    if services.messages is None:
        raise NotFound("This gateway does not serve /v1/messages.")
    return services.messages


class MessagesSse:
    """A Messages stream's bytes, as they come (already framed). A failure after the first byte
    is sent as an ``error`` event and ends the stream; ``close`` runs exactly once."""

    __slots__ = ("_close", "_headers", "_stream")

    def __init__(self, stream: MessagesStream, close: Close, headers: list[tuple[bytes, bytes]]) -> None:
        self._stream = stream
        self._close = close
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await until_disconnect(self._produce(send), receive, self._close)

    async def _produce(self, send: Send) -> None:
        await send(sse_start(self._headers))
        events: AsyncIterator[bytes] = aiter(self._stream)
        try:
            async for event in events:
                await send({"type": "http.response.body", "body": event, "more_body": True})
        except Exception as exc:
            await send({"type": "http.response.body", "body": error_event(exc), "more_body": False})
            raise
        await send({"type": "http.response.body", "body": b"", "more_body": False})


# Anthropic's statuses: 529 is its overloaded_error
ANTHROPIC_FAILURES = (400, 401, 403, 404, 413, 429, 500, 502, 504, 529)

MESSAGES_DOC = RawRoute(
    "Create a message (Anthropic's Messages API)",
    MessagesResponse,
    MessagesRequest,
    description="Anthropic's wire format. With `stream: true` the answer is `text/event-stream` in Anthropic's "
    "framing (`message_start`, `content_block_start`/`delta`/`stop`, `message_delta`, `message_stop`, `ping`, "
    '`error`). Errors answer as `{"type": "error", "error": {"type", "message"}}`.',
    failures=ANTHROPIC_FAILURES,
    error_body=AnthropicErrorBody,
)


COUNT_DOC = RawRoute(
    "Count a message's input tokens (Anthropic's Messages API)",
    TokenCount,
    CountTokensRequest,
    failures=ANTHROPIC_FAILURES,
    error_body=AnthropicErrorBody,
)


async def _create(scope: Scope, receive: Receive, services: HttpServices) -> Reply:
    """The access decision is taken here, not by the app's guard, so a refusal answers in
    Anthropic's shape; a client that leaves before the answer (or the stream's first byte)
    cancels the call (``DisconnectWatch``), one that leaves mid-stream too (``MessagesSse``)."""
    try:
        ctx = scope_context(scope, await decide(scope, services, LLM_ROUTES))
        service = _service(services)
        body = parse_json(MessagesRequest, await read_body(receive, scope, services.max_body_bytes))
        body.forwarding(forwarded(scope))
        async with DisconnectWatch(receive) as watch:
            if not body.stream:
                answer = await service.create(body, ctx)
                return JsonResponse(answer.body, 200, route_headers(answer.route))
            opened = service.stream(body, ctx)
            stream = await opened.__aenter__()
        if watch.left:
            return CLIENT_GONE
    except Exception as exc:
        return _error(exc)
    return MessagesSse(stream, closing(opened), route_headers(stream.route))


async def _count(scope: Scope, receive: Receive, services: HttpServices) -> Reply:
    try:
        ctx = scope_context(scope, await decide(scope, services, LLM_ROUTES))
        service = _service(services)
        body = parse_json(CountTokensRequest, await read_body(receive, scope, services.max_body_bytes))
        body.forwarding(forwarded(scope))
        counted = await service.count_tokens(body, ctx)
    except Exception as exc:
        return _error(exc)
    count = counted.count()
    return JsonResponse(count.__pydantic_serializer__.to_json(count), 200, route_headers(counted.route))


def messages_routes(services: Callable[[], HttpServices]) -> list[ASGIRouteHandler]:
    """The door's routes as bare ASGI handlers, as chat's (``routes.hot_routes``): Litestar matches
    the route and runs the middleware, without parameter parsing or response building."""

    @SelfGuardedASGIRoute(both("/messages"), copy_scope=False, opt={DOC: MESSAGES_DOC, ACCESS: LLM_ROUTES})
    async def messages(scope: HTTPScope, receive: ASGIReceive, send: ASGISend) -> None:
        if scope["method"] != "POST":
            raise MethodNotAllowedException()
        reply = await _create(scope, receive, services())
        await reply(scope, receive, send)

    @SelfGuardedASGIRoute(both("/messages/count_tokens"), copy_scope=False, opt={DOC: COUNT_DOC, ACCESS: LLM_ROUTES})
    async def count_tokens(scope: HTTPScope, receive: ASGIReceive, send: ASGISend) -> None:
        if scope["method"] != "POST":
            raise MethodNotAllowedException()
        reply = await _count(scope, receive, services())
        await reply(scope, receive, send)

    return [messages, count_tokens]
