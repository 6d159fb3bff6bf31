"""The served OpenAPI document is generated from the app's handlers: it covers the whole route
table, it is a valid OpenAPI document, and every error it shows is the gateway's error shape."""

from __future__ import annotations

from typing import Any

from litestar.routes import ASGIRoute, HTTPRoute
from litestar.testing import TestClient
from openapi_spec_validator import validate

# Routes that are deliberately not in the document: the Prometheus scrape and the document itself.
HIDDEN = {"/metrics", "/schema", "/schema/openapi.json", "/schema/{path}"}


def document(client: TestClient[Any]) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    served: dict[str, Any] = response.json()
    return served


def route_table(client: TestClient[Any]) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, as Litestar routes them."""
    table: set[tuple[str, str]] = set()
    for route in client.app.routes:
        if isinstance(route, HTTPRoute):
            table |= {(method, route.path_format) for method in route.methods - {"OPTIONS", "HEAD"}}
        elif isinstance(route, ASGIRoute):
            table.add(("POST", route.path_format))  # the raw chat route answers POST only
    return {(method, path) for method, path in table if path not in HIDDEN}


def test_the_document_is_valid_openapi(client: TestClient[Any]) -> None:
    validate(document(client))  # raises on the first violation


def test_every_route_of_the_app_is_in_the_document(client: TestClient[Any]) -> None:
    paths = document(client)["paths"]
    documented = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert route_table(client) - documented == set()
    assert len(route_table(client)) > 60


ANTHROPIC_DOOR = {"/v1/messages", "/messages", "/v1/messages/count_tokens", "/messages/count_tokens"}


def test_every_error_answer_is_documented_in_the_gateways_error_shape(client: TestClient[Any]) -> None:
    """OpenAI's shape everywhere but on the Anthropic door, which answers in Anthropic's."""
    doc = document(client)
    errors = [
        (path, method, status, answer)
        for path, item in doc["paths"].items()
        for method, operation in item.items()
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    ]
    assert errors
    for path, method, status, answer in errors:
        schema = answer["content"]["application/json"]["schema"]
        shape = "AnthropicErrorBody" if path in ANTHROPIC_DOOR else "ErrorBody"
        assert schema == {"$ref": f"#/components/schemas/{shape}"}, (path, method, status)
    error = doc["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"message", "type", "param", "code"}


def test_the_raw_chat_route_is_described_by_the_canonical_models(client: TestClient[Any]) -> None:
    operation = document(client)["paths"]["/v1/chat/completions"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ChatRequest"
    }
    answer = operation["responses"]["200"]["content"]
    assert answer["application/json"]["schema"] == {"$ref": "#/components/schemas/ChatResponse"}
    assert answer["text/event-stream"]["schema"] == {"$ref": "#/components/schemas/ChatChunk"}


def test_management_routes_are_described_by_their_forms_and_parameters(client: TestClient[Any]) -> None:
    paths = document(client)["paths"]
    body = paths["/team/new"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/NewTeam"}
    page = {p["name"]: p for p in paths["/key/list"]["get"]["parameters"]}
    assert page["page"]["schema"]["minimum"] == 1
    assert page["size"]["schema"]["maximum"] == 1000
    assert page["user_id"]["schema"]["maxLength"] == 256


def test_only_the_document_is_served_under_schema(client: TestClient[Any]) -> None:
    for path in ("/schema", "/schema/swagger", "/schema/openapi.yaml"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_a_health_endpoints_optional_fields_are_not_required(client: TestClient[Any]) -> None:
    """A healthy endpoint has no ``error`` and a probed one no ``probe`` (found by schemathesis)."""
    endpoint = document(client)["components"]["schemas"]["Endpoint"]
    assert {"probe", "error"} <= set(endpoint["properties"])
    assert not {"probe", "error"} & set(endpoint["required"])


def test_an_empty_key_list_matches_the_keys_schema_once(client: TestClient[Any]) -> None:
    """``oneOf`` two array types matched ``[]`` twice, so an empty page was off the document."""
    keys = document(client)["components"]["schemas"]["KeyList"]["properties"]["keys"]
    assert keys["type"] == "array"
    assert "oneOf" not in keys
