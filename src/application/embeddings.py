"""The embeddings use case: admit, route, call the provider, settle."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from switchboard.application.hooks import HookPipeline
from switchboard.application.pricing import Pricing
from switchboard.application.router import Router
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse
from switchboard.domain.errors import InternalError, SwitchboardError, Timeout
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.providers import EmbeddingCall, ProviderDirectory
from switchboard.domain.usage import Usage

if TYPE_CHECKING:
    from switchboard.application.caching.embedding_cache import EmbeddingCache


class EmbeddingService:
    """Embeddings through whichever deployment serves the model."""

    def __init__(
        self,
        router: Router,
        providers: ProviderDirectory,
        clock: Clock,
        hooks: HookPipeline | None = None,
        timeout: float | None = 600.0,
        catalog: ModelCatalog | None = None,
        *,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self._router = router
        self._providers = providers
        self._clock = clock
        self._hooks = hooks or HookPipeline()
        self._timeout = timeout
        self._pricing = Pricing(catalog)
        self._cache = cache  # None: no response cache

    async def embed(self, request: EmbeddingRequest, ctx: CallContext) -> EmbeddingResponse:
        info = CallInfo(
            kind="embeddings",
            request=request,
            ctx=ctx,
            model_group=request.model,
            started=self._clock.monotonic(),
        )
        admission = await self._hooks.admit(info)
        outcome = CallOutcome(info=info)
        try:
            if self._cache is not None:
                return await self._cache.embed(info, outcome, lambda part: self._embed_routed(part, ctx, outcome))
            return await self._embed_routed(request, ctx, outcome)
        except BaseException as exc:
            outcome.error = exc if isinstance(exc, SwitchboardError) else InternalError(type(exc).__name__)
            outcome.completed = False
            raise
        finally:
            outcome.latency = self._clock.monotonic() - info.started
            await admission.settle(outcome)

    async def _embed_routed(
        self, request: EmbeddingRequest, ctx: CallContext, outcome: CallOutcome
    ) -> EmbeddingResponse:
        routed = await self._router.run(outcome.info, lambda d: self._embed_on(request, d, ctx))
        response = routed.value
        response.route = RouteInfo(
            model_group=request.model,
            deployment_id=routed.deployment.id,
            provider=routed.deployment.provider,
            attempted=list(routed.attempted),
            cost=self._pricing.embedding_cost(routed.deployment, response.usage),
        )
        tokens = response.usage.prompt_tokens
        outcome.deployment, outcome.response = routed.deployment, response
        outcome.usage = Usage(prompt_tokens=tokens, total_tokens=tokens)
        outcome.attempted = routed.attempted
        return response

    async def _embed_on(self, request: EmbeddingRequest, deployment: Deployment, ctx: CallContext) -> EmbeddingResponse:
        provider = self._providers.embeddings(deployment.provider)
        timeout = deployment.timeout if deployment.timeout is not None else self._timeout
        call = EmbeddingCall(request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout)
        try:
            async with asyncio.timeout(timeout):
                return await provider.embed(call)
        except TimeoutError as exc:
            raise Timeout(
                f"{deployment.provider} did not answer within {timeout:g}s; the request was cancelled.",
                provider=deployment.provider,
                deployment=deployment.id,
            ) from exc
