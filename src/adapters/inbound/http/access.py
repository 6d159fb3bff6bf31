"""The one access decision of the HTTP gateway, fed by the route table (deny by default).

Every route handler declares its access group in its ``opt`` (``opt={ACCESS: LLM_ROUTES}``; the
groups and who each serves are in ``domain/governance/route_access.py``). One app-level guard
calls ``decide`` for every Litestar route, and the bare ASGI chat route calls the same
``decide`` itself, first thing (``SelfGuardedASGIRoute``): the framework's guard would build an
``ASGIConnection`` per request on the hottest route. A route without a declared group is
refused (403) to everyone.

The decision runs after routing, on the route the router matched (``scope["path_template"]``),
so no Host header, ``..`` or ``%2e`` can make it judge a different route than the one that runs;
and before the body is read, so a stranger's body is never parsed. Failed authentications are
counted per client address (``AuthFailureThrottle``): only a credential that was presented and
refused counts, not a missing one; an address over the limit gets 429.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from litestar.connection import ASGIConnection
from litestar.handlers import ASGIRouteHandler
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from switchboard.adapters.inbound.http.client_address import Network, client_address
from switchboard.adapters.inbound.http.credentials import presented_key
from switchboard.adapters.inbound.http.responses import Scope
from switchboard.application.auth import refused
from switchboard.application.governance.auth_throttle import AuthFailureThrottle
from switchboard.domain.errors import AuthenticationError, PermissionDenied
from switchboard.domain.governance.access import LLM_ROUTES
from switchboard.domain.governance.route_access import (
    ACCESS_GROUPS,
    MANAGEMENT_GROUPS,
    METRICS_ROUTES,
    PUBLIC_ROUTES,
    check_route_access,
    needs_credential,
    undeclared,
)
from switchboard.domain.principal import ANONYMOUS, Principal

if TYPE_CHECKING:
    from switchboard.adapters.inbound.http.services import HttpServices

ACCESS = "access"  # the ``opt`` entry naming a route's access group
PRINCIPAL_STATE = "principal"  # where the decision leaves the caller, in the scope's state


class AccessPolicy:
    """What the decision needs besides the authenticator (bootstrap builds it from settings).

    A plain class, not a dataclass: Litestar checks injected values field by field, and cannot
    describe a union of network types."""

    __slots__ = ("metrics_public", "metrics_token", "throttle", "trusted_proxies")

    def __init__(
        self,
        *,
        metrics_token: bytes | None = None,  # general_settings.metrics_scrape_token
        metrics_public: bool = False,  # general_settings.metrics_public
        throttle: AuthFailureThrottle | None = None,  # None: failed authentications are not counted
        trusted_proxies: tuple[Network, ...] = (),  # peers whose X-Forwarded-For is believed
    ) -> None:
        self.metrics_token = metrics_token
        self.metrics_public = metrics_public
        self.throttle = throttle
        self.trusted_proxies = trusted_proxies


async def decide(scope: Scope, services: HttpServices, group: str | None) -> Principal:
    """The caller of this request if the route's ``group`` serves it; raises 401, 403 or 429."""
    if group == PUBLIC_ROUTES:  # probes and the document: served, and never throttled
        return ANONYMOUS
    policy = services.access
    throttle = policy.throttle
    if throttle is not None and throttle.blocked:
        throttle.check(client_address(scope, policy.trusted_proxies))
    if group != LLM_ROUTES:  # the chat route's group needs nothing of what follows
        served = _without_credential(scope, services, group)
        if served is not None:
            return served
    credential = presented_key(scope)
    try:
        principal = await services.auth.authenticate(credential, scope)
    except AuthenticationError:
        if throttle is not None and credential:  # a wrong credential, not a missing one
            throttle.failed(client_address(scope, policy.trusted_proxies))
        raise
    check_route_access(principal, scope["path_template"], group)
    return principal


def _without_credential(scope: Scope, services: HttpServices, group: str | None) -> Principal | None:
    """The answer for a route that needs no credential, else ``None``; refuses what no one may."""
    if group not in ACCESS_GROUPS:
        raise undeclared()
    if group in MANAGEMENT_GROUPS and services.governance is None:
        raise PermissionDenied("Management needs general_settings.master_key to be set.", code="management_disabled")
    if group == METRICS_ROUTES:
        return _metrics_without_key(scope, services)
    if not needs_credential(group, open_gateway=services.auth.open):
        return ANONYMOUS
    return None


def _metrics_without_key(scope: Scope, services: HttpServices) -> Principal | None:
    policy = services.access
    if policy.metrics_public:
        return ANONYMOUS
    token = policy.metrics_token
    if token is None:
        return ANONYMOUS if services.auth.open else None
    presented = presented_key(scope)
    if presented is not None and hmac.compare_digest(presented.encode("latin-1"), token):
        return ANONYMOUS
    if services.auth.open:
        raise refused()  # no admin exists on an open gateway: only the token opens /metrics
    return None


def access_guard(services: Callable[[], HttpServices]) -> Guard:
    """The app-level guard: the decision for the handler's declared group; the caller is left in
    the scope's state for the handler (``PRINCIPAL_STATE``)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        scope: Any = connection.scope
        scope["state"][PRINCIPAL_STATE] = await decide(scope, services(), handler.opt.get(ACCESS))

    return guard


class SelfGuardedASGIRoute(ASGIRouteHandler):
    """A bare ASGI route that calls ``decide`` itself, first thing, so the framework runs no guard
    for it. The route-table test proves each such route refuses a stranger like any other."""

    def resolve_guards(self) -> list[Guard]:
        return []
