"""The spend ledger contract, on every database: rows, the totals they move, reports, resets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from switchboard.adapters.outbound.persistence.database import Database
from switchboard.application.governance.spend_writer import SpendWriter
from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.governance.entities import EndUser, Organization, Team, User, VirtualKey
from switchboard.domain.governance.filters import SpendFilter
from switchboard.domain.governance.records import AuditEntry, SpendRecord
from switchboard.domain.principal import Principal, PrincipalKind
from tests.fakes import FakeClock, FakeIds

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
KEY = "a" * 64


def audit(n: int) -> AuditEntry:
    return AuditEntry(id=f"a{n}", at=T0, actor="m", action="x.new", object_type="x", object_id=str(n))


def row(n: int, **fields: Any) -> SpendRecord:
    values: dict[str, Any] = {
        "id": f"row-{n}",
        "request_id": f"req-{n}",
        "started_at": T0 + timedelta(minutes=n),
        "key_hash": KEY,
        "user_id": "ann",
        "team_id": "t",
        "organization_id": "o",
        "model_group": "gpt-4o",
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "total_tokens": 15,
        "cost": 0.001,
        **fields,
    }
    return SpendRecord(**values)


async def owners(store: GovernanceStore) -> None:
    await store.keys.add(VirtualKey(token=KEY, key_name="sk-...aaaa", user_id="ann", team_id="t"), audit(1))
    await store.users.add(User(user_id="ann"), audit(2))
    await store.teams.add(Team(team_id="t", organization_id="o"), audit(3))
    await store.orgs.add(Organization(organization_id="o"), audit(4))


async def spends(store: GovernanceStore) -> tuple[float, float, float, float]:
    key, user, team, org = (
        await store.keys.get(KEY),
        await store.users.get("ann"),
        await store.teams.get("t"),
        await store.orgs.get("o"),
    )
    assert key and user and team and org
    return key.spend, user.spend, team.spend, org.spend


async def test_recording_rows_adds_their_cost_to_every_owner(store: GovernanceStore) -> None:
    await owners(store)
    assert await store.ledger.record([row(1, cost=0.25), row(2, cost=0.5)]) == 2
    assert await spends(store) == (0.75, 0.75, 0.75, 0.75)


async def test_a_row_recorded_twice_counts_once(store: GovernanceStore) -> None:
    await owners(store)
    await store.ledger.record([row(1, cost=0.25)])
    assert await store.ledger.record([row(1, cost=0.25), row(2, cost=0.25)]) == 1
    assert (await spends(store))[0] == 0.5
    assert (await store.ledger.logs(SpendFilter(), 1, 10)).total == 2


async def test_an_end_user_row_is_made_on_first_spend_and_then_added_to(store: GovernanceStore) -> None:
    await store.ledger.record([row(1, end_user="cust-1", cost=0.1)])
    await store.ledger.record([row(2, end_user="cust-1", cost=0.2)])
    customer = await store.end_users.get("cust-1")
    assert customer is not None
    assert abs(customer.spend - 0.3) < 1e-12


async def test_spend_totals_equal_the_sum_of_rows_exactly(store: GovernanceStore, database: Database) -> None:
    await owners(store)
    await store.ledger.record([row(n, cost=0.000_000_1 * (n + 1)) for n in range(300)])
    async with database.engine.connect() as connection:
        total = (await connection.execute(text("SELECT SUM(cost_nanos) FROM sb_spend_logs"))).scalar_one()
        stored = (await connection.execute(text("SELECT spend_nanos FROM sb_keys"))).scalar_one()
    assert total == stored == sum(100 * (n + 1) for n in range(300))


async def test_concurrent_batches_lose_no_spend(store: GovernanceStore) -> None:
    await owners(store)
    await asyncio.gather(*(store.ledger.record([row(n, cost=0.5)]) for n in range(20)))
    assert await spends(store) == (10.0, 10.0, 10.0, 10.0)


async def test_a_batch_larger_than_one_statement_is_written_whole(store: GovernanceStore) -> None:
    await owners(store)
    rows = [row(n, cost=0.001) for n in range(2_500)]
    assert await store.ledger.record(rows) == 2_500
    assert await store.ledger.record([*rows[1_200:1_300], row(2_500, cost=0.001)]) == 1
    assert (await store.ledger.logs(SpendFilter(), 1, 1)).total == 2_501
    assert abs((await spends(store))[0] - 2.501) < 1e-9


async def test_without_rows_kept_only_the_totals_move(store: GovernanceStore) -> None:
    await owners(store)
    assert await store.ledger.record([row(1, cost=0.25), row(2, cost=0.5, end_user="c")], keep_rows=False) == 2
    assert await spends(store) == (0.75, 0.75, 0.75, 0.75)
    customer = await store.end_users.get("c")
    assert customer is not None and customer.spend == 0.5
    assert (await store.ledger.logs(SpendFilter(), 1, 10)).total == 0


async def test_text_with_nul_characters_is_stored(store: GovernanceStore) -> None:
    written = await store.ledger.record([row(1, end_user="evil\x00user", tags=["a\x00b"]), row(2)])
    assert written == 2
    logs = (await store.ledger.logs(SpendFilter(request_id="req-1"), 1, 10)).items
    assert logs[0].end_user == "eviluser"
    assert logs[0].tags == ["ab"]


async def test_logs_filter_and_come_newest_first(store: GovernanceStore) -> None:
    await store.ledger.record([row(1), row(2, user_id="bob"), row(3)])
    page = await store.ledger.logs(SpendFilter(user_id="ann"), 1, 10)
    assert [r.request_id for r in page.items] == ["req-3", "req-1"]
    window = await store.ledger.logs(SpendFilter(start=T0 + timedelta(minutes=2), end=T0 + timedelta(minutes=3)), 1, 10)
    assert [r.request_id for r in window.items] == ["req-2"]


async def test_a_row_reads_back_whole(store: GovernanceStore) -> None:
    original = row(
        1,
        end_user="c",
        deployment_id="d1",
        provider="openai",
        model="gpt-4o-2024",
        latency_ms=12.5,
        ttft_ms=3.25,
        status="failure",
        error_code="timeout",
        cache_hit=True,
        tags=["x", "y"],
    )
    await store.ledger.record([original])
    assert (await store.ledger.logs(SpendFilter(), 1, 1)).items == [original]


async def test_reports_group_and_sort_by_spend(store: GovernanceStore) -> None:
    await store.ledger.record(
        [
            row(1, cost=1.0, model_group="a"),
            row(2, cost=3.0, model_group="b", team_id="t2"),
            row(3, cost=1.5, model_group="a", started_at=T0 + timedelta(days=1)),
        ]
    )
    by_model = await store.ledger.report("model", SpendFilter())
    assert [(g.group, g.spend, g.requests) for g in by_model] == [("b", 3.0, 1), ("a", 2.5, 2)]
    by_day = await store.ledger.report("day", SpendFilter())
    assert {g.group: g.spend for g in by_day} == {"2026-03-01": 4.0, "2026-03-02": 1.5}
    by_team = await store.ledger.report("team", SpendFilter(end=T0 + timedelta(hours=1), model_group="a"))
    assert [(g.group, g.spend) for g in by_team] == [("t", 1.0)]
    assert by_model[0].prompt_tokens == 10


async def test_a_monthly_budget_resets_to_the_same_day_next_month(store: GovernanceStore) -> None:
    due = datetime(2026, 2, 15, 9, tzinfo=UTC)
    await store.keys.add(VirtualKey(token=KEY, key_name="k", budget_duration="1mo", budget_reset_at=due), audit(1))
    assert await store.ledger.reset_budgets(T0) == 1  # T0 is 2026-03-01
    key = await store.keys.get(KEY)
    assert key is not None and key.budget_reset_at == datetime(2026, 3, 15, 9, tzinfo=UTC)


async def test_reset_starts_a_new_period_only_where_one_ended(store: GovernanceStore) -> None:
    due = T0 - timedelta(hours=1)
    await store.keys.add(VirtualKey(token=KEY, key_name="k", budget_duration="1d", budget_reset_at=due), audit(1))
    await store.users.add(User(user_id="ann", budget_duration="1d", budget_reset_at=T0 + timedelta(hours=5)), audit(2))
    await store.end_users.add(EndUser(user_id="c", budget_duration="1h", budget_reset_at=due), audit(3))
    await store.ledger.record([row(1, cost=2.0, end_user="c")])
    assert await store.ledger.reset_budgets(T0) == 2
    key, user, customer = (
        await store.keys.get(KEY),
        await store.users.get("ann"),
        await store.end_users.get("c"),
    )
    assert key and user and customer
    assert (key.spend, key.budget_reset_at) == (0.0, due + timedelta(days=1))
    assert (customer.spend, customer.budget_reset_at) == (0.0, T0 + timedelta(hours=1))
    assert user.spend == 2.0
    assert await store.ledger.reset_budgets(T0) == 0


# --- quarantine (issue 11, item 6) ---------------------------------------------------------------


async def test_a_quarantined_row_is_kept_whole_and_moves_its_totals_once(
    store: GovernanceStore, database: Database
) -> None:
    await owners(store)
    odd = row(1, cost=0.25, end_user="c" * 300, model_group="g\x00" * 200)
    assert await store.ledger.quarantine([odd], "too long") == 1
    assert await store.ledger.quarantine([odd], "too long") == 0  # kept once, counted once
    assert await spends(store) == (0.25, 0.25, 0.25, 0.25)
    async with database.engine.connect() as connection:
        kept = (await connection.execute(text("SELECT id, reason, row FROM sb_spend_quarantine"))).all()
    assert [(i, reason) for i, reason, _ in kept] == [("row-1", "too long")]
    assert '"cost":0.25' in kept[0][2] and "c" * 300 in kept[0][2]


async def test_a_row_the_database_refuses_never_loses_its_spend(store: GovernanceStore) -> None:
    # On PostgreSQL a 300-character group is refused (varchar(256)) and quarantined; SQLite stores
    # it. Either way the owners' spend moves, and the writer moves on.
    await owners(store)
    writer = SpendWriter(store.ledger, FakeClock(), FakeIds())
    info: CallInfo[ChatRequest] = CallInfo(
        kind="chat",
        request=ChatRequest(model="w" * 300, messages=[{"role": "user", "content": "hi"}]),
        ctx=CallContext(
            request_id="r",
            principal=Principal(PrincipalKind.KEY, key_hash=KEY, user_id="ann", team_id="t", org_id="o"),
        ),
        model_group="w" * 300,
    )
    for _ in range(3):
        writer.emit(CallOutcome(info=info, cost=0.5))
    assert await writer.flush()
    assert await spends(store) == (1.5, 1.5, 1.5, 1.5)
    assert writer.poisoned == 0 and writer.written + writer.quarantined == 3
