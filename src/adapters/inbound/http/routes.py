"""The OpenAI-compatible routes. Each path also answers without its ``/v1`` prefix."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Literal, TypedDict

import orjson
from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import MethodNotAllowedException
from litestar.handlers import ASGIRouteHandler
from litestar.types import HTTPScope
from litestar.types import Receive as ASGIReceive
from litestar.types import Send as ASGISend

from switchboard.adapters.inbound.http.access import ACCESS, PRINCIPAL_STATE, SelfGuardedASGIRoute, decide
from switchboard.adapters.inbound.http.credentials import read_body
from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.adapters.inbound.http.middleware import REQUEST_ID_STATE, RESPONSE_HEADERS_STATE
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.responses import (
    CLIENT_GONE,
    JsonResponse,
    Receive,
    Reply,
    Scope,
    Send,
    SseResponse,
    closing,
)
from switchboard.adapters.inbound.http.schema import DOC, RawRoute
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.streams import ChatStream
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse, RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse
from switchboard.domain.governance.access import LLM_ROUTES
from switchboard.domain.governance.route_access import PUBLIC_ROUTES
from switchboard.domain.principal import Principal
from switchboard.domain.validation import parse_json


def both(path: str) -> list[str]:
    return [f"/v1{path}", path]


def route_headers(route: RouteInfo | None) -> list[tuple[bytes, bytes]]:
    if route is None:
        return []
    headers = [
        (b"x-switchboard-model-id", route.deployment_id.encode()),
        (b"x-switchboard-provider", route.provider.encode()),
    ]
    if route.attempted:
        headers.append((b"x-switchboard-attempted-fallbacks", ",".join(route.attempted).encode()))
    if route.cache_hit:
        headers.append((b"x-switchboard-cache-hit", b"true"))
    if route.cost is not None:
        headers.append((b"x-switchboard-response-cost", f"{route.cost:.10f}".rstrip("0").rstrip(".").encode()))
    return headers


async def call_context(request: HttpRequest, services: HttpServices) -> CallContext:
    """The call's context, for the caller the access guard admitted."""
    return scope_context(request.scope, request.scope["state"][PRINCIPAL_STATE])


def scope_context(scope: Scope, principal: Principal) -> CallContext:
    """The call's context: its request id, its caller, and a place for the response headers its
    steps add (rate-limit figures)."""
    state = scope["state"]
    return CallContext(
        request_id=state[REQUEST_ID_STATE],
        principal=principal,
        response_headers=state.setdefault(RESPONSE_HEADERS_STATE, {}),
    )


_CHUNK_JSON = ChatChunk.__pydantic_serializer__.to_json


async def _events(stream: ChatStream) -> AsyncIterator[bytes]:
    serialize = _CHUNK_JSON
    async for chunk in stream:
        yield b"data: " + serialize(chunk, exclude_none=True) + b"\n\n"


def hot_routes(services: Callable[[], HttpServices]) -> list[ASGIRouteHandler]:
    """``POST /v1/chat/completions`` as a bare ASGI route handler. Litestar still matches the
    route, runs the app's middleware and turns exceptions into responses, but skips parameter
    parsing, dependency injection and response building: about 14 µs a request, a seventh of
    the gateway's own work on this route (bench/hot_path.py)."""

    @SelfGuardedASGIRoute(both("/chat/completions"), copy_scope=False, opt={DOC: CHAT_DOC, ACCESS: LLM_ROUTES})
    async def chat_completions(scope: HTTPScope, receive: ASGIReceive, send: ASGISend) -> None:
        if scope["method"] != "POST":
            raise MethodNotAllowedException()
        await _chat(scope, receive, send, services())

    return [chat_completions]


async def _chat(scope: Scope, receive: Receive, send: Send, services: HttpServices) -> None:
    principal = await decide(scope, services, scope["route_handler"].opt[ACCESS])  # the route's declared group
    ctx = scope_context(scope, principal)
    chat = parse_json(ChatRequest, await read_body(receive, scope, services.max_body_bytes))
    # One watch from here to the end of the answer: a client that leaves cancels the call.
    async with DisconnectWatch(receive) as watch:
        if not chat.stream:
            response = await services.chat.complete(chat, ctx)
            body = response.__pydantic_serializer__.to_json(response, exclude_none=True)
            await JsonResponse(body, 200, route_headers(response.route))(scope, receive, send)
            return
        opened = services.chat.stream(chat, ctx)
        stream = await opened.__aenter__()
        await SseResponse(_events(stream), closing(opened), route_headers(stream.route)).send_to(send, watch)


@post(
    both("/embeddings"),
    include_in_schema=False,
    opt={DOC: RawRoute("Create embeddings", EmbeddingResponse, EmbeddingRequest), ACCESS: LLM_ROUTES},
)
async def embeddings(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await call_context(request, services)
    body = parse_json(EmbeddingRequest, await read_body(request.receive, request.scope, services.max_body_bytes))
    async with DisconnectWatch(request.receive):
        response = await services.embeddings.embed(body, ctx)
        return JsonResponse(
            response.__pydantic_serializer__.to_json(response, exclude_none=True),
            200,
            route_headers(response.route),
        )
    return CLIENT_GONE


class ModelCard(TypedDict):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelCards(TypedDict):
    object: Literal["list"]
    data: list[ModelCard]


class Readiness(TypedDict):
    status: str
    time: int


@get(
    both("/models"),
    include_in_schema=False,
    opt={
        DOC: RawRoute("List the model names this gateway serves", ModelCards, failures=(401, 403)),
        ACCESS: LLM_ROUTES,
    },
)
async def models(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    data = [
        {"id": entry.id, "object": "model", "created": entry.created, "owned_by": entry.owned_by}
        for entry in services.models()
    ]
    return JsonResponse(orjson.dumps({"object": "list", "data": data}))


@get(
    ["/health/liveliness", "/health/liveness"],
    include_in_schema=False,
    opt={DOC: RawRoute("The process is up", str, failures=(), secured=False), ACCESS: PUBLIC_ROUTES},
)
async def liveliness() -> Reply:
    return JsonResponse(b'"I\'m alive!"')


@get(
    "/health/readiness",
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "The gateway can serve requests (503 only when it cannot)", Readiness, failures=(503,), secured=False
        ),
        ACCESS: PUBLIC_ROUTES,
    },
)
async def readiness(services: NamedDependency[HttpServices]) -> Reply:
    report = await services.readiness()
    ready = report.get("status") in ("healthy", "degraded")
    return JsonResponse(orjson.dumps({**report, "time": int(time.time())}), 200 if ready else 503)


ROUTES = [embeddings, models, liveliness, readiness]

CHAT_DOC = RawRoute(
    "Create a chat completion",
    ChatResponse,
    ChatRequest,
    stream=ChatChunk,
    description="With `stream: true` the answer is `text/event-stream`: one `data:` event per chunk, then "
    "`data: [DONE]`.",
)
