"""The embeddings use case."""

from __future__ import annotations

import asyncio

from application.deployments import DeploymentDirectory
from domain.chat import RouteInfo
from domain.context import CallContext
from domain.embeddings import EmbeddingRequest, EmbeddingResponse
from domain.errors import Timeout
from domain.ports.providers import EmbeddingCall, ProviderDirectory
from domain.ports.randomness import RandomSource
from domain.routing import weighted_pick


class EmbeddingService:
    """Embeddings through whichever deployment serves the model."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        providers: ProviderDirectory,
        rng: RandomSource,
        timeout: float | None = 600.0,
    ) -> None:
        self._directory = directory
        self._providers = providers
        self._rng = rng
        self._timeout = timeout

    async def embed(self, request: EmbeddingRequest, ctx: CallContext) -> EmbeddingResponse:
        deployment = weighted_pick(self._directory.candidates(request.model), self._rng)
        provider = self._providers.embeddings(deployment.provider)
        timeout = deployment.timeout if deployment.timeout is not None else self._timeout
        call = EmbeddingCall(
            request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout
        )
        try:
            async with asyncio.timeout(timeout):
                response = await provider.embed(call)
        except TimeoutError as exc:
            raise Timeout(
                f"{deployment.provider} did not answer within {timeout:g}s; the request was cancelled.",
                provider=deployment.provider,
                deployment=deployment.id,
            ) from exc
        response.route = RouteInfo(
            model_group=request.model, deployment_id=deployment.id, provider=deployment.provider
        )
        return response
