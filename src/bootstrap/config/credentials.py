"""``credential_list``: named credentials that deployments use with
``litellm_params.litellm_credential_name``.

LiteLLM's shape::

    credential_list:
      - credential_name: azure-eu
        credential_values: {api_key: os.environ/AZURE_API_KEY, api_base: https://eu.example.com}
        credential_info: {description: EU account}

A deployment naming ``azure-eu`` gets each of its ``credential_values`` that it does not set
itself. A name that no credential has is an error: the deployment would otherwise go out
without its credentials. Pure: works on the file's data, after ``os.environ/`` references.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from switchboard.bootstrap.config.problems import Problem, dotted

CREDENTIAL_NAME = "litellm_credential_name"


def apply_credentials(data: dict[str, Any]) -> list[Problem]:
    """Copy each named credential into the deployments that name it, and drop ``credential_list``
    from ``data`` (the schema has no such section). Returns the problems found."""
    raw = data.pop("credential_list", None)
    problems: list[Problem] = []
    table = _table(raw, problems)
    entries = data.get("model_list")
    if not isinstance(entries, list):
        return problems
    for index, entry in enumerate(entries):
        params = entry.get("litellm_params") if isinstance(entry, dict) else None
        if not isinstance(params, dict) or CREDENTIAL_NAME not in params:
            continue
        name = params.pop(CREDENTIAL_NAME)
        path = dotted(("model_list", index, "litellm_params", CREDENTIAL_NAME))
        values = table.get(name) if isinstance(name, str) else None
        if values is None:
            known = ", ".join(sorted(table)) or "none"
            problems.append(Problem(path, f"no credential named {name!r} in credential_list (known: {known})"))
            continue
        for key, value in values.items():
            params.setdefault(key, value)
    return problems


def _table(raw: Any, problems: list[Problem]) -> dict[str, Mapping[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        problems.append(Problem("credential_list", "must be a list of {credential_name, credential_values}"))
        return {}
    table: dict[str, Mapping[str, Any]] = {}
    for index, item in enumerate(raw):
        path = dotted(("credential_list", index))
        name = item.get("credential_name") if isinstance(item, dict) else None
        values = item.get("credential_values") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(Problem(f"{path}.credential_name", "required key is missing"))
            continue
        if not isinstance(values, dict):
            problems.append(Problem(f"{path}.credential_values", "must be a mapping (api_key, api_base...)"))
            continue
        if name in table:
            problems.append(Problem(f"{path}.credential_name", f"credential {name!r} is defined twice"))
            continue
        unknown = set(item) - {"credential_name", "credential_values", "credential_info"}
        problems.extend(
            Problem(f"{path}.{key}", "unknown key (ignored)", severity="warning") for key in sorted(unknown)
        )
        table[name] = values
    return table
