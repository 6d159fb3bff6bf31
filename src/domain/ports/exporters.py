"""Where call events and alerts are delivered: a log, a metrics registry, a tracing backend, an
HTTP API. Exporters run behind a bounded queue in a background task, never on a request's path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

T_contra = TypeVar("T_contra", contravariant=True)


class ExportRejected(Exception):
    """The destination refused the batch for good (a 4xx, a malformed payload): retrying cannot
    help, so the batch is dropped and counted instead."""


class Exporter(Protocol[T_contra]):
    """Delivers batches of items (``CallEvent`` or ``Alert``) to one destination.

    ``export`` may take its time and may raise: any exception but ``ExportRejected`` has the
    batch retried with backoff, up to the queue's limit. It is never called concurrently with
    itself. ``close`` flushes what the exporter buffers itself and releases its resources.
    """

    async def export(self, items: Sequence[T_contra]) -> None:
        """Deliver ``items`` (at most the queue's batch size, at least one)."""
        ...

    async def close(self) -> None:
        """Flush and release; called once, at shutdown, after the last ``export``."""
        ...
