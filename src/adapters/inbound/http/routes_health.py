"""``GET /health``: probe the deployments now and report which answer (LiteLLM's route).

Probes call the providers, so the route is for admins: with a master key set, only the master
key or a ``proxy_admin`` is served; without one (an open gateway) anyone is. Some deployments
being unhealthy is still a 200: the body says which.
"""

from __future__ import annotations

import orjson
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.types import ASGIApp

from switchboard.adapters.inbound.http.credentials import presented_key
from switchboard.adapters.inbound.http.responses import JsonResponse
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.auth import refused
from switchboard.application.health import HealthService
from switchboard.domain.errors import PermissionDenied, ServiceUnavailable
from switchboard.domain.governance.access import MANAGEMENT_ROUTES
from switchboard.domain.principal import PrincipalKind


async def require_admin(request: Request, services: HttpServices) -> None:  # type: ignore[type-arg]
    """Refuse (401/403) anyone but an admin when a master key is set; an open gateway serves all."""
    auth = services.auth
    if auth.open:
        return
    principal = await auth.authenticate(presented_key(request.scope))  # type: ignore[arg-type]
    if principal.kind is PrincipalKind.ANONYMOUS:
        raise refused()
    auth.authorize_route(principal, request.scope["path_template"], MANAGEMENT_ROUTES)
    if not principal.is_admin:
        raise PermissionDenied("Only an admin may run health checks.", code="admin_only")


def _health(services: HttpServices) -> HealthService:
    if services.health is None:
        raise ServiceUnavailable("Health checks are not available on this gateway.", code="health_unavailable")
    return services.health


@get("/health", summary="Probe every deployment (or ?model=) and report the healthy and unhealthy ones")
async def health(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    await require_admin(request, services)
    model = request.query_params.get("model")
    report = await _health(services).check(str(model) if model else None)
    return JsonResponse(orjson.dumps(report.to_json()))


HEALTH_ROUTES = [health]
