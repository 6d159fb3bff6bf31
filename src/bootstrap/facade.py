"""``Client`` and ``AsyncClient`` built from the container: the Python facade.

Importing this module loads neither the HTTP server stack nor the HTTP client library nor the
configuration machinery; the container is built by the first ``Client(...)`` and the pooled
upstream client opens on the first call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from switchboard.adapters.inbound import sdk

ConfigArg = str | Path | Mapping[str, Any] | None


class AsyncClient(sdk.AsyncClient):
    """``AsyncClient(config=None)``: ``config`` is a YAML path, a dict, or ``None`` (then
    ``$SWITCHBOARD_CONFIG`` or the built-in defaults with the ``mock`` model)."""

    def __init__(self, config: ConfigArg = None) -> None:
        # The composition root (config schema, container, optional subsystems) loads here, on
        # first construction, not when the facade is imported.
        from switchboard.application.models import list_models
        from switchboard.bootstrap.container import build_container
        from switchboard.bootstrap.providers import known_providers
        from switchboard.bootstrap.settings import load_settings

        settings = load_settings(config, known_providers())
        container = build_container(settings)

        async def open_services() -> sdk.SdkServices:
            await container.init_resources()  # type: ignore[misc]
            directory = container.directory()
            return sdk.SdkServices(
                chat=await container.chat(),  # type: ignore[misc]
                embeddings=await container.embeddings(),  # type: ignore[misc]
                models=lambda: list_models(directory),
                completions=await container.completions(),  # type: ignore[misc]
                images=await container.images(),  # type: ignore[misc]
                transcriptions=await container.transcriptions(),  # type: ignore[misc]
                speech=await container.speech(),  # type: ignore[misc]
                responses=await container.responses(),  # type: ignore[misc]
            )

        async def close_services() -> None:
            await container.shutdown_resources()  # type: ignore[misc]

        super().__init__(open_services, close_services)


class Client(sdk.Client):
    """``Client(config=None)``: the blocking facade; see ``AsyncClient`` for ``config``."""

    def __init__(self, config: ConfigArg = None) -> None:
        super().__init__(AsyncClient(config))
