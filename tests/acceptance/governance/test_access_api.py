"""Who may do what: roles, team admins, self-service, and no escalation (CVE-2026-47101,
-47102, CVE-2024-5710 and friends)."""

from __future__ import annotations

from typing import Any

from tests.acceptance.governance.conftest import Gateway


async def _teams(gateway: Gateway) -> tuple[str, str]:
    """Ann admins team red; bob is a member of team blue. Returns (ann's key, bob's key)."""
    ann = await gateway.new_user("ann")
    bob = await gateway.new_user("bob")
    await gateway.admin("/team/new", {"team_id": "red", "members_with_roles": [{"user_id": "ann", "role": "admin"}]})
    await gateway.admin("/team/new", {"team_id": "blue", "members_with_roles": [{"user_id": "bob", "role": "user"}]})
    return ann, bob


async def test_a_team_admin_manages_their_team(gateway: Gateway) -> None:
    ann, _ = await _teams(gateway)
    added = await gateway.call(
        "POST", "/team/member_add", key=ann, json={"team_id": "red", "member": {"user_id": "cat"}}
    )
    assert added.status_code == 200
    issued = await gateway.call("POST", "/key/generate", key=ann, json={"team_id": "red", "user_id": "cat"})
    assert issued.status_code == 200, issued.text
    renamed = await gateway.call("POST", "/team/update", key=ann, json={"team_id": "red", "team_alias": "Red"})
    assert renamed.status_code == 200


async def test_a_team_admin_cannot_touch_another_team(gateway: Gateway) -> None:
    ann, _ = await _teams(gateway)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("/team/update", {"team_id": "blue", "team_alias": "mine now"}),
        ("/team/member_add", {"team_id": "blue", "member": {"user_id": "ann", "role": "admin"}}),
        ("/team/member_delete", {"team_id": "blue", "user_id": "bob"}),
        ("/key/generate", {"team_id": "blue"}),
        ("/team/delete", {"team_ids": ["blue"]}),
    ]
    for path, body in attempts:
        response = await gateway.call("POST", path, key=ann, json=body)
        assert response.status_code in (403, 404), (path, response.text)
    info = await gateway.call("GET", "/team/info", key=ann, team_id="blue")
    assert info.status_code == 404


async def test_a_team_admin_cannot_raise_the_team_budget(gateway: Gateway) -> None:
    ann, _ = await _teams(gateway)
    response = await gateway.call("POST", "/team/update", key=ann, json={"team_id": "red", "max_budget": 1000})
    assert response.status_code == 403
    assert response.json()["error"]["param"] == "max_budget"


async def test_a_member_may_not_issue_team_keys(gateway: Gateway) -> None:
    _, bob = await _teams(gateway)
    response = await gateway.call("POST", "/key/generate", key=bob, json={"team_id": "blue", "user_id": "zed"})
    assert response.status_code == 403


async def test_users_issue_keys_for_themselves_only(gateway: Gateway) -> None:
    ann = await gateway.new_user("ann")
    own = await gateway.call("POST", "/key/generate", key=ann, json={"key_alias": "mine"})
    assert own.status_code == 200
    assert own.json()["user_id"] == "ann"
    other = await gateway.call("POST", "/key/generate", key=ann, json={"user_id": "bob"})
    assert other.status_code == 403


async def test_a_key_cannot_grant_a_key_more_than_it_has(gateway: Gateway) -> None:
    ann = await gateway.new_user("ann", models=["cheap"], max_budget=10, rpm_limit=5)
    cases: list[dict[str, Any]] = [
        {"models": ["cheap", "other"], "max_budget": 1, "rpm_limit": 1},
        {"models": [], "max_budget": 1, "rpm_limit": 1},
        {"models": ["cheap"], "max_budget": 11, "rpm_limit": 1},
        {"models": ["cheap"], "rpm_limit": 1},
        {"models": ["cheap"], "max_budget": 1, "rpm_limit": 50},
    ]
    for body in cases:
        response = await gateway.call("POST", "/key/generate", key=ann, json=body)
        assert response.status_code == 403, (body, response.text)
        assert response.json()["error"]["code"] == "escalation_refused"
    fine = await gateway.call(
        "POST", "/key/generate", key=ann, json={"models": ["cheap"], "max_budget": 2, "rpm_limit": 5}
    )
    assert fine.status_code == 200, fine.text


async def test_a_key_cannot_escalate_itself(gateway: Gateway) -> None:
    ann = await gateway.new_user("ann")
    own = await gateway.call(
        "POST",
        "/key/generate",
        key=ann,
        json={
            "max_budget": 5,
            "models": ["cheap"],
            "allowed_routes": ["llm_api_routes", "management_routes"],
        },
    )
    secret = own.json()["key"]
    for body in (
        {"max_budget": 50},
        {"models": ["cheap", "other"]},
        {"allowed_routes": ["/*"]},
        {"max_budget": None},
    ):
        response = await gateway.call("POST", "/key/update", key=secret, json={"key": secret, **body})
        assert response.status_code == 403, (body, response.text)
    lowered = await gateway.call("POST", "/key/update", key=secret, json={"key": secret, "max_budget": 3})
    assert lowered.status_code == 200
    back_up = await gateway.call("POST", "/key/update", key=secret, json={"key": secret, "max_budget": 5})
    assert back_up.status_code == 403


async def test_allowed_routes_never_make_a_key_an_admin(gateway: Gateway) -> None:
    wide = await gateway.new_key(allowed_routes=["/*"])
    for path, body in (("/user/new", {"user_id": "x"}), ("/team/new", {}), ("/key/generate", {})):
        response = await gateway.call("POST", path, key=wide, json=body)
        assert response.status_code == 403, (path, response.text)


async def test_allowed_routes_narrow_what_a_key_reaches(gateway: Gateway) -> None:
    info_only = await gateway.new_key(key_type="read_only")
    assert (await gateway.chat(info_only)).status_code == 403
    assert (await gateway.call("GET", "/key/info", key=info_only)).status_code == 200
    llm_only = await gateway.new_key(allowed_routes=["/chat/completions"])
    assert (await gateway.chat(llm_only)).status_code == 200
    embed = await gateway.call("POST", "/v1/embeddings", key=llm_only, json={"model": "mock-embedding", "input": "x"})
    assert embed.status_code == 403
    assert (await gateway.call("GET", "/key/info", key=llm_only)).status_code == 403


async def test_a_user_may_not_change_their_own_role_or_limits(gateway: Gateway) -> None:
    ann = await gateway.new_user("ann")
    bodies: list[dict[str, Any]] = [{"user_role": "proxy_admin"}, {"max_budget": 1000}, {"models": []}]
    for body in bodies:
        response = await gateway.call("POST", "/user/update", key=ann, json={"user_id": "ann", **body})
        assert response.status_code == 403, (body, response.text)
    fine = await gateway.call("POST", "/user/update", key=ann, json={"user_id": "ann", "user_alias": "Ann"})
    assert fine.status_code == 200


async def test_users_see_only_their_own_keys_and_spend(gateway: Gateway) -> None:
    ann = await gateway.new_user("ann")
    bob = await gateway.new_user("bob")
    own = await gateway.call("GET", "/key/info", key=ann)
    assert own.json()["info"]["user_id"] == "ann"
    peek = await gateway.client.get("/key/info", params={"key": bob}, headers={"authorization": f"Bearer {ann}"})
    assert peek.status_code == 404
    listed = await gateway.call("GET", "/key/list", key=ann, user_id="bob", return_full_object="true")
    assert {k["user_id"] for k in listed.json()["keys"]} == {"ann"}
    users = await gateway.call("GET", "/user/list", key=ann)
    assert users.status_code == 403


async def test_a_proxy_admin_user_manages_and_a_viewer_only_reads(gateway: Gateway) -> None:
    admin = await gateway.new_user("root", role="proxy_admin")
    viewer = await gateway.new_user("eye", role="proxy_admin_viewer")
    assert (await gateway.call("POST", "/team/new", key=admin, json={"team_id": "t"})).status_code == 200
    assert (await gateway.call("GET", "/team/info", key=viewer, team_id="t")).status_code == 200
    assert (await gateway.call("GET", "/user/list", key=viewer)).status_code == 200
    assert (await gateway.call("POST", "/team/new", key=viewer, json={"team_id": "u"})).status_code == 403
    assert (await gateway.call("POST", "/key/generate", key=viewer, json={})).status_code == 403


async def test_a_blocked_team_stops_its_keys(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "t"})
    secret = await gateway.new_key(team_id="t")
    assert (await gateway.chat(secret)).status_code == 200
    await gateway.admin("/team/block", {"team_id": "t"})
    refused = await gateway.chat(secret)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "team_blocked"
