"""What the Responses door produces, checked against the official openai SDK's types: a response
object (``Response``), a stream event (``ResponseStreamEvent``), a listed item (``ResponseItem``)."""

from __future__ import annotations

import functools
from typing import Any, get_args

from openai.types.responses import Response, ResponseItem, ResponseStreamEvent
from pydantic import BaseModel, TypeAdapter


@functools.cache
def _event_classes() -> dict[str, type[BaseModel]]:
    """Each event type's class, read off the SDK's union (its discriminator is the SDK's own)."""
    union = get_args(get_args(ResponseStreamEvent)[0]) or get_args(ResponseStreamEvent)
    classes: dict[str, type[BaseModel]] = {}
    for cls in union:
        (kind,) = get_args(cls.model_fields["type"].annotation)
        classes[kind] = cls
    return classes


@functools.cache
def _items() -> TypeAdapter[Any]:
    return TypeAdapter(ResponseItem)


def sdk_response(payload: dict[str, Any]) -> Response:
    """``payload`` as the SDK's ``Response``; raises ``ValidationError`` when it is not one."""
    return Response.model_validate(payload)


def sdk_event(payload: dict[str, Any]) -> Any:
    """``payload`` as the SDK's stream event of its ``type``; raises ``ValidationError``."""
    cls = _event_classes().get(payload["type"])
    assert cls is not None, f"the openai SDK models no event of type {payload['type']!r}"
    return cls.model_validate(payload)


def sdk_item(payload: dict[str, Any]) -> Any:
    return _items().validate_python(payload)
