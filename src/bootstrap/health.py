"""Deployment health checks, as the container wires them: the service behind ``GET /health``,
and, when ``general_settings.background_health_checks`` is on, its loop running from start-up
to shutdown every ``health_check_interval`` seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.health import HealthService, OnResult
from switchboard.bootstrap.settings import RuntimeSettings
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.providers import ProviderDirectory

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0


def build_health_service(
    settings: RuntimeSettings,
    directory: DeploymentDirectory,
    providers: ProviderDirectory,
    clock: Clock,
    on_result: OnResult | None = None,
) -> HealthService:
    """The service, with ``general_settings.health_check_timeout`` per probe (30s by default)."""
    timeout = settings.config.general_settings.health_check_timeout or DEFAULT_TIMEOUT
    return HealthService(directory, providers, clock, timeout=timeout, on_result=on_result)


async def open_health_checks(settings: RuntimeSettings, health: HealthService) -> AsyncIterator[HealthService]:
    """Yields ``health``; with background checks on, runs them until the container shuts down."""
    general = settings.config.general_settings
    if not general.background_health_checks:
        yield health
        return
    task = asyncio.create_task(health.run_background(general.health_check_interval), name="switchboard-health-checks")
    log.info("background health checks on", extra={"interval": general.health_check_interval})
    try:
        yield health
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
