"""Checking a configuration: read it, validate its schema, then every rule that spans sections
(providers of the models, the router's policy, the callbacks, the extras installed), each problem
with its YAML path and line. Checking builds values only: no adapter, connection or task."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from switchboard.bootstrap.config.aliases import alias_problems
from switchboard.bootstrap.config.callbacks import resolve_observability
from switchboard.bootstrap.config.extras import extras_problems
from switchboard.bootstrap.config.litellm_shape import normalise
from switchboard.bootstrap.config.loader import (
    LoadedConfig,
    Unreadable,
    config_dir,
    line_of,
    read_source,
    relative_to_config,
    resolve_env,
    validate,
)
from switchboard.bootstrap.config.problems import ConfigError, PathParts, Problem, dotted, split_path
from switchboard.bootstrap.config.routing import checked_policy
from switchboard.bootstrap.config.schema import Config
from switchboard.bootstrap.custom_auth import configured_custom_auth
from switchboard.domain.deployments import ANY_PROVIDER, split_model

if TYPE_CHECKING:
    import yaml


def check_config(
    source: str | Path | Mapping[str, Any] | None,
    *,
    environ: Mapping[str, str] | None = None,
    known_providers: Collection[str] = (),
) -> tuple[LoadedConfig | None, list[Problem]]:
    """The loaded configuration (``None`` if it has errors) and every problem found."""
    environ = os.environ if environ is None else environ
    try:
        raw, node, name = read_source(source)
    except FileNotFoundError:
        return None, [Problem("", f"no such file: {source}")]
    except Unreadable as exc:
        return None, [exc.problem]
    if not isinstance(raw, dict):
        return None, [Problem("", "the configuration must be a mapping of sections")]
    problems: list[Problem] = []
    extra_env = raw.get("environment_variables") or {}
    merged_env = {**environ, **{str(k): str(v) for k, v in extra_env.items()}} if extra_env else environ
    data = resolve_env(raw, (), merged_env, problems)
    problems.extend(normalise(data))
    for problem in problems:
        object.__setattr__(problem, "line", line_of(node, split_path(problem.path)))
    config, found = validate(data, node)
    problems.extend(found)
    if config is not None and known_providers:
        problems.extend(_semantic_problems(config, node, known_providers))
    if config is not None:
        problems.extend(_cost_map_problems(config, node, name))
        problems.extend(_routing_problems(config, node))
        problems.extend(replace(p, line=line_of(node, split_path(p.path))) for p in alias_problems(config))
        problems.extend(_custom_auth_problems(config, node, name))
        _, found = resolve_observability(config, merged_env, config_dir(name))
        problems.extend(replace(p, line=line_of(node, split_path(p.path))) for p in found)
        problems.extend(replace(p, line=line_of(node, split_path(p.path))) for p in extras_problems(config, merged_env))
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        return None, problems
    return LoadedConfig(config, [p for p in problems if p.severity == "warning"], name), problems


def _semantic_problems(config: Config, node: yaml.Node | None, known: Collection[str]) -> list[Problem]:
    problems = []
    for index, entry in enumerate(config.model_list):
        parts: PathParts = ("model_list", index, "litellm_params", "model")
        if entry.litellm_params.model == ANY_PROVIDER:
            continue
        try:
            split_model(entry.litellm_params.model, known)
        except ValueError as exc:
            problems.append(Problem(dotted(parts), str(exc), line_of(node, parts)))
    return problems


def _routing_problems(config: Config, node: yaml.Node | None) -> list[Problem]:
    _, found = checked_policy(config)
    return [Problem(path, message, line_of(node, split_path(path))) for path, message in found]


def _custom_auth_problems(config: Config, node: yaml.Node | None, source: str) -> list[Problem]:
    try:
        configured_custom_auth(config.general_settings.custom_auth, source)
    except ValueError as exc:
        parts: PathParts = ("general_settings", "custom_auth")
        return [Problem(dotted(parts), str(exc), line_of(node, parts))]
    return []


def _cost_map_problems(config: Config, node: yaml.Node | None, source: str) -> list[Problem]:
    value = config.litellm_settings.model_cost_map
    if not isinstance(value, str):
        return []
    path = relative_to_config(value, source)
    if path.is_file():
        return []
    parts: PathParts = ("litellm_settings", "model_cost_map")
    return [Problem(dotted(parts), f"no such file: {path}", line_of(node, parts))]


def load_config(
    source: str | Path | Mapping[str, Any] | None,
    *,
    environ: Mapping[str, str] | None = None,
    known_providers: Collection[str] = (),
) -> LoadedConfig:
    """The configuration, or ``ConfigError`` listing every error found."""
    loaded, problems = check_config(source, environ=environ, known_providers=known_providers)
    if loaded is None:
        raise ConfigError([p for p in problems if p.severity == "error"] or problems)
    return loaded
