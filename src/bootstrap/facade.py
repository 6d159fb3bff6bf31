"""``Client`` and ``AsyncClient`` built from the container: the Python facade.

Importing this module loads neither the HTTP server stack nor the HTTP client library nor the
configuration machinery; the container is built by the first ``Client(...)`` and the pooled
upstream client opens on the first call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from switchboard.adapters.inbound import sdk

ConfigArg = str | Path | Mapping[str, Any] | None

if TYPE_CHECKING:
    from switchboard.bootstrap.container import Container


class AsyncClient(sdk.AsyncClient):
    """``AsyncClient(config=None)``: ``config`` is a YAML path, a dict, or ``None`` (then
    ``$SWITCHBOARD_CONFIG`` or the built-in defaults with the ``mock`` model).

    ``container=`` takes a container already built (``bootstrap.container.build_container``),
    with some providers overridden, for tests and applications that embed the gateway."""

    def __init__(self, config: ConfigArg = None, *, container: Container | None = None) -> None:
        if container is None:
            container = _container_for(config)
        wired = container

        async def open_services() -> sdk.SdkServices:
            return await wired.sdk_services.async_()

        async def close_services() -> None:
            await _stop(wired)

        super().__init__(open_services, close_services)


def _container_for(config: ConfigArg) -> Container:
    # The composition root (config schema, container, optional subsystems) loads with the first
    # client, not when the facade is imported.
    from switchboard.bootstrap.container import build_container  # lazy: the wiring (~300 ms), at first use
    from switchboard.bootstrap.providers import known_providers  # lazy: with the wiring
    from switchboard.bootstrap.settings import load_settings  # lazy: pydantic and the config schema

    return build_container(load_settings(config, known_providers()))


async def _stop(container: Container) -> None:
    from switchboard.bootstrap.container import stop  # lazy: loaded already once a container exists

    await stop(container)


class Client(sdk.Client):
    """``Client(config=None)``: the blocking facade; see ``AsyncClient`` for ``config`` and
    ``container``."""

    def __init__(self, config: ConfigArg = None, *, container: Container | None = None) -> None:
        super().__init__(AsyncClient(config, container=container))
