"""``GET /metrics``: the Prometheus exposition, served when the ``prometheus`` callback is set."""

from __future__ import annotations

from collections.abc import Callable

from litestar import get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler

from switchboard.adapters.inbound.http.credentials import presented_key
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.responses import Receive, Reply, Scope, Send
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.domain.errors import PermissionDenied

MetricsRenderer = Callable[[], tuple[bytes, str]]


class _Exposition:
    """The body with the exposition format's own content type, untouched by the framework."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self._body = body
        self._type = content_type.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", self._type), (b"content-length", str(len(self._body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": self._body})


def metrics_route(render: MetricsRenderer, *, require_auth: bool = False) -> HTTPRouteHandler:
    """The route. With ``require_auth`` (LiteLLM's ``require_auth_for_metrics_endpoint``) only an
    admin credential (the master key) may read it; otherwise it is open, as scrapers expect."""

    @get("/metrics", include_in_schema=False)
    async def metrics(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
        if require_auth:
            principal = await services.auth.authenticate(presented_key(request.scope))
            if not principal.is_admin:
                raise PermissionDenied("Reading /metrics needs an admin key.", code="permission_denied")
        return _Exposition(*render())  # a plain ASGI callable, as in routes.py

    return metrics
