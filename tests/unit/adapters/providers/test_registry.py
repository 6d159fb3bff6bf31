from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.openai import ALL_ENDPOINTS, OpenAIProvider
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.domain.errors import BadRequest
from tests.fakes.media_providers import EchoChatProvider, FakeMediaProvider, FakeTextProvider
from tests.support.upstream import RecordingUpstream


def compatible(endpoints: frozenset[str]) -> OpenAIProvider:
    transport = RecordingUpstream(lambda request, counter: None).transport()  # type: ignore[arg-type,return-value]
    return OpenAIProvider(transport, environ={}, endpoints=endpoints)


def test_an_adapter_serves_the_endpoints_whose_methods_it_has() -> None:
    registry = ProviderRegistry()
    registry.register("up", FakeTextProvider())
    assert registry.completions("up") is not None
    with pytest.raises(BadRequest) as caught:
        registry.images("up")
    assert "image generation" in caught.value.message


def test_a_chat_only_provider_has_no_native_completions() -> None:
    registry = ProviderRegistry()
    registry.register("up", EchoChatProvider())
    assert registry.completions("up") is None


def test_an_adapter_that_says_which_endpoints_it_offers_is_believed() -> None:
    registry = ProviderRegistry()
    registry.register("compat", compatible(frozenset({"chat"})))
    registry.register("openai", compatible(ALL_ENDPOINTS))
    assert registry.completions("compat") is None
    assert registry.completions("openai") is not None
    with pytest.raises(BadRequest):
        registry.embeddings("compat")


def test_an_endpoint_adapter_serves_ahead_of_the_provider_adapter() -> None:
    registry = ProviderRegistry()
    general, audio = EchoChatProvider(), FakeMediaProvider()
    registry.register("groq", general)
    registry.register_endpoint("groq", "transcriptions", audio)
    assert registry.transcriptions("groq") is audio
    assert registry.chat("groq") is general


def test_a_provider_known_only_for_one_endpoint_offers_nothing_else() -> None:
    registry = ProviderRegistry()
    registry.register_endpoint("groq", "transcriptions", FakeMediaProvider())
    assert "groq" in registry
    with pytest.raises(BadRequest) as caught:
        registry.chat("groq")
    assert "does not offer chat completions" in caught.value.message


def test_an_unknown_provider_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        ProviderRegistry().speech("nobody")
    assert "Unknown provider" in caught.value.message


def test_an_unknown_endpoint_cannot_be_registered() -> None:
    with pytest.raises(ValueError):
        ProviderRegistry().register_endpoint("x", "telepathy", FakeMediaProvider())
