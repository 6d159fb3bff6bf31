"""Anthropic's wire format, checked against the official ``anthropic`` SDK (2.x) types.

Request bodies validate as ``MessageCreateParams`` with unknown keys forbidden (the TypedDicts
are wrapped in ``list[...]`` so ``extra="forbid"`` reaches every nested TypedDict, and lazy
``Iterable`` fields are drained so a bad message cannot hide in them). Responses validate as
``Message``, stream events as ``RawMessageStreamEvent`` (``ping`` and ``error`` are outside that
union and are checked here by hand), error bodies as ``ErrorResponse``. SDK models allow extra
fields, so unknown ones are looked for explicitly: a fixture cannot drift from the real API.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import anthropic.types as at
import orjson
from anthropic.types.shared import ErrorResponse
from pydantic import BaseModel, ConfigDict, TypeAdapter

from switchboard.adapters.outbound.providers.anthropic.capabilities import SAMPLING_PARAMS

ValidatorIterator = type(TypeAdapter(Iterable[int]).validate_python([1]))


@functools.cache  # keep adapters alive: pydantic-core panics if one dies before its iterators
def _strict(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(list[tp], config=ConfigDict(extra="forbid"))


@functools.cache
def _loose(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def drain(value: Any) -> Any:
    """``value`` with every lazily validated iterable consumed (and so validated).

    Message content also accepts the SDK's response models (``TextBlock``...), which keep
    unknown keys; a block that lands on one of those is checked for unknown keys here.
    """
    if isinstance(value, BaseModel):
        assert not extras(value), f"fields the SDK does not know: {extras(value)}"
        return value
    if isinstance(value, ValidatorIterator):
        return [drain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: drain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [drain(item) for item in value]
    return value


def validate_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` checked as the SDK's ``MessageCreateParams``; raises ``ValidationError`` if not.

    SDK 2.x types describe API version 2026-10-21, which dropped ``temperature``/``top_p``/
    ``top_k``; bodies for older models on version 2023-06-01 may carry them, so those keys
    are checked here by type and the rest of the body by the SDK.
    """
    rest = {k: v for k, v in body.items() if k not in SAMPLING_PARAMS}
    for name in SAMPLING_PARAMS & body.keys():
        expected = int if name == "top_k" else (int, float)
        assert isinstance(body[name], expected), f"{name} has the wrong type"
    result: dict[str, Any] = drain(_strict(at.MessageCreateParams).validate_python([rest]))[0]
    return result


def extras(model: BaseModel, path: str = "") -> list[str]:
    """Paths of fields the SDK model does not declare (SDK models keep unknown fields)."""
    found = [f"{path}.{name}" for name in (model.model_extra or {})]
    for name in type(model).model_fields:
        found += _extras_of(getattr(model, name), f"{path}.{name}")
    return found


def _extras_of(value: Any, path: str) -> list[str]:
    if isinstance(value, BaseModel):
        return extras(value, path)
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in _extras_of(item, f"{path}[{i}]")]
    return []


def validate_message(body: Mapping[str, Any]) -> at.Message:
    message = at.Message.model_validate(body)
    assert not extras(message), f"fields the SDK does not know: {extras(message)}"
    return message


def validate_event(event: Mapping[str, Any]) -> None:
    """One stream event's data, checked by kind."""
    kind = event.get("type")
    if kind == "ping":
        assert dict(event) == {"type": "ping"}
        return
    if kind == "error":
        validate_error(event)
        return
    parsed = _loose(at.RawMessageStreamEvent).validate_python(event)
    assert not extras(parsed), f"fields the SDK does not know: {extras(parsed)}"


def validate_error(body: Mapping[str, Any]) -> None:
    """An error body; ``request_too_large`` (HTTP 413) is documented but absent from the SDK's
    ``ErrorObject`` union, so its shape is checked by hand."""
    if body.get("error", {}).get("type") == "request_too_large":
        assert body["type"] == "error" and isinstance(body["error"]["message"], str)
        return
    parsed = ErrorResponse.model_validate(body)
    # ``error.details`` (null, or ``{"error_code": ...}``) is read by the SDK's exceptions but
    # not declared on its error models.
    unknown = [path for path in extras(parsed) if path != ".error.details"]
    assert not unknown, f"fields the SDK does not know: {unknown}"


def sse_frames(events: Iterable[Mapping[str, Any]]) -> list[bytes]:
    """Anthropic's SSE framing: a named event and its JSON data, each validated first."""
    frames = []
    for event in events:
        validate_event(event)
        frames.append(b"event: " + str(event["type"]).encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n")
    return frames
