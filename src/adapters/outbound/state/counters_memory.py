"""Rate-limit and budget counters in this process's memory: exact for one instance.

Each counter keeps its live entries (weight and expiry) in a dict, a heap of expiries to drop
the expired ones cheaply, and the running total. All work is synchronous between awaits, so
every ``acquire`` and ``settle`` is atomic on the event loop.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from switchboard.domain.governance.counters import REHYDRATE, Claim, Granted, Missing, Refused, SettleAction, Settlement


class _Counter:
    __slots__ = ("entries", "expiries", "keep_until", "spent", "total")

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, float]] = {}
        self.expiries: list[tuple[float, str]] = []
        self.total = 0
        self.spent: int | None = None
        self.keep_until = 0.0

    def purge(self, now: float) -> None:
        expiries, entries = self.expiries, self.entries
        while expiries and expiries[0][0] <= now:
            expiry, member = heapq.heappop(expiries)
            entry = entries.get(member)
            if entry is not None and entry[1] == expiry:
                del entries[member]
                self.total -= entry[0]

    def drop(self, member: str) -> None:
        entry = self.entries.pop(member, None)
        if entry is not None:
            self.total -= entry[0]  # its heap item is skipped when it surfaces
            if len(self.expiries) > 2 * len(self.entries) + 64:  # released leases pile up: rebuild
                self.expiries = [(expiry, m) for m, (_, expiry) in self.entries.items()]
                heapq.heapify(self.expiries)

    def used(self) -> int:
        return self.total + (self.spent or 0)

    def oldest(self, now: float) -> float:
        while self.expiries and self.expiries[0][1] not in self.entries:
            heapq.heappop(self.expiries)
        return max(0.0, self.expiries[0][0] - now) if self.expiries else 0.0

    def wait_for(self, room_needed: int, now: float) -> float | None:
        """Seconds until ``room_needed`` units have expired; ``None`` if expiry cannot free them."""
        freed = 0
        for expiry, member in sorted(self.expiries):
            entry = self.entries.get(member)
            if entry is None or entry[1] != expiry:
                continue
            freed += entry[0]
            if freed >= room_needed:
                return max(0.0, expiry - now)
        return None


def _fits(counter: _Counter, claim: Claim) -> bool:
    used = counter.used()
    if claim.spent is not None and claim.weight == 0:
        return used < claim.limit
    return used + claim.weight <= claim.limit


class InMemoryCounterStore:
    def __init__(self, sweep_every: int = 10_000) -> None:
        self._counters: dict[str, _Counter] = {}
        self._sweep_every = sweep_every
        self._ops = 0

    def _counter(self, key: str, now: float, spent: int | None) -> _Counter:
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = _Counter()
        counter.purge(now)
        if spent is not None and counter.spent is None:
            counter.spent = spent
        return counter

    def _unknown(self, key: str) -> bool:
        counter = self._counters.get(key)
        return counter is None or counter.spent is None

    async def acquire(self, claims: Sequence[Claim], member: str, now: float) -> Granted | Refused | Missing:
        self._tick(now)
        missing = tuple(i for i, c in enumerate(claims) if c.spent == REHYDRATE and self._unknown(c.key))
        if missing:
            return Missing(missing)
        counters = [self._counter(c.key, now, None if c.spent == REHYDRATE else c.spent) for c in claims]
        for index, (claim, counter) in enumerate(zip(claims, counters, strict=True)):
            if not _fits(counter, claim):
                retry = None
                if claim.spent is None and claim.weight <= claim.limit:
                    retry = counter.wait_for(counter.used() + claim.weight - claim.limit, now)
                return Refused(index, counter.used(), retry)
        used: list[int] = []
        resets: list[float] = []
        for claim, counter in zip(claims, counters, strict=True):
            expiry = now + claim.lifetime
            counter.entries[member] = (claim.weight, expiry)  # members are unique per call
            heapq.heappush(counter.expiries, (expiry, member))
            counter.total += claim.weight
            keep = expiry if claim.keep is None else max(expiry, now + claim.keep)
            if keep > counter.keep_until:
                counter.keep_until = keep
            used.append(counter.used())
            resets.append(counter.oldest(now))
        return Granted(tuple(used), tuple(resets))

    async def settle(self, settlements: Sequence[Settlement], member: str, now: float) -> tuple[int, ...]:
        out = []
        for s in settlements:
            if s.action is SettleAction.SPEND and s.spent == REHYDRATE and self._unknown(s.key):
                lost = self._counters.get(s.key)
                if lost is not None:
                    lost.drop(member)
                out.append(0)  # left for the rehydration, which reads this call's cost from the database
                continue
            counter = self._counter(s.key, now, s.spent if s.action is SettleAction.SPEND else None)
            match s.action:
                case SettleAction.RELEASE:
                    counter.drop(member)
                    out.append(counter.total)
                case SettleAction.RESIZE:
                    entry = counter.entries.get(member)
                    if entry is not None:
                        counter.entries[member] = (s.weight, entry[1])
                        counter.total += s.weight - entry[0]
                    out.append(counter.total)
                case SettleAction.SPEND:
                    counter.drop(member)
                    counter.spent = (counter.spent or 0) + s.weight
                    counter.keep_until = max(counter.keep_until, now + (s.keep or 0.0))
                    out.append(counter.spent)
        return tuple(out)

    async def usage(self, claims: Sequence[Claim], now: float) -> tuple[int, ...]:
        out = []
        for claim in claims:
            counter = self._counters.get(claim.key)
            if counter is not None:
                counter.purge(now)
            used = counter.used() if counter is not None else 0
            if claim.spent is not None and claim.spent >= 0 and (counter is None or counter.spent is None):
                used += claim.spent
            out.append(used)
        return tuple(out)

    def _tick(self, now: float) -> None:
        self._ops += 1
        if self._ops % self._sweep_every:
            return
        for key, counter in list(self._counters.items()):
            counter.purge(now)
            if not counter.entries and counter.keep_until <= now:
                del self._counters[key]
