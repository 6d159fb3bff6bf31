"""The semantic cache: reuse the answer to a similar enough earlier prompt.

The prompt is embedded with a configured embedding model group, through the ``EmbeddingService``
(so the embedding call is admitted, routed and charged like any other), and compared with the
prompts answered before in the same scope: same namespace, model group and answer-changing
parameters; only the messages differ. A match at or above the threshold serves that answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from switchboard.application.caching.store import CacheStore
from switchboard.domain.caching.entries import Entry
from switchboard.domain.caching.keys import prompt_text, semantic_scope
from switchboard.domain.caching.policy import CachePlan
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.ports.cache import VectorIndex

if TYPE_CHECKING:
    from switchboard.application.embeddings import EmbeddingService

log = logging.getLogger(__name__)
_TOLERANCE = 1e-6  # vectors may be stored as float32: an identical prompt scores 0.9999999


@dataclass(frozen=True, slots=True)
class Probe:
    """A prompt's embedding and the scope it is compared in."""

    scope: str
    vector: list[float]


class SemanticMatcher:
    def __init__(
        self,
        embeddings: EmbeddingService,
        index: VectorIndex,
        store: CacheStore,
        *,
        model: str,
        threshold: float,
    ) -> None:
        self._embeddings = embeddings
        self._index = index
        self._store = store
        self._model = model
        self._threshold = threshold

    async def probe(self, plan: CachePlan, request: ChatRequest, ctx: CallContext) -> Probe | None:
        """The request's prompt embedding, or ``None`` when it has no text-only prompt or the
        embedding call failed (the call then goes on without the semantic cache)."""
        text = prompt_text(request)
        if text is None:
            return None
        try:
            embedded = await self._embeddings.embed(EmbeddingRequest(model=self._model, input=text), ctx)
        except SwitchboardError as exc:
            log.warning("semantic cache: embedding the prompt failed (%s); going on without it", type(exc).__name__)
            return None
        vector = embedded.data[0].embedding if embedded.data else None
        if not isinstance(vector, list) or not vector:
            return None
        return Probe(semantic_scope(plan.prefix, request), vector)

    async def match(self, probe: Probe, max_age: float | None) -> Entry | None:
        """The cached answer of the most similar earlier prompt, if similar enough and live."""
        try:
            found = await self._index.nearest(probe.scope, probe.vector)
        except Exception:
            log.warning("semantic cache: the vector index failed; going on without it", exc_info=True)
            return None
        if found is None or found[1] < self._threshold - _TOLERANCE:
            return None
        return await self._store.read(found[0], max_age)

    async def remember(self, probe: Probe, key: str, ttl: float | None) -> None:
        try:
            await self._index.add(probe.scope, probe.vector, key, ttl)
        except Exception:
            log.warning("semantic cache: the vector index failed; the answer is cached without it", exc_info=True)
