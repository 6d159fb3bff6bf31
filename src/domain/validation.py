"""Caller input into canonical values, with OpenAI-style messages that name the offending field.

Shared by every inbound adapter, so the HTTP gateway and the Python facade reject bad input with
the same words."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from domain.errors import BadRequest
from domain.messages import MESSAGE_ROLES, PART_TYPES

Model = TypeVar("Model", bound=BaseModel)

_TAGS = MESSAGE_ROLES | PART_TYPES | {"json_schema", "json_object"}
_NOT_JSON = (
    "We could not parse the JSON body of your request. The body must be valid JSON "
    "(check for trailing commas, unquoted keys or a wrong Content-Type)."
)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('messages', 0, 'user', 'content')`` -> ``messages[0].content``.

    Discriminator tags that pydantic adds after a list index (the role or part type) and union
    branch names (``str``, ``list[...]``) are dropped: they are not part of the caller's JSON.
    """
    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif (
            (isinstance(previous, int) and part in _TAGS)
            or "[" in part
            or part in ("str", "int", "float")
            or part.startswith(("function-", "literal["))
            or part.endswith("-Literal")
        ):
            pass
        else:
            out += ("." if out else "") + part
        previous = part
    return out


def _describe(error: dict[str, Any]) -> tuple[str, str | None]:
    path = field_path(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return f"Missing required parameter: '{path}'.", path
    if kind in ("union_tag_invalid", "union_tag_not_found") and path:
        return f"Invalid value for '{path}': {error['msg']}.", path
    if kind == "json_invalid":
        return _NOT_JSON, None
    if kind == "model_type" and not path:
        return "The request body must be a JSON object.", None
    what = "type" if kind.endswith(("_type", "_parsing")) else "value"
    where = f"'{path}'" if path else "the request body"
    return f"Invalid {what} for {where}: {error['msg']}.", path or None


def _rejected(exc: ValidationError) -> BadRequest:
    errors = exc.errors(include_url=False, include_input=False)
    # Prefer the most specific error: each branch of a union reports one.
    errors.sort(key=lambda e: (e["type"] != "missing", -len(e["loc"])))
    message, param = _describe(dict(errors[0]))
    return BadRequest(message, param=param)


def parse_json(model: type[Model], body: bytes) -> Model:
    """A JSON body as ``model``, or ``BadRequest`` naming the first offending field."""
    if not body.strip():
        raise BadRequest("The request body is empty; send a JSON object.")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise _rejected(exc) from None


def parse_mapping(model: type[Model], data: dict[str, Any]) -> Model:
    """Python keyword arguments as ``model``, or ``BadRequest`` naming the offending field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _rejected(exc) from None
