"""SQL payloads in every management parameter, on SQLite and PostgreSQL: every query parameter
and every body field of every management operation in the served OpenAPI document gets them.
Nothing answers 5xx, no filter made of a payload matches an entity it does not name (wildcards
included: a filter is an exact value), and every table and entity is still there afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from switchboard.bootstrap.http import create_app
from tests.acceptance.governance.conftest import MASTER, Gateway, config_for
from tests.support.databases import copy_sqlite, postgres_schema
from tests.support.servers import in_process, lifespan

PAYLOADS = [
    "' OR '1'='1",
    "x' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE sb_keys; --",
    "') UNION SELECT token, token FROM sb_keys --",
    "%",
    "_",
    "%' --",
    "admin'/*",
    "\\'; SELECT 1; --",
]
ADMIN = {"authorization": f"Bearer {MASTER}"}
SEEDED = ("seed-team", "seed-user", "seed-org", "seed-customer", "seed-budget", "seed-alias")
NOT_MANAGEMENT = ("/v1/", "/health", "/chat/", "/completions", "/embeddings", "/images/", "/audio/", "/models")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield copy_sqlite(sqlite_template, tmp_path / "sql.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture
async def seeded(database_url: str) -> AsyncIterator[Gateway]:
    app = create_app(config_for(database_url))
    async with lifespan(app), httpx.AsyncClient(transport=in_process(app), base_url="http://t") as client:
        gateway = Gateway(client, app)
        await gateway.admin("/organization/new", {"organization_id": "seed-org", "organization_alias": "seed-org"})
        await gateway.admin("/team/new", {"team_id": "seed-team", "team_alias": "seed-team"})
        await gateway.admin("/user/new", {"user_id": "seed-user", "user_email": "seed@example.com"})
        await gateway.admin("/customer/new", {"user_id": "seed-customer"})
        await gateway.admin("/budget/new", {"budget_id": "seed-budget", "max_budget": 5})
        await gateway.admin("/key/generate", {"key_alias": "seed-alias", "team_id": "seed-team"})
        yield gateway


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        if not path.startswith(NOT_MANAGEMENT)
        for method, operation in operations.items()
    ]


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _schema(document, next(s for s in schema[key] if s.get("type") != "null"))
    return schema


def _filled(document: dict[str, Any], schema: dict[str, Any], payload: str) -> Any:
    """A value of ``schema`` with the payload in every string."""
    schema = _schema(document, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: _filled(document, sub, payload) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_filled(document, schema.get("items", {"type": "string"}), payload)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    return payload


async def test_no_payload_in_any_management_parameter_breaks_anything(seeded: Gateway) -> None:
    document = (await seeded.call("GET", "/schema/openapi.json")).json()
    answered: dict[int, int] = {}
    matched: list[str] = []
    for method, path, operation in _operations(document):
        strings = [
            p["name"]
            for p in operation.get("parameters", [])
            if p.get("in") == "query" and _schema(document, p.get("schema", {})).get("type", "string") == "string"
        ]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        for payload in PAYLOADS:
            for name in strings:
                response = await seeded.client.request(method, path, params={name: payload}, headers=ADMIN)
                answered[response.status_code] = answered.get(response.status_code, 0) + 1
                assert response.status_code < 500, (method, path, name, payload, response.text)
                if response.status_code == 200 and any(seed in response.text for seed in SEEDED):
                    matched.append(f"{method} {path}?{name}={payload}")
            if body is not None:
                response = await seeded.call(method, path, json=_filled(document, body, payload))
                answered[response.status_code] = answered.get(response.status_code, 0) + 1
                assert response.status_code < 500, (method, path, payload, response.text)

    assert matched == []
    assert answered.get(200, 0) > 0 and answered.get(400, 0) > 0  # both paths were exercised


async def test_every_seeded_entity_survives_the_payloads(seeded: Gateway) -> None:
    document = (await seeded.call("GET", "/schema/openapi.json")).json()
    for method, path, operation in _operations(document):
        if operation.get("requestBody") and not path.endswith(("/delete", "/block")):
            body = operation["requestBody"]["content"].get("application/json", {}).get("schema")
            if body is not None:
                for payload in PAYLOADS:
                    await seeded.call(method, path, json=_filled(document, body, payload))

    assert (await seeded.call("GET", "/team/info", team_id="seed-team")).status_code == 200
    assert (await seeded.call("GET", "/user/info", user_id="seed-user")).status_code == 200
    assert (await seeded.call("GET", "/organization/info", organization_id="seed-org")).status_code == 200
    assert (await seeded.call("GET", "/customer/info", end_user_id="seed-customer")).status_code == 200
    keys = (await seeded.call("GET", "/key/list", key_alias="seed-alias", return_full_object="true")).json()
    assert "seed-alias" in str(keys)
