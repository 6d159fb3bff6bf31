"""ExportQueue: bounded, batched, retried, counted; never waits on the offering side."""

from __future__ import annotations

import asyncio
import logging

import pytest

from switchboard.adapters.outbound.observability import ExportQueue, QueueSettings, ThrottledCount
from tests.fakes.observability import FakeExporter

FAST = QueueSettings(capacity=100, batch_size=10, backoff=0.001, max_backoff=0.001, max_retries=2)


async def test_offered_items_are_exported_in_batches_of_the_batch_size() -> None:
    exporter: FakeExporter[int] = FakeExporter()
    queue = ExportQueue("test", exporter, FAST)
    for i in range(25):
        queue.offer(i)
    await queue.flush()
    assert exporter.items == list(range(25))
    assert max(len(b) for b in exporter.batches) <= 10


async def test_a_failed_export_is_retried_until_it_succeeds() -> None:
    exporter: FakeExporter[int] = FakeExporter(fail=2)
    queue = ExportQueue("test", exporter, FAST)
    queue.offer(1)
    await queue.flush()
    assert (exporter.items, exporter.attempts) == ([1], 3)
    assert queue.stats().exported == 1


async def test_a_batch_is_given_up_and_counted_after_the_last_retry() -> None:
    exporter: FakeExporter[int] = FakeExporter(fail=10)
    queue = ExportQueue("test", exporter, FAST)
    queue.offer(1)
    queue.offer(2)
    await queue.flush()
    assert exporter.attempts == 3
    assert (queue.stats().failed, queue.stats().exported) == (2, 0)


async def test_a_rejected_batch_is_not_retried() -> None:
    exporter: FakeExporter[int] = FakeExporter(reject=True)
    queue = ExportQueue("test", exporter, FAST)
    queue.offer(1)
    await queue.flush()
    assert (exporter.attempts, queue.stats().failed) == (1, 1)


async def test_a_full_queue_drops_and_counts_without_waiting() -> None:
    gate = asyncio.Event()
    exporter: FakeExporter[int] = FakeExporter(gate=gate)
    queue = ExportQueue("test", exporter, QueueSettings(capacity=3, batch_size=1))
    for i in range(10):
        queue.offer(i)  # returns at once although the exporter is stuck
    await asyncio.sleep(0)
    stats = queue.stats()
    assert stats.dropped >= 6
    assert stats.depth + stats.dropped == 10
    gate.set()
    await queue.flush()
    assert len(exporter.items) == 10 - stats.dropped


async def test_the_filter_keeps_out_items_it_does_not_accept() -> None:
    exporter: FakeExporter[int] = FakeExporter()
    queue = ExportQueue("evens", exporter, FAST, accepts=lambda n: n % 2 == 0)
    for i in range(6):
        queue.offer(i)
    await queue.flush()
    assert exporter.items == [0, 2, 4]


async def test_lingering_batches_are_flushed_at_once_on_request() -> None:
    exporter: FakeExporter[int] = FakeExporter()
    queue = ExportQueue("test", exporter, QueueSettings(batch_size=100, linger=3600))
    queue.offer(1)
    await asyncio.wait_for(queue.flush(), timeout=10)
    assert exporter.items == [1]


async def test_closing_delivers_what_waits_and_closes_the_exporter() -> None:
    exporter: FakeExporter[int] = FakeExporter()
    queue = ExportQueue("test", exporter, QueueSettings(linger=3600))
    for i in range(3):
        queue.offer(i)
    await queue.aclose(timeout=5)
    assert exporter.items == [0, 1, 2]
    assert exporter.closed


async def test_closing_gives_up_on_a_stuck_exporter_after_the_timeout_and_counts_the_loss() -> None:
    exporter: FakeExporter[int] = FakeExporter(gate=asyncio.Event())
    queue = ExportQueue("test", exporter, QueueSettings(batch_size=1))
    for i in range(3):
        queue.offer(i)
    await queue.aclose(timeout=0.05)
    assert queue.stats().dropped == 3
    assert exporter.closed


async def test_items_offered_after_closing_are_dropped() -> None:
    exporter: FakeExporter[int] = FakeExporter()
    queue = ExportQueue("test", exporter)
    await queue.aclose(timeout=1)
    queue.offer(1)
    assert (exporter.items, queue.stats().dropped) == ([], 1)


def test_a_growing_count_warns_at_most_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    count = ThrottledCount("sink x: dropped", interval=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, "switchboard.observability"):
        for t in (0.0, 1.0, 30.0, 59.0, 60.0, 61.0):
            now[0] = t
            count.add()
    assert count.total == 6
    assert [r.getMessage() for r in caplog.records] == [
        "sink x: dropped: 1 since the last warning, 1 in all",
        "sink x: dropped: 4 since the last warning, 5 in all",
    ]
