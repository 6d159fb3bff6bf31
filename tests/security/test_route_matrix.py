"""The route-by-role authorization matrix (issue 11, "Proof in make test"), generated from the
built app's route table: each route's declared access group, and the role rules below, say what
each role gets; every cell is checked over HTTP.

- allowed: anything but 401/403 (an empty body is then a 400 or 404, which is fine);
- refused: 401 or 403;
- not served: a change to a named thing (team, user, key...) sent without one, by a caller that
  is not an admin: never a success (401, 403, 400 or 404). Who may change which thing is pinned
  by ``tests/acceptance/governance/test_routes_guarded.py`` and the services' own tests.

Each cell gets a fresh credential, so a cell that changes its caller (an admin rotating its own
key) cannot change the next one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from enum import Enum
from pathlib import Path

import pytest

from switchboard.domain.governance.access import INFO_ROUTES, LLM_ROUTES, SPEND_ROUTES
from switchboard.domain.governance.route_access import ADMIN_ROUTES, METRICS_ROUTES, PUBLIC_ROUTES
from tests.acceptance.governance.conftest import MASTER, Gateway
from tests.security.route_table import SCRAPE_TOKEN, RouteCase, body_for, full_gateway, route_table


class Outcome(Enum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    NOT_SERVED = "not served"

    def holds_for(self, status: int) -> bool:
        match self:
            case Outcome.ALLOWED:
                return status not in (401, 403)
            case Outcome.REFUSED:
                return status in (401, 403)
            case Outcome.NOT_SERVED:
                return status in (400, 401, 403, 404)


ROLES = [
    "master",
    "proxy_admin",
    "proxy_admin_viewer",
    "internal_user",
    "internal_user_viewer",
    "team_key",
    "plain_key",
    "scrape_token",
    "wrong_key",
    "no_key",
]
ADMINS = {"master", "proxy_admin"}
READ_EVERYTHING = ADMINS | {"proxy_admin_viewer"}
STRANGERS = {"wrong_key", "no_key"}

# The role rules of the management services that an empty body already reaches: who, besides
# the admins, is served. Any other management route is open to every caller at the gate, and
# its service shows each one only its own share (reads) or needs a named target (changes).
SERVICE_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", "/audit"): {"proxy_admin_viewer"},
    ("GET", "/budget/list"): {"proxy_admin_viewer"},
    ("GET", "/customer/list"): {"proxy_admin_viewer"},
    ("GET", "/user/list"): {"proxy_admin_viewer"},
    ("POST", "/key/generate"): {"internal_user"},  # a user may issue keys for itself
    ("POST", "/key/regenerate"): set(),  # the caller's own key: no self-rotation (item 12)
    ("POST", "/budget/new"): set(),
    ("POST", "/organization/new"): set(),
    ("POST", "/team/new"): set(),
    ("POST", "/user/new"): set(),
    ("POST", "/model/update"): set(),
}


def expected(case: RouteCase, role: str) -> Outcome:
    group = case.group
    if group == PUBLIC_ROUTES:
        return Outcome.ALLOWED
    if role in STRANGERS:
        return Outcome.REFUSED
    if role == "scrape_token":  # opens /metrics and nothing else
        return Outcome.ALLOWED if group == METRICS_ROUTES else Outcome.REFUSED
    if group == LLM_ROUTES:
        return Outcome.ALLOWED
    if group == ADMIN_ROUTES:
        return Outcome.ALLOWED if role in ADMINS else Outcome.REFUSED
    if group == METRICS_ROUTES:
        return Outcome.ALLOWED if role in READ_EVERYTHING else Outcome.REFUSED
    if role in ADMINS:
        return Outcome.ALLOWED
    served = SERVICE_RULES.get((case.method, case.template))
    if served is not None:
        return Outcome.ALLOWED if role in served else Outcome.REFUSED
    return Outcome.ALLOWED if group in (INFO_ROUTES, SPEND_ROUTES) else Outcome.NOT_SERVED


Credential = Callable[[], Awaitable[str | None]]


async def credentials(gateway: Gateway, role: str) -> Credential:
    """A function giving a fresh credential of ``role`` at each call."""
    fixed = {"master": MASTER, "scrape_token": SCRAPE_TOKEN, "wrong_key": "sk-not-a-key", "no_key": None}
    if role in fixed:

        async def same() -> str | None:
            return fixed[role]

        return same
    fields: dict[str, str] = {}
    if role == "team_key":
        await gateway.admin("/team/new", {"team_id": "matrix-team"})
        fields = {"team_id": "matrix-team"}
    elif role != "plain_key":
        await gateway.new_user(f"matrix-{role}", role)
        fields = {"user_id": f"matrix-{role}"}

    async def fresh() -> str | None:
        return await gateway.new_key(**fields)

    return fresh


@pytest.fixture
async def gateway(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Gateway]:
    async with full_gateway(sqlite_template, tmp_path, auth_failure_limit=0) as gw:
        yield gw


def test_every_role_rule_names_a_route_of_the_app() -> None:
    from switchboard.bootstrap.http import create_app
    from tests.security.route_table import full_config

    app = create_app(full_config("sqlite:///unused.db"))
    routes = {(case.method, case.template) for case in route_table(app)}
    assert set(SERVICE_RULES) <= routes


@pytest.mark.parametrize("role", ROLES)
async def test_each_route_answers_each_role_as_its_access_group_says(gateway: Gateway, role: str) -> None:
    credential = await credentials(gateway, role)
    wrong: list[str] = []
    for case in route_table(gateway.app):
        if case.automatic and case.group is None:
            continue  # refused to everyone: test_route_table.py
        outcome = expected(case, role)
        response = await gateway.call(case.method, case.path, key=await credential(), json=body_for(case.method))
        if not outcome.holds_for(response.status_code):
            wrong.append(f"{case} as {role}: expected {outcome.value}, got {response.status_code}")
    assert wrong == []
