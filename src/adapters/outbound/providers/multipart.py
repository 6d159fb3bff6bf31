"""``multipart/form-data`` bodies for upstream uploads, encoded by httpx (pure, no I/O).

Form values are flattened the way OpenAI's SDK flattens them: a list becomes repeated
``name[]`` fields, a mapping ``name[key]`` fields, booleans ``true``/``false``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def form_fields(name: str, value: Any) -> Iterator[tuple[str, str]]:
    """``(name, text)`` pairs for one form value; ``None`` gives none."""
    if value is None:
        return
    if isinstance(value, bool):
        yield name, "true" if value else "false"
    elif isinstance(value, str | int | float):
        yield name, str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from form_fields(f"{name}[{key}]", item)
    elif isinstance(value, list | tuple):
        list_name = name if name.endswith("[]") else f"{name}[]"
        for item in value:
            yield from form_fields(list_name, item)
    else:
        raise TypeError(f"cannot send {type(value).__name__} as the form field {name!r}")


def encode_multipart(fields: Mapping[str, Any], files: Mapping[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """The body and its ``content-type`` (with the boundary) for ``fields`` and ``files``
    (form name -> (filename, content, content type))."""
    data: list[tuple[str, str]] = []
    for name, value in fields.items():
        data.extend(form_fields(name, value))
    import httpx  # lazy: ~0.2 s to import (it pulls its CLI's click and rich): only for uploads

    request = httpx.Request("POST", "http://upload.invalid/", data=_multi(data), files=dict(files))
    return request.read(), request.headers["content-type"]


def _multi(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    # httpx takes repeated fields as a list under one key.
    out: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name in out:
            existing = out[name]
            out[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            out[name] = value
    return out
