"""The embeddings cache: one entry per input item, so a batch only sends its new items upstream."""

from __future__ import annotations

from pydantic_core import from_json, to_json

from switchboard.application.caching.store import CacheStore
from switchboard.application.call_kinds import Cached
from switchboard.domain.caching.keys import embedding_keys
from switchboard.domain.caching.policy import CachePlan, CachePolicy, plan_call
from switchboard.domain.calls import CallInfo
from switchboard.domain.chat import RouteInfo
from switchboard.domain.embeddings import Embedding, EmbeddingRequest, EmbeddingResponse
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.usage import Usage

Vector = list[float] | str  # floats, or base64 when the request asked for it


class EmbeddingCache:
    """The response cache as a step of embedding calls on the call path (``lookup`` before
    routing; the miss it returns keeps the fresh vectors).

    Items already cached are not sent again; the rest go upstream in one request (each distinct
    item once) and the answer is put back together in the caller's order. A batch served wholly
    from the cache is a hit (cost 0, no tokens); a partly cached one is charged for what went
    upstream, as the provider reports it.
    """

    def __init__(self, store: CacheStore, policy: CachePolicy) -> None:
        self._store = store
        self._policy = policy

    async def lookup(self, info: CallInfo[EmbeddingRequest]) -> Cached[EmbeddingResponse] | _Missing | None:
        """Every item cached: the answer. Else what is missing (the items to send upstream, each
        distinct one once), to ``keep`` the fresh vectors in. ``None``: the cache has no part."""
        request = info.request
        plan = plan_call(self._policy, "embeddings", info.options.cache, info.ctx.principal)
        if plan is None:
            return None
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
            response = _response(request, keys, vectors, request.model)
            response.route = RouteInfo(model_group=info.model_group, cache_hit=True, cost=0.0)
            return Cached(response, Usage())
        if len(missing) == len(keys):
            return _Missing(self._store, plan, request, keys, missing, vectors, request)
        items = request.inputs
        first = {key: index for index, key in reversed(list(enumerate(keys)))}
        upstream = request.model_copy(update={"input": [items[first[k]] for k in missing]})
        return _Missing(self._store, plan, request, keys, missing, vectors, upstream)


class _Missing:
    """The items a batch lacks, sent upstream as ``request``; ``keep`` stores their vectors and
    puts the whole answer back together in the caller's order."""

    __slots__ = ("_keys", "_missing", "_original", "_plan", "_store", "_vectors", "request")

    def __init__(
        self,
        store: CacheStore,
        plan: CachePlan,
        original: EmbeddingRequest,
        keys: list[str],
        missing: list[str],
        vectors: dict[str, Vector],
        request: EmbeddingRequest,
    ) -> None:
        self._store, self._plan, self._original = store, plan, original
        self._keys, self._missing, self._vectors = keys, missing, vectors
        self.request = request

    async def keep(self, response: EmbeddingResponse) -> EmbeddingResponse:
        missing, whole = self._missing, len(self._missing) == len(self._keys)
        fresh = sorted(response.data, key=lambda item: item.index)
        if len(fresh) != len(missing):
            if whole:
                return response
            raise UpstreamProtocolError(
                f"the provider returned {len(fresh)} embeddings for {len(missing)} inputs",
                provider=response.route.provider if response.route else None,
            )
        found = {key: item.embedding for key, item in zip(missing, fresh, strict=True)}
        if self._plan.write:
            await self._store.write_many({key: to_json(vector) for key, vector in found.items()}, self._plan.ttl)
        if whole:
            return response
        self._vectors.update(found)
        merged = _response(self._original, self._keys, self._vectors, response.model)
        merged.usage, merged.route = response.usage, response.route
        return merged

    def drop(self, error: BaseException) -> None:
        return None


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
