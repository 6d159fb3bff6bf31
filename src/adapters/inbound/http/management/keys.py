"""``/key/...``: LiteLLM's virtual-key routes."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.types import ASGIApp

from switchboard.adapters.inbound.http.management.common import (
    actor,
    body,
    dump,
    governance,
    page_headers,
    paging,
    query,
    reply,
)
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.governance.forms import DeleteKeys, GenerateKey, KeyReference, RegenerateKey, UpdateKey
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES
from switchboard.domain.governance.entities import VirtualKey

MANAGE = {"access": MANAGEMENT_ROUTES}
INFO = {"access": INFO_ROUTES}


def key_json(key: VirtualKey) -> dict[str, Any]:
    return dump(key)


def issued(secret: str, key: VirtualKey) -> dict[str, Any]:
    """The one answer that carries a key's secret: it is never shown again."""
    return {**key_json(key), "key": secret, "token_id": key.token}


@post("/key/generate", opt=MANAGE, summary="Create a virtual key (the secret is shown once)")
async def key_generate(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    secret, key = await governance(services).keys.generate(actor(request), await body(request, GenerateKey))
    return reply(issued(secret, key))


@post("/key/update", opt=MANAGE, summary="Change a key")
async def key_update(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    key = await governance(services).keys.update(actor(request), await body(request, UpdateKey))
    return reply({**key_json(key), "key": key.token})


async def _regenerate(request: Request, services: HttpServices, reference: str | None) -> ASGIApp:  # type: ignore[type-arg]
    raw = await request.body()
    form = await body(request, RegenerateKey) if raw.strip() else RegenerateKey()
    if reference is not None:
        form = form.model_copy(update={"key": reference})
    secret, key = await governance(services).keys.regenerate(actor(request), form)
    return reply(issued(secret, key))


@post("/key/regenerate", opt=MANAGE, summary="Give a key a new secret (the old one stops working)")
async def key_regenerate(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return await _regenerate(request, services, None)


@post("/key/{reference:str}/regenerate", opt=MANAGE, summary="Give a key a new secret")
async def key_regenerate_path(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    return await _regenerate(request, services, str(request.path_params["reference"]))


@post("/key/delete", opt=MANAGE, summary="Delete keys (by secret, hash or alias)")
async def key_delete(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    deleted = await governance(services).keys.delete(actor(request), await body(request, DeleteKeys))
    return reply({"deleted_keys": deleted})


@post("/key/block", opt=MANAGE, summary="Block a key")
async def key_block(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    form = await body(request, KeyReference)
    return reply(key_json(await governance(services).keys.set_blocked(actor(request), form.key, True)))


@post("/key/unblock", opt=MANAGE, summary="Unblock a key")
async def key_unblock(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    form = await body(request, KeyReference)
    return reply(key_json(await governance(services).keys.set_blocked(actor(request), form.key, False)))


@get("/key/info", opt=INFO, summary="A key's settings and spend (the caller's own without ?key=)")
async def key_info(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    reference = query(request, "key").get("key")
    key = await governance(services).keys.info(actor(request), reference)
    return reply({"key": key.token, "info": key_json(key)})


@get("/key/list", opt=INFO, summary="Keys, a page at a time")
async def key_list(request: Request, services: NamedDependency[HttpServices]) -> ASGIApp:  # type: ignore[type-arg]
    page, size = paging(request)
    filters = query(request, "user_id", "team_id", "organization_id", "key_alias")
    found = await governance(services).keys.find(actor(request), filters, page, size)
    full = str(request.query_params.get("return_full_object", "")).lower() == "true"
    keys: list[Any] = [key_json(k) for k in found.items] if full else [k.token for k in found.items]
    return reply(
        {"keys": keys, "total_count": found.total, "current_page": found.page, "total_pages": found.pages},
        page_headers(found),
    )


ROUTES = [
    key_generate,
    key_update,
    key_regenerate,
    key_regenerate_path,
    key_delete,
    key_block,
    key_unblock,
    key_info,
    key_list,
]
