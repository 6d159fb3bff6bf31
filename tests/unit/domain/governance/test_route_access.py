"""Who each access group serves (issue 11, item 17): a pure decision over the caller."""

from __future__ import annotations

import pytest

from switchboard.domain.errors import AuthenticationError, PermissionDenied
from switchboard.domain.governance.roles import UserRole
from switchboard.domain.governance.route_access import (
    ACCESS_GROUPS,
    ADMIN_ROUTES,
    METRICS_ROUTES,
    PUBLIC_ROUTES,
    check_route_access,
    needs_credential,
)
from switchboard.domain.principal import ANONYMOUS, MASTER, Principal, PrincipalKind

PLAIN = Principal(PrincipalKind.KEY, key_hash="h")
VIEWER = Principal(PrincipalKind.KEY, key_hash="h", role=UserRole.PROXY_ADMIN_VIEWER)
ADMIN = Principal(PrincipalKind.KEY, key_hash="h", role=UserRole.PROXY_ADMIN)


def test_a_route_outside_a_keys_allowed_routes_is_refused() -> None:
    principal = Principal(PrincipalKind.KEY, routes=frozenset({"info_routes"}))
    with pytest.raises(PermissionDenied):
        check_route_access(principal, "/v1/chat/completions", "llm_api_routes")


def test_an_anonymous_caller_is_served_model_routes_on_an_open_gateway() -> None:
    check_route_access(ANONYMOUS, "/v1/chat/completions", "llm_api_routes")


@pytest.mark.parametrize("group", ["info_routes", "management_routes", "spend_tracking_routes", ADMIN_ROUTES])
def test_an_anonymous_caller_is_asked_for_a_key_everywhere_else(group: str) -> None:
    with pytest.raises(AuthenticationError):
        check_route_access(ANONYMOUS, "/key/list", group)


def test_the_deployment_probe_is_for_admins_only() -> None:
    check_route_access(MASTER, "/health", ADMIN_ROUTES)
    check_route_access(ADMIN, "/health", ADMIN_ROUTES)
    for caller in (PLAIN, VIEWER):
        with pytest.raises(PermissionDenied):
            check_route_access(caller, "/health", ADMIN_ROUTES)


def test_metrics_are_for_those_who_read_everything() -> None:
    check_route_access(MASTER, "/metrics", METRICS_ROUTES)
    check_route_access(VIEWER, "/metrics", METRICS_ROUTES)
    with pytest.raises(PermissionDenied):
        check_route_access(PLAIN, "/metrics", METRICS_ROUTES)


@pytest.mark.parametrize("group", [None, "", "everyone", PUBLIC_ROUTES])
def test_a_group_it_does_not_know_is_refused_even_to_the_master_key(group: str | None) -> None:
    # PUBLIC never reaches this check: it is served without authenticating anyone.
    with pytest.raises(PermissionDenied):
        check_route_access(MASTER, "/x", group)


def test_only_public_routes_and_the_open_gateways_probe_need_no_credential() -> None:
    assert [g for g in sorted(ACCESS_GROUPS) if not needs_credential(g, open_gateway=False)] == [PUBLIC_ROUTES]
    assert not needs_credential(ADMIN_ROUTES, open_gateway=True)
    assert needs_credential(METRICS_ROUTES, open_gateway=True)  # decided by the metrics settings
