"""One command per verb, built from the entity's description (``application.governance.
management``): every group's ``new``, ``update``, ``list``, ``info``, ``delete``, ``block`` and
``unblock`` are these, with the entity's own options. The operator acts as an admin."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from switchboard.adapters.inbound.cli.management.operator import Operator
from switchboard.adapters.inbound.cli.management.options import (
    PAGING,
    Decorator,
    config_option,
    form_of,
    json_option,
    with_options,
)
from switchboard.application.governance.management import Managed
from switchboard.application.governance.verbs import Blocks, Creates, Deletes, Lists, Reads, Updates
from switchboard.domain.principal import OPERATOR

E = TypeVar("E")
R = TypeVar("R")
New = TypeVar("New", bound=BaseModel)
Update = TypeVar("Update", bound=BaseModel)
Delete = TypeVar("Delete")
Filter = TypeVar("Filter")


def _same(value: Any) -> Any:
    return value


def _as_is(values: dict[str, Any]) -> dict[str, Any]:
    return values


def new_command(
    group: click.Group,
    operator: Operator,
    entity: Managed[Creates[New, R], New, Any, Any, Any],
    options: Sequence[Decorator],
    *,
    help: str,
    name: str = "new",
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = _as_is,
    shown: Callable[[R], Any] = _same,
) -> None:
    """``<group> new [options]``: ``prepare`` turns the options into the form's fields."""

    @group.command(name, help=help)
    @config_option
    @json_option
    @with_options(options)
    def command(config: str | None, as_json: bool, **values: Any) -> None:
        form = operator.checked(lambda: form_of(entity.new_form, prepare(values)))
        operator.show(shown(operator.run(config, lambda g: entity.service(g).new(OPERATOR, form))), as_json)


def update_command(
    group: click.Group,
    operator: Operator,
    entity: Managed[Updates[Update, Any], Any, Update, Any, Any],
    argument: str,
    options: Sequence[Decorator],
    *,
    help: str,
) -> None:
    """``<group> update ID [options]``: ``argument`` names the form's id field."""

    @group.command("update", help=help)
    @config_option
    @json_option
    @click.argument(argument)
    @with_options(options)
    def command(config: str | None, as_json: bool, **values: Any) -> None:
        form = operator.checked(lambda: form_of(entity.update_form, values))
        operator.show(operator.run(config, lambda g: entity.service(g).update(OPERATOR, form)), as_json)


def list_command(
    group: click.Group,
    operator: Operator,
    entity: Managed[Lists[Filter, Any], Any, Any, Any, Filter],
    filters: Sequence[Decorator],
    *,
    help: str,
    columns: Sequence[str] = (),
) -> None:
    """``<group> list [filters] [--page N] [--size N]``: each filter option names a filter field."""

    @group.command("list", help=help)
    @config_option
    @json_option
    @with_options([*filters, *PAGING])
    def command(config: str | None, as_json: bool, page: int, size: int, **values: Any) -> None:
        wanted = entity.filters(**{name: value for name, value in values.items() if value})
        found = operator.run(config, lambda g: entity.service(g).find(OPERATOR, wanted, page, size))
        operator.show(found, as_json, columns)


def info_command(
    group: click.Group, operator: Operator, entity: Managed[Reads[Any], Any, Any, Any, Any], argument: str, *, help: str
) -> None:
    """``<group> info ID``."""

    @group.command("info", help=help)
    @config_option
    @json_option
    @click.argument(argument)
    def command(config: str | None, as_json: bool, **values: Any) -> None:
        found = operator.run(config, lambda g: entity.service(g).info(OPERATOR, values[argument]))
        operator.show(found, as_json)


def delete_command(
    group: click.Group,
    operator: Operator,
    entity: Managed[Deletes[Delete, R], Any, Any, Delete, Any],
    argument: str,
    *,
    help: str,
    shown: Callable[[R], Any],
    many: bool = True,
) -> None:
    """``<group> delete ID...`` (one ID unless ``many``); ``shown`` makes the answer to show
    (``entity.deleted``: ``{"deleted_<plural>": [...]}``)."""

    @group.command("delete", help=help)
    @config_option
    @json_option
    @click.argument(argument, nargs=-1 if many else 1, required=True)
    def command(config: str | None, as_json: bool, **values: Any) -> None:
        given = values[argument]
        form = operator.checked(lambda: entity.delete_form(list(given) if many else [given]))
        deleted = operator.run(config, lambda g: entity.service(g).delete(OPERATOR, form))
        operator.show(shown(deleted), as_json)


def block_commands(
    group: click.Group,
    operator: Operator,
    entity: Managed[Blocks[str, Any], Any, Any, Any, Any],
    argument: str,
    *,
    noun: str,
) -> None:
    """``<group> block ID`` and ``<group> unblock ID``."""
    for name, blocked in (("block", True), ("unblock", False)):
        _block_command(group, operator, entity, argument, name, blocked, f"{name.capitalize()} {noun}.")


def _block_command(
    group: click.Group,
    operator: Operator,
    entity: Managed[Blocks[str, Any], Any, Any, Any, Any],
    argument: str,
    name: str,
    blocked: bool,
    help: str,
) -> None:
    @group.command(name, help=help)
    @config_option
    @json_option
    @click.argument(argument)
    def command(config: str | None, as_json: bool, **values: Mapping[str, Any]) -> None:
        target = str(values[argument])
        operator.show(operator.run(config, lambda g: entity.service(g).set_blocked(OPERATOR, target, blocked)), as_json)
