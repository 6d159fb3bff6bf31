"""Server-sent events: an incremental decoder that survives events split across reads.

Follows the WHATWG rules that matter for LLM APIs: lines end in ``\\n``, ``\\r\\n`` or ``\\r``; an
empty line ends an event; ``data`` lines join with ``\\n``; lines starting with ``:`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseEvent:
    data: str
    event: str | None = None


class SseDecoder:
    """Feed bytes as they arrive; get back the events completed so far."""

    __slots__ = ("_buffer", "_data", "_event", "_pending_cr")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []
        self._event: str | None = None
        self._pending_cr = False

    def feed(self, chunk: bytes) -> list[SseEvent]:
        if not self._buffer and not self._data and not self._pending_cr and b"\r" not in chunk:
            return self._feed_simple(chunk)
        return self._feed_lines(chunk)

    def _feed_simple(self, chunk: bytes) -> list[SseEvent]:
        """The common case, whole ``data: ...`` events in one read, without the line machine."""
        blocks = chunk.split(b"\n\n")
        tail = blocks.pop()
        events: list[SseEvent] = []
        for block in blocks:
            if block.startswith(b"data: ") and b"\n" not in block:
                events.append(SseEvent(block[6:].decode()))
            elif block:
                events.extend(self._feed_lines(block + b"\n\n"))
        if tail:
            events.extend(self._feed_lines(tail))
        return events

    def _feed_lines(self, chunk: bytes) -> list[SseEvent]:
        if self._pending_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the \n of a \r\n split across reads
        self._pending_cr = False
        buffer = self._buffer + chunk
        if b"\r" in buffer:
            self._pending_cr = buffer.endswith(b"\r")
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        events: list[SseEvent] = []
        for raw in lines:
            if not raw:
                if self._data:
                    events.append(SseEvent("\n".join(self._data), self._event))
                self._data = []
                self._event = None
                continue
            line = raw.decode()
            name, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._event = value
            # comments (empty name), "id" and "retry" carry nothing we use
        return events

    def flush(self) -> list[SseEvent]:
        """Events left when the body ends without a final blank line."""
        events = self.feed(b"\n\n") if self._buffer or self._data else []
        self._buffer = b""
        return events
