"""The chat cache: serve repeated requests from the cache, share concurrent identical misses, and
store fresh answers (a stream's once it has ended normally).

    plan (policy + request controls) -> exact entry? -> flight in progress? follow it
    -> lead: semantic match? -> else fetch through the router -> store -> land the flight

A hit is served without the router or a provider and is marked as one: ``cache_hit`` on the
outcome and the route, cost 0, the usage as cached.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from switchboard.application.caching.flights import Flights, follow
from switchboard.application.caching.semantic import Probe, SemanticMatcher
from switchboard.application.caching.store import CacheStore
from switchboard.application.hooks import Admission
from switchboard.application.streams import ChatStream
from switchboard.domain.caching.controls import controls_of
from switchboard.domain.caching.entries import Entry, decode_entry
from switchboard.domain.caching.keys import chat_key
from switchboard.domain.caching.policy import CachePlan, CachePolicy, plan_call
from switchboard.domain.caching.replay import assemble, chunks_of
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse, RouteInfo
from switchboard.domain.errors import InternalError, SwitchboardError
from switchboard.domain.ports.clock import Clock
from switchboard.domain.usage import Usage

OpenStream = Callable[[], AbstractAsyncContextManager[ChatStream]]


@dataclass(frozen=True, slots=True)
class _Planned:
    plan: CachePlan
    key: str


@dataclass(frozen=True, slots=True)
class _Lead:
    """The caller leads the flight for its key: it fetches, then lands the flight."""

    probe: Probe | None = None


class ChatCache:
    """Caching for ``ChatService``: ``complete`` and ``stream`` wrap its routed calls."""

    def __init__(
        self,
        store: CacheStore,
        policy: CachePolicy,
        clock: Clock,
        semantic: SemanticMatcher | None = None,
    ) -> None:
        self._store = store
        self._policy = policy
        self._clock = clock
        self._semantic = semantic
        self._flights = Flights()

    async def complete(
        self, info: CallInfo, outcome: CallOutcome, fetch: Callable[[], Awaitable[ChatResponse]]
    ) -> ChatResponse:
        """The answer from the cache (or a concurrent identical call), else from ``fetch``, stored.

        ``fetch`` routes the call and fills ``outcome``; on a hit this fills it instead.
        """
        planned = self._plan(info)
        if planned is None:
            return await fetch()
        claim = await self._claim(planned, info) if planned.plan.read else None
        if isinstance(claim, Entry):
            return self._serve(claim, info, outcome)
        try:
            response = await fetch()
        except BaseException as exc:
            self._abort(planned, claim, exc)
            raise
        route = response.route or RouteInfo()
        await self._land(planned, claim, response, route.deployment_id, route.provider)
        return response

    @asynccontextmanager
    async def stream(
        self, info: CallInfo, outcome: CallOutcome, admission: Admission, open_stream: OpenStream
    ) -> AsyncIterator[ChatStream]:
        """``open_stream``'s stream, recorded and stored if it ends normally; or, on a hit, the
        cached answer replayed as a stream. ``admission`` is settled here only for a hit or a
        failed lookup; ``open_stream`` settles its own calls."""
        try:
            planned = self._plan(info)
            claim = await self._claim(planned, info) if planned is not None and planned.plan.read else None
        except BaseException as exc:
            outcome.error = _as_error(exc)
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)
            raise
        if planned is None:
            async with open_stream() as stream:
                yield stream
            return
        if isinstance(claim, Entry):
            async with self._replay(claim, info, outcome, admission) as stream:
                yield stream
            return
        try:
            async with open_stream() as stream:
                stream.record()
                yield stream
        except BaseException as exc:
            self._abort(planned, claim, exc)
            raise
        response = assemble(stream.recorded or ()) if stream.completed and outcome.error is None else None
        if response is not None and response.usage is None:
            response.usage = stream.usage
        await self._land(planned, claim, response, stream.route.deployment_id, stream.route.provider)

    # --- the steps -----------------------------------------------------------------------------

    def _plan(self, info: CallInfo) -> _Planned | None:
        request: ChatRequest = info.request
        plan = plan_call(self._policy, "chat", controls_of(request.model_extra), info.ctx.principal)
        return None if plan is None else _Planned(plan, chat_key(plan.prefix, request))

    async def _claim(self, planned: _Planned, info: CallInfo) -> Entry | _Lead:
        """A cached entry (or one a concurrent identical call just fetched); else the caller now
        leads the flight for the key and must end it with ``_land`` or ``_abort``."""
        plan, key = planned.plan, planned.key
        while True:
            entry = await self._store.read(key, plan.max_age)
            if entry is not None:
                return entry
            flight = self._flights.board(key)
            if flight is None:
                break
            shared = await follow(flight)  # raises the leader's error
            if shared is not None and (entry := decode_entry(shared)) is not None:
                return entry
        if self._semantic is None:
            return _Lead()
        try:
            probe = await self._semantic.probe(plan, info.request, info.ctx)
            entry = await self._semantic.match(probe, plan.max_age) if probe is not None else None
        except BaseException:
            self._flights.land(key, None)
            raise
        if entry is not None:
            self._flights.land(
                key, self._store.encode(entry.body, deployment=entry.deployment, provider=entry.provider)
            )
            return entry
        return _Lead(probe)

    async def _land(
        self, planned: _Planned, claim: _Lead | None, response: ChatResponse | None, deployment: str, provider: str
    ) -> None:
        """Store a fresh answer (unless ``no-store``) and share it with the flight's followers."""
        plan, key = planned.plan, planned.key
        raw: bytes | None = None
        try:
            if response is not None:
                body = response.__pydantic_serializer__.to_json(response, exclude_none=True)
                raw = self._store.encode(body, deployment=deployment, provider=provider)
                if plan.write:
                    await self._store.write(key, raw, plan.ttl)
        finally:
            if claim is not None:
                self._flights.land(key, raw)
        if raw is not None and plan.write and claim is not None and claim.probe is not None and self._semantic:
            await self._semantic.remember(claim.probe, key, plan.ttl)

    def _abort(self, planned: _Planned, claim: _Lead | None, exc: BaseException) -> None:
        """The leader failed: followers get its error; if it just went away, they try again."""
        if claim is None:
            return
        if isinstance(exc, SwitchboardError):
            self._flights.crash(planned.key, exc)
        else:
            self._flights.land(planned.key, None)

    def _serve(self, entry: Entry, info: CallInfo, outcome: CallOutcome) -> ChatResponse:
        response = ChatResponse.model_validate_json(entry.body)
        response.route = _hit_route(entry, info)
        _mark_hit(outcome, response, response.usage)
        return response

    @asynccontextmanager
    async def _replay(
        self, entry: Entry, info: CallInfo, outcome: CallOutcome, admission: Admission
    ) -> AsyncIterator[ChatStream]:
        response = ChatResponse.model_validate_json(entry.body)
        usage = response.usage or Usage()
        request: ChatRequest = info.request
        stream = ChatStream(
            None,
            _replayed(chunks_of(response)),
            route=_hit_route(entry, info),
            wants_usage=request.wants_usage_chunk,
            estimate_usage=lambda _text: usage,
        )
        _mark_hit(outcome, response, usage)
        outcome.time_to_first_token = self._clock.monotonic() - info.started
        try:
            yield stream
        except BaseException as exc:
            outcome.error = _as_error(exc)
            raise
        finally:
            try:
                await stream.aclose()
            finally:
                outcome.completed = stream.completed and outcome.error is None
                outcome.usage = stream.settle_usage()
                outcome.latency = self._clock.monotonic() - info.started
                await admission.settle(outcome)


def _hit_route(entry: Entry, info: CallInfo) -> RouteInfo:
    return RouteInfo(
        model_group=info.model_group,
        deployment_id=entry.deployment,
        provider=entry.provider,
        cache_hit=True,
        cost=0.0,
    )


def _mark_hit(outcome: CallOutcome, response: ChatResponse, usage: Usage | None) -> None:
    outcome.cache_hit = True
    outcome.cost = 0.0
    outcome.usage = usage
    outcome.response = response


async def _replayed(chunks: Sequence[ChatChunk]) -> AsyncIterator[ChatChunk]:
    for chunk in chunks:
        yield chunk


def _as_error(exc: BaseException) -> SwitchboardError:
    # as ChatService does: what a settled outcome records for an exception
    if isinstance(exc, SwitchboardError):
        return exc
    if isinstance(exc, asyncio.CancelledError | GeneratorExit):
        return InternalError("the call was cancelled (the client went away)", code="cancelled")
    return InternalError(f"unexpected {type(exc).__name__}")
