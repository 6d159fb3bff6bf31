"""The spend journal on disk: what a killed process journaled is recovered by the next one, and
only that: committed rows, and the segments of a live process, are not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from switchboard.adapters.outbound.persistence.journal import FileSpendJournal

FIELDS = ("id", "cost", "tags")


def rows(*ids: str) -> list[tuple[object, ...]]:
    return [(name, 0.5, ["t"]) for name in ids]


def test_rows_of_a_killed_process_are_recovered_by_the_next(tmp_path: Path) -> None:
    code = (
        "import os, signal, sys;"
        "from switchboard.adapters.outbound.persistence.journal import FileSpendJournal;"
        "journal = FileSpendJournal(__import__('pathlib').Path(sys.argv[1]), ('id', 'cost', 'tags'));"
        "[journal.append((f'r{i}', 0.5, ['t'])) for i in range(3)];"
        "journal.committed(1);"
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False)
    assert killed.returncode == -signal.SIGKILL

    journal = FileSpendJournal(tmp_path, FIELDS)

    assert journal.recovered() == rows("r1", "r2")


def test_a_live_process_keeps_its_rows(tmp_path: Path) -> None:
    live = FileSpendJournal(tmp_path, FIELDS)
    live.append(rows("mine")[0])

    other = FileSpendJournal(tmp_path, FIELDS)

    assert other.recovered() == []


def test_rows_left_by_a_closed_journal_are_recovered(tmp_path: Path) -> None:
    first = FileSpendJournal(tmp_path, FIELDS)
    for row in rows("a", "b"):
        first.append(row)
    first.close()

    assert FileSpendJournal(tmp_path, FIELDS).recovered() == rows("a", "b")


def test_committed_rows_are_not_recovered(tmp_path: Path) -> None:
    first = FileSpendJournal(tmp_path, FIELDS)
    for row in rows("a", "b", "c"):
        first.append(row)
    first.committed(3)
    first.append(rows("d")[0])
    first.close()

    assert FileSpendJournal(tmp_path, FIELDS).recovered() == rows("d")


def test_a_full_segment_is_deleted_once_its_rows_are_committed(tmp_path: Path) -> None:
    journal = FileSpendJournal(tmp_path, FIELDS, segment_rows=3)
    for row in rows("a", "b", "c", "d", "e", "f", "g"):
        journal.append(row)
    assert len(list(tmp_path.glob("spend-*.jsonl"))) == 3

    journal.committed(4)
    journal.close()

    assert len(list(tmp_path.glob("spend-*.jsonl"))) == 2
    assert FileSpendJournal(tmp_path, FIELDS).recovered() == rows("e", "f", "g")


def test_forgetting_recovered_rows_deletes_their_segments(tmp_path: Path) -> None:
    first = FileSpendJournal(tmp_path, FIELDS)
    first.append(rows("a")[0])
    first.close()
    second = FileSpendJournal(tmp_path, FIELDS)

    second.forget_recovered()
    second.close()

    assert FileSpendJournal(tmp_path, FIELDS).recovered() == []


def test_a_row_cut_short_by_the_kill_is_skipped(tmp_path: Path) -> None:
    first = FileSpendJournal(tmp_path, FIELDS)
    first.append(rows("a")[0])
    first.close()
    [segment] = tmp_path.glob("spend-*.jsonl")
    with segment.open("ab") as file:
        file.write(b'["b", 0.5, ["t"')  # no closing bracket, no newline

    assert FileSpendJournal(tmp_path, FIELDS).recovered() == rows("a")


def test_rows_are_read_by_field_name(tmp_path: Path) -> None:
    older = FileSpendJournal(tmp_path, ("cost", "id", "gone"))
    older.append((0.25, "a", "x"))
    older.close()

    assert FileSpendJournal(tmp_path, ("id", "cost", "new")).recovered() == [("a", 0.25, None)]


def test_a_journal_that_cannot_write_does_not_raise(tmp_path: Path) -> None:
    journal = FileSpendJournal(tmp_path, FIELDS)
    journal.append((object(),))  # not serialisable: logged, not raised

    journal.append(rows("a")[0])
    journal.close()

    assert FileSpendJournal(tmp_path, FIELDS).recovered() == rows("a")


def test_segments_are_private_to_the_gateway_user(tmp_path: Path) -> None:
    FileSpendJournal(tmp_path, FIELDS)

    [segment] = tmp_path.glob("spend-*.jsonl")
    assert os.stat(segment).st_mode & 0o077 == 0


def test_a_journal_with_every_row_committed_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    journal = FileSpendJournal(folder, FIELDS)
    for row in rows("a", "b"):
        journal.append(row)
    journal.committed(2)

    journal.close()

    assert not folder.exists()
