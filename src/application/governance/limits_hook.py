"""Rate limits and budgets as a call hook: reserve before the call, settle after it.

Before a call, every counter of every scope it is charged to (key, user, team, organization,
end user) takes the call's worst case in one atomic step: one request (rpm), its prompt plus
its ``max_tokens`` (tpm), one slot (parallel), and its worst-case cost, the prompt estimate and
the most output tokens it may produce at the group's dearest prices (budgets). If any counter
is full, nothing is taken and the call is refused (429). After the call, whatever its end, the
reservation is replaced by the actual: tokens used, cost incurred, slot released.

So spend exceeds a budget only by what calls admitted before it ran out produced beyond their
reservation (an under-estimated prompt, say); with exact reservations, never.

When the shared store (Redis) is unreachable:
- a settlement that cannot be applied waits in a bounded queue and is applied, in order, as soon
  as the store answers again (before the next acquire, and every ``settle_retry_seconds`` in the
  background), so the slots and reservations of calls that ended during a Redis pause are freed
  then, not after the lease;
- a breaker keeps calls off the dead store: after a failure it stays open for a moment, then one
  call at a time probes the store (half-open); the open time doubles while probes fail, up to
  ``probe_interval_max``. While it is open, calls are judged on this instance's own counters or
  refused, as ``budgets_fail_open`` / ``rate_limits_fail_open`` say.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from switchboard.application.governance.end_users import EndUserScopes
from switchboard.application.governance.prices import PriceBook
from switchboard.application.governance.rehydration import BudgetRehydration
from switchboard.domain.alerts import BudgetEvent, budget_alert
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import BadRequest, BudgetExceeded, RateLimited, ServiceUnavailable
from switchboard.domain.governance.claims import Demand, claims_for, settlements_for
from switchboard.domain.governance.counters import (
    Claim,
    ClaimKind,
    Granted,
    Missing,
    Refused,
    SettleAction,
    Settlement,
    to_dollars,
    to_units,
)
from switchboard.domain.governance.limits import Scope
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.counters import CounterStore, StateUnavailable
from switchboard.domain.ports.ids import IdSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LimitSettings:
    """``lease``: how long an unsettled reservation or parallel slot holds (a crashed instance's
    calls free theirs after it). ``default_output_tokens``: the output reserved when neither the
    request nor the model says how much a call may produce. ``budgets_fail_open`` /
    ``rate_limits_fail_open``: with the shared store unreachable, admit the call on this
    instance's own counters instead of refusing it (503)."""

    lease: float = 900.0
    default_output_tokens: int = 4096
    budgets_fail_open: bool = False
    rate_limits_fail_open: bool = False
    breaker_seconds: float = 5.0  # the Retry-After of a refusal while the store is away
    probe_interval_min: float = 0.25  # the breaker's first open time, doubled while probes fail...
    probe_interval_max: float = 1.0  # ...up to this
    pending_settlements: int = 10_000  # settlements kept while the store is away (oldest dropped)
    settle_retry_seconds: float = 1.0
    # a call under a budget to a model without a known price: refused (400), or allowed and counted
    unpriced_policy: Literal["refuse", "allow"] = "refuse"


@dataclass(slots=True)
class Ticket:
    claims: Sequence[Claim]
    budgets: Sequence[tuple[Claim, Scope]]  # the budget claims, in order, with their scopes
    member: str
    store: CounterStore
    reserved: int = 0  # the budget reservation so far (nano-dollars), priced on the dearest group tried
    topped: list[tuple[str, list[Claim]]] = field(default_factory=list)  # top-ups: (member, claims)


@dataclass(slots=True)
class _Deferred:
    """A settlement the store could not take, to apply when it is back."""

    settlements: Sequence[Settlement]
    ticket: Ticket
    units: int


def _budgets(claims: Sequence[Claim], scopes: Sequence[Scope]) -> list[tuple[Claim, Scope]]:
    out = []
    for claim in claims:
        if claim.kind is ClaimKind.BUDGET:
            scope = next(s for s in scopes if s.kind.value == claim.scope and s.id == claim.scope_id)
            out.append((claim, scope))
    return out


def _rough_tokens(request: object) -> int:
    """A generous token count for requests the caller did not estimate (embeddings)."""
    inputs = getattr(request, "inputs", None) or getattr(request, "input", None)
    if isinstance(inputs, str):
        return len(inputs) // 2 + 1
    if isinstance(inputs, list):
        return sum(len(x) // 2 + 1 if isinstance(x, str) else len(x) if isinstance(x, list) else 1 for x in inputs)
    return 0


class LimitsHook:
    def __init__(
        self,
        counters: CounterStore,
        prices: PriceBook,
        clock: Clock,
        ids: IdSource,
        alerts: Alerts,
        *,
        end_users: EndUserScopes | None = None,
        fallback: CounterStore | None = None,
        settings: LimitSettings = LimitSettings(),
        rehydration: BudgetRehydration | None = None,
    ) -> None:
        self._counters = counters
        self._fallback = fallback
        self._prices = prices
        self._clock = clock
        self._ids = ids
        self._alerts = alerts
        self._end_users = end_users
        self._settings = settings
        self._rehydration = rehydration
        self._down_until = 0.0  # monotonic; 0: the breaker is closed
        self._open_for = 0.0
        self._probing = False
        self._deferred: deque[_Deferred] = deque()
        self.dropped_settlements = 0
        self.unpriced_calls: dict[str, int] = {}  # calls under a budget to unpriced models, allowed
        self._retrying: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Retry deferred settlements in the background."""
        self._retrying = asyncio.create_task(self._retry_forever(), name="switchboard-settle-retry")

    async def stop(self) -> None:
        if self._retrying is not None:
            self._retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retrying
            self._retrying = None
        await self.retry_pending()  # a last try: what is left expires with its lease

    @property
    def pending_settlements(self) -> int:
        return len(self._deferred)

    async def _retry_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.settle_retry_seconds)
            if self._deferred and self._may_try_store():
                await self.retry_pending()

    async def retry_pending(self) -> bool:
        """Apply the deferred settlements in order; ``False`` if the store failed again (the rest
        wait)."""
        while self._deferred:
            deferred = self._deferred[0]
            try:
                totals = await deferred.ticket.store.settle(
                    deferred.settlements, deferred.ticket.member, self._clock.now()
                )
            except StateUnavailable as exc:
                self._opened(exc)
                return False
            self._deferred.popleft()
            self._alert(deferred.ticket, deferred.settlements, totals, deferred.units)
        return True

    async def _scopes(self, info: CallInfo[Any]) -> Sequence[Scope]:
        scopes = info.ctx.principal.scopes
        end_user = getattr(info.request, "user", None)
        if self._end_users is not None and isinstance(end_user, str) and end_user:
            scope = await self._end_users.scope_for(end_user)
            if scope is not None:
                return (*scopes, scope)
        return scopes

    def _demand(self, info: CallInfo[Any], group: str | None = None) -> Demand:
        group = info.model_group if group is None else group
        prices = self._prices.worst(group)
        prompt = info.prompt_size() or _rough_tokens(info.request)
        output = info.max_output_tokens or prices.max_output_tokens or self._settings.default_output_tokens
        if info.kind == "embeddings":
            output = 0
        tokens = prompt + (info.max_output_tokens or 0)
        return Demand(group, tokens, to_units(prices.cost(prompt, output)))

    async def pre_call(self, info: CallInfo[Any]) -> Ticket | None:
        scopes = await self._scopes(info)
        if not scopes:
            return None
        now = self._clock.now()
        demand = self._demand(info)
        claims = claims_for(scopes, demand, now, self._settings.lease, rehydrate=self._rehydration is not None)
        if not claims:
            return None
        if any(c.kind is ClaimKind.BUDGET for c in claims) and self._prices.unpriced(info.model_group):
            self._unpriced(info.model_group)
        member = self._ids.new()
        result, store = await self._acquire(claims, member, now, scopes)
        if isinstance(result, Refused):
            raise self._refusal(claims, result, scopes, now, info)
        self._headers(claims, result, info)
        return Ticket(claims, _budgets(claims, scopes), member, store, demand.cost_units)

    async def pre_fallback(self, info: CallInfo[Any], group: str, ticket: Ticket | None) -> None:
        """Before the call falls back to ``group``: when ``group`` may cost more than what is
        reserved, reserve the difference on every budget (under a member of its own, released
        when the call settles), or refuse the fallback (``BudgetExceeded``) when a budget cannot
        cover it."""
        if ticket is None or not ticket.budgets:
            return
        cost = self._demand(info, group).cost_units
        more = cost - ticket.reserved
        if more <= 0:
            return
        claims = [claim._replace(weight=more, spent=None) for claim, _ in ticket.budgets]
        member = f"{ticket.member}+{len(ticket.topped) + 1}"
        now = self._clock.now()
        try:
            result = await ticket.store.acquire(claims, member, now)
        except StateUnavailable as exc:
            if ticket.store is self._counters:
                self._opened(exc)
            raise ServiceUnavailable(
                "Budgets cannot be checked right now (the shared store is unreachable).",
                code="budget_store_unavailable",
            ) from exc
        if not isinstance(result, Granted):
            claim = claims[result.at] if isinstance(result, Refused) else claims[0]
            raise BudgetExceeded(
                f"The fallback `{group}` could cost more than what is left of the {claim.scope} budget.",
                code="budget_exceeded",
            )
        ticket.topped.append((member, claims))
        ticket.reserved = cost

    def _unpriced(self, model_group: str) -> None:
        """``general_settings.unpriced_model_policy``: a budget cannot count what nobody priced."""
        if self._settings.unpriced_policy == "refuse":
            raise BadRequest(
                f"The model `{model_group}` has no known price and this caller has a budget, so its spend "
                "cannot be counted. Set input_cost_per_token and output_cost_per_token for it (0 if it is "
                "free), or general_settings.unpriced_model_policy: allow.",
                param="model",
                code="unpriced_model",
            )
        self.unpriced_calls[model_group] = self.unpriced_calls.get(model_group, 0) + 1
        log.warning("call under a budget to an unpriced model allowed", extra={"model_group": model_group})

    async def _take(
        self, store: CounterStore, claims: Sequence[Claim], member: str, now: float, scopes: Sequence[Scope]
    ) -> Granted | Refused:
        """Acquire on ``store``; a budget counter it no longer has (expired, or lost with Redis)
        is rehydrated from the database and this instance's unwritten rows, then asked again."""
        asked = list(claims)
        for _ in range(3):  # another instance may make the counter meanwhile: then it simply exists
            result = await store.acquire(asked, member, now)
            if not isinstance(result, Missing):
                return result
            assert self._rehydration is not None  # only rehydrating claims can be missing
            for index in result.at:
                claim = asked[index]
                scope = next(s for s in scopes if s.kind.value == claim.scope and s.id == claim.scope_id)
                asked[index] = claim._replace(spent=await self._rehydration.spent_units(scope, now))
                log.warning("budget counter %s rehydrated from the database", claim.key)
        raise ServiceUnavailable("Budgets cannot be checked right now.", code="budget_store_unavailable")

    async def _acquire(
        self, claims: Sequence[Claim], member: str, now: float, scopes: Sequence[Scope]
    ) -> tuple[Granted | Refused, CounterStore]:
        if self._fallback is None:  # one instance, in memory: the store cannot be away
            try:
                return await self._take(self._counters, claims, member, now, scopes), self._counters
            except StateUnavailable as exc:
                raise ServiceUnavailable("The limits store is unavailable.", code="state_unavailable") from exc
        if self._may_try_store():
            probing = self._down_until > 0
            self._probing = probing
            try:
                if self._deferred and not await self.retry_pending():
                    raise StateUnavailable("settlements still pending")
                result = await self._take(self._counters, claims, member, now, scopes)
            except StateUnavailable as exc:
                self._opened(exc)
            else:
                self._closed()
                return result, self._counters
            finally:
                if probing:
                    self._probing = False
        return await self._judged_locally(claims, member, now, scopes), self._fallback

    def _may_try_store(self) -> bool:
        """Closed, or half-open with no other call probing."""
        if self._down_until == 0.0:
            return True
        return not self._probing and self._clock.monotonic() >= self._down_until

    def _opened(self, exc: StateUnavailable) -> None:
        settings = self._settings
        if self._down_until == 0.0:
            log.error(
                "counter store unreachable (%s); budgets fail %s, rate limits fail %s",
                exc,
                "open" if settings.budgets_fail_open else "closed",
                "open" if settings.rate_limits_fail_open else "closed",
            )
        self._open_for = min(max(self._open_for * 2, settings.probe_interval_min), settings.probe_interval_max)
        self._down_until = self._clock.monotonic() + self._open_for

    def _closed(self) -> None:
        if self._down_until:
            log.warning("counter store reachable again; limits are shared again")
        self._down_until, self._open_for = 0.0, 0.0

    async def _judged_locally(
        self, claims: Sequence[Claim], member: str, now: float, scopes: Sequence[Scope]
    ) -> Granted | Refused:
        assert self._fallback is not None
        budgets = any(c.kind is ClaimKind.BUDGET for c in claims)
        rates = any(c.kind is not ClaimKind.BUDGET for c in claims)
        if budgets and not self._settings.budgets_fail_open:
            raise ServiceUnavailable(
                "Budgets cannot be checked right now (the shared store is unreachable).",
                code="budget_store_unavailable",
                retry_after=self._settings.breaker_seconds,
            )
        if rates and not self._settings.rate_limits_fail_open:
            raise ServiceUnavailable(
                "Rate limits cannot be checked right now (the shared store is unreachable).",
                code="rate_limit_store_unavailable",
                retry_after=self._settings.breaker_seconds,
            )
        return await self._take(self._fallback, claims, member, now, scopes)

    def _headers(self, claims: Sequence[Claim], granted: Granted, info: CallInfo[Any]) -> None:
        headers = info.ctx.response_headers
        for kind, noun in ((ClaimKind.REQUESTS, "requests"), (ClaimKind.TOKENS, "tokens")):
            for index, claim in enumerate(claims):
                if claim.kind is kind:
                    headers[f"x-ratelimit-limit-{noun}"] = str(claim.limit)
                    headers[f"x-ratelimit-remaining-{noun}"] = str(max(0, claim.limit - granted.used[index]))
                    headers[f"x-ratelimit-reset-{noun}"] = f"{math.ceil(granted.resets_in[index])}s"
                    break

    def _refusal(
        self, claims: Sequence[Claim], refused: Refused, scopes: Sequence[Scope], now: float, info: CallInfo[Any]
    ) -> RateLimited | BudgetExceeded:
        claim = claims[refused.at]
        who = f"{claim.scope} {claim.scope_id[:12]}" if claim.scope != "key" else "this key"
        headers = info.ctx.response_headers
        if claim.kind is ClaimKind.BUDGET:
            scope = next((s for s in scopes if s.kind.value == claim.scope and s.id == claim.scope_id), None)
            period = scope.period(now) if scope is not None else None
            headers["x-should-retry"] = "false"
            return BudgetExceeded(
                f"Budget exceeded for {who}: spent ${to_dollars(refused.used):.6f} of "
                f"${to_dollars(claim.limit):.6f}"
                + (" (this call could cost more than what is left)." if refused.used < claim.limit else "."),
                resets_at=period,
                retry_after=(period - now) if period is not None else None,
                code="budget_exceeded",
            )
        noun = {ClaimKind.REQUESTS: "requests", ClaimKind.TOKENS: "tokens"}.get(claim.kind)
        if noun is not None:
            headers[f"x-ratelimit-limit-{noun}"] = str(claim.limit)
            headers[f"x-ratelimit-remaining-{noun}"] = str(max(0, claim.limit - refused.used))
            if refused.retry_after is not None:
                headers[f"x-ratelimit-reset-{noun}"] = f"{math.ceil(refused.retry_after)}s"
        what = {
            ClaimKind.REQUESTS: f"{claim.limit} requests per minute",
            ClaimKind.TOKENS: f"{claim.limit} tokens per minute",
            ClaimKind.PARALLEL: f"{claim.limit} parallel requests",
        }[claim.kind]
        code = "max_parallel_requests" if claim.kind is ClaimKind.PARALLEL else "rate_limit_exceeded"
        retry = (
            refused.retry_after
            if refused.retry_after is not None
            else (1.0 if claim.kind is ClaimKind.PARALLEL else None)
        )
        return RateLimited(f"Rate limit reached for {who}: {what}.", retry_after=retry, code=code)

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: Ticket | None) -> None:
        if ticket is None:
            return
        if ticket.topped:
            await self._release_top_ups(ticket)
        usage = outcome.usage
        tokens = usage.total_tokens if usage is not None else 0
        units = to_units(self._prices.cost(outcome))
        settlements = settlements_for(ticket.claims, tokens, units)
        if not settlements:
            return
        shared = ticket.store is self._counters
        if shared and (self._deferred or not self._may_try_store()):
            self._defer(_Deferred(settlements, ticket, units))  # in order, and not into a dead store
            return
        try:
            totals = await ticket.store.settle(settlements, ticket.member, self._clock.now())
        except StateUnavailable as exc:
            self._opened(exc)
            self._defer(_Deferred(settlements, ticket, units))
            return
        self._alert(ticket, settlements, totals, units)

    async def _release_top_ups(self, ticket: Ticket) -> None:
        """Give back what fallbacks reserved on top (the call's cost is spent by its own
        settlement); one that cannot be released now expires with its lease."""
        now = self._clock.now()
        for member, claims in ticket.topped:
            releases = [Settlement(SettleAction.RELEASE, claim.key) for claim in claims]
            try:
                await ticket.store.settle(releases, member, now)
            except StateUnavailable:
                log.warning("a fallback's budget top-up could not be released; it expires with its lease")

    def _defer(self, deferred: _Deferred) -> None:
        """Keep a settlement for when the store is back (after those already waiting: in order)."""
        if len(self._deferred) >= self._settings.pending_settlements:
            self._deferred.popleft()  # its reservations expire after the lease
            self.dropped_settlements += 1
            if self.dropped_settlements == 1 or self.dropped_settlements % 1000 == 0:
                log.error(
                    "settlement queue full: %d settlements dropped (their reservations expire after %ss)",
                    self.dropped_settlements,
                    self._settings.lease,
                )
        self._deferred.append(deferred)

    def _alert(self, ticket: Ticket, settlements: Sequence[Settlement], totals: Sequence[int], units: int) -> None:
        if not ticket.budgets:
            return
        spends = (t for s, t in zip(settlements, totals, strict=True) if s.action is SettleAction.SPEND)
        for (claim, scope), spent in zip(ticket.budgets, spends, strict=True):
            before = spent - units
            soft, hard = scope.limits.soft_budget, scope.limits.max_budget
            kind: BudgetEvent | None = None
            if hard is not None and before < to_units(hard) <= spent:
                kind = "budget_exceeded"
            elif soft is not None and before < to_units(soft) <= spent:
                kind = "soft_budget_crossed"
            if kind is not None:
                self._alerts.notify(budget_alert(kind, claim.scope, claim.scope_id, to_dollars(spent), soft, hard))
