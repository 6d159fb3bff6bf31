"""Newline-delimited JSON: an incremental decoder that survives lines split across reads.

One JSON value per line (``\\n`` or ``\\r\\n``); blank lines are skipped. Used by APIs that stream
without SSE framing (Ollama).
"""

from __future__ import annotations

from typing import Any

import orjson


class NdjsonDecoder:
    """Feed bytes as they arrive; get back the values of the lines completed so far.

    A line that is not JSON raises ``orjson.JSONDecodeError`` (a ``ValueError``).
    """

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[Any]:
        buffer = self._buffer + chunk
        if b"\n" not in buffer:
            self._buffer = buffer
            return []
        lines = buffer.split(b"\n")
        self._buffer = lines.pop()
        return [orjson.loads(line) for line in lines if line.strip()]

    def flush(self) -> list[Any]:
        """The value of a last line that ended without a newline, if any."""
        rest, self._buffer = self._buffer, b""
        return [orjson.loads(rest)] if rest.strip() else []
