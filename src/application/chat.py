"""The chat use case: chat completions, whole or streamed, as one kind of call on the call path
(``application.call_path``: admit, route, settle).

What is chat's own: which parameters a deployment's provider takes (``drop_params``), how a
chat provider is asked (``complete``, ``stream``), the usage estimated when a provider reports
none, the cost, a ``mock_response`` answer, and the response cache.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import TYPE_CHECKING

from switchboard.application.call_kinds import First, first_of, pieces
from switchboard.application.call_path import CallPath
from switchboard.application.pricing import Pricing
from switchboard.application.streams import ChatStream
from switchboard.domain.caching.replay import chunks_of
from switchboard.domain.call_options import CallOptions, Timeouts, drops_unsupported
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse, Choice, ResponseMessage, RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.estimates import prompt_tokens
from switchboard.domain.params import enforce_supported
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.providers import ChatCall, ChatProvider, ProviderDirectory
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.usage import Usage

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from switchboard.application.caching.chat_cache import ChatCache


class ChatService:
    """Chat completions, streaming or not, through whichever deployment serves the model."""

    name: CallKind = "chat"

    def __init__(
        self,
        path: CallPath,
        providers: ProviderDirectory,
        tokens: TokenCounter,
        *,
        catalog: ModelCatalog | None = None,
        cache: ChatCache | None = None,
    ) -> None:
        self._path = path
        self._defaults = path.defaults
        self._providers = providers
        self._tokens = tokens
        self._pricing = Pricing(catalog)
        self.cache = cache  # None: no response cache
        self.stream_cache = cache
        self.count_prompt: Callable[[ChatRequest], int] | None = self._count_prompt

    async def complete(
        self, request: ChatRequest, ctx: CallContext, *, options: CallOptions | None = None
    ) -> ChatResponse:
        """One answer. Raises a ``domain.errors`` error when it cannot be had. ``options``: the
        request's gateway parameters, when the caller has parsed them already."""
        return await self._path.answer(self, request, ctx, options)

    def stream(
        self, request: ChatRequest, ctx: CallContext, *, options: CallOptions | None = None
    ) -> AbstractAsyncContextManager[ChatStream]:
        """An open stream. Errors before the first chunk raise on enter, before anything is sent.

        Leaving the context closes the upstream request, whether or not the stream was read to
        its end, and settles the call with what was streamed.
        """
        return self._path.stream(self, request, ctx, options)

    # --- chat as a kind of call ----------------------------------------------------------------

    def output_limit(self, request: ChatRequest) -> int | None:
        return request.output_limit

    def send(
        self, request: ChatRequest, info: CallInfo[ChatRequest], deployment: Deployment, timeouts: Timeouts
    ) -> Awaitable[ChatResponse]:
        provider = self._providers.chat(deployment.provider)
        return provider.complete(self._call(provider, request, info, deployment, timeouts))

    def account(
        self, info: CallInfo[ChatRequest], deployment: Deployment, response: ChatResponse
    ) -> tuple[Usage | None, float | None]:
        usage = response.usage
        if usage is None:
            usage = response.usage = self._estimate(info, response.text)
        return usage, self._pricing.chat_cost(deployment, usage)

    async def open(
        self, info: CallInfo[ChatRequest], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack
    ) -> First[ChatChunk]:
        provider = self._providers.chat(deployment.provider)
        return await first_of(provider.stream(self._call(provider, info.request, info, deployment, timeouts)), exits)

    def wrap(
        self, info: CallInfo[ChatRequest], opened: First[ChatChunk], route: RouteInfo, deployment: Deployment
    ) -> ChatStream:
        return ChatStream(
            opened.first,
            opened.rest,
            route=route,
            wants_usage=info.request.wants_usage_chunk,
            estimate_usage=lambda text: self._estimate(info, text),
            price=lambda usage: self._pricing.chat_cost(deployment, usage),
        )

    def mock(self, info: CallInfo[ChatRequest], deployment: Deployment, created: int) -> ChatResponse:
        message = ResponseMessage(content=info.options.mock_response)
        return ChatResponse(
            id=f"chatcmpl-mock-{info.ctx.request_id}",
            created=created,
            model=deployment.model,
            choices=[Choice(message=message)],
        )

    def mock_open(self, info: CallInfo[ChatRequest], deployment: Deployment, created: int) -> First[ChatChunk]:
        response = self.mock(info, deployment, created)
        response.usage = self._estimate(info, response.text)
        chunks = chunks_of(response)
        return First(chunks[0], pieces(chunks[1:]))

    def _call(
        self,
        provider: ChatProvider,
        request: ChatRequest,
        info: CallInfo[ChatRequest],
        deployment: Deployment,
        timeouts: Timeouts,
    ) -> ChatCall:
        """The request as ``deployment`` may receive it: without the parameters its provider
        cannot take (dropped, or refused with ``UnsupportedParameter``) and the gateway's own."""
        drop = drops_unsupported(deployment, self._defaults, info.options)
        supported = self._providers.chat_params(deployment.provider, deployment.model)
        sendable, dropped = enforce_supported(request, supported, provider=deployment.provider, drop=drop)
        if dropped:
            log.info(
                "dropped unsupported parameters",
                extra={"provider": deployment.provider, "deployment": deployment.id, "params": dropped},
            )
        return ChatCall(
            request=sendable,
            deployment=deployment,
            request_id=info.ctx.request_id,
            timeout=timeouts.total,
            idle_timeout=timeouts.idle,
        )

    def _count_prompt(self, request: ChatRequest) -> int:
        return prompt_tokens(request, self._tokens, request.model)

    def _estimate(self, info: CallInfo[ChatRequest], completion_text: str) -> Usage:
        """Usage when the provider reports none: the prompt (counted once per call) and the text."""
        return Usage.of(info.prompt_size(), self._tokens.count(completion_text, info.request.model))
