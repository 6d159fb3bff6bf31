"""A catalog row without embeddings is refused before anything goes upstream."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.compatible import PROVIDERS, load_profiles
from switchboard.adapters.outbound.providers.compatible.client import CompatibleProvider
from switchboard.adapters.outbound.providers.info import Declarations, ProviderDeps
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.providers import EmbeddingCall
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.fakes.transport import UnusedTransport


async def test_a_row_without_embeddings_refuses_an_embedding_call() -> None:
    adapter = CompatibleProvider(UnusedTransport(), load_profiles()["groq"], environ={"GROQ_API_KEY": "k"})
    call = EmbeddingCall(
        request=EmbeddingRequest(model="e", input="x"),
        deployment=Deployment(id="d", model_name="e", provider="groq", model="e"),
    )
    with pytest.raises(BadRequest, match="does not offer embeddings"):
        await adapter.embed(call)


def test_the_registry_says_so_before_any_call() -> None:
    deps = ProviderDeps(transport=UnusedTransport(), clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter())
    registry = ProviderRegistry(Declarations.of(PROVIDERS["groq"]), deps)
    assert Endpoint.EMBEDDINGS not in PROVIDERS["groq"].endpoints
    with pytest.raises(BadRequest, match="does not offer embeddings"):
        registry.embeddings("groq")
    assert isinstance(registry.chat("groq"), CompatibleProvider)
