"""What every management route shares: its caller, its body, its query, its JSON answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import orjson
from litestar import Request
from pydantic import BaseModel

from switchboard.adapters.inbound.http.responses import JsonResponse
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.services import Governance
from switchboard.domain.errors import BadRequest, PermissionDenied
from switchboard.domain.governance.entities import Page
from switchboard.domain.principal import Principal
from switchboard.domain.validation import parse_json

PRINCIPAL_STATE = "principal"
MAX_PAGE_SIZE = 1000
Form = TypeVar("Form", bound=BaseModel)


def actor(request: Request[Any, Any, Any]) -> Principal:
    """The caller, as the management guard authenticated it."""
    principal = request.scope["state"].get(PRINCIPAL_STATE)
    if not isinstance(principal, Principal):  # the guard always sets it; never serve without one
        raise PermissionDenied("Not authorised.")
    return principal


def governance(services: HttpServices) -> Governance:
    if services.governance is None:
        raise PermissionDenied("Management needs general_settings.master_key to be set.", code="management_disabled")
    return services.governance  # type: ignore[no-any-return]


async def body(request: Request[Any, Any, Any], form: type[Form]) -> Form:
    return parse_json(form, await request.body())


def query(request: Request[Any, Any, Any], *names: str) -> dict[str, str]:
    params = request.query_params
    return {n: str(params[n]) for n in names if params.get(n) not in (None, "")}


def _integer(request: Request[Any, Any, Any], name: str, default: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise BadRequest(f"Invalid value for '{name}': expected an integer.", param=name) from None
    if not 1 <= value <= high:
        raise BadRequest(f"Invalid value for '{name}': must be between 1 and {high}.", param=name)
    return value


def paging(request: Request[Any, Any, Any], default_size: int = 50) -> tuple[int, int]:
    """``page`` (from 1) and ``size`` (``page_size`` too), at most 1000 per page."""
    page = _integer(request, "page", 1, 10**9)
    size_name = "page_size" if request.query_params.get("page_size") not in (None, "") else "size"
    return page, _integer(request, size_name, default_size, MAX_PAGE_SIZE)


def when(request: Request[Any, Any, Any], name: str, *, end: bool = False) -> datetime | None:
    """A ``YYYY-MM-DD`` (whole day; an end date includes its day) or ISO-8601 query value."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    text = str(raw)
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError:
        raise BadRequest(f"Invalid value for '{name}': expected YYYY-MM-DD or an ISO-8601 time.", param=name) from None


def dump(value: BaseModel) -> dict[str, Any]:
    return value.model_dump(mode="json")


def reply(payload: Any, headers: Iterable[tuple[bytes, bytes]] = ()) -> JsonResponse:
    return JsonResponse(orjson.dumps(payload), 200, headers)


def page_headers(page: Page[Any]) -> list[tuple[bytes, bytes]]:
    return [
        (b"x-total-count", str(page.total).encode()),
        (b"x-page", str(page.page).encode()),
        (b"x-page-size", str(page.size).encode()),
    ]


def listed(page: Page[Any], items: Sequence[Mapping[str, Any]]) -> JsonResponse:
    """A list answered as a JSON array (LiteLLM's shape), with the paging in headers."""
    return reply(list(items), page_headers(page))
