"""The legacy completions use case.

A model group whose every deployment has a native ``/completions`` endpoint is served there:
a ``completions`` kind of call on the call path (``application.call_path``). Any other group
goes through the chat use case, each prompt as one user message (``domain.completion_bridge``);
that is then the chat call it is, with the request's gateway parameters as parsed here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from switchboard.application.call_kinds import First, first_of, pieces
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.pricing import Pricing
from switchboard.application.streams import CompletionStream
from switchboard.domain.call_options import CallOptions, Timeouts, drops_unsupported, options_of
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import RouteInfo, StreamOptions
from switchboard.domain.completion_bridge import (
    CompletionChunks,
    chat_request_for,
    completion_from_chat,
    text_prompts,
    unbridgeable_params,
)
from switchboard.domain.completions import (
    CompletionChoice,
    CompletionChunk,
    CompletionRequest,
    CompletionResponse,
)
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, ModelNotFound, UnsupportedParameter
from switchboard.domain.params import without
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.endpoints import CompletionCall, CompletionProvider, EndpointDirectory
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.usage import Usage


class CompletionService:
    """Legacy text completions, streaming or not, through whichever deployment serves the model."""

    name: CallKind = "completions"
    cache = None
    stream_cache = None

    def __init__(
        self,
        path: CallPath,
        providers: EndpointDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        *,
        catalog: ModelCatalog | None = None,
    ) -> None:
        self._path = path
        self._defaults = path.defaults
        self._providers = providers
        self._chat = chat
        self._tokens = tokens
        self._pricing = Pricing(catalog)
        self.count_prompt: Callable[[CompletionRequest], int] | None = self._count_prompt

    async def complete(self, request: CompletionRequest, ctx: CallContext) -> CompletionResponse:
        """One answer with every choice. Raises a ``domain.errors`` error when it cannot be had."""
        options = options_of(request)
        candidates = self._candidates(request.model)
        if self._native(candidates):
            return await self._path.answer(self, request, ctx, options)
        return await self._complete_through_chat(request, candidates, ctx, options)

    @asynccontextmanager
    async def stream(self, request: CompletionRequest, ctx: CallContext) -> AsyncIterator[CompletionStream]:
        """An open stream. Errors before the first chunk raise here; leaving closes the upstream
        and settles the call with what was streamed."""
        options = options_of(request)
        candidates = self._candidates(request.model)
        opened: AbstractAsyncContextManager[CompletionStream] = (
            self._path.stream(self, request, ctx, options)
            if self._native(candidates)
            else self._stream_through_chat(request, candidates, ctx, options)
        )
        async with opened as stream:
            yield stream

    # --- native completions as a kind of call --------------------------------------------------

    def output_limit(self, request: CompletionRequest) -> int | None:
        return request.max_tokens

    def send(
        self, request: CompletionRequest, info: CallInfo[CompletionRequest], deployment: Deployment, timeouts: Timeouts
    ) -> Awaitable[CompletionResponse]:
        return self._provider(deployment).complete_text(_call(request, info, deployment, timeouts))

    def account(
        self, info: CallInfo[CompletionRequest], deployment: Deployment, response: CompletionResponse
    ) -> tuple[Usage | None, float | None]:
        usage = response.usage
        if usage is None:
            usage = response.usage = self._estimate(info, "".join(c.text for c in response.choices))
        return usage, self._pricing.chat_cost(deployment, usage)

    async def open(
        self, info: CallInfo[CompletionRequest], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack
    ) -> First[CompletionChunk]:
        call = _call(info.request, info, deployment, timeouts)
        return await first_of(self._provider(deployment).stream_text(call), exits)

    def wrap(
        self,
        info: CallInfo[CompletionRequest],
        opened: First[CompletionChunk],
        route: RouteInfo,
        deployment: Deployment,
    ) -> CompletionStream:
        return CompletionStream(
            opened.first,
            opened.rest,
            route=route,
            wants_usage=info.request.wants_usage_chunk,
            estimate_usage=lambda text: self._estimate(info, text),
            price=lambda usage: self._pricing.chat_cost(deployment, usage),
        )

    def mock(self, info: CallInfo[CompletionRequest], deployment: Deployment, created: int) -> CompletionResponse:
        choice = CompletionChoice(text=info.options.mock_response or "", finish_reason="stop")
        return CompletionResponse(
            id=f"cmpl-mock-{info.ctx.request_id}", created=created, model=deployment.model, choices=[choice]
        )

    def mock_open(
        self, info: CallInfo[CompletionRequest], deployment: Deployment, created: int
    ) -> First[CompletionChunk]:
        response = self.mock(info, deployment, created)
        usage = self._estimate(info, response.text)
        chunk = CompletionChunk(id=response.id, created=created, model=response.model, choices=[CompletionChoice()])
        text = chunk.model_copy(update={"choices": [CompletionChoice(text=response.text)]})
        stop = chunk.model_copy(update={"choices": [CompletionChoice(finish_reason="stop")]})
        return First(text, pieces([stop, chunk.model_copy(update={"choices": [], "usage": usage})]))

    def _provider(self, deployment: Deployment) -> CompletionProvider:
        provider = self._providers.completions(deployment.provider)
        assert provider is not None  # the group was found native
        return provider

    def _count_prompt(self, request: CompletionRequest) -> int:
        model = request.model
        return sum(self._tokens.count(p, model) if isinstance(p, str) else len(p) for p in request.prompts)

    def _estimate(self, info: CallInfo[CompletionRequest], completion_text: str) -> Usage:
        return Usage.of(info.prompt_size(), self._tokens.count(completion_text, info.request.model))

    # --- through chat --------------------------------------------------------------------------

    def _candidates(self, model: str) -> Sequence[Deployment]:
        try:
            return self._path.candidates(model)
        except ModelNotFound:
            return ()  # served "natively": the call path admits it, and settles the 404

    def _native(self, candidates: Sequence[Deployment]) -> bool:
        return all(self._providers.completions(d.provider) is not None for d in candidates)

    async def _complete_through_chat(
        self, request: CompletionRequest, candidates: Sequence[Deployment], ctx: CallContext, options: CallOptions
    ) -> CompletionResponse:
        request = self._bridgeable(request, candidates[0], options)
        prompts = text_prompts(request)
        responses = await asyncio.gather(
            *(self._chat.complete(chat_request_for(request, prompt), ctx, options=options) for prompt in prompts)
        )
        response = completion_from_chat(request, prompts, responses)
        response.route = responses[0].route
        return response

    @asynccontextmanager
    async def _stream_through_chat(
        self, request: CompletionRequest, candidates: Sequence[Deployment], ctx: CallContext, options: CallOptions
    ) -> AsyncIterator[CompletionStream]:
        request = self._bridgeable(request, candidates[0], options)
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
        async with self._chat.stream(chat_request, ctx, options=options) as chat_stream:
            mapper = CompletionChunks(prompts[0], echo=bool(request.echo))

            async def chunks() -> AsyncIterator[CompletionChunk]:
                async for chunk in chat_stream:
                    if (mapped := mapper.feed(chunk)) is not None:
                        yield mapped

            model = request.model
            stream = CompletionStream(
                None,
                chunks(),
                route=chat_stream.route,
                wants_usage=request.wants_usage_chunk,
                estimate_usage=lambda text: Usage.of(self._count_prompt(request), self._tokens.count(text, model)),
            )
            try:
                yield stream
            finally:
                await stream.aclose()

    def _bridgeable(
        self, request: CompletionRequest, deployment: Deployment, options: CallOptions
    ) -> CompletionRequest:
        """``request`` without what chat cannot carry, or ``UnsupportedParameter`` naming it."""
        rejected = unbridgeable_params(request)
        if not rejected:
            return request
        if not drops_unsupported(deployment, self._defaults, options):
            raise UnsupportedParameter(
                f"{deployment.provider} has no native completions endpoint, and through chat "
                f"'{rejected[0]}' cannot be honoured. Remove it, or set drop_params: true.",
                param=rejected[0],
                provider=deployment.provider,
                code="unsupported_parameter",
            )
        return without(request, rejected)


def _call(
    request: CompletionRequest, info: CallInfo[CompletionRequest], deployment: Deployment, timeouts: Timeouts
) -> CompletionCall:
    return CompletionCall(
        request=request,
        deployment=deployment,
        request_id=info.ctx.request_id,
        timeout=timeouts.total,
        idle_timeout=timeouts.idle,
    )
