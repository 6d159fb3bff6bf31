"""The Litestar application: routes, error shape, request ids and the body-size limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from litestar import Litestar, Request, Response, get
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.types import ControllerRouterHandler

from switchboard.adapters.inbound.http.errors import error_payload, render, render_unexpected
from switchboard.adapters.inbound.http.middleware import RequestIdMiddleware
from switchboard.adapters.inbound.http.openapi import build_openapi
from switchboard.adapters.inbound.http.routes import ROUTES, hot_routes
from switchboard.adapters.inbound.http.routes_health import HEALTH_ROUTES
from switchboard.adapters.inbound.http.routes_media import MEDIA_ROUTES
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.domain.errors import SwitchboardError

Hook = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class HttpOptions:
    version: str = "0"
    max_body_bytes: int = 20 * 1024 * 1024
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    extra_routes: Sequence[ControllerRouterHandler] = field(default_factory=tuple)
    openapi_extra: dict[str, Any] = field(default_factory=dict)


def _json(status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> Response[bytes]:
    return Response(
        content=body,
        status_code=status,
        media_type="application/json",
        headers={k.decode(): v.decode() for k, v in headers},
    )


def _on_domain_error(_: Request[Any, Any, Any], exc: SwitchboardError) -> Response[bytes]:
    return _json(*render(exc))


_HTTP_TYPES = {
    400: ("invalid_request_error", None),
    401: ("authentication_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "payload_too_large"),
}


def _on_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        return _json(*render_unexpected(exc))
    kind, code = _HTTP_TYPES.get(status, ("invalid_request_error", None))
    if status == 404:
        message = f"Unknown route: {request.method} {request.url.path}"
    elif status == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    elif status == 413:
        message = "The request body is larger than this gateway accepts."
    else:
        message = exc.detail
    return _json(status, error_payload(message, kind, code), [])


def _on_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    return _json(*render_unexpected(exc))


def build_http_app(services: Callable[[], HttpServices], options: HttpOptions) -> Litestar:
    """The gateway's ASGI app. ``services`` returns the wired services once start-up has run."""
    schema = orjson.dumps({**build_openapi(options.version), **options.openapi_extra})

    @get("/schema/openapi.json", include_in_schema=False, media_type="application/json")
    async def openapi() -> bytes:
        return schema

    async def startup() -> None:
        for hook in options.on_startup:
            await hook()

    async def shutdown() -> None:
        for hook in options.on_shutdown:
            await hook()

    return Litestar(
        route_handlers=[*hot_routes(services), *ROUTES, *MEDIA_ROUTES, *HEALTH_ROUTES, openapi, *options.extra_routes],
        dependencies={"services": Provide(services, sync_to_thread=False)},
        exception_handlers={
            SwitchboardError: _on_domain_error,
            HTTPException: _on_http_error,
            Exception: _on_unexpected,
        },
        middleware=[RequestIdMiddleware],
        on_startup=[startup],
        on_shutdown=[shutdown],
        openapi_config=None,
        logging_config=None,
        request_max_body_size=options.max_body_bytes,
    )
