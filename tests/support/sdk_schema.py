"""Request bodies checked against the official SDKs' parameter types, offline.

The SDKs' TypedDicts ignore unknown keys and validate ``Iterable`` fields lazily, so the check
wraps the type in a list (``extra="forbid"`` then reaches every nested TypedDict) and drains
every lazy iterator. Adapters are cached: a collected adapter with live iterators makes
pydantic-core panic (see /work/shared/notes/ecosystem.md §0.7).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from openai.types.chat.completion_create_params import CompletionCreateParams
from pydantic import ConfigDict, TypeAdapter

_ValidatorIterator = type(TypeAdapter(Iterable[int]).validate_python([1]))


@functools.cache
def _strict(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(list[tp], config=ConfigDict(extra="forbid", arbitrary_types_allowed=True))


def _drain(value: Any) -> Any:
    if isinstance(value, _ValidatorIterator):
        return [_drain(v) for v in value]
    if isinstance(value, dict):
        return {k: _drain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_drain(v) for v in value]
    return value


def validate_params(tp: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` validated as the SDK parameter type ``tp``; raises ``ValidationError``."""
    result: dict[str, Any] = _drain(_strict(tp).validate_python([payload]))[0]
    return result


def validate_openai_chat_body(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI chat completions request body, as the openai SDK types it."""
    return validate_params(CompletionCreateParams, body)
