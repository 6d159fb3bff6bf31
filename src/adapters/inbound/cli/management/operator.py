"""The operator at the terminal: runs a use case against the configured database and shows
what it answered, as a table or (``--json``) as JSON. A refusal is one red line and exit 1."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from switchboard.application.governance.services import Governance
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.governance.entities import Page

T = TypeVar("T")


@dataclass
class ManagementServices:
    """``open``: the governance services over the database of a config file (``None``: the
    default config); ``upgrade``: migrate that database."""

    open: Callable[[str | None], AbstractAsyncContextManager[Governance]]
    upgrade: Callable[[str | None], None]


class Operator:
    def __init__(self, services: ManagementServices) -> None:
        self.services = services
        self.console = Console()
        self.errors = Console(stderr=True)

    def run(self, config: str | None, work: Callable[[Governance], Awaitable[T]]) -> T:
        """``work`` done with the governance services of ``config``; a refusal exits 1."""

        async def main() -> T:
            async with self.services.open(config) as governance:
                return await work(governance)

        return self.checked(lambda: asyncio.run(main()))

    def checked(self, work: Callable[[], T]) -> T:
        """``work()``; a refusal (``SwitchboardError``) is one red line and exit 1."""
        try:
            return work()
        except SwitchboardError as exc:
            self.errors.print(f"[red]error:[/red] {exc.message}" + (f" ({exc.param})" if exc.param else ""))
            sys.exit(1)

    def show(self, value: Any, as_json: bool, columns: Iterable[str] = ()) -> None:
        data = plain(value)
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


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: models dumped, a page as its items, total and number."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Page):
        return {"items": [plain(v) for v in value.items], "total": value.total, "page": value.page}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
