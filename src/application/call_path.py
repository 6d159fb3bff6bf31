"""The one path every call takes through the gateway, whatever its kind:

    options: the request's gateway parameters, parsed once (a malformed one: 400, nothing admitted)
    -> admit: every hook's pre_call (access, limits, budgets, guardrails)
    -> cache lookup, for a kind with a cache (a hit skips routing)
    -> route: the router picks a deployment, retries, falls back; each attempt runs within the
       timeouts of ``call_timeouts``, or answers the request's ``mock_response`` without an upstream
    -> account: usage (the provider's, else estimated) and cost
    -> cache store
    -> settle once: every hook's post_call, then every event sink, with one ``CallOutcome``

What differs between kinds (chat, legacy completions, embeddings, images, transcriptions,
speech) is described by the kind (``application.call_kinds``); the services are kinds with the
public methods the inbound adapters call.

The promises, for every kind: an admitted call is settled exactly once, whether it succeeds,
fails, is refused by a later hook, or (a stream) is left early; a failed call's outcome carries
the deployment tried last and every attempt; a stream falls back only before its first piece;
leaving a stream closes the upstream, ends the deployment's in-flight count (``Routed.finish``)
and settles with what was streamed; a caller that goes away is recorded as ``cancelled``, or as
``ClientAborted`` (status ``client_aborted``) when the inbound adapter says its client disconnected
(it cancels the call with ``CLIENT_LEFT``): the slot and the reservation are released, and the
call is charged what it used (a stream: what was delivered; an answer not received: nothing).

When every deployment fails, the caller gets the error that ended the call (``RateLimited``,
``Timeout``, ``ProviderUnavailable``...), chained from the router's ``AllDeploymentsFailed``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias

from switchboard.application.call_kinds import (
    AnswerKind,
    Cached,
    Kind,
    MockAnswers,
    MockStreams,
    O,
    PendingAnswer,
    PendingStream,
    Q,
    R,
    S,
    StreamKind,
)
from switchboard.application.hooks import Admission, HookPipeline
from switchboard.application.router import Routed, Router
from switchboard.domain.call_options import CallDefaults, CallOptions, Timeouts, call_timeouts, options_of
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    ClientAborted,
    InternalError,
    SwitchboardError,
    Timeout,
    client_left,
)
from switchboard.domain.ports.clock import Clock
from switchboard.domain.usage import Usage

Answered: TypeAlias = tuple[R, Usage | None, float | None]
"""One attempt's answer, the usage it is charged and its cost (a plain tuple: one per call)."""


def _answered_usage(answered: Answered[Any]) -> Usage | None:
    return answered[1]


@dataclass(slots=True)
class Opened(Generic[O]):
    """What a stream attempt opened, and the exit stack that closes its upstream."""

    exits: AsyncExitStack
    value: O
    first_at: float  # monotonic seconds


class CallPath:
    """Admission, routing, timeouts and settling, for every kind of call."""

    def __init__(
        self,
        router: Router,
        clock: Clock,
        hooks: HookPipeline | None = None,
        defaults: CallDefaults = CallDefaults(),  # noqa: B008 - a frozen value
    ) -> None:
        self._router = router
        self._clock = clock
        self._hooks = hooks or HookPipeline()
        self._defaults = defaults

    @property
    def defaults(self) -> CallDefaults:
        return self._defaults

    def candidates(self, model: str) -> Sequence[Deployment]:
        """The deployments that may serve ``model``; raises ``ModelNotFound``."""
        return self._router.candidates(model)

    async def answer(
        self, kind: AnswerKind[Q, R], request: Q, ctx: CallContext, options: CallOptions | None = None
    ) -> R:
        """One whole answer to ``request``, or the ``domain.errors`` error why not. ``options``:
        the request's gateway parameters when the caller has parsed them already."""
        info = self._info(kind, request, ctx, options, stream=False)
        admission = await self._hooks.admit(info)
        attempts = _Answers(self, kind, info)
        pending: PendingAnswer[Q, R] | None = None
        outcome: CallOutcome[Q, R]
        try:
            cache = kind.cache
            if cache is not None:
                found = await cache.lookup(info)
                if isinstance(found, Cached):
                    hit: Cached[R] = found
                    latency = self._clock.monotonic() - info.started
                    outcome = CallOutcome.cached(info, hit.value, usage=hit.usage, latency=latency)
                    return hit.value
                if found is not None:
                    pending = found
                    attempts.request = found.request
            routed = await self._router.run(info, attempts.attempt, _answered_usage, gate=admission.gate(info))
            response, usage, cost = routed.value
            deployment = routed.deployment
            response.route = RouteInfo(
                info.model_group, deployment.id, deployment.provider, list(routed.attempted), cost=cost
            )
            if pending is not None:
                response = await pending.keep(response)
            outcome = CallOutcome.answered(
                info,
                response,
                deployment=deployment,
                usage=usage,
                cost=cost,
                attempted=routed.attempted,
                latency=self._clock.monotonic() - info.started,
            )
            return response
        except AllDeploymentsFailed as failed:
            outcome = self._failed(info, failed.last, attempts, failed)
            if pending is not None:
                pending.drop(failed.last)
            raise failed.last from failed
        except BaseException as exc:
            outcome = self._failed(info, as_domain_error(exc), attempts)
            if pending is not None:
                pending.drop(exc)
            raise
        finally:
            await admission.settle(outcome)

    @asynccontextmanager
    async def stream(
        self, kind: StreamKind[Q, O, S], request: Q, ctx: CallContext, options: CallOptions | None = None
    ) -> AsyncIterator[S]:
        """An open stream. Errors before its first piece raise here, before anything reaches the
        caller; leaving the block closes the upstream and settles the call with what was streamed."""
        info = self._info(kind, request, ctx, options, stream=True)
        admission = await self._hooks.admit(info)
        opened = await self._open(kind, info, _Opens(self, kind, info), admission)
        error: BaseException | None = None
        try:
            yield opened.stream
        except BaseException as exc:
            error = exc
            raise
        finally:
            await self._close(opened, info, admission, error)

    # --- the steps -------------------------------------------------------------------------------

    def _info(
        self, kind: Kind[Q], request: Q, ctx: CallContext, options: CallOptions | None, *, stream: bool
    ) -> CallInfo[Q]:
        options = options_of(request) if options is None else options
        started = self._clock.monotonic()
        timeout = options.timeout if options.timeout is not None else self._defaults.timeout
        return CallInfo(
            kind=kind.name,
            request=request,
            ctx=ctx,
            model_group=request.model,
            options=options,
            max_output_tokens=kind.output_limit(request),
            stream=stream,
            started=started,
            deadline=started + timeout if timeout is not None else None,
            counter=kind.count_prompt,
        )

    async def _open(
        self, kind: StreamKind[Q, O, S], info: CallInfo[Q], attempts: _Opens[Q, O], admission: Admission
    ) -> _OpenStream[S]:
        """The stream to hand over: a cached answer replayed, or a deployment's stream. A failure
        settles the call and raises."""
        pending: PendingStream[S] | None = None
        try:
            cache = kind.stream_cache
            if cache is not None:
                found = await cache.lookup_stream(info)
                if isinstance(found, Cached):
                    replay: Cached[S] = found
                    return _OpenStream(replay.value, None, None, self._clock.monotonic())
                pending = found
            routed = await self._router.run(info, attempts.attempt, gate=admission.gate(info))
        except AllDeploymentsFailed as failed:
            await admission.settle(self._failed(info, failed.last, attempts, failed))
            if pending is not None:
                pending.drop(failed.last)
            raise failed.last from failed
        except BaseException as exc:
            await admission.settle(self._failed(info, as_domain_error(exc), attempts))
            if pending is not None:
                pending.drop(exc)
            raise
        deployment = routed.deployment
        route = RouteInfo(info.model_group, deployment.id, deployment.provider, list(routed.attempted))
        stream = kind.wrap(info, routed.value.value, route, deployment)
        if pending is not None:
            pending.watch(stream)
        return _OpenStream(stream, routed, pending, routed.value.first_at)

    async def _close(
        self, opened: _OpenStream[S], info: CallInfo[Any], admission: Admission, error: BaseException | None
    ) -> None:
        """Close the stream and its upstream, end the deployment's in-flight count, settle once,
        then tell the cache."""
        stream, routed = opened.stream, opened.routed
        try:
            try:
                await stream.aclose()
                if routed is not None:
                    await routed.value.exits.aclose()
            finally:
                if routed is not None:
                    await routed.finish()  # the deployment no longer counts the stream in flight
        except BaseException as exc:
            error = error or exc
            raise
        finally:
            completed = stream.completed and error is None
            outcome: CallOutcome[Any, Any] = CallOutcome.streamed(
                info,
                deployment=routed.deployment if routed is not None else None,
                attempted=routed.attempted if routed is not None else (),
                usage=stream.settle_usage(),
                cost=stream.route.cost if routed is not None else 0.0,
                text=stream.text,
                completed=completed,
                error=as_domain_error(error) if error is not None else None,
                latency=self._since(info),
                time_to_first_token=opened.first_at - info.started,
                cache_hit=routed is None,
            )
            try:
                await admission.settle(outcome)
            finally:
                pending = opened.pending
                if pending is not None:
                    if error is None:
                        await pending.keep(stream, completed)
                    else:
                        pending.drop(error)

    def _failed(
        self,
        info: CallInfo[Q],
        error: SwitchboardError,
        attempts: _Attempts[Q],
        failed: AllDeploymentsFailed | None = None,
    ) -> CallOutcome[Q, Any]:
        return CallOutcome.failed(
            info,
            error,
            deployment=attempts.deployment,
            attempted=failed.attempted if failed is not None else (),
            latency=self._since(info),
        )

    def _since(self, info: CallInfo[Any]) -> float:
        return self._clock.monotonic() - info.started  # seconds since the call started


@dataclass(slots=True)
class _OpenStream(Generic[S]):
    stream: S
    routed: Routed[Opened[Any]] | None  # None: replayed from the cache
    pending: PendingStream[S] | None
    first_at: float


class _Attempts(Generic[Q]):
    """One call's attempts, as the router runs them: each on one deployment, within that
    deployment's timeouts. Remembers the deployment tried last (a failed call's outcome names it).
    (The subclasses set every slot themselves: a ``super().__init__`` costs a microsecond a call.)"""

    __slots__ = ("_clock", "_defaults", "_info", "deployment")

    _info: CallInfo[Q]
    _defaults: CallDefaults
    _clock: Clock
    deployment: Deployment | None


class _Answers(_Attempts[Q], Generic[Q, R]):
    __slots__ = ("_kind", "request")

    def __init__(self, path: CallPath, kind: AnswerKind[Q, R], info: CallInfo[Q]) -> None:
        self._info, self._defaults, self._clock, self.deployment = info, path._defaults, path._clock, None
        self._kind = kind
        self.request = info.request  # what to ask upstream: the cache may leave only a part of it

    async def attempt(self, deployment: Deployment) -> Answered[R]:
        self.deployment = deployment
        kind, info = self._kind, self._info
        if info.options.mock_response is not None and isinstance(kind, MockAnswers):
            response: R = kind.mock(info, deployment, int(self._clock.now()))
        else:
            timeouts = _within(call_timeouts(deployment, self._defaults, info.options, False), info, self._clock)
            try:
                async with asyncio.timeout(timeouts.total):
                    response = await kind.send(self.request, info, deployment, timeouts)
            except TimeoutError as exc:
                raise timed_out(deployment, timeouts.total) from exc
        usage, cost = kind.account(info, deployment, response)
        return response, usage, cost


class _Opens(_Attempts[Q], Generic[Q, O]):
    __slots__ = ("_kind",)

    def __init__(self, path: CallPath, kind: StreamKind[Q, O, Any], info: CallInfo[Q]) -> None:
        self._info, self._defaults, self._clock, self.deployment = info, path._defaults, path._clock, None
        self._kind = kind

    async def attempt(self, deployment: Deployment) -> Opened[O]:
        self.deployment = deployment
        kind, info, clock = self._kind, self._info, self._clock
        exits = AsyncExitStack()
        if info.options.mock_response is not None and isinstance(kind, MockStreams):
            mocked: O = kind.mock_open(info, deployment, int(clock.now()))
            return Opened(exits, mocked, clock.monotonic())
        timeouts = _within(call_timeouts(deployment, self._defaults, info.options, True), info, clock)
        try:
            async with asyncio.timeout(timeouts.total):
                value = await kind.open(info, deployment, timeouts, exits)
        except BaseException as exc:
            await exits.aclose()
            if isinstance(exc, TimeoutError):
                raise timed_out(deployment, timeouts.total) from exc
            raise
        return Opened(exits, value, clock.monotonic())


def _within(timeouts: Timeouts, info: CallInfo[Any], clock: Clock) -> Timeouts:
    """An attempt's timeouts, cut to what is left of the whole call's deadline."""
    if info.deadline is None:
        return timeouts
    left = max(info.deadline - clock.monotonic(), 0.001)
    if timeouts.total is not None and timeouts.total <= left:
        return timeouts
    return Timeouts(left, timeouts.idle)


def timed_out(deployment: Deployment, seconds: float | None) -> Timeout:
    return Timeout(
        f"{deployment.provider} did not answer within {seconds:g}s; the request was cancelled.",
        provider=deployment.provider,
        deployment=deployment.id,
    )


def as_domain_error(exc: BaseException) -> SwitchboardError:
    """What a settled outcome records for an exception."""
    if isinstance(exc, SwitchboardError):
        return exc
    if client_left(exc):
        return ClientAborted()
    if isinstance(exc, asyncio.CancelledError | GeneratorExit):
        return InternalError("the call was cancelled (the client went away)", code="cancelled")
    return InternalError(f"unexpected {type(exc).__name__}")
