"""What governance hands the rest of the gateway: the authenticator, the call hooks and sinks it
adds to every call, the management services and what readiness pings. Off (no
``general_settings.master_key``) it is an open gateway: every caller is anonymous, no hook, no
management route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from switchboard.application.auth import Authenticator, CustomAuth
from switchboard.application.governance.services import Governance
from switchboard.application.hooks import HookPipeline
from switchboard.application.readiness import Dependency
from switchboard.bootstrap.observability import Observability
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.hooks import CallHook
from switchboard.domain.ports.responses import ResponseStore


@dataclass(frozen=True)
class GovernanceRuntime:
    """``hooks`` run first on every call (model access, rate limits, budgets); ``sinks`` get
    every outcome (the spend writer)."""

    auth: Authenticator
    hooks: tuple[CallHook, ...] = ()
    sinks: tuple[EventSink, ...] = ()
    services: Governance | None = None  # None: no management routes
    dependencies: tuple[Dependency, ...] = ()  # what readiness pings (the database)
    responses: ResponseStore | None = None  # stored Responses API responses (None: in memory)


def governance_mode(master_key: str | None) -> str:
    """The container's choice: ``on`` with a master key (as in LiteLLM, virtual keys need one)."""
    return "on" if master_key else "off"


def open_gateway(custom_auth: CustomAuth | None = None) -> GovernanceRuntime:
    """Governance off: every caller is served, anonymously (or as ``general_settings.custom_auth``
    says)."""
    return GovernanceRuntime(Authenticator(None, custom=custom_auth))


def call_pipeline(
    governance: GovernanceRuntime, observability: Observability, custom: Sequence[CallHook]
) -> HookPipeline:
    """The call hooks in order: access, limits and budgets; observability's; the custom hooks
    (``litellm_settings.call_hooks``) last. Sinks: observability's, then the spend writer."""
    return HookPipeline(
        hooks=(*governance.hooks, *observability.hooks, *custom),
        sinks=(*observability.sinks, *governance.sinks),
    )
