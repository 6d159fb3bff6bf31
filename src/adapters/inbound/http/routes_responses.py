"""The OpenAI Responses door: ``POST /v1/responses`` (JSON, or SSE events as OpenAI frames them),
the stored responses (``GET``/``DELETE /v1/responses/{id}``, ``GET .../input_items``,
``POST .../cancel``) and ``POST /v1/responses/input_tokens``. Each path also answers without
``/v1``. Every route is an LLM route (``llm_api_routes``): the caller's key must be allowed it.

A stream answers 200 only once the upstream's first piece has arrived, so an error before it
(every deployment failed, a budget refused) is a plain JSON error with its status;
``response.created`` is then always the first event. An error later is sent as events
(``error``, then ``response.failed`` when the door made the stream) and ends the stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Iterable
from typing import Annotated, Any, TypedDict, TypeVar

import orjson
from litestar import delete, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.adapters.inbound.http.credentials import read_body
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.responses import (
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
from switchboard.adapters.inbound.http.routes import both, call_context, route_headers
from switchboard.adapters.inbound.http.schema import DOC, RawRoute
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.responses import ResponsesService
from switchboard.domain.errors import BadRequest, NotFound
from switchboard.domain.governance.access import LLM_ROUTES
from switchboard.domain.responses.wire import InputTokensRequest, ResponseObject, ResponsesRequest
from switchboard.domain.validation import parse_json

T = TypeVar("T")

ResponseId = Annotated[str, PathParameter(max_length=256)]


def _served(services: HttpServices) -> ResponsesService:
    if services.responses is None:
        raise NotFound("This gateway does not serve /v1/responses.")
    return services.responses


async def until_ready(work: Awaitable[T], receive: Receive) -> T:
    """``work`` (waiting for the upstream's answer or first piece), cancelled the moment the
    client disconnects: the call path then closes the upstream and settles the call."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(receive))
    try:
        done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if task not in done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise asyncio.CancelledError("client disconnected")
        return task.result()
    finally:
        watcher.cancel()
        task.cancel()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class EventStreamResponse:
    """Responses events, each as ``event: <type>`` and ``data: <json>``; no ``[DONE]``
    (OpenAI's Responses streams end with their last event). ``close`` runs exactly once."""

    __slots__ = ("_close", "_events", "_headers")

    def __init__(
        self, events: AsyncIterator[dict[str, Any]], close: Close, headers: Iterable[tuple[bytes, bytes]] = ()
    ) -> None:
        self._events = events
        self._close = close
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await until_disconnect(self._produce(send), receive, self._close)

    async def _produce(self, send: Send) -> None:
        await send(sse_start(self._headers))
        dumps = orjson.dumps
        try:
            async for event in self._events:
                frame = b"event: " + str(event.get("type", "")).encode() + b"\ndata: " + dumps(event) + b"\n\n"
                await send({"type": "http.response.body", "body": frame, "more_body": True})
        except Exception:
            # The stream's own events already told the client of the failure; end the body.
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            raise
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _json(data: Any, headers: list[tuple[bytes, bytes]] | None = None) -> JsonResponse:
    return JsonResponse(orjson.dumps(data), 200, headers or [])


def _response_json(response: ResponseObject) -> JsonResponse:
    body = response.__pydantic_serializer__.to_json(response)
    return JsonResponse(body, 200, route_headers(response.route))


_ID = {"response_id": str}


class Deleted(TypedDict):
    id: str
    object: str
    deleted: bool


class InputTokens(TypedDict):
    object: str
    input_tokens: int


@post(
    both("/responses"),
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "Create a model response (OpenAI Responses API)",
            dict[str, Any],
            ResponsesRequest,
            description="With `stream: true` the answer is `text/event-stream`: `event: <type>` and `data: <json>` "
            "per event, `response.created` first.",
        ),
        ACCESS: LLM_ROUTES,
    },
)
async def create_response(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await call_context(request, services)
    service = _served(services)
    body = parse_json(ResponsesRequest, await read_body(request.receive, request.scope, services.max_body_bytes))
    if not body.stream:
        return _response_json(await until_ready(service.create(body, ctx), request.receive))
    opened = service.stream(body, ctx)
    stream = await until_ready(opened.__aenter__(), request.receive)
    return EventStreamResponse(aiter(stream), closing(opened), route_headers(stream.route))


@post(
    both("/responses/input_tokens"),
    include_in_schema=False,
    opt={DOC: RawRoute("Count a response request's input tokens", InputTokens, InputTokensRequest), ACCESS: LLM_ROUTES},
)
async def input_tokens(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await call_context(request, services)
    service = _served(services)
    body = parse_json(InputTokensRequest, await read_body(request.receive, request.scope, services.max_body_bytes))
    return _json(await service.count_input_tokens(body, ctx))


@get(
    both("/responses/{response_id:str}"),
    include_in_schema=False,
    opt={DOC: RawRoute("Retrieve a stored response", dict[str, Any], path=_ID), ACCESS: LLM_ROUTES},
)
async def retrieve_response(
    request: HttpRequest, response_id: ResponseId, services: NamedDependency[HttpServices]
) -> Reply:
    ctx = await call_context(request, services)
    return _json(await _served(services).retrieve(response_id, ctx))


@delete(
    both("/responses/{response_id:str}"),
    include_in_schema=False,
    status_code=200,
    opt={DOC: RawRoute("Delete a stored response", Deleted, path=_ID), ACCESS: LLM_ROUTES},
)
async def delete_response(
    request: HttpRequest, response_id: ResponseId, services: NamedDependency[HttpServices]
) -> Reply:
    ctx = await call_context(request, services)
    return _json(await _served(services).delete(response_id, ctx))


@get(
    both("/responses/{response_id:str}/input_items"),
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "List a stored response's input items",
            dict[str, Any],
            path=_ID,
            query={"after": str, "limit": int, "order": str},
        ),
        ACCESS: LLM_ROUTES,
    },
)
async def list_input_items(
    request: HttpRequest,
    response_id: ResponseId,
    services: NamedDependency[HttpServices],
    after: Annotated[str | None, QueryParameter(max_length=256)] = None,
    limit: Annotated[int, QueryParameter()] = 20,
    order: Annotated[str, QueryParameter(max_length=8)] = "desc",
) -> Reply:
    ctx = await call_context(request, services)
    if not 1 <= limit <= 100:
        raise BadRequest("limit must be between 1 and 100.", param="limit")
    if order not in ("asc", "desc"):
        raise BadRequest("order must be 'asc' or 'desc'.", param="order")
    return _json(await _served(services).input_items(response_id, ctx, after=after, limit=limit, order=order))


@post(
    both("/responses/{response_id:str}/cancel"),
    include_in_schema=False,
    opt={
        DOC: RawRoute("Cancel a background response (none is: always 400 or 404)", dict[str, Any], path=_ID),
        ACCESS: LLM_ROUTES,
    },
)
async def cancel_response(
    request: HttpRequest, response_id: ResponseId, services: NamedDependency[HttpServices]
) -> Reply:
    ctx = await call_context(request, services)
    return _json(await _served(services).cancel(response_id, ctx))


RESPONSES_ROUTES = [
    create_response,
    input_tokens,
    retrieve_response,
    delete_response,
    list_input_items,
    cancel_response,
]
