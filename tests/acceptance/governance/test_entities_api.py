"""Teams, users, organizations, budgets, end users and stored models over HTTP."""

from __future__ import annotations

from tests.acceptance.governance.conftest import Gateway


async def test_team_life_cycle(gateway: Gateway) -> None:
    await gateway.admin("/user/new", {"user_id": "ann", "user_email": "ann@x.io", "auto_create_key": False})
    team = await gateway.admin(
        "/team/new",
        {
            "team_alias": "Core",
            "models": ["cheap"],
            "members_with_roles": [{"user_id": "ann", "role": "admin"}],
        },
    )
    team_id = team["team_id"]
    assert team["members_with_roles"] == [{"user_id": "ann", "role": "admin"}]
    await gateway.admin(
        "/team/member_add", {"team_id": team_id, "member": [{"user_email": "ann@x.io"}, {"user_id": "bob"}]}
    )
    await gateway.admin("/team/update", {"team_id": team_id, "max_budget": 20, "budget_duration": "30d"})
    key = await gateway.new_key(team_id=team_id)
    info = await gateway.admin("/team/info", method="GET", team_id=team_id)
    assert info["team_info"]["max_budget"] == 20
    assert info["team_info"]["budget_reset_at"] is not None
    assert {m["user_id"] for m in info["team_info"]["members_with_roles"]} == {"ann", "bob"}
    assert [k["team_id"] for k in info["keys"]] == [team_id]
    await gateway.admin("/team/member_delete", {"team_id": team_id, "user_id": "bob"})
    listed = await gateway.call("GET", "/team/list")
    assert listed.headers["x-total-count"] == "1"
    assert [t["team_id"] for t in listed.json()] == [team_id]
    assert (await gateway.admin("/team/delete", {"team_ids": [team_id]}))["deleted_teams"] == [team_id]
    assert (await gateway.chat(key)).status_code == 401  # a team's keys go with it


async def test_team_models_bound_their_keys(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "t", "models": ["cheap"]})
    key = await gateway.new_key(team_id="t")
    assert (await gateway.chat(key, "cheap")).status_code == 200
    assert (await gateway.chat(key, "other")).status_code == 403


async def test_user_life_cycle(gateway: Gateway) -> None:
    await gateway.admin("/team/new", {"team_id": "t"})
    created = await gateway.admin(
        "/user/new", {"user_id": "ann", "user_email": "a@x.io", "teams": ["t"], "max_budget": 3}
    )
    assert created["key"].startswith("sk-")
    assert (await gateway.chat(created["key"])).status_code == 200
    info = await gateway.admin("/user/info", method="GET", user_id="ann")
    assert (info["user_info"]["max_budget"], len(info["keys"]), [t["team_id"] for t in info["teams"]]) == (
        3,
        1,
        ["t"],
    )
    await gateway.admin("/user/update", {"user_id": "ann", "user_role": "proxy_admin_viewer"})
    listed = await gateway.admin("/user/list", method="GET", role="proxy_admin_viewer")
    assert [u["user_id"] for u in listed["users"]] == ["ann"]
    assert (await gateway.admin("/user/delete", {"user_ids": ["ann"]}))["deleted_users"] == ["ann"]
    assert (await gateway.chat(created["key"])).status_code == 401


async def test_organization_life_cycle(gateway: Gateway) -> None:
    org = await gateway.admin("/organization/new", {"organization_alias": "Acme", "max_budget": 100})
    org_id = org["organization_id"]
    await gateway.admin("/organization/update", {"organization_id": org_id, "models": ["cheap"]}, method="PATCH")
    await gateway.admin("/team/new", {"team_id": "t", "organization_id": org_id})
    key = await gateway.new_key(team_id="t")
    assert (await gateway.admin("/key/info", method="GET", key=key))["info"]["organization_id"] == org_id
    assert (await gateway.chat(key, "other")).status_code == 403  # the organization's models bound it
    assert (await gateway.admin("/organization/info", method="GET", organization_id=org_id))["models"] == ["cheap"]
    assert [o["organization_id"] for o in (await gateway.call("GET", "/organization/list")).json()] == [org_id]
    busy = await gateway.call("DELETE", "/organization/delete", json={"organization_ids": [org_id]})
    assert busy.status_code == 400
    await gateway.admin("/team/delete", {"team_ids": ["t"]})
    done = await gateway.admin("/organization/delete", {"organization_ids": [org_id]}, method="DELETE")
    assert done["deleted_organizations"] == [org_id]


async def test_budget_templates_apply_where_limits_are_unset(gateway: Gateway) -> None:
    await gateway.admin("/budget/new", {"budget_id": "tiny", "rpm_limit": 1})
    key = await gateway.new_key(budget_id="tiny")
    assert (await gateway.chat(key)).status_code == 200
    assert (await gateway.chat(key)).status_code == 429
    await gateway.admin("/budget/update", {"budget_id": "tiny", "rpm_limit": 100})
    assert (await gateway.chat(key)).status_code == 200
    assert [b["budget_id"] for b in await gateway.admin("/budget/info", {"budgets": ["tiny"]})] == ["tiny"]
    assert (await gateway.admin("/budget/info", method="GET", budget_id="tiny"))["rpm_limit"] == 100
    assert [b["budget_id"] for b in (await gateway.call("GET", "/budget/list")).json()] == ["tiny"]
    in_use = await gateway.call("POST", "/budget/delete", json={"id": "tiny"})
    assert in_use.status_code == 400
    await gateway.admin("/key/delete", {"keys": [key]})
    assert (await gateway.admin("/budget/delete", {"id": "tiny"}))["budget_id"] == "tiny"


async def test_end_users_have_budgets_and_can_be_blocked(gateway: Gateway) -> None:
    key = await gateway.new_key()
    await gateway.admin("/customer/new", {"user_id": "cust", "rpm_limit": 1})
    assert (await gateway.chat(key, user="cust")).status_code == 200
    assert (await gateway.chat(key, user="cust")).status_code == 429
    assert (await gateway.chat(key, user="someone-else")).status_code == 200
    await gateway.admin("/customer/block", {"user_ids": ["cust"]})
    blocked = await gateway.chat(key, user="cust")
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "end_user_blocked"
    await gateway.admin("/customer/unblock", {"user_ids": ["cust"]})
    await gateway.admin("/customer/update", {"user_id": "cust", "rpm_limit": 100})
    assert (await gateway.chat(key, user="cust")).status_code == 200
    info = await gateway.admin("/customer/info", method="GET", end_user_id="cust")
    assert info["rpm_limit"] == 100
    assert [c["user_id"] for c in (await gateway.call("GET", "/customer/list")).json()] == ["cust"]
    assert (await gateway.admin("/customer/delete", {"user_ids": ["cust"]}))["deleted_customers"] == ["cust"]


async def test_stored_models_are_served_and_their_secrets_never_shown(gateway: Gateway) -> None:
    created = await gateway.admin(
        "/model/new",
        {
            "model_name": "added",
            "litellm_params": {"model": "mock/mock", "api_key": "sk-upstream-secret"},
            "model_info": {"input_cost_per_token": 0.5},
        },
    )
    assert created["litellm_params"]["api_key"] == "***"
    key = await gateway.new_key()
    assert (await gateway.chat(key, "added")).status_code == 200
    listed = await gateway.call("GET", "/model/info", key=key)
    assert "sk-upstream-secret" not in listed.text
    names = {m["model_name"]: m["model_info"]["db_model"] for m in listed.json()["data"]}
    assert names == {"cheap": False, "slow": False, "other": False, "mock-embedding": False, "added": True}
    model_id = created["model_id"]
    await gateway.admin("/model/update", {"model_id": model_id, "model_name": "renamed"})
    assert (await gateway.chat(key, "renamed")).status_code == 200
    assert (await gateway.chat(key, "added")).status_code == 404
    await gateway.admin("/model/delete", {"id": model_id})
    assert (await gateway.chat(key, "renamed")).status_code == 404


async def test_models_refuse_environment_references_and_unknown_providers(gateway: Gateway) -> None:
    env = await gateway.call(
        "POST",
        "/model/new",
        json={
            "model_name": "x",
            "litellm_params": {"model": "mock/mock", "api_key": "os.environ/DATABASE_URL"},
        },
    )
    assert env.status_code == 400
    unknown = await gateway.call("POST", "/model/new", json={"model_name": "x", "litellm_params": {"model": "nobody"}})
    assert unknown.status_code == 400
    config_model = await gateway.call("POST", "/model/delete", json={"id": "nope"})
    assert config_model.status_code == 404


async def test_a_key_sees_only_the_models_it_may_use(gateway: Gateway) -> None:
    key = await gateway.new_key(models=["cheap"])
    listed = await gateway.call("GET", "/model/info", key=key)
    assert [m["model_name"] for m in listed.json()["data"]] == ["cheap"]
