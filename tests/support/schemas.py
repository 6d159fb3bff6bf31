"""Validate what we send against the official SDKs' request types, strictly.

SDK request TypedDicts ignore unknown keys and validate ``Iterable`` fields lazily; wrapping the
type in ``list[...]`` with ``extra="forbid"`` makes unknown keys errors all the way down, and
draining the lazy iterators makes bad items fail now. Adapters are cached: pydantic-core panics
if one is collected before its iterators are consumed (shared/notes/ecosystem.md §0.7).
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
    return TypeAdapter(list[tp], config=ConfigDict(extra="forbid"))


def _drain(value: Any) -> Any:
    if isinstance(value, _ValidatorIterator):
        return [_drain(v) for v in value]
    if isinstance(value, dict):
        return {k: _drain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_drain(v) for v in value]
    return value


def validate_params(tp: Any, payload: dict[str, Any]) -> Any:
    """``payload`` validated as the TypedDict ``tp``; raises ``ValidationError`` on any problem."""
    return _drain(_strict(tp).validate_python([payload]))[0]


def validate_openai_chat_body(body: dict[str, Any]) -> Any:
    """An OpenAI chat completions request body, as the openai SDK types it."""
    return validate_params(CompletionCreateParams, body)
