"""The chat cache: serve repeated requests from the cache, share concurrent identical misses, and
store fresh answers (a stream's once it has ended normally). It is a step of the call path
(``application.call_path``), which asks it before routing and tells it how the call ended.

    plan (policy + the request's cache controls) -> exact entry? -> flight in progress? follow it
    -> lead: semantic match? -> else the call path routes the call -> keep: store, land the flight

A hit is served without the router or a provider; the call path marks it as one (``cache_hit``
on the outcome, cost 0, the usage as cached), and so does its route.
"""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.application.caching.flights import Flights, follow
from switchboard.application.caching.semantic import Probe, SemanticMatcher
from switchboard.application.caching.store import CacheStore
from switchboard.application.call_kinds import Cached, pieces
from switchboard.application.streams import ChatStream
from switchboard.domain.caching.entries import Entry, decode_entry
from switchboard.domain.caching.keys import chat_key
from switchboard.domain.caching.policy import CachePlan, CachePolicy, plan_call
from switchboard.domain.caching.replay import assemble, chunks_of
from switchboard.domain.calls import CallInfo
from switchboard.domain.chat import ChatRequest, ChatResponse, RouteInfo
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.ports.clock import Clock
from switchboard.domain.usage import Usage


@dataclass(frozen=True, slots=True)
class _Planned:
    plan: CachePlan
    key: str


@dataclass(frozen=True, slots=True)
class _Lead:
    """The caller leads the flight for its key: it fetches, then lands the flight."""

    probe: Probe | None = None


class ChatCache:
    """The response cache as a step of chat calls on the call path: ``lookup`` (or
    ``lookup_stream``) before routing; the miss it returns is told how the call ended."""

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

    async def lookup(self, info: CallInfo[ChatRequest]) -> Cached[ChatResponse] | _Miss | None:
        """The cached answer (or a concurrent identical call's); else the miss to ``keep`` the
        fresh answer in; ``None`` when the cache has no part in this call."""
        planned = self._plan(info)
        if planned is None:
            return None
        claim = await self._claim(planned, info) if planned.plan.read else None
        if isinstance(claim, Entry):
            response = ChatResponse.model_validate_json(claim.body)
            response.route = _hit_route(claim, info)
            return Cached(response, response.usage)
        return _Miss(self, planned, claim, info.request)

    async def lookup_stream(self, info: CallInfo[ChatRequest]) -> Cached[ChatStream] | _StreamMiss | None:
        """The cached answer replayed as a stream; else the miss that records the stream and
        stores it once it has ended normally; ``None`` when the cache has no part in this call."""
        planned = self._plan(info)
        if planned is None:
            return None
        claim = await self._claim(planned, info) if planned.plan.read else None
        if isinstance(claim, Entry):
            return Cached(self._replay(claim, info))
        return _StreamMiss(self, planned, claim)

    # --- the steps -----------------------------------------------------------------------------

    def _plan(self, info: CallInfo[ChatRequest]) -> _Planned | None:
        plan = plan_call(self._policy, "chat", info.options.cache, info.ctx.principal)
        return None if plan is None else _Planned(plan, chat_key(plan.prefix, info.request))

    async def _claim(self, planned: _Planned, info: CallInfo[ChatRequest]) -> Entry | _Lead:
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

    def _replay(self, entry: Entry, info: CallInfo[ChatRequest]) -> ChatStream:
        response = ChatResponse.model_validate_json(entry.body)
        usage = response.usage or Usage()
        return ChatStream(
            None,
            pieces(chunks_of(response)),
            route=_hit_route(entry, info),
            wants_usage=info.request.wants_usage_chunk,
            estimate_usage=lambda _text: usage,
        )


class _Miss:
    """A chat answer the cache lacks: ``keep`` stores it, ``drop`` ends the flight without it."""

    __slots__ = ("_cache", "_claim", "_planned", "request")

    def __init__(self, cache: ChatCache, planned: _Planned, claim: _Lead | None, request: ChatRequest) -> None:
        self._cache, self._planned, self._claim, self.request = cache, planned, claim, request

    async def keep(self, response: ChatResponse) -> ChatResponse:
        route = response.route or RouteInfo()
        await self._cache._land(self._planned, self._claim, response, route.deployment_id, route.provider)
        return response

    def drop(self, error: BaseException) -> None:
        self._cache._abort(self._planned, self._claim, error)


class _StreamMiss:
    """A chat stream the cache lacks: recorded as it goes, stored if it ends normally."""

    __slots__ = ("_cache", "_claim", "_planned")

    def __init__(self, cache: ChatCache, planned: _Planned, claim: _Lead | None) -> None:
        self._cache, self._planned, self._claim = cache, planned, claim

    def watch(self, stream: ChatStream) -> None:
        stream.record()

    async def keep(self, stream: ChatStream, completed: bool) -> None:
        response = assemble(stream.recorded or ()) if completed else None
        if response is not None and response.usage is None:
            response.usage = stream.usage
        route = stream.route
        await self._cache._land(self._planned, self._claim, response, route.deployment_id, route.provider)

    def drop(self, error: BaseException) -> None:
        self._cache._abort(self._planned, self._claim, error)


def _hit_route(entry: Entry, info: CallInfo[ChatRequest]) -> RouteInfo:
    return RouteInfo(
        model_group=info.model_group,
        deployment_id=entry.deployment,
        provider=entry.provider,
        cache_hit=True,
        cost=0.0,
    )
