"""``switchboard spend ...`` and ``switchboard db upgrade``."""

from __future__ import annotations

from typing import Any

import click

from switchboard.adapters.inbound.cli.management.operator import Operator
from switchboard.adapters.inbound.cli.management.options import PAGING, config_option, day, json_option, with_options
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.keys import token_of
from switchboard.domain.principal import OPERATOR

LOG_COLUMNS = ("started_at", "request_id", "model_group", "status", "total_tokens", "cost", "user_id", "team_id")
REPORT_COLUMNS = ("group", "spend", "requests", "prompt_tokens", "completion_tokens")
GROUPS = click.Choice(["key", "user", "team", "org", "end_user", "model", "day"])


def add_spend(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="Spend rows and reports.")
    def spend() -> None:
        pass

    @spend.command("logs", help="Spend rows, newest first.")
    @config_option
    @json_option
    @click.option("--key", help="A key's secret or hash.")
    @click.option("--user", "user_id")
    @click.option("--team", "team_id")
    @click.option("--start", help="YYYY-MM-DD")
    @click.option("--end", help="YYYY-MM-DD (included)")
    @with_options(PAGING)
    def logs(config: str | None, as_json: bool, key: str | None, page: int, size: int, **values: Any) -> None:
        filters = SpendFilter(
            key_hash=token_of(key) if key else None,
            user_id=values["user_id"] or None,
            team_id=values["team_id"] or None,
            start=day(values["start"]),
            end=day(values["end"], end=True),
        )
        found = operator.run(config, lambda g: g.spend.logs(OPERATOR, filters, page, size))
        operator.show(found, as_json, LOG_COLUMNS)

    @spend.command("report", help="Spend totals by key, user, team, org, end user, model or day.")
    @config_option
    @json_option
    @click.option("--group-by", type=GROUPS, default="team", show_default=True)
    @click.option("--start", help="YYYY-MM-DD")
    @click.option("--end", help="YYYY-MM-DD (included)")
    def report(config: str | None, as_json: bool, group_by: Any, start: str | None, end: str | None) -> None:
        filters = SpendFilter(start=day(start), end=day(end, end=True))
        groups = operator.run(config, lambda g: g.spend.report(OPERATOR, group_by, filters))
        operator.show(groups, as_json, REPORT_COLUMNS)


def add_database(cli: click.Group, operator: Operator) -> None:
    @cli.group(help="The database.")
    def db() -> None:
        pass

    @db.command("upgrade", help="Create or migrate the database to the current schema.")
    @config_option
    def upgrade(config: str | None) -> None:
        operator.services.upgrade(config)
        operator.console.print("[green]database is up to date[/green]")
