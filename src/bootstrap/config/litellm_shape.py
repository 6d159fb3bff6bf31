"""LiteLLM's ways of writing a deployment, brought to the one shape the schema validates.

Before the schema sees the file (after ``os.environ/`` references are resolved):

- ``credential_list`` + ``litellm_credential_name`` are merged into the deployments;
- ``custom_llm_provider: openai`` with ``model: my-model`` becomes ``model: openai/my-model``;
- ``router_settings.default_litellm_params`` are added to every deployment lacking them;
- each ``litellm_params`` and ``model_info`` key LiteLLM documents is checked against
  ``litellm_keys``: refused keys are errors, ignored ones warnings.

Pure: works on the file's data and returns the problems found.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from switchboard.bootstrap.config.credentials import apply_credentials
from switchboard.bootstrap.config.litellm_keys import ENVIRONMENT, INFO, PARAMS, State, lookup
from switchboard.bootstrap.config.loader import no_effect, refusal
from switchboard.bootstrap.config.problems import Problem, dotted


def normalise(data: dict[str, Any]) -> list[Problem]:
    """Rewrite ``data`` in place into the schema's shape; the problems found on the way."""
    problems = apply_credentials(data)
    entries = data.get("model_list")
    defaults = _pop_defaults(data)
    if isinstance(entries, list):
        for index, entry in enumerate(entries):
            params = entry.get("litellm_params") if isinstance(entry, dict) else None
            if not isinstance(params, dict):
                continue
            for key, value in defaults.items():
                params.setdefault(key, value)
            _provider_prefix(params)
            problems += _key_problems(("model_list", index, "litellm_params"), PARAMS, params)
            info = entry.get("model_info")
            if isinstance(info, dict):
                problems += _key_problems(("model_list", index, "model_info"), INFO, info)
    problems += _value_problems(data.get("general_settings"))
    env = data.get("environment_variables")
    if isinstance(env, dict):
        general = data.get("general_settings")
        if isinstance(general, dict) and general.get("master_key"):  # the key is read from it: fine
            env = {k: v for k, v in env.items() if k != "LITELLM_MASTER_KEY"}
        problems += _key_problems(("environment_variables",), ENVIRONMENT, env)
    return problems


# general_settings keys whose LiteLLM default is Switchboard's only behaviour: the other value is
# harmless (nothing is opened or exposed by it) and has no effect.
_FIXED = {
    "disable_master_key_return": (False, "Switchboard never returns the master key"),
    "store_model_in_db": (False, "models added with /model/new (admins only) are always kept in the database"),
}


def _value_problems(general: Any) -> list[Problem]:
    if not isinstance(general, dict):
        return []
    return [
        Problem(f"general_settings.{key}", no_effect(why), severity="warning")
        for key, (value, why) in _FIXED.items()
        if general.get(key) is value
    ]


def _pop_defaults(data: dict[str, Any]) -> dict[str, Any]:
    router = data.get("router_settings")
    if not isinstance(router, dict):
        return {}
    defaults = router.pop("default_litellm_params", None)
    return dict(defaults) if isinstance(defaults, dict) else {}


def _provider_prefix(params: dict[str, Any]) -> None:
    provider = params.pop("custom_llm_provider", None)
    model = params.get("model")
    if isinstance(provider, str) and provider and isinstance(model, str) and not model.startswith(f"{provider}/"):
        params["model"] = f"{provider}/{model}"


def _key_problems(where: tuple[int | str, ...], section: str, values: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key in values:
        row = lookup(section, str(key))
        if row is None or row.state is State.HONOURED:
            continue
        path = dotted((*where, key))
        if row.state is State.REFUSED:
            problems.append(Problem(path, refusal(row.note)))
        else:
            problems.append(Problem(path, no_effect(row.note), severity="warning"))
    return problems


def refused_params(keys: Iterable[str]) -> list[str]:
    """The ``litellm_params`` keys among ``keys`` that Switchboard refuses, each with why (for a
    model stored in the database, which no ``config check`` saw)."""
    found = [(key, lookup(PARAMS, key)) for key in keys]
    return [f"{key}: {refusal(row.note)}" for key, row in found if row is not None and row.state is State.REFUSED]
