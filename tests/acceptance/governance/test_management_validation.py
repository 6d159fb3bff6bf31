"""Every management route refuses bad input with a 400 in the OpenAI error shape naming the
field by its full path, and never answers a 500 (audit 2026-12, security 5 and 7)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.routes import HTTPRoute

from switchboard.adapters.inbound.http.management import management_router
from switchboard.adapters.inbound.http.services import HttpServices
from tests.acceptance.governance.conftest import Gateway


def _unused() -> HttpServices:
    raise AssertionError("building the router calls no service")


# (method, path) of every management route, as the app serves it.
ROUTES = sorted(
    (method, route.path.replace("{reference:str}", "sk-x"))
    for route in management_router(_unused).routes
    if isinstance(route, HTTPRoute)
    for method in route.methods - {"OPTIONS"}
)
CHANGES = [(method, path) for method, path in ROUTES if method != "GET"]


def refusal(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    return error


async def test_an_end_user_id_longer_than_its_column_is_a_400_naming_it(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/customer/block", json={"user_ids": ["ok", "A" * 257]})
    assert refusal(response)["param"] == "user_ids[1]"


async def test_an_unknown_field_is_a_400_naming_it(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/team/new", json={"team_alias": "a", "modles": ["x"]})
    assert refusal(response)["param"] == "modles"


async def test_a_nul_character_in_an_id_is_a_400(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/team/new", json={"team_id": "a\u0000b"})
    assert refusal(response)["param"] == "team_id"


@pytest.mark.parametrize(("method", "path"), CHANGES, ids=[f"{m} {p}" for m, p in CHANGES])
async def test_a_field_no_form_has_is_a_400_naming_a_field(gateway: Gateway, method: str, path: str) -> None:
    """The unknown field, or a required one that is missing (reported first)."""
    response = await gateway.call(method, path, json={"no_such_field": 1})
    assert refusal(response)["param"]


@pytest.mark.parametrize(("method", "path"), CHANGES, ids=[f"{m} {p}" for m, p in CHANGES])
async def test_a_body_that_is_not_an_object_is_a_400(gateway: Gateway, method: str, path: str) -> None:
    response = await gateway.call(method, path, json=["not", "an", "object"])
    assert "JSON object" in refusal(response)["message"]


@pytest.mark.parametrize(("method", "path"), CHANGES, ids=[f"{m} {p}" for m, p in CHANGES])
async def test_a_body_nested_deeper_than_the_decoder_goes_is_a_400(gateway: Gateway, method: str, path: str) -> None:
    deep = b'{"metadata":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = await gateway.call(method, path, headers={"content-type": "application/json"}, content=deep)
    refusal(response)


async def test_malformed_json_is_a_400_saying_so(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/team/new", headers={"content-type": "application/json"}, content=b'{"a":')
    assert "JSON" in refusal(response)["message"]


async def test_an_empty_body_where_a_form_is_needed_is_a_400(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/team/update", headers={"content-type": "application/json"}, content=b"")
    assert "empty" in refusal(response)["message"]


async def test_a_key_can_be_regenerated_with_no_body_at_all(gateway: Gateway) -> None:
    secret = await gateway.new_key()
    response = await gateway.call("POST", f"/key/{secret}/regenerate")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "query", "param"),
    [
        ("/key/list", {"page": "0"}, "page"),
        ("/key/list", {"size": "1001"}, "size"),
        ("/team/list", {"page_size": "x"}, "page_size"),
        ("/team/info", {"team_id": "t" * 257}, "team_id"),
        ("/user/list", {"user_email": "e" * 321}, "user_email"),
        ("/spend/logs", {"start_date": "last tuesday"}, "start_date"),
        ("/global/spend/report", {"group_by": "colour"}, "group_by"),
        ("/key/list", {"return_full_object": "perhaps"}, "return_full_object"),
    ],
)
async def test_a_bad_query_parameter_is_a_400_naming_it(
    gateway: Gateway, path: str, query: dict[str, str], param: str
) -> None:
    response = await gateway.call("GET", f"{path}?{urlencode(query)}")
    assert refusal(response)["param"] == param


async def test_a_strangers_malformed_body_is_refused_before_it_is_read(gateway: Gateway) -> None:
    response = await gateway.call(
        "POST", "/team/new", key=None, headers={"content-type": "application/json"}, content=b"{not json"
    )
    assert response.status_code == 401


async def test_metadata_nested_deeper_than_it_is_stored_is_a_400(gateway: Gateway) -> None:
    nested: Any = "leaf"
    for _ in range(40):
        nested = [nested]
    response = await gateway.call("POST", "/key/generate", json={"metadata": {"deep": nested}})
    assert refusal(response)["param"] == "metadata"
