"""Health-check settings, and the background loop that runs from start-up to shutdown."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.health import HealthService
from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.health import build_health_service, open_health_checks
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings
from switchboard.domain.deployments import Deployment
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory
from tests.fakes.system import FakeClock

MODELS = [{"model_name": "m", "litellm_params": {"model": "mock/mock"}}]


def settings_with(**general: Any) -> Any:
    return load_settings({"model_list": MODELS, "general_settings": general}, known_providers())


def test_health_settings_are_accepted_in_general_settings() -> None:
    loaded, problems = check_config(
        {
            "general_settings": {
                "background_health_checks": True,
                "health_check_interval": 60,
                "health_check_timeout": 5,
            }
        },
        environ={},
    )
    assert loaded is not None and problems == []


def test_a_health_check_interval_of_zero_is_a_config_error() -> None:
    loaded, problems = check_config({"general_settings": {"health_check_interval": 0}}, environ={})
    assert loaded is None
    assert any("health_check_interval" in p.path for p in problems)


async def test_the_probe_timeout_comes_from_health_check_timeout() -> None:
    ok = FakeChatProvider()
    settings = settings_with(health_check_timeout=7)
    health = build_health_service(
        settings, DeploymentDirectory(settings.deployments), FakeProviderDirectory(ok), FakeClock()
    )
    await health.check()
    assert [c.timeout for c in ok.calls] == [7]


class Rounds:
    """A sleep for the loop: after ``rounds`` rounds it signals, then waits until cancelled."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.waits = 0
        self.done = asyncio.Event()
        self.cancelled = False

    async def sleep(self, seconds: float) -> None:
        self.waits += 1
        if self.waits < self.rounds:
            return
        self.done.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


def service(ok: FakeChatProvider, rounds: Rounds) -> HealthService:
    deployments = [Deployment(id="d", model_name="m", provider="mock", model="mock")]
    return HealthService(DeploymentDirectory(deployments), FakeProviderDirectory(ok), FakeClock(), sleep=rounds.sleep)


async def test_background_checks_run_while_the_gateway_is_up_and_stop_at_shutdown() -> None:
    ok, rounds = FakeChatProvider(), Rounds(2)
    health = service(ok, rounds)
    opened = asynccontextmanager(open_health_checks)
    async with opened(settings_with(background_health_checks=True, health_check_interval=1), health) as served:
        assert served is health
        await rounds.done.wait()
    assert len(ok.calls) == 2
    assert rounds.cancelled
    assert health.last() is not None


async def test_without_background_checks_nothing_is_probed() -> None:
    ok, rounds = FakeChatProvider(), Rounds(1)
    opened = asynccontextmanager(open_health_checks)
    async with opened(settings_with(), service(ok, rounds)):
        await asyncio.sleep(0)
    assert ok.calls == [] and rounds.waits == 0
