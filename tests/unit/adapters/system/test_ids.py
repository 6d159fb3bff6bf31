"""The id source: time-ordered UUIDs with an optional prefix."""

from __future__ import annotations

import time
import uuid

from adapters.outbound.system import UuidIdSource


def test_an_id_is_a_version_7_uuid_after_its_prefix() -> None:
    made = UuidIdSource().new("audit-")
    assert made.startswith("audit-")
    assert uuid.UUID(hex=made.removeprefix("audit-")).version == 7


def test_ids_made_in_later_milliseconds_sort_later() -> None:
    ids = UuidIdSource()
    first = ids.new()
    time.sleep(0.002)
    assert ids.new() > first


def test_ids_made_in_one_millisecond_differ() -> None:
    ids = UuidIdSource()
    assert len({ids.new() for _ in range(1000)}) == 1000
