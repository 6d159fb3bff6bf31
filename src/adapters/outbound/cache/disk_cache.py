"""SqliteResponseCache: entries in a SQLite file, so they survive restarts.

Every SQLite call runs on one dedicated thread, so the event loop never blocks on the disk and
the connection is never shared between threads. Expiry uses the wall clock (``Clock.now``),
since monotonic time restarts with the process.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from switchboard.domain.ports.clock import Clock

T = TypeVar("T")

FILE_NAME = "responses.sqlite3"
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
_EVICT_BATCH = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    size INTEGER NOT NULL,
    expires_at REAL,
    used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_use ON entries (used);
"""


class SqliteResponseCache:
    """A cache in ``directory/responses.sqlite3``, bounded in entries and bytes (least recently
    used evicted first).

    The bounds are kept by this process's running totals; several processes sharing one
    directory each keep them approximately (SQLite's WAL mode lets them share the file safely).
    """

    def __init__(
        self,
        directory: str | Path,
        clock: Clock,
        *,
        max_entries: int | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._path = Path(directory) / FILE_NAME
        self._clock = clock
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="switchboard-disk-cache")
        self._db: sqlite3.Connection | None = None
        self._count = 0
        self._bytes = 0
        self._tick = 0  # recency: a counter, not a time, so equal timestamps keep their order
        self._closed = False

    async def open(self) -> SqliteResponseCache:
        """Create the directory and table if needed; count what is there."""
        await self._run(self._open)
        return self

    async def get(self, key: str) -> bytes | None:
        return (await self._run(self._get_many, [key]))[0]

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return await self._run(self._get_many, list(keys)) if keys else []

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await self._run(self._set_many, {key: value}, ttl)

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        if items:
            await self._run(self._set_many, dict(items), ttl)

    async def delete(self, key: str) -> None:
        await self._run(self._delete, key)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        finally:
            self._executor.shutdown(wait=False)

    async def _run(self, function: Callable[..., T], *args: object) -> T:
        if self._closed:
            raise RuntimeError("the disk cache is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # --- on the cache's thread -------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._open()
        assert self._db is not None
        return self._db

    def _open(self) -> None:
        if self._db is not None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self._path, timeout=5.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        self._count, self._bytes, self._tick = db.execute(
            "SELECT count(*), coalesce(sum(size), 0), coalesce(max(used), 0) FROM entries"
        ).fetchone()
        self._db = db

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _get_many(self, keys: list[str]) -> list[bytes | None]:
        db, now = self._connection(), self._clock.now()
        found: dict[str, bytes] = {}
        expired: list[str] = []
        marks = ",".join("?" * len(set(keys)))
        for key, value, expires_at in db.execute(
            f"SELECT key, value, expires_at FROM entries WHERE key IN ({marks})",  # noqa: S608 (only ? marks)
            list(set(keys)),
        ):
            if expires_at is not None and expires_at <= now:
                expired.append(key)
            else:
                found[key] = value
        for key in expired:
            self._delete(key)
        if found:
            db.executemany("UPDATE entries SET used = ? WHERE key = ?", [(self._next_tick(), key) for key in found])
        return [found.get(key) for key in keys]

    def _set_many(self, items: dict[str, bytes], ttl: float | None) -> None:
        db, now = self._connection(), self._clock.now()
        expires_at = None if ttl is None else now + ttl
        db.execute("BEGIN IMMEDIATE")
        try:
            for key, value in items.items():
                self._forget(db, key)
                size = len(key) + len(value)
                if size > self._max_bytes:
                    continue
                db.execute(
                    "INSERT INTO entries (key, value, size, expires_at, used) VALUES (?, ?, ?, ?, ?)",
                    (key, value, size, expires_at, self._next_tick()),
                )
                self._count += 1
                self._bytes += size
            self._evict(db, now)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._count, self._bytes = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM entries").fetchone()
            raise

    def _next_tick(self) -> int:
        self._tick += 1
        return self._tick

    def _delete(self, key: str) -> None:
        self._forget(self._connection(), key)

    def _forget(self, db: sqlite3.Connection, key: str) -> None:
        row = db.execute("DELETE FROM entries WHERE key = ? RETURNING size", (key,)).fetchone()
        if row is not None:
            self._count -= 1
            self._bytes -= row[0]

    def _over(self) -> bool:
        return self._bytes > self._max_bytes or (self._max_entries is not None and self._count > self._max_entries)

    def _evict(self, db: sqlite3.Connection, now: float) -> None:
        if not self._over():
            return
        for (size,) in db.execute("DELETE FROM entries WHERE expires_at <= ? RETURNING size", (now,)).fetchall():
            self._count -= 1
            self._bytes -= size
        while self._over():
            oldest = db.execute("SELECT key FROM entries ORDER BY used LIMIT ?", (_EVICT_BATCH,)).fetchall()
            if not oldest:
                break
            for (key,) in oldest:
                if not self._over():
                    break
                self._forget(db, key)
