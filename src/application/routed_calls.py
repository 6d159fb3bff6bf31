"""What every use case beyond chat shares: admit the call (hooks), route it to a deployment,
settle it exactly once with what happened."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, Protocol, TypeVar

from switchboard.application.hooks import HookPipeline
from switchboard.application.router import Routed, Router
from switchboard.domain.calls import CallInfo, CallKind, CallOutcome
from switchboard.domain.chat import RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import InternalError, SwitchboardError, Timeout
from switchboard.domain.ports.clock import Clock
from switchboard.domain.routing.overrides import overrides_of
from switchboard.domain.usage import Usage

T = TypeVar("T")


class _Answer(Protocol):
    route: RouteInfo | None


class _Opened(Protocol):
    """What a stream's ``attempt`` opens: it holds the exit stack that closes the upstream."""

    @property
    def exits(self) -> AsyncExitStack: ...


A = TypeVar("A", bound=_Answer)
S = TypeVar("S", bound=_Opened)


class RoutedCalls:
    """Admission, routing, timeouts and settling for one kind of call."""

    def __init__(
        self,
        router: Router,
        clock: Clock,
        hooks: HookPipeline | None = None,
        timeout: float | None = 600.0,
        stream_timeout: float | None = None,
    ) -> None:
        self._router = router
        self._clock = clock
        self._hooks = hooks or HookPipeline()
        self._default_timeout = timeout
        self._default_stream_timeout = stream_timeout

    def info(self, kind: CallKind, request: Any, ctx: CallContext, *, stream: bool = False) -> CallInfo:
        return CallInfo(
            kind=kind,
            request=request,
            ctx=ctx,
            model_group=request.model,
            stream=stream,
            started=self._clock.monotonic(),
        )

    async def run(
        self,
        info: CallInfo,
        attempt: Callable[[Deployment], Awaitable[T]],
        usage: Callable[[T], Usage | None] = lambda _: None,
    ) -> Routed[T]:
        """Admit, run ``attempt`` on the deployment the router picks, settle; the routed result."""
        admission = await self._hooks.admit(info)
        outcome = CallOutcome(info=info)
        try:
            routed = await self._router.run(info, attempt)
            outcome.deployment, outcome.response, outcome.attempted = routed.deployment, routed.value, routed.attempted
            outcome.usage = usage(routed.value)
            return routed
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            outcome.completed = False
            raise
        finally:
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)

    async def answer(
        self,
        kind: CallKind,
        request: Any,
        ctx: CallContext,
        send: Callable[[Deployment, float | None], Awaitable[A]],
        usage: Callable[[A], Usage | None] = lambda _: None,
    ) -> A:
        """A call with one answer: admitted, ``send(deployment, timeout)`` run on the deployment
        the router picks within that deployment's timeout, settled; the answer knows its route."""

        asked = overrides_of(request).timeout

        async def attempt(deployment: Deployment) -> A:
            timeout = asked or self.timeout(deployment)
            return await within(timeout, deployment, send(deployment, timeout))

        routed = await self.run(self.info(kind, request, ctx), attempt, usage)
        routed.value.route = route_info(request.model, routed)
        return routed.value

    @asynccontextmanager
    async def streamed(
        self, info: CallInfo, attempt: Callable[[Deployment], Awaitable[S]], outcome: CallOutcome
    ) -> AsyncIterator[Routed[S]]:
        """A streamed call: admitted, opened by ``attempt`` on the deployment the router picks,
        and settled exactly once. A failure to open settles and raises here. Inside the block the
        caller records on ``outcome`` what was streamed (``completed``, ``usage``); leaving it
        closes the upstream (the opened value's ``exits``) and settles, completed only if no
        error ended the block."""
        admission = await self._hooks.admit(info)
        try:
            routed = await self._router.run(info, attempt)
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)
            raise
        outcome.deployment, outcome.attempted = routed.deployment, routed.attempted
        outcome.time_to_first_token = self._clock.monotonic() - info.started
        try:
            yield routed
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            raise
        finally:
            try:
                try:
                    await routed.value.exits.aclose()
                finally:
                    await routed.finish()  # the deployment no longer counts the stream in flight
            finally:
                outcome.completed = outcome.completed and outcome.error is None
                outcome.latency = self._clock.monotonic() - info.started
                await admission.settle(outcome)

    def timeout(self, deployment: Deployment) -> float | None:
        return deployment.timeout if deployment.timeout is not None else self._default_timeout

    def idle_timeout(self, deployment: Deployment) -> float | None:
        if deployment.stream_timeout is not None:
            return deployment.stream_timeout
        return self._default_stream_timeout


def route_info(model: str, routed: Routed[Any]) -> RouteInfo:
    return RouteInfo(
        model_group=model,
        deployment_id=routed.deployment.id,
        provider=routed.deployment.provider,
        attempted=list(routed.attempted),
    )


async def within(seconds: float | None, deployment: Deployment, work: Awaitable[T]) -> T:
    """``work``'s result, or ``Timeout`` naming the deployment when it takes longer than ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError as exc:
        raise timed_out(deployment, seconds) from exc


def timed_out(deployment: Deployment, seconds: float | None) -> Timeout:
    return Timeout(
        f"{deployment.provider} did not answer within {seconds:g}s; the request was cancelled.",
        provider=deployment.provider,
        deployment=deployment.id,
    )


def as_domain_error(exc: BaseException) -> SwitchboardError:
    if isinstance(exc, SwitchboardError):
        return exc
    if isinstance(exc, asyncio.CancelledError | GeneratorExit):
        return InternalError("the call was cancelled (the client went away)", code="cancelled")
    return InternalError(f"unexpected {type(exc).__name__}")
