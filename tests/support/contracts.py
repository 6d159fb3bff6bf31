"""Checking wire payloads against a provider's official SDK models, strictly.

SDK models mostly accept unknown fields (kept as extras, or ignored), so validating alone would
let a misspelled or invented field through. ``assert_conforms`` validates, then requires that
nothing landed in an extra and that dumping the value gives back exactly the payload (an
ignored field would be missing from the dump).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter


@functools.cache
def _adapter(schema: Any) -> TypeAdapter[Any]:
    # Kept alive on purpose: see ecosystem notes on pydantic-core and collected adapters.
    return TypeAdapter(schema)


def extras(value: Any, path: str = "$") -> Iterator[str]:
    """Paths of fields a model kept without declaring them, anywhere inside ``value``."""
    if isinstance(value, BaseModel):
        for name in value.model_extra or {}:
            yield f"{path}.{name}"
        for name in type(value).model_fields:
            yield from extras(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from extras(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from extras(item, f"{path}.{key}")


def assert_conforms(schema: Any, payload: Any) -> Any:
    """``payload`` validated as ``schema`` (a model class or any type), with no unknown field."""
    adapter = _adapter(schema)
    value = adapter.validate_python(payload)
    unknown = list(extras(value))
    assert not unknown, f"fields the official schema does not know: {unknown}"
    dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    assert dumped == payload, f"the official schema does not keep the payload as sent:\n{dumped}\n!=\n{payload}"
    return value
