"""The one authorisation point of the management routes.

It runs after routing, on the route the router matched (``scope["path_template"]``), so no
Host header, ``..`` or ``%2e`` can make it judge a different route than the one that runs.
A route without an ``access`` group in its ``opt`` is refused: nothing ships unguarded.
Authentication failures end in 401/503; there is no default principal. It runs before the
request body is read: a stranger's body is never parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from switchboard.adapters.inbound.http.credentials import presented_key
from switchboard.adapters.inbound.http.management.dependencies import PRINCIPAL_STATE
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.auth import refused
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES, ROUTE_GROUPS, SPEND_ROUTES
from switchboard.domain.principal import PrincipalKind

ACCESS = "access"
MANAGE = {ACCESS: MANAGEMENT_ROUTES}  # the ``opt`` of a route that changes things
INFO = {ACCESS: INFO_ROUTES}  # ... that reads them
SPEND = {ACCESS: SPEND_ROUTES}  # ... that reads spend

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


def management_guard(services: Callable[[], HttpServices]) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        group = handler.opt.get(ACCESS)
        if group not in ROUTE_GROUPS:
            raise PermissionDenied("This route is not open to anyone.", code="route_not_allowed")
        wired = services()
        if wired.governance is None:
            raise PermissionDenied(
                "Management needs general_settings.master_key to be set.", code="management_disabled"
            )
        principal = await wired.auth.authenticate(presented_key(connection.scope), connection.scope)
        if principal.kind is PrincipalKind.ANONYMOUS:
            raise refused()
        wired.auth.authorize_route(principal, connection.scope["path_template"], group)
        connection.scope["state"][PRINCIPAL_STATE] = principal

    return guard
