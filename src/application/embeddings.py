"""The embeddings use case: one kind of call on the call path (``application.call_path``)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from switchboard.application.call_path import CallPath
from switchboard.application.pricing import Pricing
from switchboard.domain.call_options import Timeouts
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.providers import EmbeddingCall, ProviderDirectory
from switchboard.domain.usage import Usage

if TYPE_CHECKING:
    from switchboard.application.caching.embedding_cache import EmbeddingCache


class EmbeddingService:
    """Embeddings through whichever deployment serves the model."""

    name: CallKind = "embeddings"
    count_prompt = None  # the limits hook makes its own rough count

    def __init__(
        self,
        path: CallPath,
        providers: ProviderDirectory,
        *,
        catalog: ModelCatalog | None = None,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self._path = path
        self._providers = providers
        self._pricing = Pricing(catalog)
        self.cache = cache  # None: no response cache

    async def embed(self, request: EmbeddingRequest, ctx: CallContext) -> EmbeddingResponse:
        return await self._path.answer(self, request, ctx)

    # --- embeddings as a kind of call ----------------------------------------------------------

    def output_limit(self, request: EmbeddingRequest) -> int | None:
        return None

    def send(
        self, request: EmbeddingRequest, info: CallInfo[EmbeddingRequest], deployment: Deployment, timeouts: Timeouts
    ) -> Awaitable[EmbeddingResponse]:
        call = EmbeddingCall(
            request=request, deployment=deployment, request_id=info.ctx.request_id, timeout=timeouts.total
        )
        return self._providers.embeddings(deployment.provider).embed(call)

    def account(
        self, info: CallInfo[EmbeddingRequest], deployment: Deployment, response: EmbeddingResponse
    ) -> tuple[Usage | None, float | None]:
        tokens = response.usage.prompt_tokens
        return Usage(prompt_tokens=tokens, total_tokens=tokens), self._pricing.embedding_cost(
            deployment, response.usage
        )
