"""Caller input into canonical values, with OpenAI-style messages that name the offending field.

Shared by every inbound adapter, so the HTTP gateway and the Python facade reject bad input with
the same words."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from switchboard.domain.errors import BadRequest
from switchboard.domain.messages import MESSAGE_ROLES, PART_TYPES

Model = TypeVar("Model", bound=BaseModel)

_TAGS = MESSAGE_ROLES | PART_TYPES | {"json_schema", "json_object"}
NOT_JSON = (
    "We could not parse the JSON body of your request. The body must be valid JSON "
    "(check for trailing commas, unquoted keys or a wrong Content-Type)."
)
TOO_DEEP = "The request body is nested too deeply."


def field_path(loc: tuple[int | str, ...], data: Any = None) -> str:
    """``('messages', 0, 'user', 'content')`` -> ``messages[0].content``.

    pydantic adds the discriminator tag of a tagged union (the role, the part type) and the
    branch name of a plain union (``str``, ``list[...]``) to the location; they are not in the
    caller's JSON. With the caller's ``data`` at hand, a location part is kept only where the data
    has it; without it, known tags and branch names are dropped.
    """
    out = ""
    node = data
    following = data is not None
    previous: int | str | None = None
    for part in loc:
        if following and _has(node, part):
            node = node[part]
        elif isinstance(part, str) and _is_branch(part, previous, following):
            previous = part
            continue  # a tag or branch name: not part of the caller's JSON
        else:
            following = False  # a missing field: the data ends here
        previous = part
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def _has(node: Any, part: int | str) -> bool:
    if isinstance(part, int):
        return isinstance(node, list) and part < len(node)
    return isinstance(node, dict) and part in node


def _is_branch(part: str, previous: int | str | None, following: bool) -> bool:
    """Whether a location part is pydantic's union bookkeeping rather than a field name."""
    tag = part in _TAGS and (following or isinstance(previous, int))
    return (
        tag
        or "[" in part
        or part in ("str", "int", "float")
        or part.startswith(("function-", "literal["))
        or part[:1].isupper()  # a model's class name: a branch of a plain union
        or part.endswith("-Literal")
    )


def _describe(error: dict[str, Any], data: Any) -> tuple[str, str | None]:
    path = field_path(error["loc"], data)
    kind = error["type"]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        # the field that picks the branch (``role``, ``type``) is what is wrong or missing
        path = f"{path}.{_discriminator(error)}" if path else _discriminator(error)
        kind = "missing" if kind == "union_tag_not_found" else kind
    if kind == "missing":
        return f"Missing required parameter: '{path}'.", path
    if kind == "union_tag_invalid":
        return f"Invalid value for '{path}': {error['msg']}.", path
    if kind == "json_invalid":
        return (TOO_DEEP if "recursion limit" in error["msg"] else NOT_JSON), None
    if kind == "model_type" and not path:
        return "The request body must be a JSON object.", None
    what = "type" if kind.endswith(("_type", "_parsing")) else "value"
    where = f"'{path}'" if path else "the request body"
    return f"Invalid {what} for {where}: {error['msg']}.", path or None


def _discriminator(error: dict[str, Any]) -> str:
    """The discriminator's field name: pydantic quotes it in the error context (``'role'``)."""
    return str(error.get("ctx", {}).get("discriminator", "")).strip("'")


def _rejected(exc: ValidationError, data: Any) -> BadRequest:
    errors = exc.errors(include_url=False, include_input=False)
    # Prefer the most specific error: each branch of a union reports one.
    errors.sort(key=lambda e: (e["type"] != "missing", -len(e["loc"])))
    message, param = _describe(dict(errors[0]), data)
    return BadRequest(message, param=param)


def parse_json(model: type[Model], body: bytes) -> Model:
    """A JSON body as ``model``, or ``BadRequest`` naming the first offending field.

    The body is parsed once, by pydantic straight into the model: its parser refuses nesting
    deeper than its recursion limit as invalid JSON (no ``RecursionError``). Only a body refused
    for its content is decoded again, to follow the caller's JSON when naming the field."""
    if not body.strip():
        raise BadRequest("The request body is empty; send a JSON object.")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise _rejected(exc, _caller_json(exc, body)) from None


def _caller_json(exc: ValidationError, body: bytes) -> Any:
    """The refused body as plain data, or ``None`` when it is not JSON at all. Parsed with the
    same (Rust) parser and its depth limit, so it cannot recurse out of the stack."""
    if any(error["type"] == "json_invalid" for error in exc.errors(include_url=False, include_input=False)):
        return None
    try:
        return from_json(body)
    except ValueError:
        return None


def parse_mapping(model: type[Model], data: dict[str, Any]) -> Model:
    """Python keyword arguments as ``model``, or ``BadRequest`` naming the offending field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _rejected(exc, data) from None
