"""``router_settings.model_group_alias``: other names for model groups.

``{"gpt-4": "gpt-4o"}`` or ``{"gpt-4": {"model": "gpt-4o", "hidden": true}}``: a call to
``gpt-4`` is served by the ``gpt-4o`` group (its deployments, prices and fallbacks); a hidden
alias is not listed in ``/v1/models``. Access is checked against the name called: a key
allowed ``gpt-4o`` only may not call ``gpt-4``. Pure.
"""

from __future__ import annotations

from switchboard.application.deployments import ModelAlias
from switchboard.bootstrap.config.problems import Problem
from switchboard.bootstrap.config.schema import Config

_WHERE = "router_settings.model_group_alias"


def model_aliases(config: Config) -> dict[str, ModelAlias]:
    aliases: dict[str, ModelAlias] = {}
    for name, value in config.router_settings.model_group_alias.items():
        aliases[name] = ModelAlias(value) if isinstance(value, str) else ModelAlias(value.model, value.hidden)
    return aliases


def alias_problems(config: Config) -> list[Problem]:
    """An error for an alias to no model group; a warning for an alias a model group shadows."""
    groups = {entry.model_name for entry in config.model_list}
    wildcards = [name[:-1] for name in groups if name.endswith("*")]
    problems: list[Problem] = []
    for name, alias in model_aliases(config).items():
        path = f"{_WHERE}.{name}"
        if name in groups:
            problems.append(
                Problem(path, f"`{name}` is also a model_name; the model group is served", severity="warning")
            )
        elif alias.target not in groups and not any(alias.target.startswith(prefix) for prefix in wildcards):
            problems.append(Problem(path, f"`{alias.target}` is not a model_name in model_list"))
    return problems
