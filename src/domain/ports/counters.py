"""The counters behind rate limits and budgets: in memory for one instance, in Redis for many."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from switchboard.domain.governance.counters import Claim, Granted, Missing, Refused, Settlement


class CounterStore(Protocol):
    """Atomic, all-or-nothing counters. ``now`` (epoch seconds) is passed in, never read from
    the store's own clock, so every instance and every test agrees on time.

    Any failure to reach the store raises ``StateUnavailable``; the caller decides whether that
    admits or refuses the call.
    """

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused | Missing:
        """Add an entry named ``member`` to every claim's counter if each still fits its limit;
        otherwise add nothing and say which claim did not fit. Expired entries are dropped
        first. A budget counter that does not exist yet starts at the claim's ``spent``; when
        that is ``REHYDRATE``, nothing is taken and ``Missing`` lists every such counter."""
        ...

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        """Apply each settlement to ``member``'s entry (gone already: nothing to drop, ``SPEND``
        still adds, except to a budget counter that no longer exists when the settlement's
        ``spent`` is ``REHYDRATE``: it is left to be rehydrated, with this call's cost, from the
        database). Returns, per settlement, the counter's total afterwards (``spent`` for
        budgets)."""
        ...

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        """Each claim's counter as it stands (live entries plus ``spent``), without changing it."""
        ...


class StateUnavailable(Exception):
    """The counter store could not be reached or did not answer in time."""
