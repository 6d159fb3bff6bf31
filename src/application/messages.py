"""The Anthropic Messages use case: ``POST /v1/messages`` (whole or streamed) and
``/v1/messages/count_tokens``, each a kind of call on the call path (``application.call_path``:
admit, route, retry and fall back before the first byte, settle once).

Each attempt picks its way by the deployment it runs on:

- a provider that speaks Messages natively (``MessagesDirectory.messages``) is sent the caller's
  body as it came (``domain.anthropic_messages.native``), and its answer is relayed as bytes,
  read only for usage and text (``MessagesMeter``);
- any other provider goes through the chat kind (``ChatService.send`` / ``open``: the same
  parameter checks, usage estimates and prices as chat), the request translated to chat and the
  answer back (``domain.anthropic_messages``).

So one model group may mix both, and a fallback from a native deployment to a translated one
(or back) happens within one call. Spend rows and events name the kind ``messages``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from typing import Any

from switchboard.application.call_kinds import First
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.pricing import Pricing
from switchboard.application.streams import ChatStream
from switchboard.domain.anthropic_messages.chat_stream import MessagesEvents
from switchboard.domain.anthropic_messages.from_chat import messages_response
from switchboard.domain.anthropic_messages.native import MessagesMeter, native_body
from switchboard.domain.anthropic_messages.to_chat import carries_claude_parts, chat_request
from switchboard.domain.anthropic_messages.wire import (
    CountTokensRequest,
    MessagesRequest,
    MessagesResponse,
    TokenCount,
)
from switchboard.domain.call_options import Timeouts
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse, RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, ProviderUnavailable
from switchboard.domain.estimates import prompt_tokens
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.messages import MessagesCall, MessagesDirectory, MessagesProvider
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.usage import Usage


class MessagesAnswer:
    """A whole Messages answer: its JSON ``body`` as the caller gets it, and what it is charged."""

    __slots__ = ("body", "route", "text", "usage")

    def __init__(self, body: bytes, usage: Usage | None, text: str) -> None:
        self.body = body
        self.usage = usage
        self.text = text
        self.route: RouteInfo | None = None

    def message(self) -> MessagesResponse:
        """The body as a ``MessagesResponse`` (every field kept)."""
        return MessagesResponse.model_validate_json(self.body)


@dataclass(slots=True)
class _Native:
    first: bytes | None
    rest: AsyncIterator[bytes]
    meter: MessagesMeter


@dataclass(slots=True)
class _Translated:
    opened: First[ChatChunk]
    chat: CallInfo[ChatRequest]


class MessagesStream:
    """A Messages stream as the caller reads it: SSE bytes in Anthropic's framing. ``completed``
    once ``message_stop`` went out; usage is the upstream's, else an estimate."""

    __slots__ = ("_chat", "_events", "_iterator", "_meter", "_price", "_settle", "completed", "route")

    def __init__(
        self,
        events: Callable[[MessagesStream], AsyncGenerator[bytes, None]],
        *,
        route: RouteInfo,
        meter: MessagesMeter | None = None,
        chat: ChatStream | None = None,
        settle: Callable[[str], Usage],
        price: Callable[[Usage], float | None],
    ) -> None:
        self.route = route
        self.completed = False
        self._events = events
        self._meter = meter
        self._chat = chat
        self._settle = settle
        self._price = price
        self._iterator: AsyncGenerator[bytes, None] | None = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        if self._iterator is None:
            self._iterator = self._events(self)
        return self._iterator

    @property
    def text(self) -> str:
        if self._chat is not None:
            return self._chat.text
        return self._meter.text if self._meter is not None else ""

    def settle_usage(self) -> Usage:
        if self._chat is not None:
            usage = self._chat.settle_usage()
        else:
            reported = self._meter.chat_usage() if self._meter is not None else None
            usage = reported if reported is not None else self._settle(self.text)
        if self.route.cost is None:
            self.route.cost = self._price(usage)
        return usage

    async def aclose(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()
        if self._chat is not None:
            await self._chat.aclose()


class _Base:
    """What the two Messages kinds share: choosing native or translated, counting the prompt."""

    cache = None
    stream_cache = None
    name: CallKind = "messages"

    def __init__(
        self,
        path: CallPath,
        natives: MessagesDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        pricing: Pricing,
    ) -> None:
        self._path = path
        self._natives = natives
        self._chat = chat
        self._tokens = tokens
        self._pricing = pricing
        self.count_prompt: Callable[[Any], int] | None = self._count_prompt

    def _native(self, deployment: Deployment) -> MessagesProvider | None:
        return self._natives.messages(deployment.provider, deployment.model)

    def _count_prompt(self, request: CountTokensRequest) -> int:
        try:
            translated = chat_request(_countable(request))
        except BadRequest:  # a block chat has no part for: a rough count of the whole request
            return self._tokens.count(request.model_dump_json(), request.model)
        return prompt_tokens(translated, self._tokens, request.model)

    def _native_call(
        self, request: CountTokensRequest, info: CallInfo[Any], deployment: Deployment, timeouts: Timeouts
    ) -> MessagesCall:
        return MessagesCall(
            body=native_body(request, deployment.model),
            deployment=deployment,
            headers=request.forwarded_headers,
            request_id=info.ctx.request_id,
            timeout=timeouts.total,
            idle_timeout=timeouts.idle,
        )

    def _chat_info(self, request: ChatRequest, info: CallInfo[Any]) -> CallInfo[ChatRequest]:
        """The call as the chat kind sees it: same caller, options and start."""
        return CallInfo(
            kind=self.name,
            request=request,
            ctx=info.ctx,
            model_group=info.model_group,
            options=info.options,
            max_output_tokens=info.max_output_tokens,
            stream=info.stream,
            started=info.started,
            prompt_tokens=info.prompt_tokens,
            counter=self._chat.count_prompt,
        )


def _translated_request(request: MessagesRequest, deployment: Deployment, pricing: Pricing) -> ChatRequest:
    """``thinking`` goes along as ``reasoning_effort`` unless the catalog knows the model and
    knows it does not reason (an unknown model gets what the caller asked)."""
    known = pricing.info(deployment)
    reasons = known is None or known.supports("reasoning")
    return chat_request(request, claude=carries_claude_parts(deployment.provider, deployment.model), reasons=reasons)


def _countable(request: CountTokensRequest) -> MessagesRequest:
    if isinstance(request, MessagesRequest):
        return request
    return MessagesRequest.model_validate({**request.model_dump(exclude_unset=True), "max_tokens": 1})


class MessagesService(_Base):
    """Anthropic Messages, whole or streamed, through whichever deployment serves the model."""

    def __init__(
        self,
        path: CallPath,
        natives: MessagesDirectory,
        chat: ChatService,
        tokens: TokenCounter,
        *,
        catalog: ModelCatalog | None = None,
    ) -> None:
        super().__init__(path, natives, chat, tokens, Pricing(catalog))
        self._counting = _TokenCounting(path, natives, chat, tokens, self._pricing)

    async def create(self, request: MessagesRequest, ctx: CallContext) -> MessagesAnswer:
        """One whole answer. Raises a ``domain.errors`` error when it cannot be had."""
        return await self._path.answer(self, request, ctx)

    def stream(self, request: MessagesRequest, ctx: CallContext) -> AbstractAsyncContextManager[MessagesStream]:
        """An open stream. Errors before its first byte raise on enter; leaving closes the
        upstream and settles the call with what was streamed."""
        return self._path.stream(self, request, ctx)

    async def count_tokens(self, request: CountTokensRequest, ctx: CallContext) -> CountedTokens:
        """The prompt's input tokens: the native API's count, else the gateway's estimate. The
        call is admitted and routed as any call (access, limits), and costs nothing."""
        return await self._path.answer(self._counting, request, ctx)

    # --- Messages as a kind of call ------------------------------------------------------------

    def output_limit(self, request: MessagesRequest) -> int | None:
        return request.max_tokens

    async def send(
        self, request: MessagesRequest, info: CallInfo[MessagesRequest], deployment: Deployment, timeouts: Timeouts
    ) -> MessagesAnswer:
        native = self._native(deployment)
        if native is not None:
            call = self._native_call(request, info, deployment, timeouts)
            body = await native.send_messages(call)
            return MessagesAnswer(body, call.meter.chat_usage(), call.meter.text)
        chat_info = self._chat_info(_translated_request(request, deployment, self._pricing), info)
        response: ChatResponse = await self._chat.send(chat_info.request, chat_info, deployment, timeouts)
        usage, _ = self._chat.account(chat_info, deployment, response)
        message = messages_response(response, request.model)
        return MessagesAnswer(message.__pydantic_serializer__.to_json(message, exclude_none=True), usage, response.text)

    def account(
        self, info: CallInfo[MessagesRequest], deployment: Deployment, response: MessagesAnswer
    ) -> tuple[Usage | None, float | None]:
        usage = response.usage
        if usage is None:
            usage = response.usage = self._estimate(info, response.text)
        return usage, self._pricing.chat_cost(deployment, usage)

    async def open(
        self, info: CallInfo[MessagesRequest], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack
    ) -> _Native | _Translated:
        native = self._native(deployment)
        if native is not None:
            call = self._native_call(info.request, info, deployment, timeouts)
            pieces = await exits.enter_async_context(native.stream_messages(call))
            return _Native(await anext(pieces, None), pieces, call.meter)
        chat_info = self._chat_info(_translated_request(info.request, deployment, self._pricing), info)
        return _Translated(await self._chat.open(chat_info, deployment, timeouts, exits), chat_info)

    def wrap(
        self, info: CallInfo[MessagesRequest], opened: _Native | _Translated, route: RouteInfo, deployment: Deployment
    ) -> MessagesStream:
        def price(usage: Usage) -> float | None:
            return self._pricing.chat_cost(deployment, usage)

        def settle(text: str) -> Usage:
            return self._estimate(info, text)

        if isinstance(opened, _Native):
            return MessagesStream(
                _relayed(opened, deployment), route=route, meter=opened.meter, settle=settle, price=price
            )
        chat = self._chat.wrap(opened.chat, opened.opened, route, deployment)
        writer = MessagesEvents(model=info.request.model, input_tokens=info.prompt_size(), provider=deployment.provider)
        return MessagesStream(_translated(chat, writer), route=route, chat=chat, settle=settle, price=price)

    def mock(self, info: CallInfo[MessagesRequest], deployment: Deployment, created: int) -> MessagesAnswer:
        chat_info = self._chat_info(_translated_request(info.request, deployment, self._pricing), info)
        response = self._chat.mock(chat_info, deployment, created)
        message = messages_response(response, info.request.model)
        return MessagesAnswer(message.__pydantic_serializer__.to_json(message, exclude_none=True), None, response.text)

    def mock_open(self, info: CallInfo[MessagesRequest], deployment: Deployment, created: int) -> _Translated:
        chat_info = self._chat_info(_translated_request(info.request, deployment, self._pricing), info)
        return _Translated(self._chat.mock_open(chat_info, deployment, created), chat_info)

    def _estimate(self, info: CallInfo[MessagesRequest], text: str) -> Usage:
        return Usage.of(info.prompt_size(), self._tokens.count(text, info.request.model))


def _relayed(opened: _Native, deployment: Deployment) -> Callable[[MessagesStream], AsyncGenerator[bytes, None]]:
    async def events(stream: MessagesStream) -> AsyncGenerator[bytes, None]:
        if opened.first is not None:
            yield opened.first
        async for piece in opened.rest:
            yield piece
        if opened.meter.error is not None:
            return  # the upstream's own error event went out; the stream did not complete
        if not opened.meter.stopped:
            raise ProviderUnavailable(
                f"{deployment.provider} ended the stream before message_stop.",
                provider=deployment.provider,
                deployment=deployment.id,
            )
        stream.completed = True

    return events


def _translated(chat: ChatStream, writer: MessagesEvents) -> Callable[[MessagesStream], AsyncGenerator[bytes, None]]:
    async def events(stream: MessagesStream) -> AsyncGenerator[bytes, None]:
        async for chunk in chat:
            for event in writer.feed(chunk):
                yield event
        writer.usage = chat.usage
        for event in writer.finish():
            yield event
        stream.completed = True

    return events


class _TokenCounting(_Base):
    """``count_tokens`` as a kind of call: the native count, else the estimate; no cost."""

    def output_limit(self, request: CountTokensRequest) -> int | None:
        return None

    async def send(
        self,
        request: CountTokensRequest,
        info: CallInfo[CountTokensRequest],
        deployment: Deployment,
        timeouts: Timeouts,
    ) -> CountedTokens:
        native = self._native(deployment)
        if native is not None:
            return CountedTokens(
                await native.count_message_tokens(self._native_call(request, info, deployment, timeouts))
            )
        return CountedTokens(info.prompt_size())

    def account(
        self, info: CallInfo[CountTokensRequest], deployment: Deployment, response: CountedTokens
    ) -> tuple[Usage | None, float | None]:
        return None, 0.0


class CountedTokens:
    """A prompt's input tokens, and which deployment counted them."""

    __slots__ = ("input_tokens", "route")

    def __init__(self, input_tokens: int) -> None:
        self.input_tokens = input_tokens
        self.route: RouteInfo | None = None

    def count(self) -> TokenCount:
        return TokenCount(input_tokens=self.input_tokens)
