"""``switchboard users ...``: the people and services that own keys."""

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
from switchboard.adapters.inbound.cli.management.operator import Operator, plain
from switchboard.adapters.inbound.cli.management.options import LIMITS
from switchboard.application.governance.management import USERS
from switchboard.application.governance.verbs import Issued
from switchboard.domain.governance.entities import User, VirtualKey

COLUMNS = ("user_id", "user_email", "user_role", "spend", "max_budget")
ROLE = click.Choice(["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"])


def _first_key(values: dict[str, Any]) -> dict[str, Any]:
    """``--no-key`` as LiteLLM's ``auto_create_key: false``."""
    no_key = values.pop("no_key")
    return {**values, "auto_create_key": not no_key}


def _with_secret(created: tuple[User, Issued[VirtualKey] | None]) -> dict[str, Any]:
    user, first_key = created
    return {**plain(user), "key": first_key.secret if first_key else None}


def add_users(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Users (people and services that own keys).")
    def users() -> None:
        pass

    new_command(
        users,
        operator,
        USERS,
        [
            click.option("--id", "user_id"),
            click.option("--email", "user_email"),
            click.option("--role", "user_role", type=ROLE),
            click.option("--teams", help="Comma-separated team ids."),
            click.option("--models"),
            click.option("--no-key", "no_key", is_flag=True, help="Do not create a first key."),
            *LIMITS,
        ],
        help="Create a user (and a first key, unless --no-key).",
        prepare=_first_key,
        shown=_with_secret,
    )
    update_command(
        users,
        operator,
        USERS,
        "user_id",
        [
            click.option("--email", "user_email"),
            click.option("--role", "user_role", type=ROLE),
            click.option("--models"),
            *LIMITS,
        ],
        help="Change a user.",
    )
    list_command(users, operator, USERS, [click.option("--role", "user_role")], help="Users.", columns=COLUMNS)
    info_command(users, operator, USERS, "user_id", help="A user.")
    delete_command(users, operator, USERS, "user_id", help="Delete users and their keys.", shown=USERS.deleted)
