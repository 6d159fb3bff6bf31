"""Identifiers: time-ordered UUIDs (version 7) as 32 hex digits."""

from __future__ import annotations

import os
import time

from domain.ids import uuid7_hex


class UuidIdSource:
    """``prefix`` + a UUIDv7 in hex: 48 bits of time, 74 random bits. Ids made later sort later
    (from one millisecond to the next), so the rows they key are appended to indexes."""

    def new(self, prefix: str = "") -> str:
        return prefix + uuid7_hex(time.time_ns() // 1_000_000, os.urandom(10))
