"""``switchboard keys ...``: virtual keys."""

from __future__ import annotations

from typing import Any

import click

from switchboard.adapters.inbound.cli.management.commands import (
    block_commands,
    delete_command,
    info_command,
    list_command,
    new_command,
    update_command,
)
from switchboard.adapters.inbound.cli.management.operator import Operator, plain
from switchboard.adapters.inbound.cli.management.options import LIMITS, config_option, form_of, json_option
from switchboard.application.governance.forms import RegenerateKey
from switchboard.application.governance.management import KEYS
from switchboard.application.governance.verbs import Issued
from switchboard.domain.governance.entities import VirtualKey
from switchboard.domain.principal import OPERATOR

COLUMNS = ("key_name", "key_alias", "user_id", "team_id", "spend", "blocked")  # --json has the hash


def with_secret(issued: Issued[VirtualKey]) -> dict[str, Any]:
    """The key and its secret: printed this once."""
    return {**plain(issued.entity), "key": issued.secret}


def add_keys(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Virtual keys.")
    def keys() -> None:
        pass

    new_command(
        keys,
        operator,
        KEYS,
        [
            click.option("--alias", "key_alias"),
            click.option("--user", "user_id"),
            click.option("--team", "team_id"),
            click.option("--models", help="Comma-separated model names, wildcards or access groups."),
            click.option("--routes", "allowed_routes", help="Comma-separated routes or route groups."),
            click.option("--duration", help="Expires after: 30d, 12h..."),
            click.option("--tags"),
            *LIMITS,
        ],
        name="generate",
        help="Create a key; its secret is printed once.",
        shown=with_secret,
    )
    update_command(
        keys,
        operator,
        KEYS,
        "key",
        [
            click.option("--alias", "key_alias"),
            click.option("--models"),
            click.option("--routes", "allowed_routes"),
            click.option("--duration"),
            *LIMITS,
        ],
        help="Change a key (named by its secret or hash).",
    )
    list_command(
        keys,
        operator,
        KEYS,
        [click.option("--user", "user_id"), click.option("--team", "team_id")],
        help="Keys, a page at a time.",
        columns=COLUMNS,
    )
    info_command(keys, operator, KEYS, "key", help="A key's settings and spend.")
    delete_command(keys, operator, KEYS, "key", help="Delete keys.", shown=KEYS.deleted)
    block_commands(keys, operator, KEYS, "key", noun="a key")

    @keys.command("regenerate", help="Give a key a new secret (printed once); the old one stops working.")
    @config_option
    @json_option
    @click.argument("key")
    def regenerate(config: str | None, as_json: bool, key: str) -> None:
        form = operator.checked(lambda: form_of(RegenerateKey, {"key": key}))
        operator.show(with_secret(operator.run(config, lambda g: g.keys.regenerate(OPERATOR, form))), as_json)
