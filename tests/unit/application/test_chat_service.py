"""ChatService: routing, parameters, timeouts, usage, and settling every admitted call."""

from __future__ import annotations

import pytest

from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.router import Router
from switchboard.domain.call_options import CallDefaults
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ModelNotFound, RateLimited, Timeout, UnsupportedParameter
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.hooks import RecordingHook, RecordingSink
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory

CTX = CallContext(request_id="req-1")


def deployment(name: str = "gpt", **fields: object) -> Deployment:
    return Deployment(id=f"{name}-1", model_name=name, provider="fake", model="up-" + name, **fields)


def service(
    provider: FakeChatProvider | None = None,
    *deployments: Deployment,
    hooks: HookPipeline | None = None,
    defaults: CallDefaults = CallDefaults(),  # noqa: B008
) -> ChatService:
    directory = DeploymentDirectory(deployments or [deployment()])
    path = CallPath(Router(directory, FakeRandom(), FakeClock()), FakeClock(), hooks, defaults)
    return ChatService(path, FakeProviderDirectory(provider or FakeChatProvider()), FakeTokenCounter())


def chat(**fields: object) -> ChatRequest:
    return ChatRequest.model_validate({"model": "gpt", "messages": [{"role": "user", "content": "hi there"}], **fields})


async def test_complete_answers_through_the_groups_deployment() -> None:
    response = await service().complete(chat(), CTX)
    assert response.text == "hello world"
    assert response.route is not None
    assert (response.route.deployment_id, response.route.provider) == ("gpt-1", "fake")


async def test_the_provider_receives_the_upstream_model_and_request_id() -> None:
    provider = FakeChatProvider()
    await service(provider).complete(chat(), CTX)
    assert provider.calls[0].deployment.model == "up-gpt"
    assert provider.calls[0].request_id == "req-1"


async def test_an_unknown_model_is_model_not_found() -> None:
    with pytest.raises(ModelNotFound):
        await service().complete(chat(model="nope"), CTX)


async def test_usage_is_estimated_when_the_provider_reports_none() -> None:
    response = await service(FakeChatProvider(usage=None)).complete(chat(), CTX)
    assert response.usage is not None
    assert (response.usage.completion_tokens, response.usage.total_tokens) == (
        2,
        response.usage.prompt_tokens + 2,
    )


async def test_an_unsupported_parameter_is_refused_with_its_name() -> None:
    provider = FakeChatProvider(supported=frozenset({"temperature"}))
    with pytest.raises(UnsupportedParameter) as caught:
        await service(provider).complete(chat(top_p=0.5), CTX)
    assert caught.value.param == "top_p"
    assert caught.value.provider == "fake"


async def test_drop_params_on_the_request_drops_what_the_provider_cannot_take() -> None:
    provider = FakeChatProvider(supported=frozenset({"temperature"}))
    await service(provider).complete(chat(top_p=0.5, temperature=0.1, drop_params=True), CTX)
    sent = provider.calls[0].request
    assert sent.top_p is None
    assert sent.temperature == 0.1
    assert "drop_params" not in (sent.model_extra or {})


async def test_drop_params_on_the_deployment_applies_to_every_request() -> None:
    provider = FakeChatProvider(supported=frozenset())
    await service(provider, deployment(drop_params=True)).complete(chat(seed=3), CTX)
    assert provider.calls[0].request.seed is None


async def test_a_slow_provider_times_out_with_the_deployments_timeout() -> None:
    provider = FakeChatProvider(delay=5)
    with pytest.raises(Timeout) as caught:
        await service(provider, deployment(timeout=0.01)).complete(chat(), CTX)
    assert caught.value.deployment == "gpt-1"


async def test_every_admitted_call_is_settled_once_with_its_usage() -> None:
    hook, sink = RecordingHook(), RecordingSink()
    await service(hooks=HookPipeline([hook], [sink])).complete(chat(), CTX)
    [(outcome, ticket)] = hook.settled
    assert ticket == "ticket-hook-1"
    assert outcome.ok and outcome.usage is not None and outcome.usage.total_tokens == 5
    assert sink.outcomes == [outcome]


async def test_a_failed_call_is_settled_with_its_error() -> None:
    hook = RecordingHook()
    provider = FakeChatProvider(error=RateLimited("slow down", provider="fake"))
    with pytest.raises(RateLimited):
        await service(provider, hooks=HookPipeline([hook])).complete(chat(), CTX)
    [(outcome, _)] = hook.settled
    assert isinstance(outcome.error, RateLimited)


async def test_a_refusing_hook_releases_the_hooks_before_it() -> None:
    first, refusing = RecordingHook("first"), RecordingHook("second", refuse=RateLimited("limit"))
    provider = FakeChatProvider()
    with pytest.raises(RateLimited):
        await service(provider, hooks=HookPipeline([first, refusing])).complete(chat(), CTX)
    assert [ticket for _, ticket in first.settled] == ["ticket-first-1"]
    assert provider.calls == []


async def test_prompt_sizes_are_estimated_only_when_a_hook_asks() -> None:
    hook = RecordingHook()
    svc = service(hooks=HookPipeline([hook]))
    await svc.complete(chat(max_tokens=50), CTX)
    info = hook.admitted[0]
    assert info.prompt_tokens == 0  # nobody asked: nothing was counted
    assert info.prompt_size() > 2
    assert info.prompt_tokens == info.prompt_size()
    assert info.max_output_tokens == 50


async def test_dropped_parameters_are_logged_by_name(caplog: pytest.LogCaptureFixture) -> None:
    provider = FakeChatProvider(supported=frozenset())
    with caplog.at_level("INFO", logger="switchboard.application.chat"):
        await service(provider).complete(chat(seed=3, drop_params=True), CTX)
    [record] = [r for r in caplog.records if r.getMessage() == "dropped unsupported parameters"]
    assert vars(record)["params"] == ["seed"]  # an ``extra`` of the log call


async def test_a_stream_counts_as_in_flight_on_its_deployment_until_it_is_closed() -> None:
    from switchboard.adapters.outbound.routing.memory import MemoryRoutingState
    from switchboard.application.router import RouterPolicy
    from switchboard.domain.routing import Strategy

    state = MemoryRoutingState()
    clock = FakeClock()
    router = Router(
        DeploymentDirectory([deployment()]),
        FakeRandom(),
        clock,
        policy=RouterPolicy(strategy=Strategy.LEAST_BUSY),
        state=state,
    )
    chats = ChatService(CallPath(router, clock), FakeProviderDirectory(FakeChatProvider()), FakeTokenCounter())

    async def in_flight() -> int:
        return (await state.stats(["gpt-1"], clock.now()))["gpt-1"].in_flight

    async with chats.stream(chat(stream=True), CTX) as stream:
        await anext(aiter(stream))
        assert await in_flight() == 1
    assert await in_flight() == 0
