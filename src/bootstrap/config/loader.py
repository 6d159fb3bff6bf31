"""Reading the configuration: YAML with line numbers, ``os.environ/NAME`` references, and every
problem reported with its YAML path, not just the first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from switchboard.bootstrap.config.litellm_keys import TOP, State, lookup
from switchboard.bootstrap.config.problems import PathParts, Problem, dotted
from switchboard.bootstrap.config.schema import ACCEPTED_WITHOUT_EFFECT, Config

if TYPE_CHECKING:
    import yaml

ENV_PREFIX = "os.environ/"


class Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class LoadedConfig:
    config: Config
    warnings: list[Problem] = field(default_factory=list)
    source: str = "<defaults>"


def line_of(node: yaml.Node | None, parts: PathParts) -> int | None:
    """The 1-based line of the value at ``parts``, as far down as the YAML nodes go."""
    if node is None:
        return None
    import yaml  # lazy: PyYAML, only for YAML files (not for dict configs)

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


def resolve_env(value: Any, parts: PathParts, environ: Mapping[str, str], problems: list[Problem]) -> Any:
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        name = value[len(ENV_PREFIX) :]
        if name not in environ:
            problems.append(Problem(dotted(parts), f"environment variable {name} is not set"))
            return None
        return environ[name]
    if isinstance(value, dict):
        return {k: resolve_env(v, (*parts, k), environ, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v, (*parts, i), environ, problems) for i, v in enumerate(value)]
    return value


def read_source(source: str | Path | Mapping[str, Any] | None) -> tuple[Any, yaml.Node | None, str]:
    if source is None:
        return {}, None, "<defaults>"
    if isinstance(source, Mapping):
        return dict(source), None, "<dict>"
    import yaml  # lazy: PyYAML, only for YAML files

    path = Path(source)
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        return (yaml.safe_load(text) or {}), node, str(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem("", f"not valid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None)
        raise Unreadable(problem) from exc


def _drop(data: Any, parts: PathParts) -> None:
    for part in parts[:-1]:
        data = data[part]
    data.pop(parts[-1], None)


def validate(data: dict[str, Any], node: yaml.Node | None) -> tuple[Config | None, list[Problem]]:
    problems: list[Problem] = []
    for _ in range(2):  # second pass after unknown keys are set aside
        try:
            return Config.model_validate(data), problems
        except ValidationError as exc:
            unknown = [e for e in exc.errors() if e["type"] == "extra_forbidden"]
            for error in unknown:
                parts = tuple(error["loc"])
                section = str(parts[0]) if len(parts) == 2 else ""
                row = lookup(section or TOP, str(parts[-1])) if len(parts) <= 2 else None
                if row is not None and row.state is State.REFUSED:
                    problems.append(Problem(dotted(parts), refusal(row.note), line_of(node, parts)))
                    _drop(data, parts)
                    continue
                if row is not None and row.state is State.IGNORED:
                    message = no_effect(row.note)
                elif parts[-1] in ACCEPTED_WITHOUT_EFFECT.get(section, ()):
                    message = "accepted for LiteLLM compatibility; Switchboard does not act on it"
                else:
                    message = "unknown key (ignored)"
                problems.append(Problem(dotted(parts), message, line_of(node, parts), "warning"))
                _drop(data, parts)
            if not unknown:
                for error in exc.errors():
                    parts = tuple(error["loc"])
                    message = "required key is missing" if error["type"] == "missing" else error["msg"]
                    problems.append(Problem(dotted(parts), message, line_of(node, parts)))
                return None, problems
    return None, problems


def no_effect(why: str) -> str:
    """The warning for a LiteLLM key Switchboard accepts and does not act on."""
    return f"accepted for LiteLLM compatibility; Switchboard does not act on it ({why})"


def refusal(feature: str) -> str:
    """The error for a LiteLLM key Switchboard refuses: the feature it does not have."""
    return f"Switchboard does not support {feature}"


def config_dir(source: str) -> Path | None:
    """The directory of a configuration file (where LiteLLM looks for callback modules)."""
    return None if source.startswith("<") else Path(source).resolve().parent


def relative_to_config(value: str, source: str) -> Path:
    """A path from the configuration: relative ones are relative to the config file's directory
    (to the working directory when the configuration is not a file)."""
    path = Path(value).expanduser()
    if not path.is_absolute() and not source.startswith("<"):
        path = Path(source).parent / path
    return path
