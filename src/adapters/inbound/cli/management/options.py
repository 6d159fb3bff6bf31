"""The options the management commands share, and how their values become a form."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from switchboard.application.governance.forms import time_bound
from switchboard.domain.errors import BadRequest
from switchboard.domain.validation import parse_mapping

F = TypeVar("F", bound=BaseModel)
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

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
PAGING: list[Decorator] = [
    click.option("--page", default=1, show_default=True, type=click.IntRange(1)),
    click.option("--size", default=50, show_default=True, type=click.IntRange(1, 1000)),
]
LIMITS: list[Decorator] = [
    click.option("--max-budget", type=float, help="Dollars per budget period."),
    click.option("--soft-budget", type=float, help="Dollars; crossing it raises an alert."),
    click.option("--budget-duration", help="Budget period: 30s, 15m, 1h, 30d, 1w."),
    click.option("--rpm", "rpm_limit", type=int, help="Requests per minute."),
    click.option("--tpm", "tpm_limit", type=int, help="Tokens per minute."),
    click.option("--parallel", "max_parallel_requests", type=int, help="Requests in flight at once."),
    click.option("--budget-id", help="A budget template for the limits left unset."),
    click.option("--metadata", help="JSON object."),
]
BUDGET_LIMITS: list[Decorator] = [
    click.option("--max-budget", type=float),
    click.option("--soft-budget", type=float),
    click.option("--budget-duration"),
    click.option("--rpm", "rpm_limit", type=int),
    click.option("--tpm", "tpm_limit", type=int),
    click.option("--parallel", "max_parallel_requests", type=int),
]
_LISTS = ("models", "allowed_routes", "tags", "teams")  # comma-separated on the command line


def with_options(options: Sequence[Decorator]) -> Decorator:
    """Apply ``options`` so that ``--help`` lists them in the order given."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def form_of(model: type[F], values: Mapping[str, Any]) -> F:
    """The options given (``None`` and empty ones left out) as ``model``: comma-separated lists
    split, ``--metadata`` read as JSON; a bad value is ``BadRequest`` naming its field."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value == ():
            continue
        if name in _LISTS and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        elif name == "metadata" and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise click.BadParameter(f"--metadata is not JSON: {exc}") from None
        data[name] = value
    return parse_mapping(model, data)


def day(value: str | None, *, end: bool = False) -> datetime | None:
    """A ``--start``/``--end`` date; an end date includes its day."""
    if value is None:
        return None
    try:
        return time_bound(value, "end" if end else "start", end=end)
    except BadRequest:
        raise click.BadParameter(f"{value!r}: write dates as YYYY-MM-DD") from None
