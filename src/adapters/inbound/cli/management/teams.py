"""``switchboard teams ...``: teams and their members."""

from __future__ import annotations

from typing import Any

import click

from switchboard.adapters.inbound.cli.management.commands import (
    delete_command,
    info_command,
    list_command,
    new_command,
    update_command,
)
from switchboard.adapters.inbound.cli.management.operator import Operator
from switchboard.adapters.inbound.cli.management.options import LIMITS, config_option, form_of, json_option
from switchboard.application.governance.forms import AddMembers, RemoveMember
from switchboard.application.governance.management import TEAMS
from switchboard.domain.principal import OPERATOR

COLUMNS = ("team_id", "team_alias", "organization_id", "models", "spend", "max_budget", "blocked")


def _members(values: dict[str, Any]) -> dict[str, Any]:
    """``--admin`` and ``--member`` as the team's ``members_with_roles``."""
    admins, members = values.pop("admins"), values.pop("members")
    people = [{"user_id": u, "role": "admin"} for u in admins] + [{"user_id": u} for u in members]
    return {**values, "members_with_roles": people or None}


def add_teams(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Teams and their members.")
    def teams() -> None:
        pass

    new_command(
        teams,
        operator,
        TEAMS,
        [
            click.option("--id", "team_id"),
            click.option("--alias", "team_alias"),
            click.option("--org", "organization_id"),
            click.option("--models"),
            click.option("--admin", "admins", multiple=True, help="A user id to add as team admin (repeatable)."),
            click.option("--member", "members", multiple=True, help="A user id to add as member (repeatable)."),
            *LIMITS,
        ],
        help="Create a team.",
        prepare=_members,
    )
    update_command(
        teams,
        operator,
        TEAMS,
        "team_id",
        [click.option("--alias", "team_alias"), click.option("--models"), *LIMITS],
        help="Change a team.",
    )
    list_command(teams, operator, TEAMS, [], help="Teams.", columns=COLUMNS)
    info_command(teams, operator, TEAMS, "team_id", help="A team and its members.")
    delete_command(teams, operator, TEAMS, "team_id", help="Delete teams and their keys.", shown=TEAMS.deleted)

    @teams.command("member-add", help="Add a user to a team.")
    @config_option
    @json_option
    @click.argument("team_id")
    @click.argument("user_id")
    @click.option("--role", type=click.Choice(["user", "admin"]), default="user", show_default=True)
    def member_add(config: str | None, as_json: bool, team_id: str, user_id: str, role: str) -> None:
        member = {"user_id": user_id, "role": role}
        form = operator.checked(lambda: form_of(AddMembers, {"team_id": team_id, "member": member}))
        operator.show(operator.run(config, lambda g: g.teams.add_members(OPERATOR, form)), as_json)

    @teams.command("member-delete", help="Remove a user from a team.")
    @config_option
    @json_option
    @click.argument("team_id")
    @click.argument("user_id")
    def member_delete(config: str | None, as_json: bool, team_id: str, user_id: str) -> None:
        form = operator.checked(lambda: form_of(RemoveMember, {"team_id": team_id, "user_id": user_id}))
        operator.show(operator.run(config, lambda g: g.teams.remove_member(OPERATOR, form)), as_json)
