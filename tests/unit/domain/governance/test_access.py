from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from switchboard.domain.governance.access import (
    Grant,
    escalations,
    may_issue_key,
    may_manage_key,
    may_manage_team,
    may_read_key,
    model_allowed,
    route_allowed,
)
from switchboard.domain.governance.entities import VirtualKey
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind
from switchboard.domain.governance.roles import UserRole
from switchboard.domain.principal import MASTER, Principal, PrincipalKind

# A virtual key's principal with the fields given.
key_principal = partial(Principal, PrincipalKind.KEY, key_hash="h")


def test_every_level_must_allow_a_model() -> None:
    p = key_principal(models=(("gpt-4o", "claude-*"), ("claude-*",)))
    assert model_allowed(p, "claude-3")
    assert not model_allowed(p, "gpt-4o")


def test_an_empty_list_or_a_catch_all_allows_every_model() -> None:
    assert model_allowed(key_principal(), "anything")
    assert model_allowed(key_principal(models=(("all-proxy-models",),)), "anything")
    assert model_allowed(key_principal(models=(("all-team-models",), ("a",))), "a")


def test_access_groups_allow_their_models() -> None:
    p = key_principal(models=(("beta",),))
    assert model_allowed(p, "m", access_groups=["beta"])
    assert not model_allowed(p, "m", access_groups=["alpha"])


def test_route_lists_narrow_by_route_group_or_pattern() -> None:
    p = key_principal(routes=frozenset({"llm_api_routes", "/key/*"}))
    assert route_allowed(p, "/v1/chat/completions", "llm_api_routes")
    assert route_allowed(p, "/key/info", "info_routes")
    assert not route_allowed(p, "/team/info", "info_routes")


def test_a_bare_route_covers_its_v1_twin() -> None:
    p = key_principal(routes=frozenset({"/chat/completions"}))
    assert route_allowed(p, "/v1/chat/completions", "llm_api_routes")
    assert not route_allowed(p, "/v1/embeddings", "llm_api_routes")


def test_no_route_list_means_no_restriction() -> None:
    assert route_allowed(key_principal(), "/anything", "management_routes")


def test_team_admins_manage_only_their_teams() -> None:
    p = key_principal(user_id="ann", team_admin_of=frozenset({"red"}))
    assert may_manage_team(p, "red")
    assert not may_manage_team(p, "blue")
    assert may_manage_team(MASTER, "blue")


def test_viewers_read_but_never_change() -> None:
    viewer = key_principal(user_id="v", role=UserRole.PROXY_ADMIN_VIEWER)
    other = VirtualKey(token="x", key_name="k", user_id="someone")
    assert may_read_key(viewer, other)
    assert not may_manage_key(viewer, other)
    assert not may_issue_key(viewer, "v", None)


def test_users_own_their_keys_and_keys_own_themselves() -> None:
    ann = key_principal(user_id="ann")
    assert may_manage_key(ann, VirtualKey(token="x", key_name="k", user_id="ann"))
    assert not may_manage_key(ann, VirtualKey(token="x", key_name="k", user_id="bob"))
    assert may_manage_key(key_principal(), VirtualKey(token="h", key_name="k"))


def test_keys_are_issued_to_oneself_or_by_a_team_admin() -> None:
    ann = key_principal(user_id="ann", member_of=frozenset({"red"}))
    assert may_issue_key(ann, "ann", None)
    assert may_issue_key(ann, "ann", "red")
    assert not may_issue_key(ann, "bob", None)
    assert not may_issue_key(ann, "ann", "blue")
    assert not may_issue_key(key_principal(), None, None)


def test_admins_have_no_ceiling() -> None:
    assert escalations(MASTER, Grant()) == []
    admin = key_principal(role=UserRole.PROXY_ADMIN, scopes=(Scope(ScopeKind.KEY, "h", Limits(max_budget=1)),))
    assert escalations(admin, Grant(max_budget=100)) == []


def test_a_grant_beyond_the_callers_own_names_each_field() -> None:
    p = key_principal(
        models=(("a", "b"),),
        routes=frozenset({"llm_api_routes"}),
        expires_at=datetime(2030, 1, 1, tzinfo=UTC).timestamp(),
        scopes=(Scope(ScopeKind.KEY, "h", Limits(max_budget=10, rpm=5, tpm=100, parallel=2), spend=4),),
    )
    wanted = Grant(
        models=["a", "c"],
        allowed_routes=["/*"],
        max_budget=7,
        rpm_limit=6,
        tpm_limit=None,
        max_parallel_requests=2,
        model_rpm_limit={"a": 50},
        expires=None,
    )
    assert escalations(p, wanted) == [
        "models",
        "allowed_routes",
        "max_budget",
        "rpm_limit",
        "tpm_limit",
        "model_rpm_limit",
        "expires",
    ]


def test_what_fits_inside_the_ceiling_passes() -> None:
    p = key_principal(models=(("a", "b"),), scopes=(Scope(ScopeKind.KEY, "h", Limits(max_budget=10), spend=4),))
    assert escalations(p, Grant(models=["a"], max_budget=6)) == []


def test_only_the_fields_being_changed_are_judged() -> None:
    p = key_principal(scopes=(Scope(ScopeKind.KEY, "h", Limits(max_budget=10)),))
    assert escalations(p, Grant(max_budget=None), only=["models"]) == []
