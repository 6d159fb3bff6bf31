"""The chat use case: resolve the model, pick a deployment, call its provider, report usage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from application.deployments import DeploymentDirectory
from application.streams import ChatStream
from domain.chat import ChatRequest, ChatResponse, RouteInfo
from domain.context import CallContext
from domain.deployments import Deployment
from domain.errors import Timeout
from domain.estimates import prompt_tokens
from domain.params import enforce_supported
from domain.ports.providers import ChatCall, ProviderDirectory
from domain.ports.randomness import RandomSource
from domain.ports.tokens import TokenCounter
from domain.routing import weighted_pick
from domain.usage import Usage


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """Gateway-wide defaults; a deployment's own values win."""

    timeout: float | None = 600.0
    stream_timeout: float | None = None
    drop_params: bool = False


class ChatService:
    """Chat completions, streaming or not, through whichever deployment serves the model."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        providers: ProviderDirectory,
        tokens: TokenCounter,
        rng: RandomSource,
        settings: ChatSettings = ChatSettings(),
    ) -> None:
        self._directory = directory
        self._providers = providers
        self._tokens = tokens
        self._rng = rng
        self._settings = settings

    async def complete(self, request: ChatRequest, ctx: CallContext) -> ChatResponse:
        """One answer. Raises a ``domain.errors`` error when it cannot be had."""
        deployment = self._pick(request.model)
        call = self._call(request, deployment, ctx)
        provider = self._providers.chat(deployment.provider)
        try:
            async with asyncio.timeout(call.timeout):
                response = await provider.complete(call)
        except TimeoutError as exc:
            raise self._timeout(deployment, call.timeout) from exc
        if response.usage is None:
            response.usage = self._estimate(call.request, response.text)
        response.route = self._route(request.model, deployment)
        return response

    @asynccontextmanager
    async def stream(self, request: ChatRequest, ctx: CallContext) -> AsyncIterator[ChatStream]:
        """An open stream. Errors before the first chunk raise here, before anything is sent.

        Leaving the context closes the upstream request, whether or not the stream was read
        to its end.
        """
        deployment = self._pick(request.model)
        call = self._call(request, deployment, ctx)
        provider = self._providers.chat(deployment.provider)
        async with AsyncExitStack() as upstream:
            try:
                async with asyncio.timeout(call.timeout):
                    chunks = await upstream.enter_async_context(provider.stream(call))
                    first = await anext(chunks, None)
            except TimeoutError as exc:
                raise self._timeout(deployment, call.timeout) from exc
            stream = ChatStream(
                first,
                chunks,
                route=self._route(request.model, deployment),
                wants_usage=call.request.wants_usage_chunk,
                estimate_usage=lambda text: self._estimate(call.request, text),
            )
            upstream.push_async_callback(stream.aclose)
            yield stream

    def _pick(self, model: str) -> Deployment:
        return weighted_pick(self._directory.candidates(model), self._rng)

    def _call(self, request: ChatRequest, deployment: Deployment, ctx: CallContext) -> ChatCall:
        provider = self._providers.chat(deployment.provider)
        drop = deployment.drop_params if deployment.drop_params is not None else self._settings.drop_params
        if request.model_extra and request.model_extra.get("drop_params") is not None:
            drop = bool(request.model_extra["drop_params"])
        sendable, _dropped = enforce_supported(
            request, provider.supported_params(deployment.model), provider=deployment.provider, drop=drop
        )
        stream = bool(request.stream)
        timeout = deployment.timeout if deployment.timeout is not None else self._settings.timeout
        idle = (
            deployment.stream_timeout
            if deployment.stream_timeout is not None
            else self._settings.stream_timeout
        )
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
        return Usage.of(
            prompt_tokens(request, self._tokens, model), self._tokens.count(completion_text, model)
        )

    @staticmethod
    def _route(model: str, deployment: Deployment) -> RouteInfo:
        return RouteInfo(model_group=model, deployment_id=deployment.id, provider=deployment.provider)

    @staticmethod
    def _timeout(deployment: Deployment, seconds: float | None) -> Timeout:
        return Timeout(
            f"{deployment.provider} did not answer within {seconds:g}s; the request was cancelled.",
            provider=deployment.provider,
            deployment=deployment.id,
        )
