"""``GET /metrics``: the Prometheus exposition, served when the ``prometheus`` callback is set."""

from __future__ import annotations

from collections.abc import Callable

from litestar import get
from litestar.handlers import HTTPRouteHandler

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.adapters.inbound.http.responses import Receive, Reply, Scope, Send
from switchboard.domain.governance.route_access import METRICS_ROUTES

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


def metrics_route(render: MetricsRenderer) -> HTTPRouteHandler:
    """The route, in the ``metrics`` access group: an admin, a ``proxy_admin_viewer`` or the scrape
    token (``general_settings.metrics_scrape_token``) may read it, anyone with ``metrics_public``."""

    @get("/metrics", include_in_schema=False, opt={ACCESS: METRICS_ROUTES})
    async def metrics() -> Reply:
        return _Exposition(*render())  # a plain ASGI callable, as in routes.py

    return metrics
