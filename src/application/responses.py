"""The Responses door's use case (``POST /v1/responses`` and the stored responses' routes).

Each request is one ``responses`` kind of call on the call path (``application.call_path``):
admitted, routed (retries, fallbacks before the first byte, cooldowns), settled with its usage
and cost, recorded as ``responses``. On each deployment tried, the kind asks the provider's
native Responses endpoint when it has one (OpenAI, Azure: the request passes through, model
replaced), and otherwise asks chat completions through the chat use case's own provider steps
(``ChatService.send``/``open``/``wrap``: parameter checks, usage estimates, prices), translating
both ways (``domain.responses``). A model group may mix both kinds of deployment.

``store`` (OpenAI's default: on) keeps the response, its input and its history in the
``ResponseStore`` for ``retention`` seconds, owned by the caller's key; ``previous_response_id``
rebuilds the conversation from there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from switchboard.application.call_kinds import First, first_of
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.pricing import Pricing
from switchboard.application.streams import ChatStream
from switchboard.domain.call_options import Timeouts, drops_unsupported
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import ChatRequest, RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, LimitReached, NotFound, SwitchboardError
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.responses import (
    ResponsesCall,
    ResponsesDirectory,
    ResponseStore,
    StoredResponse,
)
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.responses.conversation import conversation, listed_items, page, passthrough_body
from switchboard.domain.responses.events import Event, ResponseEvents
from switchboard.domain.responses.translation import (
    chat_request_for,
    response_from_chat,
    response_shell,
    tool_namespaces,
)
from switchboard.domain.responses.wire import (
    InputTokensRequest,
    Item,
    ResponseObject,
    ResponsesRequest,
    chat_usage,
    usage_from_chat,
)
from switchboard.domain.usage import Usage

log = logging.getLogger(__name__)

DEFAULT_RETENTION = 30 * 24 * 3600.0  # OpenAI keeps stored responses 30 days


class ResponsesService:
    """Responses, whole or streamed, and the stored ones."""

    def __init__(
        self,
        path: CallPath,
        providers: ResponsesDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        store: ResponseStore,
        clock: Clock,
        ids: IdSource,
        *,
        pricing: Pricing | None = None,
        retention: float | None = DEFAULT_RETENTION,
        purge_every: int = 500,
    ) -> None:
        self._path = path
        self._providers = providers
        self._chat = chat
        self._tokens = tokens
        self._store = store
        self._clock = clock
        self._ids = ids
        self._pricing = pricing or Pricing()
        self._retention = retention
        self._purge_every = purge_every  # expired responses are purged once every this many stores
        self._kept = 0

    async def create(self, request: ResponsesRequest, ctx: CallContext) -> ResponseObject:
        """One whole response. Raises a ``domain.errors`` error when it cannot be had."""
        call = await self._call(request, ctx)
        response = await self._path.answer(call, request, ctx)
        if request.stores:
            await self._keep(call, response.model_dump(mode="json", exclude_none=False), ctx)
        return response

    @asynccontextmanager
    async def stream(self, request: ResponsesRequest, ctx: CallContext) -> AsyncIterator[ResponsesStream]:
        """An open stream of events. Errors before its first event raise here; leaving closes the
        upstream and settles the call. A stream read to its end is stored (``store``)."""
        call = await self._call(request, ctx)
        async with self._path.stream(call, request, ctx) as stream:
            yield stream
            if request.stores and stream.final is not None:
                await self._keep(call, stream.final, ctx)

    async def retrieve(self, response_id: str, ctx: CallContext) -> dict[str, Any]:
        return (await self._stored(response_id, ctx)).response

    async def delete(self, response_id: str, ctx: CallContext) -> dict[str, Any]:
        if not await self._store.delete(response_id, ctx.principal.key_hash):
            raise _not_found(response_id)
        return {"id": response_id, "object": "response", "deleted": True}

    async def input_items(
        self, response_id: str, ctx: CallContext, *, after: str | None = None, limit: int = 20, order: str = "desc"
    ) -> dict[str, Any]:
        stored = await self._stored(response_id, ctx)
        items = listed_items(stored.input_items, response_id)
        data, more = page(items, after=after, limit=limit, newest_first=order != "asc")
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": more,
        }

    async def cancel(self, response_id: str, ctx: CallContext) -> dict[str, Any]:
        await self._stored(response_id, ctx)
        raise BadRequest("Only responses created with background=true can be cancelled.", param="response_id")

    async def count_input_tokens(self, request: InputTokensRequest, ctx: CallContext) -> dict[str, Any]:
        """``POST /v1/responses/input_tokens``: the input's size, counted by the gateway."""
        as_request = ResponsesRequest.model_validate(request.model_dump(by_alias=True, exclude_unset=True))
        history = await self._history(as_request, ctx)
        return {"object": "response.input_tokens", "input_tokens": count_input(self._tokens, as_request, history)}

    # --- steps ---------------------------------------------------------------------------------

    async def _call(self, request: ResponsesRequest, ctx: CallContext) -> ResponsesCallKind:
        history = await self._history(request, ctx)
        return ResponsesCallKind(self, request, history, self._ids.new("resp_"), self._clock.now())

    async def _history(self, request: ResponsesRequest, ctx: CallContext) -> list[Item] | None:
        if request.previous_response_id is None:
            return None
        stored = await self._store.get(request.previous_response_id, ctx.principal.key_hash, self._clock.now())
        if stored is None:
            raise NotFound(
                f"Previous response with id '{request.previous_response_id}' not found.",
                param="previous_response_id",
            )
        return conversation(stored.input_items, list(stored.response.get("output") or ()))

    async def _stored(self, response_id: str, ctx: CallContext) -> StoredResponse:
        stored = await self._store.get(response_id, ctx.principal.key_hash, self._clock.now())
        if stored is None:
            raise _not_found(response_id)
        return stored

    async def _keep(self, call: ResponsesCallKind, response: dict[str, Any], ctx: CallContext) -> None:
        now = self._clock.now()
        stored = StoredResponse(
            id=str(response.get("id") or call.response_id),
            owner=ctx.principal.key_hash,
            team_id=ctx.principal.team_id,
            response=response,
            input_items=[*(call.history or ()), *call.request.input_items()],
            created_at=now,
            expires_at=now + self._retention if self._retention is not None else None,
        )
        try:
            await self._store.put(stored)
            self._kept += 1
            if self._kept % self._purge_every == 0:
                await self._store.purge(now)
        except SwitchboardError:
            log.warning("could not store response", extra={"response_id": stored.id}, exc_info=True)


def _not_found(response_id: str) -> NotFound:
    return NotFound(f"Response with id '{response_id}' not found.", param="response_id")


def count_input(tokens: TokenCounter, request: ResponsesRequest, history: list[Item] | None) -> int:
    """The input's tokens, estimated from its text (instructions, items, tools)."""
    parts: list[Any] = [request.instructions or "", *(history or ()), *request.input_items(), *(request.tools or ())]
    return sum(tokens.count(p if isinstance(p, str) else json.dumps(p), request.model) for p in parts)


@dataclass(slots=True)
class OpenedResponse:
    """What a stream attempt opened: a native event stream, or a chat stream to translate."""

    native: First[dict[str, Any]] | None = None
    chat: Any = None  # First[ChatChunk]


class ResponsesCallKind:
    """One Responses call as a kind of call: the request, its resolved history and the id the
    response will have, for every deployment the router tries."""

    name: CallKind = "responses"
    cache = None
    stream_cache = None

    def __init__(
        self,
        service: ResponsesService,
        request: ResponsesRequest,
        history: list[Item] | None,
        response_id: str,
        created_at: float,
    ) -> None:
        self._service = service
        self.request = request
        self.history = history
        self.response_id = response_id
        self.created_at = created_at
        self._chat_request: ChatRequest | None = None
        self.count_prompt: Callable[[ResponsesRequest], int] | None = self._count

    def output_limit(self, request: ResponsesRequest) -> int | None:
        return request.max_output_tokens

    # --- whole ---------------------------------------------------------------------------------

    async def send(
        self, request: ResponsesRequest, info: CallInfo[ResponsesRequest], deployment: Deployment, timeouts: Timeouts
    ) -> ResponseObject:
        native = self._service._providers.responses(deployment.provider)
        if native is not None:
            body = passthrough_body(request, self.history, stream=False)
            return await native.create_response(self._native_call(body, info, deployment, timeouts))
        chat_info = self._chat_info(info, deployment)
        answer = await self._service._chat.send(chat_info.request, chat_info, deployment, timeouts)
        return response_from_chat(request, answer, self.response_id, self.created_at)

    def account(
        self, info: CallInfo[ResponsesRequest], deployment: Deployment, response: ResponseObject
    ) -> tuple[Usage | None, float | None]:
        usage = chat_usage(response.usage)
        if usage is None:
            usage = self._estimate(info, response.output_text)
            response.usage = usage_from_chat(usage)
        return usage, self._service._pricing.chat_cost(deployment, usage)

    def mock(self, info: CallInfo[ResponsesRequest], deployment: Deployment, created: int) -> ResponseObject:
        answer = self._service._chat.mock(self._chat_info(info, deployment), deployment, created)
        return response_from_chat(info.request, answer, self.response_id, self.created_at)

    # --- streamed ------------------------------------------------------------------------------

    async def open(
        self, info: CallInfo[ResponsesRequest], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack
    ) -> OpenedResponse:
        native = self._service._providers.responses(deployment.provider)
        if native is not None:
            body = passthrough_body(info.request, self.history, stream=True)
            events = native.stream_response(self._native_call(body, info, deployment, timeouts))
            return OpenedResponse(native=await first_of(events, exits))
        return OpenedResponse(
            chat=await self._service._chat.open(self._chat_info(info, deployment), deployment, timeouts, exits)
        )

    def mock_open(self, info: CallInfo[ResponsesRequest], deployment: Deployment, created: int) -> OpenedResponse:
        return OpenedResponse(
            chat=self._service._chat.mock_open(self._chat_info(info, deployment), deployment, created)
        )

    def wrap(
        self, info: CallInfo[ResponsesRequest], opened: OpenedResponse, route: RouteInfo, deployment: Deployment
    ) -> ResponsesStream:
        price: Callable[[Usage], float | None] = lambda usage: self._service._pricing.chat_cost(deployment, usage)  # noqa: E731
        if opened.native is not None:
            return ResponsesStream(
                route, native=opened.native, estimate=lambda text: self._estimate(info, text), price=price
            )
        chat = self._service._chat.wrap(self._chat_info(info, deployment), opened.chat, route, deployment)
        shell = response_shell(info.request, self.response_id, self.created_at, deployment.model_name)
        return ResponsesStream(
            route, chat=chat, events=ResponseEvents(shell, namespaces=tool_namespaces(info.request.tools))
        )

    # --- helpers -------------------------------------------------------------------------------

    def _native_call(
        self, body: dict[str, Any], info: CallInfo[ResponsesRequest], deployment: Deployment, timeouts: Timeouts
    ) -> ResponsesCall:
        return ResponsesCall(
            body=body,
            deployment=deployment,
            request_id=info.ctx.request_id,
            timeout=timeouts.total,
            idle_timeout=timeouts.idle,
        )

    def _chat_info(self, info: CallInfo[ResponsesRequest], deployment: Deployment) -> CallInfo[ChatRequest]:
        """The call as the chat steps read it: the translated request (made once per call; an
        item chat cannot carry raises ``UnsupportedParameter``, a hosted tool too unless the call
        drops what the deployment cannot take), the same context and options."""
        if self._chat_request is None:
            drop = drops_unsupported(deployment, self._service._path.defaults, info.options)
            self._chat_request = chat_request_for(info.request, self.history, stream=info.stream, drop_hosted=drop)
        return CallInfo(
            kind=info.kind,
            request=self._chat_request,
            ctx=info.ctx,
            model_group=info.model_group,
            options=info.options,
            prompt_tokens=info.prompt_size(),
            max_output_tokens=info.max_output_tokens,
            stream=info.stream,
            started=info.started,
        )

    def _count(self, request: ResponsesRequest) -> int:
        return count_input(self._service._tokens, request, self.history)

    def _estimate(self, info: CallInfo[ResponsesRequest], text: str) -> Usage:
        return Usage.of(info.prompt_size(), self._service._tokens.count(text, info.request.model))


_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})


class ResponsesStream:
    """The events a caller reads: a native upstream's as they come, or those made from a chat
    stream (``ResponseEvents``). ``final`` is the finished response (from the terminal event),
    ``usage`` what the call is charged; ``route.cost`` is set when the stream ends."""

    def __init__(
        self,
        route: RouteInfo,
        *,
        native: First[dict[str, Any]] | None = None,
        estimate: Callable[[str], Usage] | None = None,
        price: Callable[[Usage], float | None] | None = None,
        chat: ChatStream | None = None,
        events: ResponseEvents | None = None,
    ) -> None:
        self.route = route
        self.completed = False
        self.final: dict[str, Any] | None = None
        self.usage: Usage | None = None
        self._native = native
        self._estimate = estimate
        self._price = price
        self._chat = chat
        self._events = events
        self._texts: list[str] = []
        self._failed = False
        self._iterator: AsyncGenerator[Event, None] | None = None

    def __aiter__(self) -> AsyncIterator[Event]:
        if self._iterator is None:
            self._iterator = self._relay() if self._native is not None else self._translate()
        return self._iterator

    @property
    def text(self) -> str:
        if self._chat is not None:
            return self._chat.text
        return "".join(self._texts)

    def settle_usage(self) -> Usage | None:
        if self._chat is not None:
            return self._chat.settle_usage()
        if self.usage is None and self._estimate is not None:
            self.usage = self._estimate(self.text)
        return self.usage

    async def aclose(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()
        if self._chat is not None:
            await self._chat.aclose()

    async def _relay(self) -> AsyncGenerator[Event, None]:
        assert self._native is not None
        first, rest = self._native.first, self._native.rest
        if first is not None:
            self._watch(first)
            yield first
        sequence = int(first.get("sequence_number") or 0) if first is not None else 0
        try:
            async for event in rest:
                self._watch(event)
                sequence = int(event.get("sequence_number") or sequence)
                yield event
        except SwitchboardError as exc:
            code = exc.code or type(exc).__name__
            yield {
                "type": "error",
                "sequence_number": sequence + 1,
                "code": code,
                "message": exc.message,
                "param": None,
            }
            raise
        self.completed = not self._failed
        usage = self.settle_usage()
        if self._price is not None and usage is not None:
            self.route.cost = self._price(usage)

    def _watch(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "response.output_text.delta":
            self._texts.append(str(event.get("delta") or ""))
        elif kind == "error":
            self._failed = True
        elif kind in _TERMINAL:
            response = event.get("response")
            if isinstance(response, dict):
                self.usage = chat_usage(response.get("usage"))
                if kind == "response.failed":
                    self._failed = True
                else:
                    self.final = response

    async def _translate(self) -> AsyncGenerator[Event, None]:
        chat, events = self._chat, self._events
        assert chat is not None and events is not None
        for event in events.start():
            yield event
        try:
            async for chunk in chat:
                for event in events.feed(chunk):
                    yield event
        except SwitchboardError as exc:
            code, limited = exc.code or type(exc).__name__, isinstance(exc, LimitReached)
            for event in events.fail(code, exc.message, rate_limited=limited):
                yield event
            raise
        usage = chat.settle_usage()
        done = events.finish(usage_from_chat(usage))
        self.final = done[-1]["response"]
        self.usage = usage
        for event in done:
            yield event
        self.completed = True
