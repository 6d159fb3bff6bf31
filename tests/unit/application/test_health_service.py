"""HealthService probes each deployment with the cheapest call its mode allows."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import SecretStr

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.health import HealthService
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.errors import ModelNotFound, ProviderUnavailable
from switchboard.domain.health import EndpointHealth, HealthReport
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory
from tests.fakes.system import FakeClock


class HangingProvider(FakeChatProvider):
    """Never answers; remembers whether its call was cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False

    async def complete(self, call: ChatCall) -> Any:
        self.calls.append(call)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class EmbeddingOnly(FakeChatProvider):
    """Records embedding calls; refuses chat."""

    def __init__(self) -> None:
        super().__init__(error=ProviderUnavailable("chat is not for embedding models"))
        self.embedded: list[EmbeddingCall] = []

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        self.embedded.append(call)
        self.error = None
        try:
            return await super().embed(call)
        finally:
            self.error = ProviderUnavailable("chat is not for embedding models")


def deployment(id: str, provider: str, model_name: str | None = None, **fields: Any) -> Deployment:
    return Deployment(id=id, model_name=model_name or id, provider=provider, model=f"{id}-upstream", **fields)


def service(deployments: list[Deployment], providers: FakeProviderDirectory, **options: Any) -> HealthService:
    return HealthService(DeploymentDirectory(deployments), providers, FakeClock(), **options)


def ids(endpoints: tuple[EndpointHealth, ...]) -> list[str]:
    return [e.deployment_id for e in endpoints]


async def test_a_deployment_that_answers_is_healthy_after_a_one_token_chat() -> None:
    ok = FakeChatProvider()
    report = await service([deployment("a", "ok")], FakeProviderDirectory(ok)).check()
    assert ids(report.healthy) == ["a"] and report.unhealthy == ()
    (call,) = ok.calls
    assert call.request.max_tokens == 1 and not call.request.stream
    assert call.request.messages[0].content == "ping"


async def test_a_deployment_failing_with_a_domain_error_is_unhealthy_with_its_class_and_message() -> None:
    providers = FakeProviderDirectory(
        FakeChatProvider(), down=FakeChatProvider(error=ProviderUnavailable("upstream answered 503"))
    )
    report = await service([deployment("a", "ok"), deployment("b", "down")], providers).check()
    assert ids(report.healthy) == ["a"]
    (failed,) = report.unhealthy
    assert failed.deployment_id == "b"
    assert failed.error == "ProviderUnavailable: upstream answered 503"


async def test_a_probe_past_the_timeout_is_cancelled_and_unhealthy() -> None:
    hanging = HangingProvider()
    providers = FakeProviderDirectory(FakeChatProvider(), slow=hanging)
    report = await service([deployment("a", "ok"), deployment("s", "slow")], providers, timeout=0.01).check()
    assert ids(report.healthy) == ["a"]
    (slow,) = report.unhealthy
    assert slow.error == "Timeout: timed out after 0.01s"
    assert hanging.cancelled


async def test_an_embedding_deployment_is_probed_with_an_embedding() -> None:
    embedder = EmbeddingOnly()
    providers = FakeProviderDirectory(FakeChatProvider(), emb=embedder)
    report = await service([deployment("e", "emb", model_info={"mode": "embedding"})], providers).check()
    assert ids(report.healthy) == ["e"]
    assert [c.request.inputs for c in embedder.embedded] == [["ping"]]
    assert embedder.calls == []


async def test_a_mode_without_a_cheap_probe_is_healthy_without_a_call_when_its_adapter_exists() -> None:
    ok = FakeChatProvider()
    report = await service(
        [deployment("c", "ok", model_info={"mode": "completion"})], FakeProviderDirectory(ok)
    ).check()
    (entry,) = report.healthy
    assert entry.probe == "none" and ok.calls == []
    assert report.to_json()["healthy_endpoints"][0]["probe"] == "none"


async def test_a_mode_without_a_cheap_probe_is_unhealthy_when_no_adapter_serves_it() -> None:
    report = await service(
        [deployment("i", "ok", model_info={"mode": "image_generation"})], FakeProviderDirectory(FakeChatProvider())
    ).check()
    (entry,) = report.unhealthy
    assert entry.error is not None and entry.error.startswith("BadRequest: ")


async def test_the_model_filter_probes_only_that_group() -> None:
    ok = FakeChatProvider()
    deployments = [deployment("a1", "ok", "a"), deployment("a2", "ok", "a"), deployment("b1", "ok", "b")]
    report = await service(deployments, FakeProviderDirectory(ok)).check("a")
    assert sorted(ids(report.healthy)) == ["a1", "a2"]
    assert len(ok.calls) == 2


async def test_an_unknown_model_filter_is_model_not_found() -> None:
    with pytest.raises(ModelNotFound):
        await service([deployment("a", "ok")], FakeProviderDirectory(FakeChatProvider())).check("nope")


async def test_wildcard_deployments_are_not_probed() -> None:
    ok = FakeChatProvider()
    wildcard = Deployment(id="w", model_name="openai/*", provider="ok", model="*")
    report = await service([wildcard, deployment("a", "ok")], FakeProviderDirectory(ok)).check()
    assert ids(report.healthy) == ["a"] and report.unhealthy == ()
    assert len(ok.calls) == 1


async def test_on_result_hears_every_result() -> None:
    heard: list[EndpointHealth] = []

    async def on_result(result: EndpointHealth) -> None:
        heard.append(result)

    providers = FakeProviderDirectory(FakeChatProvider(), down=FakeChatProvider(error=ProviderUnavailable("x")))
    await service([deployment("a", "ok"), deployment("b", "down")], providers, on_result=on_result).check()
    assert sorted((r.deployment_id, r.healthy) for r in heard) == [("a", True), ("b", False)]


async def test_a_failing_on_result_does_not_stop_the_check() -> None:
    async def on_result(result: EndpointHealth) -> None:
        raise RuntimeError("boom")

    report = await service(
        [deployment("a", "ok")], FakeProviderDirectory(FakeChatProvider()), on_result=on_result
    ).check()
    assert ids(report.healthy) == ["a"]


async def test_probes_run_at_most_concurrency_at_once() -> None:
    running = peak = 0

    class Counting(FakeChatProvider):
        async def complete(self, call: ChatCall) -> Any:
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0)
            running -= 1
            return await super().complete(call)

    deployments = [deployment(f"d{i}", "ok") for i in range(7)]
    report = await service(deployments, FakeProviderDirectory(Counting()), concurrency=3).check()
    assert len(report.healthy) == 7 and peak == 3


async def test_the_report_never_shows_an_api_key_nor_credentials_in_the_api_base() -> None:
    secret = "sk-very-secret-key"
    down = FakeChatProvider(error=ProviderUnavailable("upstream answered 500"))
    risky = deployment(
        "a", "down", api_key=SecretStr(secret), api_base=f"https://user:{secret}@example.com/v1?key={secret}"
    )
    report = await service([risky], FakeProviderDirectory(down)).check()
    body = repr(report.to_json())
    assert secret not in body
    assert report.to_json()["unhealthy_endpoints"][0]["api_base"] == "https://example.com/v1"


async def test_the_report_has_litellms_shape() -> None:
    providers = FakeProviderDirectory(FakeChatProvider(), down=FakeChatProvider(error=ProviderUnavailable("x")))
    report = await service(
        [deployment("a", "ok", api_base="http://up:1/v1"), deployment("b", "down")], providers
    ).check()
    body = report.to_json()
    assert body["healthy_count"] == 1 and body["unhealthy_count"] == 1
    healthy, unhealthy = body["healthy_endpoints"][0], body["unhealthy_endpoints"][0]
    assert healthy["model"] == "ok/a-upstream" and healthy["model_name"] == "a" and healthy["model_id"] == "a"
    assert healthy["api_base"] == "http://up:1/v1" and "error" not in healthy
    assert unhealthy["error"] == "ProviderUnavailable: x"


async def test_last_is_the_most_recent_report() -> None:
    health = service([deployment("a", "ok")], FakeProviderDirectory(FakeChatProvider()))
    assert health.last() is None
    report = await health.check()
    assert health.last() is report


async def test_background_checks_run_every_interval_until_cancelled() -> None:
    waits: list[float] = []
    ok = FakeChatProvider()

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise asyncio.CancelledError

    health = service([deployment("a", "ok")], FakeProviderDirectory(ok), sleep=sleep)
    with pytest.raises(asyncio.CancelledError):
        await health.run_background(interval=42)
    assert waits == [42, 42, 42]
    assert len(ok.calls) == 3
    assert isinstance(health.last(), HealthReport)


async def test_a_failed_background_round_does_not_stop_the_loop() -> None:
    rounds = 0

    class Broken(DeploymentDirectory):
        def all(self) -> list[Deployment]:
            nonlocal rounds
            rounds += 1
            raise RuntimeError("directory broke")

    async def sleep(seconds: float) -> None:
        if rounds == 2:
            raise asyncio.CancelledError

    health = HealthService(Broken([]), FakeProviderDirectory(FakeChatProvider()), FakeClock(), sleep=sleep)
    with pytest.raises(asyncio.CancelledError):
        await health.run_background(interval=1)
    assert rounds == 2
