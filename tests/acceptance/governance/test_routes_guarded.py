"""Every management route is guarded, judged on the route the router matched (CVE-2026-49468),
and nothing falls back to a default principal (CVE-2026-59822)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from switchboard.adapters.inbound.http.management import ACCESS, management_router
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.domain.governance.access import ROUTE_GROUPS
from tests.acceptance.governance.conftest import Gateway


def _unused() -> HttpServices:
    raise AssertionError("building the router calls no service")


ROUTES = [route for route in management_router(_unused).routes if isinstance(route, HTTPRoute)]
# Every handler but the OPTIONS ones Litestar adds to each path itself.
HANDLERS: list[HTTPRouteHandler] = [
    handler for route in ROUTES for handler in route.route_handlers if handler.http_methods != {"OPTIONS"}
]


def _routes() -> list[tuple[str, str]]:
    return [
        (method, route.path.replace("{reference:str}", "sk-x"))
        for route in ROUTES
        for method in sorted(route.methods - {"OPTIONS"})
    ]


def test_every_management_route_names_its_access_group() -> None:
    assert HANDLERS
    assert all(handler.opt.get(ACCESS) in ROUTE_GROUPS for handler in HANDLERS)


async def test_no_management_route_answers_without_a_credential(gateway: Gateway) -> None:
    for method, path in _routes():
        response = await gateway.call(method, path, key=None, json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["error"]["type"] == "authentication_error"


async def test_a_plain_key_is_never_answered_200_on_a_management_change(gateway: Gateway) -> None:
    plain = await gateway.new_key(allowed_routes=["/*"])
    other = await gateway.new_key(key_alias="someone-else")
    await gateway.admin("/team/new", {"team_id": "t"})
    await gateway.admin("/user/new", {"user_id": "u"})
    bodies: dict[str, dict[str, Any]] = {
        "/key/update": {"key": other, "key_alias": "x"},
        "/key/delete": {"keys": [other]},
        "/key/block": {"key": other},
        "/key/unblock": {"key": other},
        "/key/regenerate": {"key": other},
        "/team/update": {"team_id": "t", "team_alias": "x"},
        "/team/member_add": {"team_id": "t", "member": {"user_id": "x"}},
        "/team/member_delete": {"team_id": "t", "user_id": "u"},
        "/team/delete": {"team_ids": ["t"]},
        "/team/block": {"team_id": "t"},
        "/user/update": {"user_id": "u", "user_alias": "x"},
        "/user/delete": {"user_ids": ["u"]},
        "/user/new": {"user_id": "v"},
        "/team/new": {"team_id": "v"},
        "/organization/new": {},
        "/budget/new": {},
        "/customer/new": {"user_id": "c"},
        "/model/new": {"model_name": "m", "litellm_params": {"model": "mock/mock"}},
        "/key/generate": {},
    }
    for path, body in bodies.items():
        response = await gateway.call("POST", path, key=plain, json=body)
        assert response.status_code in (403, 404), (path, response.text)
    assert (await gateway.call("GET", "/audit", key=plain)).status_code == 403


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("//key/list", []),
        ("/v1/../key/list", []),
        ("/%2e%2e/key/list", []),
        ("/KEY/LIST", []),
        ("/health/liveliness/../../key/list", []),
        ("/key/list", [(b"host", b"x/health/liveliness?")]),
        ("/key/list", [(b"host", b"a@b")]),
    ],
)
async def test_path_and_host_tricks_never_reach_a_management_route_unauthenticated(
    gateway: Gateway, path: str, headers: list[tuple[bytes, bytes]]
) -> None:
    status = await raw_get(gateway, path, headers)
    assert status in (400, 401, 404), (path, status)


async def raw_get(gateway: Gateway, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    """Straight to the ASGI app, bypassing any client-side path normalisation."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path.replace("%2e", "."),
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers or [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    app: Any = gateway.app  # called as a server would, with a scope built by hand
    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


async def test_without_a_master_key_management_is_off_and_models_are_open(
    make_gateway: Callable[..., Any],
) -> None:
    async with make_gateway(master_key=None) as gateway:
        refused = await gateway.call("POST", "/key/generate", key="anything", json={})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "management_disabled"
        assert (await gateway.chat(None)).status_code == 200
        assert (await gateway.chat("sk-whatever")).status_code == 200
