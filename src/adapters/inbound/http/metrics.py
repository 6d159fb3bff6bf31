"""``GET /metrics``: the Prometheus exposition, served when the ``prometheus`` callback is set."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from adapters.inbound.http.credentials import presented_key
from adapters.inbound.http.services import HttpServices
from domain.errors import PermissionDenied

MetricsRenderer = Callable[[], tuple[bytes, str]]


def metrics_route(render: MetricsRenderer, *, require_auth: bool = False) -> HTTPRouteHandler:
    """The route. With ``require_auth`` (LiteLLM's ``require_auth_for_metrics_endpoint``) only an
    admin credential (the master key) may read it; otherwise it is open, as scrapers expect."""

    @get("/metrics", include_in_schema=False)
    async def metrics(request: Request, services: NamedDependency[HttpServices]) -> Response[bytes]:  # type: ignore[type-arg]
        if require_auth:
            principal = await services.auth.authenticate(presented_key(request.scope))  # type: ignore[arg-type]
            if not principal.is_admin:
                raise PermissionDenied("Reading /metrics needs an admin key.", code="permission_denied")
        body, content_type = render()
        return Response(content=body, media_type=content_type)

    return metrics
