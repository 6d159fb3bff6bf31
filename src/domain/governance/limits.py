"""Limits as enforced: one ``Scope`` per entity a call is charged to (key, user, team,
organization, end user), each with the limits that apply to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from switchboard.domain.governance.durations import Period, parse_period, period_end

if TYPE_CHECKING:  # the entity models load with persistence, not with every call's principal
    from switchboard.domain.governance.entities import Budgeted, BudgetRecord

_EMPTY: Mapping[str, int] = MappingProxyType({})


class ScopeKind(StrEnum):
    KEY = "key"
    USER = "user"
    TEAM = "team"
    ORG = "org"
    END_USER = "end_user"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one entity may use. ``None`` means no limit of that kind."""

    max_budget: float | None = None
    soft_budget: float | None = None
    budget_period: Period | None = None  # seconds, or calendar months
    rpm: int | None = None
    tpm: int | None = None
    parallel: int | None = None
    model_rpm: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    model_tpm: Mapping[str, int] = field(default_factory=lambda: _EMPTY)

    @property
    def empty(self) -> bool:
        return (
            self.max_budget is None
            and self.soft_budget is None
            and self.rpm is None
            and self.tpm is None
            and self.parallel is None
            and not self.model_rpm
            and not self.model_tpm
        )


NO_LIMITS = Limits()

T = TypeVar("T")


def _own_or(own: T | None, inherited: T | None) -> T | None:
    return own if own is not None else inherited


def limits_of(
    entity: Budgeted,
    template: BudgetRecord | None = None,
    *,
    model_rpm: Mapping[str, int] | None = None,
    model_tpm: Mapping[str, int] | None = None,
) -> Limits:
    """The entity's own limits; those it leaves unset come from its budget template, if any."""
    t = template
    duration = _own_or(entity.budget_duration, None if t is None else t.budget_duration)
    return Limits(
        max_budget=_own_or(entity.max_budget, None if t is None else t.max_budget),
        soft_budget=_own_or(entity.soft_budget, None if t is None else t.soft_budget),
        budget_period=parse_period(duration) if isinstance(duration, str) else None,
        rpm=_own_or(entity.rpm_limit, None if t is None else t.rpm_limit),
        tpm=_own_or(entity.tpm_limit, None if t is None else t.tpm_limit),
        parallel=_own_or(entity.max_parallel_requests, None if t is None else t.max_parallel_requests),
        model_rpm=MappingProxyType(dict(model_rpm)) if model_rpm else _EMPTY,
        model_tpm=MappingProxyType(dict(model_tpm)) if model_tpm else _EMPTY,
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """One entity a call is charged to, with its limits and its spend as last read."""

    kind: ScopeKind
    id: str
    limits: Limits
    spend: float = 0.0  # spend in the period ending at ``reset_at``, as the database had it
    reset_at: float | None = None  # epoch seconds

    def period(self, now: float) -> float | None:
        """The end of the budget period ``now`` falls in; ``None`` if the budget never resets."""
        period = self.limits.budget_period
        if period is None:
            return None
        return period_end(self.reset_at if self.reset_at is not None else 0.0, period, now)

    def spent_in(self, period: float | None) -> float:
        """What the database says was spent in ``period``: its figure is for the period ending at
        ``reset_at``, so any other period starts from zero."""
        if period is None or self.reset_at is None or abs(period - self.reset_at) < 1e-3:
            return self.spend
        return 0.0
