"""User sinks: an object from the configuration (``module:Class``) that receives call events.

It may offer any one of these methods, sync or async (the first found is used):

- ``export(events)``: a batch (a list of ``CallEvent``);
- ``emit(event)`` or ``log(event)``: one ``CallEvent`` at a time;
- LiteLLM's ``async_log_success_event`` / ``async_log_failure_event`` / ``log_success_event`` /
  ``log_failure_event`` ``(kwargs, response_obj, start_time, end_time)``: ``kwargs`` is the event
  as a dict (the webhook's record), ``response_obj`` its ``output``, the times ``datetime``s.

Sync methods run in a worker thread and async ones in the sink's own task, so a user sink that
sleeps, blocks or raises only ever delays or fails its own queue, never a request.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from switchboard.adapters.outbound.observability.records import event_record
from switchboard.domain.call_events import CallEvent

EVENT_METHODS = ("export", "emit", "log")
LITELLM_METHODS = ("async_log_success_event", "async_log_failure_event", "log_success_event", "log_failure_event")


def sink_methods(target: object) -> list[str]:
    """The sink methods ``target`` offers (empty: it is not a sink)."""
    return [name for name in (*EVENT_METHODS, *LITELLM_METHODS) if callable(getattr(target, name, None))]


class CustomExporter:
    def __init__(self, target: object) -> None:
        methods = sink_methods(target)
        if not methods:
            raise TypeError(f"{type(target).__name__} has none of the methods {', '.join(EVENT_METHODS)}")
        self.target = target
        self._name = methods[0]
        self._method: Callable[..., Any] = getattr(target, self._name)
        self._litellm = self._name in LITELLM_METHODS
        if self._litellm:
            self._success = getattr(target, "async_log_success_event", None) or getattr(
                target, "log_success_event", None
            )
            self._failure = getattr(target, "async_log_failure_event", None) or getattr(
                target, "log_failure_event", None
            )

    async def export(self, items: Sequence[CallEvent]) -> None:
        if self._litellm:
            for event in items:
                await self._litellm_call(event)
        elif self._name == "export":
            await self._call(self._method, list(items))
        else:
            for event in items:
                await self._call(self._method, event)

    async def _litellm_call(self, event: CallEvent) -> None:
        method = self._success if event.ok else self._failure
        if method is None:
            return
        start = datetime.fromtimestamp(event.start_time, UTC)
        end = datetime.fromtimestamp(event.end_time, UTC)
        await self._call(method, event_record(event), event.output, start, end)

    @staticmethod
    async def _call(method: Callable[..., Any], *args: Any) -> None:
        if inspect.iscoroutinefunction(method):
            await method(*args)
        else:
            result = await asyncio.to_thread(method, *args)
            if inspect.isawaitable(result):
                await result

    async def close(self) -> None:
        for name in ("aclose", "close"):
            method = getattr(self.target, name, None)
            if callable(method):
                await self._call(method)
                return
