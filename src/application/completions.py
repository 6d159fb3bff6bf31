"""The legacy completions use case: a provider's native ``/completions`` where it has one, else
the chat use case with each prompt as one user message (``domain.completion_bridge``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from application.chat import ChatService, ChatSettings
from application.deployments import DeploymentDirectory
from domain.chat import RouteInfo, StreamOptions
from domain.completion_bridge import (
    CompletionChunks,
    chat_request_for,
    completion_from_chat,
    text_prompts,
    unbridgeable_params,
)
from domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from domain.context import CallContext
from domain.deployments import Deployment
from domain.errors import BadRequest, Timeout, UnsupportedParameter
from domain.params import without
from domain.ports.endpoints import CompletionCall, CompletionProvider, EndpointDirectory
from domain.ports.randomness import RandomSource
from domain.ports.tokens import TokenCounter
from domain.routing import weighted_pick
from domain.usage import Usage


class CompletionStream:
    """Completion chunks in order, with usage known at the end (the provider's, else an estimate).

    The usage-only chunk reaches the caller only if it asked (``stream_options.include_usage``).
    """

    __slots__ = ("_estimate", "_first", "_iterator", "_source", "_texts", "_wants_usage", "route", "usage")

    def __init__(
        self,
        first: CompletionChunk | None,
        source: AsyncIterator[CompletionChunk],
        *,
        route: RouteInfo,
        wants_usage: bool,
        estimate_usage: Callable[[str], Usage],
    ) -> None:
        self._first = first
        self._source = source
        self._wants_usage = wants_usage
        self._estimate = estimate_usage
        self._texts: list[str] = []
        self._iterator: AsyncGenerator[CompletionChunk, None] | None = None
        self.route = route
        self.usage: Usage | None = None

    def __aiter__(self) -> AsyncIterator[CompletionChunk]:
        if self._iterator is None:
            self._iterator = self._chunks()
        return self._iterator

    async def aclose(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()

    async def _chunks(self) -> AsyncGenerator[CompletionChunk, None]:
        last: CompletionChunk | None = None
        if self._first is not None:
            first, self._first = self._first, None
            if (out := self._admit(first)) is not None:
                last = out
                yield out
        async for chunk in self._source:
            if (out := self._admit(chunk)) is not None:
                last = out
                yield out
        if self.usage is None:
            self.usage = self._estimate("".join(self._texts))
            if self._wants_usage and last is not None:
                yield CompletionChunk(id=last.id, created=last.created, model=last.model, usage=self.usage)

    def _admit(self, chunk: CompletionChunk) -> CompletionChunk | None:
        if chunk.usage is not None:
            self.usage = chunk.usage
            if not self._wants_usage:
                if not chunk.choices:
                    return None
                chunk = chunk.model_copy(update={"usage": None})
        elif self.usage is None:
            self._texts.extend(choice.text for choice in chunk.choices if choice.text)
        return chunk


class CompletionService:
    """Legacy text completions, streaming or not, through whichever deployment serves the model."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        providers: EndpointDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        rng: RandomSource,
        settings: ChatSettings | None = None,
    ) -> None:
        self._directory = directory
        self._providers = providers
        self._chat = chat
        self._tokens = tokens
        self._rng = rng
        self._settings = settings or ChatSettings()

    async def complete(self, request: CompletionRequest, ctx: CallContext) -> CompletionResponse:
        """One answer with every choice. Raises a ``domain.errors`` error when it cannot be had."""
        deployment = weighted_pick(self._directory.candidates(request.model), self._rng)
        native = self._providers.completions(deployment.provider)
        if native is None:
            return await self._complete_through_chat(request, deployment, ctx)
        call = self._call(request, deployment, ctx)
        try:
            async with asyncio.timeout(call.timeout):
                response = await native.complete_text(call)
        except TimeoutError as exc:
            raise _timeout(deployment, call.timeout) from exc
        if response.usage is None:
            response.usage = self._estimate(request, "".join(c.text for c in response.choices))
        response.route = _route(request.model, deployment)
        return response

    @asynccontextmanager
    async def stream(self, request: CompletionRequest, ctx: CallContext) -> AsyncIterator[CompletionStream]:
        """An open stream. Errors before the first chunk raise here; leaving closes the upstream."""
        deployment = weighted_pick(self._directory.candidates(request.model), self._rng)
        native = self._providers.completions(deployment.provider)
        async with AsyncExitStack() as upstream:
            if native is None:
                stream = await upstream.enter_async_context(
                    self._stream_through_chat(request, deployment, ctx)
                )
            else:
                stream = await self._open_native(native, request, deployment, ctx, upstream)
            upstream.push_async_callback(stream.aclose)
            yield stream

    async def _open_native(
        self,
        native: CompletionProvider,
        request: CompletionRequest,
        deployment: Deployment,
        ctx: CallContext,
        upstream: AsyncExitStack,
    ) -> CompletionStream:
        call = self._call(request, deployment, ctx)
        try:
            async with asyncio.timeout(call.timeout):
                chunks = await upstream.enter_async_context(native.stream_text(call))
                first = await anext(chunks, None)
        except TimeoutError as exc:
            raise _timeout(deployment, call.timeout) from exc
        return CompletionStream(
            first,
            chunks,
            route=_route(request.model, deployment),
            wants_usage=request.wants_usage_chunk,
            estimate_usage=lambda text: self._estimate(request, text),
        )

    async def _complete_through_chat(
        self, request: CompletionRequest, deployment: Deployment, ctx: CallContext
    ) -> CompletionResponse:
        request = self._bridgeable(request, deployment)
        prompts = text_prompts(request)
        responses = await asyncio.gather(
            *(self._chat.complete(chat_request_for(request, prompt), ctx) for prompt in prompts)
        )
        response = completion_from_chat(request, prompts, responses)
        response.route = responses[0].route
        return response

    @asynccontextmanager
    async def _stream_through_chat(
        self, request: CompletionRequest, deployment: Deployment, ctx: CallContext
    ) -> AsyncIterator[CompletionStream]:
        request = self._bridgeable(request, deployment)
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

            yield CompletionStream(
                None,
                chunks(),
                route=chat_stream.route,
                wants_usage=request.wants_usage_chunk,
                estimate_usage=lambda text: self._estimate(request, text),
            )

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
        timeout = deployment.timeout if deployment.timeout is not None else self._settings.timeout
        idle = (
            deployment.stream_timeout
            if deployment.stream_timeout is not None
            else self._settings.stream_timeout
        )
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


def _route(model: str, deployment: Deployment) -> RouteInfo:
    return RouteInfo(model_group=model, deployment_id=deployment.id, provider=deployment.provider)


def _timeout(deployment: Deployment, seconds: float | None) -> Timeout:
    return Timeout(
        f"{deployment.provider} did not answer within {seconds:g}s; the request was cancelled.",
        provider=deployment.provider,
        deployment=deployment.id,
    )
