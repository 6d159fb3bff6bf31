"""A chat and an embeddings service with a response cache, over fakes, for the caching tests.

Chat goes to a ``FakeChatProvider`` (model group ``gpt``); embeddings to the built-in mock
provider (model group ``emb``), whose vectors are deterministic, through a recorder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from switchboard.adapters.outbound.cache import InMemoryResponseCache, InMemoryVectorIndex
from switchboard.adapters.outbound.providers.mock import MockProvider
from switchboard.application.caching.chat_cache import ChatCache
from switchboard.application.caching.embedding_cache import EmbeddingCache
from switchboard.application.caching.semantic import SemanticMatcher
from switchboard.application.caching.store import CacheStore
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.hooks import HookPipeline
from switchboard.application.router import Router
from switchboard.domain.caching.policy import CachePolicy
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.ports.cache import ResponseCache
from switchboard.domain.ports.providers import EmbeddingCall, EmbeddingProvider
from tests.fakes import FakeClock, FakeIds, FakeRandom, FakeTokenCounter
from tests.fakes.hooks import RecordingHook
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory


@dataclass
class RecordingEmbedder(EmbeddingProvider):
    """The mock provider's embeddings, with every call recorded."""

    inner: MockProvider
    calls: list[EmbeddingCall] = field(default_factory=list)

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        self.calls.append(call)
        return await self.inner.embed(call)

    @property
    def inputs(self) -> list[list[str] | list[list[int]]]:
        return [call.request.inputs for call in self.calls]


@dataclass
class Cached:
    chat: ChatService
    embeddings: EmbeddingService
    provider: FakeChatProvider
    embedder: RecordingEmbedder
    clock: FakeClock
    hook: RecordingHook
    backend: ResponseCache
    store: CacheStore


def cached(
    provider: FakeChatProvider | None = None,
    *,
    policy: CachePolicy = CachePolicy(),  # noqa: B008
    backend: ResponseCache | None = None,
    semantic_threshold: float | None = None,
) -> Cached:
    clock = FakeClock()
    provider = provider or FakeChatProvider()
    embedder = RecordingEmbedder(MockProvider(clock, FakeIds(), FakeTokenCounter()))
    hook = RecordingHook()
    hooks = HookPipeline([hook])
    deployments = [
        Deployment(id="gpt-1", model_name="gpt", provider="fake", model="up-gpt"),
        Deployment(id="emb-1", model_name="emb", provider="mock", model="mock-embedding"),
    ]
    path = CallPath(Router(DeploymentDirectory(deployments), FakeRandom(), FakeClock()), clock, hooks)
    directory = FakeProviderDirectory(provider, embedders={"mock": embedder})
    backend = backend or InMemoryResponseCache(clock)
    store = CacheStore(backend, clock)
    embeddings = EmbeddingService(path, directory, cache=EmbeddingCache(store, policy))
    semantic = None
    if semantic_threshold is not None:
        index = InMemoryVectorIndex(clock)
        semantic = SemanticMatcher(embeddings, index, store, model="emb", threshold=semantic_threshold)
    chat = ChatService(path, directory, FakeTokenCounter(), cache=ChatCache(store, policy, clock, semantic))
    return Cached(chat, embeddings, provider, embedder, clock, hook, backend, store)
