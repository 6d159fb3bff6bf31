"""``switchboard orgs ...``: organizations."""

from __future__ import annotations

import click

from switchboard.adapters.inbound.cli.management.commands import (
    delete_command,
    info_command,
    list_command,
    new_command,
    update_command,
)
from switchboard.adapters.inbound.cli.management.operator import Operator
from switchboard.adapters.inbound.cli.management.options import LIMITS
from switchboard.application.governance.management import ORGS

COLUMNS = ("organization_id", "organization_alias", "models", "spend", "max_budget")


def add_orgs(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Organizations.")
    def orgs() -> None:
        pass

    new_command(
        orgs,
        operator,
        ORGS,
        [
            click.option("--id", "organization_id"),
            click.option("--alias", "organization_alias"),
            click.option("--models"),
            *LIMITS,
        ],
        help="Create an organization.",
    )
    update_command(
        orgs,
        operator,
        ORGS,
        "organization_id",
        [click.option("--alias", "organization_alias"), click.option("--models"), *LIMITS],
        help="Change an organization.",
    )
    list_command(orgs, operator, ORGS, [], help="Organizations.", columns=COLUMNS)
    info_command(orgs, operator, ORGS, "organization_id", help="An organization.")
    delete_command(
        orgs,
        operator,
        ORGS,
        "organization_id",
        help="Delete organizations (they must have no teams).",
        shown=ORGS.deleted,
    )
