"""One access decision, deny by default, fed by the route table (issue 11, item 17): every route
of the built app declares its access group, and none answers a stranger unless it is public."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import get

from switchboard.adapters.inbound.http.responses import JsonResponse, Reply
from switchboard.domain.governance.route_access import ACCESS_GROUPS, PUBLIC_ROUTES
from tests.acceptance.governance.conftest import MASTER, Gateway
from tests.security.route_table import RouteCase, full_gateway, route_table

# The routes anyone may call without a credential, and why: probes (a load balancer or
# Kubernetes sends no key) and the OpenAPI document (it lists routes, never data).
PUBLIC = {
    "/health/liveliness",
    "/health/liveness",
    "/health/readiness",
    "/schema",
    "/schema/openapi.json",
    "/schema/{path:str}",
}


@pytest.fixture
async def gateway(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    async with full_gateway(sqlite_template, tmp_path, auth_failure_limit=0) as gw:
        yield gw


def declared(gateway: Gateway) -> list[RouteCase]:
    return [case for case in route_table(gateway.app) if not case.automatic]


async def test_every_route_declares_an_access_group(gateway: Gateway) -> None:
    cases = declared(gateway)
    assert len(cases) > 60
    assert [str(case) for case in cases if case.group not in ACCESS_GROUPS] == []


async def test_only_the_probes_and_the_document_are_public(gateway: Gateway) -> None:
    public = {case.template for case in declared(gateway) if case.group == PUBLIC_ROUTES}
    assert public == PUBLIC


async def test_no_route_answers_without_a_credential_unless_it_is_public(gateway: Gateway) -> None:
    for case in declared(gateway):
        response = await gateway.call(case.method, case.path, key=None, json=None)
        if case.group == PUBLIC_ROUTES:
            assert response.status_code not in (401, 403), (str(case), response.text)
        else:
            assert response.status_code == 401, (str(case), response.text)
            assert response.json()["error"]["type"] == "authentication_error"


async def test_no_route_answers_a_wrong_key_unless_it_is_public(gateway: Gateway) -> None:
    for case in declared(gateway):
        response = await gateway.call(case.method, case.path, key="sk-wrong", json=None)
        if case.group == PUBLIC_ROUTES:
            assert response.status_code not in (401, 403), str(case)
        else:
            assert response.status_code == 401, str(case)


async def test_the_handlers_litestar_adds_itself_declare_nothing_and_answer_no_one(gateway: Gateway) -> None:
    automatic = [case for case in route_table(gateway.app) if case.automatic and case.group is None]
    assert automatic
    for case in automatic:
        response = await gateway.call(case.method, case.path, key=MASTER)
        assert response.status_code == 403, str(case)
        assert response.json()["error"]["code"] == "route_not_allowed"


@get("/added-later")
async def undeclared_route() -> Reply:
    return JsonResponse(b'"should never be seen"')


async def test_a_route_added_without_a_declaration_is_refused_to_everyone(gateway: Gateway) -> None:
    gateway.app.register(undeclared_route)
    for key in (MASTER, None, "sk-wrong"):
        response = await gateway.call("GET", "/added-later", key=key)
        assert response.status_code == 403, key
        assert response.json()["error"]["code"] == "route_not_allowed"
