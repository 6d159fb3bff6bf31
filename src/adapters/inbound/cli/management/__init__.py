"""``switchboard keys|teams|users|orgs|budgets|spend|db``: the management API from a terminal,
straight against the configured database (no gateway needed). Human tables by default,
``--json`` for scripts. The operator acts as an admin; every change is audited as ``operator``.

One click group per entity, each built from the verbs in ``commands.py``."""

from __future__ import annotations

import click

from switchboard.adapters.inbound.cli.management.budgets import add_budgets
from switchboard.adapters.inbound.cli.management.keys import add_keys
from switchboard.adapters.inbound.cli.management.operator import ManagementServices, Operator
from switchboard.adapters.inbound.cli.management.orgs import add_orgs
from switchboard.adapters.inbound.cli.management.spend import add_database, add_spend
from switchboard.adapters.inbound.cli.management.teams import add_teams
from switchboard.adapters.inbound.cli.management.users import add_users

GROUPS = (add_keys, add_teams, add_users, add_orgs, add_budgets, add_spend, add_database)


def build_management(services: ManagementServices, cli: click.Group) -> None:
    """Add the management groups to the ``switchboard`` command."""
    operator = Operator(services)
    for add in GROUPS:
        add(cli, operator)


__all__ = ["ManagementServices", "build_management"]
