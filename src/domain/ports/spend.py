"""The spend ledger: one row per request, and the spend totals it moves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, Protocol

from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.limits import ScopeKind
from switchboard.domain.governance.records import SpendGroup, SpendRecord

GroupBy = Literal["key", "user", "team", "org", "end_user", "model", "day"]


class SpendLedger(Protocol):
    async def record(self, rows: Sequence[SpendRecord], *, keep_rows: bool = True) -> int:
        """Write ``rows`` and add their cost to the spend of their key, user, team, organization
        and end user, all in one transaction. A row whose ``id`` is already stored is skipped
        (and not counted twice). Returns how many rows were new.

        With ``keep_rows`` off (``general_settings.disable_spend_logs``) only the totals move:
        no row is stored, every row counts, and all of them are returned as new."""
        ...

    async def quarantine(self, rows: Sequence[SpendRecord], reason: str) -> int:
        """Keep ``rows``, which the ledger refused to store as rows, whole in a quarantine (with
        ``reason``) and add their cost to the same totals ``record`` would have, in one
        transaction, so a row that cannot be stored never loses its spend. A row already
        quarantined is skipped. Returns how many were new."""
        ...

    async def spend_of(self, kind: ScopeKind, owner: str) -> tuple[float, float | None]:
        """What the database holds as ``owner``'s spend (a key's hash, a user, team, organization
        or end user id), and when the period it counts ends (epoch seconds; ``None``: no
        period). An owner it does not know has spent ``(0.0, None)``."""
        ...

    async def logs(self, filters: SpendFilter, page: int, size: int) -> Page[SpendRecord]:
        """Rows, newest first, matching every field ``filters`` sets."""
        ...

    async def report(self, group_by: GroupBy, filters: SpendFilter) -> list[SpendGroup]:
        """Totals per group, dearest first, over the rows ``filters`` matches."""
        ...

    async def reset_budgets(self, now: datetime) -> int:
        """Start a new budget period for every entity whose period has ended: ``spend`` goes to
        0 and ``budget_reset_at`` to the end of the period ``now`` falls in. Safe to run from
        many instances at once. Returns how many entities were reset."""
        ...


class SpendJournal(Protocol):
    """A local write-ahead journal of spend rows not yet in the ledger, so that a process killed
    (``kill -9``, a crash, the machine's OOM killer) loses none of the rows of the calls it
    answered: the next process replays them. A row is a tuple of plain values (str, int, float,
    bool, None, lists of str), in the order of the ``fields`` the journal was opened with."""

    def append(self, row: tuple[object, ...]) -> None:
        """Journal one row. Once this returns, the row survives the process being killed. Called
        on the request path: it must cost microseconds, and never raise."""
        ...

    def committed(self, count: int) -> None:
        """The ``count`` oldest rows appended and not yet committed are in the ledger, or were given
        up for good: the journal may forget them."""
        ...

    def recovered(self) -> list[tuple[object, ...]]:
        """The rows journaled by processes that are gone and never committed, oldest first, in this
        journal's ``fields`` order. They stay in the journal until ``forget_recovered``."""
        ...

    def forget_recovered(self) -> None:
        """The recovered rows are in the ledger now."""
        ...

    def close(self) -> None:
        """Stop journaling; what is not committed stays for the next process to recover."""
        ...
