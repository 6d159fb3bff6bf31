"""``switchboard keys|teams|users|orgs|budgets|spend|db``: the management API from a terminal,
straight against the configured database (no gateway needed). Human tables by default,
``--json`` for scripts. The operator acts as an admin; every change is audited as ``operator``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from switchboard.application.governance import forms
from switchboard.application.governance.services import Governance
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.governance.entities import Page
from switchboard.domain.principal import OPERATOR
from switchboard.domain.validation import parse_mapping

F = TypeVar("F", bound=BaseModel)
T = TypeVar("T")


@dataclass
class ManagementServices:
    """``open``: the governance services over the database of a config file (``None``: the
    default config); ``upgrade``: migrate that database."""

    open: Callable[[str | None], AbstractAsyncContextManager[Governance]]
    upgrade: Callable[[str | None], None]


config_option = click.option(
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="SWITCHBOARD_CONFIG",
    help="Config YAML (its general_settings.database_url).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
page_options = [
    click.option("--page", default=1, show_default=True, type=click.IntRange(1)),
    click.option("--size", default=50, show_default=True, type=click.IntRange(1, 1000)),
]


def _limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--max-budget", type=float, help="Dollars per budget period."),
            click.option("--soft-budget", type=float, help="Dollars; crossing it raises an alert."),
            click.option("--budget-duration", help="Budget period: 30s, 15m, 1h, 30d, 1w."),
            click.option("--rpm", "rpm_limit", type=int, help="Requests per minute."),
            click.option("--tpm", "tpm_limit", type=int, help="Tokens per minute."),
            click.option("--parallel", "max_parallel_requests", type=int, help="Requests in flight at once."),
            click.option("--budget-id", help="A budget template for the limits left unset."),
            click.option("--metadata", help="JSON object."),
        ]
    ):
        f = option(f)
    return f


def _paged(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(page_options):
        f = option(f)
    return f


def _form(model: type[F], values: Mapping[str, Any]) -> F:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value == ():
            continue
        if name in ("models", "allowed_routes", "tags", "teams") and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        elif name == "metadata" and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise click.BadParameter(f"--metadata is not JSON: {exc}") from None
        data[name] = value
    return parse_mapping(model, data)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Page):
        return {"items": [_plain(v) for v in value.items], "total": value.total, "page": value.page}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class Output:
    def __init__(self) -> None:
        self.console = Console()
        self.errors = Console(stderr=True)

    def show(self, value: Any, as_json: bool, columns: Iterable[str] = ()) -> None:
        data = _plain(value)
        if as_json:
            click.echo(json.dumps(data, indent=2, default=str))
            return
        rows = data["items"] if isinstance(data, dict) and "items" in data else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            names = list(columns) or list(rows[0])
            table = Table()
            for column in names:
                table.add_column(column, overflow="fold")  # ids are wrapped, never cut short
            for row in rows:
                table.add_row(*(_cell(row.get(n)) for n in names))
            self.console.print(table)
            if isinstance(data, dict):
                self.console.print(f"page {data['page']}, {data['total']} in all")
        elif isinstance(rows, dict):
            table = Table("field")
            table.add_column("value", overflow="fold")
            for name, item in rows.items():
                table.add_row(name, _cell(item))
            self.console.print(table)
        elif rows in ([], None):
            self.console.print("(none)")
        else:
            self.console.print(str(rows))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def build_management(services: ManagementServices, group: click.Group) -> None:
    """Add the management groups to the ``switchboard`` command."""
    out = Output()

    def run(config: str | None, work: Callable[[Governance], Awaitable[T]]) -> T:
        async def main() -> T:
            async with services.open(config) as governance:
                return await work(governance)

        try:
            return asyncio.run(main())
        except SwitchboardError as exc:
            out.errors.print(f"[red]error:[/red] {exc.message}" + (f" ({exc.param})" if exc.param else ""))
            sys.exit(1)

    # --- keys ---------------------------------------------------------------------------

    @group.group(help="Virtual keys.")
    def keys() -> None:
        pass

    key_columns = ("key_name", "key_alias", "user_id", "team_id", "spend", "blocked")  # --json has the hash

    @keys.command("generate", help="Create a key; its secret is printed once.")
    @config_option
    @json_option
    @click.option("--alias", "key_alias")
    @click.option("--user", "user_id")
    @click.option("--team", "team_id")
    @click.option("--models", help="Comma-separated model names, wildcards or access groups.")
    @click.option("--routes", "allowed_routes", help="Comma-separated routes or route groups.")
    @click.option("--duration", help="Expires after: 30d, 12h...")
    @click.option("--tags")
    @_limit_options
    def keys_generate(config: str | None, as_json: bool, **values: Any) -> None:
        secret, key = run(config, lambda g: g.keys.generate(OPERATOR, _form(forms.GenerateKey, values)))
        out.show({**key.model_dump(mode="json"), "key": secret}, as_json)

    @keys.command("update", help="Change a key (named by its secret or hash).")
    @config_option
    @json_option
    @click.argument("key")
    @click.option("--alias", "key_alias")
    @click.option("--models")
    @click.option("--routes", "allowed_routes")
    @click.option("--duration")
    @_limit_options
    def keys_update(config: str | None, as_json: bool, key: str, **values: Any) -> None:
        form = _form(forms.UpdateKey, {"key": key, **values})
        out.show(run(config, lambda g: g.keys.update(OPERATOR, form)), as_json)

    @keys.command("list", help="Keys, a page at a time.")
    @config_option
    @json_option
    @click.option("--user", "user_id")
    @click.option("--team", "team_id")
    @_paged
    def keys_list(
        config: str | None, as_json: bool, user_id: str | None, team_id: str | None, page: int, size: int
    ) -> None:
        filters = {k: v for k, v in {"user_id": user_id, "team_id": team_id}.items() if v}
        out.show(run(config, lambda g: g.keys.find(OPERATOR, filters, page, size)), as_json, key_columns)

    @keys.command("info", help="A key's settings and spend.")
    @config_option
    @json_option
    @click.argument("key")
    def keys_info(config: str | None, as_json: bool, key: str) -> None:
        out.show(run(config, lambda g: g.keys.info(OPERATOR, key)), as_json)

    @keys.command("delete", help="Delete keys.")
    @config_option
    @json_option
    @click.argument("key", nargs=-1, required=True)
    def keys_delete(config: str | None, as_json: bool, key: tuple[str, ...]) -> None:
        deleted = run(config, lambda g: g.keys.delete(OPERATOR, forms.DeleteKeys(keys=list(key))))
        out.show({"deleted_keys": deleted}, as_json)

    for name, blocked in (("block", True), ("unblock", False)):

        @keys.command(name, help=f"{name.capitalize()} a key.")
        @config_option
        @json_option
        @click.argument("key")
        def keys_block(config: str | None, as_json: bool, key: str, _blocked: bool = blocked) -> None:
            out.show(run(config, lambda g: g.keys.set_blocked(OPERATOR, key, _blocked)), as_json)

    @keys.command("regenerate", help="Give a key a new secret (printed once); the old one stops working.")
    @config_option
    @json_option
    @click.argument("key")
    def keys_regenerate(config: str | None, as_json: bool, key: str) -> None:
        secret, renewed = run(config, lambda g: g.keys.regenerate(OPERATOR, forms.RegenerateKey(key=key)))
        out.show({**renewed.model_dump(mode="json"), "key": secret}, as_json)

    # --- teams --------------------------------------------------------------------------

    @group.group(help="Teams and their members.")
    def teams() -> None:
        pass

    team_columns = ("team_id", "team_alias", "organization_id", "models", "spend", "max_budget", "blocked")

    @teams.command("new", help="Create a team.")
    @config_option
    @json_option
    @click.option("--id", "team_id")
    @click.option("--alias", "team_alias")
    @click.option("--org", "organization_id")
    @click.option("--models")
    @click.option("--admin", "admins", multiple=True, help="A user id to add as team admin (repeatable).")
    @click.option("--member", "members", multiple=True, help="A user id to add as member (repeatable).")
    @_limit_options
    def teams_new(
        config: str | None, as_json: bool, admins: tuple[str, ...], members: tuple[str, ...], **values: Any
    ) -> None:
        people = [{"user_id": u, "role": "admin"} for u in admins] + [{"user_id": u} for u in members]
        form = _form(forms.NewTeam, {**values, "members_with_roles": people or None})
        out.show(run(config, lambda g: g.teams.new(OPERATOR, form)), as_json)

    @teams.command("update", help="Change a team.")
    @config_option
    @json_option
    @click.argument("team_id")
    @click.option("--alias", "team_alias")
    @click.option("--models")
    @_limit_options
    def teams_update(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.UpdateTeam, values)
        out.show(run(config, lambda g: g.teams.update(OPERATOR, form)), as_json)

    @teams.command("list", help="Teams.")
    @config_option
    @json_option
    @_paged
    def teams_list(config: str | None, as_json: bool, page: int, size: int) -> None:
        out.show(run(config, lambda g: g.teams.find(OPERATOR, {}, page, size)), as_json, team_columns)

    @teams.command("info", help="A team and its members.")
    @config_option
    @json_option
    @click.argument("team_id")
    def teams_info(config: str | None, as_json: bool, team_id: str) -> None:
        out.show(run(config, lambda g: g.teams.info(OPERATOR, team_id)), as_json)

    @teams.command("delete", help="Delete teams and their keys.")
    @config_option
    @json_option
    @click.argument("team_id", nargs=-1, required=True)
    def teams_delete(config: str | None, as_json: bool, team_id: tuple[str, ...]) -> None:
        deleted = run(config, lambda g: g.teams.delete(OPERATOR, forms.TeamIds(team_ids=list(team_id))))
        out.show({"deleted_teams": deleted}, as_json)

    @teams.command("member-add", help="Add a user to a team.")
    @config_option
    @json_option
    @click.argument("team_id")
    @click.argument("user_id")
    @click.option("--role", type=click.Choice(["user", "admin"]), default="user", show_default=True)
    def teams_member_add(config: str | None, as_json: bool, team_id: str, user_id: str, role: str) -> None:
        form = _form(forms.AddMembers, {"team_id": team_id, "member": {"user_id": user_id, "role": role}})
        out.show(run(config, lambda g: g.teams.add_members(OPERATOR, form)), as_json)

    @teams.command("member-delete", help="Remove a user from a team.")
    @config_option
    @json_option
    @click.argument("team_id")
    @click.argument("user_id")
    def teams_member_delete(config: str | None, as_json: bool, team_id: str, user_id: str) -> None:
        form = forms.RemoveMember(team_id=team_id, user_id=user_id)
        out.show(run(config, lambda g: g.teams.remove_member(OPERATOR, form)), as_json)

    # --- users --------------------------------------------------------------------------

    @group.group(help="Users (people and services that own keys).")
    def users() -> None:
        pass

    user_columns = ("user_id", "user_email", "user_role", "spend", "max_budget")

    @users.command("new", help="Create a user (and a first key, unless --no-key).")
    @config_option
    @json_option
    @click.option("--id", "user_id")
    @click.option("--email", "user_email")
    @click.option(
        "--role",
        "user_role",
        type=click.Choice(["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"]),
    )
    @click.option("--teams", help="Comma-separated team ids.")
    @click.option("--models")
    @click.option("--no-key", "no_key", is_flag=True, help="Do not create a first key.")
    @_limit_options
    def users_new(config: str | None, as_json: bool, no_key: bool, **values: Any) -> None:
        form = _form(forms.NewUser, {**values, "auto_create_key": not no_key})
        user, secret = run(config, lambda g: g.users.new(OPERATOR, form))
        out.show({**user.model_dump(mode="json"), "key": secret}, as_json)

    @users.command("update", help="Change a user.")
    @config_option
    @json_option
    @click.argument("user_id")
    @click.option("--email", "user_email")
    @click.option(
        "--role",
        "user_role",
        type=click.Choice(["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"]),
    )
    @click.option("--models")
    @_limit_options
    def users_update(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.UpdateUser, values)
        out.show(run(config, lambda g: g.users.update(OPERATOR, form)), as_json)

    @users.command("list", help="Users.")
    @config_option
    @json_option
    @click.option("--role", "user_role")
    @_paged
    def users_list(config: str | None, as_json: bool, user_role: str | None, page: int, size: int) -> None:
        filters = {"user_role": user_role} if user_role else {}
        out.show(run(config, lambda g: g.users.find(OPERATOR, filters, page, size)), as_json, user_columns)

    @users.command("info", help="A user.")
    @config_option
    @json_option
    @click.argument("user_id")
    def users_info(config: str | None, as_json: bool, user_id: str) -> None:
        out.show(run(config, lambda g: g.users.info(OPERATOR, user_id)), as_json)

    @users.command("delete", help="Delete users and their keys.")
    @config_option
    @json_option
    @click.argument("user_id", nargs=-1, required=True)
    def users_delete(config: str | None, as_json: bool, user_id: tuple[str, ...]) -> None:
        deleted = run(config, lambda g: g.users.delete(OPERATOR, forms.UserIds(user_ids=list(user_id))))
        out.show({"deleted_users": deleted}, as_json)

    # --- organizations ------------------------------------------------------------------

    @group.group(help="Organizations.")
    def orgs() -> None:
        pass

    @orgs.command("new", help="Create an organization.")
    @config_option
    @json_option
    @click.option("--id", "organization_id")
    @click.option("--alias", "organization_alias")
    @click.option("--models")
    @_limit_options
    def orgs_new(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.NewOrg, values)
        out.show(run(config, lambda g: g.orgs.new(OPERATOR, form)), as_json)

    @orgs.command("update", help="Change an organization.")
    @config_option
    @json_option
    @click.argument("organization_id")
    @click.option("--alias", "organization_alias")
    @click.option("--models")
    @_limit_options
    def orgs_update(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.UpdateOrg, values)
        out.show(run(config, lambda g: g.orgs.update(OPERATOR, form)), as_json)

    @orgs.command("list", help="Organizations.")
    @config_option
    @json_option
    @_paged
    def orgs_list(config: str | None, as_json: bool, page: int, size: int) -> None:
        columns = ("organization_id", "organization_alias", "models", "spend", "max_budget")
        out.show(run(config, lambda g: g.orgs.find(OPERATOR, page, size)), as_json, columns)

    @orgs.command("info", help="An organization.")
    @config_option
    @json_option
    @click.argument("organization_id")
    def orgs_info(config: str | None, as_json: bool, organization_id: str) -> None:
        out.show(run(config, lambda g: g.orgs.info(OPERATOR, organization_id)), as_json)

    @orgs.command("delete", help="Delete organizations (they must have no teams).")
    @config_option
    @json_option
    @click.argument("organization_id", nargs=-1, required=True)
    def orgs_delete(config: str | None, as_json: bool, organization_id: tuple[str, ...]) -> None:
        form = forms.OrgIds(organization_ids=list(organization_id))
        out.show({"deleted_organizations": run(config, lambda g: g.orgs.delete(OPERATOR, form))}, as_json)

    # --- budgets ------------------------------------------------------------------------

    @group.group(help="Budget templates.")
    def budgets() -> None:
        pass

    def _budget_options(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(
            [
                click.option("--max-budget", type=float),
                click.option("--soft-budget", type=float),
                click.option("--budget-duration"),
                click.option("--rpm", "rpm_limit", type=int),
                click.option("--tpm", "tpm_limit", type=int),
                click.option("--parallel", "max_parallel_requests", type=int),
            ]
        ):
            f = option(f)
        return f

    @budgets.command("new", help="Create a budget template.")
    @config_option
    @json_option
    @click.option("--id", "budget_id")
    @_budget_options
    def budgets_new(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.NewBudget, values)
        out.show(run(config, lambda g: g.budgets.new(OPERATOR, form)), as_json)

    @budgets.command("update", help="Change a budget template.")
    @config_option
    @json_option
    @click.argument("budget_id")
    @_budget_options
    def budgets_update(config: str | None, as_json: bool, **values: Any) -> None:
        form = _form(forms.UpdateBudget, values)
        out.show(run(config, lambda g: g.budgets.update(OPERATOR, form)), as_json)

    @budgets.command("list", help="Budget templates.")
    @config_option
    @json_option
    @_paged
    def budgets_list(config: str | None, as_json: bool, page: int, size: int) -> None:
        out.show(run(config, lambda g: g.budgets.find(OPERATOR, page, size)), as_json)

    @budgets.command("info", help="A budget template.")
    @config_option
    @json_option
    @click.argument("budget_id")
    def budgets_info(config: str | None, as_json: bool, budget_id: str) -> None:
        out.show(run(config, lambda g: g.budgets.info(OPERATOR, [budget_id]))[0], as_json)

    @budgets.command("delete", help="Delete an unused budget template.")
    @config_option
    @json_option
    @click.argument("budget_id")
    def budgets_delete(config: str | None, as_json: bool, budget_id: str) -> None:
        out.show(run(config, lambda g: g.budgets.delete(OPERATOR, forms.BudgetId(id=budget_id))), as_json)

    # --- spend --------------------------------------------------------------------------

    @group.group(help="Spend rows and reports.")
    def spend() -> None:
        pass

    def _day(value: str | None, end: bool = False) -> datetime | None:
        if value is None:
            return None
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise click.BadParameter(f"{value!r}: write dates as YYYY-MM-DD") from None
        return day + timedelta(days=1) if end else day

    @spend.command("logs", help="Spend rows, newest first.")
    @config_option
    @json_option
    @click.option("--key", help="A key's secret or hash.")
    @click.option("--user", "user_id")
    @click.option("--team", "team_id")
    @click.option("--start", help="YYYY-MM-DD")
    @click.option("--end", help="YYYY-MM-DD (included)")
    @_paged
    def spend_logs(
        config: str | None,
        as_json: bool,
        key: str | None,
        user_id: str | None,
        team_id: str | None,
        start: str | None,
        end: str | None,
        page: int,
        size: int,
    ) -> None:
        from switchboard.domain.governance.keys import token_of

        filters = {
            k: v
            for k, v in {
                "user_id": user_id,
                "team_id": team_id,
                "key_hash": token_of(key) if key else None,
            }.items()
            if v
        }
        columns = (
            "started_at",
            "request_id",
            "model_group",
            "status",
            "total_tokens",
            "cost",
            "user_id",
            "team_id",
        )
        found = run(config, lambda g: g.spend.logs(OPERATOR, filters, _day(start), _day(end, True), page, size))
        out.show(found, as_json, columns)

    @spend.command("report", help="Spend totals by key, user, team, org, end user, model or day.")
    @config_option
    @json_option
    @click.option(
        "--group-by",
        type=click.Choice(["key", "user", "team", "org", "end_user", "model", "day"]),
        default="team",
        show_default=True,
    )
    @click.option("--start", help="YYYY-MM-DD")
    @click.option("--end", help="YYYY-MM-DD (included)")
    def spend_report(config: str | None, as_json: bool, group_by: Any, start: str | None, end: str | None) -> None:
        groups = run(config, lambda g: g.spend.report(OPERATOR, group_by, _day(start), _day(end, True), {}))
        out.show(groups, as_json, ("group", "spend", "requests", "prompt_tokens", "completion_tokens"))

    # --- database -----------------------------------------------------------------------

    @group.group(help="The database.")
    def db() -> None:
        pass

    @db.command("upgrade", help="Create or migrate the database to the current schema.")
    @config_option
    def db_upgrade(config: str | None) -> None:
        services.upgrade(config)
        out.console.print("[green]database is up to date[/green]")
