"""Conversations across responses (pure): what ``previous_response_id`` adds to a request, what a
stored response's input items look like when listed, and the body a native upstream receives."""

from __future__ import annotations

from typing import Any

from switchboard.domain.params import GATEWAY_PARAMS
from switchboard.domain.responses.wire import Item, ResponsesRequest

# What the gateway reads itself and never forwards (``metadata`` is OpenAI's too: it goes,
# without the gateway's ``tags``).
_NOT_FORWARDED = GATEWAY_PARAMS - {"metadata"}


def conversation(input_items: list[Item], output: list[Item]) -> list[Item]:
    """The items a stored response leaves to the next one: its input (with its own history)
    then its output."""
    return [*input_items, *output]


def for_native_input(items: list[Item]) -> list[Item]:
    """History items as a native upstream accepts them in ``input``: without the ids the
    gateway gave them (the upstream never stored those), and without reasoning items it could
    not resolve (one with ``encrypted_content`` carries itself)."""
    out: list[Item] = []
    for item in items:
        if item.get("type") == "reasoning" and not item.get("encrypted_content"):
            continue
        out.append({k: v for k, v in item.items() if k not in ("id", "status")})
    return out


def passthrough_body(request: ResponsesRequest, history: list[Item] | None, *, stream: bool) -> dict[str, Any]:
    """The request as the caller sent it, without the gateway's parameters; with ``history``
    (a resolved ``previous_response_id``) put before the input."""
    body = request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    for name in _NOT_FORWARDED.intersection(body):
        del body[name]
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and "tags" in metadata:
        rest = {k: v for k, v in metadata.items() if k != "tags"}
        if rest:
            body["metadata"] = rest
        else:
            del body["metadata"]
    if history is not None:
        body.pop("previous_response_id", None)
        body["input"] = [*for_native_input(history), *request.input_items()]
    body["stream"] = stream
    return body


def listed_items(items: list[Item], response_id: str) -> list[Item]:
    """Input items as ``GET /v1/responses/{id}/input_items`` lists them: each with an id, a
    message's text content as parts."""
    suffix = response_id.removeprefix("resp_")
    listed: list[Item] = []
    for index, item in enumerate(items):
        entry = dict(item)
        kind = entry.setdefault("type", "message")
        if kind == "message" and isinstance(entry.get("content"), str):
            part = "output_text" if entry.get("role") == "assistant" else "input_text"
            entry["content"] = [{"type": part, "text": entry["content"]}]
            if part == "output_text":
                entry["content"][0]["annotations"] = []
        entry.setdefault("id", f"{_PREFIXES.get(str(kind), 'item')}_{suffix}_{index}")
        if kind == "message":
            entry.setdefault("status", "completed")
        listed.append(entry)
    return listed


_PREFIXES = {"message": "msg", "function_call": "fc", "function_call_output": "fco", "reasoning": "rs"}


def page(items: list[Item], *, after: str | None, limit: int, newest_first: bool) -> tuple[list[Item], bool]:
    """One page of listed items (``after``: the id the previous page ended with) and whether
    more follow."""
    ordered = list(reversed(items)) if newest_first else items
    if after is not None:
        ids = [item.get("id") for item in ordered]
        ordered = ordered[ids.index(after) + 1 :] if after in ids else []
    return ordered[:limit], len(ordered) > limit
