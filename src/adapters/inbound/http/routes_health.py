"""``GET /health``: probe the deployments now and report which answer (LiteLLM's route).

Probes call the providers, so the route is for admins (``admin_routes``): with a master key set,
only the master key or a ``proxy_admin`` is served; without one (an open gateway) anyone is. Some deployments
being unhealthy is still a 200: the body says which.
"""

from __future__ import annotations

from typing import Literal, TypedDict

import orjson
from litestar import get
from litestar.di import NamedDependency

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.responses import JsonResponse, Reply
from switchboard.adapters.inbound.http.schema import DOC, RawRoute
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.health import HealthService
from switchboard.domain.errors import ServiceUnavailable
from switchboard.domain.governance.route_access import ADMIN_ROUTES


def _health(services: HttpServices) -> HealthService:
    if services.health is None:
        raise ServiceUnavailable("Health checks are not available on this gateway.", code="health_unavailable")
    return services.health


class _EndpointFields(TypedDict):
    model: str  # provider/model
    model_name: str  # the model group
    model_id: str  # the deployment id
    api_base: str | None
    latency: float  # seconds the probe took


class Endpoint(_EndpointFields, total=False):
    """One deployment's result (``domain.health.EndpointHealth.to_json``). The optional fields
    are declared by ``total=False``: under postponed annotations ``NotRequired`` is not seen,
    and the document called them required."""

    probe: Literal["none"]  # present when no call was made
    error: str  # unhealthy only: the failure's class and message


class HealthAnswer(TypedDict):
    healthy_endpoints: list[Endpoint]
    unhealthy_endpoints: list[Endpoint]
    healthy_count: int
    unhealthy_count: int
    checked_at: float


HEALTH_DOC = RawRoute(
    "Probe every deployment (one model group with ?model=) and report the healthy and unhealthy ones",
    HealthAnswer,
    query={"model": str | None},
    failures=(400, 401, 403, 404, 503),
)


@get("/health", include_in_schema=False, opt={DOC: HEALTH_DOC, ACCESS: ADMIN_ROUTES})
async def health(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    model = request.query_params.get("model")
    report = await _health(services).check(str(model) if model else None)
    return JsonResponse(orjson.dumps(report.to_json()))


HEALTH_ROUTES = [health]
