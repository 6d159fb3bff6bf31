"""The management services for the CLI, resolved from the one container: the same governance
sub-container the gateway runs, without its hooks or background tasks. Changes reach running
gateways through Redis when one is configured (else within their cache TTL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from switchboard.application.governance.services import Governance
from switchboard.bootstrap.container import Container, build_container, stop
from switchboard.bootstrap.settings import RuntimeSettings


@asynccontextmanager
async def operator_governance(
    settings: RuntimeSettings, container: Container | None = None
) -> AsyncIterator[Governance]:
    """``container``: one already built (with providers overridden, in tests)."""
    container = container or build_container(settings)
    try:
        services: Governance = await container.governance.services.async_()
        yield services
    finally:
        await stop(container)
