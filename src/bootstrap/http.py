"""The gateway's ASGI app, built from the container."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import structlog
from litestar import Litestar

from switchboard import __version__
from switchboard.adapters.inbound.http import HttpOptions, HttpServices, build_http_app
from switchboard.adapters.inbound.http.access import AccessPolicy
from switchboard.adapters.inbound.http.client_address import trusted_networks
from switchboard.adapters.inbound.http.guarded_protocol import configure as configure_server_limits
from switchboard.adapters.inbound.http.management import management_router
from switchboard.adapters.inbound.http.metrics import metrics_route
from switchboard.application.governance.auth_throttle import AuthFailureThrottle
from switchboard.application.models import list_models
from switchboard.application.readiness import Dependency
from switchboard.application.readiness import readiness as check_readiness
from switchboard.bootstrap.container import build_container
from switchboard.bootstrap.logging import configure_logging
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import CONFIG_ENV, RuntimeSettings, load_settings
from switchboard.domain.ports.clock import Clock

log = structlog.get_logger("switchboard")


def create_app(config: str | Path | Mapping[str, Any] | RuntimeSettings | None = None) -> Litestar:
    """The gateway for ``config`` (a path, a dict, loaded settings, or ``None`` for the defaults)."""
    settings = config if isinstance(config, RuntimeSettings) else load_settings(config, known_providers())
    configure_logging(json=settings.json_logs)
    container = build_container(settings)
    holder: dict[str, HttpServices] = {}
    metrics: dict[str, Callable[[], tuple[bytes, str]]] = {}

    dependencies: list[Dependency] = []

    async def readiness() -> dict[str, Any]:
        return {**await check_readiness(dependencies), "models": len(settings.deployments)}

    async def start() -> None:
        await container.init_resources()  # type: ignore[misc]
        directory = container.directory()
        governance = await container.governance()  # type: ignore[misc]
        dependencies.extend(governance.dependencies)
        if (redis := await container.redis()) is not None:  # type: ignore[misc]
            dependencies.append(Dependency("redis", redis.ping, required=False))
        holder["services"] = HttpServices(
            chat=await container.chat(),  # type: ignore[misc]
            embeddings=await container.embeddings(),  # type: ignore[misc]
            auth=governance.auth,
            models=lambda: list_models(directory),
            readiness=readiness,
            max_body_bytes=settings.max_body_bytes,
            completions=await container.completions(),  # type: ignore[misc]
            images=await container.images(),  # type: ignore[misc]
            transcriptions=await container.transcriptions(),  # type: ignore[misc]
            speech=await container.speech(),  # type: ignore[misc]
            health=await container.health_checks(),  # type: ignore[misc]
            governance=governance.services,
            access=access_policy(settings, container.clock()),
        )
        if (render := (await container.observability()).metrics) is not None:  # type: ignore[misc]
            metrics["render"] = render
        if holder["services"].auth.open:
            log.warning(
                "gateway is open: no general_settings.master_key is set, so any caller is served",
                config=settings.source,
            )
        log.info("gateway started", config=settings.source, deployments=len(settings.deployments))
        gc.collect()
        gc.freeze()  # start-up objects live forever; keep them out of every later collection

    async def stop() -> None:
        await container.shutdown_resources()  # type: ignore[misc]
        log.info("gateway stopped")

    def services() -> HttpServices:
        return holder["services"]

    return build_http_app(
        services,
        HttpOptions(
            version=__version__,
            max_body_bytes=settings.max_body_bytes,
            on_startup=[start],
            on_shutdown=[stop],
            extra_routes=[*_metrics_routes(settings, metrics), management_router(services)],
        ),
    )


def access_policy(settings: RuntimeSettings, clock: Clock) -> AccessPolicy:
    """The access decision's settings: who reads /metrics, the failed-authentication throttle."""
    general = settings.config.general_settings
    token = general.metrics_scrape_token.get_secret_value() if general.metrics_scrape_token else None
    limit = general.auth_failure_limit
    return AccessPolicy(
        metrics_token=token.encode() if token else None,
        # LiteLLM's require_auth_for_metrics_endpoint wins over metrics_public
        metrics_public=general.metrics_public and not settings.observability.metrics_auth,
        throttle=AuthFailureThrottle(clock, limit=limit, window=general.auth_failure_window) if limit else None,
        trusted_proxies=trusted_networks(general.trusted_proxies),
    )


def _metrics_routes(settings: RuntimeSettings, metrics: dict[str, Callable[[], tuple[bytes, str]]]) -> list[Any]:
    if settings.observability.prometheus is None:
        return []
    return [metrics_route(lambda: metrics["render"]())]


# The server's collector thresholds. A request allocates a few hundred short-lived objects, so
# with CPython's default (700) the young generation was collected every few requests; under
# load that cost about 15 % of the gateway's CPU (measured with `make bench`). 20,000 collects
# once every fifty-odd requests and holds a few MB of young objects at most (50,000 was no
# faster and held 5-10 MB more). Set once start-up is over, so the garbage of loading and
# wiring is collected (and frozen) with the defaults.
SERVER_GC_THRESHOLD = (20_000, 50, 100)


async def _tune_collector() -> None:
    gc.set_threshold(*SERVER_GC_THRESHOLD)


def create_app_from_env() -> Litestar:
    """For ``uvicorn --factory``: the configuration path comes from ``SWITCHBOARD_CONFIG``.
    Only the server process tunes the garbage collector and sets the server's connection limits;
    the facade leaves its host's alone."""
    settings = load_settings(os.environ.get(CONFIG_ENV) or None, known_providers())
    general = settings.config.general_settings
    configure_server_limits(
        header_timeout=general.request_header_timeout,
        body_timeout=general.request_body_timeout,
        max_connections_per_client=general.max_connections_per_client,
    )
    app = create_app(settings)
    app.on_startup.append(_tune_collector)
    return app
