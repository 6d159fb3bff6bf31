"""The gateway's ASGI app, built from the container."""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import structlog
from litestar import Litestar

from switchboard import __version__
from switchboard.adapters.inbound.http import HttpOptions, HttpServices, build_http_app
from switchboard.adapters.inbound.http.guarded_protocol import configure as configure_server_limits
from switchboard.adapters.inbound.http.management import management_router
from switchboard.adapters.inbound.http.metrics import metrics_route
from switchboard.bootstrap.container import Container, build_container, stop
from switchboard.bootstrap.logging import configure_logging
from switchboard.bootstrap.observability import MetricsRenderer
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import CONFIG_ENV, RuntimeSettings, load_settings

log = structlog.get_logger("switchboard")


def create_app(config: str | Path | Mapping[str, Any] | RuntimeSettings | None = None) -> Litestar:
    """The gateway for ``config`` (a path, a dict, loaded settings, or ``None`` for the defaults)."""
    settings = config if isinstance(config, RuntimeSettings) else load_settings(config, known_providers())
    configure_logging(json=settings.json_logs)
    return build_app(build_container(settings))


class _Started:
    """What start-up resolved, for the handlers (declared before the app starts)."""

    services: HttpServices | None = None
    metrics: MetricsRenderer | None = None

    def http_services(self) -> HttpServices:
        if self.services is None:
            raise RuntimeError("the gateway has not started")
        return self.services

    def render_metrics(self) -> tuple[bytes, str]:
        if self.metrics is None:
            raise RuntimeError("the gateway has not started")
        return self.metrics()


def build_app(container: Container) -> Litestar:
    """The gateway over ``container``: its ``http_services`` are resolved at start-up (so a
    provider overridden before then is the one the handlers use) and its resources closed at
    shutdown."""
    settings: RuntimeSettings = container.settings()
    started = _Started()

    async def start() -> None:
        started.services = await container.http_services.async_()
        started.metrics = await container.metrics.async_()
        if started.services.auth.open:
            log.warning(
                "gateway is open: no general_settings.master_key is set, so any caller is served",
                config=settings.source,
            )
        log.info("gateway started", config=settings.source, deployments=len(settings.deployments))
        gc.collect()
        gc.freeze()  # start-up objects live forever; keep them out of every later collection

    async def shutdown() -> None:
        await stop(container)
        log.info("gateway stopped")

    metrics = [metrics_route(started.render_metrics)] if settings.observability.prometheus is not None else []
    return build_http_app(
        started.http_services,
        HttpOptions(
            version=__version__,
            max_body_bytes=settings.max_body_bytes,
            on_startup=[start],
            on_shutdown=[shutdown],
            extra_routes=[*metrics, management_router(started.http_services)],
        ),
    )


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
