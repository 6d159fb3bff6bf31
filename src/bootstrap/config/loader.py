"""Reading the configuration: YAML with line numbers, ``os.environ/NAME`` references, and every
problem reported with its YAML path, not just the first."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from switchboard.bootstrap.config.schema import ACCEPTED_WITHOUT_EFFECT, Config
from switchboard.domain.deployments import split_model

if TYPE_CHECKING:
    import yaml

ENV_PREFIX = "os.environ/"
PathParts = tuple[int | str, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else (self.path or "<config>")
        return f"{self.severity}: {where}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n" + "\n".join(f"  {p}" for p in problems))


class _Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class LoadedConfig:
    config: Config
    warnings: list[Problem] = field(default_factory=list)
    source: str = "<defaults>"


def dotted(parts: PathParts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _line(node: yaml.Node | None, parts: PathParts) -> int | None:
    """The 1-based line of the value at ``parts``, as far down as the YAML nodes go."""
    if node is None:
        return None
    import yaml  # loaded only for YAML files, not for dict configs

    best = node.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            key = next((k for k, _ in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                return best
            best = (key or match).start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            best = node.start_mark.line + 1
        else:
            return best
    return best


def _resolve_env(value: Any, parts: PathParts, environ: Mapping[str, str], problems: list[Problem]) -> Any:
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        name = value[len(ENV_PREFIX) :]
        if name not in environ:
            problems.append(Problem(dotted(parts), f"environment variable {name} is not set"))
            return None
        return environ[name]
    if isinstance(value, dict):
        return {k: _resolve_env(v, (*parts, k), environ, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_env(v, (*parts, i), environ, problems) for i, v in enumerate(value)]
    return value


def _read(source: str | Path | Mapping[str, Any] | None) -> tuple[Any, yaml.Node | None, str]:
    if source is None:
        return {}, None, "<defaults>"
    if isinstance(source, Mapping):
        return dict(source), None, "<dict>"
    import yaml

    path = Path(source)
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        return (yaml.safe_load(text) or {}), node, str(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem("", f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None)
        raise _Unreadable(problem) from exc


def _drop(data: Any, parts: PathParts) -> None:
    for part in parts[:-1]:
        data = data[part]
    data.pop(parts[-1], None)


def _validate(data: dict[str, Any], node: yaml.Node | None) -> tuple[Config | None, list[Problem]]:
    problems: list[Problem] = []
    for _ in range(2):  # second pass after unknown keys are set aside
        try:
            return Config.model_validate(data), problems
        except ValidationError as exc:
            unknown = [e for e in exc.errors() if e["type"] == "extra_forbidden"]
            for error in unknown:
                parts = tuple(error["loc"])
                section = str(parts[0]) if len(parts) == 2 else ""
                if parts[-1] in ACCEPTED_WITHOUT_EFFECT.get(section, ()):
                    message = "accepted for LiteLLM compatibility; Switchboard does not act on it"
                else:
                    message = "unknown key (ignored)"
                problems.append(Problem(dotted(parts), message, _line(node, parts), "warning"))
                _drop(data, parts)
            if not unknown:
                for error in exc.errors():
                    parts = tuple(error["loc"])
                    message = "required key is missing" if error["type"] == "missing" else error["msg"]
                    problems.append(Problem(dotted(parts), message, _line(node, parts)))
                return None, problems
    return None, problems


def check_config(
    source: str | Path | Mapping[str, Any] | None,
    *,
    environ: Mapping[str, str] | None = None,
    known_providers: Collection[str] = (),
) -> tuple[LoadedConfig | None, list[Problem]]:
    """The loaded configuration (``None`` if it has errors) and every problem found."""
    environ = os.environ if environ is None else environ
    try:
        raw, node, name = _read(source)
    except FileNotFoundError:
        return None, [Problem("", f"no such file: {source}")]
    except _Unreadable as exc:
        return None, [exc.problem]
    if not isinstance(raw, dict):
        return None, [Problem("", "the configuration must be a mapping of sections")]
    problems: list[Problem] = []
    extra_env = raw.get("environment_variables") or {}
    merged_env = {**environ, **{str(k): str(v) for k, v in extra_env.items()}} if extra_env else environ
    data = _resolve_env(raw, (), merged_env, problems)
    for problem in problems:
        object.__setattr__(problem, "line", _line(node, tuple(_split(problem.path))))
    config, found = _validate(data, node)
    problems.extend(found)
    if config is not None and known_providers:
        problems.extend(_semantic_problems(config, node, known_providers))
    if config is not None:
        problems.extend(_cost_map_problems(config, node, name))
        problems.extend(_routing_problems(config, node))
        from switchboard.bootstrap.config.callbacks import resolve_observability  # imports user sinks: only once valid

        _, found = resolve_observability(config, merged_env, config_dir(name))
        problems.extend(replace(p, line=_line(node, tuple(_split(p.path)))) for p in found)
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        return None, problems
    return LoadedConfig(config, [p for p in problems if p.severity == "warning"], name), problems


def config_dir(source: str) -> Path | None:
    """The directory of a configuration file (where LiteLLM looks for callback modules)."""
    return None if source.startswith("<") else Path(source).resolve().parent


def _split(path: str) -> list[int | str]:
    parts: list[int | str] = []
    for piece in path.replace("[", ".[").split("."):
        if not piece:
            continue
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return parts


def _semantic_problems(config: Config, node: yaml.Node | None, known: Collection[str]) -> list[Problem]:
    problems = []
    for index, entry in enumerate(config.model_list):
        parts: PathParts = ("model_list", index, "litellm_params", "model")
        try:
            split_model(entry.litellm_params.model, known)
        except ValueError as exc:
            problems.append(Problem(dotted(parts), str(exc), _line(node, parts)))
    return problems


def _routing_problems(config: Config, node: yaml.Node | None) -> list[Problem]:
    from switchboard.bootstrap.routing import checked_policy

    _, found = checked_policy(config)
    return [Problem(path, message, _line(node, tuple(_split(path)))) for path, message in found]


def relative_to_config(value: str, source: str) -> Path:
    """A path from the configuration: relative ones are relative to the config file's directory
    (to the working directory when the configuration is not a file)."""
    path = Path(value).expanduser()
    if not path.is_absolute() and not source.startswith("<"):
        path = Path(source).parent / path
    return path


def _cost_map_problems(config: Config, node: yaml.Node | None, source: str) -> list[Problem]:
    value = config.litellm_settings.model_cost_map
    if not isinstance(value, str):
        return []
    path = relative_to_config(value, source)
    if path.is_file():
        return []
    parts: PathParts = ("litellm_settings", "model_cost_map")
    return [Problem(dotted(parts), f"no such file: {path}", _line(node, parts))]


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
