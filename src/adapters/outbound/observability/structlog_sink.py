"""Every call as one JSON line, through structlog, to standard output or a file."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import BinaryIO

import orjson
import structlog

from switchboard.adapters.outbound.observability.records import event_record
from switchboard.domain.call_events import CallEvent


class StructlogExporter:
    """Writes ``{"event": "llm_call", "level": "info"|"error", ...the event...}`` lines.

    Lines are rendered and written in a worker thread, so a slow reader of the output never
    stalls the event loop. ``stream`` defaults to standard output.
    """

    def __init__(self, stream: BinaryIO | None = None, *, path: str | None = None) -> None:
        self._file: BinaryIO | None = open(path, "ab") if path else None  # noqa: SIM115 - kept open until close
        target = self._file or stream or sys.stdout.buffer
        self._log = structlog.wrap_logger(
            structlog.BytesLogger(target),
            processors=[structlog.processors.JSONRenderer(serializer=orjson.dumps)],
            wrapper_class=structlog.BoundLogger,
            context_class=dict,
            cache_logger_on_first_use=True,
        )
        self._target = target

    async def export(self, items: Sequence[CallEvent]) -> None:
        await asyncio.to_thread(self._write, items)

    def _write(self, items: Sequence[CallEvent]) -> None:
        for event in items:
            record = event_record(event)
            level = "info" if not event.failed else "error"
            self._log.msg("llm_call", level=level, **record)
        self._target.flush()

    async def close(self) -> None:
        if self._file is not None:
            self._file.close()
