"""Who may call a route, from the access group the route declares (deny by default).

Every route names one group in its ``opt`` (``adapters/inbound/http/access.py`` reads it):

===================  =============================================================================
group                who is served
===================  =============================================================================
``public``           anyone, without a credential (liveness, readiness, the OpenAPI document)
``llm_api_routes``   any valid credential whose ``allowed_routes`` cover the route; on an open
                     gateway (no master key) anyone
``info_routes``      a valid credential (the services then show each caller only what it may read)
``management_routes`` a valid credential (the services then let each caller change only its own)
``spend_tracking_routes`` a valid credential (the services filter what it may read)
``admin_routes``     an admin (the master key, a ``proxy_admin`` user); on an open gateway anyone
``metrics``          an admin or a ``proxy_admin_viewer``, or the scrape token
===================  =============================================================================

A route that names no group, or one not in this table, is refused (403) to everyone, the master
key included. The three management groups answer only when management is on (a master key set).
"""

from __future__ import annotations

from switchboard.domain.errors import AuthenticationError, PermissionDenied
from switchboard.domain.governance.access import (
    INFO_ROUTES,
    LLM_ROUTES,
    MANAGEMENT_ROUTES,
    SPEND_ROUTES,
    route_allowed,
)
from switchboard.domain.principal import Principal, PrincipalKind

PUBLIC_ROUTES = "public"
ADMIN_ROUTES = "admin_routes"
METRICS_ROUTES = "metrics"
MANAGEMENT_GROUPS = frozenset({INFO_ROUTES, MANAGEMENT_ROUTES, SPEND_ROUTES})
ACCESS_GROUPS = frozenset({PUBLIC_ROUTES, LLM_ROUTES, ADMIN_ROUTES, METRICS_ROUTES}) | MANAGEMENT_GROUPS

_REFUSED = "Invalid or missing API key. Send it as 'Authorization: Bearer <key>'."


def undeclared() -> PermissionDenied:
    return PermissionDenied("This route is not open to anyone.", code="route_not_allowed")


def needs_credential(group: str, *, open_gateway: bool) -> bool:
    """False when the group serves callers without a credential (then nobody is authenticated).
    ``metrics`` is decided with its own settings first (``metrics_public``, the scrape token)."""
    return group != PUBLIC_ROUTES and not (open_gateway and group == ADMIN_ROUTES)


def check_route_access(principal: Principal, template: str, group: str | None) -> None:
    """Refuse (401 for no credential, 403 otherwise) an authenticated ``principal`` the group does
    not serve. ``template`` is the route as the router matched it, never the raw path."""
    if group == LLM_ROUTES:
        _allowed_routes(principal, template, group)
        return
    if principal.kind is PrincipalKind.ANONYMOUS:
        raise AuthenticationError(_REFUSED, code="invalid_api_key")
    if group in MANAGEMENT_GROUPS:
        _allowed_routes(principal, template, group)
    elif group == ADMIN_ROUTES:
        _allowed_routes(principal, template, MANAGEMENT_ROUTES)
        if not principal.is_admin:
            raise PermissionDenied("Only an admin may use this route.", code="admin_only")
    elif group == METRICS_ROUTES:
        if not principal.reads_everything:
            raise PermissionDenied("Reading /metrics needs an admin key or the scrape token.", code="admin_only")
    else:
        raise undeclared()


def _allowed_routes(principal: Principal, template: str, group: str) -> None:
    if not route_allowed(principal, template, group):
        raise PermissionDenied(f"This key may not use {template}.", code="route_not_allowed")
