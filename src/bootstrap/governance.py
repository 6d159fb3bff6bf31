"""Governance, as the container sees it: off (an open gateway, nothing to load) or on, when
``general_settings.master_key`` is set; then ``bootstrap/governance_store.py`` opens the
database, the counters, the caches and the hooks.

The store side loads SQLAlchemy, Alembic and the persistence adapters (about a second of
imports); this module keeps them out of a gateway or facade that runs without governance.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from switchboard.application.auth import Authenticator
from switchboard.application.hooks import HookPipeline
from switchboard.application.readiness import Dependency
from switchboard.bootstrap.custom_auth import configured_custom_auth
from switchboard.bootstrap.hooks import load_call_hooks
from switchboard.bootstrap.settings import RuntimeSettings
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.hooks import CallHook
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.responses import ResponseStore

if TYPE_CHECKING:
    from switchboard.application.deployments import DeploymentDirectory
    from switchboard.application.governance.services import Governance


@dataclass(frozen=True)
class GovernanceRuntime:
    """``hooks`` run first on every call (model access, rate limits, budgets); ``custom``
    (``litellm_settings.call_hooks``) run last; ``sinks`` get every outcome (the spend writer)."""

    auth: Authenticator
    hooks: tuple[CallHook, ...]
    sinks: tuple[EventSink, ...]
    custom: tuple[CallHook, ...] = ()
    services: Governance | None = None
    dependencies: tuple[Dependency, ...] = ()  # what readiness pings (the database)
    responses: ResponseStore | None = None  # stored Responses API responses (None: in memory)


def call_pipeline(governance: GovernanceRuntime, observability: Any) -> HookPipeline:
    """The call hooks in order: access, limits and budgets; observability's; custom hooks last.
    Sinks: observability's, then the spend writer."""
    return HookPipeline(
        hooks=(*governance.hooks, *observability.hooks, *governance.custom),
        sinks=(*observability.sinks, *governance.sinks),
    )


async def open_governance(
    settings: RuntimeSettings,
    clock: Clock,
    ids: IdSource,
    redis: Any,
    directory: DeploymentDirectory,
    catalog: ModelCatalog | None = None,
    alerts: Alerts | None = None,
) -> AsyncIterator[GovernanceRuntime]:
    """Without a master key: an open gateway with the custom call hooks only. With one: the
    whole governance store, opened here and closed when the container shuts down."""
    if not settings.master_key:
        custom = load_call_hooks(settings.config.litellm_settings.call_hooks)
        auth = Authenticator(
            None, custom=configured_custom_auth(settings.config.general_settings.custom_auth, settings.source)
        )
        yield GovernanceRuntime(auth, hooks=(), sinks=(), custom=tuple(custom))
        return
    from switchboard.bootstrap.governance_store import open_store_governance

    opened = asynccontextmanager(open_store_governance)
    async with opened(settings, clock, ids, redis, directory, catalog, alerts) as runtime:
        yield runtime
