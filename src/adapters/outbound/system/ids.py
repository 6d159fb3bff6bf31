"""Identifiers: time-ordered UUIDs (version 7) as 32 hex digits."""

from __future__ import annotations

import random
import time

from switchboard.domain.ids import uuid7_hex


class UuidIdSource:
    """``prefix`` + a UUIDv7 in hex: 48 bits of time, 74 random bits. Ids made later sort later
    (from one millisecond to the next), so the rows they key are appended to indexes.

    The bits come from the ``random`` module's generator, seeded by the OS and reseeded in a
    forked child (a private ``Random()`` would not be: two forked workers would make the same
    ids): ids must not collide, not stay secret, and a system call per id was measurable on the
    hot path. No key or token is made here.
    """

    def new(self, prefix: str = "") -> str:
        return prefix + uuid7_hex(time.time_ns() // 1_000_000, random.getrandbits(80))
