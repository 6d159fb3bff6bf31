"""``/model/...``: deployments added at run time (stored in the database)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.types import ASGIApp

from switchboard.adapters.inbound.http.management.common import actor, body, governance, query, reply
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.forms import ModelForm, ModelId, UpdateModel
from switchboard.application.governance.models import ModelView, redact
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES
from switchboard.domain.governance.entities import ModelRecord

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


def record_json(record: ModelRecord) -> dict[str, Any]:
    return {
        "model_id": record.model_id,
        "model_name": record.model_name,
        "litellm_params": redact(record.litellm_params),
        "model_info": {**record.model_info, "db_model": True},
    }


def view_json(view: ModelView) -> dict[str, Any]:
    if view.record is not None:
        return record_json(view.record)
    d = view.deployment
    params: dict[str, Any] = {"model": f"{d.provider}/{d.model}", **redact(dict(d.params))}
    for name in ("api_base", "api_version", "rpm", "tpm", "timeout"):
        value = getattr(d, name)
        if value is not None:
            params[name] = value
    if d.api_key is not None:
        params["api_key"] = "***"
    return {
        "model_name": d.model_name,
        "litellm_params": params,
        "model_info": {**d.model_info, "id": d.id, "db_model": False},
    }


@post("/model/new", opt=MANAGE, summary="Add a deployment")
async def model_new(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(record_json(await governance(services).models.new(actor(request), await body(request, ModelForm))))


@post("/model/update", opt=MANAGE, summary="Change a stored deployment")
async def model_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return reply(
        record_json(await governance(services).models.update(actor(request), await body(request, UpdateModel)))
    )


@post("/model/delete", opt=MANAGE, summary="Remove a stored deployment")
async def model_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    removed = await governance(services).models.delete(actor(request), await body(request, ModelId))
    return reply({"deleted_model": removed, "message": f"Model {removed} deleted."})


@get(["/model/info", "/v1/model/info"], opt=INFO, summary="Deployments the caller may use (secrets masked)")
async def model_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    model_id = query(request, "litellm_model_id").get("litellm_model_id")
    views = governance(services).models.info(actor(request), model_id)
    return reply({"data": [view_json(v) for v in views]})


ROUTES = [model_new, model_update, model_delete, model_info]
