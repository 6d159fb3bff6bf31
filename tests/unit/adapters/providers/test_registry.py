"""The registry serves what the providers' declarations say, building each provider once, on
first use."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.info import Adapters, Declarations, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.domain.endpoints import Endpoint
from switchboard.domain.errors import BadRequest
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.fakes.media_providers import EchoChatProvider, FakeMediaProvider, FakeTextProvider
from tests.fakes.transport import UnusedTransport

DEPS = ProviderDeps(transport=UnusedTransport(), clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter())


def declared(name: str, adapters: Adapters, endpoints: frozenset[Endpoint] | None = None) -> ProviderInfo:
    return ProviderInfo(
        name=name,
        title=name,
        endpoints=adapters.endpoints() if endpoints is None else endpoints,
        chat_params=lambda model: frozenset({"temperature"} if model == "warm" else set()),
        build=lambda deps: adapters,
    )


def registry(*infos: ProviderInfo) -> ProviderRegistry:
    return ProviderRegistry(Declarations.of(*infos), DEPS)


def test_a_provider_serves_the_endpoints_it_declares() -> None:
    text = FakeTextProvider()
    providers = registry(declared("up", Adapters(chat=text, completions=text)))
    assert providers.chat("up") is text
    assert providers.completions("up") is text
    with pytest.raises(BadRequest) as caught:
        providers.images("up")
    assert caught.value.message == "Provider 'up' does not offer image generation."


def test_a_chat_only_provider_has_no_native_completions() -> None:
    assert registry(declared("up", Adapters(chat=EchoChatProvider()))).completions("up") is None


def test_one_endpoint_may_be_served_by_its_own_adapter() -> None:
    chat, audio = EchoChatProvider(), FakeMediaProvider()
    providers = registry(declared("groq", Adapters(chat=chat, transcriptions=audio)))
    assert providers.transcriptions("groq") is audio
    assert providers.chat("groq") is chat


def test_a_provider_is_built_once_and_only_when_first_used() -> None:
    builds: list[ProviderDeps] = []

    def build(deps: ProviderDeps) -> Adapters:
        builds.append(deps)
        return Adapters(chat=EchoChatProvider())

    info = ProviderInfo(
        name="up", title="up", endpoints=frozenset({Endpoint.CHAT}), chat_params=lambda m: frozenset(), build=build
    )
    providers = registry(info)
    assert builds == []
    assert providers.chat("up") is providers.chat("up")
    assert builds == [DEPS]


def test_the_chat_parameters_come_from_the_declaration_without_building_anything() -> None:
    def build(deps: ProviderDeps) -> Adapters:
        raise AssertionError("answering which parameters a provider takes builds nothing")

    info = ProviderInfo(
        name="up",
        title="up",
        endpoints=frozenset({Endpoint.CHAT}),
        chat_params=lambda model: frozenset({"temperature"} if model == "warm" else set()),
        build=build,
    )
    providers = registry(info)
    assert providers.chat_params("up", "warm") == {"temperature"}
    assert providers.chat_params("up", "cold") == frozenset()


def test_a_provider_without_chat_has_no_chat_parameters() -> None:
    providers = registry(declared("art", Adapters(images=FakeMediaProvider())))
    with pytest.raises(BadRequest, match="does not offer chat completions"):
        providers.chat_params("art", "m")


def test_a_build_that_serves_other_endpoints_than_declared_is_refused() -> None:
    providers = registry(declared("up", Adapters(chat=EchoChatProvider()), frozenset({Endpoint.CHAT, Endpoint.IMAGES})))
    with pytest.raises(TypeError, match="declares"):
        providers.chat("up")


def test_an_unknown_provider_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        registry().speech("nobody")
    assert "Unknown provider" in caught.value.message


def test_a_declaration_listed_under_another_name_is_refused() -> None:
    info = declared("real", Adapters(chat=EchoChatProvider()))
    declarations = Declarations({"alias": lambda: info})
    with pytest.raises(ValueError, match="names provider 'real'"):
        declarations.info("alias")
