"""``CallEvent`` as a plain JSON-ready dict: the one shape the log, webhook and Datadog sinks and
user classes receive. Empty values are left out; times stay epoch seconds, plus an ISO
``timestamp`` of the call's end."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from switchboard.domain.call_events import CallEvent

_FIELDS = tuple(f.name for f in fields(CallEvent))


def iso_time(epoch: float) -> str:
    """``2026-11-27T14:03:05.123456Z``."""
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def event_record(event: CallEvent) -> dict[str, Any]:
    """The event's fields without empty ones (``None``, empty tuples and mappings)."""
    record: dict[str, Any] = {"timestamp": iso_time(event.end_time)}
    for name in _FIELDS:
        value = getattr(event, name)
        if value is None or (isinstance(value, tuple | dict) and not value):
            continue
        record[name] = list(value) if isinstance(value, tuple) else value
    if not event.metadata:
        record.pop("metadata", None)
    if not event.params:
        record.pop("params", None)
    return record
