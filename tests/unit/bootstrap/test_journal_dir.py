"""Where the spend journal lives: with its database, and nowhere for a database in memory."""

from __future__ import annotations

from pathlib import Path

from switchboard.bootstrap.journal import DEFAULT_BASE, journal_dir


def test_a_sqlite_file_keeps_its_journal_next_to_it() -> None:
    assert journal_dir(None, "sqlite:///./data/switchboard.db") == Path("./data/switchboard.db-journal.d")


def test_an_absolute_sqlite_path_keeps_its_journal_next_to_it() -> None:
    assert journal_dir(None, "sqlite:////var/lib/sb/gw.db") == Path("/var/lib/sb/gw.db-journal.d")


def test_a_database_in_memory_has_no_journal() -> None:
    assert journal_dir(None, "sqlite://") is None
    assert journal_dir(None, "sqlite:///:memory:") is None


def test_a_server_database_journals_under_the_default_base_named_after_it() -> None:
    one = journal_dir(None, "postgresql://u@db-a/x")
    other = journal_dir(None, "postgresql://u@db-b/x")

    assert one is not None and one.parent == DEFAULT_BASE
    assert one != other


def test_a_configured_folder_holds_one_journal_per_database() -> None:
    found = journal_dir("/srv/journal", "postgresql://u@db/x")

    assert found is not None and found.parent == Path("/srv/journal")


def test_false_turns_the_journal_off() -> None:
    assert journal_dir(False, "sqlite:///./switchboard.db") is None
