"""The spend journal on local disk: append-only segment files of JSON lines, one per process.

Each process appends to segments of its own (``spend-<pid>-<ns>.jsonl``) and holds an exclusive
``flock`` on every one it has not finished with. The lock is how a starting process tells a
dead process's segments (the lock is free: the kernel released it when the owner died) from a
live one's. A segment's first line names the fields of its rows, so rows recovered by a later
version of the gateway are read by name.

Rows are JSON arrays; a JSON object line ``{"done": n}`` records that the segment's first ``n``
rows are in the ledger (a segment whose rows are all in the ledger is deleted, or emptied when it
is the one being written). A row is written with one ``write(2)`` to a file opened with ``O_APPEND``: once ``append``
returns, the row is in the kernel's page cache and survives the process being killed (not a
power loss: nothing is synced to the disk, which would cost a millisecond per call).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

log = logging.getLogger(__name__)

HEADER_KEY = "switchboard_spend_journal"
_PATTERN = "spend-*.jsonl"


@dataclass(slots=True)
class _Segment:
    path: Path
    fd: int
    rows: int = 0


def _lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class FileSpendJournal:
    """``SpendJournal`` in ``folder``. ``segment_rows`` bounds a segment: a full one is set aside
    and deleted once all its rows are committed, so the journal of a busy gateway whose queue
    never empties still shrinks."""

    def __init__(self, folder: Path, fields: Sequence[str], *, segment_rows: int = 50_000) -> None:
        self._folder = folder
        self._fields = tuple(fields)
        self._segment_rows = segment_rows
        self._header = orjson.dumps({HEADER_KEY: 1, "fields": self._fields}) + b"\n"
        folder.mkdir(parents=True, exist_ok=True)
        self._recovered: list[_Segment] = []
        self._recovered_rows = self._recover()
        self._full: deque[_Segment] = deque()  # rotated segments with rows not yet committed
        self._current: _Segment | None = self._new_segment()
        self._done = 0  # committed rows not yet matched against a segment
        self._failed = False

    # --- SpendJournal --------------------------------------------------------------------------

    def append(self, row: tuple[object, ...]) -> None:
        segment = self._current
        if segment is None:
            return
        try:
            line = orjson.dumps(row) + b"\n"
            written = os.write(segment.fd, line)
            while written < len(line):  # a short write (full disk, signal): finish or fail loudly
                written += os.write(segment.fd, line[written:])
        except (OSError, TypeError) as exc:
            if not self._failed:
                self._failed = True
                log.error("spend journal write failed (%s); rows are kept in memory only until it works", exc)
            return
        self._failed = False
        segment.rows += 1
        if segment.rows >= self._segment_rows:
            self._full.append(segment)
            self._current = self._new_segment()

    def committed(self, count: int) -> None:
        self._done += count
        while self._full and self._done >= self._full[0].rows:
            segment = self._full.popleft()
            self._done -= segment.rows
            self._delete(segment)
        oldest = self._full[0] if self._full else self._current
        if oldest is None or self._done == 0:
            return
        try:
            if oldest is self._current and self._done >= oldest.rows:
                # every row is in the ledger: start the segment over
                os.ftruncate(oldest.fd, 0)
                os.write(oldest.fd, self._header)
                oldest.rows, self._done = 0, 0
            else:  # part of the oldest segment is in the ledger: say how much, for a recovery
                os.write(oldest.fd, orjson.dumps({"done": self._done}) + b"\n")
        except OSError as exc:
            log.error("could not record spend journal progress: %s", exc)

    def recovered(self) -> list[tuple[object, ...]]:
        return list(self._recovered_rows)

    def forget_recovered(self) -> None:
        for segment in self._recovered:
            self._delete(segment)
        self._recovered = []
        self._recovered_rows = []

    def close(self) -> None:
        """Release the segments; rows not committed stay on disk for the next process, and a
        journal with none left leaves nothing behind."""
        current = self._current
        if current is not None and current.rows == 0 and not self._full:
            self._delete(current)
        elif current is not None:
            os.close(current.fd)
        for segment in (*self._recovered, *self._full):
            os.close(segment.fd)
        self._recovered, self._full, self._current = [], deque(), None
        with contextlib.suppress(OSError):
            self._folder.rmdir()  # only when empty

    # --- segments ------------------------------------------------------------------------------

    def _new_segment(self) -> _Segment:
        path = self._folder / f"spend-{os.getpid()}-{time.time_ns()}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        if not _lock(fd):  # a file we just created: nobody else can hold it
            raise RuntimeError(f"could not lock the new spend journal segment {path}")
        os.write(fd, self._header)
        return _Segment(path, fd)

    def _delete(self, segment: _Segment) -> None:
        try:
            segment.path.unlink(missing_ok=True)
        finally:
            os.close(segment.fd)

    def _recover(self) -> list[tuple[object, ...]]:
        """Take over every segment whose owner is gone, and read its rows."""
        rows: list[tuple[object, ...]] = []
        for path in sorted(self._folder.glob(_PATTERN), key=_segment_order):
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:  # its owner finished it meanwhile
                continue
            if not _lock(fd):
                os.close(fd)  # a live process's segment
                continue
            self._recovered.append(_Segment(path, fd))
            rows += self._read(path)
        if rows:
            log.warning("spend journal: %d rows of a stopped process recovered from %s", len(rows), self._folder)
        return rows

    def _read(self, path: Path) -> list[tuple[object, ...]]:
        lines = path.read_bytes().split(b"\n")
        if not lines or not lines[0]:
            return []
        try:
            header = orjson.loads(lines[0])
            fields: list[str] = list(header["fields"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            log.error("spend journal segment %s has no header; skipped", path)
            return []
        at = {name: index for index, name in enumerate(fields)}
        rows: list[tuple[object, ...]] = []
        done = 0  # rows from the start of the segment already in the ledger (progress lines)
        for line in lines[1:]:
            if not line:
                continue
            try:
                values = orjson.loads(line)
            except orjson.JSONDecodeError:  # a row cut short by the kill
                continue
            if isinstance(values, list) and len(values) == len(fields):
                rows.append(tuple(values[at[name]] if name in at else None for name in self._fields))
            elif isinstance(values, dict) and isinstance(values.get("done"), int):
                done = max(done, values["done"])
        return rows[done:]


def _segment_order(path: Path) -> tuple[int, str]:
    """Oldest first: by the creation time in the name."""
    try:
        return int(path.stem.rsplit("-", 1)[1]), path.name
    except (IndexError, ValueError):
        return 0, path.name
