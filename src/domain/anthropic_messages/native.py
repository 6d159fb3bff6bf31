"""A Messages request bound for a deployment that speaks Messages natively (pure): the body as the
caller sent it, and what the relayed answer is read for (usage, the text the sinks log).

The body keeps every field the caller sent, in the caller's order, with three changes: ``model``
is the deployment's; the gateway's own parameters (``fallbacks``, ``num_retries``,
``mock_response``...; ``domain.params.GATEWAY_PARAMS``) are taken out; ``metadata`` keeps only
what Anthropic reads there (``user_id``), as the gateway's ``metadata.tags`` are its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from switchboard.domain.anthropic_messages.from_chat import chat_usage
from switchboard.domain.messages import WireModel
from switchboard.domain.params import GATEWAY_PARAMS
from switchboard.domain.usage import Usage

FORWARDED_HEADERS = ("anthropic-version", "anthropic-beta")
_ANTHROPIC_METADATA = frozenset({"user_id"})


def native_body(request: WireModel, model: str) -> dict[str, Any]:
    """What the deployment is sent for ``request`` (see the module docstring)."""
    body: dict[str, Any] = request.model_dump(mode="json", exclude_unset=True, by_alias=True)
    for name in GATEWAY_PARAMS & body.keys():
        if name != "metadata":
            del body[name]
    metadata = body.get("metadata")
    if isinstance(metadata, dict):
        kept = {k: v for k, v in metadata.items() if k in _ANTHROPIC_METADATA}
        if kept:
            body["metadata"] = kept
        else:
            del body["metadata"]
    body["model"] = model
    return body


@dataclass(slots=True)
class MessagesMeter:
    """What a relayed answer said of itself, filled in by the adapter as the answer passes:
    Anthropic's usage fields (``message_start`` sets the input side, ``message_delta`` the
    output side), the text, and whether ``message_stop`` came."""

    usage: dict[str, Any] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    stopped: bool = False
    error: dict[str, Any] | None = None

    def read_usage(self, fields: Any) -> None:
        if isinstance(fields, dict):
            self.usage.update({k: v for k, v in fields.items() if v is not None})

    def read_message(self, message: Any) -> None:
        """A whole ``Message`` (a JSON answer, or ``message_start``'s)."""
        if not isinstance(message, dict):
            return
        self.read_usage(message.get("usage"))
        for block in message.get("content") or ():
            if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
                self.texts.append(block["text"])

    def read_event(self, event: Any) -> None:
        """One stream event's data, parsed."""
        if not isinstance(event, dict):
            return
        kind = event.get("type")
        if kind == "content_block_delta":
            delta = event.get("delta")
            if isinstance(delta, dict) and delta.get("type") == "text_delta" and isinstance(delta.get("text"), str):
                self.texts.append(delta["text"])
        elif kind == "message_start":
            self.read_message(event.get("message"))
        elif kind == "message_delta":
            self.read_usage(event.get("usage"))
        elif kind == "message_stop":
            self.stopped = True
        elif kind == "error":
            self.error = event.get("error") if isinstance(event.get("error"), dict) else {}

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def chat_usage(self) -> Usage | None:
        """The usage reported so far, in the gateway's terms (``None``: none reported)."""
        return chat_usage(self.usage) if self.usage else None
