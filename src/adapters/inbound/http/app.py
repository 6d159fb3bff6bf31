"""The Litestar application: routes, error shape, request ids and the body-size limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Response
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.spec import OpenAPI
from litestar.plugins.pydantic import PydanticDIPlugin, PydanticInitPlugin, PydanticSchemaPlugin
from litestar.types import ControllerRouterHandler

from switchboard.adapters.inbound.http.access import access_guard
from switchboard.adapters.inbound.http.errors import error_payload, render, render_unexpected
from switchboard.adapters.inbound.http.management.bodies import FormDecoding
from switchboard.adapters.inbound.http.middleware import RequestIdMiddleware
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.routes import ROUTES, hot_routes
from switchboard.adapters.inbound.http.routes_health import HEALTH_ROUTES
from switchboard.adapters.inbound.http.routes_media import MEDIA_ROUTES
from switchboard.adapters.inbound.http.routes_messages import messages_routes
from switchboard.adapters.inbound.http.routes_responses import RESPONSES_ROUTES
from switchboard.adapters.inbound.http.schema import openapi_config, raw_document, raw_routes
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


def _json(status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> Response[bytes]:
    return Response(
        content=body,
        status_code=status,
        media_type="application/json",
        headers={k.decode(): v.decode() for k, v in headers},
    )


def _on_domain_error(_: HttpRequest, exc: SwitchboardError) -> Response[bytes]:
    return _json(*render(exc))


_HTTP_TYPES = {
    400: ("invalid_request_error", None),
    401: ("authentication_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "payload_too_large"),
}


def _invalid(exc: ValidationException) -> tuple[str, str | None]:
    """The message and the field of Litestar's validation error (a query or path parameter, or
    a missing body: bodies themselves are validated into forms with the gateway's own words)."""
    problems = exc.extra if isinstance(exc.extra, list) else []
    first: dict[str, Any] = problems[0] if problems and isinstance(problems[0], dict) else {}
    name, problem = first.get("key"), first.get("message")
    if name == "data" and first.get("source") == "body":
        return "The request body is empty; send a JSON object.", None
    if isinstance(name, str) and isinstance(problem, str):
        return f"Invalid value for '{name}': {problem.rstrip('.')}.", name
    return str(exc.detail), None


def _on_http_error(request: HttpRequest, exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        return _json(*render_unexpected(exc))
    kind, code = _HTTP_TYPES.get(status, ("invalid_request_error", None))
    if isinstance(exc, ValidationException):
        message, param = _invalid(exc)
        return _json(status, error_payload(message, kind, code, param), [])
    if status == 404:
        message = f"Unknown route: {request.method} {request.url.path}"
    elif status == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    elif status == 413:
        message = "The request body is larger than this gateway accepts."
    else:
        message = exc.detail
    return _json(status, error_payload(message, kind, code), [])


def _on_unexpected(_: HttpRequest, exc: Exception) -> Response[bytes]:
    return _json(*render_unexpected(exc))


def build_http_app(services: Callable[[], HttpServices], options: HttpOptions) -> Litestar:
    """The gateway's ASGI app. ``services`` returns the wired services once start-up has run."""
    raw = [*hot_routes(services), *ROUTES, *MEDIA_ROUTES, *messages_routes(services), *RESPONSES_ROUTES, *HEALTH_ROUTES]

    def raw_schema() -> OpenAPI:
        return raw_document(config, raw_routes(raw))

    config = openapi_config(options.version, raw_schema)

    async def startup() -> None:
        for hook in options.on_startup:
            await hook()

    async def shutdown() -> None:
        for hook in options.on_shutdown:
            await hook()

    return Litestar(
        route_handlers=[*raw, *options.extra_routes],
        dependencies={"services": Provide(services, sync_to_thread=False)},
        exception_handlers={
            SwitchboardError: _on_domain_error,
            HTTPException: _on_http_error,
            Exception: _on_unexpected,
        },
        middleware=[RequestIdMiddleware],
        guards=[access_guard(services)],  # the one access decision, for every route (deny by default)
        on_startup=[startup],
        on_shutdown=[shutdown],
        # Litestar's pydantic plugin, then the management forms' decoder, which must come first
        # among the type decoders (bodies.FormDecoding).
        plugins=[PydanticInitPlugin(), PydanticSchemaPlugin(), PydanticDIPlugin(), FormDecoding()],
        openapi_config=config,
        logging_config=None,
        request_max_body_size=options.max_body_bytes,
    )
