"""The embeddings cache: one entry per input item, so a batch only sends its new items upstream."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic_core import from_json, to_json

from switchboard.application.caching.store import CacheStore
from switchboard.domain.caching.controls import controls_of
from switchboard.domain.caching.keys import embedding_keys
from switchboard.domain.caching.policy import CachePolicy, plan_call
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import RouteInfo
from switchboard.domain.embeddings import Embedding, EmbeddingRequest, EmbeddingResponse
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.usage import Usage

Vector = list[float] | str  # floats, or base64 when the request asked for it


class EmbeddingCache:
    """Caching for ``EmbeddingService``.

    Items already cached are not sent again; the rest go upstream in one request (each distinct
    item once) and the answer is put back together in the caller's order. A batch served wholly
    from the cache is a hit (cost 0, no tokens); a partly cached one is charged for what went
    upstream, as the provider reports it.
    """

    def __init__(self, store: CacheStore, policy: CachePolicy) -> None:
        self._store = store
        self._policy = policy

    async def embed(
        self,
        info: CallInfo,
        outcome: CallOutcome,
        fetch: Callable[[EmbeddingRequest], Awaitable[EmbeddingResponse]],
    ) -> EmbeddingResponse:
        """``fetch`` routes a request (the whole one, or the missing items) and fills ``outcome``."""
        request: EmbeddingRequest = info.request
        plan = plan_call(self._policy, "embeddings", controls_of(request.model_extra), info.ctx.principal)
        if plan is None:
            return await fetch(request)
        keys = embedding_keys(plan.prefix, request)
        distinct = list(dict.fromkeys(keys))
        vectors: dict[str, Vector] = {}
        if plan.read:
            for key, entry in zip(distinct, await self._store.read_many(distinct, plan.max_age), strict=True):
                vector = _vector(entry.body) if entry is not None else None
                if vector is not None:
                    vectors[key] = vector
        missing = [key for key in distinct if key not in vectors]
        if not missing:
            return _hit(request, keys, vectors, info, outcome)
        items = request.inputs
        first = {key: index for index, key in reversed(list(enumerate(keys)))}
        whole = len(missing) == len(keys)
        upstream = request if whole else request.model_copy(update={"input": [items[first[k]] for k in missing]})
        response = await fetch(upstream)
        fresh = sorted(response.data, key=lambda item: item.index)
        if len(fresh) != len(missing):
            if whole:
                return response
            raise UpstreamProtocolError(
                f"the provider returned {len(fresh)} embeddings for {len(missing)} inputs",
                provider=response.route.provider if response.route else None,
            )
        found = {key: item.embedding for key, item in zip(missing, fresh, strict=True)}
        if plan.write:
            await self._store.write_many({key: to_json(vector) for key, vector in found.items()}, plan.ttl)
        if whole:
            return response
        vectors.update(found)
        merged = _response(request, keys, vectors, response.model)
        merged.usage, merged.route = response.usage, response.route
        outcome.response = merged
        return merged


def _vector(body: bytes) -> Vector | None:
    try:
        value = from_json(body)
    except ValueError:
        return None
    return value if isinstance(value, str | list) else None  # our own entries: no per-number check


def _response(request: EmbeddingRequest, keys: list[str], vectors: dict[str, Vector], model: str) -> EmbeddingResponse:
    return EmbeddingResponse(
        data=[Embedding(index=index, embedding=vectors[key]) for index, key in enumerate(keys)],
        model=model,
    )


def _hit(
    request: EmbeddingRequest, keys: list[str], vectors: dict[str, Vector], info: CallInfo, outcome: CallOutcome
) -> EmbeddingResponse:
    response = _response(request, keys, vectors, request.model)
    response.route = RouteInfo(model_group=info.model_group, cache_hit=True, cost=0.0)
    outcome.cache_hit, outcome.cost, outcome.usage, outcome.response = True, 0.0, Usage(), response
    return response
