"""``/key/...`` over HTTP: issue, use, change, block, regenerate, delete, list; and the refusals."""

from __future__ import annotations

from typing import Any

from freezegun import freeze_time

from switchboard.domain.governance.keys import hash_key
from tests.acceptance.governance.conftest import Gateway


async def test_a_generated_key_is_shown_once_and_stored_as_its_hash(gateway: Gateway) -> None:
    issued = await gateway.admin("/key/generate", {"key_alias": "app-1"})
    secret = issued["key"]
    assert secret.startswith("sk-")
    assert issued["token"] == hash_key(secret)
    info = await gateway.admin("/key/info", method="GET", key=secret)
    assert info["key"] == hash_key(secret)
    assert secret not in str(info)
    assert info["info"]["key_name"] == f"sk-...{secret[-4:]}"


async def test_a_virtual_key_is_accepted_in_each_header(gateway: Gateway) -> None:
    secret = await gateway.new_key()
    payload = {"model": "cheap", "messages": [{"role": "user", "content": "hi"}]}
    for header in ({"authorization": f"Bearer {secret}"}, {"x-api-key": secret}, {"api-key": secret}):
        response = await gateway.call("POST", "/v1/chat/completions", key=None, json=payload, headers=header)
        assert response.status_code == 200, (header, response.text)


async def test_unknown_and_malformed_keys_get_the_same_401(gateway: Gateway) -> None:
    bodies = []
    for credential in ("sk-does-not-exist", "' OR '1'='1", "sk-';DROP TABLE sb_keys;--", "x" * 4000):
        response = await gateway.chat(credential)
        assert response.status_code == 401
        bodies.append(response.json())
    assert all(b == bodies[0] for b in bodies)
    assert bodies[0]["error"]["code"] == "invalid_api_key"
    assert "does-not-exist" not in str(bodies[0])


async def test_a_key_limited_to_models_cannot_use_others(gateway: Gateway) -> None:
    secret = await gateway.new_key(models=["cheap"])
    assert (await gateway.chat(secret, "cheap")).status_code == 200
    refused = await gateway.chat(secret, "other")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "model_not_allowed"


async def test_access_groups_and_wildcards_grant_models(gateway: Gateway) -> None:
    grouped = await gateway.new_key(models=["beta"])
    assert (await gateway.chat(grouped, "other")).status_code == 200
    assert (await gateway.chat(grouped, "cheap")).status_code == 403
    wildcard = await gateway.new_key(models=["ch*"])
    assert (await gateway.chat(wildcard, "cheap")).status_code == 200


async def test_update_changes_a_key_and_is_audited(gateway: Gateway) -> None:
    secret = await gateway.new_key(key_alias="before")
    updated = await gateway.admin("/key/update", {"key": secret, "key_alias": "after", "max_budget": 5})
    assert (updated["key_alias"], updated["max_budget"]) == ("after", 5)
    entries = await gateway.admin("/audit", method="GET", object_id=hash_key(secret))
    assert [e["action"] for e in entries] == ["key.update", "key.generate"]
    assert entries[0]["before"]["key_alias"] == "before"
    assert entries[0]["after"]["key_alias"] == "after"
    assert entries[0]["actor"] == "master"


async def test_a_blocked_key_stops_at_once_and_works_again_when_unblocked(gateway: Gateway) -> None:
    secret = await gateway.new_key()
    assert (await gateway.chat(secret)).status_code == 200
    await gateway.admin("/key/block", {"key": secret})
    blocked = await gateway.chat(secret)
    assert blocked.status_code == 401
    assert blocked.json()["error"]["code"] == "key_blocked"
    await gateway.admin("/key/unblock", {"key": hash_key(secret)})
    assert (await gateway.chat(secret)).status_code == 200


async def test_an_expired_key_is_refused(gateway: Gateway) -> None:
    with freeze_time("2026-05-01 12:00:00", real_asyncio=True) as frozen:
        secret = await gateway.new_key(duration="1h")
        assert (await gateway.chat(secret)).status_code == 200
        frozen.tick(3601)
        expired = await gateway.chat(secret)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "key_expired"


async def test_calendar_months_set_the_expiry_and_the_budget_period(gateway: Gateway) -> None:
    with freeze_time("2026-01-31 12:00:00", real_asyncio=True):
        secret = await gateway.new_key(duration="1mo", max_budget=5, budget_duration="1mo")
        info = (await gateway.admin("/key/info", method="GET", key=secret))["info"]
        assert (await gateway.chat(secret)).status_code == 200
    assert info["expires"].startswith("2026-02-28T12:00:00")
    assert info["budget_reset_at"].startswith("2026-02-28T12:00:00")
    assert info["budget_duration"] == "1mo"


async def test_regenerate_replaces_the_secret_and_keeps_the_settings(gateway: Gateway) -> None:
    old = await gateway.new_key(key_alias="svc", models=["cheap"])
    renewed = await gateway.admin("/key/regenerate", {"key": old})
    assert renewed["key"] != old
    assert (renewed["key_alias"], renewed["models"]) == ("svc", ["cheap"])
    assert (await gateway.chat(old)).status_code == 401
    assert (await gateway.chat(renewed["key"])).status_code == 200
    by_path = await gateway.admin(f"/key/{renewed['key']}/regenerate")
    assert (await gateway.chat(by_path["key"])).status_code == 200


async def test_delete_by_secret_and_by_alias(gateway: Gateway) -> None:
    first = await gateway.new_key()
    await gateway.new_key(key_alias="doomed")
    deleted = await gateway.admin("/key/delete", {"keys": [first], "key_aliases": ["doomed"]})
    assert len(deleted["deleted_keys"]) == 2
    assert (await gateway.chat(first)).status_code == 401
    missing = await gateway.call("POST", "/key/delete", json={"keys": [first]})
    assert missing.status_code == 404


async def test_lists_page_and_filter(gateway: Gateway) -> None:
    for n in range(5):
        await gateway.new_key(user_id="ann" if n % 2 else "bob")
    page = await gateway.admin("/key/list", method="GET", page=1, size=2)
    assert (page["total_count"], page["current_page"], page["total_pages"], len(page["keys"])) == (5, 1, 3, 2)
    anns = await gateway.admin("/key/list", method="GET", user_id="ann", return_full_object="true")
    assert [k["user_id"] for k in anns["keys"]] == ["ann", "ann"]


async def test_bad_input_is_a_400_naming_the_field(gateway: Gateway) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"max_budget": -1}, "max_budget"),
        ({"budget_duration": "forever"}, "budget_duration"),
        ({"duration": "3 fortnights"}, "duration"),
        ({"modles": ["x"]}, "modles"),
        ({"metadata": {"k": "os.environ/DATABASE_URL"}}, "metadata"),
        ({"team_id": "no-such-team"}, "team_id"),
    ]
    for body, param in cases:
        response = await gateway.call("POST", "/key/generate", json=body)
        assert response.status_code == 400, (body, response.text)
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["param"] == param, (body, error)


async def test_pages_beyond_the_limit_are_refused(gateway: Gateway) -> None:
    response = await gateway.call("GET", "/key/list", size=100_000)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "size"


async def test_an_authorization_header_that_is_not_bearer_presents_no_key(gateway: Gateway) -> None:
    secret = await gateway.new_key()
    payload = {"model": "cheap", "messages": [{"role": "user", "content": "hi"}]}
    for headers in (
        {"authorization": f"Basic {secret}", "x-api-key": secret},
        {"authorization": "Bearer ", "x-api-key": secret},
        {"authorization": "Bearer"},
    ):
        response = await gateway.call("POST", "/v1/chat/completions", key=None, json=payload, headers=headers)
        assert response.status_code == 401, headers
