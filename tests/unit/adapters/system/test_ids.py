"""The id source: time-ordered UUIDs with an optional prefix."""

from __future__ import annotations

import time
import uuid

from switchboard.adapters.outbound.system import UuidIdSource


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


def test_a_forked_worker_makes_other_ids_than_its_parent() -> None:
    import os

    ids = UuidIdSource()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, ids.new().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = os.read(read, 64).decode()
    os.close(read)
    ours = ids.new()
    assert theirs[12:] != ours[12:]  # the same millisecond is possible; the random bits must differ
