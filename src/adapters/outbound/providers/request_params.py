"""Reading request parameters with deployment-level defaults (``litellm_params: {temperature: 0}``).

A value the caller sent wins; otherwise the deployment's ``params`` entry of the same name is
used. Provider-specific parameters arrive as extra fields of the canonical request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from switchboard.domain.chat import ChatRequest


def param(request: BaseModel, defaults: Mapping[str, Any], name: str) -> Any:
    """The caller's value of ``name`` (declared field or extra), else the deployment default."""
    # __dict__ holds the declared fields; getattr on a missing name would raise inside pydantic.
    value = request.__dict__.get(name)
    if value is None:
        extra = request.__pydantic_extra__
        if extra:
            value = extra.get(name)
    return defaults.get(name) if value is None and defaults else value


def copy_params(
    into: dict[str, Any], request: BaseModel, defaults: Mapping[str, Any], names: Iterable[str] | Mapping[str, str]
) -> None:
    """Sets each parameter in ``names`` that the caller or the deployment gives on ``into``:
    under the same name, or, when ``names`` maps ours to theirs, under the wire's name."""
    pairs = names.items() if isinstance(names, Mapping) else ((name, name) for name in names)
    for ours, theirs in pairs:
        value = param(request, defaults, ours)
        if value is not None:
            into[theirs] = value


def output_limit(request: ChatRequest, defaults: Mapping[str, Any]) -> int | None:
    """The caller's cap on output tokens, else the deployment's (``max_completion_tokens``
    before ``max_tokens``); ``None`` when neither says."""
    return request.output_limit or defaults.get("max_completion_tokens") or defaults.get("max_tokens")


def stop_list(stop: str | Sequence[str]) -> list[str]:
    """OpenAI's ``stop`` (one string or several) as the list the other APIs take."""
    return [stop] if isinstance(stop, str) else list(stop)
