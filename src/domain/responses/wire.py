"""The Responses API's wire values, as OpenAI documents them (the official ``openai`` SDK's
``types.responses`` is the reference the contract tests validate against).

Every model keeps fields it does not name (``WireModel``), so a native OpenAI or Azure upstream
receives the request exactly as the caller sent it, and answers keep every field the upstream
sent. Input and output items stay plain JSON objects (``Item``): they are many kinds, most of
which only a native upstream understands; ``translation`` reads the kinds chat can carry and
names any other one in its error.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from switchboard.domain.chat import RouteInfo
from switchboard.domain.messages import WireModel
from switchboard.domain.usage import Usage

Item = dict[str, Any]
"""One input or output item (``{"type": "message", ...}``, ``{"type": "function_call", ...}``)."""

ResponseStatus = Literal["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"]


class ResponsesRequest(WireModel):
    """``POST /v1/responses``: the parameters the gateway reads, and any others kept as sent."""

    model: str = Field(min_length=1)
    input: str | list[Item] | None = None
    instructions: str | None = None
    tools: list[Item] | None = None
    tool_choice: str | Item | None = None
    text: Item | None = None
    reasoning: Item | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    parallel_tool_calls: bool | None = None
    store: bool | None = None
    previous_response_id: str | None = None
    stream: bool | None = None
    metadata: dict[str, Any] | None = None
    user: str | None = None

    @property
    def stores(self) -> bool:
        """Whether the answer is kept for retrieval and ``previous_response_id`` (OpenAI's
        default: yes)."""
        return self.store is not False

    def input_items(self) -> list[Item]:
        """The input as items: a string is one user message."""
        if self.input is None:
            return []
        if isinstance(self.input, str):
            return [{"type": "message", "role": "user", "content": self.input}]
        return list(self.input)


class InputTokensRequest(WireModel):
    """``POST /v1/responses/input_tokens``: the request whose input would be counted."""

    model: str = Field(min_length=1)
    input: str | list[Item] | None = None
    instructions: str | None = None
    tools: list[Item] | None = None
    previous_response_id: str | None = None


class ResponseObject(WireModel):
    """A response (``"object": "response"``), from a native upstream or made from chat.
    ``route`` (which deployment answered) goes out as headers, never in the body."""

    id: str
    object: Literal["response"] = "response"
    created_at: float
    status: ResponseStatus | None = "completed"
    model: str
    output: list[Item] = Field(default_factory=list)
    usage: Item | None = None
    error: Item | None = None
    incomplete_details: Item | None = None
    route: RouteInfo | None = Field(default=None, exclude=True)

    @property
    def output_text(self) -> str:
        """Every ``output_text`` part of the output's messages, joined."""
        return "".join(
            part.get("text") or ""
            for item in self.output
            if item.get("type") == "message"
            for part in item.get("content") or ()
            if isinstance(part, dict) and part.get("type") == "output_text"
        )


def usage_dict(
    input_tokens: int, output_tokens: int, *, cached: int = 0, reasoning: int = 0, cache_write: int = 0
) -> Item:
    """A response's ``usage`` object, every detail present (the SDK requires them)."""
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": cache_write},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": input_tokens + output_tokens,
    }


def usage_from_chat(usage: Usage) -> Item:
    """A chat usage as a response's ``usage``."""
    return usage_dict(
        usage.prompt_tokens,
        usage.completion_tokens,
        cached=usage.cached_tokens,
        reasoning=usage.reasoning_tokens,
    )


def chat_usage(usage: Item | None) -> Usage | None:
    """A response's ``usage`` as the gateway counts it (``None``: the answer reported none)."""
    if not isinstance(usage, dict) or "input_tokens" not in usage:
        return None
    inputs, outputs = usage.get("input_tokens_details"), usage.get("output_tokens_details")
    cached = _int(inputs.get("cached_tokens")) if isinstance(inputs, dict) else 0
    reasoning = _int(outputs.get("reasoning_tokens")) if isinstance(outputs, dict) else 0
    return Usage.of(
        _int(usage.get("input_tokens")),
        _int(usage.get("output_tokens")),
        cached=cached or None,
        reasoning=reasoning or None,
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
