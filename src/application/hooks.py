"""Running call hooks in order, and keeping the promise that every admitted call is settled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import ClientAborted, InternalError, SwitchboardError, client_left
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.hooks import CallHook

log = logging.getLogger(__name__)


class Admission:
    """The tickets of the hooks that admitted one call; ``settle`` runs their ``post_call`` once."""

    __slots__ = ("_hooks", "_settled", "_sinks", "_tickets")

    def gate(self, info: CallInfo[Any]) -> Callable[[str], Awaitable[None]]:
        """What the router asks before trying a fallback group: every admitting hook's
        ``pre_fallback``, in order (hooks without one are not asked)."""

        async def gate(group: str) -> None:
            for hook, ticket in zip(self._hooks, self._tickets, strict=False):
                judge = getattr(hook, "pre_fallback", None)
                if judge is not None:
                    await judge(info, group, ticket)

        return gate

    def __init__(self, hooks: Sequence[CallHook], tickets: list[Any], sinks: Sequence[EventSink]) -> None:
        self._hooks = hooks
        self._tickets = tickets
        self._sinks = sinks
        self._settled = False

    async def settle(self, outcome: CallOutcome[Any, Any]) -> None:
        """Post-call every admitting hook (in reverse order), then emit the outcome. Idempotent."""
        if self._settled:
            return
        self._settled = True
        left: asyncio.CancelledError | None = None
        for hook, ticket in zip(reversed(self._hooks[: len(self._tickets)]), reversed(self._tickets), strict=True):
            try:
                await hook.post_call(outcome, ticket)
            except Exception:  # a settling hook must not turn a served call into a failure
                log.exception("post_call hook failed", extra={"hook": type(hook).__name__})
            except asyncio.CancelledError as exc:
                # Cancelled while settling (a client that left just as its call ended): the hooks
                # after this one still release what they hold, and the sinks still see the call.
                left = exc
        for sink in self._sinks:
            sink.emit(outcome)
        if left is not None:
            raise left


class HookPipeline:
    """Ordered hooks and the event sinks that see every outcome."""

    def __init__(self, hooks: Sequence[CallHook] = (), sinks: Sequence[EventSink] = ()) -> None:
        self._hooks = tuple(hooks)
        self._sinks = tuple(sinks)

    async def admit(self, info: CallInfo[Any]) -> Admission:
        """Run every ``pre_call``. If one refuses, the hooks that already admitted are settled with
        the refusal, so no reservation leaks, and the refusal is raised."""
        tickets: list[Any] = []
        admission = Admission(self._hooks, tickets, self._sinks)
        for hook in self._hooks:
            try:
                tickets.append(await hook.pre_call(info))
            except BaseException as exc:
                await admission.settle(CallOutcome.failed(info, _refusal(exc)))
                raise
        return admission


def _refusal(exc: BaseException) -> SwitchboardError:
    """What a ``pre_call`` that did not admit the call is recorded as."""
    if isinstance(exc, SwitchboardError):
        return exc
    return ClientAborted() if client_left(exc) else InternalError("a call hook failed")
