"""The chat use case: admit the call, route it to a deployment, call its provider, settle.

    admit (hooks: limits, budgets, guardrails) -> router.run(attempt per deployment)
    -> usage (estimated if the provider gave none) -> settle (hooks' post_call, event sinks)

Every admitted call is settled exactly once, whether it succeeds, fails, or (for a stream) the
caller leaves early.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from switchboard.application.hooks import Admission, HookPipeline
from switchboard.application.pricing import Pricing
from switchboard.application.routed_calls import as_domain_error, route_info, timed_out, within
from switchboard.application.router import Router
from switchboard.application.streams import ChatStream
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.estimates import prompt_tokens
from switchboard.domain.params import enforce_supported
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.providers import ChatCall, ProviderDirectory
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.routing.overrides import overrides_of
from switchboard.domain.usage import Usage

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from switchboard.application.caching.chat_cache import ChatCache


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """Gateway-wide defaults; a deployment's own values win."""

    timeout: float | None = 600.0
    stream_timeout: float | None = None
    drop_params: bool = False


@dataclass(slots=True)
class _OpenStream:
    """A provider stream whose first chunk has arrived; ``exits`` closes it."""

    exits: AsyncExitStack
    first: ChatChunk | None
    chunks: AsyncIterator[ChatChunk]
    call: ChatCall
    first_at: float


class ChatService:
    """Chat completions, streaming or not, through whichever deployment serves the model."""

    def __init__(
        self,
        router: Router,
        providers: ProviderDirectory,
        tokens: TokenCounter,
        clock: Clock,
        hooks: HookPipeline | None = None,
        settings: ChatSettings = ChatSettings(),
        catalog: ModelCatalog | None = None,
        *,
        cache: ChatCache | None = None,
    ) -> None:
        self._router = router
        self._providers = providers
        self._tokens = tokens
        self._clock = clock
        self._hooks = hooks or HookPipeline()
        self._settings = settings
        self._pricing = Pricing(catalog)
        self._cache = cache  # None: no response cache

    async def complete(self, request: ChatRequest, ctx: CallContext) -> ChatResponse:
        """One answer. Raises a ``domain.errors`` error when it cannot be had."""
        info = self._info(request, ctx)
        admission = await self._hooks.admit(info)
        outcome = CallOutcome(info=info)
        try:
            if self._cache is not None:
                return await self._cache.complete(info, outcome, lambda: self._complete_routed(request, ctx, outcome))
            return await self._complete_routed(request, ctx, outcome)
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            outcome.completed = False
            raise
        finally:
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)

    async def _complete_routed(self, request: ChatRequest, ctx: CallContext, outcome: CallOutcome) -> ChatResponse:
        routed = await self._router.run(outcome.info, lambda d: self._complete_on(request, d, ctx))
        response = routed.value
        if response.usage is None:
            response.usage = self._estimate(request, response.text)
        response.route = route_info(request.model, routed)
        response.route.cost = self._pricing.chat_cost(routed.deployment, response.usage)
        outcome.deployment, outcome.usage, outcome.response = routed.deployment, response.usage, response
        outcome.attempted = routed.attempted
        return response

    @asynccontextmanager
    async def stream(self, request: ChatRequest, ctx: CallContext) -> AsyncIterator[ChatStream]:
        """An open stream. Errors before the first chunk raise here, before anything is sent.

        Leaving the context closes the upstream request, whether or not the stream was read to
        its end, and settles the call with what was streamed.
        """
        info = self._info(request, ctx)
        admission = await self._hooks.admit(info)
        outcome = CallOutcome(info=info, completed=False)

        def routed() -> AbstractAsyncContextManager[ChatStream]:
            return self._stream_routed(request, ctx, admission, outcome)

        opened = routed() if self._cache is None else self._cache.stream(info, outcome, admission, routed)
        async with opened as stream:
            yield stream

    @asynccontextmanager
    async def _stream_routed(
        self, request: ChatRequest, ctx: CallContext, admission: Admission, outcome: CallOutcome
    ) -> AsyncIterator[ChatStream]:
        info = outcome.info
        try:
            routed = await self._router.run(info, lambda d: self._open_on(request, d, ctx))
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)
            raise
        opened = routed.value
        outcome.deployment, outcome.attempted = routed.deployment, routed.attempted
        outcome.time_to_first_token = opened.first_at - info.started
        stream = ChatStream(
            opened.first,
            opened.chunks,
            route=route_info(request.model, routed),
            wants_usage=request.wants_usage_chunk,
            estimate_usage=lambda text: self._estimate(opened.call.request, text),
            price=lambda usage: self._pricing.chat_cost(routed.deployment, usage),
        )
        try:
            yield stream
        except BaseException as exc:
            outcome.error = as_domain_error(exc)
            raise
        finally:
            await self._close_stream(stream, opened, outcome, admission, routed.finish)

    async def _close_stream(
        self,
        stream: ChatStream,
        opened: _OpenStream,
        outcome: CallOutcome,
        admission: Admission,
        finish: Callable[[], Awaitable[None]],
    ) -> None:
        try:
            try:
                await stream.aclose()
                await opened.exits.aclose()
            finally:
                await finish()  # the deployment no longer counts the stream in flight
        finally:
            outcome.completed = stream.completed and outcome.error is None
            outcome.usage = stream.settle_usage()
            outcome.cost = stream.route.cost
            outcome.extra["completion_text"] = stream.text  # what the event sinks log as the answer
            outcome.latency = self._clock.monotonic() - outcome.info.started
            await admission.settle(outcome)

    async def _complete_on(self, request: ChatRequest, deployment: Deployment, ctx: CallContext) -> ChatResponse:
        call = self._call(request, deployment, ctx)
        provider = self._providers.chat(deployment.provider)
        return await within(call.timeout, deployment, provider.complete(call))

    async def _open_on(self, request: ChatRequest, deployment: Deployment, ctx: CallContext) -> _OpenStream:
        call = self._call(request, deployment, ctx)
        provider = self._providers.chat(deployment.provider)
        exits = AsyncExitStack()
        try:
            async with asyncio.timeout(call.timeout):
                chunks = await exits.enter_async_context(provider.stream(call))
                first = await anext(chunks, None)
        except BaseException as exc:
            await exits.aclose()
            if isinstance(exc, TimeoutError):
                raise timed_out(deployment, call.timeout) from exc
            raise
        return _OpenStream(exits, first, chunks, call, self._clock.monotonic())

    def _info(self, request: ChatRequest, ctx: CallContext) -> CallInfo:
        tokens = self._tokens
        return CallInfo(
            kind="chat",
            request=request,
            ctx=ctx,
            model_group=request.model,
            max_output_tokens=request.output_limit,
            stream=bool(request.stream),
            started=self._clock.monotonic(),
            estimate=lambda: prompt_tokens(request, tokens, request.model),
        )

    def _call(self, request: ChatRequest, deployment: Deployment, ctx: CallContext) -> ChatCall:
        drop = deployment.drop_params if deployment.drop_params is not None else self._settings.drop_params
        if request.model_extra and request.model_extra.get("drop_params") is not None:
            drop = bool(request.model_extra["drop_params"])
        supported = self._providers.chat_params(deployment.provider, deployment.model)
        sendable, dropped = enforce_supported(request, supported, provider=deployment.provider, drop=drop)
        if dropped:
            log.info(
                "dropped unsupported parameters",
                extra={"provider": deployment.provider, "deployment": deployment.id, "params": dropped},
            )
        stream = bool(request.stream)
        asked = overrides_of(request)
        timeout = deployment.timeout if deployment.timeout is not None else self._settings.timeout
        timeout = asked.timeout or timeout
        idle = deployment.stream_timeout if deployment.stream_timeout is not None else self._settings.stream_timeout
        idle = asked.stream_timeout or idle
        if stream and idle is not None:
            timeout = idle if timeout is None else min(timeout, idle)
        return ChatCall(
            request=sendable,
            deployment=deployment,
            request_id=ctx.request_id,
            timeout=timeout,
            idle_timeout=idle if stream else None,
        )

    def _estimate(self, request: ChatRequest, completion_text: str) -> Usage:
        model = request.model
        return Usage.of(prompt_tokens(request, self._tokens, model), self._tokens.count(completion_text, model))
