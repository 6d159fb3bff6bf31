"""Anthropic's SSE stream bytes -> stream event models, for callers in this process (the Python
facade): an incremental reader that survives events split across reads (pure).

Only what Anthropic's framing uses is read: lines end in ``\\n`` or ``\\r\\n``, an empty line ends
an event, its ``data`` lines hold the JSON; the ``event`` line repeats the JSON's ``type``. An event
of a type this module does not model is kept whole as an ``OtherEvent``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag, TypeAdapter

from switchboard.domain.anthropic_messages.wire import (
    ContentBlockDelta,
    ContentBlockStart,
    ContentBlockStop,
    ErrorEvent,
    MessageDelta,
    MessageStart,
    MessageStop,
    Ping,
)
from switchboard.domain.messages import WireModel


class OtherEvent(WireModel):
    """An event type this module does not model, every field kept."""

    type: str


_MODELLED: dict[str, type[WireModel]] = {
    "message_start": MessageStart,
    "content_block_start": ContentBlockStart,
    "content_block_delta": ContentBlockDelta,
    "content_block_stop": ContentBlockStop,
    "message_delta": MessageDelta,
    "message_stop": MessageStop,
    "ping": Ping,
    "error": ErrorEvent,
}


def _tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and kind in _MODELLED else "other"


AnyEvent = Annotated[
    Annotated[MessageStart, Tag("message_start")]
    | Annotated[ContentBlockStart, Tag("content_block_start")]
    | Annotated[ContentBlockDelta, Tag("content_block_delta")]
    | Annotated[ContentBlockStop, Tag("content_block_stop")]
    | Annotated[MessageDelta, Tag("message_delta")]
    | Annotated[MessageStop, Tag("message_stop")]
    | Annotated[Ping, Tag("ping")]
    | Annotated[ErrorEvent, Tag("error")]
    | Annotated[OtherEvent, Tag("other")],
    Discriminator(_tag),
]
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


class EventReader:
    """Feed the stream's bytes as they come; get back the events completed so far."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[AnyEvent]:
        buffer = (self._buffer + data).replace(b"\r\n", b"\n")
        *blocks, self._buffer = buffer.split(b"\n\n")
        return [event for block in blocks if (event := _event(block)) is not None]


def _event(block: bytes) -> AnyEvent | None:
    data = [line[5:].removeprefix(b" ") for line in block.split(b"\n") if line.startswith(b"data:")]
    if not data:
        return None
    return _EVENT.validate_json(b"\n".join(data))
