"""Where a gateway keeps its spend journal (``general_settings.spend_journal_dir``).

The journal's rows belong to one database, so its folder is named after that database: two
gateways of different databases never replay each other's rows. By default it sits next to a
SQLite file (``./switchboard.db`` -> ``./switchboard.db-journal.d/``), and for a server database
under ``./.switchboard-journal/``. An in-memory SQLite database has nothing to replay into: no
journal.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DEFAULT_BASE = Path(".switchboard-journal")


def journal_dir(setting: str | bool | None, database_url: str) -> Path | None:
    """The journal's folder, or ``None`` for no journal."""
    if setting is False:
        return None
    scheme, _, rest = database_url.partition("://")
    sqlite_file = rest[1:] if scheme.startswith("sqlite") and rest.startswith("/") else None
    if scheme.startswith("sqlite") and (not sqlite_file or sqlite_file == ":memory:" or "mode=memory" in rest):
        return None
    name = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    if isinstance(setting, str) and setting:
        return Path(setting).expanduser() / name
    if sqlite_file:
        database = Path(sqlite_file.split("?", 1)[0])
        return database.with_name(f"{database.name}-journal.d")
    return DEFAULT_BASE / name
