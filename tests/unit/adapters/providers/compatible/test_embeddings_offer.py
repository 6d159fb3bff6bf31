"""A catalog row without embeddings is refused before anything goes upstream."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.compatible import CompatibleProvider, load_profiles
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.providers import EmbeddingCall
from tests.support.upstream import RecordingUpstream


def provider(name: str) -> tuple[CompatibleProvider, RecordingUpstream]:
    upstream = RecordingUpstream(lambda request, counter: pytest.fail("nothing may be sent"))  # type: ignore[arg-type, return-value]
    return CompatibleProvider(upstream.transport(), load_profiles()[name], environ={"GROQ_API_KEY": "k"}), upstream


async def test_a_row_without_embeddings_refuses_an_embedding_call() -> None:
    adapter, upstream = provider("groq")
    call = EmbeddingCall(
        request=EmbeddingRequest(model="e", input="x"),
        deployment=Deployment(id="d", model_name="e", provider="groq", model="e"),
    )
    with pytest.raises(BadRequest, match="does not offer embeddings"):
        await adapter.embed(call)
    assert upstream.requests == []


def test_the_registry_says_so_before_any_call() -> None:
    adapter, _ = provider("groq")
    registry = ProviderRegistry()
    registry.register("groq", adapter)
    with pytest.raises(BadRequest, match="does not offer embeddings"):
        registry.embeddings("groq")
    assert registry.chat("groq") is adapter
