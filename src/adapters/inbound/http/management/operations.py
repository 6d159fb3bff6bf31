"""How a management route is declared: its access group (read by the guard), its method, the
200 it answers with, and the errors the document shows for it (the gateway's shape)."""

from __future__ import annotations

from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler

from switchboard.adapters.inbound.http.management.guard import ACCESS, INFO, MANAGE
from switchboard.adapters.inbound.http.schema import MANAGEMENT_FAILURES, failures

_ERRORS = failures(*MANAGEMENT_FAILURES)


def change(
    path: str | list[str], *, summary: str, method: HttpMethod = HttpMethod.POST, access: str = MANAGE[ACCESS]
) -> HTTPRouteHandler:
    """A route that changes something: POST (by default) for management keys and admins."""
    return HTTPRouteHandler(
        path, http_method=method, opt={ACCESS: access}, status_code=200, summary=summary, responses=_ERRORS
    )


def read(path: str | list[str] | None = None, *, summary: str, access: str = INFO[ACCESS]) -> HTTPRouteHandler:
    """A route that reads: GET, open to the info routes' group (by default)."""
    return HTTPRouteHandler(
        path, http_method=HttpMethod.GET, opt={ACCESS: access}, status_code=200, summary=summary, responses=_ERRORS
    )
