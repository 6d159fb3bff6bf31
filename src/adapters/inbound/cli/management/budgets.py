"""``switchboard budgets ...``: budget templates."""

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
from switchboard.adapters.inbound.cli.management.options import BUDGET_LIMITS
from switchboard.application.governance.management import BUDGETS


def _deleted(budget: Any) -> Any:
    return budget  # the deleted template itself, as LiteLLM answers


def add_budgets(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Budget templates.")
    def budgets() -> None:
        pass

    new_command(
        budgets,
        operator,
        BUDGETS,
        [click.option("--id", "budget_id"), *BUDGET_LIMITS],
        help="Create a budget template.",
    )
    update_command(budgets, operator, BUDGETS, "budget_id", BUDGET_LIMITS, help="Change a budget template.")
    list_command(budgets, operator, BUDGETS, [], help="Budget templates.")
    info_command(budgets, operator, BUDGETS, "budget_id", help="A budget template.")
    delete_command(
        budgets, operator, BUDGETS, "budget_id", help="Delete an unused budget template.", many=False, shown=_deleted
    )
