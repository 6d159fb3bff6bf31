from __future__ import annotations

import asyncio
from typing import Any

from switchboard.application.governance.spend_writer import SpendWriter
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.chat import ChatRequest, ChatResponse
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BudgetExceeded, ClientAborted, ProviderUnavailable, Timeout
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock, FakeIds
from tests.fakes.governance import FakeLedger, GatedLedger, MemoryJournal

DEPLOYMENT = Deployment(
    id="d1", model_name="m", provider="mock", model="mock-1", model_info={"input_cost_per_token": 0.5}
)
PRINCIPAL = Principal(PrincipalKind.KEY, key_hash="h" * 64, user_id="ann", team_id="t", org_id="o")


def outcome(**fields: Any) -> CallOutcome[ChatRequest, ChatResponse]:
    info = CallInfo(
        kind="chat",
        request=ChatRequest(model="m", messages=[{"role": "user", "content": "hi"}], user="cust"),
        ctx=CallContext(request_id="req-1", principal=PRINCIPAL, tags=("a",)),
        model_group="m",
    )
    return CallOutcome(info=info, **fields)


def writer(ledger: FakeLedger, **options: Any) -> SpendWriter:
    return SpendWriter(ledger, FakeClock(), FakeIds(), **options)


async def test_a_success_becomes_one_row_with_everything_known() -> None:
    ledger = FakeLedger()
    spend = writer(ledger)
    spend.emit(outcome(deployment=DEPLOYMENT, usage=Usage.of(4, 2), cost=2.0, latency=0.25, time_to_first_token=0.1))
    await spend.flush()
    (row,) = ledger.rows.values()
    assert (row.key_hash, row.user_id, row.team_id, row.organization_id, row.end_user) == (
        "h" * 64,
        "ann",
        "t",
        "o",
        "cust",
    )
    assert (row.deployment_id, row.provider, row.model, row.total_tokens, row.cost) == (
        "d1",
        "mock",
        "mock-1",
        6,
        2.0,
    )
    assert (row.status, row.latency_ms, row.ttft_ms, row.tags) == ("success", 250.0, 100.0, ["a"])


async def test_refusals_and_failures_are_written_too() -> None:
    ledger = FakeLedger()
    spend = writer(ledger)
    spend.emit(outcome(error=BudgetExceeded("no", code="budget_exceeded"), completed=False))
    spend.emit(outcome(deployment=DEPLOYMENT, error=ProviderUnavailable("boom"), completed=False))
    await spend.flush()
    assert [(r.status, r.error_code) for r in ledger.rows.values()] == [
        ("rejected", "budget_exceeded"),
        ("failure", "provider_unavailable"),
    ]


async def test_a_timeout_is_recorded_with_the_code_timeout_not_a_class_name() -> None:
    # issue 11, item 16
    ledger = FakeLedger()
    spend = writer(ledger)
    spend.emit(outcome(deployment=DEPLOYMENT, error=Timeout("too slow"), completed=False))
    await spend.flush()
    assert [r.error_code for r in ledger.rows.values()] == ["timeout"]


async def test_a_call_whose_client_disconnected_is_written_as_client_aborted_with_what_it_used() -> None:
    ledger = FakeLedger()
    spend = writer(ledger)
    used = Usage.of(10, 3)
    spend.emit(outcome(deployment=DEPLOYMENT, error=ClientAborted(), completed=False, usage=used, cost=0.5))
    await spend.flush()
    [row] = ledger.rows.values()
    assert (row.status, row.error_code, row.total_tokens, row.cost) == ("client_aborted", "client_aborted", 13, 0.5)


async def test_rows_go_in_batches() -> None:
    ledger = FakeLedger()
    spend = writer(ledger, batch_size=4)
    for _ in range(10):
        spend.emit(outcome())
    while spend.pending:
        await spend.flush()
    assert ledger.batches == [4, 4, 2]


async def test_a_full_queue_drops_and_counts() -> None:
    spend = writer(FakeLedger(), max_queue=100)
    for _ in range(150):
        spend.emit(outcome())
    assert (spend.pending, spend.dropped) == (100, 50)


async def test_rows_wait_while_the_database_is_down() -> None:
    ledger = FakeLedger(down=True)
    spend = writer(ledger)
    spend.emit(outcome())
    assert not await spend.flush()
    assert spend.pending == 1
    ledger.down = False
    assert await spend.flush()
    assert len(ledger.rows) == 1


async def test_a_poisoned_row_does_not_sink_its_batch() -> None:
    ledger = FakeLedger()
    spend = writer(ledger)
    for _ in range(5):
        spend.emit(outcome())
    ledger.poison = {"3"}
    await spend.flush()
    assert sorted(ledger.rows) == ["1", "2", "4", "5"]
    assert spend.quarantined == 1


async def test_a_row_the_database_refuses_is_quarantined_with_its_totals_not_dropped() -> None:
    # issue 11, item 6: the quarantine keeps the row and moves its totals (SpendLedger.quarantine)
    ledger = FakeLedger(poison={"1"})
    spend = writer(ledger)
    spend.emit(outcome(deployment=DEPLOYMENT, cost=2.0))
    assert await spend.flush()
    assert list(ledger.quarantined) == ["1"]
    (row, reason) = ledger.quarantined["1"]
    assert row.cost == 2.0 and "refused" in reason
    assert spend.poisoned == 0


async def test_a_refused_row_waits_in_the_queue_while_the_quarantine_is_unreachable() -> None:
    ledger = FakeLedger(poison={"1"})
    spend = writer(ledger)
    spend.emit(outcome(deployment=DEPLOYMENT, cost=2.0))
    ledger.down_for_quarantine = True
    assert not await spend.flush()
    assert spend.pending == 1
    ledger.down_for_quarantine = False
    assert await spend.flush()
    assert list(ledger.quarantined) == ["1"]


async def test_stopping_writes_everything_queued() -> None:
    ledger = FakeLedger()
    spend = writer(ledger, batch_size=3, interval=60)
    await spend.start()
    for _ in range(10):
        spend.emit(outcome())
    await spend.stop()
    assert len(ledger.rows) == 10


async def test_the_background_task_writes_on_its_own() -> None:
    ledger = FakeLedger()
    spend = writer(ledger, interval=0.01)
    await spend.start()
    spend.emit(outcome())
    for _ in range(100):
        if ledger.rows:
            break
        await asyncio.sleep(0.01)
    await spend.stop()
    assert len(ledger.rows) == 1


async def test_with_spend_logs_disabled_rows_only_move_totals() -> None:
    ledger = FakeLedger()
    spend = writer(ledger, keep_rows=False)
    for _ in range(3):
        spend.emit(outcome())
    await spend.flush()
    assert (ledger.totals_only, len(ledger.rows), spend.written) == (3, 0, 3)


# --- the journal: rows survive a killed process ------------------------------------------------


async def test_every_queued_row_is_journaled_before_it_is_written() -> None:
    journal = MemoryJournal()
    spend = writer(FakeLedger(), journal=journal)

    spend.emit(outcome())
    spend.emit(outcome())

    assert [row[0] for row in journal.rows] == ["1", "2"]


async def test_written_rows_are_committed_in_the_journal() -> None:
    journal = MemoryJournal()
    spend = writer(FakeLedger(), journal=journal)
    for _ in range(3):
        spend.emit(outcome())

    await spend.flush()

    assert journal.rows == []


async def test_rows_the_database_did_not_take_stay_in_the_journal() -> None:
    journal = MemoryJournal()
    spend = writer(FakeLedger(down=True), journal=journal)
    spend.emit(outcome())

    assert not await spend.flush()

    assert len(journal.rows) == 1


async def test_a_poisoned_row_is_committed_with_its_batch() -> None:
    journal, ledger = MemoryJournal(), FakeLedger(poison={"2"})
    spend = writer(ledger, journal=journal)
    for _ in range(3):
        spend.emit(outcome())

    await spend.flush()

    assert (sorted(ledger.rows), journal.rows) == (["1", "3"], [])


async def test_rows_an_earlier_process_left_are_written_first_at_start() -> None:
    earlier = writer(FakeLedger(), journal=(left := MemoryJournal()))
    earlier.emit(outcome())  # journaled, then the process is killed before it writes
    journal, ledger = MemoryJournal(left=[("from-before", *left.rows[0][1:])]), FakeLedger()
    spend = writer(ledger, journal=journal)

    await spend.start()
    spend.emit(outcome())
    await spend.stop()

    assert next(iter(ledger.rows)) == "from-before"
    assert len(ledger.rows) == 2
    assert (journal.left, journal.rows, journal.closed) == ([], [], True)


async def test_recovered_rows_stay_recoverable_while_the_database_is_down() -> None:
    earlier = writer(FakeLedger(), journal=(left := MemoryJournal()))
    earlier.emit(outcome())
    journal = MemoryJournal(left=list(left.rows))
    spend = writer(FakeLedger(down=True), journal=journal)

    await spend.start()
    await spend.stop(timeout=0.05)

    assert len(journal.left) == 1


async def test_stopping_while_a_batch_is_written_lets_it_finish() -> None:
    ledger = GatedLedger()
    spend = writer(ledger, batch_size=2, interval=60)
    await spend.start()
    for _ in range(5):
        spend.emit(outcome())  # a full batch wakes the background task
    await ledger.writing.wait()

    stopping = asyncio.create_task(spend.stop())
    ledger.gate.set()
    await stopping

    assert len(ledger.rows) == 5


async def test_a_batch_cut_short_by_the_stop_timeout_is_kept_for_the_next_process() -> None:
    journal, ledger = MemoryJournal(), GatedLedger()
    spend = writer(ledger, batch_size=2, interval=60, journal=journal)
    await spend.start()
    for _ in range(3):
        spend.emit(outcome())
    await ledger.writing.wait()

    await spend.stop(timeout=0.05)  # the database never answers

    assert (len(ledger.rows), len(journal.rows), spend.pending) == (0, 3, 3)
