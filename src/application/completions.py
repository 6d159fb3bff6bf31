"""The legacy completions use case.

A model group whose every deployment has a native ``/completions`` endpoint is served there
(admitted, routed and settled as a ``completions`` call). Any other group goes through the chat
use case, each prompt as one user message (``domain.completion_bridge``); the chat use case then
admits, routes and settles it as the chat call it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from switchboard.application.chat import ChatService, ChatSettings
from switchboard.application.hooks import HookPipeline
from switchboard.application.routed_calls import RoutedCalls, route_info, timed_out, within
from switchboard.application.router import Router
from switchboard.application.streams import CompletionStream
from switchboard.domain.calls import CallOutcome
from switchboard.domain.chat import StreamOptions
from switchboard.domain.completion_bridge import (
    CompletionChunks,
    chat_request_for,
    completion_from_chat,
    text_prompts,
    unbridgeable_params,
)
from switchboard.domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, UnsupportedParameter
from switchboard.domain.params import without
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.endpoints import CompletionCall, EndpointDirectory
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.usage import Usage


@dataclass(slots=True)
class _OpenStream:
    exits: AsyncExitStack
    first: CompletionChunk | None
    chunks: AsyncIterator[CompletionChunk]


class CompletionService:
    """Legacy text completions, streaming or not, through whichever deployment serves the model."""

    def __init__(
        self,
        router: Router,
        providers: EndpointDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        clock: Clock,
        hooks: HookPipeline | None = None,
        settings: ChatSettings | None = None,
    ) -> None:
        self._settings = settings or ChatSettings()
        self._calls = RoutedCalls(router, clock, hooks, self._settings.timeout, self._settings.stream_timeout)
        self._router = router
        self._providers = providers
        self._chat = chat
        self._tokens = tokens

    async def complete(self, request: CompletionRequest, ctx: CallContext) -> CompletionResponse:
        """One answer with every choice. Raises a ``domain.errors`` error when it cannot be had."""
        candidates = self._router.candidates(request.model)
        if not self._native(candidates):
            return await self._complete_through_chat(request, candidates, ctx)
        info = self._calls.info("completions", request, ctx)
        routed = await self._calls.run(info, lambda d: self._complete_on(request, d, ctx), lambda r: r.usage)
        response = routed.value
        response.route = route_info(request.model, routed)
        return response

    @asynccontextmanager
    async def stream(self, request: CompletionRequest, ctx: CallContext) -> AsyncIterator[CompletionStream]:
        """An open stream. Errors before the first chunk raise here; leaving closes the upstream
        and settles the call with what was streamed."""
        candidates = self._router.candidates(request.model)
        if not self._native(candidates):
            async with self._stream_through_chat(request, candidates, ctx) as stream:
                yield stream
            return
        info = self._calls.info("completions", request, ctx, stream=True)
        outcome = CallOutcome(info=info, completed=False)
        async with self._calls.streamed(info, lambda d: self._open_on(request, d, ctx), outcome) as routed:
            opened = routed.value
            stream = CompletionStream(
                opened.first,
                opened.chunks,
                route=route_info(request.model, routed),
                wants_usage=request.wants_usage_chunk,
                estimate_usage=lambda text: self._estimate(request, text),
            )
            try:
                yield stream
            finally:
                try:
                    await stream.aclose()
                finally:
                    outcome.completed = stream.completed
                    outcome.usage = stream.settle_usage()

    def _native(self, candidates: Sequence[Deployment]) -> bool:
        return all(self._providers.completions(d.provider) is not None for d in candidates)

    async def _complete_on(
        self, request: CompletionRequest, deployment: Deployment, ctx: CallContext
    ) -> CompletionResponse:
        call = self._call(request, deployment, ctx)
        provider = self._providers.completions(deployment.provider)
        assert provider is not None  # the group was found native
        response = await within(call.timeout, deployment, provider.complete_text(call))
        if response.usage is None:
            response.usage = self._estimate(request, "".join(c.text for c in response.choices))
        return response

    async def _open_on(self, request: CompletionRequest, deployment: Deployment, ctx: CallContext) -> _OpenStream:
        call = self._call(request, deployment, ctx)
        provider = self._providers.completions(deployment.provider)
        assert provider is not None  # the group was found native
        exits = AsyncExitStack()
        try:
            async with asyncio.timeout(call.timeout):
                chunks = await exits.enter_async_context(provider.stream_text(call))
                first = await anext(chunks, None)
        except BaseException as exc:
            await exits.aclose()
            if isinstance(exc, TimeoutError):
                raise timed_out(deployment, call.timeout) from exc
            raise
        return _OpenStream(exits, first, chunks)

    async def _complete_through_chat(
        self, request: CompletionRequest, candidates: Sequence[Deployment], ctx: CallContext
    ) -> CompletionResponse:
        request = self._bridgeable(request, candidates[0])
        prompts = text_prompts(request)
        responses = await asyncio.gather(
            *(self._chat.complete(chat_request_for(request, prompt), ctx) for prompt in prompts)
        )
        response = completion_from_chat(request, prompts, responses)
        response.route = responses[0].route
        return response

    @asynccontextmanager
    async def _stream_through_chat(
        self, request: CompletionRequest, candidates: Sequence[Deployment], ctx: CallContext
    ) -> AsyncIterator[CompletionStream]:
        request = self._bridgeable(request, candidates[0])
        prompts = text_prompts(request)
        if len(prompts) != 1:
            raise BadRequest(
                "Streaming several prompts needs a model with a native completions endpoint; "
                "send one prompt per request.",
                param="prompt",
            )
        # Ask chat for the usage chunk always: the completion stream decides what the caller sees.
        chat_request = chat_request_for(request, prompts[0]).model_copy(
            update={"stream": True, "stream_options": StreamOptions(include_usage=True)}
        )
        async with self._chat.stream(chat_request, ctx) as chat_stream:
            mapper = CompletionChunks(prompts[0], echo=bool(request.echo))

            async def chunks() -> AsyncIterator[CompletionChunk]:
                async for chunk in chat_stream:
                    if (mapped := mapper.feed(chunk)) is not None:
                        yield mapped

            stream = CompletionStream(
                None,
                chunks(),
                route=chat_stream.route,
                wants_usage=request.wants_usage_chunk,
                estimate_usage=lambda text: self._estimate(request, text),
            )
            try:
                yield stream
            finally:
                await stream.aclose()

    def _bridgeable(self, request: CompletionRequest, deployment: Deployment) -> CompletionRequest:
        """``request`` without what chat cannot carry, or ``UnsupportedParameter`` naming it."""
        rejected = unbridgeable_params(request)
        if not rejected:
            return request
        if not self._drop(request, deployment):
            raise UnsupportedParameter(
                f"{deployment.provider} has no native completions endpoint, and through chat "
                f"'{rejected[0]}' cannot be honoured. Remove it, or set drop_params: true.",
                param=rejected[0],
                provider=deployment.provider,
                code="unsupported_parameter",
            )
        return without(request, rejected)

    def _drop(self, request: CompletionRequest, deployment: Deployment) -> bool:
        if request.model_extra and request.model_extra.get("drop_params") is not None:
            return bool(request.model_extra["drop_params"])
        if deployment.drop_params is not None:
            return deployment.drop_params
        return self._settings.drop_params

    def _call(self, request: CompletionRequest, deployment: Deployment, ctx: CallContext) -> CompletionCall:
        timeout = self._calls.timeout(deployment)
        idle = self._calls.idle_timeout(deployment)
        stream = bool(request.stream)
        if stream and idle is not None:
            timeout = idle if timeout is None else min(timeout, idle)
        return CompletionCall(
            request=request,
            deployment=deployment,
            request_id=ctx.request_id,
            timeout=timeout,
            idle_timeout=idle if stream else None,
        )

    def _estimate(self, request: CompletionRequest, completion_text: str) -> Usage:
        model = request.model
        prompt = sum(self._tokens.count(p, model) if isinstance(p, str) else len(p) for p in request.prompts)
        return Usage.of(prompt, self._tokens.count(completion_text, model))
