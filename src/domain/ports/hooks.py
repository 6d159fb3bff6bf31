"""Call hooks: ordered steps around every call (rate limits, budgets, guardrails, custom hooks)."""

from __future__ import annotations

from typing import Any, Protocol

from switchboard.domain.calls import CallInfo, CallOutcome


class CallHook(Protocol):
    """A step before and after each call.

    ``pre_call`` may refuse the call by raising a ``domain.errors`` error (``RateLimited``,
    ``BudgetExceeded``, ``PermissionDenied``...). What it returns (a reservation, say) is handed
    back to ``post_call``, which runs exactly once for every ``pre_call`` that returned, whether
    the call then succeeded, failed, was refused by a later hook, or (for a stream) was abandoned.
    ``post_call`` must not raise; it settles and records.
    """

    async def pre_call(self, info: CallInfo[Any]) -> Any:
        """Admit the call or raise; the return value is this hook's ticket for ``post_call``."""
        ...

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: Any) -> None:
        """Settle the call (release or charge a reservation, record spend...)."""
        ...


class FallbackHook(CallHook, Protocol):
    """A call hook that also judges each fallback group before the router tries it (model access,
    the budget reservation priced on that group). Hooks without ``pre_fallback`` are not asked."""

    async def pre_fallback(self, info: CallInfo[Any], group: str, ticket: Any) -> None:
        """Allow the call to go on to model group ``group`` or raise a ``domain.errors`` error
        (the router then skips that group). ``ticket`` is what ``pre_call`` returned; the hook
        may extend what it holds (a bigger reservation), settled by ``post_call`` as usual."""
        ...
